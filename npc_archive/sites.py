"""``sites add``, ``sites list``, ``sites remove``: the registry of the sites an archive crawls
(``crawl --site NAME`` or ``crawl --all``), kept in the archive."""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timezone

import click

from archive import Archive
from archive.sites import (
    CHANGEABLE,
    DEFAULT_CONCURRENCY,
    DEFAULT_DELAY,
    Site,
    SiteError,
    add_site,
    cadence_hours,
    change_site,
    get_site,
    list_sites,
    remove_site,
)

from . import exit_codes
from .crawling import column_pairs, prepare_archive
from .discover import Discoveries, NotDiscovered, discover_site, home_url_argument
from .options import CommandError, archive_errors, db_option, existing_archive, print_rows
from .site_file import WRITTEN_FIELDS, SiteFileError, read_site_file, site_rows

# Home pages a `sites import` asks at once: each of another host, so each host sees one request.
DISCOVERY_JOBS = 4


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


@sites.command("import")
@db_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, allow_dash=True))
@click.option("--jobs", type=click.IntRange(min=1), default=DISCOVERY_JOBS, show_default=True,
              help="home pages asked at once to discover columns (never two of one host)")
@click.option("--update", is_flag=True,
              help="give the sites registered already the file's home page, politeness and cadence, and its columns where it "
                   "gives them (an empty cell: the default)")
def import_command(db_path: str, file: str, jobs: int, update: bool) -> None:
    """Register every site FILE (- for stdin) lists: CSV with a header row (name, home_url, and optionally
    opinions, reports, news, delay, concurrency, cadence), or the JSON that `sites list --format
    json` writes. A site without columns has them discovered on its home page (one request);
    a site already registered is left as it is, unless --update. Each site is registered once it
    is read, so an import stopped midway goes on where it stopped when run again. Exit 1 if a
    site's columns could not be discovered (it is named, and the others are registered)."""
    try:
        listed = read_site_file(file)
    except SiteFileError as error:
        raise CommandError(f"{file}: {error}", exit_codes.USAGE) from None
    prepare_archive(db_path)
    with archive_errors(db_path):
        archive = Archive(db_path)
        try:
            registered = {site.name: site for site in list_sites(archive)}
            new = [site for site in listed if site.name not in registered]
            changed = [_updated(archive, registered[site.name], site) for site in listed if site.name in registered] if update else []
            added, undiscovered = _register(archive, new, jobs)
        finally:
            archive.close()
    discovered = sum(1 for site in new if not site.columns) - len(undiscovered)
    updated = sum(1 for changes in changed if changes)
    click.echo(f"Imported {file} into {db_path}: {added} {'site' if added == 1 else 'sites'} registered ({discovered} with "
               f"their columns discovered), {len(listed) - len(new)} registered already"
               + (f" ({updated} updated)" if update else "") + f", {len(undiscovered)} not discovered")
    for name, problem in undiscovered:
        click.echo(f"npc-archive: site {name} not registered: {problem} (give its columns in the file, or: npc-archive "
                   f"sites add {name} HOME_URL --column KIND=URL)", err=True)
    if added:
        click.echo(f"Crawl them: npc-archive crawl --db {db_path} --all")
    if undiscovered:
        raise SystemExit(exit_codes.FAILED)


def _updated(archive: Archive, registered: Site, listed: Site) -> list[str]:
    """Give the registered site the listed one's settings (its columns only where the file gives
    them); its changes, each printed."""
    changes = {"home_url": listed.home_url, "delay": listed.delay, "concurrency": listed.concurrency,
               "cadence_hours": listed.cadence_hours}
    if listed.columns:
        changes.update(columns=listed.columns, family=listed.family)
    fields = [field for field, value in changes.items() if getattr(registered, field) != value]
    after = change_site(archive, registered.name, **{field: changes[field] for field in fields}) if fields else registered
    changed = _changes(registered, after)
    for change in changed:
        click.echo(f"{registered.name}: {change}")
    return changed


def _register(archive: Archive, new: list[Site], jobs: int) -> tuple[int, list[tuple[str, str]]]:
    """Register ``new``: those with columns first, then the others as their home pages give their
    columns (``jobs`` at once), with progress on stderr. (How many were registered, the (name,
    problem) of those whose columns were not found.)"""
    to_discover: dict[str, list[Site]] = {}
    for site in new:
        if not site.columns:
            to_discover.setdefault(site.home_url, []).append(site)
    discoveries = Discoveries(list(to_discover), jobs)
    added, undiscovered, done, started = 0, [], 0, time.monotonic()
    doing = "registering the sites the file gives the columns of"
    try:
        for site in new:
            if site.columns:
                _add(archive, site)
                added += 1
        doing = "discovering columns"
        for found in discoveries:
            done += 1
            elapsed = time.monotonic() - started
            for site in to_discover[found.home_url]:
                if found.problem is not None:
                    undiscovered.append((site.name, found.problem))
                    click.echo(f"[{done}/{discoveries.count}] {site.name}: not discovered", err=True)
                    continue
                doing = f"registering {site.name}"
                _add(archive, replace(site, columns=found.columns, family=found.family))
                added += 1
                click.echo(f"[{done}/{discoveries.count}] {site.name}: {' '.join(column['kind'] for column in found.columns or [])} "
                           f"(CMS family: {found.family or 'not recognised'}); {elapsed:.0f} s, about "
                           f"{elapsed / done * (discoveries.count - done):.0f} s left", err=True)
            doing = "discovering columns"
    except KeyboardInterrupt:
        asking = [f"{site.name} at {url}" for url in discoveries.asking.values() for site in to_discover[url]]
        if doing == "discovering columns" and asking:
            doing = f"discovering the columns of {', '.join(asking)}"
        raise CommandError(f"interrupted while {doing}: {added} of {len(new)} sites registered; run the same import "
                           f"again to register the rest", exit_codes.UNFINISHED) from None
    return added, undiscovered


