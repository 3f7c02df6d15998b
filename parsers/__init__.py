"""Pure parsers: page bytes + URL in, plain records out. No Scrapy imports here."""

from .article import Article, parse_article
from .counter import parse_counter_script
from .errors import DecodeError, NotAnArticle, ParseError
from .listing import ListEntry, ListPage, parse_list

__all__ = [
    "Article", "DecodeError", "ListEntry", "ListPage", "NotAnArticle", "ParseError",
    "parse_article", "parse_counter_script", "parse_list",
]
