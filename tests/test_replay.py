"""`npc-archive serve`: archived pages as received, on 127.0.0.1, in a sandbox."""

from __future__ import annotations

import inspect
import sqlite3
import urllib.error
import urllib.request

import pytest

from archive import Archive
from archive.replay import ReplayServer

# No proxy from the environment: the server is on this machine.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def get(url: str):
    """Status, headers and raw body (no decompression) of a GET."""
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    try:
        with DIRECT.open(request) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def served(recrawled):
    _, db = recrawled
    with ReplayServer(db, port=0) as server:
        yield server, db


def latest_capture_of(db, url: str) -> tuple[int, str]:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id, fetched_at FROM snapshots WHERE url = ? ORDER BY fetched_at DESC, id DESC LIMIT 1",
                            (url,)).fetchone()


def test_it_listens_on_loopback_unless_told_otherwise(served):
    server, _ = served
    assert server.host == "127.0.0.1"
    assert inspect.signature(ReplayServer).parameters["host"].default == "127.0.0.1"


def test_a_page_is_its_latest_capture_byte_for_byte_in_a_sandbox(served):
    server, db = served
    archive = Archive(db)
    try:
        document = next(iter(archive.documents()))
        capture_id, fetched_at = latest_capture_of(db, document["url"])
        capture, body = archive.capture(capture_id), archive.capture_body(capture_id)
    finally:
        archive.close()
    path = document["url"].split("/", 3)[3]
    status, headers, served_body = get(f"{server.base_url}/{path}")
    assert status == 200 and served_body == body
    assert headers["Content-Encoding"] == dict(capture["headers"])["Content-Encoding"]
    assert headers["Content-Type"] == dict(capture["headers"])["Content-Type"]
    policy = headers["Content-Security-Policy"]
    assert policy.startswith("sandbox;") and "default-src 'none'" in policy  # no script, nothing from the live site
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Link"] == f'<{document["url"]}>; rel="original"'
    assert headers["Memento-Datetime"].endswith(" GMT") and fetched_at[:4] in headers["Memento-Datetime"]


def test_the_index_lists_documents_with_their_titles_escaped(recrawled_copy):
    copy = recrawled_copy
    with sqlite3.connect(copy) as conn:
        url = conn.execute("SELECT url FROM documents ORDER BY id LIMIT 1").fetchone()[0]
        conn.execute("UPDATE documents SET title = '<script>alert(1)</script>' WHERE url = ?", (url,))
        count = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    with ReplayServer(copy, port=0) as server:
        status, headers, page = get(server.base_url + "/")
    text = page.decode("utf-8")
    assert status == 200 and "sandbox" in headers["Content-Security-Policy"]
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert text.count("<li>") == count


def test_a_path_never_captured_is_404(served):
    server, _ = served
    status, headers, _ = get(server.base_url + "/ShowArticle.asp?ArticleID=999999")
    assert status == 404 and "sandbox" in headers["Content-Security-Policy"]


def test_serve_needs_an_existing_archive(tmp_path, cli):
    result = cli("serve", "--db", str(tmp_path / "none.db"), check=False)
    assert result.returncode == 1 and "no archive at" in result.output
    assert not (tmp_path / "none.db").exists()
