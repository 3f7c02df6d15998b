"""Options and helpers shared by the ``npc-archive`` commands."""

from __future__ import annotations

import json
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


def print_rows(rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        return
    columns = list(rows[0])
    widths = {c: max(len(str(c)), *(len(str(r[c] if r[c] is not None else "")) for r in rows)) for c in columns}
    click.echo("  ".join(str(c).ljust(widths[c]) for c in columns))
    for row in rows:
        click.echo("  ".join(str(row[c] if row[c] is not None else "").ljust(widths[c]) for c in columns))


format_option = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
