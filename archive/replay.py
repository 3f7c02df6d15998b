"""``npc-archive serve``: read the archived pages in a browser, as the server sent them, safely.

Archived pages are the site's own HTML, with its scripts, forms and links to the live site.
They are served from 127.0.0.1 by default, under a Content-Security-Policy sandbox: no script
runs, no form posts, and nothing loads from anywhere but this server, so reading the archive
sends no request to the live site. Any path the site had (``/ShowArticle.asp?ArticleID=…``)
answers with its latest capture, byte for byte (gzip included), so the page's own links work.
"""

from __future__ import annotations

import html
import threading
from datetime import datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

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
# A capture's path and query: what follows the host in its URL.
_PATH = "substr(url, instr(substr(url, 9), '/') + 8)"


def latest_capture(archive: Archive, target: str) -> dict | None:
    """The latest capture whose path and query are ``target``, whatever host it came from
    (the replica's port changes from run to run; the live site has one host)."""
    row = archive.conn.execute(f"SELECT id FROM snapshots WHERE {_PATH} = ? ORDER BY fetched_at DESC, id DESC LIMIT 1",
                               (target,)).fetchone()
    return archive.capture(row[0]) if row else None


def index_page(archive: Archive) -> bytes:
    rows = archive.conn.execute(
        f"SELECT {_PATH}, title, substr(published_at, 1, 10), removed_at FROM documents ORDER BY published_at DESC, id DESC")
    items = "".join(
        f'<li>{html.escape(day or "")} <a href="{html.escape(path)}">{html.escape(title or path)}</a>'
        f'{" (removed from the site)" if removed else ""}</li>\n'
        for path, title, day, removed in rows)
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>npc-archive</title></head><body>"
            f"<h1>审议意见: archived opinions</h1><ul>\n{items}</ul></body></html>").encode("utf-8")


class ReplayHandler(BaseHTTPRequestHandler):
    db_path: str

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        archive = Archive(self.db_path)
        try:
            if self.path == "/":
                self._send(200, [("Content-Type", "text/html; charset=utf-8")], index_page(archive))
                return
            capture = latest_capture(archive, self.path)
            if capture is None:
                self._send(404, [("Content-Type", "text/plain; charset=utf-8")], f"not archived: {self.path}\n".encode())
                return
            body = archive.capture_body(capture["id"])
        finally:
            archive.close()
        fetched = datetime.fromisoformat(capture["fetched_at"].replace("Z", "+00:00"))
        headers = [(name, value) for name, value in capture["headers"] if name.lower() in REPLAYED_HEADERS]
        headers += [("Memento-Datetime", format_datetime(fetched, usegmt=True)),
                    ("Link", f'<{capture["url"]}>; rel="original"')]
        self._send(capture["status"], headers, body)

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.send_response(status)
        for name, value in headers + SECURITY_HEADERS:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


class ReplayServer:
    """The archive served in a background thread; use as a context manager (tests) or ``serve_forever``."""

    def __init__(self, db_path: str | Path, host: str = "127.0.0.1", port: int = 8100) -> None:
        handler = type("Handler", (ReplayHandler,), {"db_path": str(db_path)})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.host, self.port = self.httpd.server_address[:2]
        self.base_url = f"http://{host}:{self.port}"

    def __enter__(self) -> ReplayServer:
        threading.Thread(target=self.httpd.serve_forever, name="replay", daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
