"""An article page read for the spider: what it needs to go on (the failure, the column, where
the view count is, the files and requisites to fetch) apart from the record it archives.

The spider reads pages itself (ARCHIVE_WRITER ``inline``) or has the writer process read them
(pipelines/writer.py), which keeps the record to store and sends back only this reading: the
record, the larger part, never crosses the pipe.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from w3lib.url import canonicalize_url

from archive import Archive
from archive.blobs import UnreadableBlob
from archive.captures import decode_content
from parsers import (
    MAX_PARTS,
    DocumentRecord,
    NotAnArticle,
    ParseError,
    ends_before_signature,
    join_parts,
    joined_attachments,
    parse_article,
    parse_article_and_requisites,
)
from parsers.files import file_type
from parsers.lines import without_session_id

if TYPE_CHECKING:  # the writer process reads pages too, and imports no Twisted
    from twisted.internet.defer import Deferred


@dataclass
class ArticleReading:
    error: tuple[str, str] | None = None  # (reason, message) of the ParseError; no record then
    soft_404: bool = False  # the page says it is gone (a NotAnArticle): a removal, not a failure
    column: str | None = None
    view_count: int | None = None
    view_count_url: str | None = None
    published_at: str | None = None
    attachments: list[dict] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    body_text_length: int = 0
    body_text_end: str = ""  # its last 40 characters
    body_text_digest: str = ""  # a later page of a paged article that shows an earlier one's text is no page of it
    title: str = ""  # nor one of another title
    ends_before_signature: bool = False
    requisites: list[str] = field(default_factory=list)  # stylesheets and images, files excluded
    next_part: str | None = None  # the URL of the article's next page, where the site pages it


Reading = tuple[ArticleReading, "DocumentRecord | None"]


def document_url(fetched_url: str) -> str:
    """The URL a document is archived under: the fetched one canonical, without the session's id
    a redirect may have added (…1045.htm;jsessionid=…), which changes from crawl to crawl."""
    return canonicalize_url(without_session_id(fetched_url))


def read_article_page(body: bytes, url: str, content_type: str | None) -> Reading:
    """The reading of an article page (``url``: as fetched) and its record (None if it failed)."""
    try:
        article, requisites = parse_article_and_requisites(body, document_url(url), content_type, fetched_url=url)
    except ParseError as error:
        soft_404 = isinstance(error, NotAnArticle) and error.reason == "soft_404"
        return ArticleReading(error=(error.reason, str(error)), soft_404=soft_404), None
    record = article.to_dict()
    files = set(article.images) | {attachment["url"] for attachment in article.attachments}
    reading = ArticleReading(
        column=article.column, view_count=article.view_count, view_count_url=article.view_count_url,
        published_at=article.published_at, attachments=article.attachments, images=article.images, body_text_length=len(article.body_text),
        body_text_end=article.body_text[-40:],
        # A document published as files has its signature in them.
        ends_before_signature=ends_before_signature(record["sections"]) and not article.published_as_files,
        requisites=[src for src in requisites if src not in files], next_part=next(iter(record["parts"]), None),
        body_text_digest=hashlib.blake2b(article.body_text.encode(), digest_size=16).hexdigest(), title=article.title)
    return reading, record


def joined_reading(readings: list[ArticleReading]) -> ArticleReading:
    """The reading of an article the site pages, from its pages' in order (as parsers.join_parts
    joins their records): the header's fields of the first, the files of all, the end of the last."""
    first, last = readings[0], readings[-1]
    return ArticleReading(
        column=first.column, view_count=first.view_count, view_count_url=first.view_count_url, published_at=first.published_at,
        attachments=joined_attachments(reading.attachments for reading in readings),
        images=list(dict.fromkeys(src for reading in readings for src in reading.images)),
        body_text_length=sum(reading.body_text_length for reading in readings) + len(readings) - 1,
        body_text_end=last.body_text_end, ends_before_signature=last.ends_before_signature,
        requisites=list(dict.fromkeys(src for reading in readings for src in reading.requisites)))

# (capture id, body, URL, Content-Type) -> the reading and the record, or a Deferred of them.
ArticleReader = Callable[[int | None, bytes, str, str | None], "Reading | Deferred"]


def read_here(capture_id: int | None, body: bytes, url: str, content_type: str | None) -> Reading:
    """Read in this process; the record goes to the writer in the item."""
    return read_article_page(body, url, content_type)


class MissingPart(LookupError):
    """A later page of a paged article has no capture after its first page's."""


# Why an archived capture reads as no record: the page no longer parses, its stored bytes
# cannot be rebuilt or decoded (damaged in the archive), or a later page of it was never captured.
UNREADABLE_CAPTURE = (ParseError, UnreadableBlob, ValueError, zlib.error, MissingPart)


def read_archived(archive: Archive, url: str, capture_id: int) -> DocumentRecord | None:
    """The record this parser reads in an archived capture of the document at ``url``, fetching
    nothing; where the site pages it, joined with its later pages' captures, each the first
    fetched after the first page's (in the same crawl). None for a document published as a file,
    whose record is its list row's: nothing in the capture to read again. Raises one of
    UNREADABLE_CAPTURE."""
    body, content_type = _archived_body(archive, capture_id)
    if file_type(body, content_type):
        return None
    pages = [parse_article(body, url, content_type).to_dict()]
    seen = {url}
    while pages[-1]["parts"] and pages[-1]["parts"][0] not in seen and len(pages) < MAX_PARTS:
        part_url = pages[-1]["parts"][0]
        part_capture = archive.capture_after(part_url, capture_id)
        if part_capture is None:
            raise MissingPart(f"page {len(pages) + 1} of the article, {part_url}, is not captured")
        pages.append(_archived_page(archive, part_url, part_capture))
        seen.add(part_url)
    return join_parts(pages)


def _archived_page(archive: Archive, url: str, capture_id: int) -> DocumentRecord:
    body, content_type = _archived_body(archive, capture_id)
    return parse_article(body, url, content_type).to_dict()


def _archived_body(archive: Archive, capture_id: int) -> tuple[bytes, str | None]:
    """A capture's body as the server meant it (its Content-Encoding undone) and its Content-Type."""
    capture = archive.capture(capture_id)
    return decode_content(archive.capture_body(capture_id), capture["headers"]), capture["content_type"]
