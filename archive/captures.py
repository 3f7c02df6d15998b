"""Finding a capture of a URL as of a moment, and undoing its Content-Encoding."""

from __future__ import annotations

import zlib
from datetime import date, datetime, timedelta, timezone

from .store import Archive


class CaptureNotFound(LookupError):
    pass


def moment(value: str) -> tuple[str, str]:
    """(operator, bound) comparing with fetched_at for an --at value: a date means its whole day
    (UTC); a time without an offset is UTC."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        pass
    else:
        return "<", (day + timedelta(days=1)).isoformat()
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not a date or time: {value!r} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[+08:00])") from None
    when = (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)
    return "<=", when.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def find_capture(archive: Archive, url: str, at: str | None = None) -> dict:
    """The latest capture of ``url`` fetched at or before ``at`` (the latest of all without it)."""
    where, params = "url = ?", [url]
    if at:
        operator, bound = moment(at)
        where, params = f"{where} AND fetched_at {operator} ?", [url, bound]
    row = archive.conn.execute(f"SELECT id FROM snapshots WHERE {where} ORDER BY fetched_at DESC, id DESC LIMIT 1", params).fetchone()
    if row is None:
        first = archive.conn.execute("SELECT min(fetched_at) FROM snapshots WHERE url = ?", (url,)).fetchone()[0]
        raise CaptureNotFound(f"no capture of {url}" + (f" at or before {at} (first capture: {first})" if first else ""))
    return archive.snapshot(row[0])


def decode_content(body: bytes, headers: list[tuple[str, str]]) -> bytes:
    """The body with its Content-Encoding (gzip, deflate, possibly stacked) undone."""
    encodings = [value.strip().lower() for name, value in headers if name.lower() == "content-encoding"
                 for value in value.split(",") if value.strip()]
    for encoding in reversed(encodings):
        if encoding in ("gzip", "x-gzip"):
            body = zlib.decompress(body, wbits=zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            try:
                body = zlib.decompress(body)
            except zlib.error:  # servers often send raw deflate without the zlib wrapper
                body = zlib.decompress(body, wbits=-zlib.MAX_WBITS)
        elif encoding != "identity":
            raise ValueError(f"cannot decompress Content-Encoding {encoding!r}")
    return body
