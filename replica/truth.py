"""Ground truth for the replica's pages: what a correct parser reads off each article."""

from __future__ import annotations

from .content import Article


def expected_paragraphs(article: Article) -> list[str]:
    return article.paragraphs + [f"附件:{attachment['name']}" for attachment in article.attachments]


def expected_record(article: Article, views: int) -> dict:
    """The fields of the article's record; ``views`` is the count the page shows or the counter wrote."""
    paragraphs = expected_paragraphs(article)
    return {
        "title": article.title,
        "published_at": article.published.replace(" ", "T") + "+08:00",
        "source": article.source,
        "view_count": views,
        "paragraphs": paragraphs,
        "body_text": "\n".join(paragraphs),
        "column": article.column,
    }


def expected_sections(article: Article) -> list[dict]:
    """The labelled sections as the parser reports them: text joined by newlines, items numbered,
    the section's lead-in (text before its first item) as its heading, and the rendered
    attachment lines (``附件:NAME``, which fit no section of an opinion) as ``other``."""
    sections = []
    for section in article.sections:
        text = "\n".join(section["paragraphs"])
        items = [{"ordinal": number, "heading": item["heading"], "text": item["text"]}
                 for number, item in enumerate(section.get("items", []), start=1)]
        lead = text[:text.index(items[0]["text"])].rstrip("\n") if items else ""
        sections.append({"kind": section["kind"], "heading": lead or None, "text": text, "items": items})
    if article.attachments:
        lines = "\n".join(f"附件:{attachment['name']}" for attachment in article.attachments)
        sections.append({"kind": "other", "heading": None, "text": lines, "items": []})
    return sections
