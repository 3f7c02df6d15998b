"""Mementos (RFC 7089): the captures of a URL in time, the one nearest a moment, and what a
removal did to them.

A memento is named Wayback-style by its 14-digit UTC timestamp, ``/web/20261127194100/URL``;
where two captures of a URL fall in one second, each of them is named to the millisecond
(17 digits), so that every capture keeps an address of its own.
A document the site removed has captures of the site's "该信息不存在或已被删除！" page (or a 404)
from its removal on: those are ``removal`` captures, and a reader asking for one is shown
the last good capture before it instead, with the time of the removal.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime

from .store import Archive

# A capture's path and query: what follows the host in its URL.
PATH_OF_URL = "substr(url, instr(substr(url, 9), '/') + 8)"


@dataclass(frozen=True)
class Memento:
    capture_id: int
    url: str
    fetched_at: str  # the archive's UTC text
    status: int
    removal: bool = False  # the site's answer while the document was removed
    shares_second: bool = False  # another capture of the URL has the same 14-digit timestamp

    @property
    def timestamp(self) -> str:
        return _digits(self.fetched_at)[:17 if self.shares_second else 14]

    @property
    def datetime(self) -> datetime:
        return datetime.fromisoformat(self.fetched_at.replace("Z", "+00:00"))

    @property
    def http_date(self) -> str:
        return format_datetime(self.datetime, usegmt=True)


@dataclass(frozen=True)
class Removal:
    removed_at: str  # first seen removed (UTC text)
    capture_id: int | None


def parse_timestamp(digits: str) -> datetime:
    """A Wayback timestamp of 4 to 14 digits, missing parts the earliest they can be (``2026`` → 1 January),
    or of 15 to 17, the rest of them milliseconds."""
    padded = digits[:14] + "00000101000000"[len(digits[:14]):]
    moment = datetime.strptime(padded, "%Y%m%d%H%M%S").replace(tzinfo=timezone.utc)
    if len(digits) > 17:
        raise ValueError(f"not a timestamp: {digits}")
    return moment.replace(microsecond=int(digits[14:].ljust(3, "0")) * 1000)


def mementos(archive: Archive, url: str) -> list[Memento]:
    """Every capture of ``url``, oldest first; when none has that very URL, those with its path and
    query from any host (the replica's port changes from run to run; the live site has one host)."""
    rows = archive.conn.execute("SELECT id, url, fetched_at, status FROM snapshots WHERE url = ? ORDER BY fetched_at, id",
                                (url,)).fetchall()
    if not rows:
        target = _path_of(url)
        rows = archive.conn.execute(f"SELECT id, url, fetched_at, status FROM snapshots WHERE {PATH_OF_URL} = ? "
                                    "ORDER BY fetched_at, id", (target,)).fetchall()
    periods = _removal_periods(archive, rows[-1][1]) if rows else []
    seconds = Counter(_digits(fetched_at)[:14] for _, _, fetched_at, _ in rows)
    return [Memento(capture_id, found_url, fetched_at, status,
                    removal=any(start <= fetched_at and (end is None or fetched_at < end) for start, end in periods),
                    shares_second=seconds[_digits(fetched_at)[:14]] > 1)
            for capture_id, found_url, fetched_at, status in rows]


def _digits(utc_text: str) -> str:
    return "".join(ch for ch in utc_text if ch.isdigit())


def _path_of(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1] if "/" in rest else "/"


def _removal_periods(archive: Archive, url: str) -> list[tuple[str, str | None]]:
    """(from, until) of each time the document at ``url`` was found removed, from its events."""
    events = archive.conn.execute(
        "SELECT e.kind, coalesce(s.fetched_at, e.observed_at) FROM events e JOIN documents d ON d.id = e.document_id "
        "LEFT JOIN snapshots s ON s.id = e.capture_id WHERE d.url = ? AND e.kind IN ('removed', 'restored') ORDER BY e.id",
        (url,)).fetchall()
    periods: list[tuple[str, str | None]] = []
    for kind, when in events:
        if kind == "removed":
            periods.append((when, None))
        elif periods and periods[-1][1] is None:
            periods[-1] = (periods[-1][0], when)
    return periods


def removal(archive: Archive, url: str) -> Removal | None:
    """When the site removed the document at ``url``, if it is removed now."""
    row = archive.conn.execute("SELECT removed_at, removed_capture_id FROM documents WHERE url = ? AND removed_at IS NOT NULL",
                               (url,)).fetchone()
    return Removal(*row) if row else None


def nearest(captures: list[Memento], when: datetime) -> Memento | None:
    """The capture nearest ``when`` (the earlier of two as near), by the second its timestamp
    names: a capture asked for by its own timestamp is itself, even where another one of the
    second before is nearer ``when`` by its fractions (16.9 s is nearer 17 than 17.2 s is)."""
    return min(captures, key=lambda memento: abs((parse_timestamp(memento.timestamp) - when).total_seconds()), default=None)


def last_good_before(captures: list[Memento], memento: Memento) -> Memento | None:
    """The last capture before ``memento`` that is not a removal and answered 2xx."""
    earlier = [m for m in captures if m.fetched_at <= memento.fetched_at and not m.removal and 200 <= m.status < 300]
    return earlier[-1] if earlier else None
