"""Pure parsers: page bytes + URL in, plain records out. No Scrapy imports here."""

from .article import ArticlePage, parse_article, parse_article_and_requisites
from .counter import parse_counter_script
from .errors import DecodeError, NotAnArticle, ParseError
from .facts import document_facts
from .fields import ViewCount
from .listing import ListEntry, ListPage, PageRequest, parse_list, parse_list_and_requisites
from .parts import MAX_PARTS, join_parts, joined_attachments, same_document
from .record import Attachment, DocumentRecord, Facts, Item, NavLink, Section
from .sections import ends_before_signature, split_sections

__all__ = [
    "MAX_PARTS", "ArticlePage", "Attachment", "DecodeError", "DocumentRecord", "Facts", "Item", "ListEntry", "ListPage", "NavLink",
    "NotAnArticle", "PageRequest", "ParseError", "Section", "ViewCount", "document_facts", "ends_before_signature", "join_parts", "joined_attachments",
    "parse_article", "same_document",
    "parse_article_and_requisites", "parse_counter_script", "parse_list",
    "parse_list_and_requisites", "split_sections",
]
