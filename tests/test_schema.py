"""The schema text agrees with the migrations, and every archive an earlier commit of main
wrote opens, upgrades, exports and verifies."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import sqlite3

import pytest

import archive.schema
from archive import Archive
from archive.export import write_export
from archive.fixity import verify
from archive.schema import MIGRATIONS, SCHEMA, SCHEMA_VERSION, applied_migrations, execute_statements, migrate
from archive.search import search
from archive.warc import write_warc
from tests.old_archives import before, old_archive, run_migrations

ALL = [migration.name for migration in MIGRATIONS]


def outline(conn: sqlite3.Connection, column_order: bool = True) -> dict:
    """The schema as SQLite reads it rather than as it was written (ALTER TABLE leaves its own
    text): each table's columns, keys, indexes and checks; each view's and trigger's SQL."""
    shape = {}
    for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master WHERE type != 'index'"):
        if kind != "table":
            shape[name] = " ".join(sql.replace('"', "").split())
            continue
        columns = conn.execute('SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?)', (name,)).fetchall()
        indexes = [(origin, unique, partial, index if origin == "c" else "",
                    tuple(column for (column,) in conn.execute("SELECT name FROM pragma_index_info(?) ORDER BY seqno", (index,))))
                   for index, unique, origin, partial in conn.execute(
                       "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)", (name,))]
        shape[name] = {
            "columns": columns if column_order else sorted(columns),
            "foreign_keys": sorted(conn.execute('SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?)',
                                                (name,)).fetchall()),
            "indexes": sorted(indexes),
            "checks": sorted(re.findall(r"CHECK \((.*?\))\)", sql)),
            "virtual": " ".join(sql.split()) if sql.startswith("CREATE VIRTUAL") else None,
        }
    return shape


def test_the_schema_text_is_the_schema_the_migrations_give(tmp_path):
    from_text = sqlite3.connect(":memory:", isolation_level=None)
    execute_statements(from_text, SCHEMA)
    migrated = old_archive(tmp_path / "migrated.db", ALL)
    assert migrate(migrated) == []  # every migration found: only recorded
    assert outline(migrated) == outline(from_text)
    assert "documents" in outline(from_text) and "snapshots" in outline(from_text)


def test_a_new_archive_is_made_from_the_schema_text_and_records_every_migration(tmp_path):
    Archive(tmp_path / "new.db").close()
    conn = sqlite3.connect(tmp_path / "new.db")
    assert conn.execute("SELECT name FROM _migrations WHERE applied_at IS NOT NULL ORDER BY rowid").fetchall() == [
        (name,) for name in ALL]
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert migrate(conn) == []


BODY = "<html><body>关于教育的审议意见</body></html>".encode("gb2312")
DIGEST = hashlib.sha256(BODY).hexdigest()


def fill(conn: sqlite3.Connection) -> None:
    """What a first-release archive held after one crawl: a capture and its document."""
    conn.execute("INSERT INTO crawls (id, started_at, finished_at, mode, status) "
                 "VALUES (1, '2026-01-01T00:00:00.000Z', '2026-01-01T00:01:00.000Z', 'full', 'finished')")
    conn.execute("INSERT INTO blobs VALUES (?, ?, 'none', ?, ?)", (DIGEST, len(BODY), len(BODY), BODY))
    conn.execute("INSERT INTO snapshots (id, crawl_id, url, fetched_at, protocol, status, headers, request_headers, content_type, "
                 "sha256, size) VALUES (1, 1, 'http://jjrd.example/a', '2026-01-01T00:00:01.000Z', 'HTTP/1.1', 200, ?, ?, ?, ?, ?)",
                 (json.dumps([["Content-Type", "text/html; charset=gb2312"], ["Date", "Thu, 01 Jan 2026 00:00:01 GMT"]]),
                  json.dumps([["Accept", "text/html"]]), "text/html; charset=gb2312", DIGEST, len(BODY)))
    conn.execute("INSERT INTO documents (url, title, published_at, source, view_count, body_text, paragraphs, snapshot_id, "
                 "first_seen_crawl, last_seen_crawl, first_seen_at, last_seen_at) VALUES ('http://jjrd.example/a', "
                 "'关于教育的审议意见', '2016-05-10T09:05:05+08:00', '椒江人大网', 12, '区人民政府:', '[\"区人民政府:\"]', 1, 1, 1, "
                 "'2026-01-01T00:00:02.000Z', '2026-01-01T00:00:02.000Z')")


MAIN_LINE = ["initial", "revisions", "document_files", "blob_deltas", "sections", "search"]
# The migrations each kind of old archive had, in its order, and the commits that wrote it:
# the releases on main, two branches whose schema 2 meant something else, and the two
# meanings of schema 7 (7da63bf added view_count_url; the compact captures, merged later,
# had taken 7 on their branch, and view_count_url became 8).
HISTORIES = {
    "1 (ac4dbb2)": MAIN_LINE[:1],
    "2 (3eda34b)": MAIN_LINE[:2],
    "3 (75f4440)": MAIN_LINE[:3],
    "4 (975e482)": MAIN_LINE[:4],
    "5 (6cb6262)": MAIN_LINE[:5],
    "6 (d2ec402)": MAIN_LINE,
    "7 with view_count_url (7da63bf)": [*MAIN_LINE, "document_needs"],
    "7 with compact captures (6df0938)": [*MAIN_LINE, "narrow_captures"],
    "8 (49be3ce)": [*MAIN_LINE, "narrow_captures", "document_needs"],
    "2 with sections (3033055)": ["initial", "sections"],
    "2 with search (72424a8)": ["initial", "search"],
}
# The sections-first branch added the documents' facts before their revision columns.
COLUMNS_IN_ANOTHER_ORDER = {"2 with sections (3033055)"}


