"""Fixtures shared by the tests: the replica's pages, the command line, crawls and their archives.

Test modules take these as arguments and import nothing from one another. Tests that crawl
(a crawl or the command in a subprocess, seconds each) carry the ``crawl`` marker, so that
``pytest -m "not crawl"`` runs the fast rest: a test that uses a fixture of CRAWL_FIXTURES,
directly or through another fixture, is marked here; one that crawls another way (a script)
is marked by hand.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from npc_archive.cli import main
from replica.content import Article
from replica.server import ReplicaServer
from replica.site import Site

BASE = "http://jjrd.example"
CRAWL_FIXTURES = {"npc_archive", "crawl", "recrawled", "refreshed_after_changes"}


@pytest.hookimpl(tryfirst=True)  # before -m deselects by marker
def pytest_collection_modifyitems(items):
    for item in items:
        if CRAWL_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.crawl)


# The replica's pages, in process -----------------------------------------------------------

@dataclass(frozen=True)
class ReplicaPages:
    """A replica site's pages as a client without gzip gets them, at the example host BASE."""

    site: Site
    base: str = BASE

    def get(self, path: str) -> tuple[bytes, str, str]:
        """(body, url, content_type) of a page: the arguments of parse_article and parse_list."""
        reply = self.site.handle(path)
        return reply.body, self.base + path, dict(reply.headers)["Content-Type"]

    def followed(self, path: str) -> tuple[bytes, str, str | None]:
        """``get`` of the page a family serves at ``path``, after the redirect it may answer with
        (a family's article URL), and whatever its Content-Type (a static page may name none)."""
        reply = self.site.handle(path)
        if reply.status in (301, 302):
            path = dict(reply.headers)["Location"]
            reply = self.site.handle(path)
        return reply.body, self.base + path, dict(reply.headers).get("Content-Type")

    @staticmethod
    def article_path(article: Article) -> str:
        return f"/ShowArticle.asp?ArticleID={article.id}"

    def article(self, article: Article) -> tuple[bytes, str, str]:
        return self.get(self.article_path(article))

    @property
    def reference(self) -> Article:
        """The opinion of 2022-11-15 that the README shows."""
        return next(a for a in self.site.articles if a.published == "2022-11-15 17:21:10")


@pytest.fixture(scope="session", params=["table", "div"])
def site(request) -> Site:
    """The replica in each of its two markups."""
    return Site(markup=request.param)


@pytest.fixture(scope="session")
def table_site() -> Site:
    return Site(markup="table")


@pytest.fixture(scope="session")
def pages(site) -> ReplicaPages:
    """The pages of ``site`` (each markup)."""
    return ReplicaPages(site)


@pytest.fixture(scope="session")
def table_pages(table_site) -> ReplicaPages:
    return ReplicaPages(table_site)


# The command line ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def cli():
    """The command line in process: ``cli("verify", "--db", db)`` gives click's Result, with a
    ``returncode`` as a subprocess has; it asserts exit code 0 unless ``check=False``. ``env``
    sets environment variables for the one call."""
    def run(*args, check: bool = True, env: dict[str, str] | None = None) -> Result:
        result = CliRunner().invoke(main, [str(arg) for arg in args], env=env)
        if check:
            assert result.exit_code == 0, result.output
        result.returncode = result.exit_code
        return result
    return run


@pytest.fixture(scope="session")
def npc_archive():
    """The command in a subprocess, as a user or cron runs it (the way a crawl is run)."""
    def run(*args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "npc_archive", *args], capture_output=True, text=True, check=check,
                              timeout=timeout)
    return run


@pytest.fixture(scope="session")
def crawl(npc_archive):
    """``crawl(db, server, *args)``: one ``npc-archive crawl`` of a running replica into ``db``."""
    def run(db, server: ReplicaServer, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return npc_archive("crawl", "--db", str(db), "--start-url", server.start_url, *args, check=check)
    return run


@pytest.fixture(scope="session")
def query():
    """``query(db, sql, *params)``: the rows of one query, on a connection of its own (closed after)."""
    def rows(db, sql: str, *params) -> list[tuple]:
        conn = sqlite3.connect(db)
        try:
            return conn.execute(sql, params).fetchall()
        finally:
            conn.close()
    return rows


@pytest.fixture(scope="session")
def documents_in():
    """``documents_in(db)``: how many documents an archive holds, read while a crawl writes it
    (0 before the archive or its schema exists)."""
    def count(db) -> int:
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            try:
                return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error:
            return 0  # not made yet, or its schema not yet there
    return count


# Archives of real crawls --------------------------------------------------------------------

@pytest.fixture(scope="session")
def recrawled(tmp_path_factory, crawl) -> tuple[ReplicaServer, Path]:
    """An archive of two crawls of the same (stopped) replica: most pages are captured twice with the same bytes.
    Tests that change the archive work on ``recrawled_copy``."""
    db = tmp_path_factory.mktemp("recrawled") / "archive.db"
    with ReplicaServer(Site(markup="table")) as server:
        for mode in ("new", "refresh"):
            crawl(db, server, "--mode", mode)
    return server, db


@pytest.fixture
def recrawled_copy(recrawled, tmp_path) -> Path:
    """A copy of the ``recrawled`` archive, for a test to change."""
    _, db = recrawled
    copy = tmp_path / "copy.db"
    with sqlite3.connect(db) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    return copy


@dataclass(frozen=True)
class ChangedSite:
    """An archive of a crawl and a ``refresh`` run of a replica that edited one opinion and
    removed another (a soft 404, as the live CMS answers) in between."""

    db: Path
    server: ReplicaServer
    removed_url: str
    edited_url: str


@pytest.fixture(scope="session")
def refreshed_after_changes(tmp_path_factory, crawl) -> ChangedSite:
    db = tmp_path_factory.mktemp("refreshed") / "archive.db"
    site = Site(markup="table")
    with ReplicaServer(site) as server:
        crawl(db, server)
        site.edit_opinion(1040)
        site.remove_opinion(1030, 200)
        crawl(db, server, "--mode", "refresh")
    path = f"{server.base_url}/ShowArticle.asp?ArticleID="
    return ChangedSite(db, server, f"{path}1030", f"{path}1040")
