from __future__ import annotations

import os
from pathlib import Path

import pytest

from replica.content import Article
from replica.site import Site

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("NPC_SHARED_DIR", ROOT.parent / "shared"))
BASE = "http://jjrd.example"


@pytest.fixture(scope="session", params=["table", "div"])
def site(request) -> Site:
    """The replica in each of its two markups."""
    return Site(markup=request.param)


@pytest.fixture(scope="session")
def table_site() -> Site:
    return Site(markup="table")


def fetch(site: Site, path: str) -> tuple[bytes, str, str]:
    """(body, url, content_type) of a replica page, as a client without gzip gets it."""
    reply = site.handle(path)
    return reply.body, BASE + path, dict(reply.headers)["Content-Type"]


def article_path(article: Article) -> str:
    return f"/ShowArticle.asp?ArticleID={article.id}"


def reference_article(site: Site) -> Article:
    return next(a for a in site.articles if a.published == "2022-11-15 17:21:10")
