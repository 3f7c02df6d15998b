"""``npc-archive crawl`` and ``demo``: run the spider into an archive and summarise the run."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import click

from archive import Archive
from archive.history import archive_totals, crawled_start_urls
from archive.hosts import is_loopback
from archive.plan import MODES
from parsers.pages import classify_url, start_url_problem

from . import exit_codes
from .options import crawl_lock, db_option
from .process import run_crawl


@click.command()
@db_option
@click.option("--start-url", help="the column's first list page (default: settings START_URL)")
@click.option("--mode", type=click.Choice(MODES), default="new", show_default=True,
              help="new: only unseen articles; refresh: refetch archived ones too; full: as on a fresh archive")
@click.option("--quiet", is_flag=True, help="print nothing but errors (for cron)")
@click.option("--log-file", type=click.Path(dir_okay=False), help="write Scrapy's log here")
@click.option("--log-level", default="WARNING", show_default=True)
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="override a Scrapy setting, e.g. -s DOWNLOAD_TIMEOUT=10 (repeatable)")
def crawl(db_path: str, start_url: str | None, mode: str, quiet: bool, log_file: str | None, log_level: str,
          settings: tuple[str, ...]) -> None:
    """Crawl the column into the archive.

    Exit status: 0 success; 1 finished with failed URLs; 3 did not finish; 75 the archive is
    busy with another crawl."""
    problem = start_url_problem(start_url, classify_url(start_url) or "") if start_url else None
    if problem:  # before anything is fetched or written
        click.echo(f"npc-archive: {problem}", err=True)
        sys.exit(exit_codes.USAGE)
    overrides = {**dict(_setting(pair) for pair in settings), "CRAWL_MODE": mode, "ARCHIVE_LOCK_HELD": True}
    if log_file:
        overrides["LOG_FILE"] = log_file
    with crawl_lock(db_path):
        stats = run_crawl(db_path, start_url, "ERROR" if quiet and not log_file else log_level, **overrides)
    _finish(db_path, stats, quiet)


@click.command()
@db_option
@click.option("--markup", type=click.Choice(["table", "div"]), default="table", show_default=True)
@click.option("--keep", is_flag=True, help="add to an existing archive instead of starting a fresh one")
def demo(db_path: str, markup: str, keep: bool) -> None:
    """Serve the bundled replica, crawl it into a fresh archive and print a summary."""
    from replica.server import ReplicaServer
    from replica.site import Site

    with crawl_lock(db_path):
        if not keep:
            _delete_replica_archive(db_path)
        with ReplicaServer(Site(markup=markup)) as server:
            click.echo(f"Replica of 椒江人大网 serving at {server.base_url}/")
            started = time.monotonic()
            stats = run_crawl(db_path, server.start_url, CRAWL_MODE="full", ARCHIVE_LOCK_HELD=True)
            elapsed = time.monotonic() - started
    click.echo(f"Crawled {server.start_url} in {elapsed:.1f} s")
    _finish(db_path, stats, quiet=False)


def _setting(pair: str) -> tuple[str, str]:
    name, separator, value = pair.partition("=")
    if not separator or not name:
        raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s/--set")
    return name, value


def _finish(db_path: str, stats: dict, quiet: bool) -> None:
    """Print the run's summary and exit with its status."""
    status, problem = crawl_outcome(stats)
    if status == exit_codes.USAGE:  # a wrong start: nothing archived to sum up
        click.echo(f"npc-archive: {problem}", err=True)
        sys.exit(status)
    if not quiet:
        print_summary(db_path, stats)
    if status:
        command = "failures" if status == exit_codes.FAILED else "crawls"
        click.echo(f"npc-archive: {problem} (see: npc-archive {command} --db {db_path})", err=True)
    sys.exit(status)


def crawl_outcome(stats: dict) -> tuple[int, str]:
    """Exit status of a crawl and, when it is not 0, what went wrong."""
    failures = stats.get("npc/failures", 0)
    if stats.get("finish_reason") == "wrong_start_url":
        return exit_codes.USAGE, stats["npc/wrong_start_url"]
    if stats.get("finish_reason") != "finished":
        return exit_codes.UNFINISHED, f"the crawl did not finish ({stats.get('finish_reason')}), {failures} failed URLs"
    if not stats.get("npc/list_pages"):
        return exit_codes.UNFINISHED, f"the crawl did not finish: no list page could be read, {failures} failed URLs"
    if failures:
        return exit_codes.FAILED, f"the crawl finished with {failures} failed URLs"
    return exit_codes.OK, ""


def _delete_replica_archive(db_path: str) -> None:
    """Start the demo afresh, but never at the cost of an archive of anything but a replica."""
    if Path(db_path).exists():
        archive = Archive(db_path)
        try:
            start_urls = crawled_start_urls(archive)
        finally:
            archive.close()
        real = sorted(url for url in start_urls if not is_loopback(urlsplit(url or "").hostname))
        if real:
            raise click.UsageError(f"{db_path} holds crawls of {real[0]}: the demo would delete them. "
                                   "Give the demo another --db, or add to this archive with --keep.")
    for suffix in ("", "-wal", "-shm"):
        Path(db_path + suffix).unlink(missing_ok=True)


SHOWN_DOCUMENTS = 3


def print_summary(db_path: str, stats: dict) -> None:
    """What the archive holds after a run, what the run did, and the latest documents."""
    archive = Archive(db_path)
    try:
        totals = archive_totals(archive)
        documents = list(archive.documents())
    finally:
        archive.close()
    click.echo(f"Archive {db_path}: {totals['documents']} documents, {totals['captures']} captures "
               f"({totals['bytes_stored']:,} bytes stored)")
    click.echo(f"This run: {stats.get('npc/documents/new', 0)} new, {stats.get('npc/documents/changed', 0)} changed, "
               f"{stats.get('npc/documents/unchanged', 0)} unchanged, {stats.get('npc/documents/removed', 0)} removed, "
               f"{stats.get('downloader/request_count', 0)} requests, {stats.get('npc/failures', 0)} failures")
    for reason, count in totals["failures_by_reason"].items():
        click.echo(f"  failure {reason}: {count}")
    years: dict[str, int] = {}
    for document in documents:
        year = _published_on(document)[:4]
        years[year] = years.get(year, 0) + 1
    click.echo("By year: " + ", ".join(f"{year}: {count}" for year, count in sorted(years.items())))
    for document in documents[:SHOWN_DOCUMENTS]:
        views = "view count unknown" if document["view_count"] is None else f"{document['view_count']} views"
        click.echo(f"  {_published_on(document)}  {document['title']}  ({views})")
    if len(documents) > SHOWN_DOCUMENTS:
        click.echo(f"  ... and {len(documents) - SHOWN_DOCUMENTS} more")


def _published_on(document: dict) -> str:
    """The publish date, or a placeholder for a document whose page gives none."""
    return (document["published_at"] or "????-??-??")[:10]
