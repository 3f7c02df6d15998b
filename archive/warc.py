"""The archive as WARC 1.1 (ISO 28500): a request and a response record per capture.

The response record holds the status line, the headers and the body bytes as received
(gzip and all), so its WARC-Payload-Digest is over the entity body the server sent. A capture
whose body equals one already written becomes a ``revisit`` record (identical-payload-digest
profile) that refers to the first. Three things are rebuilt rather than stored: the reason
phrase of the status line (the standard one for the code), the request's Host header and
a request body's Content-Length (the HTTP client adds them on the wire; Scrapy's request
headers do not show them). A request with a body (a POST's form) has it as the request
record's payload. A
``Transfer-Encoding: chunked`` header is kept as ``X-Archive-Orig-Transfer-Encoding``,
because the stored body is already de-chunked and readers would otherwise de-chunk it again.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from http import HTTPStatus
from importlib.metadata import version
from io import BytesIO
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from .captures import OF_SITE, Moment, first_capture_before
from .schema import DEFAULT_SITE
from .store import Archive


@dataclass
class WarcCounts:
    responses: int = 0
    revisits: int = 0
    requests: int = 0
    earlier: int = 0  # revisits of captures before ``since``, held by an earlier WARC


@dataclass(frozen=True)
class _FirstCapture:
    uri: str
    date: str
    record_id: str
    payload_digest: str


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _response_headers(capture: dict) -> StatusAndHeaders:
    headers = []
    for name, value in capture["headers"]:
        if name.lower() == "transfer-encoding":
            name = "X-Archive-Orig-Transfer-Encoding"
        headers.append((name, value))
    status = capture["status"]
    return StatusAndHeaders(f"{status} {_reason(status)}".rstrip(), headers, protocol=capture["protocol"] or "HTTP/1.1")


def _request_headers(capture: dict) -> StatusAndHeaders:
    parts = urlsplit(capture["url"])
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = list(capture["request_headers"])
    if not any(name.lower() == "host" for name, _ in headers):
        headers.insert(0, ("Host", parts.netloc))
    if capture["request_body"] and not any(name.lower() == "content-length" for name, _ in headers):
        headers.append(("Content-Length", str(len(capture["request_body"]))))
    return StatusAndHeaders(f"{capture['method']} {target} {capture['protocol'] or 'HTTP/1.1'}", headers, is_http_request=True)


def _payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest warcio gives a response of ``body``: SHA-1, base32."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def write_warc(archive: Archive, stream: BinaryIO, since: Moment | str | None = None, filename: str = "",
               earlier_revisits: bool = False, site: str | None = None) -> WarcCounts:
    """Write the captures fetched on or after ``since`` (all by default), oldest first; of the site
    named ``site`` only, if given (a body the same as another site's is then a response of its own)."""
    writer = WARCWriter(stream, gzip=True, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record(filename, {
        "software": f"npc-archive/{version('npc-archive')}",
        "format": "WARC File Format 1.1",
        "conformsTo": "https://iso.org/standard/68004.html",
        "description": ("Captures of the 审议意见 column of 椒江人大网" if site in (None, DEFAULT_SITE) else f"Captures of site {site}")
                       + ", bodies as received",
    }))
    counts, first_captures = WarcCounts(), {}
    conditions, params = ["fetched_at >= ?"] if since else [], [Moment.parse(since).utc()] if since else []
    if site is not None:
        conditions.append(OF_SITE)
        params.append(site)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    ids = [row[0] for row in archive.conn.execute(f"SELECT id FROM snapshots {where} ORDER BY fetched_at, id", params)]
    for capture_id in ids:
        capture = archive.capture(capture_id)
        uri, date, body = capture["url"], capture["fetched_at"], archive.capture_body(capture["id"])
        warc_headers = {"WARC-Date": date}
        first = first_captures.get(capture["sha256"]) if body else None
        if first is None and body and since and earlier_revisits:
            earlier = first_capture_before(archive, capture["sha256"], Moment.parse(since).utc(), site)
            if earlier:
                first = _FirstCapture(earlier["url"], earlier["fetched_at"], "", _payload_digest(body))
                first_captures[capture["sha256"]] = first
                counts.earlier += 1
        if first:
            response = writer.create_revisit_record(uri, first.payload_digest, first.uri, first.date,
                                                    http_headers=_response_headers(capture),
                                                    warc_headers_dict={**warc_headers, **(
                                                        {"WARC-Refers-To": first.record_id} if first.record_id else {})})
            counts.revisits += 1
        else:
            response = writer.create_warc_record(uri, "response", payload=BytesIO(body), length=len(body),
                                                 http_headers=_response_headers(capture), warc_headers_dict=warc_headers)
            first_captures.setdefault(capture["sha256"], _FirstCapture(
                uri, date, response.rec_headers.get_header("WARC-Record-ID"),
                response.rec_headers.get_header("WARC-Payload-Digest")))
            counts.responses += 1
        request_body = capture["request_body"] or b""  # a POST's form
        request = writer.create_warc_record(uri, "request", payload=BytesIO(request_body), length=len(request_body),
                                            http_headers=_request_headers(capture), warc_headers_dict=dict(warc_headers))
        writer.write_request_response_pair(request, response)
        counts.requests += 1
    return counts
