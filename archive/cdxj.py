"""CDXJ index lines for WARC records: the index a WACZ carries so that a replay tool finds a
URL's captures without reading the WARCs (the format pywb and ReplayWeb.page read).

A line is ``SURT-KEY 14-DIGIT-TIMESTAMP {json}``, the JSON naming the record's URL, media
type, status, payload digest, and where it lies: the compressed length and offset of the
record in ``filename``. Lines sort by key then time, so a reader can binary-search them.
"""

from __future__ import annotations

import json
from typing import BinaryIO
from urllib.parse import parse_qsl, urlencode, urlsplit

from warcio.archiveiterator import ArchiveIterator

INDEXED_TYPES = ("response", "revisit", "resource")


def surt(url: str) -> str:
    """The Sort-friendly URI Reordering Transform of ``url`` as web archives key it:
    ``http://www.Example.com:8000/A?b=2&a=1`` → ``com,example:8000)/a?a=1&b=2``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    labels = host.split(".")
    if labels and labels[0] == "www" and len(labels) > 2:
        labels = labels[1:]
    key = ",".join(reversed(labels))
    if parts.port and parts.port != {"http": 80, "https": 443}.get(parts.scheme):
        key += f":{parts.port}"
    path = (parts.path or "/").lower()
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True))).lower() if parts.query else ""
    return f"{key}){path}" + (f"?{query}" if query else "")


def timestamp14(warc_date: str) -> str:
    """``2026-11-27T19:41:00.123Z`` → ``20261127194100``."""
    return "".join(ch for ch in warc_date if ch.isdigit())[:14]


def cdxj_lines(stream: BinaryIO, filename: str) -> list[str]:
    """The CDXJ lines of the response and revisit records of a WARC, sorted."""
    lines = []
    records = ArchiveIterator(stream)
    for record in records:
        if record.rec_type not in INDEXED_TYPES:
            continue
        headers = record.rec_headers
        uri = headers.get_header("WARC-Target-URI")
        fields: dict[str, str] = {"url": uri}
        http = record.http_headers
        if record.rec_type == "revisit":
            fields["mime"] = "warc/revisit"
        elif http is not None:
            fields["mime"] = (http.get_header("Content-Type") or "unk").split(";")[0].strip()
        if http is not None and http.get_statuscode():
            fields["status"] = http.get_statuscode()
        digest = headers.get_header("WARC-Payload-Digest") or ""
        fields["digest"] = digest.removeprefix("sha1:")
        records.read_to_end(record)  # its compressed length is known at its end
        fields.update(length=str(records.get_record_length()), offset=str(records.get_record_offset()), filename=filename)
        lines.append(f"{surt(uri)} {timestamp14(headers.get_header('WARC-Date'))} {json.dumps(fields, ensure_ascii=False)}")
    return sorted(lines)
