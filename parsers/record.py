"""The record of an article page, declared once: what ``ArticlePage.to_dict()`` returns, the
spider hands to the pipelines (``DocumentItem.record``), the archive stores
(``Archive.save_document``) and exports (the documents export), and the evaluator scores.

A field is added here; tests/test_record.py then fails until the archive stores and exports
it (or it is listed in NOT_ARCHIVED).
"""

from __future__ import annotations

from typing import TypedDict


class NavLink(TypedDict):
    """The previous or next article (上一条 / 下一条)."""

    title: str
    url: str


class Attachment(TypedDict):
    name: str
    url: str


class Item(TypedDict):
    """A numbered point of a section (一是…, （一）…, 1.…), counted from 1."""

    ordinal: int
    heading: str | None  # its short lead phrase, up to the first stop
    text: str


class Section(TypedDict):
    kind: str  # one of sections.KINDS
    heading: str | None  # the text before its first item
    text: str  # its paragraphs joined by newlines
    items: list[Item]


class Facts(TypedDict):
    """Facts an opinion states; None where its text does not state them."""

    issuer: str | None
    addressee: str | None
    subject: str | None
    meeting: str | None
    meeting_date: str | None  # YYYY-MM-DD
    signed_date: str | None  # YYYY-MM-DD
    report_deadline: str | None  # as written: 2个月内
    report_due: str | None  # YYYY-MM-DD, counted from signed_date


class DocumentRecord(TypedDict):
    url: str
    title: str
    published_at: str | None  # ISO 8601, China time, as precise as the page shows
    # Where it was read: "page" (a date the page shows), "meta" (its <meta name="PubDate">, shown
    # nowhere on the page), None where the page is undated (the crawl lays the list's date over
    # it then, source "list").
    published_at_source: str | None
    source: str | None
    view_count: int | None  # None: not on the page (see view_count_url)
    view_count_url: str | None  # the counter script that writes the count
    view_count_source: str | None  # where the count was read: "page", "counter" or "list"
    # Whether the count includes the view our own fetch added (a dynamic page, most counters).
    view_count_includes_own_fetch: bool | None
    # Whether the page writes the count rounded (1.2万: about 12,000) or as a floor (10万+).
    view_count_approximate: bool | None
    body_text: str  # the paragraphs joined by newlines
    paragraphs: list[str]
    prev: NavLink | None
    next: NavLink | None
    attachments: list[Attachment]
    images: list[str]  # absolute http(s) URLs of the body's images
    column: str | None  # the column the breadcrumb names
    encoding: str  # the codec the page was decoded with
    sections: list[Section]
    facts: Facts
    # The URLs of the document's later pages, where the site pages it (共3页 上一页 1 2 3 下一页),
    # in order. A page parsed alone names the one after it; the crawl fetches them and joins the
    # pages' records (parsers.join_parts), naming them all.
    parts: list[str]


# Keys of the record the archive does not keep: the codec is told again by the capture's bytes
# and headers; a neighbour's title is its own document's.
NOT_ARCHIVED = frozenset({"encoding", "prev.title", "next.title"})
