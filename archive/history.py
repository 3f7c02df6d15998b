"""Queries over the archive's history: crawl runs, changes since a date, revision diffs."""

from __future__ import annotations

import json

from .captures import Moment
from .revisions import diff_revisions
from .store import Archive

# A run's outcome, as `npc-archive crawl` reports it and `crawls` shows it.
FINISHED = "finished"  # every page fetched and archived
FINISHED_WITH_FAILURES = "finished with failures"  # ran to its end, but URLs failed (see `failures`)
NO_LIST_PAGE = "no list page read"  # ran to its end without reading the column: start page unreachable or no list
INTERRUPTED = "interrupted"  # stopped before its end: Ctrl-C, SIGTERM, a kill or a reboot
# ran to its end without seeing the whole column: fewer entries than it says it holds, or a
# pager it could not follow (the run's stats name the page, as npc/incomplete)
INCOMPLETE = "incomplete"
RUNNING = "running"  # in progress (or killed, until the next crawl opens the archive)
# Runs stopped by Ctrl-C were recorded as Scrapy's "shutdown" before they were called interrupted.
STOPPED_STATUSES = ("interrupted", "shutdown")


class NothingToCompare(LookupError):
    """A diff of a revision with itself (the document has only one): no diff, rather than a wrong argument."""


def run_outcome(status: str | None, failures: int | None, list_pages: int | None) -> str:
    """What a run came to, from its recorded status (Scrapy's finish reason) and figures."""
    if status == "finished":
        if not list_pages:
            return NO_LIST_PAGE
        return FINISHED_WITH_FAILURES if failures else FINISHED
    if status in STOPPED_STATUSES:
        return INTERRUPTED
    return status or RUNNING  # another reason Scrapy stopped for, e.g. closespider_timeout


def crawl_runs(archive: Archive, limit: int = 20, site: str | None = None) -> list[dict]:
    """The latest crawl runs (of the site named ``site`` only, if given), newest first, each with
    its site and its outcome as ``status``; responses_by_status and arguments as dicts."""
    of_site, site_params = ("WHERE site = ?", [site]) if site is not None else ("", [])
    runs = list(archive.db.query(
        "SELECT id, site, started_at, finished_at, mode, status, requests, responses_by_status, documents_new AS new, "
        "documents_changed AS changed, documents_unchanged AS unchanged, documents_removed AS removed, "
        "documents_restored AS restored, failures, bytes_fetched, bytes_stored, arguments, "
        "json_extract(stats, '$.\"npc/list_pages\"') AS list_pages "
        f"FROM crawls {of_site} ORDER BY id DESC LIMIT ?", [*site_params, limit]))
    for run in runs:
        run["status"] = run_outcome(run["status"], run["failures"], run.pop("list_pages"))
        for column in ("responses_by_status", "arguments"):
            run[column] = json.loads(run[column]) if run[column] else {}  # NULL while a crawl runs
    return runs


def crawl_site(archive: Archive, crawl_id: int) -> str | None:
    """The site a crawl crawled; None if there is no such crawl."""
    row = archive.conn.execute("SELECT site FROM crawls WHERE id = ?", (crawl_id,)).fetchone()
    return row[0] if row else None


def crawl_count(archive: Archive) -> int:
    return archive.conn.execute("SELECT count(*) FROM crawls").fetchone()[0]


def latest_crawl_id(archive: Archive, site: str | None = None) -> int | None:
    """The latest crawl (of the site named ``site``, if given); None if there is none."""
    if site is None:
        return archive.conn.execute("SELECT max(id) FROM crawls").fetchone()[0]
    return archive.conn.execute("SELECT max(id) FROM crawls WHERE site = ?", (site,)).fetchone()[0]


def crawl_failures(archive: Archive, crawl_id: int | None = None) -> list[dict]:
    """What a crawl (default: the latest) could not archive."""
    return list(archive.db.query(
        "SELECT url, page_kind, reason, attempts, failed_at, detail FROM failures "
        "WHERE crawl_id = coalesce(?, (SELECT max(id) FROM crawls)) ORDER BY id", [crawl_id]))


def changes_since(archive: Archive, since: Moment | str, site: str | None = None) -> list[dict]:
    """Documents new, changed, removed or restored at or after ``since`` (a UTC date, or a
    time), and listed articles found gone before they were archived (``listed_gone``); of the
    site named ``site`` only, if given."""
    bound = Moment.parse(since).utc()
    of_site, site_params = ("AND {}site = ?", [site]) if site is not None else ("", [])
    return list(archive.db.query(
        "SELECT observed_at, kind, revision, url, title, crawl_id FROM ("
        "SELECT e.observed_at, e.kind, e.revision, d.url, d.title, e.crawl_id, e.id AS position FROM events e "
        f"JOIN documents d ON d.id = e.document_id WHERE e.observed_at >= ? {of_site.format('d.')} "
        # A listed article gone before it was archived: a change of the site, once.
        "UNION ALL SELECT first_seen_at, 'listed_gone', NULL, url, list_title, crawl_id, NULL FROM listed_gone "
        f"WHERE first_seen_at >= ? {of_site.format('')} AND url NOT IN (SELECT url FROM documents)) ORDER BY observed_at, position",
        [bound, *site_params, bound, *site_params]))


def revision_diff(archive: Archive, url: str, old: int | None = None, new: int | None = None) -> str:
    """Unified diff between two revisions of a document (default: the last two)."""
    row = archive.conn.execute("SELECT id, revision FROM documents WHERE url = ?", (url,)).fetchone()
    if row is None:
        raise LookupError(f"no archived document at {url}")
    document_id, latest = row
    new = new or latest
    old = old or max(1, new - 1)
    if old == new:
        raise NothingToCompare(f"only one revision of {url}: nothing to compare" if latest == 1
                               else f"revision {new} of {url} compared with itself: nothing to compare")
    revisions = {
        number: (json.loads(record), observed_at)
        for number, record, observed_at in archive.conn.execute(
            "SELECT number, record, observed_at FROM revisions WHERE document_id = ? AND number IN (?, ?)", (document_id, old, new))
    }
    for number in (old, new):
        if number not in revisions:
            raise LookupError(f"{url} has no revision {number} (it has 1 to {latest})")
    return diff_revisions(revisions[old][0], revisions[new][0],
                          f"revision {old} ({revisions[old][1]})", f"revision {new} ({revisions[new][1]})")


def crawled_start_urls(archive: Archive) -> set[str]:
    """The start URLs the archive's crawls were given."""
    return {json.loads(arguments).get("start_url") for (arguments,) in archive.conn.execute("SELECT arguments FROM crawls")}


def archive_totals(archive: Archive) -> dict:
    """What the archive holds: documents, captures, bytes stored, the latest crawl's failures by
    reason, and documents by year of publication (None: no publish time)."""
    documents, captures, stored = archive.conn.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM captures), "
        "(SELECT coalesce(sum(stored_size), 0) FROM blobs)").fetchone()
    failures = dict(archive.conn.execute(
        "SELECT reason, count(*) FROM failures WHERE crawl_id = (SELECT max(id) FROM crawls) "
        "AND NOT (page_kind = 'counter' AND reason = 'robots_forbidden') GROUP BY reason ORDER BY reason"))
    by_year = dict(archive.conn.execute("SELECT substr(published_at, 1, 4), count(*) FROM documents GROUP BY 1"))
    return {"documents": documents, "captures": captures, "bytes_stored": stored, "failures_by_reason": failures,
            "documents_by_year": by_year}
