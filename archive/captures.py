"""Finding a capture of a URL as of a moment, and undoing its Content-Encoding."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from .store import Archive


class CaptureNotFound(LookupError):
    pass


CHINA_TIME = timezone(timedelta(hours=8))


@dataclass(frozen=True)
class Moment:
    """A date or a time given by a user. A date is a whole day in the clock of the column it is
    compared with; a time without an offset is UTC."""

    day: date | None = None
    instant: datetime | None = None  # aware

    @classmethod
    def parse(cls, value: str | Moment) -> Moment:
        if isinstance(value, Moment):
            return value
        try:
            return cls(day=date.fromisoformat(value))
        except ValueError:
            pass
        try:
            when = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"not a date or time: {value!r} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS[+08:00])") from None
        return cls(instant=when if when.tzinfo else when.replace(tzinfo=timezone.utc))

    def utc(self) -> str:
        """The lower bound in the form of the archive's own times (UTC, milliseconds, ``Z``)."""
        if self.day:
            return self.day.isoformat()  # a prefix of every time of that day
        # Rounded up to the millisecond, so that ">=" keeps its meaning.
        return _utc_text(self.instant + timedelta(microseconds=999))

    def china(self) -> str:
        """The lower bound for publish times, which the parsers write in China time as a date,
        ``YYYY-MM-DDTHH:MM+08:00`` or ``YYYY-MM-DDTHH:MM:SS+08:00``."""
        if self.day:
            return self.day.isoformat()
        # Rounded up to the second, without the offset, and cut to the day or minute when the
        # rest is zero: the bound is then a prefix of every form of that time, and ">=" compares
        # clock times. A publish date counts as the start of its day.
        when = (self.instant.astimezone(CHINA_TIME) + timedelta(microseconds=999_999)).replace(microsecond=0)
        if when.time() == time(0):
            return when.date().isoformat()
        return when.strftime("%Y-%m-%dT%H:%M" if when.second == 0 else "%Y-%m-%dT%H:%M:%S")


def moment(value: str) -> tuple[str, str]:
    """(operator, bound) comparing with fetched_at for an --at value: a date means its whole day
    (UTC); a time without an offset is UTC."""
    at = Moment.parse(value)
    if at.day:
        return "<", (at.day + timedelta(days=1)).isoformat()
    return "<=", _utc_text(at.instant)


def _utc_text(when: datetime) -> str:
    return when.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


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
    return archive.capture(row[0])


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


# A condition on the snapshots view (which has no site of its own): captures of one site, the
# parameter. Each row's capture is looked up by its key, not the site's captures listed anew
# for every query (first_capture_before runs once a capture).
OF_SITE = "(SELECT site FROM captures WHERE captures.id = snapshots.id) = ?"


def first_capture_before(archive: Archive, sha256: str, before: str, site: str | None = None) -> dict | None:
    """The first capture with body ``sha256`` fetched before ``before`` (the archive's UTC text), if
    any; of the site named ``site`` only, if given."""
    of_site, site_params = (f"AND {OF_SITE}", [site]) if site is not None else ("", [])
    row = archive.conn.execute(f"SELECT id FROM snapshots WHERE sha256 = ? AND fetched_at < ? {of_site} ORDER BY fetched_at, id LIMIT 1",
                               (sha256, before, *site_params)).fetchone()
    return archive.capture(row[0]) if row else None
