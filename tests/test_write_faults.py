"""A write the archive refuses (full disk, a lock held past the busy timeout, a value out of
range) fails the run with its own exit status, and the next `new` run archives what it lost."""

from __future__ import annotations

import io
import pickle
import sqlite3
import subprocess

import pytest
from scrapy.utils.test import get_crawler
from w3lib.url import canonicalize_url

from archive import Archive
from npc_archive.exit_codes import FAILED, WRITE_FAILED
from pipelines import writer_process
from pipelines.documents import DocumentPipeline
from replica.server import ReplicaServer
from replica.site import Site
from spiders.items import DocumentItem
from spiders.opinions import OpinionsSpider
from spiders.session import ArchiveSession

# Room for the empty archive and a few documents: a crawl of the replica takes ~2 MB, and its
# write-ahead log grows to a few MB between checkpoints.
SMALL_DISK = "1500k"
LIST_PAGE_2 = "/list.asp?ClassID=5&page=2"


def archived(query, db) -> set[str]:
    return {url for (url,) in query(db, "SELECT url FROM documents")}


def every_opinion(server) -> set[str]:
    return {f"{server.base_url}/ShowArticle.asp?ArticleID={article.id}" for article in server.site.opinions()}


@pytest.fixture
def small_disk(tmp_path):
    """A tmpfs of SMALL_DISK bytes, mounted for the test (the tests run as root)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SMALL_DISK}", "tmpfs", str(disk)], check=True)
    yield disk
    subprocess.run(["umount", str(disk)], check=True)


def test_a_full_disk_fails_the_run_and_the_next_new_run_archives_what_was_lost(small_disk, crawl, query):
    db = small_disk / "archive.db"
    with ReplicaServer(Site()) as server:
        first = crawl(db, server, check=False)
        kept = archived(query, db)
        lost = every_opinion(server) - kept
        [(captured,)] = query(db, "SELECT count(*) FROM captures")
        subprocess.run(["mount", "-o", "remount,size=64m", str(small_disk)], check=True)
        second = crawl(db, server, check=False)
        assert first.returncode == WRITE_FAILED, first.stderr
        assert "database or disk is full" in first.stderr and "the next run fetches" in first.stderr
        # The disk filled during the crawl, not before it. (The writer process may have stored
        # every capture it was sent before the first document, which comes after its page's.)
        assert lost and captured
        assert query(db, "SELECT status FROM crawls WHERE id = 1") != [("finished",)]
        assert second.returncode == 0, second.stderr
        assert archived(query, db) == every_opinion(server)


class LockOnRequest:
    """Another writer that takes the archive's write lock when the crawl asks the replica for
    ``target`` (connecting only then: the crawl is the one that creates the archive)."""

    def __init__(self, site: Site, db, target: str) -> None:
        self.db, self.target, self.healthy = db, target, site.handle
        self.holder: sqlite3.Connection | None = None
        site.handle = self.handle

    def handle(self, path: str, accept_encoding: str = ""):
        if path == self.target and self.holder is None:
            self.holder = sqlite3.connect(self.db, isolation_level=None, check_same_thread=False)
            self.holder.execute("BEGIN IMMEDIATE")
        return self.healthy(path, accept_encoding)

    def release(self) -> None:
        if self.holder is not None:
            self.holder.close()  # rolls the lock's empty transaction back


def test_a_write_lock_held_past_the_busy_timeout_fails_the_run_and_the_next_new_run_archives_the_rest(tmp_path, crawl, query):
    db = tmp_path / "archive.db"
    site = Site()
    with ReplicaServer(site) as server:
        lock = LockOnRequest(site, db, LIST_PAGE_2)
        try:
            first = crawl(db, server, "-s", "ARCHIVE_BUSY_TIMEOUT=0.2", check=False)
            assert lock.holder is not None
            lost = every_opinion(server) - archived(query, db)
        finally:
            lock.release()
        site.handle = lock.healthy
        second = crawl(db, server, check=False)
    assert first.returncode == WRITE_FAILED, first.stderr
    assert "database is locked" in first.stderr
    # What came after the lock was lost, the crawl's own figures too: the row stays 'running'
    # (marked 'interrupted' by the next run), so that run walks every list page.
    assert lost
    assert query(db, "SELECT status FROM crawls WHERE id = 1") == [("interrupted",)]
    assert second.returncode == 0, second.stderr
    assert archived(query, db) == every_opinion(server)


def test_an_archive_locked_before_the_crawl_starts_is_a_one_line_error(tmp_path, npc_archive):
    db = tmp_path / "archive.db"
    Archive(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = npc_archive("crawl", "--db", str(db), "--start-url", "http://127.0.0.1:9/list.asp?ClassID=5", "--quiet",
                             "-s", "ARCHIVE_BUSY_TIMEOUT=0.2", check=False)
    finally:
        holder.close()
    assert result.returncode == WRITE_FAILED
    assert result.stderr.splitlines() == ["npc-archive: 1 write to the archive failed (OperationalError: database is locked); "
                                          f"the next run fetches what they would have stored (see: npc-archive failures --db {db})"]


def test_a_view_count_out_of_range_is_a_parse_failure_and_the_next_run_archives_the_page(tmp_path, crawl, query):
    db = tmp_path / "archive.db"
    site = Site()
    article = next(article for article in site.opinions() if not article.counter_script)
    real_count, site.views[article.id] = site.views[article.id], 99999999999999999999999
    url = f"/ShowArticle.asp?ArticleID={article.id}"
    with ReplicaServer(site) as server:
        first = crawl(db, server, check=False)
        failures = query(db, "SELECT url, page_kind, reason FROM failures")
        first_archived = archived(query, db)
        site.views[article.id] = real_count
        second = crawl(db, server, check=False)
    assert first.returncode == FAILED, first.stderr
    assert failures == [(server.base_url + url, "article", "value_out_of_range")]
    assert server.base_url + url not in first_archived and len(first_archived) == len(site.opinions()) - 1
    assert second.returncode == 0, second.stderr
    assert query(db, "SELECT view_count FROM documents WHERE url = ?", server.base_url + url) == [(real_count,)]


def test_a_value_the_archive_cannot_hold_is_a_recorded_failure_not_a_lost_document(tmp_path, query):
    """Past the parser's own check (a record made elsewhere): the pipeline records it."""
    crawler = get_crawler(OpinionsSpider, {"ARCHIVE_DB": str(tmp_path / "a.db"), "START_URL": "http://jjrd.example/",
                                           "CRAWL_MODE": "new", "ARCHIVE_BUSY_TIMEOUT": 1.0, "ARCHIVE_LOCK_HELD": False})
    session = ArchiveSession(crawler)
    crawler.stats.open_spider()
    record = {"url": "http://jjrd.example/a", "title": "关于某事的审议意见", "published_at": None, "source": None,
              "view_count": 10 ** 23, "body_text": "正文", "paragraphs": ["正文"]}
    try:
        DocumentPipeline(crawler, session).process_item(DocumentItem(record=record, capture_id=None))
        failures = session.archive.conn.execute("SELECT url, page_kind, reason FROM failures").fetchall()
        documents = session.archive.conn.execute("SELECT count(*) FROM documents").fetchone()
    finally:
        session.close(None, "finished")
    assert failures == [("http://jjrd.example/a", "article", "value_out_of_range")] and documents == (0,)
    assert crawler.stats.get_value("npc/write_failures") == 1
    assert query(tmp_path / "a.db", "SELECT status FROM crawls") == [("write_failed",)]


