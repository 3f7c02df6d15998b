"""Crawl overhead: a full crawl of a 1,000-article replica on 127.0.0.1 (politeness off),
ours (`python -m npc_archive crawl`, writing through the writer process, and again with
ARCHIVE_WRITER=inline, writing on Scrapy's thread) vs a bare Scrapy spider that fetches the same
URLs and stores nothing (benchmarks/bare_spider.py). Wall time, ratio and peak RSS of each; CPU
time includes the writer process's.
The replica's pages are rendered before the clock starts (see measure.FrozenSite).

    .venv/bin/python benchmarks/crawl.py [--articles 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from collections import Counter
from pathlib import Path

from measure import FrozenSite, Run, crawl_archive, run_measured

from replica.server import ReplicaServer

GOAL = 1.25


def crawl(contender: str, articles: int, workdir: Path, number: int) -> tuple[Run, Counter]:
    """One crawl of a fresh replica; the run and the paths the server answered."""
    with ReplicaServer(FrozenSite(synthetic=articles).render_column()) as server:
        if contender == "ours":
            run = crawl_archive(workdir / f"archive-{number}.db", server.start_url)
        elif contender == "inline":
            run = crawl_archive(workdir / f"inline-{number}.db", server.start_url, "-s", "ARCHIVE_WRITER=inline")
        else:
            run = run_measured(["benchmarks/bare_spider.py", server.start_url])
        return run, Counter(path for path, _ in server.sent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="synthetic opinions besides the 45 hand-written ones")
    parser.add_argument("--runs", type=int, default=3, help="crawls per contender, taking turns; the fastest counts")
    args = parser.parse_args()

    runs: dict[str, list[Run]] = {"ours": [], "inline": [], "bare": []}
    fetched: dict[str, Counter] = {}
    with tempfile.TemporaryDirectory() as workdir:
        for number in range(args.runs):
            for contender in runs:
                run, fetched[contender] = crawl(contender, args.articles, Path(workdir), number)
                runs[contender].append(run)

    print(f"Full crawl of a replica of {args.articles + 45:,} opinions on 127.0.0.1, politeness off; "
          f"{args.runs} runs each, taking turns\n")
    print(f"{'crawler':<40} {'requests':>8} {'best s':>7} {'median s':>8} {'CPU s':>6} {'peak RSS':>9}")
    names = {"ours": "ours (python -m npc_archive crawl)", "inline": "ours, ARCHIVE_WRITER=inline",
             "bare": "bare Scrapy spider, stores nothing"}
    best, cpu = {}, {}
    for contender, measured in runs.items():
        best[contender] = min(run.seconds for run in measured)
        median = statistics.median(run.seconds for run in measured)
        cpu[contender] = min(run.cpu_seconds for run in measured)
        rss = max(run.peak_rss_mb for run in measured)
        print(f"{names[contender]:<40} {sum(fetched[contender].values()):>8,} {best[contender]:>7.2f} {median:>8.2f} "
              f"{cpu[contender]:>6.2f} {rss:>6.0f} MB")
    if fetched["ours"] != fetched["bare"]:
        print(f"\nWARNING: the two fetched different URLs: "
              f"only ours {sorted(fetched['ours'] - fetched['bare'])[:5]}, only bare {sorted(fetched['bare'] - fetched['ours'])[:5]}")
    ratio = best["ours"] / best["bare"]
    print(f"\nGoal: ours <= {GOAL}x the bare spider's time: {ratio:.2f}x  {'met' if ratio <= GOAL else 'MISSED'}")
    print(f"(inline: {best['inline'] / best['bare']:.2f}x; CPU time, the writer's included: ours {cpu['ours'] / cpu['bare']:.2f}x, "
          f"inline {cpu['inline'] / cpu['bare']:.2f}x the bare spider's)")


if __name__ == "__main__":
    main()
