"""Storage: archive size after 1 and after 10 crawls of an unchanged 1,000-article replica,
and the bytes stored for the captures against the raw (decompressed) bytes they hold; then
the live site's usual case, 10 refresh runs where every page's view count changed.

The crawls after the first are `--mode refresh`, which refetches every article: the worst
case for storage (a `new` run on an unchanged site fetches two pages).

    .venv/bin/python benchmarks/storage.py [--articles 1000] [--crawls 10]
"""

from __future__ import annotations

import argparse
import gzip
import sqlite3
import tempfile
import zlib
from pathlib import Path

from measure import FrozenSite, archive_bytes, crawl_archive

from archive import Archive
from replica.server import ReplicaServer
from replica.site import Site

GOAL_GROWTH = 1.1
GOAL_CAPTURES = 0.35
GOAL_VIEW_COUNT_GROWTH = 2.0
MB = 1_000_000


def table_bytes(db: Path) -> dict[str, int]:
    """Bytes of each table, its indexes included (SQLite's dbstat)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        owner = dict(conn.execute("SELECT name, tbl_name FROM sqlite_schema"))
        sizes: dict[str, int] = {}
        for name, size in conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"):
            table = owner.get(name, name)
            sizes[table] = sizes.get(table, 0) + size
        return sizes
    finally:
        conn.close()


def unused_share(db: Path, table: str) -> float:
    """Share of the table's page bytes that hold nothing."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        unused, total = conn.execute("SELECT sum(unused), sum(pgsize) FROM dbstat WHERE name = ?", (table,)).fetchone()
        return unused / total
    finally:
        conn.close()


def _decoded(body: bytes, headers: list[list[str]]) -> bytes:
    encoding = next((value.lower() for name, value in headers if name.lower() == "content-encoding"), "")
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    return body


def capture_bytes(db: Path, crawl_id: int) -> tuple[int, int, int, int]:
    """Captures of a crawl; their raw (decompressed) bytes, bytes as received, bytes stored."""
    archive = Archive(db)
    try:
        rows = archive.conn.execute("SELECT id, sha256 FROM snapshots WHERE crawl_id = ?", (crawl_id,)).fetchall()
        raw = wire = 0
        for capture_id, _ in rows:
            body = archive.capture_body(capture_id)
            wire += len(body)
            raw += len(_decoded(body, archive.capture(capture_id)["headers"]))
        digests = sorted({digest for _, digest in rows})
        stored = sum(archive.conn.execute("SELECT stored_size FROM blobs WHERE sha256 = ?", (digest,)).fetchone()[0]
                     for digest in digests)
        return len(rows), raw, wire, stored
    finally:
        archive.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="synthetic opinions besides the 45 hand-written ones")
    parser.add_argument("--crawls", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as workdir, ReplicaServer(FrozenSite(synthetic=args.articles).render_column()) as server:
        db = Path(workdir) / "archive.db"
        crawl_archive(db, server.start_url)
        first_size, first_tables = archive_bytes(db), table_bytes(db)
        captures, raw, wire, stored = capture_bytes(db, crawl_id=1)
        blob_pages_unused = unused_share(db, "blobs")
        for _ in range(args.crawls - 1):
            crawl_archive(db, server.start_url, "--mode", "refresh")
        last_size, last_tables = archive_bytes(db), table_bytes(db)
    view_count_growth = view_count_refreshes(args.articles, args.crawls)

    print(f"Archive of an unchanged replica of {args.articles + 45:,} opinions, crawled {args.crawls} times "
          f"(python -m npc_archive crawl, same archive)\n")
    print(f"{'table (with its indexes)':<26} {'after 1':>10} {f'after {args.crawls}':>10}")
    for table in sorted(set(first_tables) | set(last_tables), key=lambda name: -last_tables.get(name, 0)):
        print(f"{table:<26} {first_tables.get(table, 0) / MB:>7.2f} MB {last_tables.get(table, 0) / MB:>7.2f} MB")
    print(f"{'archive file':<26} {first_size / MB:>7.2f} MB {last_size / MB:>7.2f} MB")
    growth = last_size / first_size
    print(f"\nGoal: {args.crawls} crawls <= {GOAL_GROWTH}x one crawl's archive: {growth:.2f}x  "
          f"{'met' if growth <= GOAL_GROWTH else 'MISSED'}")
    print(f"\nCaptures of the first crawl: {captures:,} captures, {raw / MB:.2f} MB raw (decompressed), "
          f"{wire / MB:.2f} MB as received, {stored / MB:.2f} MB stored")
    print(f"The blobs table takes {first_tables['blobs'] / MB:.2f} MB on disk ({first_tables['blobs'] / raw:.2f}x raw): "
          f"{blob_pages_unused:.0%} of its pages' bytes are unused")
    ratio = stored / raw
    print(f"Goal: captures stored in <= {GOAL_CAPTURES}x their raw bytes: {ratio:.2f}x  "
          f"{'met' if ratio <= GOAL_CAPTURES else 'MISSED'}")
    print(f"\nThe live site's usual case: one crawl, then {args.crawls} refresh runs, every page's view count "
          f"changed before each (no two captures identical)")
    print(f"Goal: archive <= {GOAL_VIEW_COUNT_GROWTH}x one crawl's: {view_count_growth:.2f}x  "
          f"{'met' if view_count_growth <= GOAL_VIEW_COUNT_GROWTH else 'MISSED'}")


def view_count_refreshes(articles: int, refreshes: int) -> float:
    """Archive size after a crawl and ``refreshes`` refresh runs of a replica whose view counts
    all move between runs, against its size after the first crawl."""
    site = Site(synthetic=articles)
    with tempfile.TemporaryDirectory() as workdir, ReplicaServer(site) as server:
        db = Path(workdir) / "archive.db"
        crawl_archive(db, server.start_url)
        first = archive_bytes(db)
        for _ in range(refreshes):
            site.bump_views(1)
            crawl_archive(db, server.start_url, "--mode", "refresh")
        return archive_bytes(db) / first


if __name__ == "__main__":
    main()
