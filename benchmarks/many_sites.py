"""Many sites at once: 20 replica sites (the CMS families in turn), each on a loopback address of
its own, registered in a fresh archive as a user would (`npc-archive sites add NAME URL --column
opinions=URL --delay 0 --concurrency 8`) and crawled side by side in one process (`npc-archive
crawl --all`: one Scrapy crawler a site), against a bare Scrapy spider that sends the same
requests and parses and stores nothing (benchmarks/bare_fetcher.py), each kept on 1 core and then
on 2 (`taskset`). Pages/s of each, against the bare spider's and against the cores given.

    .venv/bin/python benchmarks/many_sites.py [--sites 20] [--synthetic 0] [--cores 1,2] [--runs 1]

The sites are served by a process of their own (unpinned), their replies rendered on the first
crawl and served as rendered after (measure.FrozenSite); the first run renders them unmeasured.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from measure import FrozenSite, Run, run_measured

from archive import Archive
from replica.families import FAMILIES
from replica.server import ReplicaServer
from spiders.settings import LOOPBACK_CONCURRENCY

GOAL = 1.25
CONTENDERS = {"ours": "ours, crawl --all", "bare": "bare Scrapy spider"}


def serve(sites: int, synthetic: int, connection) -> None:
    """The replica sites, in this process until told to stop; answers each message with how many replies they sent."""
    families = sorted(FAMILIES)
    servers = [ReplicaServer(FrozenSite(markup=families[number % len(families)], synthetic=synthetic),
                             host=f"127.0.0.{number + 1}").start() for number in range(sites)]
    connection.send([server.start_url for server in servers])
    while connection.recv() != "stop":
        connection.send(sum(len(server.sent) for server in servers))
    for server in servers:
        server.stop()


def register(db: Path, start_urls: list[str]) -> None:
    """The sites in the registry of a fresh archive, one `sites add` each, loopback politeness (no delay)."""
    for number, url in enumerate(start_urls, 1):
        home = urlsplit(url)._replace(path="/", query="").geturl()
        run_measured(["-m", "npc_archive", "sites", "add", "--db", str(db), f"site{number:02}", home,
                      "--column", f"opinions={url}", "--delay", "0", "--concurrency", str(LOOPBACK_CONCURRENCY)])


def fresh_copy(template: Path, db: Path) -> Path:
    """A copy of the archive holding only the registry, so every measured crawl starts from the same."""
    for suffix in ("", "-wal"):
        if Path(f"{template}{suffix}").exists():
            shutil.copyfile(f"{template}{suffix}", f"{db}{suffix}")
    return db


def sent_requests(db: Path) -> list:
    """What our crawl sent, robots.txt aside (Scrapy asks for it itself): [url, method, body]."""
    archive = Archive(db, read_only=True)
    try:
        rows = archive.conn.execute(
            "SELECT s.url, s.method, c.request_body FROM snapshots s JOIN captures c ON c.id = s.id ORDER BY s.id").fetchall()
    finally:
        archive.close()
    return [[url, method, body.decode("latin-1") if body else None] for url, method, body in rows
            if not url.endswith("/robots.txt")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=20, help="replica sites, on 127.0.0.1 to 127.0.0.N")
    parser.add_argument("--synthetic", type=int, default=0, help="synthetic opinions per site besides the 45 hand-written ones")
    parser.add_argument("--cores", default="1,2", help="core counts the crawler is given in turn (taskset -c 0..N-1)")
    parser.add_argument("--runs", type=int, default=1, help="measured crawls per contender and core count; the fastest counts")
    args = parser.parse_args()
    cores = [int(number) for number in args.cores.split(",")]

    context = multiprocessing.get_context("spawn")
    ours_end, servers_end = context.Pipe()
    servers = context.Process(target=serve, args=(args.sites, args.synthetic, servers_end), daemon=True)
    servers.start()
    start_urls = ours_end.recv()
    load_before = os.getloadavg()

    def sent() -> int:
        ours_end.send("count")
        return ours_end.recv()

    results: dict[tuple[str, int], list[tuple[Run, int]]] = {}
    with tempfile.TemporaryDirectory() as workdir:
        template = Path(workdir) / "registry.db"
        register(template, start_urls)

        def crawl(contender: str, cpus: str | None, number: int) -> tuple[Run, int]:
            before = sent()
            if contender == "bare":
                run = run_measured(["benchmarks/bare_fetcher.py", str(Path(workdir) / "requests.json")], cpus)
            else:
                db = fresh_copy(template, Path(workdir) / f"ours-{number}.db")
                run = run_measured(["-m", "npc_archive", "crawl", "--db", str(db), "--all"], cpus)
            return run, sent() - before

        # Unmeasured: renders every reply, and gives the requests the bare spider sends.
        crawl("ours", None, 0)
        (Path(workdir) / "requests.json").write_text(json.dumps(sent_requests(Path(workdir) / "ours-0.db")))
        number = 1
        for _ in range(args.runs):
            for count in cores:
                for contender in CONTENDERS:
                    cpus = ",".join(str(cpu) for cpu in range(count))
                    results.setdefault((contender, count), []).append(crawl(contender, cpus, number))
                    number += 1
    ours_end.send("stop")
    servers.join()

    print(f"{args.sites} replica sites ({len(FAMILIES)} CMS families in turn, {45 + args.synthetic} opinions each) on "
          f"127.0.0.1-{args.sites}, registered with `sites add` and crawled side by side by `crawl --all`, "
          f"politeness off; servers in a process of their own")
    print(f"load average before {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)\n")
    print(f"{'crawler':<24} {'cores':>5} {'requests':>8} {'best s':>7} {'pages/s':>8} {'CPU s':>6} {'vs bare':>8} {'vs 1 core':>9}")
    best: dict[tuple[str, int], tuple[Run, int]] = {key: min(runs, key=lambda pair: pair[0].seconds) for key, runs in results.items()}
    for contender, name in CONTENDERS.items():
        for count in cores:
            run, requests = best[contender, count]
            rate = requests / run.seconds
            bare_run, _ = best["bare", count]
            one_run, one_requests = best[contender, cores[0]]
            scaling = rate / (one_requests / one_run.seconds)
            print(f"{name:<24} {count:>5} {requests:>8,} {run.seconds:>7.2f} {rate:>8.1f} {run.cpu_seconds:>6.2f} "
                  f"{run.seconds / bare_run.seconds:>7.2f}x {scaling:>8.2f}x")
    for count in cores:
        ratio = best["ours", count][0].seconds / best["bare", count][0].seconds
        print(f"\nGoal on {count} core(s): ours <= {GOAL}x the bare spider's time: {ratio:.2f}x  {'met' if ratio <= GOAL else 'MISSED'}")


if __name__ == "__main__":
    main()
