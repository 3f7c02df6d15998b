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
