"""`npc-archive report` on a big archive: 1,000 opinions crawled 10 times, readers reading
between the crawls (goal: the report within 30 s).

    .venv/bin/python benchmarks/report.py [--articles 1000] [--crawls 10] [--runs 3] [--db PATH]

The archive is made by real crawls of the replica (a first `new` crawl, then `refresh` runs
that refetch every article), so its sections, items, view counts and crawl rows are a crawl's.
It is kept and reused when --db names an existing file. The report runs as a user runs it,
in a subprocess; the time includes starting Python and loading jieba's dictionary.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import tempfile
from pathlib import Path

from measure import archive_bytes, crawl_archive, run_measured

from replica.server import ReplicaServer
from replica.site import Site

GOAL_SECONDS = 30.0
MB = 1_000_000


def build(db: Path, articles: int, crawls: int) -> None:
    site, rng = Site(synthetic=articles), random.Random(14)
    with ReplicaServer(site) as server:
        for number in range(crawls):
            run = crawl_archive(db, server.start_url, "--quiet", *(["--mode", "refresh"] if number else []))
            print(f"  crawl {number + 1}/{crawls}: {run.seconds:.1f} s")
            site.pass_time(rng)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000, help="synthetic opinions besides the hand-written ones")
    parser.add_argument("--crawls", type=int, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path, help="reuse (or keep) this archive")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        db = args.db or Path(workdir) / "archive.db"
        if not db.exists():
            print(f"Building {db}: {args.articles} synthetic opinions, {args.crawls} crawls")
            build(db, args.articles, args.crawls)
        with sqlite3.connect(db) as conn:
            documents, crawls, counts, items = conn.execute(
                "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM crawls), "
                "(SELECT count(*) FROM view_counts), (SELECT count(*) FROM items)").fetchone()
        print(f"Archive: {documents} documents, {crawls} crawls, {counts} view counts, {items} items, "
              f"{archive_bytes(db) / MB:.1f} MB")
        out = Path(workdir) / "report.html"
        runs = [run_measured(["-m", "npc_archive", "report", "--db", str(db), "-o", str(out)]) for _ in range(args.runs)]
        median = statistics.median(run.seconds for run in runs)
        print(f"npc-archive report: median {median:.2f} s of {args.runs} runs "
              f"(each {', '.join(f'{run.seconds:.2f}' for run in runs)} s; CPU {runs[0].cpu_seconds:.2f} s, "
              f"peak RSS {runs[0].peak_rss_mb:.0f} MB), {out.stat().st_size / 1000:.0f} kB of HTML")
        print(f"goal: within {GOAL_SECONDS:.0f} s: {'met' if median <= GOAL_SECONDS else 'NOT met'}")


if __name__ == "__main__":
    main()
