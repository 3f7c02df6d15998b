"""Fault modes of the replica, the parsers on odd pages, and the retry schedule."""

from __future__ import annotations

import gzip
import struct
from datetime import datetime, timezone

import pytest
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest
from twisted.internet.error import ConnectionRefusedError
from twisted.web.client import ResponseNeverReceived

from archive import Archive
from archive.plan import crawl_plan
from parsers import NotAnArticle, parse_article
from replica.faults import BOMB_SIZE, HUGE_SIZE, gzip_bomb, parse_fault
from replica.truth import expected_paragraphs
from spiders.failures import failure_reason
from spiders.retry import backoff_delay, retry_after_seconds

BASE = "http://jjrd.example"


def test_fault_spec_keeps_the_equals_sign_of_the_query():
    target, fault = parse_fault("/ShowArticle.asp?ArticleID=1040=503:2")
    assert (target, fault.kind, fault.times) == ("/ShowArticle.asp?ArticleID=1040", "503", 2)
    with pytest.raises(ValueError, match="unknown fault"):
        parse_fault("/list.asp=teapot")


def test_transient_fault_fails_n_times_then_serves_the_page(table_site, table_pages):
    target = table_pages.article_path(table_site.opinions()[1])
    table_site.add_fault(target, "500", times=2)
    try:
        assert [table_site.handle(target.lower()).status for _ in range(3)] == [500, 500, 200]
    finally:
        table_site.faults.clear()


def test_gzip_bomb_is_small_and_inflates_to_its_declared_size():
    assert gzip.decompress(gzip_bomb(4 * 1024 * 1024)) == bytes(4 * 1024 * 1024)  # checks CRC and length too
    bomb = gzip_bomb(BOMB_SIZE)
    assert len(bomb) < 3 * 1024 * 1024
    assert struct.unpack("<I", bomb[-4:])[0] == BOMB_SIZE % 2 ** 32


@pytest.mark.parametrize("kind", ["malformed", "huge", "wrong_charset"])
def test_odd_but_healthy_pages_parse_right(site, pages, kind):
    article = pages.reference
    site.add_fault(pages.article_path(article), kind)
    try:
        body, url, content_type = pages.article(article)
    finally:
        site.faults.clear()
    if kind == "huge":
        assert len(body) >= HUGE_SIZE
        assert b'src="data:image/jpeg;base64,' in body
    if kind == "wrong_charset":
        assert "charset=utf-8" in content_type
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
    record = parse_article(body, url, content_type)
    assert (record.title, record.paragraphs) == (article.title, expected_paragraphs(article))
    # An inline image is part of the page's capture: it is not a file to fetch.
    assert all(src.startswith("http://") for src in record.images)


def test_login_page_is_not_an_article(table_pages):
    body, url, content_type = table_pages.get("/login.asp?ReturnUrl=%2FShowArticle.asp")
    with pytest.raises(NotAnArticle) as error:
        parse_article(body, url, content_type)
    assert error.value.reason == "login_page"


def test_retry_after_in_seconds_or_as_a_date():
    now = datetime(2026, 11, 27, 12, 0, 0, tzinfo=timezone.utc)
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds("Fri, 27 Nov 2026 12:00:30 GMT", now) == 30
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None


def test_backoff_doubles_honours_retry_after_and_is_capped():
    assert [backoff_delay(n, None, 2, 60) for n in (1, 2, 3)] == [2, 4, 8]
    assert backoff_delay(1, 30, 2, 60) == 30
    assert backoff_delay(1, 3600, 2, 60) == backoff_delay(9, None, 2, 60) == 60


@pytest.mark.parametrize("error, reason", [
    (DownloadTimeoutError("took longer than 30 seconds"), "timeout"), (ConnectionRefusedError(), "unreachable"),
    (ResponseNeverReceived([]), "connection_lost"), (IgnoreRequest("Forbidden by robots.txt"), "robots_forbidden"),
    (IgnoreRequest("max redirections reached"), "redirect_loop"), (KeyError("x"), "KeyError"),
])
def test_failure_reasons(error, reason):
    assert failure_reason(error) == reason


def test_a_failed_list_page_makes_the_next_new_run_walk_every_page(tmp_path):
    archive = Archive(tmp_path / "a.db")
    try:
        for list_failed in (False, True):
            crawl_id = archive.start_crawl("new", {"start_url": BASE})
            if list_failed:
                archive.record_failure(url=BASE + "/list.asp?page=2", reason="http_503", page_kind="list", crawl_id=crawl_id)
            archive.finish_crawl(crawl_id, "finished", {})
            assert crawl_plan(archive, "new", BASE).stop_at_known_page is not list_failed
    finally:
        archive.close()


def test_after_a_crawl_that_lost_a_write_the_next_new_run_walks_every_page(tmp_path):
    """Its lost documents may sit behind a list page of known ones."""
    archive = Archive(tmp_path / "a.db")
    try:
        for status, stops in (("finished", True), ("write_failed", False)):
            archive.finish_crawl(archive.start_crawl("new", {"start_url": BASE}), status, {})
            assert crawl_plan(archive, "new", BASE).stop_at_known_page is stops
        archive.start_crawl("new", {"start_url": BASE})  # its figures could not be written: still 'running'
        archive.mark_interrupted_crawls()
        assert crawl_plan(archive, "new", BASE).stop_at_known_page is False
    finally:
        archive.close()
