"""What a crawl has done so far, on stderr while it runs: an extension fed by the crawl's stats.

Setting PROGRESS: "live" rewrites one line (a terminal), "lines" writes a line every
PROGRESS_INTERVAL seconds (a log file, cron), anything else is off (the default, so that
``scrapy crawl`` logs as Scrapy does). Several crawlers side by side (``crawl --all``) share one
CrawlProgress, made by npc_archive/process.py: one line across the sites, not one each."""

from __future__ import annotations

import shutil
import sys
import time
from dataclasses import dataclass

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

LIVE_INTERVAL = 0.5  # seconds between redraws of the live line
RATE_WINDOW = 30.0  # seconds of recent requests the rate is measured over


@dataclass
class Figures:
    elapsed: float
    lists_read: int
    lists_total: int | None  # the column's page count, once a list page has said it
    new: int
    changed: int
    unchanged: int
    removed: int
    failures: int
    requests: int
    waiting: int  # requests queued or in flight
    seconds_per_request: float  # the slower of the recent rate and the politeness delay
    in_flight: int = 0  # requests the downloader has taken: what a Ctrl-C still waits for

    @property
    def articles(self) -> int:
        return self.new + self.changed + self.unchanged + self.removed

    def seconds_left(self) -> float | None:
        """Time for the requests waiting, and for those the unread list pages will add (as many
        as each list page has added so far): a rough figure, never a promise."""
        if not self.requests or not self.seconds_per_request:
            return None
        more = 0.0
        if self.lists_total and self.lists_read:
            more = (self.lists_total - self.lists_read) * (self.requests + self.waiting) / self.lists_read
        return (self.waiting + more) * self.seconds_per_request


def clock(seconds: float) -> str:
    """1:05 or 1:02:05."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def duration(seconds: float) -> str:
    """A rough duration: 40 s, 12 min, 2 h 05 min."""
    if seconds < 60:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60:02} min"


@dataclass
class SitesFigures:
    """What several crawlers side by side have done: one Figures a site still running."""
    elapsed: float
    sites_total: int
    running: list[Figures]  # the sites not yet closed
    fetched: int  # pages fetched by all the sites
    new: int
    changed: int
    failures: int

    @property
    def sites_done(self) -> int:
        return self.sites_total - len(self.running)

    @property
    def in_flight(self) -> int:
        return sum(site.in_flight for site in self.running)

    def seconds_left(self) -> float | None:
        """The sites run side by side: the slowest one's time left, once every running site can say
        (a site whose page count is unknown cannot: the figure would be too low)."""
        lefts = [site.seconds_left() if site.lists_total else None for site in self.running]
        return max(lefts) if lefts and None not in lefts else None


def sites_line(figures: SitesFigures, stopping: bool = False) -> str:
    left = figures.seconds_left()
    waiting = sum(site.waiting for site in figures.running)
    estimate = f"~{duration(left)} left" if left is not None else f"{waiting} waiting" if waiting else None
    return " · ".join([f"sites {figures.sites_done}/{figures.sites_total}",
                       f"{figures.fetched} pages fetched",
                       f"articles {figures.new} new, {figures.changed} changed",
                       *_tail(figures, stopping, estimate)])


def progress_line(figures: Figures, stopping: bool = False) -> str:
    lists = f"{figures.lists_read}/{figures.lists_total}" if figures.lists_total else str(figures.lists_read)
    left = figures.seconds_left()
    estimate = None
    if left is not None and figures.waiting:
        pace = figures.seconds_per_request
        at = f"at {pace:.1f} s a request" if pace >= 1 else f"at {1 / pace:.0f} requests/s"
        # Without the column's page count, only the requests already known can be counted.
        estimate = f"~{duration(left)} left {at}" if figures.lists_total else f"{figures.waiting} waiting, ~{duration(left)} {at}"
    return " · ".join([f"lists {lists}",
                       f"articles {figures.articles} ({figures.new} new, {figures.changed} changed)",
                       *_tail(figures, stopping, estimate)])


def _tail(figures: Figures | SitesFigures, stopping: bool, estimate: str | None) -> list[str]:
    """What both lines end with: failures, time elapsed, then, after a Ctrl-C, the requests still
    in flight instead of the estimate."""
    parts = [f"{figures.failures} failed", f"{clock(figures.elapsed)} elapsed"]
    if stopping:
        parts.append(f"stopping: {figures.in_flight} requests in flight")
    elif estimate:
        parts.append(estimate)
    return parts


class CrawlGauge:
    """One crawler's figures, read off its stats, scheduler and downloader, and its recent request rate."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.recent: list[tuple[float, int]] = []  # (time, requests) samples for the rate
        self.closed = False

    def figures(self, elapsed: float) -> Figures:
        stats = self.crawler.stats
        now = time.monotonic()
        requests = stats.get_value("downloader/request_count", 0)
        self.recent = [(at, count) for at, count in self.recent if now - at <= RATE_WINDOW] + [(now, requests)]
        (first_at, first_count), (last_at, last_count) = self.recent[0], self.recent[-1]
        rate_interval = (last_at - first_at) / (last_count - first_count) if last_count > first_count else 0.0
        in_flight = len(self.crawler.engine.downloader.active) if self.crawler.engine else 0
        return Figures(
            elapsed=elapsed,
            lists_read=stats.get_value("npc/list_pages", 0), lists_total=stats.get_value("npc/list_pages_total"),
            **{outcome: stats.get_value(f"npc/documents/{outcome}", 0) for outcome in ("new", "changed", "unchanged", "removed")},
            failures=stats.get_value("npc/failures", 0), requests=requests,
            waiting=self._queued() + in_flight, in_flight=in_flight,
            seconds_per_request=max(rate_interval, self._politeness_delay()),
        )

    def _queued(self) -> int:
        scheduler = getattr(self.crawler.engine, "scheduler", None)  # public from Scrapy 2.19
        return len(scheduler) if scheduler is not None and hasattr(scheduler, "__len__") else 0

    def _politeness_delay(self) -> float:
        """Seconds between two requests to the slowest host being crawled (DOWNLOAD_DELAY, as
        AutoThrottle adjusts it), shared by the requests that host may have open at once."""
        engine = self.crawler.engine
        slots = engine.downloader.slots.values() if engine else ()
        return max((slot.delay / max(1, slot.concurrency) for slot in slots if slot.active or slot.queue), default=0.0)


