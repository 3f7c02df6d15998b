"""The ``opinions`` spider: the 审议意见 column's list pages, then each listed article."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from parsers import ParseError, parse_article, parse_counter_script, parse_list
from parsers.listing import ListEntry
from spiders.items import DocumentItem, FailureItem


def _content_type(response: Response) -> str | None:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else None


class OpinionsSpider(scrapy.Spider):
    name = "opinions"

    def __init__(self, start_url: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_url_arg = start_url
        self.seen_list_pages: set[frozenset[str]] = set()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        start_url = self.start_url_arg or self.settings.get("START_URL")
        yield scrapy.Request(start_url, callback=self.parse_list_page, errback=self.request_failed)

    # List pages ------------------------------------------------------------------------

    def parse_list_page(self, response: Response) -> Iterator[Any]:
        try:
            page = parse_list(response.body, response.url, _content_type(response))
        except ParseError as error:
            yield self._failure(response, error.reason, str(error))
            return
        entries = frozenset(entry.url for entry in page.entries)
        if not entries:
            yield self._failure(response, "no_list_entries", "no dated title links on the list page")
            return
        if entries in self.seen_list_pages:
            # Past the last page, sites of this kind answer with the last page again.
            self.logger.info("List page %s repeats an earlier page: end of the column", response.url)
            return
        self.seen_list_pages.add(entries)
        self.crawler.stats.inc_value("npc/list_pages")
        for entry in page.entries:
            yield response.follow(entry.url, callback=self.parse_article_page, errback=self.request_failed,
                                  cb_kwargs={"entry": entry})
        if page.next_url:
            yield response.follow(page.next_url, callback=self.parse_list_page, errback=self.request_failed)

    # Article pages ---------------------------------------------------------------------

    def parse_article_page(self, response: Response, entry: ListEntry) -> Iterator[Any]:
        snapshot_id = response.meta.get("snapshot_id")
        try:
            article = parse_article(response.body, response.url, _content_type(response))
        except ParseError as error:
            yield self._failure(response, error.reason, str(error))
            return
        column = self.settings.get("COLUMN_NAME")
        if article.column and column and article.column != column:
            yield self._failure(response, "other_column", f"breadcrumb names {article.column!r}, not {column!r}")
            return
        item = DocumentItem(record=article.to_dict(), snapshot_id=snapshot_id, list_title=entry.title)
        if article.view_count is None and article.view_count_url:
            yield scrapy.Request(
                article.view_count_url, callback=self.parse_counter, errback=self.counter_failed,
                cb_kwargs={"item": item}, dont_filter=True,
            )
        else:
            yield item

    def parse_counter(self, response: Response, item: DocumentItem) -> Iterator[DocumentItem]:
        item.record["view_count"] = parse_counter_script(response.body)
        if response.meta.get("snapshot_id"):
            item.extra_snapshot_ids.append(response.meta["snapshot_id"])
        yield item

    def counter_failed(self, failure: Any) -> Iterator[DocumentItem]:
        # The article itself is fine: keep it, with the view count unknown.
        yield failure.request.cb_kwargs["item"]

    def request_failed(self, failure: Any) -> Iterator[FailureItem]:
        request = failure.request
        response = getattr(failure.value, "response", None)
        reason = f"http_{response.status}" if response is not None else type(failure.value).__name__
        yield FailureItem(url=request.url, reason=reason, detail=str(failure.value)[:500],
                          snapshot_id=request.meta.get("snapshot_id"),
                          attempts=request.meta.get("retry_times", 0) + 1)

    def _failure(self, response: Response, reason: str, detail: str) -> FailureItem:
        return FailureItem(url=response.url, reason=reason, detail=detail, snapshot_id=response.meta.get("snapshot_id"))
