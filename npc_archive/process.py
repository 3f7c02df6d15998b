"""Run the opinions spider in this process, as the ``npc-archive crawl`` command does."""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.ossignal import signal_names

from pipelines.writer import finish_writes
from spiders import settings as project_settings
from spiders.opinions import OpinionsSpider
from spiders.progress import CrawlProgress
from spiders.session import INTERRUPTED, ArchiveSession


def crawl_settings(db: str, start_url: str | None = None, log_level: str = "WARNING", **overrides: object) -> Settings:
    settings = Settings()
    settings.setmodule(project_settings, priority="project")
    settings.set("ARCHIVE_DB", db, priority="cmdline")
    if start_url is not None:
        settings.set("START_URL", start_url, priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


T = TypeVar("T")

# A crawl allocates many short-lived objects (requests, responses, parse trees): collecting
# the young generation less often cut the collector's share of a crawl from 10% to 1%.
GC_THRESHOLD = (50_000, 50, 100)

# Loggers that report each failed URL, which the archive records in `failures` and the summary counts.
URL_FAILURE_LOGGERS = ("scrapy.downloadermiddlewares.retry", "scrapy.downloadermiddlewares.robotstxt")


def _without_traceback(record: logging.LogRecord) -> bool:
    """Scrapy's log on a terminal at the default level: an error's line, not its traceback
    (--log-file keeps everything)."""
    record.exc_info = record.exc_text = record.stack_info = None
    return True


def _quiet_terminal_log() -> None:
    # A failed URL is a row in `failures` and counts in the summary: no need for Scrapy's report of it.
    for name in URL_FAILURE_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    root = logging.getLogger()
    for handler in root.handlers:
        handler.addFilter(_without_traceback)
    # Scrapy leaves the root logger at DEBUG and filters in its handlers, so each response and item
    # made a debug record (Crawled…, Scraped from…) that no handler kept.
    root.setLevel(min((handler.level for handler in root.handlers), default=logging.WARNING))


class _CrawlProcess(CrawlerProcess):
    """Says what Ctrl-C (or SIGTERM) does: the first lets the requests in flight finish, the second
    stops at once; either way the run is recorded as interrupted."""

    crawler: Crawler
    progress: CrawlProgress | None = None  # the line across several crawlers, if run_crawls made one
    killed = False  # a second Ctrl-C: stop now

    def _log_shutdown(self, signum: int) -> None:
        progress = self.progress or self.extension(CrawlProgress)
        if progress:
            in_flight = progress.stop_requested()
        else:  # every site's requests, not the first crawler's only
            active = sum(len(crawler.engine.downloader.active) for crawler in self.crawlers if crawler.engine)
            in_flight = f"{active} requests in flight"
        self._say(f"npc-archive: {signal_names.get(signum, signum)}: finishing the {in_flight}; Ctrl-C again to stop now")

    def _log_kill(self, signum: int) -> None:
        self.killed = True
        self._say("npc-archive: stopping now; the run is recorded as interrupted and the next run completes its work")

    def extension(self, cls: type[T]) -> T | None:
        try:
            return self.crawler.get_extension(cls)
        except RuntimeError:  # the extensions are not built yet
            return None

    def _say(self, message: str) -> None:
        progress = self.progress or self.extension(CrawlProgress)
        if progress:
            progress.say(message)
        else:
            print(message, file=sys.stderr, flush=True)


def run_crawl(db: str, start_url: str | None = None, log_level: str = "WARNING", **overrides: object) -> dict:
    """Crawl into ``db``; returns the crawl's Scrapy stats."""
    return run_crawls(db, [{"START_URL": start_url} if start_url is not None else {}], log_level, **overrides)[0]


def run_crawls(db: str, crawls: Sequence[Mapping[str, object]], log_level: str = "WARNING", **overrides: object) -> list[dict]:
    """Crawl into ``db`` side by side in this one process: one Scrapy crawler for each of
    ``crawls`` (its own settings over ``overrides``: a site's SITE, COLUMNS and politeness), each
    with its own downloader, so its own download slots, delay, concurrency and robots.txt, and
    its own archive session and ``crawls`` row. Returns each crawl's Scrapy stats, in order."""
    gc.set_threshold(*GC_THRESHOLD)
    # Several crawlers share one progress line (spiders/progress.py) instead of drawing one each.
    shared_progress = overrides.pop("PROGRESS", "") if len(crawls) > 1 else ""
    # The process's settings are those every crawler shares: Scrapy merges them into each
    # crawler's where they are of a priority as high, so a site's own would be overwritten.
    process = _CrawlProcess(crawl_settings(db, None, log_level, **overrides))
    # The first crawler installs the reactor (as CrawlerProcess's own first crawler does); the others share it.
    crawlers = [process.create_crawler(Crawler(OpinionsSpider, crawl_settings(db, None, log_level, **overrides, **own),
                                               init_reactor=index == 0))
                for index, own in enumerate(crawls)]
    process.crawler = crawlers[0]
    if shared_progress in ("live", "lines"):
        process.progress = CrawlProgress(crawlers, shared_progress == "live", process.settings.getfloat("PROGRESS_INTERVAL"))
    for crawler in crawlers:
        process.crawl(crawler)  # installs Scrapy's log handler
    if not process.settings.get("LOG_FILE") and logging.getLevelName(log_level) >= logging.WARNING:
        _quiet_terminal_log()
    process.start()
    for crawler in crawlers:
        _record_if_stopped(crawler, lambda: process.killed)
    if process.progress:
        process.progress.finish()
    return [crawler.stats.get_stats() for crawler in crawlers]


def _record_if_stopped(crawler: Crawler, killed: Callable[[], bool]) -> None:
    """Ctrl-C stopped the reactor before the spider was closed (a second Ctrl-C, or the first
    while the crawl was closing): record the run here, once the writer is done unless killed."""
    try:
        session = crawler.get_extension(ArchiveSession)
    except RuntimeError:  # the extensions were never built
        return
    if session is not None and session.archive is not None:
        finish_writes(crawler, killed)
        crawler.stats.set_value("finish_reason", INTERRUPTED)
        session.close(reason=INTERRUPTED)
        if progress := crawler.get_extension(CrawlProgress):
            progress.finish()
