"""Serve the replica on 127.0.0.1: ``npc-replica --port 8000 [--articles 1000] [--markup div|powereasy|…]
[--fault '/ShowArticle.asp?ArticleID=1040=503:2']``."""

from __future__ import annotations

import argparse
import ssl
import sys
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import faults
from .site import MARKUPS, Site


class ReplicaHandler(BaseHTTPRequestHandler):
    server_version = "Microsoft-IIS/6.0"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the body of every
    # reply on a kept-alive connection waits for the client's delayed ACK (about 40 ms).
    disable_nagle_algorithm = True
    site: Site
    sent: list
    stopping: threading.Event

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def do_POST(self) -> None:  # noqa: N802 (Hanweb's dataproxy.jsp pages its lists by POST)
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(send_body=True, method="POST", body=self.rfile.read(length) if length else b"")

    def _answer(self, send_body: bool, method: str = "GET", body: bytes = b"") -> None:
        accept_encoding = self.headers.get("Accept-Encoding", "")
        # GETs call handle() as it has always been called, so Sites that tests subclass keep working.
        reply = (self.site.handle(self.path, accept_encoding) if method == "GET"
                 else self.site.handle(self.path, accept_encoding, method, body))
        self.sent.append((self.path, reply))
        # Each family's own web server names itself; the table and div markups keep IIS 6.
        self.server_version = next((v for n, v in reply.headers if n == "Server"), ReplicaHandler.server_version)
        self.send_response(reply.status)
        for name, value in reply.headers:
            if name != "Server":
                self.send_header(name, value)
        self.send_header("Content-Length", str(faults.content_length(reply.body, reply.transport)))
        self.end_headers()
        if send_body and reply.transport:
            faults.deliver(self, reply.body, reply.transport, self.stopping, self.site.stall_seconds)
        elif send_body:
            self.wfile.write(reply.body)

    def version_string(self) -> str:
        return self.server_version  # as IIS and the others send it, without http.server's trailing space

    def date_time_string(self, timestamp: float | None = None) -> str:
        return formatdate(timestamp, usegmt=True)

    def log_message(self, format: str, *args: object) -> None:  # quiet: tests and demo print their own
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64  # the default 5 drops connections when a crawler opens several at once

    def handle_error(self, request, client_address) -> None:
        # Clients that hang up (timeouts, stalls, resets) are part of the game, not errors.
        if not isinstance(sys.exc_info()[1], OSError):
            super().handle_error(request, client_address)


class ReplicaServer:
    """A replica site served in a background thread; use as a context manager."""

    def __init__(self, site: Site | None = None, host: str = "127.0.0.1", port: int = 0, tls: ssl.SSLContext | None = None) -> None:
        """``tls``: serve https with this server context (its certificate), not http."""
        self.site = site or Site()
        # Every reply sent, in order: (path, Reply). Tests compare archived bytes against it.
        self.sent: list = []
        self.stopping = threading.Event()  # ends stall faults when the server stops
        handler = type("BoundReplicaHandler", (ReplicaHandler,),
                       {"site": self.site, "sent": self.sent, "stopping": self.stopping})
        self.httpd = _QuietServer((host, port), handler)
        self.scheme = "https" if tls else "http"
        if tls:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
        # serve_forever checks for shutdown() every poll_interval: its default 0.5 s was the cost of
        # stopping each replica a test starts.
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="replica",
                                       daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"{self.scheme}://{host}:{port}"

    @property
    def start_url(self) -> str:
        return self.base_url + self.site.start_path

    def start(self) -> ReplicaServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> ReplicaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="npc-replica", description="Serve the replica of 椒江人大网 on 127.0.0.1.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (any of 127.0.0.0/8; "
                        "only 127.0.0.1 is crawled without the politeness delay)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on")
    parser.add_argument("--articles", type=int, default=0, help="add N synthetic opinions (for benchmarks)")
    parser.add_argument("--markup", choices=MARKUPS, default="table",
                        help="table and div: the site's own two markups; the others: CMS families (replica/families)")
    parser.add_argument("--add", type=int, default=0, metavar="N", help="publish N new opinions")
    parser.add_argument("--edit", type=int, action="append", default=[], metavar="ID", help="silently edit article ID")
    parser.add_argument("--remove", type=int, action="append", default=[], metavar="ID", help="remove article ID")
    parser.add_argument("--remove-status", type=int, choices=(200, 404, 410), default=200,
                        help="what a removed article answers: 200 an error text (a soft 404, as the live CMS), or 404/410")
    parser.add_argument("--bump-views", type=int, default=0, metavar="N", help="add N to every view count")
    parser.add_argument("--publish-late-report", action="store_true",
                        help="publish the late report on an opinion that the replica holds back at first (replica/followups.py)")
    parser.add_argument("--fault", action="append", default=[], metavar="TARGET=KIND[:N]",
                        help="serve a fault for TARGET (e.g. /ShowArticle.asp?ArticleID=1040=503:2; :N fails "
                             "only the first N requests); kinds: " + ", ".join(faults.KINDS))
    parser.add_argument("--retry-after", type=int, default=5, metavar="S", help="Retry-After of 503 faults")
    parser.add_argument("--stall-seconds", type=float, default=300.0, metavar="S", help="how long stall faults stay silent")
    args = parser.parse_args(argv)
    site = Site(synthetic=args.articles, markup=args.markup)
    site.add_opinions(args.add)
    for article_id in args.edit:
        site.edit_opinion(article_id)
    for article_id in args.remove:
        site.remove_opinion(article_id, args.remove_status)
    site.bump_views(args.bump_views)
    if args.publish_late_report:
        site.publish_late_report()
    site.retry_after, site.stall_seconds = args.retry_after, args.stall_seconds
    for spec in args.fault:
        try:
            target, fault = faults.parse_fault(spec)
        except ValueError as error:
            parser.error(str(error))
        site.faults[target] = fault
    try:
        server = ReplicaServer(site, args.host, args.port)
    except OSError as error:
        # 69 (EX_UNAVAILABLE), as `npc-archive serve` exits on a busy port.
        parser.exit(69, f"npc-replica: cannot serve on {args.host}:{args.port}: {error.strerror} (try another --port)\n")
    print(f"Replica of 椒江人大网 at {server.base_url}/  (column: {server.start_url})", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


if __name__ == "__main__":
    main()
