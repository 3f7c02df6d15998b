"""Fixity audits: re-hash every stored body and check it against the SHA-256 its captures name.

A blob is stored under the SHA-256 of the bytes the server sent. An audit reads each blob,
undoes the archive's own compression, hashes the result and compares it with that name and
the recorded size; it also looks for captures whose blob is gone. Each audit is recorded in
the ``audits`` table, failed or not.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from dataclasses import dataclass, field

import zstandard

from .store import Archive, utc_now


@dataclass
class Problem:
    sha256: str
    kind: str  # "failed" (bytes differ or cannot be read) or "missing" (no blob at all)
    detail: str
    captures: int
    example_url: str

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Audit:
    started_at: str
    finished_at: str = ""
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return sum(problem.kind == "failed" for problem in self.problems)

    @property
    def missing(self) -> int:
        return sum(problem.kind == "missing" for problem in self.problems)

    @property
    def ok(self) -> bool:
        return not self.problems


def _check(archive: Archive, sha256: str, size: int, base: str | None, damaged: set[str]) -> str | None:
    """What is wrong with a stored blob, or None. Bases are checked before the deltas on them."""
    if base in damaged:
        return f"stored as a delta against {base}, which is damaged"
    try:
        body = archive.blob_bytes(sha256)
    except (zlib.error, zstandard.ZstdError, ValueError, KeyError) as error:
        return f"cannot be read: {error}"
    actual = hashlib.sha256(body).hexdigest()
    if actual != sha256:
        return f"bytes hash to {actual}"
    if len(body) != size:
        return f"{len(body)} bytes, {size} recorded"
    return None


def verify(archive: Archive) -> Audit:
    """Check every blob and every capture's link to one; record and return the audit."""
    conn = archive.conn
    audit = Audit(started_at=utc_now())
    captures = {sha256: (count, url) for sha256, count, url in
                conn.execute("SELECT sha256, count(*), min(url) FROM snapshots GROUP BY sha256")}
    damaged: set[str] = set()
    for sha256, size, base in conn.execute("SELECT sha256, size, base_sha256 FROM blobs ORDER BY depth, sha256").fetchall():
        audit.checked += 1
        detail = _check(archive, sha256, size, base, damaged)
        if detail:
            damaged.add(sha256)
            count, url = captures.get(sha256, (0, ""))
            audit.problems.append(Problem(sha256, "failed", detail, count, url))
    for sha256, count, url in conn.execute(
        "SELECT s.sha256, count(*), min(s.url) FROM snapshots s LEFT JOIN blobs b ON b.sha256 = s.sha256 "
        "WHERE b.sha256 IS NULL GROUP BY s.sha256 ORDER BY s.sha256"
    ):
        audit.problems.append(Problem(sha256, "missing", "no stored body", count, url))
    audit.finished_at = utc_now()
    archive.record_audit({
        "started_at": audit.started_at, "finished_at": audit.finished_at, "checked": audit.checked,
        "failed": audit.failed, "missing": audit.missing,
        "problems": json.dumps([problem.to_dict() for problem in audit.problems], ensure_ascii=False),
    })
    return audit
