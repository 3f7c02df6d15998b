"""Downloader middlewares of npc-archive."""

from __future__ import annotations

from functools import cached_property
from urllib.parse import urlsplit

from protego import Protego
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

from archive.hosts import is_ip_address, is_loopback
from spiders.column import crawl_columns
from spiders.failures import CAPTURE_ERROR, CaptureNotStored, Refused

FETCHED_SCHEMES = ("http", "https")


def www_twin(host: str) -> str:
    """The other name of a host with or without www. (jjrd.gov.cn, www.jjrd.gov.cn): one site,
    whose pages link each other by either."""
    return host[4:] if host.startswith("www.") else f"www.{host}"


class SiteHostsOnly:
    """The crawl fetches http(s) on the site's own hosts only: the hosts of its columns (the start URL's)
    and their www twins, and the hosts of ALLOWED_HOSTS (a CDN serving the attachments, say). A link to a local file
    (``file://``), another protocol or another host (an intranet server, a cloud metadata
    address) is a recorded refusal, never a request. Placed before robots.txt, so that no
    robots.txt of a refused host is fetched either. A twin's requests share its column
    host's download slot: one site, one pace."""

    def __init__(self, crawler: Crawler) -> None:
        self.settings = crawler.settings

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteHostsOnly:
        return cls(crawler)

    @cached_property
    def hosts(self) -> frozenset[str]:
        # Read at the first request: `-a start_url=` reaches the settings after the middlewares are built.
        return frozenset(self.column_hosts | set(self.twins) | {host.lower() for host in self.settings.getlist("ALLOWED_HOSTS") if host})

    @cached_property
    def column_hosts(self) -> frozenset[str]:
        try:
            columns = crawl_columns(self.settings.get("COLUMNS"), self.settings.get("START_URL"), None)
        except ValueError:
            columns = []  # the session refuses the crawl before anything is requested
        return frozenset(host.lower() for column in columns if (host := urlsplit(column.url).hostname))

    @cached_property
    def twins(self) -> dict[str, str]:
        """Each column host name's www twin that is no column host itself -> that column host."""
        return {www_twin(host): host for host in self.column_hosts
                if "." in host and not is_ip_address(host) and www_twin(host) not in self.column_hosts}

    def process_request(self, request: Request) -> None:
        url = urlparse_cached(request)
        if url.scheme not in FETCHED_SCHEMES:
            raise Refused("scheme_refused", f"a {url.scheme}: URL is never fetched")
        host = url.hostname or ""
        if host not in self.hosts:
            raise Refused("offsite", f"{url.hostname} is not one of the site's hosts ({', '.join(sorted(self.hosts))}); "
                                     "allow it with --allow-host")
        if host in self.twins:
            request.meta.setdefault("download_slot", self.twins[host])
        return None


class LoopbackFastLane:
    """Politeness is for other people's servers: requests to loopback hosts (the replica,
    the tests) skip AutoThrottle, and DOWNLOAD_SLOTS gives them no delay. They never go
    through a proxy from the environment either: a proxy's loopback is not ours."""

    def process_request(self, request: Request) -> None:
        if is_loopback(urlparse_cached(request).hostname):
            request.meta["autothrottle_dont_adjust_delay"] = True
            request.meta.setdefault("proxy", None)
        return None


class UnstoredCaptures:
    """A response whose capture could not be written (pipelines/captures.py) goes to the
    request's errback, a ``write_failed`` failure: a document is never archived without the
    bytes it was read from. Placed next to the downloader, it sees responses before retries
    and redirects do. robots.txt passes: its rules still apply, its lost write is counted."""

    def process_response(self, request: Request, response: Response) -> Response:
        error = request.meta.get(CAPTURE_ERROR)
        if error and not request.meta.get("dont_obey_robotstxt"):
            raise CaptureNotStored(f"the capture could not be written: {error}")
        return response


class RobotsCrawlDelay:
    """robots.txt's ``Crawl-delay``, when longer than the delay configured for the host, is
    the delay of that host's download slot: AutoThrottle may not lower it, nor jitter
    shorten it. Scrapy reads robots.txt for its rules only; this reads the same response as
    it goes by (the robots.txt request passes the downloader middlewares too)."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.user_agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        self.configured = {key: slot.get("delay") for key, slot in settings.getdict("DOWNLOAD_SLOTS").items()}
        self.default_delay = settings.getfloat("DOWNLOAD_DELAY")
        self.delays: dict[str, float] = {}  # download slot -> the Crawl-delay it keeps

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsCrawlDelay:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if request.meta.get("dont_obey_robotstxt") and urlparse_cached(request).path == "/robots.txt" and response.status == 200:
            delay = Protego.parse(response.body.decode("utf-8", errors="ignore")).crawl_delay(self.user_agent)
            key = self.crawler.engine.downloader.get_slot_key(request)
            configured = self.configured.get(key)
            if delay and delay > (self.default_delay if configured is None else configured):
                self.delays[key] = float(delay)
        return response

    def process_request(self, request: Request) -> None:
        downloader = self.crawler.engine.downloader
        key = downloader.get_slot_key(request)
        delay = self.delays.get(key)
        if delay is not None:
            request.meta["autothrottle_dont_adjust_delay"] = True
            slot = downloader.slots.get(key)  # made by the host's robots.txt request
            if slot is not None:
                slot.delay, slot.jitter = max(slot.delay, delay), 0.0
        return None