class CrawlProgress:
    """The progress of one crawler (the extension), or of several side by side (one line across the sites)."""

    def __init__(self, crawlers: list[Crawler], live: bool, interval: float, stream=None) -> None:
        self.gauges = [CrawlGauge(crawler) for crawler in crawlers]
        self.live = live
        self.interval = LIVE_INTERVAL if live else interval
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.shown = ""  # the live line on screen, if any
        self.stopping = False  # Ctrl-C was pressed: the requests in flight are being finished
        self.loop: task.LoopingCall | None = None  # made once a crawler has installed the reactor
        for gauge in self.gauges:
            gauge.crawler.signals.connect(self.engine_started, signal=signals.engine_started)
            gauge.crawler.signals.connect(self._closed_by(gauge), signal=signals.spider_closed, weak=False)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        mode = crawler.settings.get("PROGRESS")
        if mode not in ("live", "lines"):
            raise NotConfigured
        return cls([crawler], mode == "live", crawler.settings.getfloat("PROGRESS_INTERVAL"))

    def engine_started(self) -> None:
        if self.loop is None:  # the first of the crawlers to start
            self.started = time.monotonic()
            self.loop = task.LoopingCall(self.show)
            self.loop.start(self.interval, now=False)

    def _closed_by(self, gauge: CrawlGauge):
        def spider_closed(spider, reason: str) -> None:
            gauge.closed = True
            if all(gauge.closed for gauge in self.gauges):
                self.finish()
        return spider_closed

    def finish(self) -> None:
        """Stop updating; on a terminal the last figures stay on screen, a log gets the summary
        that follows instead. Also called when a second Ctrl-C stopped Scrapy without closing the spider."""
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.live and self.shown:
            self.show()
            self.stream.write("\n")
            self.stream.flush()
            self.shown = ""

    def stop_requested(self) -> str:
        """After a first Ctrl-C: the line counts down the requests in flight (of every site); returns
        how many, and how long they may take (the slowest site's)."""
        self.stopping = True
        running = [gauge.figures(0) for gauge in self.gauges if not gauge.closed]
        in_flight = sum(figures.in_flight for figures in running)
        waits = [figures.in_flight * figures.seconds_per_request for figures in running if figures.seconds_per_request >= 1]
        wait = f" (about {duration(max(waits))})" if waits else ""
        return f"{in_flight} requests in flight{wait}"

    def say(self, message: str) -> None:
        """A message of its own line, the live line redrawn below it."""
        if self.live and self.shown:
            self.stream.write("\r\x1b[K")
        self.stream.write(message + "\n")
        if self.live and self.shown:
            self.stream.write(self.shown)
        self.stream.flush()

    def show(self) -> None:
        line = self.line()
        if self.live:
            line = line[:shutil.get_terminal_size().columns - 1]  # a wrapped line could not be redrawn in place
            self.stream.write("\r\x1b[K" + line)
            self.shown = line
        else:
            self.stream.write(f"npc-archive: {line}\n")
        self.stream.flush()

    def line(self) -> str:
        elapsed = time.monotonic() - self.started
        if len(self.gauges) == 1:
            return progress_line(self.gauges[0].figures(elapsed), self.stopping)
        return sites_line(self.sites_figures(elapsed), self.stopping)

    def sites_figures(self, elapsed: float) -> SitesFigures:
        stats = [gauge.crawler.stats for gauge in self.gauges]
        return SitesFigures(
            elapsed=elapsed, sites_total=len(self.gauges),
            running=[gauge.figures(elapsed) for gauge in self.gauges if not gauge.closed],
            fetched=sum(stat.get_value("response_received_count", 0) for stat in stats),
            **{outcome: sum(stat.get_value(f"npc/documents/{outcome}", 0) for stat in stats) for outcome in ("new", "changed")},
            failures=sum(stat.get_value("npc/failures", 0) for stat in stats),
        )
