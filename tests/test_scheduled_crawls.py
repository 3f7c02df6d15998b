"""Scheduled crawls: cheap repeat runs, revisions, removals, view counts and locks (kills: test_kill_stress.py)."""

from __future__ import annotations

import json
import sqlite3
import time

import pytest

from archive import Archive
from archive.lock import CrawlLock
from npc_archive.exit_codes import LOCKED as EXIT_LOCKED
from replica.server import ReplicaServer
from replica.site import Site
from tests.old_archives import old_archive


def article_paths(sent):
    return [path for path, _ in sent if path.lower().startswith("/showarticle.asp")]


def figures(db, crawl_id=None):
    archive = Archive(db)
    try:
        query = "SELECT * FROM crawls " + ("WHERE id = ?" if crawl_id else "ORDER BY id DESC LIMIT 1")
        return next(iter(archive.db.query(query, [crawl_id] if crawl_id else [])))
    finally:
        archive.close()


def blob_count(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM blobs").fetchone()[0]


def test_second_new_run_stops_at_the_first_known_page(tmp_path, crawl):
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as server:
        crawl(db, server)
        before = len(server.sent)
        crawl(db, server)
        second = [path for path, _ in server.sent[before:]]
    assert second == ["/robots.txt", "/list.asp?ClassID=5"]
    assert figures(db)["documents_new"] == 0 and figures(db)["requests"] == 2


def test_new_run_fetches_only_new_articles(tmp_path, crawl):
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as server:
        crawl(db, server)
        added = server.site.add_opinions(2)
        before = len(server.sent)
        crawl(db, server)
        fetched = article_paths(server.sent[before:])
    assert sorted(fetched) == sorted(f"/ShowArticle.asp?ArticleID={a.id}" for a in added)
    assert figures(db)["documents_new"] == 2


def test_refresh_records_new_changed_removed_and_diff(tmp_path, crawl, npc_archive, query):
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as server:
        crawl(db, server)
        site = server.site
        edited, removed = site.opinions()[5], site.opinions()[9]
        site.add_opinions(2)
        before_edit = set(edited.paragraphs)
        site.edit_opinion(edited.id, "区政府要每半年报告一次整改进展。")
        (old_text,) = before_edit - set(edited.paragraphs)
        (new_text,) = set(edited.paragraphs) - before_edit
        site.remove_opinion(removed.id)
        crawl(db, server, "--mode", "refresh")
        base = server.base_url
    run = figures(db)
    assert (run["documents_new"], run["documents_changed"], run["documents_removed"]) == (2, 1, 1)
    assert run["documents_unchanged"] == 45 - 2
    diff = npc_archive("diff", "--db", str(db), f"{base}/ShowArticle.asp?ArticleID={edited.id}").stdout
    assert "-" + old_text in diff.splitlines() and "+" + new_text in diff.splitlines()
    assert new_text.endswith("区政府要每半年报告一次整改进展。")
    changes = json.loads(npc_archive("changes", "--db", str(db), "--since", run["started_at"], "--format", "json").stdout)
    assert sorted(change["kind"] for change in changes) == ["changed", "new", "new", "removed"]
    ((removed_at, title),) = query(db, "SELECT removed_at, title FROM documents WHERE url LIKE ?", f"%={removed.id}")
    assert removed_at is not None and title == removed.title  # marked, not deleted
    assert query(db, "SELECT count(*) FROM revisions r JOIN documents d ON d.id = r.document_id WHERE d.url LIKE ?",
                 f"%={edited.id}") == [(2,)]


@pytest.mark.parametrize("removed_status", [200, 404, 410])  # 200: a soft 404, as the live CMS answers
def test_removed_document_that_returns_is_restored(tmp_path, removed_status, crawl, query):
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as server:
        crawl(db, server)
        article = server.site.opinions()[3]
        server.site.remove_opinion(article.id, removed_status)
        crawl(db, server, "--mode", "refresh")
        assert (figures(db)["documents_removed"], figures(db)["failures"]) == (1, 0)
        server.site.restore_opinion(article.id)
        crawl(db, server, "--mode", "refresh")
    assert figures(db)["documents_restored"] == 1
    kinds = query(db, "SELECT kind FROM events e JOIN documents d ON d.id = e.document_id WHERE d.url LIKE ? ORDER BY e.id",
                  f"%={article.id}")
    assert kinds == [("new",), ("removed",), ("restored",)]


def test_view_counts_form_a_time_series(tmp_path, crawl, query):
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as server:
        crawl(db, server)
        server.site.bump_views(7)
        crawl(db, server, "--mode", "refresh")
        reference = next(a for a in server.site.opinions() if a.published == "2022-11-15 17:21:10")
    counts = query(db, "SELECT v.count FROM view_counts v JOIN documents d ON d.id = v.document_id "
                       "WHERE d.url LIKE ? ORDER BY v.id", f"%={reference.id}")
    assert counts == [(44920,), (44927,)]


def test_ten_refresh_runs_of_an_unchanged_site_add_no_blobs(tmp_path, crawl):
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as server:
        crawl(db, server)
        blobs = blob_count(db)
        for _ in range(10):
            crawl(db, server, "--mode", "refresh")
    assert blob_count(db) == blobs
    assert figures(db)["bytes_stored"] == 0 and figures(db)["documents_unchanged"] == 45


def test_second_crawl_on_a_busy_archive_exits_at_once(tmp_path, npc_archive):
    db = tmp_path / "a.db"
    with CrawlLock(db):
        started = time.monotonic()
        result = npc_archive("crawl", "--db", str(db), "--start-url", "http://127.0.0.1:9/list.asp", check=False)
    assert result.returncode == EXIT_LOCKED
    assert "another crawl is writing to this archive" in result.stderr
    assert time.monotonic() - started < 30


def test_quiet_crawl_prints_nothing(tmp_path, crawl):
    with ReplicaServer(Site()) as server:
        result = crawl(tmp_path / "a.db", server, "--quiet")
    assert result.returncode == 0 and result.stdout == "" and result.stderr == ""


def test_unreachable_start_page_exits_non_zero(tmp_path, npc_archive):
    result = npc_archive("crawl", "--db", str(tmp_path / "a.db"), "--start-url", "http://127.0.0.1:9/list.asp", "--quiet",
                         "-s", "RETRY_BACKOFF_BASE=0", check=False)
    assert result.returncode == 3 and "no list page could be read" in result.stderr


def test_archive_of_schema_1_upgrades_with_history(tmp_path):
    db = tmp_path / "old.db"
    conn = old_archive(db, ["initial"])
    conn.execute("INSERT INTO crawls (started_at, mode) VALUES ('2026-01-01T00:00:00Z', 'full')")
    conn.execute("INSERT INTO blobs VALUES ('ab', 1, 'none', 1, x'00')")
    conn.execute("INSERT INTO snapshots (crawl_id, url, fetched_at, status, headers, sha256, size) "
                 "VALUES (1, 'http://x/a', '2026-01-01T00:00:01Z', 200, '[]', 'ab', 1)")
    conn.execute("INSERT INTO documents (url, title, published_at, source, view_count, body_text, paragraphs, snapshot_id, "
                 "first_seen_crawl, last_seen_crawl, first_seen_at, last_seen_at) VALUES ('http://x/a', '关于某事的审议意见', "
                 "'2020-01-01', '椒江人大网', 12, '正文', '[\"正文\"]', 1, 1, 1, '2026-01-01T00:00:02Z', '2026-01-01T00:00:02Z')")
    conn.close()
    archive = Archive(db)
    try:
        assert archive.conn.execute("SELECT revision, content_hash IS NOT NULL FROM documents").fetchone() == (1, 1)
        assert archive.conn.execute("SELECT kind FROM events").fetchall() == [("new",)]
        assert archive.conn.execute("SELECT count FROM view_counts").fetchall() == [(12,)]
        capture_id, _ = archive.add_capture(url="http://x/a", status=200, headers=[], body=b"<html>")
        record = {"url": "http://x/a", "title": "关于某事的审议意见", "published_at": "2020-01-01", "source": "椒江人大网",
                  "view_count": 13, "body_text": "正文", "paragraphs": ["正文"]}
        assert archive.save_document(record, capture_id=capture_id, crawl_id=None) == "unchanged"
    finally:
        archive.close()


def test_attachments_are_fetched_once(tmp_path, crawl):
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as server:
        crawl(db, server)
        first = [path for path, _ in server.sent if path.startswith("/UploadFiles/")]
        before = len(server.sent)
        crawl(db, server, "--mode", "refresh")
        again = [path for path, _ in server.sent[before:] if path.startswith("/UploadFiles/")]
    assert first and again == []
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM document_files WHERE capture_id IS NOT NULL").fetchone()[0] == len(first)
