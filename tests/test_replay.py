"""`npc-archive serve`: archived pages as received, on 127.0.0.1, in a sandbox."""

from __future__ import annotations

import hashlib
import http.client
import inspect
import socket
import sqlite3
import urllib.error
import urllib.request

import pytest

from archive import Archive
from archive.replay import SANDBOX, OwnHost, ReplayServer
from npc_archive.exit_codes import NO_ARCHIVE

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
    assert result.returncode == NO_ARCHIVE and "no archive at" in result.output
    assert not (tmp_path / "none.db").exists()


def exchange(server, request: bytes):
    """Status, headers and body of the answer to raw request bytes."""
    with socket.create_connection((server.host, server.port), timeout=10) as connection:
        connection.sendall(request)
        response = http.client.HTTPResponse(connection, method=request.split(b" ", 1)[0].decode("ascii", "replace"))
        response.begin()
        return response.status, response.headers, response.read()


def request_with_host(host: str | None, method: str = "GET", path: str = "/") -> bytes:
    host_line = f"Host: {host}\r\n" if host is not None else ""
    return f"{method} {path} HTTP/1.0\r\n{host_line}\r\n".encode()


def assert_secured(headers) -> None:
    assert headers["Content-Security-Policy"] == SANDBOX and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"


@pytest.mark.parametrize("host, status", [
    ("127.0.0.1:{port}", 200), ("localhost:{port}", 200), ("LocalHost.:{port}", 200),
    ("rebound.example:{port}", 421), ("127.0.0.1.nip.io:{port}", 421), ("127.0.0.1:{other_port}", 421),
    ("127.0.0.1", 421), ("localhost:{port}/x", 421), ("user@localhost:{port}", 421), ("localhost:port", 421),
    (None, 400),
])
def test_only_requests_for_this_servers_own_address_are_answered(served, host, status):
    server, _ = served
    host = host.format(port=server.port, other_port=server.port + 1) if host else None
    answer, headers, body = exchange(server, request_with_host(host))
    assert answer == status
    assert_secured(headers)
    if status == 421:
        assert body == f"this server answers only as 127.0.0.1:{server.port}\n".encode()
    if status != 200:
        assert b"<li>" not in body


@pytest.mark.parametrize("listening, host, answered", [
    ("0.0.0.0", "192.168.1.5:8100", True), ("0.0.0.0", "localhost:8100", True), ("0.0.0.0", "rebound.example:8100", False),
    ("0.0.0.0", "192.168.1.5:8101", False), ("archive.lan", "ARCHIVE.lan:8100", True), ("archive.lan", "127.0.0.1:8100", False),
    ("192.168.1.5", "192.168.1.5:8100", True), ("192.168.1.5", "192.168.1.6:8100", False),
])
def test_a_server_on_another_address_answers_for_that_address(listening, host, answered):
    assert OwnHost(listening, 8100).matches(host) is answered


@pytest.mark.parametrize("request_bytes, status", [
    (b"GARBAGE\r\n\r\n", 400),
    (b"GET /" + b"a" * (65537 - 5), 414),  # a request line longer than http.server reads
    (b"POST / HTTP/1.0\r\nContent-Length: 0\r\n\r\n", 501),
    (b"GET / HTTP/2.0\r\n\r\n", 505),
])
def test_http_servers_own_error_pages_carry_the_sandbox_too(served, request_bytes, status):
    server, _ = served
    answer, headers, _ = exchange(server, request_bytes)
    assert answer == status
    assert_secured(headers)
    assert "Python" not in headers["Server"]


def test_head_answers_like_get_without_a_body(served, query):
    server, db = served
    (url,), = query(db, "SELECT url FROM documents ORDER BY id LIMIT 1")
    host = f"127.0.0.1:{server.port}"
    for path in ("/", "/" + url.split("/", 3)[3], "/never-archived"):
        got, got_headers, got_body = exchange(server, request_with_host(host, "GET", path))
        head, head_headers, head_body = exchange(server, request_with_host(host, "HEAD", path))
        assert got == head and head_body == b"" and got_body
        assert {k: v for k, v in head_headers.items() if k != "Date"} == {k: v for k, v in got_headers.items() if k != "Date"}
        assert int(head_headers["Content-Length"]) == len(got_body)


def test_each_request_reads_the_archive_read_only_and_a_moved_archive_is_an_error(recrawled_copy, tmp_path, capsys):
    copy = recrawled_copy
    with ReplayServer(copy, port=0) as server:
        before = hashlib.sha256(copy.read_bytes()).hexdigest()
        assert get(server.base_url + "/")[0] == 200
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == before
        copy.rename(tmp_path / "moved.db")
        status, headers, body = get(server.base_url + "/")
    assert status == 503 and body.startswith(f"the archive {copy} cannot be read: ".encode())
    assert_secured(headers)
    assert not copy.exists()  # no empty archive made in its place
    assert capsys.readouterr().err == f"npc-archive serve: {body.decode().strip()}\n"


def test_a_read_only_archive_writes_nothing_and_makes_no_file(recrawled, tmp_path):
    _, db = recrawled
    archive = Archive(db, read_only=True)
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            archive.record_audit({"started_at": "x", "finished_at": "x", "checked": 0, "failed": 0, "missing": 0})
    finally:
        archive.close()
    with pytest.raises(sqlite3.OperationalError, match="unable to open"):
        Archive(tmp_path / "none" / "archive.db", read_only=True)
    assert not (tmp_path / "none").exists()
