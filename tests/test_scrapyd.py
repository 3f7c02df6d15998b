"""Scale-out on Scrapyd: the egg deployed to two Scrapyd nodes on 127.0.0.1, replica sites of six CMS
families crawled there by `npc-archive schedule`, each job judged by its log, and the nodes' archives
merged into one that equals the archive of the same crawls run in one process, and stays so when
merged again."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

from archive.merge import archive_contents
from npc_archive import exit_codes
from replica.server import ReplicaServer
from replica.site import Site

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FAMILIES = ("powereasy", "kesion", "trs", "hanweb", "vsb", "dedecms")
NODES = 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@pytest.fixture(scope="module")
def nodes(tmp_path_factory):
    """Two Scrapyd daemons, each with its own port and folders, the project's egg deployed to both
    by scrapyd-deploy (targets in a scrapy.cfg of the user's, as an operator would keep them)."""
    folder = tmp_path_factory.mktemp("scrapyd")
    urls, daemons = [], []
    for number in range(1, NODES + 1):
        home = folder / f"node{number}"
        home.mkdir()
        port = _free_port()
        (home / "scrapyd.conf").write_text(
            f"[scrapyd]\nbind_address = 127.0.0.1\nhttp_port = {port}\neggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\n"
            f"dbs_dir = {home / 'dbs'}\nitems_dir =\npoll_interval = 0.2\nmax_proc = 2\n")
        daemons.append(subprocess.Popen([BIN / "scrapyd"], cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        urls.append(f"http://127.0.0.1:{port}/")
    try:
        for url in urls:
            _wait_for(url + "daemonstatus.json")
        config = folder / "config"
        config.mkdir()
        (config / "scrapy.cfg").write_text("".join(f"[deploy:node{n}]\nurl = {url}\nproject = npc_archive\n\n"
                                                   for n, url in enumerate(urls, start=1)))
        egg = folder / "npc_archive.egg"
        env = {**os.environ, "XDG_CONFIG_HOME": str(config)}
        subprocess.run([BIN / "scrapyd-deploy", "--build-egg", egg], cwd=ROOT, check=True, capture_output=True, env=env)
        deployed = subprocess.run([BIN / "scrapyd-deploy", "-a", "--egg", egg], cwd=ROOT, check=True, capture_output=True,
                                  text=True, env=env)
        assert deployed.stdout.count('"status": "ok"') == NODES, deployed.stdout + deployed.stderr
        yield urls
    finally:
        for daemon in daemons:
            daemon.terminate()
            daemon.wait(timeout=30)


def _sites() -> list[Site]:
    """The six families' replicas; the TRS one with a pager script the crawl cannot read (incomplete)."""
    sites = [Site(markup=family) for family in FAMILIES]
    trs = sites[FAMILIES.index("trs")]
    page = trs.family.list_page
    trs.family.list_page = lambda column, entries, number: page(column, entries, number).replace(
        "createPageHTML(3,", "createPageHTML(Math.ceil(45/15),")
    return sites


class Replicas:
    """The sites served on ports kept from one run to the next, so that two runs crawl the same URLs."""

    def __init__(self) -> None:
        self.ports = [_free_port() for _ in FAMILIES]

    def serve(self) -> list[ReplicaServer]:
        return [ReplicaServer(site, port=port).start() for site, port in zip(_sites(), self.ports)]


@pytest.fixture(scope="module")
def scheduled(nodes, tmp_path_factory, npc_archive):
    """The six sites crawled on the two nodes and merged into a central archive; and the same crawls
    run one after the other in this machine's own process into one archive."""
    folder = tmp_path_factory.mktemp("scheduled")
    replicas = Replicas()
    servers = replicas.serve()
    try:
        result = npc_archive("schedule", *(arg for url in nodes for arg in ("--scrapyd", url)),
                             *(arg for server in servers for arg in ("--start-url", server.start_url)),
                             "--archives", str(folder / "jobs"), "--merge", "--db", str(folder / "central.db"), "--poll", "0.3",
                             check=False, timeout=900)
    finally:
        for server in servers:
            server.stop()
    single = folder / "single.db"
    servers = replicas.serve()
    try:
        for server in servers:
            npc_archive("crawl", "--db", str(single), "--start-url", server.start_url, "--quiet", check=False)
    finally:
        for server in servers:
            server.stop()
    return result, folder, single, [server.start_url for server in servers]


# What two archives of the same crawls share, made at other moments: no ids, no times.
SAME_CRAWLS = {
    "documents": "SELECT url, title, published_at, source, view_count, body_text, paragraphs, attachments, images, "
                 "column_name, list_title, revision, content_hash, removed_at IS NULL FROM documents ORDER BY url",
    "revisions": "SELECT d.url, r.number, r.content_hash, r.record FROM revisions r JOIN documents d ON d.id = r.document_id "
                 "ORDER BY d.url, r.number",
    "events": "SELECT d.url, e.kind, e.revision FROM events e JOIN documents d ON d.id = e.document_id ORDER BY d.url, e.id",
    "sections": "SELECT d.url, s.position, s.kind, s.heading, s.text FROM sections s JOIN documents d ON d.id = s.document_id "
                "ORDER BY d.url, s.position",
    "captures": "SELECT url, method, status, sha256 FROM snapshots ORDER BY url, method, status, sha256",
    "blobs": "SELECT sha256, size FROM blobs ORDER BY sha256",
    "crawls": "SELECT arguments, mode, status, requests, documents_new, failures FROM crawls ORDER BY arguments",
    "failures": "SELECT url, reason, page_kind FROM failures ORDER BY url, reason",
    "files": "SELECT document_url, url, kind, name FROM document_files ORDER BY document_url, url",
    "search": "SELECT d.url, s.title, s.body FROM search_index s JOIN documents d ON d.id = s.rowid ORDER BY d.url",
}


def test_each_site_is_one_job_spread_over_the_nodes(scheduled):
    result, _, _, start_urls = scheduled
    scheduled_on = [line.split(" on ")[1].split(" as job ")[0] for line in result.stdout.splitlines() if line.startswith("Scheduled ")]
    assert len(scheduled_on) == len(FAMILIES)
    assert len(set(scheduled_on)) == NODES  # the least busy node each time: both had work
    for url in start_urls:
        assert f"Scheduled {url} on " in result.stdout


def test_each_job_is_judged_by_its_log_stats(scheduled):
    """The TRS job ran to its end on Scrapyd (finished there) but saw a third of the column: the
    command says so and exits 5, as `npc-archive crawl` would have."""
    result, _, _, start_urls = scheduled
    assert result.returncode == exit_codes.INCOMPLETE, result.stdout + result.stderr
    trs = start_urls[FAMILIES.index("trs")]
    assert f"({trs}): the crawl is incomplete: " in result.stderr
    assert "createPageHTML(Math.ceil(45/15)" in result.stderr
    finished = [line for line in result.stdout.splitlines() if line.startswith("Job ") and ": finished; 45 new" in line]
    assert len(finished) == len(FAMILIES) - 1


def test_the_merged_archive_equals_the_single_process_crawl(scheduled, query):
    result, folder, single, _ = scheduled
    assert result.stdout.count("Merged ") == len(FAMILIES)
    central = folder / "central.db"
    for table, sql in SAME_CRAWLS.items():
        assert query(central, sql) == query(single, sql), table
    assert query(central, "SELECT count(*) FROM documents")[0][0] == 45 * (len(FAMILIES) - 1) + 15


def test_merging_the_nodes_archives_again_changes_nothing(scheduled, cli):
    _, folder, _, _ = scheduled
    central = folder / "central.db"
    jobs = sorted((folder / "jobs").glob("*.db"))
    assert len(jobs) == len(FAMILIES)

    def contents():
        conn = sqlite3.connect(central)
        try:
            return archive_contents(conn)
        finally:
            conn.close()

    before = contents()
    result = cli("merge", "--db", central, *jobs)
    assert result.output.count("nothing new (merged before)") == len(FAMILIES), result.output
    assert contents() == before


def test_a_node_that_cannot_be_reached_is_one_line_and_exit_68(cli, tmp_path):
    port = _free_port()  # nothing listens there
    result = cli("schedule", "--scrapyd", f"http://127.0.0.1:{port}/", "--start-url", "http://127.0.0.1:9/list.asp?ClassID=5",
                 "--archives", tmp_path / "jobs", check=False)
    assert result.returncode == exit_codes.NODE_UNREACHABLE
    assert result.output.strip().splitlines() == [f"Error: Scrapyd at http://127.0.0.1:{port}/: [Errno 111] Connection refused"]


def test_a_start_url_that_is_not_one_is_refused_before_any_node_is_asked(cli, tmp_path):
    result = cli("schedule", "--scrapyd", "http://127.0.0.1:9/", "--start-url", "file:///etc/passwd", "--archives", tmp_path / "jobs",
                 check=False)
    assert result.returncode == exit_codes.USAGE
    assert "not an http(s) address" in result.output


def test_the_due_sites_of_the_registry_are_each_a_job_and_once_merged_no_longer_due(nodes, tmp_path, npc_archive, query):
    central = tmp_path / "central.db"
    sites = {"pe": Site(markup="powereasy"), "dede": Site(markup="dedecms")}
    servers = {name: ReplicaServer(site).start() for name, site in sites.items()}
    schedule = ("schedule", *(arg for url in nodes for arg in ("--scrapyd", url)), "--due", "--archives", str(tmp_path / "jobs"),
                "--merge", "--db", str(central), "--poll", "0.3")
    try:
        for name, server in servers.items():
            npc_archive("sites", "add", name, f"{server.base_url}/", "--column", f"opinions={server.start_url}", "--db", str(central))
        first = npc_archive(*schedule, check=False, timeout=600)
        again = npc_archive(*schedule, check=False, timeout=600)
    finally:
        for server in servers.values():
            server.stop()
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.count("Scheduled ") == 2
    assert query(central, "SELECT site, count(*) FROM documents GROUP BY site ORDER BY site") == [
        (name, len(sites[name].opinions())) for name in sorted(sites)]
    assert query(central, "SELECT site, status FROM crawls ORDER BY site") == [("dede", "finished"), ("pe", "finished")]
    assert again.returncode == 0 and "No registered site is due." in again.stderr and "Scheduled" not in again.stdout
