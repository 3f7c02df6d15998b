"""A document the site pages (共3页 上一页 1 2 3 下一页): the records of its pages joined into one."""

from __future__ import annotations

from collections.abc import Iterable

from .facts import document_facts
from .record import Attachment, DocumentRecord
from .sections import split_sections

# Past this many pages a pager is taken to loop (a 下一页 that never ends), not to page a document.
MAX_PARTS = 50


def same_document(first_title: str, title: str) -> bool:
    """Whether a later page's title is its first page's: the same, or with its number after it
    (DedeCMS: 关于…的审议意见(2)). Another title is another document's page."""
    first, later = "".join(first_title.split()), "".join(title.split())
    return later.startswith(first) or first.startswith(later)


def joined_attachments(pages_attachments: Iterable[list[Attachment]]) -> list[Attachment]:
    """The attachments of a document's pages, each once (a page may link the file another does)."""
    joined: dict[str, Attachment] = {}
    for attachments in pages_attachments:
        for attachment in attachments:
            joined.setdefault(attachment["url"], attachment)
    return list(joined.values())


def join_parts(pages: list[DocumentRecord]) -> DocumentRecord:
    """One record of a document's pages in order: its header, neighbours and column from the
    first; the body, its files and images from all of them, the sections and facts read again
    from the whole body; ``parts`` the URLs of the pages after the first."""
    first, later = pages[0], pages[1:]
    if not later:
        return {**first, "parts": []}
    paragraphs = [paragraph for page in pages for paragraph in page["paragraphs"]]
    sections = split_sections(paragraphs, first["title"])
    return {
        **first,
        "body_text": "\n".join(paragraphs),
        "paragraphs": paragraphs,
        "attachments": joined_attachments(page["attachments"] for page in pages),
        "images": list(dict.fromkeys(src for page in pages for src in page["images"])),
        "sections": sections,
        "facts": document_facts(sections, first["title"]),
        "parts": [page["url"] for page in later],
    }
