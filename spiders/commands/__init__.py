"""Scrapy commands of the project (setting COMMANDS_MODULE): ``crawl`` with npc-archive's exit statuses."""
