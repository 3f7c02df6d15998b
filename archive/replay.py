"""``npc-archive serve``: read the archived pages in a browser, as the server sent them, safely.

Archived pages are the site's own HTML, with its scripts, forms and links to the live site.
They are served from 127.0.0.1 by default, under a Content-Security-Policy sandbox: no script
runs, no form posts, and nothing loads from anywhere but this server, so reading the archive
sends no request to the live site. Any path the site had (``/ShowArticle.asp?ArticleID=…``)
answers with its latest capture, byte for byte (gzip included), so the page's own links work.

Every capture is reachable as a memento (RFC 7089), Wayback-style: ``/web/TIMESTAMP/URL`` is the
capture nearest that time (a redirect to its own timestamp), ``/web/URL`` a TimeGate that
negotiates ``Accept-Datetime``, ``/web/*/URL`` the list of a URL's captures and
``/timemap/link/URL`` its TimeMap. A memento's links point into the archive
(``archive/rewrite.py``); a removed opinion is shown as its last good capture, with a banner
saying when the site removed it. ``/web/TIMESTAMPid_/URL`` is a capture as stored, unchanged.

Each request opens the archive read-only: a file moved or deleted meanwhile is an error
page, never a new empty archive. A request whose Host is not this server's own address is
refused (421), so a web page whose name an attacker re-points at 127.0.0.1 (DNS rebinding)
cannot read the archive through the reader's browser.
"""

from __future__ import annotations

import html
import socket
import sqlite3
import sys
import threading
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from .blobs import UnreadableBlob
from .hosts import is_ip_address, is_loopback
from .memento_replay import BadRequest, memento_answer
from .mementos import PATH_OF_URL
from .store import Archive

SANDBOX = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
SECURITY_HEADERS = [
    ("Content-Security-Policy", SANDBOX),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
]
# Headers of a capture that describe its body as stored; the rest (cookies, Location to the
# live site, caching) would act on the reader's browser, not describe the page.
REPLAYED_HEADERS = {"content-type", "content-encoding", "last-modified"}
_PATH = PATH_OF_URL


def latest_capture(archive: Archive, target: str) -> dict | None:
    """The latest capture whose path and query are ``target``, whatever host it came from
    (the replica's port changes from run to run; the live site has one host)."""
    row = archive.conn.execute(f"SELECT id FROM snapshots WHERE {_PATH} = ? ORDER BY fetched_at DESC, id DESC LIMIT 1",
                               (target,)).fetchone()
    return archive.capture(row[0]) if row else None


def index_page(archive: Archive) -> bytes:
    rows = archive.conn.execute(
        f"SELECT {_PATH}, title, substr(published_at, 1, 10), removed_at, url FROM documents ORDER BY published_at DESC, id DESC")
    # A removed opinion's own path answers with the site's removal page: its link is its TimeGate,
    # which shows the last good capture.
    items = "".join(
        f'<li>{html.escape(day or "")} <a href="{html.escape(f"/web/{url}" if removed else path)}">{html.escape(title or path)}</a>'
        f'{" (removed from the site)" if removed else ""} <a href="{html.escape(f"/web/*/{url}")}">captures</a></li>\n'
        for path, title, day, removed, url in rows)
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>npc-archive</title></head><body>"
            f"<h1>审议意见: archived opinions</h1><ul>\n{items}</ul></body></html>").encode("utf-8")


