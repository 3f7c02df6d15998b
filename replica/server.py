"""Serve the replica on 127.0.0.1: ``npc-replica --port 8000 [--articles 1000] [--markup div]``."""

from __future__ import annotations

import argparse
import threading
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .site import Site


class ReplicaHandler(BaseHTTPRequestHandler):
    server_version = "Microsoft-IIS/6.0"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the body of every
    # reply on a kept-alive connection waits for the client's delayed ACK (about 40 ms).
    disable_nagle_algorithm = True
    site: Site
    sent: list

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._answer(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        reply = self.site.handle(self.path, self.headers.get("Accept-Encoding", ""))
        self.sent.append((self.path, reply))
        self.send_response(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if send_body:
            self.wfile.write(reply.body)

    def date_time_string(self, timestamp: float | None = None) -> str:
        return formatdate(timestamp, usegmt=True)

    def log_message(self, format: str, *args: object) -> None:  # quiet: tests and demo print their own
        pass


class ReplicaServer:
    """A replica site served in a background thread; use as a context manager."""

    def __init__(self, site: Site | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.site = site or Site()
        # Every reply sent, in order: (path, Reply). Tests compare archived bytes against it.
        self.sent: list = []
        handler = type("BoundReplicaHandler", (ReplicaHandler,), {"site": self.site, "sent": self.sent})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="replica", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def start_url(self) -> str:
        return self.base_url + "/list.asp?ClassID=5"

    def start(self) -> "ReplicaServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> "ReplicaServer":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="npc-replica", description="Serve the replica of 椒江人大网 on 127.0.0.1.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--articles", type=int, default=0, help="add N synthetic opinions (for benchmarks)")
    parser.add_argument("--markup", choices=("table", "div"), default="table")
    args = parser.parse_args(argv)
    server = ReplicaServer(Site(synthetic=args.articles, markup=args.markup), args.host, args.port)
    print(f"Replica of 椒江人大网 at {server.base_url}/  (column: {server.start_url})", flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()


if __name__ == "__main__":
    main()
