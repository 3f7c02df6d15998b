"""What the crawl and storage benchmarks share: a crawl in a subprocess, timed, with its peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from replica import render
from replica.site import Reply, Site

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    output: str


@dataclass
class FrozenSite(Site):
    """The replica with every reply rendered once and then served as it was: an unchanged
    site (its view counters stand still), whose server thread answers fast enough not to be
    what a crawler waits on."""

    replies: dict[tuple[str, bool, str, bytes], Reply] = field(default_factory=dict, repr=False)

    def handle(self, target: str, accept_encoding: str = "", method: str = "GET", body: bytes = b"") -> Reply:
        key = (target, "gzip" in accept_encoding, method, body)
        if key not in self.replies:
            self.replies[key] = super().handle(target, accept_encoding, method, body)
        reply = self.replies[key]
        return Reply(reply.status, list(reply.headers), reply.body)

    def render_column(self) -> FrozenSite:
        """Render, before any clock starts, every page a crawl of the column fetches."""
        opinions = self.opinions()
        pages = -(-len(opinions) // self.page_size)
        paths = ["/robots.txt"] + [render.list_url(page) for page in range(1, pages + 1)]
        paths += [render.article_url(article) for article in opinions]
        paths += [f"/count.asp?id={article.id}" for article in opinions if article.counter_script]
        for path in paths:
            self.handle(path, "gzip, deflate")
        return self


def run_measured(args: list[str], cpus: str | None = None) -> Run:
    """Run ``python ARGS`` from the project folder; wall time, CPU time and peak RSS of that process.
    ``cpus``: a CPU list for ``taskset -c`` to keep it (and any child of it) on."""
    pinned = ["taskset", "-c", cpus] if cpus else []
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen([*pinned, sys.executable, *args], cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        # wait4, not wait: it returns this child's own resource usage (peak RSS in KiB on Linux).
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited with {process.returncode}:\n{text[-3000:]}")
    return Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, text)


def crawl_archive(db: Path, start_url: str, *options: str) -> Run:
    """Our crawl, as a user runs it (``options``: e.g. ``--mode refresh``)."""
    return run_measured(["-m", "npc_archive", "crawl", "--db", str(db), "--start-url", start_url, *options])


def archive_bytes(db: Path) -> int:
    """The archive's size on disk, WAL and shared-memory files included."""
    return sum(path.stat().st_size for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm")) if path.exists())
