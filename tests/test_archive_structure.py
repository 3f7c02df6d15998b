"""Sections, items and facts in the archive: written with the document, replaced on update,
exported, and an archive from before they existed upgrades with its data intact."""

from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from archive import Archive
from archive.export import document_sections, write_export
from archive.schema import SCHEMA_VERSION, schema_version
from parsers import parse_article
from tests.old_archives import before, old_archive


@pytest.fixture
def archive(tmp_path):
    archive = Archive(tmp_path / "a.db")
    yield archive
    archive.close()


@pytest.fixture(scope="module")
def reference_record(table_pages):
    return parse_article(*table_pages.article(table_pages.reference)).to_dict()


def add_capture(archive, url):
    capture_id, _ = archive.add_capture(url=url, status=200, headers=[("Content-Type", "text/html")], body=b"<html>page</html>")
    return capture_id


def test_document_saved_with_its_sections_items_and_facts(archive, reference_record):
    capture_id = add_capture(archive, reference_record["url"])
    assert archive.save_document(reference_record, capture_id=capture_id, crawl_id=None) == "new"
    document = next(archive.documents())
    assert {column: document[column] for column in reference_record["facts"]} == reference_record["facts"]
    assert document_sections(archive, document["id"]) == reference_record["sections"]
    linked = archive.conn.execute("SELECT DISTINCT document_id, capture_id FROM sections").fetchall()
    assert linked == [(document["id"], capture_id)]
    kinds_of_items = archive.conn.execute(
        "SELECT s.kind, count(*) FROM items i JOIN sections s ON s.id = i.section_id GROUP BY s.kind ORDER BY s.kind").fetchall()
    assert kinds_of_items == [("opinions", 3), ("problems", 3)]


def test_update_replaces_the_sections(archive, reference_record):
    first = add_capture(archive, reference_record["url"])
    archive.save_document(reference_record, capture_id=first, crawl_id=None)
    second = add_capture(archive, reference_record["url"])
    shorter = {**reference_record, "sections": reference_record["sections"][:5]}
    assert archive.save_document(shorter, capture_id=second, crawl_id=None) == "unchanged"
    assert document_sections(archive, next(archive.documents())["id"]) == reference_record["sections"][:5]
    assert archive.conn.execute("SELECT DISTINCT capture_id FROM sections").fetchall() == [(second,)]
    assert archive.conn.execute("SELECT count(*) FROM items").fetchone()[0] == 3
    assert archive.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_failed_section_write_leaves_no_document(archive, reference_record):
    broken = {**reference_record, "sections": [{**reference_record["sections"][0], "kind": None}]}
    with pytest.raises(sqlite3.IntegrityError):
        archive.save_document(broken, capture_id=add_capture(archive, broken["url"]), crawl_id=None)
    assert list(archive.documents()) == []
    assert archive.conn.execute("SELECT count(*) FROM sections").fetchone()[0] == 0


def test_export_carries_sections_and_facts(archive, reference_record):
    archive.save_document(reference_record, capture_id=add_capture(archive, reference_record["url"]), crawl_id=None)
    jsonl = io.StringIO()
    write_export(archive, jsonl, "jsonl")
    row = json.loads(jsonl.getvalue())
    assert row["sections"] == reference_record["sections"]
    assert row["meeting"] == "台州市椒江区十一届人大常委会第五次会议" and row["report_due"] == "2023-01-15"
    csv_text = io.StringIO()
    write_export(archive, csv_text, "csv")
    [csv_row] = csv.DictReader(io.StringIO(csv_text.getvalue()))
    assert csv_row["report_deadline"] == "2个月内"
    assert json.loads(csv_row["sections"]) == reference_record["sections"]


def archive_before_sections(path):
    """An archive as the release before sections wrote it, holding one document."""
    conn = old_archive(path, before("sections"))
    conn.execute("INSERT INTO blobs (sha256, size, compression, stored_size, data) VALUES ('00', 4, 'none', 4, x'70616765')")
    conn.execute("INSERT INTO snapshots (id, url, fetched_at, status, headers, sha256, size) "
                 "VALUES (1, 'http://jjrd.example/a', '2022-11-16T00:00:00Z', 200, '[]', '00', 4)")
    conn.execute("INSERT INTO documents (url, title, published_at, body_text, paragraphs, snapshot_id, first_seen_at, last_seen_at) "
                 "VALUES ('http://jjrd.example/a', '关于某事的审议意见', '2022-11-15', '区人民政府:', '[\"区人民政府:\"]', 1, 'then', 'then')")
    conn.close()


def test_archive_from_before_sections_upgrades_and_keeps_its_data(tmp_path, reference_record):
    path = tmp_path / "old.db"
    archive_before_sections(path)
    archive = Archive(path)
    try:
        assert schema_version(archive.conn) == SCHEMA_VERSION
        [document] = archive.documents()
        assert (document["title"], document["body_text"], document["capture_id"]) == ("关于某事的审议意见", "区人民政府:", 1)
        assert document["meeting"] is None and document_sections(archive, document["id"]) == []
        assert document["images"] is None and archive.unfinished_urls() == set()  # unknown, not missing
        assert archive.capture_body(1) == b"page"
        record = {**reference_record, "url": "http://jjrd.example/a"}
        assert archive.save_document(record, capture_id=1, crawl_id=None) == "changed"
        assert len(document_sections(archive, document["id"])) == 8
    finally:
        archive.close()
