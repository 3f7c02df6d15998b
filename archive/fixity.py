"""Fixity audits: re-hash every stored body and check it against the SHA-256 its captures name,
and let SQLite check the database file itself.

A blob is stored under the SHA-256 of the bytes the server sent. An audit reads each blob,
undoes the archive's own compression, hashes the result and compares it with that name and
the recorded size; it also looks for captures whose blob is gone. ``PRAGMA integrity_check``
reads every page of every table and index, so damage to the records (a corrupt page of
``documents``) is found too. Each audit is recorded in the ``audits`` table, failed or not,
unless the damage keeps it from being written.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field

from .blobs import UnreadableBlob
from .store import Archive, utc_now


@dataclass
class Problem:
    sha256: str  # of the blob, "" for damage to the database
    # "failed" (bytes differ or cannot be read), "missing" (no blob at all) or "damaged" (the
    # database check failed: ``table`` says where, when it can be told)
    kind: str
    detail: str
    captures: int = 0
    example_url: str = ""
    table: str = ""

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class Audit:
    started_at: str
    finished_at: str = ""
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    record_error: str | None = None  # why the audit could not be written to ``audits``, if it could not

    def count(self, kind: str) -> int:
        return sum(problem.kind == kind for problem in self.problems)

    @property
    def failed(self) -> int:
        return self.count("failed")

    @property
    def missing(self) -> int:
        return self.count("missing")

    @property
    def damaged(self) -> int:
        return self.count("damaged")

    @property
    def ok(self) -> bool:
        return not self.problems


def _check(archive: Archive, sha256: str, size: int, base: str | None, base_missing: bool, damaged: set[str]) -> str | None:
    """What is wrong with a stored blob, or None. Bases are checked before the deltas on them."""
    if base_missing:
        return f"stored as a delta against {base}, which is missing"
    if base in damaged:
        return f"stored as a delta against {base}, which is damaged"
    try:
        body = archive.blob_bytes(sha256)
    except (UnreadableBlob, sqlite3.DatabaseError) as error:
        return f"cannot be read: {error}"
    actual = hashlib.sha256(body).hexdigest()
    if actual != sha256:
        return f"bytes hash to {actual}"
    if len(body) != size:
        return f"{len(body)} bytes, {size} recorded"
    return None


def _integrity_messages(conn: sqlite3.Connection, table: str | None = None) -> list[str]:
    """What ``PRAGMA integrity_check`` finds, one message a line (SQLite joins them with
    newlines); [] when it finds nothing. Damage it cannot step over stops it: that is a message too."""
    pragma = f"PRAGMA integrity_check({_quoted(table)})" if table else "PRAGMA integrity_check"
    try:
        rows = [row[0] for row in conn.execute(pragma)]
    except sqlite3.DatabaseError as error:
        return [f"integrity_check stopped: {error}"]
    return [line for row in rows for line in row.splitlines() if line not in ("ok", "*** in database main ***")]


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _database_problems(conn: sqlite3.Connection) -> list[Problem]:
    """Damage SQLite's own check finds, each message named by its table where a check of
    that table alone finds it too (the rest, such as pages no table uses, name none)."""
    whole = _integrity_messages(conn)
    if not whole:
        return []
    try:
        tables = [name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND rootpage > 0 AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
            "ORDER BY name")]
    except sqlite3.DatabaseError:
        tables = []
    problems, placed = [], set()
    for table in tables:
        messages = _integrity_messages(conn, table)
        problems += [Problem("", "damaged", message, table=table) for message in messages]
        placed.update(messages)
    return problems + [Problem("", "damaged", message) for message in whole if message not in placed]


def _blob_problems(archive: Archive, audit: Audit) -> None:
    conn = archive.conn
    captures = {sha256: (count, url) for sha256, count, url in
                conn.execute("SELECT sha256, count(*), min(url) FROM snapshots GROUP BY sha256")}
    damaged: set[str] = set()
    blobs = conn.execute(
        "SELECT b.sha256, b.size, b.base_sha256, b.base_sha256 IS NOT NULL AND base.sha256 IS NULL "
        "FROM blobs b LEFT JOIN blobs base ON base.sha256 = b.base_sha256 ORDER BY b.depth, b.sha256").fetchall()
    for sha256, size, base, base_missing in blobs:
        audit.checked += 1
        detail = _check(archive, sha256, size, base, base_missing, damaged)
        if detail:
            damaged.add(sha256)
            count, url = captures.get(sha256, (0, ""))
            audit.problems.append(Problem(sha256, "failed", detail, count, url))
    for sha256, count, url in conn.execute(
        "SELECT s.sha256, count(*), min(s.url) FROM snapshots s LEFT JOIN blobs b ON b.sha256 = s.sha256 "
        "WHERE b.sha256 IS NULL GROUP BY s.sha256 ORDER BY s.sha256"
    ):
        audit.problems.append(Problem(sha256, "missing", "no stored body", count, url))


def verify(archive: Archive) -> Audit:
    """Check the database, every blob and every capture's link to one; record and return the audit."""
    audit = Audit(started_at=utc_now())
    audit.problems += _database_problems(archive.conn)
    try:
        _blob_problems(archive, audit)
    except sqlite3.DatabaseError as error:  # the tables that list the blobs cannot be read
        audit.problems.append(Problem("", "damaged", f"the blobs could not all be listed: {error}", table="blobs"))
    audit.finished_at = utc_now()
    try:
        archive.record_audit({
            "started_at": audit.started_at, "finished_at": audit.finished_at, "checked": audit.checked,
            # Damage to the database counts as failed: a query for failed audits finds it.
            "failed": audit.failed + audit.damaged, "missing": audit.missing,
            "problems": json.dumps([problem.to_dict() for problem in audit.problems], ensure_ascii=False),
        })
    except sqlite3.DatabaseError as error:
        audit.record_error = str(error)
    return audit
