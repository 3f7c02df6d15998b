"""Hand what the spider yields (documents, removals, files, failures) to the crawl's writer
(pipelines/writer.py), which writes it to the archive (pipelines/writes.py)."""

from __future__ import annotations

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future

from pipelines.writer import InlineWriter, WriterChannel, crawl_writer
from spiders.failures import attempts, first_url
from spiders.items import FailureItem
from spiders.session import ArchiveSession, archive_session


class DocumentPipeline:
    def __init__(self, crawler: Crawler, session: ArchiveSession) -> None:
        self.crawler = crawler
        # No archive: the session refused the crawl, and nothing is written.
        self.writer: InlineWriter | WriterChannel | None = crawl_writer(crawler, session) if session.archive is not None else None
        crawler.signals.connect(self.request_dropped, signal=signals.request_dropped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DocumentPipeline:
        # Item pipelines are built after the extensions, so the session is there already.
        return cls(crawler, archive_session(crawler))

    def process_item(self, item):
        self.writer.item(item)
        return item

    async def close_spider(self) -> None:
        """Wait for the writer to have written this crawl's items: the session's closing figures count them."""
        if self.writer is not None:
            await maybe_deferred_to_future(self.writer.close())

    def request_dropped(self, request: Request) -> None:
        """A redirect back to a URL already requested is dropped by the duplicate filter
        without any errback: record the loop, or the page would vanish silently."""
        chain = request.meta.get("redirect_urls") or []
        if request.url in chain:
            self.process_item(FailureItem(url=first_url(request), reason="redirect_loop",
                                          detail=" -> ".join([*chain, request.url]), attempts=attempts(request),
                                          capture_id=request.meta.get("capture_id"), page_kind=request.meta.get("page_kind")))
