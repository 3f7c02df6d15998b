"""``scrapy crawl``, exiting as ``npc-archive crawl`` does when the crawl cannot start: 75
(EX_TEMPFAIL) on a locked archive, 2 on a start URL that is not one or an ARCHIVE_WRITER that is
neither writer."""

from __future__ import annotations

import os

from scrapy.commands.crawl import Command as ScrapyCrawl
from scrapy.crawler import Crawler

from spiders.session import ARCHIVE_LOCKED, BAD_SETTING, BAD_START_URL

# 2 is the usage error of npc-archive (click) and of Scrapy itself.
EXIT_STATUS_BY_REASON = {ARCHIVE_LOCKED: os.EX_TEMPFAIL, BAD_START_URL: 2, BAD_SETTING: 2}


class Command(ScrapyCrawl):
    crawler: Crawler | None = None

    def _create_crawler(self, spidercls) -> Crawler:
        self.crawler = super()._create_crawler(spidercls)
        return self.crawler

    def run(self, args, opts) -> None:
        super().run(args, opts)
        reason = self.crawler.stats.get_value("finish_reason") if self.crawler else None
        self.exitcode = EXIT_STATUS_BY_REASON.get(reason, self.exitcode)
