"""Scrapy side of npc-archive: the spider, its settings, items and middlewares."""
