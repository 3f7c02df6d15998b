"""Many sites in one archive, crawled in one run: six replica sites of different CMS families
registered (by discovery or by hand), crawled side by side by one `crawl --all`, each site's
documents its own; and a crawl killed in the middle, then run again, leaves every site complete."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from contextlib import ExitStack

import pytest
from w3lib.url import canonicalize_url

from replica.server import ReplicaServer
from replica.site import Site
from replica.truth import family_truth

# Six families, each on its own port of 127.0.0.1: one host, six sites.
FAMILIES = ("powereasy", "kesion", "trs", "hanweb", "vsb", "dedecms")
BY_HAND = {"vsb", "dedecms"}  # registered with --column; the others by discovering their columns


@pytest.fixture(scope="module")
def servers():
    with ExitStack() as stack:
        yield {family: stack.enter_context(ReplicaServer(Site(markup=family))) for family in FAMILIES}


def register(cli, db, servers) -> None:
    for family, server in servers.items():
        columns = ("--column", f"opinions={server.start_url}") if family in BY_HAND else ()
        cli("sites", "add", "--db", db, family, server.base_url + "/", *columns, "--delay", "1", "--cadence", "daily")


def opinions_of(server: ReplicaServer) -> set[str]:
    return {canonicalize_url(server.base_url + record["path"]) for record in family_truth(server.site)}


def archived(query, db, site: str) -> set[str]:
    return {canonicalize_url(url) for (url,) in query(db, "SELECT url FROM documents WHERE site = ? AND column_kind = 'opinions'",
                                                       site)}


def assert_every_site_complete(query, db, servers) -> None:
    for family, server in servers.items():
        assert archived(query, db, family) == opinions_of(server), family
        # Nothing of one site filed under another: every document of a site is on its port.
        ports = {url.split("/")[2] for (url,) in query(db, "SELECT url FROM documents WHERE site = ?", family)}
        assert ports == {server.base_url.split("/")[2]}, family
        [(status,)] = query(db, "SELECT status FROM crawls WHERE site = ? ORDER BY id DESC LIMIT 1", family)
        assert status == "finished", family


def test_six_sites_of_six_families_are_crawled_in_one_run(tmp_path, servers, cli, npc_archive, query):
    db = tmp_path / "many.db"
    register(cli, db, servers)
    result = npc_archive("crawl", "--db", str(db), "--all", check=False)
    assert result.returncode == 0, result.stderr
    assert_every_site_complete(query, db, servers)
    assert sorted(query(db, "SELECT site, count(*) FROM crawls GROUP BY site")) == [(family, 1) for family in sorted(FAMILIES)]
    # Every capture carries its site too, and the summary has a line for each site and their sum.
    assert {site for (site,) in query(db, "SELECT DISTINCT site FROM captures")} == set(FAMILIES)
    lines = result.stdout.splitlines()
    assert all(any(line.split()[:1] == [family] and line.endswith("(ok)") for line in lines) for family in FAMILIES)
    total = sum(count for (count,) in query(db, "SELECT documents_new FROM crawls"))
    assert f"All 6 sites: {total} new" in result.stdout
    # Crawled, no site is due again within its cadence: a second --all fetches nothing.
    listed = json.loads(cli("sites", "list", "--db", db, "--format", "json").output)
    assert [site["due"] for site in listed] == [False] * 6
    again = npc_archive("crawl", "--db", str(db), "--all")
    assert "no site is due" in again.stderr
    assert query(db, "SELECT count(*) FROM crawls") == [(6,)]


# The line a crawl of several sites writes to a log (stderr not a terminal), spiders/progress.py: sites_line.
SITES_LINE = re.compile(r"npc-archive: sites [0-2]/2 · (\d+) pages fetched · articles \d+ new, \d+ changed · \d+ failed · "
                        r"\d+:\d\d elapsed( · ~\d+ (s|min|h \d\d min) left| · \d+ waiting)?")


def test_sites_crawled_side_by_side_share_one_progress_line(tmp_path, servers, cli, npc_archive):
    db = tmp_path / "two.db"
    register(cli, db, {family: servers[family] for family in ("kesion", "vsb")})
    result = npc_archive("crawl", "--db", str(db), "--site", "kesion", "--site", "vsb", "-s", "PROGRESS_INTERVAL=0.2")
    progress = [line for line in result.stderr.splitlines() if line.startswith("npc-archive: ") and " · " in line]
    assert progress, result.stderr
    shapes = [SITES_LINE.fullmatch(line) for line in progress]
    assert all(shapes), progress  # one line across the sites: no site's own `lists N/M` line
    fetched = [int(shape.group(1)) for shape in shapes]
    assert fetched == sorted(fetched) and fetched[-1] > 0


@pytest.mark.crawl
def test_a_crawl_of_many_sites_killed_in_the_middle_completes_every_site_on_the_next_run(tmp_path, servers, cli, npc_archive,
                                                                                         query, documents_in):
    db = tmp_path / "killed.db"
    register(cli, db, servers)
    everything = sum(len(opinions_of(server)) for server in servers.values())
    crawl = subprocess.Popen([sys.executable, "-m", "npc_archive", "crawl", "--db", str(db), "--all", "--quiet"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while documents_in(db) < everything // 4 and crawl.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        crawl.send_signal(signal.SIGKILL)
    finally:
        crawl.wait()
    assert crawl.returncode == -signal.SIGKILL  # killed, not ended on its own
    killed_at = documents_in(db)
    assert killed_at < everything
    # Some sites were still running when killed: the next --all finds them due and completes them.
    assert query(db, "SELECT count(*) FROM crawls WHERE status = 'running'")[0][0] >= 1
    result = npc_archive("crawl", "--db", str(db), "--all", check=False)
    assert result.returncode == 0, result.stderr
    assert_every_site_complete(query, db, servers)
    assert query(db, "SELECT count(*) FROM crawls WHERE status = 'running'") == [(0,)]
    assert query(db, "SELECT count(*) FROM documents WHERE column_kind = 'opinions'") == [(everything,)]
    verify = npc_archive("verify", "--db", str(db), check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr



def test_each_site_has_its_own_outcome_and_the_process_exits_with_the_worst(tmp_path, servers, cli, npc_archive, query):
    db = tmp_path / "mixed.db"
    with ReplicaServer(Site()) as gone:
        dead_url = gone.start_url  # nothing listens there once it is stopped
    live = servers["powereasy"]
    cli("sites", "add", "--db", db, "live", live.base_url + "/", "--column", f"opinions={live.start_url}")
    cli("sites", "add", "--db", db, "dead", dead_url.rsplit("/", 1)[0] + "/", "--column", f"opinions={dead_url}")
    result = npc_archive("crawl", "--db", str(db), "--all", "-s", "RETRY_TIMES=0", check=False)
    assert result.returncode == 3
    assert "npc-archive: site dead: the crawl did not finish: no list page could be read" in result.stderr
    assert f"(see: npc-archive crawls --db {db} --site dead; if the site has moved or been redesigned: npc-archive sites set dead " \
           "--discover)" in result.stderr
    assert "site live" not in result.stderr
    summary = {line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("  ")}
    assert summary["live"].endswith("(ok)") and summary["dead"].endswith("(exit 3)")
    assert result.stdout.rstrip().endswith("exit 3")
    assert archived(query, db, "live") == opinions_of(live) and archived(query, db, "dead") == set()
    # The dead site's crawl did not run to its end: it stays due; the live one is not.
    due = {site["name"]: site["due"] for site in json.loads(cli("sites", "list", "--db", db, "--format", "json").output)}
    assert due == {"live": False, "dead": True}
