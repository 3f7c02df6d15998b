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
