"""The baseline of benchmarks/crawl.py: a bare Scrapy spider that fetches what ours fetches
from the replica (list pages, the articles they list, their view-counter scripts) with the
same settings, and stores nothing. Selectors fit the replica's table markup only.

    python benchmarks/bare_spider.py START_URL
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator, Iterator

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response

from npc_archive.process import crawl_settings


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start_url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.start_url = start_url

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(self.start_url, callback=self.parse_list)

    def parse_list(self, response: Response) -> Iterator[scrapy.Request]:
        for href in response.xpath('//table[@class="list"]//a/@href').getall():
            yield response.follow(href, callback=self.parse_article)
        next_page = response.xpath('//a[text()="下一页"]/@href').get()
        if next_page:
            yield response.follow(next_page, callback=self.parse_list)

    def parse_article(self, response: Response) -> Iterator[scrapy.Request]:
        counter = response.xpath('//script[contains(@src, "count.asp")]/@src').get()
        if counter:
            yield response.follow(counter, callback=self.parse_counter, dont_filter=True)

    def parse_counter(self, response: Response) -> None:
        return None


def main() -> None:
    # Our settings (politeness, loopback fast lane, robots.txt), minus everything that stores.
    settings = crawl_settings(db="", start_url=sys.argv[1], ITEM_PIPELINES={}, EXTENSIONS={})
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, start_url=sys.argv[1])
    process.start()
    stats = crawler.stats.get_stats()
    print(f"{stats.get('downloader/request_count', 0)} requests, finish reason {stats.get('finish_reason')}")


if __name__ == "__main__":
    main()
