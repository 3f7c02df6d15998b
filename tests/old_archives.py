"""Archives as releases before named migrations wrote them, for the upgrade tests: the
migrations of their time applied in their order, their count in ``PRAGMA user_version`` and
no ``_migrations`` table."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path

from archive.schema import MIGRATIONS, schema_version

MIGRATION = {migration.name: migration for migration in MIGRATIONS}


def before(name: str) -> list[str]:
    """The names of the migrations that come before ``name``."""
    names = list(MIGRATION)
    return names[:names.index(name)]


def run_migrations(conn: sqlite3.Connection, names: Sequence[str]) -> None:
    for name in names:
        MIGRATION[name].run(conn)
    conn.execute(f"PRAGMA user_version = {schema_version(conn) + len(names)}")


def old_archive(path: Path, names: Sequence[str]) -> sqlite3.Connection:
    """An old archive with the migrations ``names``, open (autocommit) for the test to fill."""
    conn = sqlite3.connect(path, isolation_level=None)
    run_migrations(conn, names)
    return conn


# The columns the last migrations add to documents, in their order (the migrations' names).
LAST_COLUMNS = {"published_at_sources": "published_at_source", "article_parts": "parts",
                "view_count_approximate": "view_count_approximate"}


def unapply_last_migrations(path: Path, names: Sequence[str]) -> None:
    """The archive at ``path`` as the release before the last migrations ``names`` left it: their
    columns gone, no migration of theirs recorded. (SQLite cannot drop a last column whose
    neighbour's comment holds a comma, so every one of LAST_COLUMNS goes, from the first, and
    those of earlier releases come back, unread.)"""
    gone = [LAST_COLUMNS[name] for name in names if name in LAST_COLUMNS]
    with sqlite3.connect(path) as conn:
        kept = [column for (_, column, *_) in conn.execute("PRAGMA table_info(documents)") if column not in gone]
        for column in LAST_COLUMNS.values():
            conn.execute(f"ALTER TABLE documents DROP COLUMN {column}")
        for column in LAST_COLUMNS.values():
            if column not in gone:
                conn.execute(f"ALTER TABLE documents ADD COLUMN {column} TEXT")
        assert [column for (_, column, *_) in conn.execute("PRAGMA table_info(documents)")] == kept
        if "view_count_approximate" in names:
            conn.execute("ALTER TABLE view_counts DROP COLUMN approximate")
        conn.executemany("DELETE FROM _migrations WHERE name = ?", [(name,) for name in names])
        conn.execute(f"PRAGMA user_version = {schema_version(conn) - len(names)}")

