"""The archive layer on its own: captures, documents, transactions, migrations."""

from __future__ import annotations

import gzip
import sqlite3

import pytest
import sqlite_utils

from archive import Archive
from archive.revisions import content_hash, revision_record
from archive.schema import SCHEMA_VERSION, schema_version

RECORD = {
    "url": "http://jjrd.example/ShowArticle.asp?ArticleID=1", "title": "关于我区学前教育工作情况的审议意见",
    "published_at": "2016-05-10T09:05:05+08:00", "source": "椒江人大网", "view_count": 59870,
    "body_text": "区人民政府:\n会议认为,…", "paragraphs": ["区人民政府:", "会议认为,…"], "prev": None,
    "next": {"title": "x", "url": "http://jjrd.example/ShowArticle.asp?ArticleID=0"}, "attachments": [], "column": "审议意见",
}


@pytest.fixture
def archive(tmp_path):
    archive = Archive(tmp_path / "a.db")
    yield archive
    archive.close()


def add(archive, body, url="http://jjrd.example/x"):
    capture_id, _ = archive.add_capture(url=url, status=200, headers=[("Content-Type", "text/html; charset=gb2312")], body=body)
    return capture_id


def test_capture_bytes_round_trip_exactly(archive):
    body = gzip.compress("<html>审议意见</html>".encode("gbk") * 50, mtime=0)
    capture_id = add(archive, body)
    assert archive.capture_body(capture_id) == body
    row = archive.capture(capture_id)
    assert row["size"] == len(body) and row["status"] == 200 and row["content_type"].startswith("text/html")


def test_identical_bytes_share_one_blob(archive):
    first, second = add(archive, b"<html>same</html>" * 100), add(archive, b"<html>same</html>" * 100)
    assert first != second
    assert archive.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 1


def test_blobs_are_compressed_when_it_helps(archive):
    add(archive, "审议意见".encode("gbk") * 1000)
    size, stored = archive.conn.execute("SELECT size, stored_size FROM blobs").fetchone()
    assert stored < size / 10


def test_document_insert_then_update(archive):
    capture_id = add(archive, b"page")
    assert archive.save_document(RECORD, capture_id=capture_id, crawl_id=None) == "new"
    assert archive.save_document({**RECORD, "view_count": 59871}, capture_id=capture_id, crawl_id=None) == "unchanged"
    rows = list(archive.documents())
    assert len(rows) == 1 and rows[0]["view_count"] == 59871 and rows[0]["next_url"].endswith("ArticleID=0")


def test_a_document_names_its_content_hash_and_the_capture_it_was_parsed_from(archive):
    assert archive.parsed_document(RECORD["url"]) is None
    first, second = add(archive, b"page"), add(archive, b"page, fetched again")
    archive.save_document(RECORD, capture_id=first, crawl_id=None)
    archive.save_document(RECORD, capture_id=second, crawl_id=None)
    assert archive.parsed_document(RECORD["url"]) == (content_hash(revision_record(RECORD)), second)


def test_failed_write_leaves_nothing_behind(archive):
    with pytest.raises(sqlite3.IntegrityError):
        archive.save_document(RECORD, capture_id=12345, crawl_id=None)  # no such capture
    assert list(archive.documents()) == []


def test_a_batched_archive_keeps_its_writes_from_others_until_commit_and_a_failed_write_undoes_only_itself(tmp_path):
    db = tmp_path / "batched.db"
    batched = Archive(db, batched=True)
    capture_id = add(batched, b"page")
    with pytest.raises(sqlite3.IntegrityError):
        batched.save_document(RECORD, capture_id=12345, crawl_id=None)  # no such capture
    assert batched.save_document(RECORD, capture_id=capture_id, crawl_id=None) == "new"
    other = sqlite3.connect(db)
    assert other.execute("SELECT count(*) FROM captures").fetchone() == (0,)  # not durable yet
    batched.commit()
    assert other.execute("SELECT count(*) FROM captures").fetchone() == (1,)
    assert other.execute("SELECT capture_id FROM documents").fetchall() == [(capture_id,)]
    add(batched, b"another page", url="http://jjrd.example/y")
    batched.close()  # as a kill would: the writes since the last commit are gone, the others kept
    assert other.execute("SELECT count(*) FROM captures").fetchone() == (1,)
    other.close()


def test_new_archive_has_current_schema_and_foreign_keys(tmp_path):
    Archive(tmp_path / "b.db").close()
    db = sqlite_utils.Database(tmp_path / "b.db")
    assert schema_version(db.conn) == SCHEMA_VERSION
    assert {fk.other_table for fk in db["documents"].foreign_keys} == {"captures", "crawls"}
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_newer_archive_is_refused(tmp_path):
    conn = sqlite3.connect(tmp_path / "c.db")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(RuntimeError, match="newer"):
        Archive(tmp_path / "c.db")
