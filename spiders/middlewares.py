"""Downloader middlewares of npc-archive."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

from archive.hosts import is_loopback
from spiders.failures import CAPTURE_ERROR, CaptureNotStored


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
