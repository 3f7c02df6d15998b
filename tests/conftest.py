from __future__ import annotations

import os
from pathlib import Path

import pytest

from replica.content import Article
from replica.server import ReplicaServer
from replica.site import Site
from tests.crawling import npc_archive

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


@pytest.fixture(scope="session")
def recrawled(tmp_path_factory) -> tuple[ReplicaServer, Path]:
    """An archive of two crawls of the same (stopped) replica: most pages are captured twice with the same bytes.
    Tests that change the archive work on a copy."""
    db = tmp_path_factory.mktemp("recrawled") / "archive.db"
    with ReplicaServer(Site(markup="table")) as server:
        for mode in ("new", "refresh"):
            npc_archive("crawl", "--db", str(db), "--start-url", server.start_url, "--mode", mode)
    return server, db
