"""Search latency over many synthetic documents (goal: a two-character query within 100 ms).

    .venv/bin/python benchmarks/search.py [--documents 100000] [--runs 20] [--db PATH]

Documents are made of random sentences of the replica's hand-written opinions (so words occur
about as often as in the real column), about 900 characters each like the real ones. The
archive is built once and reused when --db names an existing file.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive import Archive  # noqa: E402
from archive.search import search  # noqa: E402
from replica.content import load_opinions  # noqa: E402

QUERIES = ["教", "教育", "审计", "剿灭", "学前教", "学前教育", "V类水", "财政 审计"]


def sentences() -> tuple[list[str], list[str]]:
    titles, pool = [], []
    for record in load_opinions():
        titles.append(record["title"])
        for section in record["sections"]:
            for paragraph in section["paragraphs"]:
                pool.extend(part + "。" for part in paragraph.split("。") if part)
    return titles, pool


def build(archive: Archive, documents: int, seed: int = 5) -> tuple[float, float]:
    """Insert the documents in one transaction, then index them; returns both times in seconds."""
    rng = random.Random(seed)
    titles, pool = sentences()
    started = time.perf_counter()
    conn = archive.conn
    capture_id, _ = archive.add_capture(url="http://bench.example/", status=200, headers=[], body=b"bench")
    conn.execute("BEGIN IMMEDIATE")
    for number in range(documents):
        body = "".join(rng.choice(pool) for _ in range(20))
        conn.execute(
            "INSERT INTO documents (url, title, published_at, source, body_text, paragraphs, capture_id, first_seen_at, last_seen_at) "
            "VALUES (?, ?, ?, '椒江人大网', ?, ?, ?, 't', 't')",
            (f"http://bench.example/{number}", rng.choice(titles), f"{2012 + number % 11}-01-01T00:00:00+08:00",
             body, json.dumps([body], ensure_ascii=False), capture_id),
        )
    conn.execute("COMMIT")
    inserted = time.perf_counter()
    archive.reindex()
    return inserted - started, time.perf_counter() - inserted


def measure(archive: Archive, query: str, runs: int) -> tuple[int, float, float, float]:
    """(matches, median ms, 95th percentile ms, median CPU ms) of search() for the top 20."""
    timings, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        results = search(archive.conn, query, limit=20)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    timings.sort()
    return results.total, statistics.median(timings), timings[int(len(timings) * 0.95) - 1], statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--db", help="archive to build or reuse (default: a temporary file)")
    args = parser.parse_args()
    path = Path(args.db) if args.db else Path(tempfile.mkdtemp(prefix="npc-bench-")) / "bench.db"
    fresh = not path.exists()
    archive = Archive(path)
    if fresh:
        insert_s, index_s = build(archive, args.documents)
        print(f"Built {args.documents:,} documents in {insert_s:.1f} s, indexed them in {index_s:.1f} s")
    count = archive.conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    print(f"Archive {path}: {count:,} documents, {path.stat().st_size / 2**20:,.0f} MiB")
    # Other processes slow the wall-clock figures; CPU time and the load average show by how much.
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; top 20 results with snippets, {args.runs} runs each")
    print(f"{'query':<12}{'matches':>10}{'median ms':>12}{'p95 ms':>10}{'CPU ms':>10}")
    for query in QUERIES:
        total, median, p95, cpu = measure(archive, query, args.runs)
        print(f"{query:<12}{total:>10,}{median:>12.1f}{p95:>10.1f}{cpu:>10.1f}")
    archive.close()


if __name__ == "__main__":
    main()
