"""The progress line of a crawl, and what Ctrl-C does."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from npc_archive import exit_codes
from replica.faults import parse_fault
from replica.server import ReplicaServer
from replica.site import Site
from spiders.progress import Figures, SitesFigures, duration, progress_line, sites_line

ROOT = Path(__file__).resolve().parent.parent


def figures(**changes) -> Figures:
    values = dict(elapsed=62, lists_read=2, lists_total=70, new=25, changed=1, unchanged=3, removed=0, failures=1,
                  requests=60, waiting=16, seconds_per_request=2.0)
    return Figures(**{**values, **changes})


def test_the_line_counts_the_column_down_at_the_politeness_delay():
    # 68 list pages to go, each adding as many requests as the first two did (76 / 2), and 16 waiting.
    assert figures().seconds_left() == pytest.approx((16 + 68 * 38) * 2.0)
    assert progress_line(figures()) == "lists 2/70 · articles 29 (25 new, 1 changed) · 1 failed · 1:02 elapsed · ~1 h 27 min left at 2.0 s a request"


def test_without_the_page_count_the_line_counts_only_the_requests_known():
    line = progress_line(figures(lists_total=None, seconds_per_request=0.02, waiting=400))
    assert line == "lists 2 · articles 29 (25 new, 1 changed) · 1 failed · 1:02 elapsed · 400 waiting, ~8 s at 50 requests/s"


def test_after_ctrl_c_the_line_counts_the_requests_in_flight():
    line = progress_line(figures(waiting=40, in_flight=16), stopping=True)
    assert line.endswith("· 1:02 elapsed · stopping: 16 requests in flight")  # the 24 queued are not fetched


def sites(running: list[Figures], **changes) -> SitesFigures:
    values = dict(elapsed=62, sites_total=6, running=running, fetched=340, new=120, changed=3, failures=1)
    return SitesFigures(**{**values, **changes})


def test_many_sites_share_one_line_estimated_by_the_slowest_site():
    line = sites_line(sites([figures(), figures(waiting=1, lists_total=2)]))
    assert line == "sites 4/6 · 340 pages fetched · articles 120 new, 3 changed · 1 failed · 1:02 elapsed · ~1 h 27 min left"


def test_many_sites_without_every_page_count_show_what_waits_and_ctrl_c_counts_every_site():
    running = [figures(), figures(lists_total=None, in_flight=3), figures(in_flight=4)]
    assert sites_line(sites(running)).endswith("· 1:02 elapsed · 48 waiting")
    assert sites_line(sites(running), stopping=True).endswith("· stopping: 7 requests in flight")


@pytest.mark.parametrize(("seconds", "text"), [(0.2, "1 s"), (40, "40 s"), (720, "12 min"), (7500, "2 h 05 min")])
def test_durations_are_rough(seconds, text):
    assert duration(seconds) == text


@pytest.fixture
def stalling_replica():
    """A replica whose five newest articles never answer: their requests stay in flight."""
    site = Site()
    site.stall_seconds = 60
    for article_id in range(1041, 1046):
        target, fault = parse_fault(f"/ShowArticle.asp?ArticleID={article_id}=stall")
        site.faults[target] = fault
    with ReplicaServer(site) as server:
        yield server


def start_crawl(db: Path, server: ReplicaServer) -> subprocess.Popen:
    crawl = subprocess.Popen([sys.executable, "-m", "npc_archive", "crawl", "--db", str(db), "--start-url", server.start_url,
                              "-s", "DOWNLOAD_TIMEOUT=8", "-s", "RETRY_TIMES=0"],
                             cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # until the list pages are read and the stalled articles asked for
        time.sleep(0.2)
        if db.exists() and captures(db) >= 20:
            return crawl
    crawl.kill()
    raise AssertionError("the crawl did not get going")


def captures(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT count(*) FROM captures").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is being made
        return 0
    finally:
        conn.close()


def recorded_status(db: Path) -> tuple[str, str | None]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT status, finished_at FROM crawls").fetchone()
    finally:
        conn.close()


def test_ctrl_c_finishes_the_requests_in_flight_and_records_the_run_as_interrupted(tmp_path, stalling_replica):
    crawl = start_crawl(tmp_path / "a.db", stalling_replica)
    crawl.send_signal(signal.SIGINT)
    stdout, stderr = crawl.communicate(timeout=60)
    assert crawl.returncode == exit_codes.UNFINISHED
    assert "npc-archive: SIGINT: finishing the " in stderr and " requests in flight; Ctrl-C again to stop now" in stderr
    assert "the crawl was interrupted after" in stderr and "Traceback" not in stderr
    status, finished_at = recorded_status(tmp_path / "a.db")
    assert status == "interrupted" and finished_at is not None


def test_a_second_ctrl_c_stops_at_once_and_the_run_is_still_recorded_as_interrupted(tmp_path, stalling_replica):
    crawl = start_crawl(tmp_path / "a.db", stalling_replica)
    crawl.send_signal(signal.SIGINT)
    time.sleep(0.5)
    stopped_at = time.monotonic()
    crawl.send_signal(signal.SIGINT)
    stdout, stderr = crawl.communicate(timeout=60)
    assert time.monotonic() - stopped_at < 8  # before the stalled requests time out
    assert crawl.returncode == exit_codes.UNFINISHED
    assert "npc-archive: stopping now; the run is recorded as interrupted" in stderr and "Traceback" not in stderr
    status, finished_at = recorded_status(tmp_path / "a.db")
    assert status == "interrupted" and finished_at is not None
    shown = subprocess.run([sys.executable, "-m", "npc_archive", "crawls", "--db", str(tmp_path / "a.db"), "--format", "json"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert '"status": "interrupted"' in shown
