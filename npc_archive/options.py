"""Options and helpers shared by the ``npc-archive`` commands: each declared once."""

from __future__ import annotations

import json
import sqlite3
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from archive import Archive
from archive.blobs import UnreadableBlob
from archive.captures import Moment
from archive.export import EXPORTS
from archive.lock import ArchiveLocked, CrawlLock
from archive.store import DEFAULT_DB

from . import exit_codes

DB_ENVIRONMENT_VARIABLE = "NPC_ARCHIVE_DB"
db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
                         envvar=DB_ENVIRONMENT_VARIABLE, show_envvar=True, help="archive file")


@contextmanager
def crawl_lock(db_path: str) -> Iterator[None]:
    """Hold the archive's crawl lock, or exit EXIT_LOCKED at once if another crawl holds it."""
    try:
        lock = CrawlLock(db_path).acquire()
    except ArchiveLocked as error:
        click.echo(f"npc-archive: {db_path}: {error}", err=True)
        sys.exit(exit_codes.LOCKED)
    try:
        yield
    finally:
        lock.release()


class DamagedArchive(click.ClickException):
    exit_code = exit_codes.DAMAGED


@contextmanager
def existing_archive(db_path: str) -> Iterator[Archive]:
    """The archive at ``db_path`` (upgraded if older); a clear error instead of creating an
    empty one, and instead of a traceback when the file is not a database or is damaged."""
    if not Path(db_path).exists():
        raise click.ClickException(f"no archive at {db_path}")
    try:
        archive = Archive(db_path)
        try:
            yield archive
        finally:
            archive.close()
    except sqlite3.DatabaseError as error:
        if error.sqlite_errorname == "SQLITE_NOTADB":
            raise DamagedArchive(f"{db_path} is not an archive: {error}") from error
        if error.sqlite_errorname == "SQLITE_CORRUPT":
            raise DamagedArchive(f"{db_path} is damaged: {error} (npc-archive verify says where)") from error
        raise
    except UnreadableBlob as error:
        raise DamagedArchive(f"{db_path} is damaged: a stored body cannot be read: {error} (npc-archive verify says more)") from error


def print_rows(rows: list[dict], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        return
    columns = list(rows[0])
    cells = [{c: _cell(row[c]) for c in columns} for row in rows]
    widths = {c: max(_width(c), *(_width(r[c]) for r in cells)) for c in columns}
    for row in [{c: c for c in columns}, *cells]:
        click.echo("  ".join(row[c] + " " * (widths[c] - _width(row[c])) for c in columns).rstrip())


def _width(text: str) -> int:
    """Columns the text takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _cell(value) -> str:
    """A value as a table shows it: nothing for NULL, NAME=VALUE pairs for a dict."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return " ".join(f"{name}={item}" for name, item in value.items())
    return str(value)


format_option = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)


class MomentType(click.ParamType):
    """A date (YYYY-MM-DD) or an ISO time; anything else is a usage error."""

    name = "DATE|TIME"

    def convert(self, value, param, ctx) -> Moment:
        try:
            return Moment.parse(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


MOMENT = MomentType()
MOMENT_FORMS = "a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM[:SS], UTC unless it has an offset such as +08:00)"


def _export_since_help() -> str:
    tables_by_meaning: dict[str, list[str]] = {}
    for name, export in EXPORTS.items():
        tables_by_meaning.setdefault(export.since.meaning, []).append(name)
    compared = "; ".join(f"{', '.join(names)}: {meaning}" for meaning, names in tables_by_meaning.items())
    return f"only rows on or after {MOMENT_FORMS}. Compared by table: {compared}. A date is a whole day on that clock."


EXPORT_SINCE_HELP = _export_since_help()


def since_option(help: str, required: bool = False):
    """``--since``: a date or a time, validated the same way by every command."""
    return click.option("--since", type=MOMENT, required=required, help=help)
