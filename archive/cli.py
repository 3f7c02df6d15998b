"""``npc-archive``: crawl, inspect and export the archive."""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import click

from . import analyst_cli, archivist_cli
from .cli_options import (EXPORT_SINCE_HELP, MOMENT, MOMENT_FORMS, crawl_lock, db_option, existing_archive, format_option,
                          print_rows)
from .evaluate import evaluate
from .export import EXPORTS, write_export
from .failures_cli import failures
from .history import changes_since, crawl_runs, revision_diff
from .outline import outline as outline_lines
from .plan import MODES
from .hosts import is_loopback
from .store import DEFAULT_DB, Archive

# Exit codes of `crawl`, for cron: 0 all fetched and archived; 1 the crawl finished but some
# URLs failed (see `failures`); 3 the crawl did not finish; 75 another crawl holds the archive.
EXIT_FAILURES = 1
EXIT_UNFINISHED = 3


@click.group()
@click.version_option(package_name="npc-archive")
def main() -> None:
    """Archive the 审议意见 column of 椒江人大网 into SQLite."""


@main.command()
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
    from spiders.run import run_crawl

    overrides = {**dict(_setting(pair) for pair in settings), "CRAWL_MODE": mode, "ARCHIVE_LOCK_HELD": True}
    if log_file:
        overrides["LOG_FILE"] = log_file
    with crawl_lock(db_path):
        stats = run_crawl(db_path, start_url, "ERROR" if quiet and not log_file else log_level, **overrides)
    _finish(db_path, stats, quiet)


def _finish(db_path: str, stats: dict, quiet: bool) -> None:
    """Print the run's summary and exit with its status."""
    status, problem = _outcome(stats)
    if not quiet:
        _print_summary(db_path, stats)
    if status:
        command = "failures" if status == EXIT_FAILURES else "crawls"
        click.echo(f"npc-archive: {problem} (see: npc-archive {command} --db {db_path})", err=True)
    sys.exit(status)


def _setting(pair: str) -> tuple[str, str]:
    name, separator, value = pair.partition("=")
    if not separator or not name:
        raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="-s/--set")
    return name, value


def _outcome(stats: dict) -> tuple[int, str]:
    """Exit status of a crawl and, when it is not 0, what went wrong."""
    failures = stats.get("npc/failures", 0)
    if stats.get("finish_reason") != "finished":
        return EXIT_UNFINISHED, f"the crawl did not finish ({stats.get('finish_reason')}), {failures} failed URLs"
    if not stats.get("npc/list_pages"):
        return EXIT_UNFINISHED, f"the crawl did not finish: no list page could be read, {failures} failed URLs"
    if failures:
        return EXIT_FAILURES, f"the crawl finished with {failures} failed URLs"
    return 0, ""


@main.command()
@click.option("--db", "db_path", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False))
@click.option("--markup", type=click.Choice(["table", "div"]), default="table", show_default=True)
@click.option("--keep", is_flag=True, help="add to an existing archive instead of starting a fresh one")
def demo(db_path: str, markup: str, keep: bool) -> None:
    """Serve the bundled replica, crawl it into a fresh archive and print a summary."""
    from replica.server import ReplicaServer
    from replica.site import Site
    from spiders.run import run_crawl

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


def _delete_replica_archive(db_path: str) -> None:
    """Start the demo afresh, but never at the cost of an archive of anything but a replica."""
    if Path(db_path).exists():
        archive = Archive(db_path)
        try:
            sites = {json.loads(arguments).get("start_url") for (arguments,) in archive.conn.execute("SELECT arguments FROM crawls")}
        finally:
            archive.close()
        real = sorted(url for url in sites if not _on_loopback(url))
        if real:
            raise click.UsageError(f"{db_path} holds crawls of {real[0]}: the demo would delete them. "
                                   "Give the demo another --db, or add to this archive with --keep.")
    for suffix in ("", "-wal", "-shm"):
        Path(db_path + suffix).unlink(missing_ok=True)


def _on_loopback(url: str | None) -> bool:
    return is_loopback(urlsplit(url or "").hostname)


