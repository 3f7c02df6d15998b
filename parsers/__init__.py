"""Pure parsers: page bytes + URL in, plain records out. No Scrapy imports here."""

from .article import Article, parse_article
from .counter import parse_counter_script
from .errors import DecodeError, NotAnArticle, ParseError
from .facts import Facts, document_facts
from .listing import ListEntry, ListPage, parse_list
from .sections import Item, Section, split_sections

__all__ = [
    "Article", "DecodeError", "Facts", "Item", "ListEntry", "ListPage", "NotAnArticle", "ParseError", "Section",
    "document_facts", "parse_article", "parse_counter_script", "parse_list", "split_sections",
]
