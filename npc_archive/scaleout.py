"""``npc-archive merge`` and ``schedule``: crawls spread over Scrapyd nodes, their archives folded into one."""

from __future__ import annotations

import sys

import click

from archive import Archive
from archive.lock import ArchiveLocked
from archive.merge import MergeError, merge_archive
from archive.schema import ArchiveTooNew

from . import exit_codes
from .crawling import prepare_archive
from .options import CommandError, archive_errors, check_archive, crawl_lock, db_option


def merge_into(db_path: str, sources: list[str], echo=click.echo) -> None:
    """Merge each source archive into the archive at ``db_path`` (created if missing), saying what each added."""
    for source in sources:
        check_archive(source)
    if prepare_archive(db_path):
        echo(f"npc-archive: creating new archive {db_path}", err=True)
    with crawl_lock(db_path), archive_errors(db_path):
        central = Archive(db_path)
        try:
            for source in sources:
                try:
                    result = merge_archive(central, source)
                except ArchiveLocked as error:
                    click.echo(f"npc-archive: {source}: {error}", err=True)
                    sys.exit(exit_codes.LOCKED)
                except (MergeError, ArchiveTooNew) as error:
                    raise CommandError(f"{source}: {error}", exit_codes.DAMAGED) from None
                added = ", ".join(f"{count} {table}" for table, count in result.added.items() if count)
                if result.documents_updated:
                    added += f"{', ' if added else ''}{result.documents_updated} documents updated"
                echo(f"Merged {source}: {added or 'nothing new (merged before)'}")
        finally:
            central.close()


@click.command()
@db_option
@click.argument("archives", nargs=-1, required=True, type=click.Path(dir_okay=False))
def merge(db_path: str, archives: tuple[str, ...]) -> None:
    """Fold ARCHIVE... (written by crawls elsewhere, e.g. on Scrapyd nodes) into the archive at --db.

    Rows are matched by what they are (a capture by URL, time and body hash; a document by its
    URL), so merging an archive again adds nothing; bodies already stored are not stored twice;
    a document held by both gets one history in time order. Each ARCHIVE is merged in one
    transaction: a merge killed midway leaves the central archive as before that ARCHIVE, and
    running it again completes it. Exit 75 if a crawl holds an archive, 65 if one cannot be merged."""
    merge_into(db_path, list(archives))
