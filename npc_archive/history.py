"""``npc-archive crawls``, ``changes``, ``diff`` and ``failures``: what the crawls did and saw."""

from __future__ import annotations

import click

from archive.history import changes_since, crawl_failures, crawl_runs, revision_diff

from .options import MOMENT_FORMS, db_option, existing_archive, format_option, print_rows, since_option


@click.command()
@db_option
@click.option("--limit", default=20, show_default=True)
@format_option
def crawls(db_path: str, limit: int, fmt: str) -> None:
    """List crawl runs, newest first, with their figures."""
    with existing_archive(db_path) as archive:
        print_rows(crawl_runs(archive, limit), fmt)


@click.command()
@db_option
@since_option(f"events observed (UTC) at or after {MOMENT_FORMS}", required=True)
@format_option
def changes(db_path: str, since: str, fmt: str) -> None:
    """List documents new, changed, removed or restored since a date."""
    with existing_archive(db_path) as archive:
        print_rows(changes_since(archive, since), fmt)


@click.command()
@db_option
@click.argument("url")
@click.option("--from", "old", type=int, help="revision number (default: the one before --to)")
@click.option("--to", "new", type=int, help="revision number (default: the latest)")
def diff(db_path: str, url: str, old: int | None, new: int | None) -> None:
    """Show what changed between two revisions of a document."""
    with existing_archive(db_path) as archive:
        try:
            click.echo(revision_diff(archive, url, old, new))
        except LookupError as error:
            raise click.ClickException(str(error)) from error


@click.command()
@db_option
@click.option("--crawl", "crawl_id", type=int, help="a crawl's id (default: the latest crawl)")
@format_option
def failures(db_path: str, crawl_id: int | None, fmt: str) -> None:
    """List the URLs a crawl could not archive (they are retried by the next run)."""
    with existing_archive(db_path) as archive:
        print_rows(crawl_failures(archive, crawl_id), fmt)
