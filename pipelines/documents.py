"""Write parsed documents and failures to the archive."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler

from spiders.items import DocumentItem, FailureItem

from .session import archive_session


class DocumentPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> "DocumentPipeline":
        return cls(crawler)

    def process_item(self, item):
        session = archive_session(self.crawler)
        stats = self.crawler.stats
        if isinstance(item, FailureItem):
            session.archive.record_failure(crawl_id=session.crawl_id, **ItemAdapter(item).asdict())
            stats.inc_value(f"npc/failures/{item.reason}")
            stats.inc_value("npc/failures")
        elif isinstance(item, DocumentItem):
            outcome = session.archive.save_document(
                item.record, snapshot_id=item.snapshot_id, crawl_id=session.crawl_id, list_title=item.list_title
            )
            stats.inc_value(f"npc/documents/{outcome}")
        return item
