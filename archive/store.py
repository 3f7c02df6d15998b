"""Writing to and reading from the archive. Every write is one transaction, so a crawl
killed at any moment leaves no half-written snapshot or document."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zlib
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils

from .schema import migrate
from .search import index_document, rebuild_index

DEFAULT_DB = "data/archive.db"
DOCUMENT_FIELDS = ("title", "published_at", "source", "view_count", "body_text")


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _compress(data: bytes) -> tuple[str, bytes]:
    packed = zlib.compress(data, 9)
    return ("zlib", packed) if len(packed) < len(data) else ("none", data)


def _decompress(compression: str, data: bytes) -> bytes:
    if compression == "zlib":
        return zlib.decompress(data)
    if compression == "none":
        return data
    raise ValueError(f"unknown blob compression {compression!r}")


class Archive:
    """An archive file. ``Archive(path)`` creates or upgrades it as needed."""

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_DB) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        migrate(conn)
        self.db = sqlite_utils.Database(conn)
        self.conn = conn

    def close(self) -> None:
        self.conn.close()

    def _transaction(self) -> "_Transaction":
        return _Transaction(self.conn)

    def _insert(self, table: str, row: dict) -> int:
        # Plain SQL: sqlite-utils' writes commit on their own, which would split our transactions.
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        return self.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values())).lastrowid

    def _update(self, table: str, row_id: int, row: dict) -> None:
        assignments = ", ".join(f"{column} = ?" for column in row)
        self.conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*row.values(), row_id])

    # Crawls ----------------------------------------------------------------------------

    def start_crawl(self, mode: str, arguments: dict) -> int:
        with self._transaction():
            return self._insert("crawls", {"started_at": utc_now(), "mode": mode,
                                           "arguments": json.dumps(arguments, ensure_ascii=False), "status": "running"})

    def finish_crawl(self, crawl_id: int, status: str, stats: dict) -> None:
        with self._transaction():
            self._update("crawls", crawl_id, {"finished_at": utc_now(), "status": status,
                                                "stats": json.dumps(stats, ensure_ascii=False, sort_keys=True)})

    # Snapshots -------------------------------------------------------------------------

    def add_snapshot(self, *, url: str, status: int, headers: list[tuple[str, str]], body: bytes,
                     request_headers: Iterable[tuple[str, str]] = (), method: str = "GET",
                     protocol: str | None = None, crawl_id: int | None = None, fetched_at: str | None = None) -> int:
        """Store the bytes as received (content-addressed, compressed) and the capture's facts."""
        digest = sha256_hex(body)
        content_type = next((value for name, value in headers if name.lower() == "content-type"), None)
        with self._transaction():
            if not self.conn.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (digest,)).fetchone():
                compression, stored = _compress(body)
                self._insert("blobs", {"sha256": digest, "size": len(body), "compression": compression,
                                       "stored_size": len(stored), "data": stored})
            return self._insert("snapshots", {
                "crawl_id": crawl_id, "url": url, "method": method, "fetched_at": fetched_at or utc_now(),
                "protocol": protocol, "status": status, "headers": json.dumps(list(map(list, headers)), ensure_ascii=False),
                "request_headers": json.dumps(list(map(list, request_headers)), ensure_ascii=False),
                "content_type": content_type, "sha256": digest, "size": len(body),
            })

    def snapshot(self, snapshot_id: int) -> dict:
        row = self.conn.execute("SELECT * FROM snapshots WHERE id = ?", (snapshot_id,)).fetchone()
        if row is None:
            raise KeyError(snapshot_id)
        columns = [c[0] for c in self.conn.execute("SELECT * FROM snapshots LIMIT 0").description]
        return dict(zip(columns, row))

    def snapshot_body(self, snapshot_id: int) -> bytes:
        """The exact bytes the server sent for a capture."""
        row = self.conn.execute(
            "SELECT b.compression, b.data FROM snapshots s JOIN blobs b ON b.sha256 = s.sha256 WHERE s.id = ?", (snapshot_id,)
        ).fetchone()
        if row is None:
            raise KeyError(snapshot_id)
        return _decompress(*row)

    # Documents and failures ------------------------------------------------------------

    def save_document(self, record: dict, *, snapshot_id: int, crawl_id: int | None, list_title: str | None = None) -> str:
        """Insert or update the document for ``record['url']``; returns 'new' or 'updated'."""
        now = utc_now()
        row = {
            "url": record["url"], "title": record["title"], "published_at": record["published_at"],
            "source": record["source"], "view_count": record["view_count"], "body_text": record["body_text"],
            "paragraphs": json.dumps(record["paragraphs"], ensure_ascii=False),
            "prev_url": (record.get("prev") or {}).get("url"), "next_url": (record.get("next") or {}).get("url"),
            "attachments": json.dumps(record.get("attachments") or [], ensure_ascii=False),
            "column_name": record.get("column"), "list_title": list_title, "snapshot_id": snapshot_id,
            "last_seen_crawl": crawl_id, "last_seen_at": now,
        }
        with self._transaction():
            existing = self.conn.execute("SELECT id FROM documents WHERE url = ?", (record["url"],)).fetchone()
            if existing:
                document_id, outcome = existing[0], "updated"
                self._update("documents", document_id, row)
            else:
                document_id, outcome = self._insert("documents", {**row, "first_seen_crawl": crawl_id, "first_seen_at": now}), "new"
            index_document(self.conn, document_id, row["title"], row["body_text"])
            return outcome

    def record_failure(self, *, url: str, reason: str, detail: str = "", attempts: int = 1,
                       crawl_id: int | None = None, snapshot_id: int | None = None) -> int:
        with self._transaction():
            return self._insert("failures", {
                "crawl_id": crawl_id, "url": url, "reason": reason, "detail": detail, "attempts": attempts,
                "snapshot_id": snapshot_id, "failed_at": utc_now(),
            })

    def documents(self, since: str | None = None) -> Iterable[dict]:
        """Documents, newest first; ``since`` keeps those published on or after a date."""
        where, params = ("WHERE published_at >= ?", [since]) if since else ("", [])
        yield from self.db.query(f"SELECT * FROM documents {where} ORDER BY published_at DESC, id", params)

    def record_audit(self, audit: dict) -> int:
        with self._transaction():
            return self._insert("audits", audit)

    def reindex(self) -> int:
        """Rebuild the search index from the documents; returns how many were indexed."""
        with self._transaction():
            return rebuild_index(self.conn)

    def known_urls(self) -> set[str]:
        return {row[0] for row in self.conn.execute("SELECT url FROM documents")}


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
