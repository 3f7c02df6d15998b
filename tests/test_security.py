"""Hostile text stays data: SQL is parametrized, output paths are the user's, never the page's."""

from __future__ import annotations

import json

import pytest

from archive import Archive
from archive.history import changes_since, revision_diff

HOSTILE = "关于'); DROP TABLE documents; -- \"教育\" OR NEAR(审议 意见) * ^ ../../../tmp/x.jsonl"


@pytest.fixture
def hostile_archive(tmp_path):
    archive = Archive(tmp_path / "a.db")
    capture_id, _ = archive.add_capture(url="http://jjrd.example/a'--", status=200, headers=[], body=b"<html>")
    record = {"url": "http://jjrd.example/a'--", "title": HOSTILE, "published_at": "2020-01-01", "source": HOSTILE,
              "body_text": HOSTILE, "paragraphs": [HOSTILE], "attachments": [{"name": HOSTILE, "url": "/x'.doc"}]}
    archive.save_document(record, capture_id=capture_id, crawl_id=None)
    yield archive
    archive.close()


def test_quotes_and_search_operators_are_stored_and_matched_as_text(hostile_archive):
    (document,) = hostile_archive.documents()
    assert (document["title"], document["source"], document["body_text"]) == (HOSTILE, HOSTILE, HOSTILE)
    assert [c["title"] for c in changes_since(hostile_archive, "2000-01-01")] == [HOSTILE]
    # Injected, this would read "published_at >= '9999' OR '1'='1'" and match everything.
    assert list(hostile_archive.documents(since="9999' OR '1'='1")) == []
    with pytest.raises(ValueError, match="not a date or time"):
        changes_since(hostile_archive, "9999' OR '1'='1")
    with pytest.raises(LookupError):
        revision_diff(hostile_archive, "x' OR '1'='1")
    with pytest.raises(LookupError, match="nothing to compare"):
        revision_diff(hostile_archive, "http://jjrd.example/a'--", 1, 1)
    assert hostile_archive.conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_export_writes_exactly_where_the_user_said(hostile_archive, tmp_path, monkeypatch, cli):
    out_dir, cwd = tmp_path / "导出 dir", tmp_path / "cwd"
    out_dir.mkdir()
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    target = out_dir / "审议 意见 -o.jsonl"
    cli("export", "--db", hostile_archive.path, "-o", target)
    assert list(out_dir.iterdir()) == [target] and list(cwd.iterdir()) == []
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == HOSTILE
    cli("export", "--db", hostile_archive.path, "-o", "out.csv", "--format", "csv")
    assert [p.name for p in cwd.iterdir()] == ["out.csv"]
