"""Downloader middlewares of npc-archive."""

from __future__ import annotations

import ipaddress

from scrapy import Request
from scrapy.utils.httpobj import urlparse_cached


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class LoopbackFastLane:
    """Politeness is for other people's servers: requests to loopback hosts (the replica,
    the tests) skip AutoThrottle, and DOWNLOAD_SLOTS gives them no delay."""

    def process_request(self, request: Request) -> None:
        if is_loopback(urlparse_cached(request).hostname):
            request.meta["autothrottle_dont_adjust_delay"] = True
        return None