def test_what_the_writer_process_acknowledges_after_the_disk_fills_is_in_the_archive(small_disk, table_pages, query,
                                                                                       monkeypatch):
    """The writer commits its writes in batches, and a full disk can roll a whole batch back: a
    capture answered as stored is in the archive all the same, a document counted as new is
    archived, and every other page is counted lost, to be fetched again."""
    monkeypatch.setattr(writer_process, "BATCH_WRITES", 8)  # a few batches fit on the disk
    monkeypatch.setattr(writer_process, "BATCH_SECONDS", float("inf"))  # batches of 8, however fast this machine
    db = small_disk / "archive.db"
    archive = Archive(db)
    crawl_id = archive.start_crawl("new", {})
    archive.close()
    body, url, content_type = table_pages.article(table_pages.reference)
    sent = []
    for page in range(60):  # some 40 kB in the archive each
        page_url = f"{url}&copy={page}"
        fields = {"url": page_url, "status": 200, "headers": [("Content-Type", content_type)], "body": body}
        sent += [("capture", 3 * page, 1, crawl_id, fields), ("read", 3 * page + 1, 3 * page, body, page_url, content_type),
                 ("item", 3 * page + 2, 1, crawl_id, DocumentItem(record=None, capture_id=3 * page, url=page_url))]
    requests = io.BytesIO(b"".join(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL) for message in sent))
    answers = io.BytesIO()
    writer_process.serve(str(db), 1.0, requests, answers)
    answers.seek(0)
    got = []
    while answers.tell() < len(answers.getvalue()):
        got.append(pickle.load(answers))
    stored = {answer[2].capture_id for answer in got if answer[0] == "captured" and answer[2].capture_id is not None}
    new = sum(answer[2].counts["npc/documents/new"] for answer in got if answer[0] == "figures")
    lost = [what for answer in got if answer[0] == "figures" for what, _ in answer[2].lost]
    assert got[-1] == ("ended",)
    assert stored and lost, "the disk filled midway"
    assert stored <= {capture_id for (capture_id,) in query(db, "SELECT id FROM captures")}
    assert new == query(db, "SELECT count(*) FROM documents")[0][0] > 0
    # Each document names the capture of its own page; the pages lost are not archived.
    assert not query(db, "SELECT d.url FROM documents d JOIN captures c ON c.id = d.capture_id "
                         "JOIN urls u ON u.id = c.url_id WHERE u.url != d.url")
    assert not {canonicalize_url(url) for url in lost} & {url for (url,) in query(db, "SELECT url FROM documents")}
