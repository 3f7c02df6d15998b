"""Store every response exactly as it came off the wire.

``response_downloaded`` fires in the downloader before any downloader middleware's
``process_response`` runs, so the body is still as the server sent it (gzip included) and
redirects, robots.txt, error pages and counter scripts are all captured. A capture that
cannot be written is counted as a lost write and marked on the request (CAPTURE_ERROR), so
that no document is made from it (spiders.middlewares.UnstoredCaptures).
"""

from __future__ import annotations

from functools import cached_property

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from spiders.failures import CAPTURE_ERROR, error_text
from spiders.session import ArchiveSession, archive_session


def _pairs(headers) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, values in headers.items() for value in values]


class CaptureRecorder:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CaptureRecorder:
        return cls(crawler)

    @cached_property
    def session(self) -> ArchiveSession:
        # Looked up at the first response: extensions cannot see each other while being built.
        return archive_session(self.crawler)

    def response_downloaded(self, response: Response, request: Request, spider) -> None:
        session = self.session
        try:
            capture_id, stored = session.archive.add_capture(
                url=response.url, status=response.status, headers=_pairs(response.headers), body=response.body,
                request_headers=_pairs(request.headers), method=request.method, request_body=request.body,
                protocol=getattr(response, "protocol", None), crawl_id=session.crawl_id,
            )
        except Exception as error:  # noqa: BLE001 (any lost write is counted, never dropped)
            session.write_failed(error, f"the capture of {response.url}")
            request.meta[CAPTURE_ERROR] = error_text(error)
            request.meta.pop("capture_id", None)  # an earlier attempt's capture is not this answer's
            return
        request.meta["capture_id"] = capture_id
        request.meta.pop(CAPTURE_ERROR, None)  # a retry's meta is a copy of the failed attempt's
        stats = self.crawler.stats
        stats.inc_value("npc/captures")
        stats.inc_value("npc/bytes_fetched", len(response.body))
        stats.inc_value("npc/bytes_stored", stored)