class ReplayHandler(BaseHTTPRequestHandler):
    db_path: str
    own_host: OwnHost
    server_version = "npc-archive"
    sys_version = ""
    # http.server answers a request line it cannot read as HTTP/0.9, which has no headers (so
    # no CSP); no browser speaks 0.9, and HTTP/1.0 answers carry the headers.
    default_request_version = "HTTP/1.0"

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(with_body=False)

    def _answer(self, with_body: bool) -> None:
        host = self.headers.get("Host")
        if host is None:
            self._send(400, _TEXT, b"no Host header\n", with_body)
            return
        if not self.own_host.matches(host):
            # A page of another site whose name was made to resolve here (DNS rebinding) must not read the archive.
            self._send(421, _TEXT, f"this server answers only as {self.own_host.address}\n".encode(), with_body)
            return
        try:
            found = self._find(self.path)
        except sqlite3.Error as error:  # moved, deleted or damaged since the server started
            self._fail(503, f"the archive {self.db_path} cannot be read: {error}", with_body)
            return
        except BadRequest as error:
            self._send(400, _TEXT, f"{error}\n".encode(), with_body)
            return
        except UnreadableBlob as error:
            self._fail(500, f"the stored body of {self.path} cannot be read: {error} (see npc-archive verify)", with_body)
            return
        if found is None:
            self._send(404, _TEXT, f"not archived: {self.path}\n".encode(), with_body)
            return
        status, headers, body = found
        self._send(status, headers, body, with_body)

    def _find(self, target: str) -> tuple[int, list[tuple[str, str]], bytes] | None:
        """Status, headers and body of the answer for ``target``; None if it was never captured."""
        archive = Archive(self.db_path, read_only=True)  # never creates a file, never writes
        try:
            if target == "/":
                return 200, [("Content-Type", "text/html; charset=utf-8")], index_page(archive)
            if target.startswith(("/web/", "/timemap/")):
                return memento_answer(archive, target, f"http://{self.headers['Host']}", self.headers.get("Accept-Datetime"))
            capture = latest_capture(archive, target)
            if capture is None:
                return None
            body = archive.capture_body(capture["id"])
        finally:
            archive.close()
        fetched = datetime.fromisoformat(capture["fetched_at"].replace("Z", "+00:00"))
        headers = [(name, value) for name, value in capture["headers"] if name.lower() in REPLAYED_HEADERS]
        headers += [("Memento-Datetime", format_datetime(fetched, usegmt=True)),
                    ("Link", f'<{capture["url"]}>; rel="original"')]
        return capture["status"], headers, body

    def _fail(self, status: int, message: str, with_body: bool) -> None:
        sys.stderr.write(f"npc-archive serve: {message}\n")
        self._send(status, _TEXT, f"{message}\n".encode(), with_body)

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes, with_body: bool = True) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def end_headers(self) -> None:
        # Every answer, http.server's own error pages (400, 414, 501) included.
        for name, value in SECURITY_HEADERS:
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


_TEXT = [("Content-Type", "text/plain; charset=utf-8")]


@dataclass(frozen=True)
class OwnHost:
    """The names a request's Host may give this server: the address it listens on (with its
    port), any loopback name when that is loopback, any IP address when it listens on all."""

    host: str
    port: int

    @property
    def address(self) -> str:
        return f"{_bracketed(self.host)}:{self.port}"

    def matches(self, header: str) -> bool:
        try:
            parts = urlsplit(f"//{header.strip()}")
            name, port = parts.hostname, parts.port or 80
        except ValueError:
            return False
        if not name or port != self.port or parts.username is not None or parts.path:
            return False
        name = name.rstrip(".")
        if name == self.host.lower() or (is_loopback(self.host) and is_loopback(name)):
            return True
        return self.host in ("", "0.0.0.0", "::") and (is_ip_address(name) or name in _machine_names())


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _machine_names() -> set[str]:
    return {"localhost", socket.gethostname().lower(), socket.getfqdn().lower()}


class ReplayServer:
    """The archive served in a background thread; use as a context manager (tests) or ``serve_forever``."""

    def __init__(self, db_path: str | Path, host: str = "127.0.0.1", port: int = 8100) -> None:
        handler = type("Handler", (ReplayHandler,), {"db_path": str(db_path)})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.host, self.port = host, self.httpd.server_address[1]
        handler.own_host = OwnHost(host, self.port)
        self.base_url = f"http://{_bracketed(host)}:{self.port}"

    def __enter__(self) -> ReplayServer:
        threading.Thread(target=self.httpd.serve_forever, name="replay", daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