def _print_summary(db_path: str, stats: dict) -> None:
    archive = Archive(db_path)
    try:
        documents = list(archive.documents())
        conn = archive.conn
        snapshots, blob_bytes = conn.execute("SELECT count(*), (SELECT coalesce(sum(stored_size), 0) FROM blobs) FROM snapshots").fetchone()
        failures = conn.execute("SELECT reason, count(*) FROM failures WHERE crawl_id = (SELECT max(id) FROM crawls) GROUP BY reason").fetchall()
    finally:
        archive.close()
    click.echo(f"Archive {db_path}: {len(documents)} documents, {snapshots} snapshots ({blob_bytes:,} bytes stored)")
    click.echo(f"This run: {stats.get('npc/documents/new', 0)} new, {stats.get('npc/documents/changed', 0)} changed, "
               f"{stats.get('npc/documents/unchanged', 0)} unchanged, {stats.get('npc/documents/removed', 0)} removed, "
               f"{stats.get('downloader/request_count', 0)} requests, {stats.get('npc/failures', 0)} failures")
    for reason, count in failures:
        click.echo(f"  failure {reason}: {count}")
    years: dict[str, int] = {}
    for document in documents:
        years[(document["published_at"] or "????")[:4]] = years.get((document["published_at"] or "????")[:4], 0) + 1
    click.echo("By year: " + ", ".join(f"{year}: {count}" for year, count in sorted(years.items())))
    for document in documents[:3]:
        click.echo(f"  {document['published_at'][:10]}  {document['title']}  ({document['view_count']} views)")
    if len(documents) > 3:
        click.echo(f"  ... and {len(documents) - 3} more")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--url", required=True, help="the URL the page was fetched from (resolves its links)")
@click.option("--content-type", help="the Content-Type header it came with, if known")
@click.option("--outline", is_flag=True, help="print the sections, items and facts as a short outline instead of JSON")
def parse(file: str, url: str, content_type: str | None, outline: bool) -> None:
    """Parse one saved article page and print its record as JSON."""
    from parsers import ParseError, parse_article

    try:
        article = parse_article(Path(file).read_bytes(), url, content_type)
    except ParseError as error:
        raise click.ClickException(f"not an article: {error}") from error
    if outline:
        click.echo("\n".join(outline_lines(article.to_dict())))
    else:
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))


@main.command()
@db_option
@click.option("--table", type=click.Choice(sorted(EXPORTS)), default="documents", show_default=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), help="[default: jsonl, or csv with --excel]")
@click.option("--excel", is_flag=True, help="CSV with a byte-order mark, so that Excel reads it as UTF-8")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="write here instead of stdout")
@click.option("--since", type=MOMENT, help=EXPORT_SINCE_HELP)
def export(db_path: str, table: str, fmt: str | None, excel: bool, output: str | None, since: str | None) -> None:
    """Export a table as JSON Lines or CSV (UTF-8)."""
    if excel and fmt == "jsonl":
        raise click.UsageError("--excel writes CSV; leave out --format jsonl")
    fmt = "csv" if excel else fmt or "jsonl"
    with existing_archive(db_path) as archive:
        if output:
            with open(output, "w", encoding="utf-8-sig" if excel else "utf-8", newline="") as stream:
                count = write_export(archive, stream, fmt, since, table)
            click.echo(f"Wrote {count} {table} to {output}", err=True)
        else:
            # UTF-8 whatever the locale, and no newline translation (CSV rows end in CRLF already).
            stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
            try:
                stream.write("\ufeff" if excel else "")
                write_export(archive, stream, fmt, since, table)
            finally:
                stream.flush()
                stream.detach()


@main.command()
@db_option
@click.option("--limit", default=20, show_default=True)
@format_option
def crawls(db_path: str, limit: int, fmt: str) -> None:
    """List crawl runs, newest first, with their figures."""
    with existing_archive(db_path) as archive:
        print_rows(crawl_runs(archive, limit), fmt)


@main.command()
@db_option
@click.option("--since", required=True, type=MOMENT, help=f"events observed (UTC) at or after {MOMENT_FORMS}")
@format_option
def changes(db_path: str, since: str, fmt: str) -> None:
    """List documents new, changed, removed or restored since a date."""
    with existing_archive(db_path) as archive:
        print_rows(changes_since(archive, since), fmt)


@main.command()
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


main.add_command(analyst_cli.search_command)
main.add_command(analyst_cli.reindex)
main.add_command(analyst_cli.datasette_metadata_command)
main.add_command(archivist_cli.verify_command)
main.add_command(archivist_cli.warc)
main.add_command(archivist_cli.serve)
main.add_command(archivist_cli.reparse)
main.add_command(archivist_cli.snapshot)
main.add_command(evaluate)
main.add_command(failures)
