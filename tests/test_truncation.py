"""A body shorter than its Content-Length, or a page that ends before its signature, is a
recorded failure: never stored as a complete document, fetched again by the next run."""

from __future__ import annotations

from archive import Archive
from replica.server import ReplicaServer
from replica.site import Site


def article_url(server, article) -> str:
    return f"{server.base_url}/ShowArticle.asp?ArticleID={article.id}"


def crawl_with_fault(tmp_path, kind: str, crawl, query):
    """A crawl with ``kind`` on one article, then a `new` run once the site is healthy again."""
    db = tmp_path / "a.db"
    site = Site()
    article = site.opinions()[4]
    site.add_fault(f"/ShowArticle.asp?ArticleID={article.id}", kind)
    with ReplicaServer(site) as server:
        first = crawl(db, server, "-s", "RETRY_TIMES=1", "-s", "RETRY_BACKOFF_BASE=0.05", check=False)
        url = article_url(server, article)
        failures = query(db, "SELECT url, page_kind, reason, attempts, capture_id, detail FROM failures")
        archived_first = query(db, "SELECT count(*) FROM documents WHERE url = ?", url)
        site.faults.clear()
        second = crawl(db, server, check=False)
    return db, url, first, failures, archived_first, second


def test_a_body_shorter_than_its_content_length_is_kept_as_received_and_recorded_as_truncated(tmp_path, crawl, query):
    db, url, first, failures, archived_first, second = crawl_with_fault(tmp_path, "short", crawl, query)
    assert first.returncode == 1, first.stderr
    ((failed_url, page_kind, reason, attempts, capture_id, detail),) = failures
    assert (failed_url, page_kind, reason, attempts) == (url, "article", "truncated", 2)
    assert archived_first == [(0,)]
    archive = Archive(db)
    try:
        capture = archive.capture(capture_id)
        received = archive.capture_body(capture_id)
    finally:
        archive.close()
    declared = int(dict((name.lower(), value) for name, value in capture["headers"])["content-length"])
    assert 0 < len(received) < declared  # what came, not a complete page
    assert detail == f"the body ended before its Content-Length ({declared} bytes)"
    assert second.returncode == 0, second.stderr
    assert query(db, "SELECT count(*) FROM documents WHERE url = ?", url) == [(1,)]


def test_a_page_cut_before_its_signature_is_an_incomplete_page_and_the_next_run_archives_it(tmp_path, crawl, query):
    db, url, first, failures, archived_first, second = crawl_with_fault(tmp_path, "cut_length", crawl, query)
    assert first.returncode == 1, first.stderr
    ((failed_url, page_kind, reason, attempts, capture_id, detail),) = failures
    assert (failed_url, page_kind, reason) == (url, "article", "incomplete_page")
    assert capture_id is not None and detail.startswith("the text ends before its signature")
    assert archived_first == [(0,)]
    assert second.returncode == 0, second.stderr
    assert query(db, "SELECT signed_date IS NOT NULL FROM documents WHERE url = ?", url) == [(1,)]


def test_an_opinion_published_without_its_signature_is_archived_on_the_second_run_that_finds_it_so(tmp_path, crawl, query):
    db = tmp_path / "a.db"
    site = Site()
    article = site.opinions()[4]
    article.sections = [section for section in article.sections if section["kind"] != "signature"]
    with ReplicaServer(site) as server:
        url = article_url(server, article)
        first = crawl(db, server, check=False)
        assert first.returncode == 1, first.stderr
        assert query(db, "SELECT reason FROM failures WHERE url = ?", url) == [("incomplete_page",)]
        assert query(db, "SELECT count(*) FROM documents WHERE url = ?", url) == [(0,)]
        # Cut at the same place again: that is the page as published, not a transfer that broke.
        second = crawl(db, server, check=False)
        assert second.returncode == 0, second.stderr
        assert query(db, "SELECT signed_date, body_text LIKE ? FROM documents WHERE url = ?",
                     f"%{article.paragraphs[-1][-20:]}", url) == [(None, 1)]
        third = crawl(db, server, "--mode", "refresh", check=False)
        assert third.returncode == 0, third.stderr
    assert query(db, "SELECT count(*) FROM failures WHERE url = ?", url) == [(1,)]


def test_an_opinion_published_as_a_file_is_archived_on_its_first_run(tmp_path, crawl, query):
    # The page shows the file's name only: the signature is in the file, not missing.
    db = tmp_path / "a.db"
    site = Site()
    article = site.opinions()[4]
    article.sections, article.attachments = [], [{"name": f"{article.title}.pdf"}]
    with ReplicaServer(site) as server:
        url = article_url(server, article)
        result = crawl(db, server, check=False)
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT count(*) FROM failures WHERE url = ?", url) == [(0,)]
    assert query(db, "SELECT body_text, signed_date FROM documents WHERE url = ?", url) == [(f"附件:{article.title}.pdf", None)]
    assert query(db, "SELECT count(*) FROM document_files WHERE document_url = ? AND kind = 'attachment' AND capture_id IS NOT NULL",
                 url) == [(1,)]
