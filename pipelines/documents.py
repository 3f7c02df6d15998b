"""Write parsed documents, removals and failures to the archive.

A write the archive refuses (disk full, a lock held past the busy timeout, a value SQLite
cannot hold) is a failure of its page, recorded if the archive still takes that, counted in
any case (the run exits WRITE_FAILED). The page stays unarchived, so the next run fetches it.
"""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy import Request, signals
from scrapy.crawler import Crawler

from spiders.failures import attempts, error_text, first_url, write_failure_reason
from spiders.items import DocumentItem, FailureItem, FileItem, RemovalItem
from spiders.session import ArchiveSession, archive_session


class DocumentPipeline:
    def __init__(self, crawler: Crawler, session: ArchiveSession) -> None:
        self.crawler = crawler
        self.session = session
        crawler.signals.connect(self.request_dropped, signal=signals.request_dropped)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DocumentPipeline:
        # Item pipelines are built after the extensions, so the session is there already.
        return cls(crawler, archive_session(crawler))

    def process_item(self, item):
        if isinstance(item, FailureItem):
            self._failure(item)
            return item
        try:
            self._store(item)
        except Exception as error:  # noqa: BLE001 (any lost write is counted, never dropped)
            url, page_kind = _page_of(item)
            self.session.write_failed(error, url)
            self._failure(FailureItem(url=url, reason=write_failure_reason(error), detail=error_text(error),
                                      capture_id=item.capture_id, page_kind=page_kind,
                                      column_kind=getattr(item, "column_kind", None), column_url=getattr(item, "column_url", None)))
        return item

    def _store(self, item) -> None:
        archive, crawl_id = self.session.archive, self.session.crawl_id
        stats = self.crawler.stats
        if isinstance(item, DocumentItem):
            outcome = archive.save_document(item.record, capture_id=item.capture_id, crawl_id=crawl_id,
                                            list_title=item.list_title, column_kind=item.column_kind, column_url=item.column_url)
            stats.inc_value(f"npc/documents/{outcome}")
        elif isinstance(item, RemovalItem):
            outcome = archive.mark_removed(item.url, capture_id=item.capture_id, crawl_id=crawl_id)
            if outcome is None:  # never archived: a listed link that leads nowhere, reported once
                first = archive.record_listed_gone(item.url, reason=item.reason, list_title=item.list_title,
                                                   listed_at=item.listed_at, capture_id=item.capture_id, crawl_id=crawl_id,
                                                   column_kind=item.column_kind, column_url=item.column_url)
                if first:
                    listed = f"listed as {item.list_title!r} ({item.listed_at or 'no date'}); " if item.list_title else ""
                    self._failure(FailureItem(url=item.url, reason=item.reason, detail=f"{listed}{item.detail}".strip("; "),
                                              capture_id=item.capture_id, page_kind="article", column_kind=item.column_kind,
                                              column_url=item.column_url))
            else:
                stats.inc_value(f"npc/documents/{outcome}")
        elif isinstance(item, FileItem):
            archive.link_file(crawl_id=crawl_id, **ItemAdapter(item).asdict())
            stats.inc_value(f"npc/files/{item.kind}")

    def request_dropped(self, request: Request) -> None:
        """A redirect back to a URL already requested is dropped by the duplicate filter
        without any errback: record the loop, or the page would vanish silently."""
        chain = request.meta.get("redirect_urls") or []
        if request.url in chain:
            self._failure(FailureItem(url=first_url(request), reason="redirect_loop",
                                      detail=" -> ".join([*chain, request.url]), attempts=attempts(request),
                                      capture_id=request.meta.get("capture_id"), page_kind=request.meta.get("page_kind")))

    def _failure(self, item: FailureItem) -> None:
        self.crawler.stats.inc_value(f"npc/failures/{item.reason}")
        self.crawler.stats.inc_value("npc/failures")
        try:
            self.session.archive.record_failure(crawl_id=self.session.crawl_id, **ItemAdapter(item).asdict())
        except Exception as error:  # noqa: BLE001
            # Nothing more to write it to: the count fails the run, and what the page would
            # have stored is unknown to the archive, so the next run fetches it.
            self.session.write_failed(error, f"the failure of {item.url} ({item.reason})")


def _page_of(item: DocumentItem | RemovalItem | FileItem) -> tuple[str, str]:
    """The URL and page kind a lost write leaves to fetch again."""
    if isinstance(item, DocumentItem):
        return item.record["url"], "article"
    if isinstance(item, RemovalItem):
        return item.url, "article"
    return item.url, item.kind
