"""Store every response exactly as it came off the wire.

``response_downloaded`` fires in the downloader before any downloader middleware's
``process_response`` runs, so the body is still as the server sent it (gzip included) and
redirects, robots.txt, error pages and counter scripts are all captured. The crawl's writer
(pipelines/writer.py) stores it. Inline, a capture that cannot be written is marked on the
request (CAPTURE_ERROR), so that no document is made from it (spiders.middlewares.UnstoredCaptures);
the writer process is given the capture's token instead, and turns what names a lost capture
into its page's write failure. Either way the lost write is counted.
"""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from pipelines.writer import InlineWriter, WriterChannel, crawl_writer
from pipelines.writes import Figures, StoredCapture
from spiders.failures import CAPTURE_ERROR
from spiders.session import archive_session


def _pairs(headers) -> list[tuple[str, str]]:
    # Headers is a dict of a name's values: its own items, not Headers.items(), which looks every
    # name up again (normkey, getlist; 46 calls a response).
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, values in dict.items(headers) for value in values]


class CaptureRecorder:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self._writer: InlineWriter | WriterChannel | None = None
        crawler.signals.connect(self.response_downloaded, signal=signals.response_downloaded)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CaptureRecorder:
        return cls(crawler)

    def response_downloaded(self, response: Response, request: Request, spider) -> None:
        if self._writer is None:
            # Looked up at the first response: extensions cannot see each other while being built.
            self._writer = crawl_writer(self.crawler, archive_session(self.crawler))
        fields = {"url": response.url, "status": response.status, "headers": _pairs(response.headers), "body": response.body,
                  "request_headers": _pairs(request.headers), "method": request.method, "request_body": request.body,
                  "protocol": getattr(response, "protocol", None)}
        size = len(response.body)
        stored = self._writer.capture(fields, lambda capture: self._counted(capture, response.url, size))
        if not isinstance(stored, StoredCapture):
            request.meta["capture_id"] = stored  # the writer process's token for it, which it maps to the id
        elif stored.error is not None:
            request.meta[CAPTURE_ERROR] = stored.error
            request.meta.pop("capture_id", None)  # an earlier attempt's capture is not this answer's
        else:
            request.meta["capture_id"] = stored.capture_id
            request.meta.pop(CAPTURE_ERROR, None)  # a retry's meta is a copy of the failed attempt's

    def _counted(self, capture: StoredCapture, url: str, size: int) -> None:
        if capture.error is not None:
            self._writer.apply(Figures(lost=[(f"the capture of {url}", capture.error)]))
            return
        stats = self.crawler.stats
        stats.inc_value("npc/captures")
        stats.inc_value("npc/bytes_fetched", size)
        stats.inc_value("npc/bytes_stored", capture.stored)
