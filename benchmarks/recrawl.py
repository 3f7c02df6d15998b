"""Recrawl cost: requests and bytes of a `new` run and of a `refresh` run on an unchanged
1,000-article replica, against the first full crawl. On the live site politeness is the
limit, so the fetches a scheduled run avoids are what matters most.

    .venv/bin/python benchmarks/recrawl.py [--articles 1000]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from pathlib import Path

from measure import FrozenSite, crawl_archive

from replica.server import ReplicaServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="synthetic opinions besides the 45 hand-written ones")
    args = parser.parse_args()
    runs = [("first crawl", ()), ("new", ("--mode", "new")), ("refresh", ("--mode", "refresh"))]
    with tempfile.TemporaryDirectory() as workdir, ReplicaServer(FrozenSite(synthetic=args.articles).render_column()) as server:
        db = Path(workdir) / "archive.db"
        seconds = [crawl_archive(db, server.start_url, *options).seconds for _, options in runs]
        with sqlite3.connect(db) as conn:
            figures = conn.execute("SELECT requests, bytes_fetched, bytes_stored FROM crawls ORDER BY id").fetchall()
    print(f"Recrawls of an unchanged replica of {args.articles + 45:,} opinions (python -m npc_archive crawl, same archive)\n")
    print(f"{'run':<12} {'requests':>9} {'vs first':>9} {'bytes fetched':>14} {'vs first':>9} {'bytes stored':>13} {'seconds':>8}")
    first_requests, first_bytes = figures[0][0], figures[0][1]
    for (name, _), (requests, fetched, stored), elapsed in zip(runs, figures, seconds):
        print(f"{name:<12} {requests:>9,} {requests / first_requests:>8.3f}x {fetched:>14,} {fetched / first_bytes:>8.3f}x "
              f"{stored:>13,} {elapsed:>8.1f}")


if __name__ == "__main__":
    main()