@pytest.fixture(scope="module")
def current_archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("current") / "a.db"
    Archive(path).close()
    return path


@pytest.mark.parametrize("history", HISTORIES)
def test_an_old_archive_opens_upgrades_exports_and_verifies(tmp_path, history, current_archive):
    names = HISTORIES[history]
    conn = old_archive(tmp_path / "old.db", names[:1])
    fill(conn)
    run_migrations(conn, names[1:])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(names)
    conn.close()

    upgraded = Archive(tmp_path / "old.db")
    try:
        conn = upgraded.conn
        assert applied_migrations(conn) == names + [name for name in ALL if name not in names]
        found = [name for (name,) in conn.execute("SELECT name FROM _migrations WHERE applied_at IS NULL ORDER BY rowid")]
        assert found == names
        order = history not in COLUMNS_IN_ANOTHER_ORDER
        assert outline(conn, order) == outline(sqlite3.connect(current_archive), order)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

        jsonl = io.StringIO()
        assert write_export(upgraded, jsonl, "jsonl") == 1
        document = json.loads(jsonl.getvalue())
        assert (document["title"], document["view_count"], document["paragraphs"]) == ("关于教育的审议意见", 12, ["区人民政府:"])
        assert document["images"] is None and document["view_count_url"] is None  # unknown, not none
        table = io.StringIO()
        write_export(upgraded, table, "csv")
        [row] = csv.DictReader(io.StringIO(table.getvalue()))
        assert row["images"] == "" and row["attachments"] == "[]"
        captures = io.StringIO()
        write_export(upgraded, captures, "jsonl", table="snapshots")
        capture = json.loads(captures.getvalue())
        assert (capture["sha256"], capture["headers"][0], capture["request_headers"]) == (
            DIGEST, ["Content-Type", "text/html; charset=gb2312"], [["Accept", "text/html"]])
        assert upgraded.capture_body(1) == BODY and upgraded.unfinished_urls() == set()
        assert verify(upgraded).ok
        assert write_warc(upgraded, io.BytesIO()).responses == 1
        assert [hit.url for hit in search(conn, "教育").hits] == ["http://jjrd.example/a"]
        assert column_names(conn, "snapshots") == SNAPSHOTS_COLUMNS
        assert conn.execute("SELECT capture_id FROM documents").fetchall() == [(1,)]
    finally:
        upgraded.close()
    again = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    assert migrate(again) == []


# The columns of the snapshots table up to schema 6, which the view keeps for its users.
SNAPSHOTS_COLUMNS = ["id", "crawl_id", "url", "method", "fetched_at", "protocol", "status", "headers", "request_headers",
                     "content_type", "sha256", "size", "request_header_set"]
CAPTURE_COLUMNS = {"documents": ["capture_id", "removed_capture_id"], "failures": ["capture_id"], "revisions": ["capture_id"],
                   "events": ["capture_id"], "view_counts": ["capture_id"], "sections": ["capture_id"],
                   "document_files": ["capture_id"]}


def column_names(conn: sqlite3.Connection, table: str) -> list[str]:
    return [name for (name,) in conn.execute("SELECT name FROM pragma_table_info(?)", (table,))]


def test_a_stored_response_is_a_capture_in_every_table_and_the_snapshots_view_keeps_its_shape(tmp_path):
    conn = old_archive(tmp_path / "old.db", before("capture_ids"))
    assert "snapshot_id" in column_names(conn, "documents")
    migrate(conn)
    for table, columns in CAPTURE_COLUMNS.items():
        names = column_names(conn, table)
        assert set(columns) <= set(names) and not [name for name in names if "snapshot" in name], table
        references = conn.execute('SELECT "from", "table", "to" FROM pragma_foreign_key_list(?) WHERE "from" LIKE ?',
                                  (table, "%capture_id")).fetchall()
        assert sorted(references) == sorted((column, "captures", "id") for column in columns)
    assert column_names(conn, "snapshots") == SNAPSHOTS_COLUMNS
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_an_archive_upgraded_at_the_same_time_by_another_process_is_not_migrated_twice(tmp_path, monkeypatch):
    old_archive(tmp_path / "old.db", before("narrow_captures")).close()
    other = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    needs_upgrade = archive.schema._needs_upgrade

    def raced(conn):
        # Both processes see an old archive; the other one takes the write lock first.
        answer = needs_upgrade(conn)
        if conn is not other:
            assert migrate(other) == ALL[ALL.index("narrow_captures"):]
        return answer

    monkeypatch.setattr(archive.schema, "_needs_upgrade", raced)
    conn = sqlite3.connect(tmp_path / "old.db", isolation_level=None)
    assert migrate(conn) == []
    assert applied_migrations(conn) == ALL


def test_an_archive_with_a_migration_unknown_here_is_refused(tmp_path):
    Archive(tmp_path / "a.db").close()
    conn = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    conn.execute("INSERT INTO _migrations (name, applied_at) VALUES ('from_the_future', '2030-01-01T00:00:00.000Z')")
    conn.close()
    with pytest.raises(RuntimeError, match="from_the_future, newer than this npc-archive"):
        Archive(tmp_path / "a.db")
