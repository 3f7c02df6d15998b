"""Options and helpers shared by the ``npc-archive`` commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from .store import DEFAULT_DB, Archive

db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
                         help="archive file")


@contextmanager
def existing_archive(db_path: str) -> Iterator[Archive]:
    """The archive at ``db_path`` (upgraded if older); a clear error instead of creating an empty one."""
    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}")
    archive = Archive(db_path)
    try:
        yield archive
    finally:
        archive.close()
