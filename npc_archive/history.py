"""``npc-archive crawls``, ``changes``, ``diff`` and ``failures``: what the crawls did and saw."""

from __future__ import annotations

import click

from archive.captures import Moment
from archive.history import (
    NothingToCompare,
    changes_since,
    crawl_failures,
    crawl_runs,
    crawl_site,
    latest_crawl_id,
    revision_diff,
)

from . import exit_codes
from .options import (
    MOMENT_FORMS,
    CommandError,
    db_option,
    existing_archive,
    format_option,
    known_site,
    print_rows,
    since_option,
    site_option,
)


@click.command()
@db_option
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="most runs to show")
@site_option
@format_option
def crawls(db_path: str, limit: int, site: str | None, fmt: str) -> None:
    """List crawl runs, newest first, with their site and figures.

    \b
    status: finished (every page archived), finished with failures (see
    `failures`), no list page read (start page unreachable or not a list),
    interrupted (Ctrl-C, SIGTERM, a kill), running."""
    with existing_archive(db_path) as archive:
        site = known_site(archive, db_path, site)
        runs = crawl_runs(archive, limit, site)
    print_rows(runs, fmt, empty=f"No crawls {f'of site {site} ' if site else ''}in {db_path} yet")


@click.command()
@db_option
@since_option(f"events observed (UTC) at or after {MOMENT_FORMS}", required=True)
@site_option
@format_option
def changes(db_path: str, since: Moment, site: str | None, fmt: str) -> None:
    """List documents new, changed, removed or restored since a date."""
    with existing_archive(db_path) as archive:
        rows = changes_since(archive, since, known_site(archive, db_path, site))
    print_rows(rows, fmt, empty=f"No changes observed since {since.day or since.instant.isoformat()}")


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
        except NothingToCompare as error:
            raise click.ClickException(str(error)) from error
        except LookupError as error:  # no such document or revision: a wrong argument, as a mistyped URL is
            raise CommandError(str(error), exit_codes.USAGE) from None


@click.command()
@db_option
@click.option("--crawl", "crawl_id", type=int, help="a crawl's id (default: the latest crawl, of --site if given)")
@site_option
@format_option
def failures(db_path: str, crawl_id: int | None, site: str | None, fmt: str) -> None:
    """List the URLs a crawl could not archive (they are retried by the next run)."""
    with existing_archive(db_path) as archive:
        site = known_site(archive, db_path, site)
        if crawl_id is not None:
            crawled = crawl_site(archive, crawl_id)
            if crawled is None:
                raise CommandError(f"no crawl {crawl_id} in {db_path} (see: npc-archive crawls)", exit_codes.USAGE)
            if site is not None and crawled != site:
                raise CommandError(f"crawl {crawl_id} crawled site {crawled}, not {site} (see: npc-archive crawls --site {site})",
                                   exit_codes.USAGE)
        shown = crawl_id if crawl_id is not None else latest_crawl_id(archive, site)
        rows = crawl_failures(archive, shown) if shown is not None else []
    if shown is None:
        empty = f"No crawls {f'of site {site} ' if site else ''}in {db_path} yet"
    else:
        empty = f"No failures in crawl {shown}" + ("" if crawl_id else f" (the latest{f' of site {site}' if site else ''})")
    print_rows(rows, fmt, empty=empty)
