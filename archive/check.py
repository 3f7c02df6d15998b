"""Is this file an archive? Asked before SQLite opens it, since opening a file that is not one
creates or changes it (a new empty database, an -shm file, our tables in someone else's
SQLite file)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
# The tables every archive has had since its first schema.
ARCHIVE_TABLES = frozenset({"documents", "crawls"})


class NotAnArchive(Exception):
    """The file is missing, unreadable, not SQLite, damaged or someone else's database.
    ``kind`` is one of "missing", "unreadable", "not_sqlite", "damaged", "foreign"."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def check_archive_file(path: str | os.PathLike[str]) -> None:
    """Raise NotAnArchive unless ``path`` holds an archive; reads the file, writes nothing."""
    path = Path(path)
    if not path.exists():
        raise NotAnArchive("missing", f"no archive at {path}")
    if path.is_dir():
        raise NotAnArchive("not_sqlite", f"{path} is a folder, not an archive file")
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
    except PermissionError:
        raise NotAnArchive("unreadable", f"cannot read {path}: permission denied") from None
    # A new archive may live in its write-ahead log until the first checkpoint.
    in_wal = Path(f"{path}-wal").exists()
    if not header and in_wal:
        return
    if not header:
        raise NotAnArchive("not_sqlite", f"{path} is an empty file, not an archive")
    if not header.startswith(SQLITE_HEADER):
        raise NotAnArchive("not_sqlite", f"{path} is not an archive (not an SQLite file)")
    # With a write-ahead log, pages the header counts may still be in the log only (a checkpoint
    # that a full disk stopped): SQLite reads them from there.
    if len(header) < 100 or (not in_wal and path.stat().st_size < _size_in_header(header)):
        raise NotAnArchive("damaged", f"{path} is damaged: shorter than its header says (truncated?)")
    user_version = int.from_bytes(header[60:64], "big")
    if user_version or in_wal:
        return  # an archive's schema version, or a database being written: not ours to judge further
    tables = _tables(path)
    if tables and not ARCHIVE_TABLES <= tables:
        raise NotAnArchive("foreign", f"{path} is an SQLite file but not an archive (it has no documents and crawls tables)")


def _size_in_header(header: bytes) -> int:
    """Bytes the database had at its last checkpoint, as its header records them."""
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    # The page count is valid only if the change counter matches "version-valid-for".
    valid = header[24:28] == header[92:96]
    return page_size * pages if valid else 0


def _tables(path: Path) -> set[str]:
    """The file's table names, read without writing anything (immutable: no -shm file made)."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            return {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise NotAnArchive("damaged", f"{path} is damaged: {error}") from None
