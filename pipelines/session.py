"""One archive and one crawl row per Scrapy crawl, shared by the components that write."""

from __future__ import annotations

from scrapy import signals
from scrapy.crawler import Crawler

from archive import Archive

_ATTRIBUTE = "_npc_archive_session"


class ArchiveSession:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.archive = Archive(settings.get("ARCHIVE_DB"))
        self.crawl_id = self.archive.start_crawl(
            settings.get("CRAWL_MODE", "full"),
            {"start_url": settings.get("START_URL"), **dict(settings.getdict("CRAWL_ARGUMENTS"))},
        )
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    def close(self, spider, reason: str) -> None:
        stats = {key: value for key, value in self.crawler.stats.get_stats().items() if isinstance(value, (int, float, str))}
        status = "finished" if reason == "finished" else reason
        self.archive.finish_crawl(self.crawl_id, status, stats)
        self.archive.close()


def archive_session(crawler: Crawler) -> ArchiveSession:
    """The crawl's session, created by whichever component asks first."""
    session = getattr(crawler, _ATTRIBUTE, None)
    if session is None:
        session = ArchiveSession(crawler)
        setattr(crawler, _ATTRIBUTE, session)
    return session
