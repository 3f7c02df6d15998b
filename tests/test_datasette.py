"""The archive in Datasette with the shipped metadata, through Datasette's own test client."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from urllib.parse import quote

import pytest
from datasette.app import Datasette

from archive import Archive
from archive.analysis import datasette_metadata
from archive.search import search


def get_json(db, path: str):
    async def fetch():
        datasette = Datasette([str(db)], metadata=datasette_metadata(db))
        await datasette.invoke_startup()
        response = await datasette.client.get(path)
        assert response.status_code == 200, response.text
        return response.json()
    return asyncio.run(fetch())


def containing(db, word: str) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {url for (url,) in conn.execute(
            "SELECT url FROM documents WHERE instr(title, ?) OR instr(body_text, ?)", (word, word))}


@pytest.mark.parametrize("word", ["教育", "审计", "教", "学前教育"])
def test_canned_search_finds_exactly_the_documents_containing_the_word(recrawled, word):
    _, db = recrawled
    rows = get_json(db, f"/archive/search.json?q={word}&_shape=array")
    assert {row["url"] for row in rows} == containing(db, word) != set()
    assert all(word in row["title"] or word in row["excerpt"] for row in rows if word != "教")


@pytest.mark.parametrize("query", ["2022", "2022年", "劣V类水", "劣Ⅴ类水", "ｖ类", "审计 2022", "教育 学前"])
def test_canned_search_finds_what_npc_archive_search_finds(recrawled, query):
    _, db = recrawled
    rows = get_json(db, f"/archive/search.json?q={quote(query)}&_shape=array")
    with sqlite3.connect(db) as conn:
        expected = search(conn, query, limit=1000)
    assert {row["url"] for row in rows} == {hit.url for hit in expected.hits} != set()
    assert len(rows) == expected.total


def test_canned_search_with_an_empty_or_quoted_query_returns_nothing(recrawled):
    _, db = recrawled
    assert get_json(db, "/archive/search.json?q=&_shape=array") == []
    assert get_json(db, '/archive/search.json?q="&_shape=array') == []


def test_overview_view_is_faceted_by_year_and_source(recrawled):
    _, db = recrawled
    facets = get_json(db, "/archive/documents_overview.json")["facet_results"]
    with sqlite3.connect(db) as conn:
        years = dict(conn.execute("SELECT substr(published_at, 1, 4), count(*) FROM documents GROUP BY 1"))
        sources = dict(conn.execute("SELECT source, count(*) FROM documents GROUP BY 1"))
    assert {item["value"]: item["count"] for item in facets["year"]["results"]} == years
    assert {item["value"]: item["count"] for item in facets["source"]["results"]} == sources


def test_sections_are_faceted_by_kind(recrawled):
    _, db = recrawled
    facets = get_json(db, "/archive/sections.json")["facet_results"]
    with sqlite3.connect(db) as conn:
        kinds = dict(conn.execute("SELECT kind, count(*) FROM sections GROUP BY kind"))
    assert {item["value"]: item["count"] for item in facets["kind"]["results"]} == kinds
    assert {"addressee", "opinions", "signature"} <= set(kinds)


def test_every_table_and_view_and_every_documents_column_is_described(recrawled):
    _, db = recrawled
    tables = datasette_metadata(db)["databases"]["archive"]["tables"]
    with sqlite3.connect(db) as conn:
        names = {name for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'search_index_%'")}
        document_columns = {row[1] for row in conn.execute("PRAGMA table_info(documents)")} - {"id"}
    assert {name for name in names if tables.get(name, {}).get("description") or tables.get(name, {}).get("hidden")} == names
    assert set(tables["documents"]["columns"]) == document_columns


def test_analyst_views_and_descriptions_are_served(recrawled):
    _, db = recrawled
    by_year = get_json(db, "/archive/documents_by_year.json?_shape=array")
    with sqlite3.connect(db) as conn:
        assert sum(row["documents"] for row in by_year) == conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    metadata = get_json(db, "/-/metadata.json")
    assert metadata["databases"]["archive"]["tables"]["snapshots"]["columns"]["sha256"].startswith("SHA-256")


def test_metadata_follows_the_archive_file_name():
    metadata = datasette_metadata("/somewhere/opinions-2024.db")
    assert list(metadata["databases"]) == ["opinions-2024"]
    assert "search" in metadata["databases"]["opinions-2024"]["queries"]


def test_snapshots_view_serves_each_capture_with_its_headers_as_received(recrawled):
    _, db = recrawled
    rows = get_json(db, "/archive/snapshots.json?_shape=array&_size=max&status=200")
    archive = Archive(db)
    try:
        assert rows and all(row["status"] == 200 for row in rows)
        for row in rows[:50]:
            capture = archive.capture(row["id"])
            assert json.loads(row["headers"]) == [list(pair) for pair in capture["headers"]]
            assert (row["url"], row["sha256"], row["content_type"]) == (capture["url"], capture["sha256"], capture["content_type"])
    finally:
        archive.close()


# The project's Datasette plugin (archive/datasette_plugin), as `datasette ARCHIVE` loads it: no -m ------------------

def served(db, *paths: str):
    """The responses to ``paths`` of a Datasette over ``db`` with nothing but the installed plugins."""
    async def fetch():
        datasette = Datasette([str(db)])
        await datasette.invoke_startup()
        return [await datasette.client.get(path) for path in paths]
    return asyncio.run(fetch())


@pytest.fixture
def renamed(recrawled_copy, tmp_path):
    """The recrawled archive under a file name that is not archive.db."""
    db = tmp_path / "opinions-2024.db"
    recrawled_copy.rename(db)
    return db


def test_the_plugin_gives_any_archive_file_the_metadata_and_the_search(renamed):
    metadata, hits = served(renamed, "/-/metadata.json", "/opinions-2024/search.json?q=教育&_shape=array")
    tables = metadata.json()["databases"]["opinions-2024"]["tables"]
    assert tables["documents"]["columns"]["report_due"].startswith("The date")
    with sqlite3.connect(renamed) as conn:
        expected = search(conn, "教育", limit=1000)
    assert [row["url"] for row in hits.json()] == [hit.url for hit in expected.hits]
    assert [row["excerpt"] for row in hits.json()] == [hit.snippet for hit in expected.hits]


def test_the_search_page_hides_its_sql_and_marks_the_matches(renamed):
    (page,) = served(renamed, "/opinions-2024/search?q=教育")
    assert page.status_code == 200
    body = page.text.split("<body", 1)[1]
    assert 'id="sql-editor"' not in body and 'id="sql-query"' not in body and "_show_sql=1" in body
    assert "<mark>教育</mark>" in page.text


def test_a_database_that_is_no_archive_gets_nothing_of_the_plugin(tmp_path):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE documents (id INTEGER PRIMARY KEY, title TEXT)")
    metadata, table = served(other, "/-/metadata.json", "/other/documents")
    assert metadata.json() == {}
    assert table.status_code == 200


def test_tables_cut_long_cells_and_row_pages_show_them_whole(renamed):
    with sqlite3.connect(renamed) as conn:
        document_id, body = conn.execute("SELECT id, body_text FROM documents ORDER BY length(body_text) DESC").fetchone()
    table, row = served(renamed, "/opinions-2024/documents?_col=body_text&_size=max", f"/opinions-2024/documents/{document_id}")
    ending = body.strip()[-30:]
    assert body[:40] in table.text and ending not in table.text
    assert ending in row.text
    assert 'body.row .rows-and-columns td:nth-of-type(2):before { content: "url"; }' in row.text
    assert "/-/npc-archive.css" in row.text


def test_the_documents_table_opens_on_the_columns_an_analyst_reads_first(renamed):
    opened, chosen, as_json = served(renamed, "/opinions-2024/documents", "/opinions-2024/documents?_col=title",
                                     "/opinions-2024/documents.json")
    assert opened.status_code == 302
    assert opened.headers["location"].startswith("/opinions-2024/documents?_col=published_at&_col=title&_col=subject")
    assert chosen.status_code == as_json.status_code == 200


def test_the_stylesheet_sets_cjk_fonts(renamed):
    (css,) = served(renamed, "/-/npc-archive.css")
    assert css.headers["content-type"].startswith("text/css") and '"Noto Sans CJK SC"' in css.text


def test_the_dashboard_reads_the_archive_it_is_named_after(renamed):
    page, chart = served(renamed, "/-/dashboards/opinions-2024", "/-/dashboards/opinions-2024/per-year")
    assert page.status_code == chart.status_code == 200
    assert "每年审议意见数" in page.text
