"""Items the spider hands to the pipelines."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DocumentItem:
    """A parsed article page (``record`` is ``parsers.article.Article.to_dict()``)."""

    record: dict
    snapshot_id: int | None
    list_title: str | None = None
    extra_snapshot_ids: list[int] = field(default_factory=list)


@dataclass
class FailureItem:
    """A URL that yielded no document, and why."""

    url: str
    reason: str
    detail: str = ""
    snapshot_id: int | None = None
    attempts: int = 1
