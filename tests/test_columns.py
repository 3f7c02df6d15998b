"""More than one column per site: each crawled with the same modes and completeness rules, its
documents carrying their column's kind and URL, removals detected per column."""

from __future__ import annotations

import dataclasses
import json

import pytest

from archive import Archive
from archive.plan import crawl_plan
from npc_archive.exit_codes import INCOMPLETE, USAGE
from parsers import parse_article
from replica.render import OTHER_COLUMNS, list_url
from replica.server import ReplicaServer
from replica.site import Site
from tests.old_archives import before, old_archive

NEWS_CLASS_ID = OTHER_COLUMNS["工作动态"]


@pytest.fixture(scope="module")
def reference_record(table_pages):
    return parse_article(*table_pages.article(table_pages.reference)).to_dict()


def news_url(server: ReplicaServer) -> str:
    return server.base_url + list_url(1, NEWS_CLASS_ID)


def news_articles(site: Site):
    return site.column_articles("工作动态")


def test_a_crawl_of_two_columns_keeps_each_documents_column(tmp_path, crawl, query):
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as server:
        crawl(db, server, "--column", f"news={news_url(server)}")
        columns = dict(query(db, "SELECT column_kind, count(*) FROM documents GROUP BY column_kind"))
        [(arguments,)] = query(db, "SELECT arguments FROM crawls")
        news = query(db, "SELECT column_url, title FROM documents WHERE column_kind = 'news'")
        assert {column for column, _ in news} == {news_url(server)}
        assert query(db, "SELECT DISTINCT column_url FROM documents WHERE column_kind = 'opinions'") == [(server.start_url,)]
        assert json.loads(arguments)["columns"] == [{"kind": "opinions", "url": server.start_url},
                                                   {"kind": "news", "url": news_url(server)}]
    assert columns == {"opinions": 45, "news": len(news_articles(server.site))}
    # the breadcrumb of a news column is not the opinions'
    assert sorted(title for _, title in news) == sorted(article.title for article in news_articles(server.site))


def test_new_mode_stops_at_the_first_known_page_of_each_column(tmp_path, crawl):
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as server:
        crawl(db, server, "--column", f"news={news_url(server)}")
        before_second = len(server.sent)
        crawl(db, server, "--column", f"news={news_url(server)}")
        second = sorted(path for path, _ in server.sent[before_second:])
    assert second == sorted(["/robots.txt", "/list.asp?ClassID=5", list_url(1, NEWS_CLASS_ID)])


def test_a_refresh_detects_removals_per_column_and_revisits_only_the_columns_crawled(tmp_path, crawl, query):
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as server:
        news = news_articles(server.site)[0]
        older = dataclasses.replace(news, id=9100, title="区人大常委会召开第四次主任会议", published="2022-09-20 16:40:12")
        server.site.articles.append(older)
        server.site.views[older.id] = older.views
        crawl(db, server, "--column", f"news={news_url(server)}")
        server.site.remove_opinion(news.id, 404)
        before_opinions_only = len(server.sent)
        crawl(db, server, "--mode", "refresh")  # the opinions column alone: the news page is not asked for
        opinions_only = [path for path, _ in server.sent[before_opinions_only:]]
        crawl(db, server, "--mode", "refresh", "--column", f"news={news_url(server)}")
    assert f"/ShowArticle.asp?ArticleID={news.id}" not in opinions_only
    assert query(db, "SELECT e.kind, d.column_kind FROM events e JOIN documents d ON d.id = e.document_id "
                     "WHERE e.kind = 'removed'") == [("removed", "news")]


def test_each_column_is_complete_or_not_on_its_own(tmp_path, crawl, query):
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as server:
        server.site.add_fault(list_url(1, NEWS_CLASS_ID), "empty")
        result = crawl(db, server, "--column", f"news={news_url(server)}", check=False)
    assert result.returncode == INCOMPLETE
    assert "news column: list page" in result.stderr and "opinions column" not in result.stderr
    assert query(db, "SELECT count(*) FROM documents WHERE column_kind = 'opinions'") == [(45,)]
    assert query(db, "SELECT column_kind FROM failures WHERE page_kind = 'list'") == [("news",)]


def test_a_column_option_that_is_not_kind_equals_url_is_a_usage_error(tmp_path, cli):
    for value in ("news", "gossip=http://127.0.0.1:1/list.asp?ClassID=3", "news=", "reports=ftp://example.org/x"):
        result = cli("crawl", "--db", str(tmp_path / "a.db"), "--column", value, check=False)
        assert result.returncode == USAGE and "--column" in result.output
    assert not (tmp_path / "a.db").exists()


def test_the_plan_revisits_each_document_for_the_crawled_column_of_its_kind(tmp_path, reference_record):
    archive = Archive(tmp_path / "a.db")
    try:
        capture, _ = archive.add_capture(url="http://a.example/x", status=200, headers=[], body=b"x")
        for url, kind in (("http://a.example/o", "opinions"), ("http://a.example/r", "reports"), ("http://b.example/r", "reports")):
            archive.save_document({**reference_record, "url": url}, capture_id=capture, crawl_id=None, column_kind=kind,
                                  column_url=f"http://{url.split('/')[2]}/{kind}")
        columns = [("opinions", "http://a.example/o-list"), ("reports", "http://a.example/r-list"),
                   ("reports", "http://b.example/r-list")]
        plan = crawl_plan(archive, "refresh", columns[0][1], columns)
        opinions_only = crawl_plan(archive, "refresh", "http://a.example/o-list")
    finally:
        archive.close()
    assert plan.column_of == {"http://a.example/o": "http://a.example/o-list", "http://a.example/r": "http://a.example/r-list",
                              "http://b.example/r": "http://b.example/r-list"}
    assert opinions_only.revisit == ("http://a.example/o",)


def test_an_archive_from_before_columns_upgrades_its_documents_to_opinions_of_their_first_crawl(tmp_path):
    path = tmp_path / "old.db"
    conn = old_archive(path, before("columns"))
    conn.execute("INSERT INTO crawls (id, started_at, mode, arguments) VALUES (1, '2026-11-01T00:00:00Z', 'full', ?)",
                 (json.dumps({"start_url": "http://jjrd.example/list.asp?ClassID=5", "mode": "full"}),))
    conn.execute("INSERT INTO documents (url, title, body_text, paragraphs, capture_id, first_seen_crawl, first_seen_at, last_seen_at) "
                 "VALUES ('http://jjrd.example/a', '关于某事的审议意见', '区人民政府:', '[]', 1, 1, 'x', 'x')")
    conn.execute("INSERT INTO failures (url, reason, failed_at, page_kind) VALUES ('http://jjrd.example/b', 'http_503', 'x', 'article')")
    conn.close()
    archive = Archive(path)
    try:
        [document] = archive.documents()
        assert (document["column_kind"], document["column_url"]) == ("opinions", "http://jjrd.example/list.asp?ClassID=5")
        assert archive.url_columns() == {"http://jjrd.example/a": "opinions", "http://jjrd.example/b": None}
        assert "columns" in [name for (name,) in archive.conn.execute("SELECT name FROM _migrations")]
    finally:
        archive.close()
