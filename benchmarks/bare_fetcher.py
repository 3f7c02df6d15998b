"""The baseline of benchmarks/many_sites.py: a bare Scrapy spider that sends a given list of
requests (what our crawl sent, read from its archive) with our settings, parses nothing and
stores nothing, so that it fetches the same pages of every site, families' POSTs included.

    python benchmarks/bare_fetcher.py REQUESTS.json     # [[url, method, body or null], ...]
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response

from npc_archive.process import crawl_settings
from spiders.settings import LOOPBACK_CONCURRENCY


class BareFetcher(scrapy.Spider):
    name = "bare_fetcher"

    def __init__(self, requests: list, **kwargs) -> None:
        super().__init__(**kwargs)
        self.wanted = requests

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url, method, body in self.wanted:
            yield scrapy.Request(url, method=method, body=body.encode("latin-1") if body else None, dont_filter=True,
                                 callback=self.parse, meta={"handle_httpstatus_all": True})

    def parse(self, response: Response) -> None:
        return None


def main() -> None:
    requests = json.loads(open(sys.argv[1]).read())
    hosts = sorted({urlsplit(url).hostname for url, _, _ in requests})
    # Our settings (politeness, loopback fast lane, robots.txt), minus everything that stores.
    # Each host gets what its registered site has (no delay, LOOPBACK_CONCURRENCY at a time), and
    # the one crawler as many requests at once as our crawler per site have together.
    slots = {host: {"delay": 0, "concurrency": LOOPBACK_CONCURRENCY} for host in hosts}
    settings = crawl_settings(db="", start_url=requests[0][0], ITEM_PIPELINES={}, EXTENSIONS={}, ALLOWED_HOSTS=hosts,
                              DOWNLOAD_SLOTS=slots, CONCURRENT_REQUESTS=LOOPBACK_CONCURRENCY * len(hosts))
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareFetcher)
    process.crawl(crawler, requests=requests)
    process.start()
    stats = crawler.stats.get_stats()
    print(f"{stats.get('downloader/request_count', 0)} requests, finish reason {stats.get('finish_reason')}")


if __name__ == "__main__":
    main()
