"""Polite by default: robots.txt, an identifying User-Agent, one request at a time, a delay and
AutoThrottle; only this machine's own hosts (the replica, the tests) skip the waiting."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

import pytest
from scrapy import Request

from replica.server import ReplicaServer
from replica.site import Reply, Site
from spiders import settings
from spiders.middlewares import LoopbackFastLane


def test_defaults_are_polite_to_the_live_site():
    assert settings.ROBOTSTXT_OBEY is True
    assert settings.AUTOTHROTTLE_ENABLED is True
    assert settings.DOWNLOAD_DELAY >= 1 and settings.CONCURRENT_REQUESTS_PER_DOMAIN == 1
    assert settings.USER_AGENT.startswith("npc-archive/") and settings.USER_AGENT.isascii()
    assert set(settings.DOWNLOAD_SLOTS) == {"127.0.0.1", "localhost", "::1"}  # no other host skips the delay


@pytest.mark.parametrize("url, loopback", [
    ("http://127.0.0.1:8000/list.asp?ClassID=5", True),
    ("http://localhost/ShowArticle.asp?ArticleID=1", True),
    ("http://[::1]:8000/", True),
    ("http://www.jjrd.gov.cn/list.asp?ClassID=5", False),
    ("http://127.0.0.1.example.com/", False),
])
def test_only_loopback_requests_skip_autothrottle_and_environment_proxies(url, loopback):
    request = Request(url)
    LoopbackFastLane().process_request(request)
    assert request.meta.get("autothrottle_dont_adjust_delay", False) is loopback
    assert ("proxy" in request.meta and request.meta["proxy"] is None) is loopback


@dataclass
class RobotsSite(Site):
    """The replica with a robots.txt that forbids one opinion."""

    forbidden: str = ""

    def handle(self, target: str, accept_encoding: str = "") -> Reply:
        if target == "/robots.txt":
            return Reply(200, [("Content-Type", "text/plain")], f"User-agent: *\nDisallow: {self.forbidden}\n".encode())
        return super().handle(target, accept_encoding)


def test_robots_txt_is_obeyed(tmp_path, crawl, npc_archive):
    site = RobotsSite()
    site.forbidden = f"/ShowArticle.asp?ArticleID={site.opinions()[2].id}"
    db = tmp_path / "a.db"
    with ReplicaServer(site) as server:
        result = crawl(db, server, check=False)
        asked = [path for path, _ in server.sent]
    failures = json.loads(npc_archive("failures", "--db", str(db), "--format", "json").stdout)
    assert site.forbidden not in asked
    assert result.returncode == 1
    assert [(row["url"].removeprefix(server.base_url), row["reason"]) for row in failures] == [(site.forbidden, "robots_forbidden")]


def test_a_counter_robots_txt_forbids_leaves_counts_unknown_without_failing_any_run(tmp_path, crawl, npc_archive):
    """DedeCMS's robots.txt forbids its /plus/count.php: the site's policy, which no later run can
    get past, so the crawl neither fails nor fetches every article again to ask."""
    site = RobotsSite(markup="vsb")
    site.forbidden = "/system/resource/code/news/click/"
    db = tmp_path / "a.db"
    with ReplicaServer(site) as server:
        first = crawl(db, server, check=False)
        second = crawl(db, server, check=False)
        asked = [path for path, _ in server.sent]
    assert (first.returncode, second.returncode) == (0, 0)
    assert not any(path.startswith(site.forbidden) for path in asked)
    opinions = len(site.opinions())
    assert f"{opinions} view counts not read: the site's robots.txt forbids its counter script" in first.stdout
    assert "This run: 0 new, 0 changed, 0 unchanged, 0 removed, 2 requests, 0 failures" in second.stdout
    documents = [json.loads(line) for line in npc_archive("export", "--db", str(db)).stdout.splitlines()]
    assert len(documents) == opinions and all(document["view_count"] is None for document in documents)


@dataclass
class CrawlDelaySite(Site):
    """The replica with a robots.txt asking for a Crawl-delay, noting when each page is asked for."""

    crawl_delay: float = 0.6
    asked_at: list[float] = field(default_factory=list)

    def handle(self, target: str, accept_encoding: str = "") -> Reply:
        if target == "/robots.txt":
            return Reply(200, [("Content-Type", "text/plain")], f"User-agent: *\nCrawl-delay: {self.crawl_delay}\n".encode())
        self.asked_at.append(time.monotonic())
        return super().handle(target, accept_encoding)


def test_a_crawl_delay_longer_than_the_configured_delay_spaces_the_requests(tmp_path, crawl):
    """Loopback hosts have no delay of their own (DOWNLOAD_SLOTS), so the spacing is the Crawl-delay's."""
    site = CrawlDelaySite()
    with ReplicaServer(site) as server:
        crawl(tmp_path / "a.db", server, "-s", "CLOSESPIDER_PAGECOUNT=5", check=False)
    gaps = [later - earlier for earlier, later in zip(site.asked_at, site.asked_at[1:])]
    assert len(gaps) >= 3
    assert min(gaps) >= site.crawl_delay * 0.95  # timer granularity, not jitter: the delay is kept whole
