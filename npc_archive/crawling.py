"""``npc-archive crawl`` and ``demo``: run the spider into an archive and summarise the run."""

from __future__ import annotations

import os
import re
import sys
import time
from itertools import islice
from pathlib import Path
from urllib.parse import urlsplit

import click
from scrapy.settings import Settings

from archive import Archive
from archive.history import (
    FINISHED,
    FINISHED_WITH_FAILURES,
    INTERRUPTED,
    NO_LIST_PAGE,
    archive_totals,
    crawl_count,
    crawl_failures,
    crawled_start_urls,
    run_outcome,
)
from archive.hosts import is_ip_address, is_loopback
from archive.plan import MODES
from archive.store import DEFAULT_DB
from parsers.pages import classify_url, start_url_problem
from pipelines.writer import WRITER_MODES
from spiders import settings as project_settings
from spiders.column import COLUMN_KINDS
from spiders.session import unusable_url

from . import exit_codes
from .options import CommandError, OutputPath, archive_errors, check_archive, crawl_lock, db_option
from .process import crawl_settings, run_crawl

LOG_LEVELS = ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG")
START_URL_VARIABLE = "NPC_ARCHIVE_START_URL"
DEMO_DB = "data/demo.db"
# A DNS name or an IPv4 address, no port: what a request's host name is compared with.
HOST_NAME = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")


