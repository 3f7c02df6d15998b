"""The crawl's archive session: one archive connection, one lock and one crawl row per Scrapy
crawl, and the plan of what to fetch. The components that write find it with
``crawler.get_extension(ArchiveSession)``."""

from __future__ import annotations

import json
import logging
import sqlite3
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider

from archive import Archive
from archive.history import INCOMPLETE
from archive.lock import ArchiveLocked, CrawlLock
from archive.plan import crawl_plan
from archive.sites import DEFAULT_SITE
from spiders.column import Column, crawl_columns
from spiders.followups import relink
from spiders.items import error_text
from spiders.reading import ArticleReader, read_here

logger = logging.getLogger(__name__)

STATUS_PREFIX = "downloader/response_status_count/"


def crawl_figures(stats: dict) -> dict:
    """The run's figures, as the ``crawls`` table keeps them."""
    return {
        "requests": stats.get("downloader/request_count", 0),
        "responses_by_status": json.dumps(
            {key.removeprefix(STATUS_PREFIX): value for key, value in sorted(stats.items()) if key.startswith(STATUS_PREFIX)}
        ),
        **{f"documents_{outcome}": stats.get(f"npc/documents/{outcome}", 0)
           for outcome in ("new", "changed", "unchanged", "removed", "restored")},
        "failures": stats.get("npc/failures", 0),
        "bytes_fetched": stats.get("npc/bytes_fetched", 0),
        "bytes_stored": stats.get("npc/bytes_stored", 0),
    }


def unusable_url(url: str | None, name: str = "start URL") -> str | None:
    """Why ``url`` cannot be fetched (a crawl's start, a home page to discover from), or None: it
    must be an http(s) address with a host."""
    if not url or not url.strip():
        return f"the {name} is empty (an unset variable?)"
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"not an http(s) address: {url!r} (e.g. 'http://www.example.gov.cn/list.asp?ClassID=5')"
    return None


# Why a crawl stopped before fetching anything; `npc-archive crawl` refuses these before Scrapy starts.
ARCHIVE_LOCKED = "archive_locked"
BAD_START_URL = "bad_start_url"
BAD_SETTING = "bad_setting"
# Who writes the crawl's captures and items (ARCHIVE_WRITER, pipelines/writer.py): a writer
# process beside the crawl, or the crawl's own thread.
WRITER_MODES = ("process", "inline")
# A crawl in which the archive refused a write (or could not even start it): never 'finished'.
WRITE_FAILED = "write_failed"
# A run stopped by Ctrl-C or SIGTERM ends with Scrapy's reason "shutdown"; the archive calls it
# interrupted, as it does a run that was killed.
INTERRUPTED = "interrupted"


