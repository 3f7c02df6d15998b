"""Where the bytes of one refresh run go: each table and index's growth (SQLite's dbstat)
after a crawl of an unchanged replica and one `--mode refresh` run, per capture of that run.

    .venv/bin/python benchmarks/refresh_bytes.py [--articles 1000]
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from pathlib import Path

from measure import FrozenSite, archive_bytes, crawl_archive

from replica.server import ReplicaServer


def page_bytes(db: Path) -> dict[str, tuple[int, int]]:
    """Each table's and index's bytes on pages, and of them the bytes of its rows or entries."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return {name: (pages, payload) for name, pages, payload in
                conn.execute("SELECT name, sum(pgsize), sum(payload) FROM dbstat GROUP BY name")}
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="synthetic opinions besides the 45 hand-written ones")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir, ReplicaServer(FrozenSite(synthetic=args.articles).render_column()) as server:
        db = Path(workdir) / "archive.db"
        crawl_archive(db, server.start_url)
        before, size_before = page_bytes(db), archive_bytes(db)
        crawl_archive(db, server.start_url, "--mode", "refresh")
        after, size_after = page_bytes(db), archive_bytes(db)
        conn = sqlite3.connect(db)
        captures = conn.execute("SELECT count(*) FROM snapshots WHERE crawl_id = 2").fetchone()[0]
        conn.close()
    print(f"One refresh run of an unchanged replica of {args.articles + 45:,} opinions: {captures:,} captures, "
          f"archive +{(size_after - size_before) / 1000:,.1f} KB ({(size_after - size_before) / captures:,.0f} bytes a capture)\n")
    print(f"{'table or index':<24} {'pages':>10} {'rows':>10} {'pages a capture':>16}")
    growth = {name: (after[name][0] - before.get(name, (0, 0))[0], after[name][1] - before.get(name, (0, 0))[1]) for name in after}
    for name, (pages, payload) in sorted(growth.items(), key=lambda item: -item[1][0]):
        if pages:
            print(f"{name:<24} {pages / 1000:>7.1f} KB {payload / 1000:>7.1f} KB {pages / captures:>12.0f} B")


if __name__ == "__main__":
    main()
