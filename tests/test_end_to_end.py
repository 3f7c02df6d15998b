"""A real crawl of the replica on 127.0.0.1, in a subprocess, into a fresh archive."""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlsplit

import pytest

from archive import Archive
from archive.export import document_sections
from replica.server import ReplicaServer
from replica.site import Site
from replica.truth import expected_record, expected_sections


@pytest.fixture(scope="module", params=["table", "div"])
def crawled(request, tmp_path_factory, crawl):
    db = tmp_path_factory.mktemp("e2e") / "archive.db"
    with ReplicaServer(Site(markup=request.param)) as server:
        result = crawl(db, server)
    archive = Archive(db)
    yield server, archive, result
    archive.close()


def test_crawl_exits_zero_and_summarises(crawled):
    server, _, result = crawled
    assert result.returncode == 0, result.stderr
    assert f"{len(server.site.opinions())} new" in result.stdout


def test_every_opinion_archived_with_right_fields(crawled):
    server, archive, _ = crawled
    documents = {row["url"]: row for row in archive.documents()}
    opinions = server.site.opinions()
    assert len(documents) == len(opinions)
    for article in opinions:
        row = documents[f"{server.base_url}/ShowArticle.asp?ArticleID={article.id}"]
        # Counter-script pages show the count the counter wrote when we fetched it.
        expected = expected_record(article, server.site.views[article.id])
        actual = {**row, "paragraphs": json.loads(row["paragraphs"]), "column": row["column_name"]}
        assert {key: actual[key] for key in expected} == expected, article.title


def test_other_column_pages_are_not_archived(crawled):
    server, archive, _ = crawled
    others = {f"{server.base_url}/ShowArticle.asp?ArticleID={a.id}" for a in server.site.articles if a.column != "审议意见"}
    assert others and not others & {row["url"] for row in archive.documents()}


def test_snapshots_hold_the_bytes_the_server_sent(crawled):
    server, archive, _ = crawled
    sent = {}
    for path, reply in server.sent:
        sent.setdefault(path, []).append(reply.body)
    rows = archive.conn.execute("SELECT id, url, headers FROM snapshots").fetchall()
    assert len(rows) == len(server.sent)
    gzipped = 0
    for capture_id, url, headers in rows:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        assert archive.capture_body(capture_id) in sent[path], url
        gzipped += any(name.lower() == "content-encoding" and value == "gzip" for name, value in json.loads(headers))
    assert gzipped >= len(server.site.opinions())


def test_documents_link_to_their_capture(crawled):
    _, archive, _ = crawled
    missing = archive.conn.execute(
        "SELECT count(*) FROM documents d LEFT JOIN snapshots s ON s.id = d.capture_id WHERE s.id IS NULL OR s.url != d.url"
    ).fetchone()[0]
    assert missing == 0
    assert archive.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_crawl_is_recorded(crawled):
    server, archive, _ = crawled
    status, stats = archive.conn.execute("SELECT status, stats FROM crawls").fetchone()
    assert status == "finished"
    assert json.loads(stats)["npc/documents/new"] == len(server.site.opinions())


def test_export_jsonl_and_csv(crawled, npc_archive):
    server, archive, _ = crawled
    lines = npc_archive("export", "--db", str(archive.path), "--format", "jsonl").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == len(server.site.opinions())
    assert {"url", "title", "published_at", "source", "view_count", "body_text"} <= set(records[0])
    rows = list(csv.DictReader(io.StringIO(npc_archive("export", "--db", str(archive.path), "--format", "csv").stdout)))
    assert [row["url"] for row in rows] == [record["url"] for record in records]
    assert rows[0]["title"] == records[0]["title"]


def test_parse_command_on_a_saved_page(crawled, tmp_path, npc_archive):
    server, _, _ = crawled
    article = server.site.opinions()[0]
    reply = server.site.handle(f"/ShowArticle.asp?ArticleID={article.id}")
    page = tmp_path / "page.html"
    page.write_bytes(reply.body)
    record = json.loads(npc_archive("parse", str(page), "--url", "http://jjrd.example/a.asp").stdout)
    assert record["title"] == article.title and record["view_count"] == server.site.views[article.id]


def test_attachments_and_body_images_are_stored_and_linked(crawled):
    server, archive, _ = crawled
    site = server.site
    expected = set()
    for article in site.opinions():
        document_url = f"{server.base_url}/ShowArticle.asp?ArticleID={article.id}"
        expected |= {(document_url, server.base_url + path, "attachment") for path in site.attachment_urls(article)}
        expected |= {(document_url, server.base_url + path, "image") for path in site.image_urls(article)}
    rows = archive.conn.execute("SELECT document_url, url, kind, capture_id FROM document_files").fetchall()
    assert {row[:3] for row in rows} == expected and any(kind == "image" for _, _, kind in expected)
    for _, url, _, capture_id in rows:
        assert archive.capture_body(capture_id) == site.handle(urlsplit(url).path).body
def test_sections_and_facts_are_archived(crawled):
    server, archive, _ = crawled
    documents = {row["url"]: row for row in archive.documents()}
    for article in server.site.opinions():
        row = documents[f"{server.base_url}/ShowArticle.asp?ArticleID={article.id}"]
        sections = document_sections(archive, row["id"])
        assert [(s["kind"], len(s["items"])) for s in sections] == [
            (s["kind"], len(s["items"])) for s in expected_sections(article)], article.title
        assert "\n".join(s["text"] for s in sections) == row["body_text"]
        assert {fact: row[fact] for fact in article.facts} == article.facts, article.title
