"""``crawl --site NAME …`` and ``crawl --all``: the registered sites crawled side by side in one
Scrapy process, each under its own politeness, with one ``crawls`` row each and a summary
across them. The process exits with the worst of the sites' statuses."""

from __future__ import annotations

import sys
from datetime import datetime, timezone

import click

from archive import Archive
from archive.history import NO_LIST_PAGE, archive_totals, crawl_failures, run_outcome
from archive.sites import Site, SiteError, due_sites, get_site

from . import exit_codes
from .crawling import crawl_outcome, prepare_archive, progress_mode
from .options import CommandError, crawl_lock
from .process import run_crawls

# Of two sites' statuses, the one the process exits with: the first of these.
WORST_FIRST = (exit_codes.WRITE_FAILED, exit_codes.USAGE, exit_codes.UNFINISHED, exit_codes.INCOMPLETE, exit_codes.FAILED,
               exit_codes.OK)
FIGURES = (("new", "npc/documents/new"), ("changed", "npc/documents/changed"), ("unchanged", "npc/documents/unchanged"),
           ("removed", "npc/documents/removed"), ("requests", "downloader/request_count"), ("failures", "npc/failures"))


def site_settings(site: Site) -> dict:
    """The Scrapy settings of one site's crawler: its name, columns and politeness. Loopback
    hosts keep skipping the delay (DOWNLOAD_SLOTS, spiders/middlewares.py: LoopbackFastLane)."""
    return {"SITE": site.name, "COLUMNS": site.columns, "DOWNLOAD_DELAY": site.delay, "AUTOTHROTTLE_START_DELAY": site.delay,
            "CONCURRENT_REQUESTS_PER_DOMAIN": site.concurrency}


def crawl_sites(db_path: str, names: tuple[str, ...], overrides: dict, quiet: bool, log_level: str) -> None:
    """Crawl the sites ``names`` (none: every due site), print the summary and exit with the worst status."""
    if prepare_archive(db_path):
        raise CommandError(f"no archive at {db_path}: register sites first (npc-archive sites add --db {db_path} ...)",
                           exit_codes.NO_ARCHIVE)
    with crawl_lock(db_path):
        archive = Archive(db_path)
        try:
            sites = [get_site(archive, name) for name in dict.fromkeys(names)] if names else \
                due_sites(archive, datetime.now(timezone.utc))
        except SiteError as error:
            raise CommandError(str(error), exit_codes.USAGE) from None
        finally:
            archive.close()
        if not sites:
            if not quiet:
                click.echo("npc-archive: no site is due (see: npc-archive sites list)", err=True)
            return
        # One progress line across the sites (npc_archive/process.py), as a crawl of one site shows its own.
        stats = run_crawls(db_path, [site_settings(site) for site in sites], log_level, **overrides,
                           PROGRESS=progress_mode(quiet))
    outcomes = _outcomes(db_path, sites, stats)
    if not quiet:
        print_sites_summary(db_path, sites, stats, outcomes)
    for site, run, (status, problem) in zip(sites, stats, outcomes):
        if status:
            command = "failures" if status in (exit_codes.FAILED, exit_codes.WRITE_FAILED) else "crawls"
            # A column that no longer answers as a list: the site may have moved or been redesigned.
            moved = status == exit_codes.USAGE or run_outcome(run.get("finish_reason"), 0, run.get("npc/list_pages")) == NO_LIST_PAGE
            click.echo(f"npc-archive: site {site.name}: {problem} (see: npc-archive {command} --db {db_path} --site {site.name}"
                       + (f"; if the site has moved or been redesigned: npc-archive sites set {site.name} --discover" if moved else "")
                       + ")", err=True)
    sys.exit(worst([status for status, _ in outcomes]))


def worst(statuses: list[int]) -> int:
    return min(statuses, key=WORST_FIRST.index, default=exit_codes.OK)


def _outcomes(db_path: str, sites: list[Site], stats: list[dict]) -> list[tuple[int, str]]:
    archive = Archive(db_path)
    try:
        return [crawl_outcome(run, crawl_failures(archive, run["npc/crawl_id"]) if run.get("npc/crawl_id") else [])
                for run in stats]
    finally:
        archive.close()


def print_sites_summary(db_path: str, sites: list[Site], stats: list[dict], outcomes: list[tuple[int, str]]) -> None:
    """What the archive holds, a line for each site crawled and its outcome, and the sum of them."""
    archive = Archive(db_path)
    try:
        totals = archive_totals(archive)
    finally:
        archive.close()
    click.echo(f"Archive {db_path}: {totals['documents']} documents, {totals['captures']} captures "
               f"({totals['bytes_stored']:,} bytes stored)")
    width = max(len(site.name) for site in sites)
    for site, run, (status, _) in zip(sites, stats, outcomes):
        outcome = "ok" if status == exit_codes.OK else f"exit {status}"
        click.echo(f"  {site.name:<{width}}  {_figures(run)}  ({outcome})")
    total = {key: sum(run.get(key, 0) for run in stats) for _, key in FIGURES}
    click.echo(f"All {len(sites)} sites: {_figures(total)}; exit {worst([status for status, _ in outcomes])}")


def _figures(stats: dict) -> str:
    return ", ".join(f"{stats.get(key, 0)} {name}" for name, key in FIGURES)
