"""Downloader middlewares of npc-archive."""

from __future__ import annotations

from scrapy import Request
from scrapy.utils.httpobj import urlparse_cached

from archive.hosts import is_loopback


class LoopbackFastLane:
    """Politeness is for other people's servers: requests to loopback hosts (the replica,
    the tests) skip AutoThrottle, and DOWNLOAD_SLOTS gives them no delay. They never go
    through a proxy from the environment either: a proxy's loopback is not ours."""

    def process_request(self, request: Request) -> None:
        if is_loopback(urlparse_cached(request).hostname):
            request.meta["autothrottle_dont_adjust_delay"] = True
            request.meta.setdefault("proxy", None)
        return None
