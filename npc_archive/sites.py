"""``sites add``, ``sites list``, ``sites remove``: the registry of the sites an archive crawls
(``crawl --site NAME`` or ``crawl --all``), kept in the archive."""

from __future__ import annotations

from datetime import datetime, timezone

import click

from archive import Archive
from archive.sites import (
    DEFAULT_CONCURRENCY,
    DEFAULT_DELAY,
    Site,
    SiteError,
    add_site,
    cadence_hours,
    list_sites,
    remove_site,
)

from . import exit_codes
from .crawling import column_pairs, prepare_archive
from .discover import NotDiscovered, discover_site, home_url_argument
from .options import CommandError, archive_errors, db_option, existing_archive, format_option, print_rows


def _cadence(ctx: click.Context, param: click.Parameter, value: str) -> float:
    try:
        return cadence_hours(value)
    except ValueError:
        raise click.BadParameter(f"expected daily, weekly or a number of hours above 0, got {value!r}", ctx, param) from None


@click.group()
def sites() -> None:
    """The sites this archive crawls: each with its columns, politeness and cadence."""


@sites.command("add")
@db_option
@click.argument("name")
@click.argument("home_url", callback=home_url_argument)
@click.option("--column", "columns", multiple=True, callback=column_pairs, metavar="KIND=URL",
              help="a column to crawl, KIND=URL (repeatable); without it, the columns are discovered from HOME_URL")
@click.option("--delay", type=click.FloatRange(min=0), default=DEFAULT_DELAY, show_default=True,
              help="seconds between two requests to the site")
@click.option("--concurrency", type=click.IntRange(min=1), default=DEFAULT_CONCURRENCY, show_default=True,
              help="requests to the site at once")
@click.option("--cadence", callback=_cadence, default="daily", show_default=True, metavar="daily|weekly|HOURS",
              help="how often `crawl --all` crawls the site")
def add(db_path: str, name: str, home_url: str, columns: list[dict], delay: float, concurrency: int, cadence: float) -> None:
    """Register the site NAME at HOME_URL (its columns found on the home page, one request, unless --column gives them)."""
    family = None
    if not columns:
        try:
            columns, family = discover_site(home_url)
        except NotDiscovered as error:
            raise CommandError(f"{error} (give the columns with --column KIND=URL)", exit_codes.FAILED) from None
    prepare_archive(db_path)  # a file there must be a writable archive; none: the first site starts one
    with archive_errors(db_path):
        archive = Archive(db_path)
        try:
            site = add_site(archive, Site(name=name, home_url=home_url, columns=columns, family=family, delay=delay,
                                          concurrency=concurrency, cadence_hours=cadence))
        except SiteError as error:
            raise CommandError(str(error), exit_codes.USAGE) from None
        finally:
            archive.close()
    click.echo(f"Site {site.name}: {site.home_url} (CMS family: {site.family or 'not recognised'})")
    for column in site.columns:
        click.echo(f"  {column['kind']}: {column['url']}")
    click.echo(f"Crawl it: npc-archive crawl --db {db_path} --site {site.name}")


@sites.command("list")
@db_option
@format_option
def list_command(db_path: str, fmt: str) -> None:
    """The registered sites: columns, politeness, cadence, last crawl and whether each is due."""
    now = datetime.now(timezone.utc)
    with existing_archive(db_path) as archive:
        found = list_sites(archive)
    rows = []
    for site in found:
        last = site.last_crawl or {}
        rows.append({"name": site.name, "home_url": site.home_url, "family": site.family,
                     # A table names the columns' kinds; JSON gives their URLs too.
                     "columns": " ".join(column["kind"] for column in site.columns) if fmt == "table" else site.columns,
                     "delay": site.delay, "concurrency": site.concurrency, "cadence_hours": site.cadence_hours,
                     "last_crawl": last.get("started_at"), "last_status": last.get("status"),
                     "due": ("yes" if site.due(now) else "no") if fmt == "table" else site.due(now)})
    print_rows(rows, fmt, "No sites registered (npc-archive sites add NAME HOME_URL).")


@sites.command("remove")
@db_option
@click.argument("name")
def remove(db_path: str, name: str) -> None:
    """Forget the site NAME: `crawl --all` no longer crawls it. What it archived stays in the archive."""
    with existing_archive(db_path) as archive:
        try:
            remove_site(archive, name)
        except SiteError as error:
            raise CommandError(str(error), exit_codes.USAGE) from None
    click.echo(f"Removed site {name} from the registry; its archived documents, captures and crawls stay "
               f"(npc-archive export --site {name}).")
