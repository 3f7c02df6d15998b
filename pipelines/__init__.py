"""Scrapy components that write to the archive."""
