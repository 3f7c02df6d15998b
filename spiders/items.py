"""Items the spider hands to the pipelines."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers import DocumentRecord


@dataclass
class DocumentItem:
    """A parsed article page: ``record`` is ``ArticlePage.to_dict()``, or None when the writer
    process read the page (spiders/reading.py) and holds the record of ``capture_id`` itself."""

    record: DocumentRecord | None
    capture_id: int | None
    list_title: str | None = None
    column_kind: str | None = None  # the column it was listed in (None: revisited, its column kept)
    column_url: str | None = None
    url: str | None = None  # the record's URL
    # Fields read elsewhere than on the page, laid over the record's: a view count the list or a
    # counter script shows, a date the list shows where the page shows none.
    read_elsewhere: dict = field(default_factory=dict)
    # Where the site pages the article: the captures of its later pages, in order, and their
    # records (none when the writer process read the pages and holds them), joined with the first.
    part_capture_ids: list[int | None] = field(default_factory=list)
    part_records: list[DocumentRecord] = field(default_factory=list)


@dataclass
class RemovalItem:
    """An article's URL answers 404/410 or a soft 404; ``list_title``/``listed_at``: what the
    list page that linked it showed (None when the article was revisited, not listed)."""

    url: str
    reason: str
    capture_id: int | None
    detail: str = ""
    list_title: str | None = None
    listed_at: str | None = None
    column_kind: str | None = None
    column_url: str | None = None


@dataclass
class FileItem:
    """An attachment or body image of a document (its bytes are a capture like any page)."""

    document_url: str
    url: str
    kind: str  # "attachment" or "image"
    name: str | None
    capture_id: int | None


@dataclass
class FailureItem:
    """A URL that yielded no document, and why."""

    url: str
    reason: str
    detail: str = ""
    capture_id: int | None = None
    attempts: int = 1
    page_kind: str | None = None
    column_kind: str | None = None
    column_url: str | None = None
    # A paged article's: the captures of its pages read before it failed, whose records the
    # writer process holds and drops with the failed page's.
    part_capture_ids: list[int | None] = field(default_factory=list)


def error_text(error: BaseException) -> str:
    """An exception as a failure's detail keeps it. Here, not in spiders/failures.py, because the
    writer process uses it too and must not import Scrapy."""
    return f"{type(error).__name__}: {error}"[:500]
