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
from archive.check import NotAnArchive, check_archive_file
from archive.export import EXPORTS
from archive.lock import ArchiveLocked, CrawlLock
from archive.sites import site_known
from archive.store import DEFAULT_DB

from . import exit_codes

DB_ENVIRONMENT_VARIABLE = "NPC_ARCHIVE_DB"
db_option = click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
                         envvar=DB_ENVIRONMENT_VARIABLE, show_envvar=True, help="archive file")


class CommandError(click.ClickException):
    """A one-line error with its own exit status."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


EXIT_BY_PROBLEM = {"missing": exit_codes.NO_ARCHIVE, "unreadable": exit_codes.CANNOT_READ,
                   "not_sqlite": exit_codes.DAMAGED, "damaged": exit_codes.DAMAGED,
                   "foreign": exit_codes.DAMAGED}


def check_archive(db_path: str) -> None:
    """Exit with a one-line error unless ``db_path`` is an archive; creates and changes nothing."""
    try:
        check_archive_file(db_path)
    except NotAnArchive as problem:
        hint = f" (check --db or ${DB_ENVIRONMENT_VARIABLE})" if problem.kind == "missing" else ""
        raise CommandError(f"{problem}{hint}", EXIT_BY_PROBLEM[problem.kind]) from None


@contextmanager
def archive_errors(db_path: str) -> Iterator[None]:
    """SQLite's errors on the archive as one line each: read-only, not a database, damaged."""
    try:
        yield
    except sqlite3.OperationalError as error:
        if "readonly" in str(error) or "unable to open" in str(error):
            raise CommandError(f"cannot write to {db_path}: the file or its folder is read-only ({error})",
                               exit_codes.CANNOT_WRITE) from None
        raise
    except sqlite3.DatabaseError as error:
        if error.sqlite_errorname == "SQLITE_NOTADB":
            raise CommandError(f"{db_path} is not an archive: {error}", exit_codes.DAMAGED) from None
        raise CommandError(f"{db_path} is damaged: {error} (npc-archive verify says where)", exit_codes.DAMAGED) from None
    except UnreadableBlob as error:
        raise CommandError(f"{db_path} is damaged: a stored body cannot be read: {error} (npc-archive verify says more)",
                           exit_codes.DAMAGED) from None


@contextmanager
def crawl_lock(db_path: str) -> Iterator[None]:
    """Hold the archive's crawl lock, or exit EXIT_LOCKED at once if another crawl holds it."""
    try:
        lock = CrawlLock(db_path).acquire()
    except ArchiveLocked as error:
        click.echo(f"npc-archive: {db_path}: {error}", err=True)
        sys.exit(exit_codes.LOCKED)
    except OSError as error:  # the lock file beside the archive: a read-only or missing folder
        raise CommandError(f"cannot write to {db_path}: {error.strerror} ({error.filename})", exit_codes.CANNOT_WRITE) from None
    try:
        yield
    finally:
        lock.release()


@contextmanager
def existing_archive(db_path: str) -> Iterator[Archive]:
    """The archive at ``db_path`` (upgraded if older); a clear error instead of creating an empty one."""
    check_archive(db_path)
    with archive_errors(db_path):
        archive = Archive(db_path)
        try:
            yield archive
        finally:
            archive.close()


def print_rows(rows: list[dict], fmt: str, empty: str) -> None:
    """Rows as JSON or as an aligned table; a table of no rows is the sentence ``empty``."""
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(empty)
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


def known_site(archive: Archive, db_path: str, site: str | None) -> str | None:
    """``site`` if the archive knows it (or None): an unknown name is a mistake, as a mistyped URL is,
    rather than a filter that matches nothing."""
    if site is not None and not site_known(archive, site):
        raise CommandError(f"no site named {site} in {db_path} (see: npc-archive sites list)", exit_codes.USAGE)
    return site


site_option = click.option("--site", metavar="NAME",
                           help="only what the site NAME holds (see `sites list`; 'default': crawls made without --site "
                                "and archives from before sites)")
format_option = click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
                             help="an aligned table, or JSON for programs")


class OutputPath(click.Path):
    """A file to write: its folder must exist (nothing is created on the way, exit 73); ``-`` is stdout."""

    def __init__(self, allow_dash: bool = True) -> None:
        super().__init__(dir_okay=False, allow_dash=allow_dash)

    def convert(self, value, param, ctx):
        value = super().convert(value, param, ctx)
        if value != "-":
            if not Path(value).parent.is_dir():  # refused before the archive is read
                raise CommandError(f"cannot write {value}: No such file or directory", exit_codes.CANNOT_WRITE)
        return value


OUTPUT = OutputPath()


class MomentType(click.ParamType):
    """A date (YYYY-MM-DD) or an ISO time; anything else is a usage error."""

    name = "DATE|TIME"

    def convert(self, value, param, ctx) -> Moment:
        try:
            return Moment.parse(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)


MOMENT = MomentType()


class MomentTextType(MomentType):
    """Checked as MOMENT, kept as typed (for commands that echo it back)."""

    def convert(self, value, param, ctx) -> str:
        super().convert(value, param, ctx)
        return value


MOMENT_TEXT = MomentTextType()
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