def _start_url(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """The URL given, else the one configured (settings START_URL, from $NPC_ARCHIVE_START_URL);
    refused before anything is written if it is empty or not http(s): never replaced by the default."""
    if value is None:
        value = project_settings.START_URL
        if START_URL_VARIABLE in os.environ and (problem := unusable_url(value)):
            raise click.BadParameter(f"${START_URL_VARIABLE}: {problem}", ctx, param)
    if problem := unusable_url(value):
        raise click.BadParameter(problem, ctx, param)
    return value.strip()


def _allowed_hosts(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    """Each --allow-host is a bare host name (``cdn.example.cn``), not empty, not a URL: an empty
    one would allow nothing and say nothing, a URL would never match a request's host."""
    hosts = tuple(host.strip().lower() for host in value)
    for given, host in zip(value, hosts):
        if not (HOST_NAME.fullmatch(host) or is_ip_address(host)):
            raise click.BadParameter(f"{given!r} is not a host name (give it as cdn.example.cn: no http://, port or path)",
                                     ctx, param)
    return hosts


def column_entry(kind: str, url: str) -> dict:
    """A column of the crawl's COLUMNS (``{kind, url}``); ValueError saying why not: a kind that
    spiders/column.py does not know, or a URL that is no column's list page."""
    if kind not in COLUMN_KINDS:
        raise ValueError(f"{kind!r} is not a column kind (one of {', '.join(COLUMN_KINDS)})")
    if problem := unusable_url(url, f"{kind} column's URL") or start_url_problem(url.strip(), classify_url(url.strip()) or ""):
        raise ValueError(problem)
    return {"kind": kind, "url": url.strip()}


def column_pairs(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list[dict]:
    """KIND=URL pairs, each URL usable; the kinds are those of spiders/column.py."""
    columns = []
    for value in values:
        kind, separator, url = value.partition("=")
        if not separator or kind not in COLUMN_KINDS:
            raise click.BadParameter(f"expected KIND=URL with KIND one of {', '.join(COLUMN_KINDS)}, got {value!r}", ctx, param)
        try:
            columns.append(column_entry(kind, url))
        except ValueError as error:
            raise click.BadParameter(str(error), ctx, param) from None
    return columns


def crawl_columns_option(start_url: str, explicit_start: bool, columns: list[dict]) -> list[dict]:
    """The COLUMNS of a crawl given ``--column``: those, after the ``--start-url`` given as the
    opinions column unless one of them is; none without ``--column`` (START_URL alone is crawled)."""
    if not columns:
        return []
    if explicit_start and not any(column["kind"] == "opinions" for column in columns):
        return [{"kind": "opinions", "url": start_url}, *columns]
    return columns


@click.command()
@db_option
@click.option("--start-url", callback=_start_url, metavar="URL",
              help=f"the column's first list page [default: ${START_URL_VARIABLE}, else settings START_URL]")
@click.option("--column", "columns", multiple=True, callback=column_pairs, metavar="KIND=URL",
              help=f"crawl this column of the site too: KIND is one of {', '.join(COLUMN_KINDS)}, URL its first list page "
                   "(repeatable; with --column, --start-url is crawled only if given, as the opinions column)")
@click.option("--site", "site_names", multiple=True, metavar="NAME",
              help="crawl this registered site (repeatable; `npc-archive sites add`): several run side by side in one process")
@click.option("--all", "all_sites", is_flag=True, help="crawl every registered site that is due by its cadence, side by side")
@click.option("--mode", type=click.Choice(MODES), default="new", show_default=True,
              help="new: only unseen articles; refresh: refetch archived ones too; full: as on a fresh archive")
@click.option("--allow-host", "allowed_hosts", multiple=True, metavar="HOST", callback=_allowed_hosts,
              help="fetch from this host too (a CDN for attachments, say; repeatable): only the start URL's host is, by default")
@click.option("--quiet", is_flag=True, help="print nothing but errors: no progress, no summary (for cron)")
@click.option("--log-file", type=OutputPath(allow_dash=False), help="write Scrapy's log here (its folder must exist)")
@click.option("--log-level", type=click.Choice(LOG_LEVELS, case_sensitive=False), default="WARNING", show_default=True,
              help="how much of Scrapy's log to show or write")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="override a Scrapy setting, e.g. -s DOWNLOAD_TIMEOUT=10 (repeatable)")
def crawl(db_path: str, start_url: str, columns: list[dict], site_names: tuple[str, ...], all_sites: bool, mode: str,
          allowed_hosts: tuple[str, ...], quiet: bool, log_file: str | None, log_level: str, settings: tuple[str, ...]) -> None:
    """Crawl the column into the archive.

    Progress goes to stderr: a live line on a terminal, a line a minute otherwise. Ctrl-C lets
    the requests in flight finish; a second Ctrl-C stops at once. Either way the run is recorded
    as interrupted and the next run completes its work.

    Exit status: 0 success; 1 finished with failed URLs; 3 did not finish; 4 a write to the
    archive failed (disk full, archive locked by another writer), the next run fetches again
    what it would have stored; 5 incomplete: the crawl ended without seeing the whole column
    (fewer entries than it says it holds, or a pager it could not follow); 75 the archive is
    busy with another crawl; 2 a usage error, 65/66/73/77 an archive that cannot be used. With
    --site or --all, the worst status of the sites crawled, and the summary says which site."""
    context = click.get_current_context()
    if site_names or all_sites:
        given = [name for name in ("start_url", "columns") if context.get_parameter_source(name) != click.core.ParameterSource.DEFAULT]
        if given or (site_names and all_sites):
            raise click.UsageError("--site and --all crawl registered sites: give one of them, without --start-url or --column")
        from .many import crawl_sites
        overrides = {**_overrides(settings), "CRAWL_MODE": mode, "ARCHIVE_LOCK_HELD": True}
        if allowed_hosts:
            overrides["ALLOWED_HOSTS"] = list(allowed_hosts)
        if log_file:
            overrides["LOG_FILE"] = log_file
        crawl_sites(db_path, site_names, overrides, quiet, "ERROR" if quiet and not log_file else log_level.upper())
        return
    explicit_start = (click.get_current_context().get_parameter_source("start_url") != click.core.ParameterSource.DEFAULT
                      or START_URL_VARIABLE in os.environ)
    columns = crawl_columns_option(start_url, explicit_start, columns)
    problem = None if columns else start_url_problem(start_url, classify_url(start_url) or "")
    if problem:  # before anything is fetched or written
        click.echo(f"npc-archive: {problem}", err=True)
        sys.exit(exit_codes.USAGE)
    overrides = {**_overrides(settings), "CRAWL_MODE": mode, "ARCHIVE_LOCK_HELD": True, "PROGRESS": progress_mode(quiet)}
    if columns:
        overrides["COLUMNS"] = columns
        start_url = columns[0]["url"]
    if allowed_hosts:
        overrides["ALLOWED_HOSTS"] = list(allowed_hosts)
    if log_file:
        overrides["LOG_FILE"] = log_file
    new = prepare_archive(db_path)
    with crawl_lock(db_path):
        if new and not quiet:
            click.echo(f"npc-archive: creating new archive {db_path}", err=True)
        stats = run_crawl(db_path, start_url, "ERROR" if quiet and not log_file else log_level.upper(), **overrides)
    _finish(db_path, stats, quiet)


@click.command()
@click.option("--db", "db_path", default=DEMO_DB, show_default=True, type=click.Path(dir_okay=False),
              help="the demo's own archive (not $NPC_ARCHIVE_DB: the demo never writes into your archive)")
@click.option("--markup", type=click.Choice(["table", "div"]), default="table", show_default=True,
              help="which of the replica's two markups to serve")
@click.option("--keep", is_flag=True, help="add to the existing demo archive instead of starting a fresh one")
@click.option("--force", is_flag=True, help="start afresh even if the archive holds history (more than one crawl)")
def demo(db_path: str, markup: str, keep: bool, force: bool) -> None:
    """Serve the bundled replica, crawl it into a fresh archive and print a summary."""
    from replica.server import ReplicaServer
    from replica.site import Site

    if not prepare_archive(db_path) and not keep:
        _refuse_to_delete_history(db_path, force)
    with crawl_lock(db_path):
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                Path(db_path + suffix).unlink(missing_ok=True)
        with ReplicaServer(Site(markup=markup)) as server:
            click.echo(f"Replica of 椒江人大网 serving at {server.base_url}/")
            started = time.monotonic()
            # The opinions, the government's reports on them and the news of their hearings.
            columns = [{"kind": "opinions", "url": server.start_url},
                       {"kind": "reports", "url": server.base_url + server.site.column_path("监督工作")},
                       {"kind": "news", "url": server.base_url + server.site.column_path("工作动态")}]
            stats = run_crawl(db_path, server.start_url, CRAWL_MODE="full", ARCHIVE_LOCK_HELD=True, PROGRESS=progress_mode(False),
                              COLUMNS=columns)
            elapsed = time.monotonic() - started
    click.echo(f"Crawled {server.start_url} in {elapsed:.1f} s")
    _finish(db_path, stats, quiet=False)


def progress_mode(quiet: bool) -> str:
    """The progress display for this run's stderr (spiders/progress.py)."""
    if quiet:
        return ""
    return "live" if sys.stderr.isatty() else "lines"


def prepare_archive(db_path: str) -> bool:
    """Before a crawl takes the lock: an existing archive must be one, and writable. Exits with a
    one-line error otherwise, having written nothing. Returns whether the archive is new."""
    path = Path(db_path)
    if not path.exists():
        return True
    check_archive(db_path)
    try:
        open(path, "r+b").close()  # as SQLite will open it; os.access() says yes to root even for an immutable file
    except OSError as error:
        raise CommandError(f"cannot write to {db_path}: {error.strerror}", exit_codes.CANNOT_WRITE) from None
    with archive_errors(db_path):  # the folder must take SQLite's -wal and -shm files
        Archive(db_path).close()
    return False


def _overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    """-s NAME=VALUE pairs, each value checked against the type of the setting's default."""
    overrides = {}
    for pair in pairs:
        name, separator, value = pair.partition("=")
        if not separator or not name:
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s/--set")
        _check_setting(name, value)
        overrides[name] = value
    return overrides


# Settings of ours that take one of a few words.
SETTING_CHOICES = {"ARCHIVE_WRITER": WRITER_MODES}


def _check_setting(name: str, value: str) -> None:
    if name in SETTING_CHOICES and value not in SETTING_CHOICES[name]:
        raise click.BadParameter(f"{name}={value!r}: expected one of {', '.join(SETTING_CHOICES[name])}", param_hint="-s/--set")
    default = crawl_settings(DEFAULT_DB).get(name)
    if isinstance(default, bool):
        getter, expected = "getbool", "True or False"
    elif isinstance(default, (int, float)):
        getter, expected = "getfloat", "a number"
    elif isinstance(default, dict):
        getter, expected = "getdict", "a JSON object"
    else:
        return  # a string, a list (Scrapy splits it at commas) or a setting of our own
    try:
        getattr(Settings({name: value}), getter)(name)
    except (ValueError, TypeError):
        raise click.BadParameter(f"{name}={value!r}: expected {expected}", param_hint="-s/--set") from None


def _finish(db_path: str, stats: dict, quiet: bool) -> None:
    """Print the run's summary and exit with its status."""
    crawl_id = stats.get("npc/crawl_id")
    archive = Archive(db_path)
    try:
        status, problem = crawl_outcome(stats, crawl_failures(archive, crawl_id) if crawl_id else [])
    finally:
        archive.close()
    if status == exit_codes.USAGE:  # a wrong start: nothing archived to sum up
        click.echo(f"npc-archive: {problem}", err=True)
        sys.exit(status)
    if not quiet:
        print_summary(db_path, stats)
    if status:
        command = "failures" if status in (exit_codes.FAILED, exit_codes.WRITE_FAILED) else "crawls"
        click.echo(f"npc-archive: {problem} (see: npc-archive {command} --db {db_path})", err=True)
    sys.exit(status)


def crawl_outcome(stats: dict, failures: list[dict] = ()) -> tuple[int, str]:
    """Exit status of a crawl and, when it is not 0, what went wrong, in one line (``failures``:
    the run's rows in the failures table, for why no list page could be read)."""
    count = stats.get("npc/failures", 0)
    if stats.get("finish_reason") == "wrong_start_url":
        return exit_codes.USAGE, stats["npc/wrong_start_url"]
    if stats.get("npc/write_failures"):
        count = stats["npc/write_failures"]
        return exit_codes.WRITE_FAILED, (f"{count} write{'s' if count > 1 else ''} to the archive failed "
                                         f"({stats.get('npc/write_error')}); the next run fetches what they would have stored")
    outcome = run_outcome(stats.get("finish_reason"), count, stats.get("npc/list_pages"))
    if outcome in (FINISHED, FINISHED_WITH_FAILURES) and stats.get("npc/incomplete"):
        return exit_codes.INCOMPLETE, f"the crawl is incomplete: {stats['npc/incomplete']}; {count} failed URLs"
    if outcome == FINISHED:
        return exit_codes.OK, ""
    if outcome == FINISHED_WITH_FAILURES:
        return exit_codes.FAILED, f"the crawl finished with {count} failed URLs"
    if outcome == NO_LIST_PAGE:
        first = next((row for row in failures if row["page_kind"] == "list"), None)
        why = f" ({first['reason']}: {first['url']}: {first['detail']})" if first else ""
        return exit_codes.UNFINISHED, f"the crawl did not finish: no list page could be read{why}"
    if outcome == INTERRUPTED:
        return exit_codes.UNFINISHED, (f"the crawl was interrupted after {stats.get('downloader/request_count', 0)} requests; "
                                       "the next run completes its work")
    return exit_codes.UNFINISHED, f"the crawl did not finish ({outcome}), {count} failed URLs"


def _refuse_to_delete_history(db_path: str, force: bool) -> None:
    """The demo starts afresh, but never at the cost of an archive of anything but a replica, nor
    of a replica archive's history (more than the one crawl a demo makes) unless forced."""
    archive = Archive(db_path)
    try:
        start_urls = crawled_start_urls(archive)
        runs = crawl_count(archive)
    finally:
        archive.close()
    real = sorted(url for url in start_urls if not is_loopback(urlsplit(url or "").hostname))
    if real:
        raise click.UsageError(f"{db_path} holds crawls of {real[0]}: the demo would delete them. "
                               "Give the demo another --db.")
    if runs > 1 and not force:
        raise click.UsageError(f"{db_path} holds {runs} crawls (their change history): the demo would delete them. "
                               "Start afresh with --force, add to it with --keep, or give another --db.")


SHOWN_DOCUMENTS = 3
UNKNOWN_DATE = "????-??-??"  # how the summary shows a document whose page gives no publish time


def print_summary(db_path: str, stats: dict) -> None:
    """What the archive holds after a run, what the run did, and the latest documents."""
    archive = Archive(db_path)
    try:
        totals = archive_totals(archive)
        # Only the latest few rows: the summary of a cron run must not read the whole archive.
        latest = list(islice(archive.documents(), SHOWN_DOCUMENTS))
    finally:
        archive.close()
    click.echo(f"Archive {db_path}: {totals['documents']} documents, {totals['captures']} captures "
               f"({totals['bytes_stored']:,} bytes stored)")
    click.echo(f"This run: {stats.get('npc/documents/new', 0)} new, {stats.get('npc/documents/changed', 0)} changed, "
               f"{stats.get('npc/documents/unchanged', 0)} unchanged, {stats.get('npc/documents/removed', 0)} removed, "
               f"{stats.get('downloader/request_count', 0)} requests, {stats.get('npc/failures', 0)} failures")
    if stats.get("npc/documents/reread"):
        click.echo(f"  {stats['npc/documents/reread']} documents archived by an older parser were read again from their "
                   "captures first: their revisions carry no crawl and no change event (`npc-archive reparse` does all at once)")
    if stats.get("npc/column_parts"):
        click.echo(f"  {stats['npc/column_parts']} parts of a column walked: the lists of the years or terms its list links")
    if stats.get("npc/documents/published_as_file"):
        click.echo(f"  {stats['npc/documents/published_as_file']} documents published as a file alone: archived from their list "
                   "rows, the file their capture")
    if stats.get("npc/counters_forbidden"):
        click.echo(f"  {stats['npc/counters_forbidden']} view counts not read: the site's robots.txt forbids its counter script")
    for reason, count in totals["failures_by_reason"].items():
        click.echo(f"  failure {reason}: {count}")
    years = {year or UNKNOWN_DATE[:4]: count for year, count in totals["documents_by_year"].items()}
    if years:
        click.echo("By year: " + ", ".join(f"{year}: {count}" for year, count in sorted(years.items())))
    for document in latest:
        views = "view count unknown" if document["view_count"] is None else \
            f"{'about ' if document['view_count_approximate'] else ''}{document['view_count']} views"  # 1.2万: about 12000
        click.echo(f"  {_published_on(document)}  {document['title']}  ({views})")
    if totals["documents"] > SHOWN_DOCUMENTS:
        click.echo(f"  ... and {totals['documents'] - SHOWN_DOCUMENTS} more")


def _published_on(document: dict) -> str:
    """The publish date, or a placeholder for a document whose page gives none."""
    return (document["published_at"] or UNKNOWN_DATE)[:10]
