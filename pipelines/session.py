"""One archive, one lock and one crawl row per Scrapy crawl, shared by the components that write."""

from __future__ import annotations

import json

from scrapy import signals
from scrapy.crawler import Crawler

from archive import Archive
from archive.lock import CrawlLock

_ATTRIBUTE = "_npc_archive_session"
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
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.lock = None if settings.getbool("ARCHIVE_LOCK_HELD") else CrawlLock(settings.get("ARCHIVE_DB")).acquire()
        self.archive = Archive(settings.get("ARCHIVE_DB"))
        self.archive.mark_interrupted_crawls()
        self.crawl_id = self.archive.start_crawl(
            settings.get("CRAWL_MODE"),
            {"start_url": settings.get("START_URL"), "mode": settings.get("CRAWL_MODE")},
        )
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    def close(self, spider, reason: str) -> None:
        stats = {key: value for key, value in self.crawler.stats.get_stats().items() if isinstance(value, (int, float, str))}
        self.archive.finish_crawl(self.crawl_id, reason, stats, crawl_figures(stats))
        self.archive.close()
        if self.lock:
            self.lock.release()


def archive_session(crawler: Crawler) -> ArchiveSession:
    """The crawl's session, created by whichever component asks first."""
    session = getattr(crawler, _ATTRIBUTE, None)
    if session is None:
        session = ArchiveSession(crawler)
        setattr(crawler, _ATTRIBUTE, session)
    return session
