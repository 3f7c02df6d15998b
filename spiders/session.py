"""The crawl's archive session: one archive connection, one lock and one crawl row per Scrapy
crawl, and the plan of what to fetch. The components that write find it with
``crawler.get_extension(ArchiveSession)``."""

from __future__ import annotations

import json

from scrapy import signals
from scrapy.crawler import Crawler

from archive import Archive
from archive.lock import CrawlLock
from archive.plan import crawl_plan

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


class ArchiveSession:
    """An extension: Scrapy builds it before the engine, so the archive is open, the lock taken
    and the plan made before the spider's ``start()`` runs or anything is fetched."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        start_url, mode = settings.get("START_URL"), settings.get("CRAWL_MODE")
        self.lock = None if settings.getbool("ARCHIVE_LOCK_HELD") else CrawlLock(settings.get("ARCHIVE_DB")).acquire()
        self.archive = Archive(settings.get("ARCHIVE_DB"))
        self.archive.mark_interrupted_crawls()
        # Made before this crawl's row exists: the plan looks at the earlier crawls.
        self.plan = crawl_plan(self.archive, mode, start_url)
        self.crawl_id = self.archive.start_crawl(mode, {"start_url": start_url, "mode": mode})
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchiveSession:
        return cls(crawler)

    def close(self, spider, reason: str) -> None:
        stats = {key: value for key, value in self.crawler.stats.get_stats().items() if isinstance(value, (int, float, str))}
        self.archive.finish_crawl(self.crawl_id, reason, stats, crawl_figures(stats))
        self.archive.close()
        if self.lock:
            self.lock.release()


def archive_session(crawler: Crawler) -> ArchiveSession:
    """The crawl's session; callable once the extensions are built (not from another
    extension's ``from_crawler``)."""
    session = crawler.get_extension(ArchiveSession)
    if session is None:
        raise RuntimeError("spiders.session.ArchiveSession is not in the EXTENSIONS setting")
    return session
