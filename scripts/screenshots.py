"""Refresh the screenshots in docs/screenshots/: the Datasette pages an analyst reaches first and
the report, over an archive of a few crawls of the replica (views growing between them).

    .venv/bin/python scripts/screenshots.py [--crawls 3] [--out docs/screenshots]

Needs Debian's Chromium at /usr/bin/chromium and fonts-noto-cjk (`.ci/run` installs both).
"""

from __future__ import annotations

import argparse
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from replica.server import ReplicaServer  # noqa: E402
from replica.site import Site  # noqa: E402

# (file, path on the Datasette server or None for the report, whether to take the whole page)
SHOTS = [
    ("search.png", "/archive/search?q=教育", False),
    ("documents.png", "/archive/documents", False),
    ("row.png", "/archive/documents/1", False),
    ("dashboard.png", "/-/dashboards/archive", True),
    ("report.png", None, True),
]


def npc_archive(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "npc_archive", *args], check=True, cwd=ROOT)


def build(db: Path, crawls: int) -> None:
    site, rng = Site(markup="table"), random.Random(14)
    with ReplicaServer(site) as server:
        for number in range(crawls):
            # The three columns, as `make demo` crawls them: the reports and news give the follow-up timeline.
            npc_archive("crawl", "--quiet", "--db", str(db), "--start-url", server.start_url,
                        "--column", f"reports={server.base_url}{site.column_path('监督工作')}",
                        "--column", f"news={server.base_url}{site.column_path('工作动态')}",
                        "--mode", "new" if number == 0 else "refresh")
            site.pass_time(rng)


def serve(db: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen([sys.executable, "-m", "datasette", str(db), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/-/versions.json", timeout=1)
            return server, base
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("datasette did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--crawls", type=int, default=3)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        db, report = Path(folder) / "archive.db", Path(folder) / "report.html"
        build(db, args.crawls)
        npc_archive("report", "--db", str(db), "-o", str(report))
        server, base = serve(db)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path="/usr/bin/chromium")
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                for name, path, whole in SHOTS:
                    page.goto(base + path if path else report.as_uri())
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=args.out / name, full_page=whole)
                    print(args.out / name)
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
