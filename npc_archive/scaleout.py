"""``npc-archive merge`` and ``schedule``: crawls spread over Scrapyd nodes, their archives folded into one."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from archive import Archive
from archive.lock import ArchiveLocked
from archive.merge import MergeError, in_time_order, merge_archive
from archive.plan import MODES
from archive.schema import ArchiveTooNew
from archive.sites import due_sites
from spiders.followups import relink
from spiders.session import unusable_url

from . import exit_codes
from .crawling import START_URL_VARIABLE, _overrides, _start_url, prepare_archive
from .many import site_settings
from .options import CommandError, archive_errors, check_archive, crawl_lock, db_option, existing_archive
from .scrapyd import PROJECT, NodeError, Site, run_jobs


def merge_into(db_path: str, sources: list[str], echo=click.echo) -> None:
    """Merge each source archive into the archive at ``db_path`` (created if missing), saying what each added."""
    for source in sources:
        check_archive(source)
    if prepare_archive(db_path):
        echo(f"npc-archive: creating new archive {db_path}", err=True)
    with crawl_lock(db_path), archive_errors(db_path):
        central = Archive(db_path)
        try:
            for source in in_time_order(sources):
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
            relink(central)  # the follow-ups of the merged documents, with every analyst's decision
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
    transaction, oldest first (by its first crawl): a merge killed midway leaves the central archive
    as before that ARCHIVE, and running it again completes it. Exit 75 if a crawl holds an archive, 65 if one cannot be merged."""
    merge_into(db_path, list(archives))


def _due_jobs(db_path: str, overrides: dict[str, str]) -> list[Site]:
    """A job for each due site of the registry: its first column as the start URL, its columns and
    politeness as settings (as text: Scrapyd passes settings as NAME=VALUE), then ``overrides``."""
    with existing_archive(db_path) as archive:
        due = due_sites(archive, datetime.now(timezone.utc))
    return [Site(site.columns[0]["url"], {**{name: json.dumps(value) if isinstance(value, list) else str(value)
                                            for name, value in site_settings(site).items()}, **overrides})
            for site in due]


@click.command()
@click.option("--scrapyd", "nodes", multiple=True, required=True, metavar="URL",
              help="a Scrapyd node, e.g. http://10.0.0.5:6800/ (repeatable): each job goes to the least busy")
@click.option("--start-url", "start_urls", multiple=True, metavar="URL",
              help=f"a column to crawl, one job each (repeatable) [default: ${START_URL_VARIABLE}, else settings START_URL]")
@click.option("--due", "due_only", is_flag=True,
              help="one job per registered site that is due (`sites list`, in --db), with its columns and politeness")
@click.option("--mode", type=click.Choice(MODES), default="new", show_default=True, help="the crawl mode of every job")
@click.option("--archives", "archives_dir", default="data/nodes", show_default=True, type=click.Path(file_okay=False),
              help="folder of the jobs' archives, one per job: the nodes write there, so it must be theirs too (shared storage)")
@click.option("--project", default=PROJECT, show_default=True, help="the Scrapyd project the egg was deployed as")
@click.option("-s", "--set", "settings", multiple=True, metavar="NAME=VALUE",
              help="a Scrapy setting for every job, e.g. -s DOWNLOAD_DELAY=5 (repeatable)")
@click.option("--merge", "merge_after", is_flag=True, help="merge the jobs' archives into --db once they have finished")
@db_option
@click.option("--poll", type=click.FloatRange(min=0.1), default=5.0, show_default=True, help="seconds between looks at the jobs")
@click.option("--timeout", type=click.FloatRange(min=1), default=24 * 3600, show_default=True,
              help="seconds to wait for the jobs before giving up on them")
def schedule(nodes: tuple[str, ...], start_urls: tuple[str, ...], due_only: bool, mode: str, archives_dir: str, project: str,
             settings: tuple[str, ...], merge_after: bool, db_path: str, poll: float, timeout: float) -> None:
    """Crawl on Scrapyd nodes: one job per start URL (or per due site of the registry, --due), each on the node with the fewest jobs pending
    and running, writing an archive of its own in --archives; wait for them, judge each from the
    Scrapy stats of its log, and with --merge fold their archives into --db.

    Deploy the project first (`scrapyd-deploy`, docs/guide.md). Exit status: the worst of the
    jobs' (as `crawl`: 1 failed URLs, 3 did not finish, 4 a write failed, 5 incomplete); 68 a node
    cannot be reached or refused a job."""
    if due_only:
        if start_urls:
            raise click.UsageError("give --due or --start-url, not both")
        sites = _due_jobs(db_path, _overrides(settings))
        if not sites:
            click.echo("No registered site is due.", err=True)
            return
    else:
        urls = list(start_urls) or [_start_url(click.get_current_context(), None, None)]
        for url in urls:
            if problem := unusable_url(url):
                raise click.BadParameter(problem, param_hint="--start-url")
        sites = [Site(url.strip(), _overrides(settings)) for url in urls]
    Path(archives_dir).mkdir(parents=True, exist_ok=True)
    try:
        jobs = run_jobs(list(nodes), sites, Path(archives_dir), mode=mode, project=project, poll_interval=poll, timeout=timeout,
                        say=click.echo)
    except NodeError as error:
        raise CommandError(str(error), exit_codes.NODE_UNREACHABLE) from None
    for job in jobs:
        stats = job.stats
        figures = (f"{stats.get('npc/documents/new', 0)} new, {stats.get('npc/documents/changed', 0)} changed, "
                   f"{stats.get('downloader/request_count', 0)} requests, {stats.get('npc/failures', 0)} failures")
        verdict = "finished" if not job.status else job.problem
        click.echo(f"Job {job.id} ({job.site.start_url}): {verdict}; {figures}", err=bool(job.status))
    if merge_after:
        # Here as the folder was given (the nodes were given its absolute path).
        merge_into(db_path, [str(Path(archives_dir) / job.archive.name) for job in jobs if job.archive.exists()])
    sys.exit(max((job.status or 0 for job in jobs), default=0))