class ArchiveSession:
    """An extension: Scrapy builds it before the engine, so the archive is open, the lock taken
    and the plan made before the spider's ``start()`` runs or anything is fetched. If the crawl
    cannot start (the archive is locked, the start URL is not one, ARCHIVE_WRITER is neither
    writer), ``refused`` says why and the spider is closed with that reason before it fetches
    anything."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.archive = self.lock = self.plan = self.crawl_id = None
        self.site = DEFAULT_SITE
        self.refused = None
        self.columns: list[Column] = []
        # How the spider reads an article page: here, unless the writer process reads it (pipelines/writer.py).
        self.read_article: ArticleReader = read_here
        mode = settings.get("CRAWL_MODE")
        if (writer := settings.get("ARCHIVE_WRITER") or "inline") not in WRITER_MODES:
            # Refused here, before the pipelines are built: their writer would fail with a traceback.
            self._refuse(BAD_SETTING, f"ARCHIVE_WRITER: {writer!r} is neither {' nor '.join(map(repr, WRITER_MODES))}")
            return
        if problem := self._read_columns(settings):
            self._refuse(BAD_START_URL, problem)
            return
        try:
            self.lock = None if settings.getbool("ARCHIVE_LOCK_HELD") else CrawlLock(settings.get("ARCHIVE_DB")).acquire()
        except ArchiveLocked as error:
            self._refuse(ARCHIVE_LOCKED, f"{settings.get('ARCHIVE_DB')}: {error}")
            return
        try:
            self.archive = Archive(settings.get("ARCHIVE_DB"), busy_timeout=settings.getfloat("ARCHIVE_BUSY_TIMEOUT"))
            self._open(mode, bool(settings.get("COLUMNS")))
        except sqlite3.Error as error:  # locked past the busy timeout, or its disk full
            self._count_write_failure(error_text(error))
            self._release()
            # A warning: `npc-archive crawl` says it in its one closing line.
            self._refuse(WRITE_FAILED, f"the archive refused a write: {error_text(error)}", logging.WARNING)
            return
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    def _read_columns(self, settings) -> str | None:
        """The crawl's columns (COLUMNS, else START_URL as the one opinions column), or why they cannot be crawled."""
        try:
            self.columns = crawl_columns(settings.get("COLUMNS"), settings.get("START_URL"), settings.get("COLUMN_NAME"))
        except (ValueError, AttributeError) as error:
            return f"COLUMNS: {error}"
        for column in self.columns:
            name = "start URL" if len(self.columns) == 1 else f"{column.kind} column's URL"
            if problem := unusable_url(column.url, name):
                return problem
        return None

    def _open(self, mode: str, configured_columns: bool) -> None:
        start_url = self.columns[0].url
        site = self.site = self.crawler.settings.get("SITE") or DEFAULT_SITE  # settings without the project's (a test's) have none
        self.archive.mark_interrupted_crawls(site)
        # Made before this crawl's row exists: the plan looks at the earlier crawls.
        self.plan = crawl_plan(self.archive, mode, start_url, [(column.kind, column.url) for column in self.columns], site)
        arguments = {"start_url": start_url, "mode": mode}
        if configured_columns:
            arguments["columns"] = [column.as_dict() for column in self.columns]
        self.crawl_id = self.archive.start_crawl(mode, arguments, site)
        self.crawler.stats.set_value("npc/crawl_id", self.crawl_id)

    def _refuse(self, reason: str, problem: str, level: int = logging.ERROR) -> None:
        logger.log(level, "The crawl cannot start: %s", problem)
        self.refused = reason
        self.crawler.signals.connect(self._close_refused, signal=signals.spider_opened)

    def _close_refused(self, spider) -> None:
        raise CloseSpider(self.refused)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveSession:
        return cls(crawler)

    def write_failed(self, error: str, what: str) -> None:
        """Count a write the archive refused (``error``: its error_text); the run then exits
        WRITE_FAILED. What the write would have stored stays unknown to the archive, so the next
        run fetches it again."""
        self._count_write_failure(error)
        # A warning: the failure is recorded if it can be, and the run's closing line says it.
        logger.warning("Could not write %s to the archive: %s", what, error)

    def _count_write_failure(self, error: str) -> None:
        stats = self.crawler.stats
        stats.inc_value("npc/write_failures")
        if stats.get_value("npc/write_error") is None:
            stats.set_value("npc/write_error", error)

    def close(self, spider=None, reason: str = INTERRUPTED) -> None:
        """Record the run's end; called by spider_closed, or by `npc-archive crawl` after a second
        Ctrl-C stopped Scrapy before it could close the spider."""
        if self.archive is None:
            return
        stats = {key: value for key, value in self.crawler.stats.get_stats().items() if isinstance(value, (int, float, str))}
        # Not 'finished' after a lost write: the next `new` run then walks every list page
        # (crawl_plan). If this write fails too, the row stays 'running', later 'interrupted'.
        status = WRITE_FAILED if stats.get("npc/write_failures") else INTERRUPTED if reason == "shutdown" else reason
        if status == "finished" and stats.get("npc/incomplete"):
            status = INCOMPLETE  # ran to its end without seeing the whole column
        try:
            if status in ("finished", INCOMPLETE):
                relink(self.archive, self.crawl_id, self.site)  # the follow-ups of what this crawl archived
            self.archive.finish_crawl(self.crawl_id, status, stats, crawl_figures(stats))
        except Exception as error:  # noqa: BLE001 (any lost write is counted, never dropped)
            self.write_failed(error_text(error), "the crawl's figures")
        finally:
            self._release()

    def _release(self) -> None:
        if self.archive is not None:
            self.archive.close()
            self.archive = None
        if self.lock:
            self.lock.release()
            self.lock = None


def archive_session(crawler: Crawler) -> ArchiveSession:
    """The crawl's session; callable once the extensions are built (not from another
    extension's ``from_crawler``)."""
    session = crawler.get_extension(ArchiveSession)
    if session is None:
        raise RuntimeError("spiders.session.ArchiveSession is not in the EXTENSIONS setting")
    return session