def _add(archive: Archive, site: Site) -> None:
    try:
        add_site(archive, site)
    except SiteError as error:  # registered meanwhile by another command
        raise CommandError(str(error), exit_codes.USAGE) from None


def _if_given(callback: Callable[[click.Context, click.Parameter, str], object]) -> Callable:
    """An option's callback that checks a value given and leaves an option not given None."""
    return lambda ctx, param, value: None if value is None else callback(ctx, param, value)


@sites.command("set")
@db_option
@click.argument("name")
@click.option("--home-url", callback=_if_given(home_url_argument), help="the site's new home page")
@click.option("--column", "columns", multiple=True, callback=column_pairs, metavar="KIND=URL",
              help="the columns to crawl from now on, KIND=URL (repeatable; they replace the site's columns)")
@click.option("--discover", "rediscover", is_flag=True,
              help="find the columns on the home page again (one request), as after the site has moved or been redesigned")
@click.option("--delay", type=click.FloatRange(min=0), help="seconds between two requests to the site")
@click.option("--concurrency", type=click.IntRange(min=1), help="requests to the site at once")
@click.option("--cadence", callback=_if_given(_cadence), metavar="daily|weekly|HOURS", help="how often `crawl --all` crawls the site")
def set_command(db_path: str, name: str, home_url: str | None, columns: list[dict], rediscover: bool, delay: float | None,
                concurrency: int | None, cadence: float | None) -> None:
    """Change the registered site NAME: what is given changes, the rest stays. What the site
    archived stays too, and its next crawl uses the new settings."""
    if columns and rediscover:
        raise click.UsageError("give --column or --discover, not both")
    changes: dict = {field: value for field, value in (("home_url", home_url), ("delay", delay), ("concurrency", concurrency),
                                                       ("cadence_hours", cadence)) if value is not None}
    if columns:
        changes.update(columns=columns, family=None)  # columns given by hand, as `sites add --column` gives them
    if not changes and not rediscover:
        raise click.UsageError("nothing to change: give --home-url, --column, --discover, --delay, --concurrency or --cadence")
    with existing_archive(db_path) as archive:
        try:
            before = get_site(archive, name)
            if rediscover:
                try:
                    changes["columns"], changes["family"] = discover_site(changes.get("home_url", before.home_url))
                except NotDiscovered as error:
                    raise CommandError(f"{error} (the site is left as it was; give its columns with --column KIND=URL)",
                                       exit_codes.FAILED) from None
            after = change_site(archive, name, **changes)
        except SiteError as error:
            raise CommandError(str(error), exit_codes.USAGE) from None
    click.echo(f"Site {after.name}: {after.home_url} (CMS family: {after.family or 'not recognised'})")
    for column in after.columns:
        click.echo(f"  {column['kind']}: {column['url']}")
    changed = _changes(before, after)
    for change in changed:
        click.echo(f"  {change}")
    if not changed:
        click.echo("  nothing changed: the site had these settings already")


def _changes(before: Site, after: Site) -> list[str]:
    """Each field of CHANGEABLE that differs, as ``field: old -> new``."""
    return [f"{field}: {_shown(getattr(before, field))} -> {_shown(getattr(after, field))}"
            for field in CHANGEABLE if getattr(before, field) != getattr(after, field)]


def _shown(value: object) -> str:
    """A field's value as `sites set` reports its change: columns by their kinds and URLs."""
    if isinstance(value, list):
        return " ".join(f"{column['kind']}={column['url']}" for column in value) or "none"
    return "none" if value is None else str(value)


@sites.command("list")
@db_option
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="an aligned table, JSON for programs, or CSV for a spreadsheet (the sites alone, as `sites import` reads them)")
def list_command(db_path: str, fmt: str) -> None:
    """The registered sites: columns, politeness, cadence, last crawl and whether each is due."""
    now = datetime.now(timezone.utc)
    with existing_archive(db_path) as archive:
        found = list_sites(archive)
    if fmt == "csv":
        try:
            written = site_rows(found)
        except SiteFileError as error:
            raise CommandError(str(error), exit_codes.FAILED) from None
        stream = io.StringIO(newline="")
        writer = csv.DictWriter(stream, fieldnames=WRITTEN_FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(written)
        click.echo(stream.getvalue(), nl=False)
        return
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
