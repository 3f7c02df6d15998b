"""A document whose view count or files did not come is recorded as such, and the next run completes it."""

from __future__ import annotations

import json
import sqlite3

import pytest

from archive.store import MAX_TRIES
from replica.server import ReplicaServer
from replica.site import Site


def counted_article(site: Site):
    return next(article for article in site.articles if article.counter_script)


def article_url(server, article) -> str:
    return f"{server.base_url}/ShowArticle.asp?ArticleID={article.id}"


@pytest.mark.parametrize("fault, reason", [("soft_404", "no_count"), ("500", "http_500")])
def test_a_counter_that_fails_gives_no_count_and_a_failure_then_the_next_run_gets_it(tmp_path, fault, reason, crawl, npc_archive, query):
    db = tmp_path / "a.db"
    site = Site()
    article = counted_article(site)
    site.add_fault(f"/count.asp?id={article.id}", fault)
    with ReplicaServer(site) as server:
        first = crawl(db, server, "-s", "RETRY_TIMES=0", check=False)
        url = article_url(server, article)
        failures = json.loads(npc_archive("failures", "--db", str(db), "--crawl", "1", "--format", "json").stdout)
        assert first.returncode == 1
        assert [(row["page_kind"], row["reason"]) for row in failures] == [("counter", reason)]
        view_count = "SELECT view_count FROM documents WHERE url = ?"
        assert query(db, view_count, url) == [(None,)]  # not a number read off an error page
        assert query(db, "SELECT count(*) FROM view_counts JOIN documents d ON d.id = document_id WHERE d.url = ?", url) == [(0,)]

        site.faults.clear()
        before = len(server.sent)
        second = crawl(db, server)
        refetched = [path for path, _ in server.sent[before:]]
    assert second.returncode == 0
    assert query(db, view_count, url) == [(site.views[article.id],)]
    assert f"/count.asp?id={article.id}" in refetched
    assert sum(path.startswith("/count.asp") for path in refetched) == 1  # the others' counts are archived


def failing_attachment(site: Site) -> str:
    """The path of an attachment that answers 500 until the site's faults are cleared."""
    article = next(article for article in site.articles if article.attachments)
    attachment = site.attachment_urls(article)[0]
    site.add_fault(attachment, "500")
    return attachment


def test_a_file_that_failed_is_fetched_by_the_next_new_run(tmp_path, crawl, query):
    db = tmp_path / "a.db"
    site = Site()
    attachment = failing_attachment(site)
    with ReplicaServer(site) as server:
        assert crawl(db, server, "-s", "RETRY_TIMES=0", check=False).returncode == 1
        stored = "SELECT count(*) FROM document_files WHERE url = ?"
        assert query(db, stored, server.base_url + attachment) == [(0,)]
        site.faults.clear()
        assert crawl(db, server).returncode == 0
        assert query(db, stored, server.base_url + attachment) == [(1,)]


def test_files_missing_after_a_kill_are_fetched_by_the_next_run(tmp_path, crawl, query):
    """A kill between a document's commit and its files' leaves the document without them."""
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as server:
        crawl(db, server)
        files = query(db, "SELECT document_url, url FROM document_files ORDER BY url")
        conn = sqlite3.connect(db)
        with conn:
            conn.execute("DELETE FROM document_files WHERE url = ?", (files[0][1],))
        conn.close()
        before = len(server.sent)
        crawl(db, server)
        second = [path for path, _ in server.sent[before:]]
    assert query(db, "SELECT document_url, url FROM document_files ORDER BY url") == files
    assert files[0][0].removeprefix(server.base_url) in second


def test_a_file_that_keeps_failing_is_given_up_after_max_tries(tmp_path, crawl, query):
    """A broken attachment link must not fail every cron run forever; it stays in failures."""
    db = tmp_path / "a.db"
    site = Site()
    attachment = failing_attachment(site)
    with ReplicaServer(site) as server:
        exits = [crawl(db, server, "-s", "RETRY_TIMES=0", check=False).returncode for _ in range(MAX_TRIES)]
        before = len(server.sent)
        last = crawl(db, server, "-s", "RETRY_TIMES=0", check=False)
        after = [path for path, _ in server.sent[before:]]
    assert exits == [1] * MAX_TRIES
    assert last.returncode == 0 and attachment not in after
    assert query(db, "SELECT count(*) FROM failures WHERE url = ?", server.base_url + attachment) == [(MAX_TRIES,)]
