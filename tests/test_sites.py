"""The site registry: sites added (by hand or by discovering their columns), listed with their
last crawl and whether they are due, removed without losing what they archived; the rows every
crawl writes carry its site, and export, search and changes select a site's."""

from __future__ import annotations

import json
import select
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive import Archive
from archive.plan import crawl_plan
from archive.sites import DEFAULT_SITE, Site, add_site, due_sites
from npc_archive.exit_codes import FAILED, NO_ARCHIVE, UNFINISHED, USAGE
from parsers import parse_article
from replica.server import ReplicaServer
from replica.site import Site as ReplicaSite
from tests.old_archives import before, old_archive

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def reference_record(table_pages):
    return parse_article(*table_pages.article(table_pages.reference)).to_dict()


def _site(name: str, host: str, **politeness) -> Site:
    return Site(name=name, home_url=f"http://{host}/", columns=[{"kind": "opinions", "url": f"http://{host}/list"}], **politeness)


def _crawl(archive: Archive, site: str, status: str, started: datetime) -> int:
    crawl_id = archive.start_crawl("new", {"start_url": "x"}, site)
    archive.finish_crawl(crawl_id, status, {"npc/list_pages": 0 if status == "no list page" else 3})
    archive.conn.execute("UPDATE crawls SET started_at = ?, status = ? WHERE id = ?",
                         (started.isoformat().replace("+00:00", "Z"), "finished" if status == "no list page" else status, crawl_id))
    return crawl_id


def test_a_site_added_by_hand_is_listed_with_its_columns_and_politeness(tmp_path, cli):
    db = tmp_path / "a.db"
    added = cli("sites", "add", "--db", db, "luqiao", "http://lq.example/", "--column", "opinions=http://lq.example/list.asp?ClassID=5",
                "--column", "news=http://lq.example/list.asp?ClassID=3", "--delay", "3.5", "--concurrency", "2", "--cadence", "weekly")
    assert "Crawl it: npc-archive crawl" in added.output and "--site luqiao" in added.output
    [site] = json.loads(cli("sites", "list", "--db", db, "--format", "json").output)
    assert site == {"name": "luqiao", "home_url": "http://lq.example/", "family": None,
                    "columns": [{"kind": "opinions", "url": "http://lq.example/list.asp?ClassID=5"},
                                {"kind": "news", "url": "http://lq.example/list.asp?ClassID=3"}],
                    "delay": 3.5, "concurrency": 2, "cadence_hours": 168.0, "last_crawl": None, "last_status": None, "due": True}
    table = cli("sites", "list", "--db", db).output.splitlines()
    assert table[0].split()[:4] == ["name", "home_url", "family", "columns"] and "opinions news" in table[1]


def test_a_site_added_without_columns_has_them_discovered_on_its_home_page(tmp_path, cli):
    db = tmp_path / "a.db"
    with ReplicaServer(ReplicaSite(markup="kesion")) as server:
        added = cli("sites", "add", "--db", db, "ks", server.base_url + "/")
        [site] = json.loads(cli("sites", "list", "--db", db, "--format", "json").output)
        start = server.start_url
    assert site["family"] == "kesion" and "CMS family: kesion" in added.output
    assert site["columns"][0] == {"kind": "opinions", "url": start}
    assert [column["kind"] for column in site["columns"]] == ["opinions", "news"]  # its home page links to 工作动态


@pytest.mark.parametrize("arguments, problem", [
    (("Bad Name", "http://a.example/", "--column", "opinions=http://a.example/list"), "is not a site name"),
    (("a", "notaurl"), "not an http(s) address"),
    (("a", "http://a.example/", "--column", "gossip=http://a.example/list"), "expected KIND=URL"),
    (("a", "http://a.example/", "--column", "opinions=http://a.example/list", "--cadence", "0"), "expected daily, weekly"),
])
def test_a_site_that_cannot_be_added_is_a_usage_error(tmp_path, cli, arguments, problem):
    result = cli("sites", "add", "--db", tmp_path / "a.db", *arguments, check=False)
    assert result.returncode == USAGE and problem in result.output and "Traceback" not in result.output


def test_a_name_is_registered_once(tmp_path, cli):
    db = tmp_path / "a.db"
    cli("sites", "add", "--db", db, "a", "http://a.example/", "--column", "opinions=http://a.example/list")
    again = cli("sites", "add", "--db", db, "a", "http://b.example/", "--column", "opinions=http://b.example/list", check=False)
    assert again.returncode == USAGE and "registered already" in again.output


def test_removing_a_site_keeps_what_it_archived(tmp_path, cli, reference_record):
    db = tmp_path / "a.db"
    archive = Archive(db)
    try:
        add_site(archive, _site("a", "a.example"))
        crawl_id = archive.start_crawl("new", {"start_url": "http://a.example/list"}, "a")
        capture, _ = archive.add_capture(url="http://a.example/1", status=200, headers=[], body=b"x", crawl_id=crawl_id)
        archive.save_document({**reference_record, "url": "http://a.example/1"}, capture_id=capture, crawl_id=crawl_id)
    finally:
        archive.close()
    removed = cli("sites", "remove", "--db", db, "a")
    assert "stay" in removed.output
    assert cli("sites", "list", "--db", db).output.startswith("No sites registered")
    assert [row["site"] for row in map(json.loads, cli("export", "--db", db, "--site", "a").output.splitlines())] == ["a"]
    missing = cli("sites", "remove", "--db", db, "a", check=False)
    assert missing.returncode == USAGE and "no site named a" in missing.output


def test_a_site_is_due_until_a_crawl_of_it_ends_and_again_a_cadence_later(tmp_path):
    archive = Archive(tmp_path / "a.db")
    try:
        for name in ("daily", "weekly", "killed", "never"):
            add_site(archive, _site(name, f"{name}.example", cadence_hours=168.0 if name == "weekly" else 24.0))
        _crawl(archive, "daily", "finished", NOW - timedelta(hours=25))
        _crawl(archive, "weekly", "incomplete", NOW - timedelta(hours=25))
        _crawl(archive, "killed", "finished", NOW - timedelta(hours=1))
        _crawl(archive, "killed", "interrupted", NOW - timedelta(minutes=5))  # its last run ended is still recent
        assert [site.name for site in due_sites(archive, NOW)] == ["daily", "never"]
        _crawl(archive, "daily", "interrupted", NOW - timedelta(minutes=1))  # killed: still due
        _crawl(archive, "never", "no list page", NOW - timedelta(minutes=1))  # the site was down: still due
        assert [site.name for site in due_sites(archive, NOW)] == ["daily", "never"]
        [daily] = [site for site in due_sites(archive, NOW) if site.name == "daily"]
        assert (daily.columns, daily.delay, daily.concurrency) == ([{"kind": "opinions", "url": "http://daily.example/list"}], 2.0, 1)
    finally:
        archive.close()


def test_every_row_a_crawl_writes_carries_its_site_and_the_commands_select_by_site(tmp_path, cli, reference_record):
    db = tmp_path / "a.db"
    archive = Archive(db)
    try:
        for site in ("a", "b"):
            crawl_id = archive.start_crawl("new", {"start_url": f"http://{site}.example/list"}, site)
            capture, _ = archive.add_capture(url=f"http://{site}.example/1", status=200, headers=[], body=site.encode(),
                                             crawl_id=crawl_id)
            archive.save_document({**reference_record, "url": f"http://{site}.example/1"}, capture_id=capture, crawl_id=crawl_id,
                                  column_kind="opinions", column_url=f"http://{site}.example/list")
            archive.record_failure(url=f"http://{site}.example/2", reason="http_503", page_kind="article", crawl_id=crawl_id)
        by_table = {table: archive.conn.execute(f"SELECT site FROM {table} ORDER BY id").fetchall()
                    for table in ("crawls", "captures", "documents", "failures")}
        # Two sites on one host: a site's plan is of its own documents and failures only.
        plan = crawl_plan(archive, "refresh", "http://a.example/list", site="a")
    finally:
        archive.close()
    assert by_table == {table: [("a",), ("b",)] for table in by_table}
    assert plan.revisit == ("http://a.example/1", "http://a.example/2")
    exported = [json.loads(line) for line in cli("export", "--db", db, "--site", "b").output.splitlines()]
    assert [(row["url"], row["site"]) for row in exported] == [("http://b.example/1", "b")]
    captures = [json.loads(line)["url"] for line in cli("export", "--db", db, "--table", "captures", "--site", "a").output.splitlines()]
    assert captures == ["http://a.example/1"]
    found = json.loads(cli("search", "--db", db, reference_record["title"][:6], "--site", "a", "--format", "json").output)
    assert (found["total"], [hit["url"] for hit in found["hits"]]) == (1, ["http://a.example/1"])
    changes = json.loads(cli("changes", "--db", db, "--since", "2000-01-01", "--site", "b", "--format", "json").output)
    assert [change["url"] for change in changes] == ["http://b.example/1"]
    runs = json.loads(cli("crawls", "--db", db, "--format", "json").output)
    assert [(run["id"], run["site"]) for run in runs] == [(2, "b"), (1, "a")]
    assert [run["id"] for run in json.loads(cli("crawls", "--db", db, "--site", "a", "--format", "json").output)] == [1]
    assert cli("crawls", "--db", db).output.splitlines()[0].split()[:3] == ["id", "site", "started_at"]
    # The failures of a site's latest crawl, though another site's crawl came after it.
    failed = json.loads(cli("failures", "--db", db, "--site", "a", "--format", "json").output)
    assert [row["url"] for row in failed] == ["http://a.example/2"]
    assert [row["url"] for row in json.loads(cli("failures", "--db", db, "--format", "json").output)] == ["http://b.example/2"]
    other = cli("failures", "--db", db, "--crawl", "2", "--site", "a", check=False)
    assert other.returncode == USAGE and "crawl 2 crawled site b, not a" in other.output
    assert cli("crawls", "--db", db, "--site", "c", check=False).returncode == USAGE


def test_a_running_crawl_of_one_site_is_not_marked_interrupted_by_another_site_s_start(tmp_path):
    archive = Archive(tmp_path / "a.db")
    try:
        first = archive.start_crawl("new", {}, "a")
        archive.mark_interrupted_crawls("b")
        assert archive.conn.execute("SELECT status FROM crawls WHERE id = ?", (first,)).fetchone() == ("running",)
        archive.mark_interrupted_crawls("a")
        assert archive.conn.execute("SELECT status FROM crawls WHERE id = ?", (first,)).fetchone() == ("interrupted",)
    finally:
        archive.close()


def test_crawl_all_needs_an_archive_and_names_registered_sites(tmp_path, cli):
    missing = cli("crawl", "--db", tmp_path / "none.db", "--all", check=False)
    assert missing.returncode == NO_ARCHIVE and "sites add" in missing.output and not (tmp_path / "none.db").exists()
    db = tmp_path / "a.db"
    Archive(db).close()
    unknown = cli("crawl", "--db", db, "--site", "nowhere", check=False)
    assert unknown.returncode == USAGE and "no site named nowhere" in unknown.output
    both = cli("crawl", "--db", db, "--site", "a", "--start-url", "http://a.example/list", check=False)
    assert both.returncode == USAGE and "without --start-url" in both.output
    nothing_due = cli("crawl", "--db", db, "--all")
    assert "no site is due" in nothing_due.output


def test_an_archive_from_before_sites_upgrades_its_rows_to_the_default_site(tmp_path):
    path = tmp_path / "old.db"
    conn = old_archive(path, before("sites"))
    conn.execute("INSERT INTO crawls (id, started_at, mode, arguments, status) VALUES (1, '2026-11-01T00:00:00Z', 'full', '{}', "
                 "'finished')")
    conn.execute("INSERT INTO documents (url, title, body_text, paragraphs, capture_id, first_seen_crawl, first_seen_at, last_seen_at) "
                 "VALUES ('http://jjrd.example/a', '关于某事的审议意见', '区人民政府:', '[]', 1, 1, 'x', 'x')")
    conn.execute("INSERT INTO failures (url, reason, failed_at, page_kind, crawl_id) VALUES ('http://jjrd.example/b', 'http_503', "
                 "'x', 'article', 1)")
    conn.close()
    archive = Archive(path)
    try:
        assert [row["site"] for row in archive.documents()] == [DEFAULT_SITE]
        assert {table: archive.conn.execute(f"SELECT DISTINCT site FROM {table}").fetchall()
                for table in ("crawls", "documents", "failures")} == {table: [(DEFAULT_SITE,)]
                                                                      for table in ("crawls", "documents", "failures")}
        assert archive.url_columns(DEFAULT_SITE) == archive.url_columns() and archive.url_columns("other") == {}
        assert "sites" in [name for (name,) in archive.conn.execute("SELECT name FROM _migrations")]
        assert due_sites(archive, NOW) == []  # the registry starts empty
    finally:
        archive.close()


# sites import -------------------------------------------------------------------------------

def _registered(cli, db) -> dict[str, dict]:
    return {site.pop("name"): site for site in json.loads(cli("sites", "list", "--db", db, "--format", "json").output)}


def test_the_sites_a_csv_file_lists_are_registered_those_without_columns_discovered(tmp_path, cli):
    db, listing = tmp_path / "a.db", tmp_path / "sites.csv"
    with ReplicaServer(ReplicaSite(markup="kesion")) as server:
        listing.write_text("name,home_url,opinions,news,delay,concurrency,cadence\n"
                           "luqiao,http://lq.example/,http://lq.example/list.asp?ClassID=5,http://lq.example/list.asp?ClassID=3,3.5,2,weekly\n"
                           f"ks,{server.base_url}/,,,,,\n"
                           "\n"
                           f"gone,http://127.0.0.1:{_closed_port()}/,,,,,12\n", encoding="utf-8")
        imported = cli("sites", "import", "--db", db, listing, check=False)
        start = server.start_url
    assert imported.returncode == FAILED
    assert "2 sites registered (1 with their columns discovered), 0 registered already, 1 not discovered" in imported.output
    assert "site gone not registered: cannot read" in imported.output and "Traceback" not in imported.output
    assert "[1/2] ks: opinions news (CMS family: kesion)" in imported.output and "[2/2] gone: not discovered" in imported.output
    sites = _registered(cli, db)
    assert sorted(sites) == ["ks", "luqiao"]
    assert sites["luqiao"]["columns"] == [{"kind": "opinions", "url": "http://lq.example/list.asp?ClassID=5"},
                                          {"kind": "news", "url": "http://lq.example/list.asp?ClassID=3"}]
    assert (sites["luqiao"]["delay"], sites["luqiao"]["concurrency"], sites["luqiao"]["cadence_hours"]) == (3.5, 2, 168.0)
    assert sites["ks"]["family"] == "kesion" and sites["ks"]["columns"][0] == {"kind": "opinions", "url": start}
    assert (sites["ks"]["delay"], sites["ks"]["concurrency"], sites["ks"]["cadence_hours"]) == (2.0, 1, 24.0)  # empty cells: the defaults

    again = cli("sites", "import", "--db", db, listing, check=False)  # ks's server is gone: it is not asked again
    assert again.returncode == FAILED and "0 sites registered (0 with their columns discovered), 2 registered already, 1 not discovered" in again.output
    assert _registered(cli, db) == sites


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_registry_moves_to_another_archive_as_sites_list_writes_it(tmp_path, cli):
    central, node, listing = tmp_path / "central.db", tmp_path / "node.db", tmp_path / "sites.json"
    cli("sites", "add", "--db", central, "luqiao", "http://lq.example/", "--column", "opinions=http://lq.example/list.asp?ClassID=5",
        "--column", "reports=http://lq.example/list.asp?ClassID=8", "--delay", "0.5", "--cadence", "6")
    cli("sites", "add", "--db", central, "wenling", "http://wl.example/", "--column", "opinions=http://wl.example/col/col9/index.html",
        "--concurrency", "3")
    listing.write_text(cli("sites", "list", "--db", central, "--format", "json").output, encoding="utf-8")
    imported = cli("sites", "import", "--db", node, listing)
    assert "2 sites registered (0 with their columns discovered)" in imported.output and "crawl --db" in imported.output
    assert _registered(cli, node) == _registered(cli, central)



def test_an_import_with_update_gives_the_registered_sites_the_files_settings(tmp_path, cli):
    db, listing = tmp_path / "a.db", tmp_path / "sites.csv"
    cli("sites", "add", "--db", db, "luqiao", "http://lq.example/", "--column", "opinions=http://lq.example/list.asp?ClassID=5",
        "--column", "news=http://lq.example/list.asp?ClassID=3", "--delay", "5", "--cadence", "weekly")
    cli("sites", "add", "--db", db, "wenling", "http://wl.example/", "--column", "opinions=http://wl.example/col/col9/index.html")
    before = _registered(cli, db)
    listing.write_text("name,home_url,opinions,delay,cadence\n"
                       "luqiao,http://lq.example/,,3,weekly\n"  # no column given: its columns stay
                       "wenling,http://wl.example/,http://wl.example/col/col10/index.html,,\n", encoding="utf-8")
    plain = cli("sites", "import", "--db", db, listing)
    assert "2 registered already, 0 not discovered" in plain.output and _registered(cli, db) == before
    updated = cli("sites", "import", "--db", db, listing, "--update")
    assert "2 registered already (2 updated)" in updated.output and "luqiao: delay: 5.0 -> 3.0" in updated.output
    after = _registered(cli, db)
    assert after["luqiao"] == {**before["luqiao"], "delay": 3.0}
    assert after["wenling"] == {**before["wenling"], "columns": [{"kind": "opinions", "url": "http://wl.example/col/col10/index.html"}]}
    again = cli("sites", "import", "--db", db, listing, "--update")
    assert "(0 updated)" in again.output and _registered(cli, db) == after


def test_a_registry_is_kept_as_a_spreadsheet_as_sites_list_writes_it_in_csv(tmp_path, cli):
    central, node, sheet = tmp_path / "central.db", tmp_path / "node.db", tmp_path / "sites.csv"
    cli("sites", "add", "--db", central, "luqiao", "http://lq.example/", "--column", "opinions=http://lq.example/list.asp?ClassID=5",
        "--column", "news=http://lq.example/list.asp?ClassID=3", "--delay", "0.5", "--cadence", "6")
    cli("sites", "add", "--db", central, "wenling", "http://wl.example/", "--column", "opinions=http://wl.example/col/col9/index.html")
    written = cli("sites", "list", "--db", central, "--format", "csv").output
    assert written.splitlines()[:2] == ["name,home_url,opinions,reports,news,family,delay,concurrency,cadence_hours",
                                        "luqiao,http://lq.example/,http://lq.example/list.asp?ClassID=5,,http://lq.example/list.asp?ClassID=3,,0.5,1,6.0"]
    sheet.write_text(written, encoding="utf-8")
    cli("sites", "import", "--db", node, sheet)
    assert _registered(cli, node) == _registered(cli, central)
    piped = subprocess.run([sys.executable, "-m", "npc_archive", "sites", "import", "--db", str(tmp_path / "piped.db"), "-"],
                           input=written.encode(), capture_output=True, check=True)  # sites list … | sites import -
    assert b"2 sites registered" in piped.stdout and _registered(cli, tmp_path / "piped.db") == _registered(cli, central)
    cli("sites", "add", "--db", central, "twice", "http://tw.example/", "--column", "opinions=http://tw.example/list.asp?ClassID=5",
        "--column", "opinions=http://tw.example/list.asp?ClassID=6")
    crowded = cli("sites", "list", "--db", central, "--format", "csv", check=False)
    assert crowded.returncode == FAILED and "site twice crawls 2 opinions columns" in crowded.output and "--format json" in crowded.output

def test_a_csv_saved_by_excel_is_read_with_its_byte_order_mark_or_in_gbk(tmp_path, cli):
    url = "http://a.example/list.asp?类别=审议意见"
    for encoding in ("utf-8-sig", "gb18030"):
        db, listing = tmp_path / f"{encoding}.db", tmp_path / f"{encoding}.csv"
        listing.write_bytes(f"name,home_url,opinions\r\nhj,http://a.example/,{url}\r\n".encode(encoding))
        cli("sites", "import", "--db", db, listing)
        assert _registered(cli, db)["hj"]["columns"] == [{"kind": "opinions", "url": url}], encoding


@pytest.mark.parametrize("contents, problem", [
    ("name,url\na,http://a.example/\n", "its header row names no name and home_url fields (got name,url)"),
    ("name,home_url,opinion\na,http://a.example/,http://a.example/list\n", "line 1: unknown field 'opinion'"),
    ("name,home_url,columns\na,http://a.example/,opinions=http://a.example/list\n", "line 1: unknown field 'columns'"),
    ("name,home_url\nok,http://a.example/\nBad,http://b.example/\n", "line 3: 'Bad' is not a site name"),
    ("name,home_url\nBad,http://a.example/\nok,http://b.example/\nAlso Bad,http://c.example/\nc,ftp://c.example/\n",
     "line 2: 'Bad' is not a site name (lower-case letters, digits, - and _, at most 64) (and 2 more entries that are not sites: "
     "line 4, line 5)"),
    ("name,home_url\na,notaurl\n", "line 2: not an http(s) address"),
    ("name,home_url,delay\na,http://a.example/,-1\n", "line 2: its delay '-1' is not a number of at least 0"),
    ("name,home_url,concurrency\na,http://a.example/,1.5\n", "line 2: its concurrency '1.5' is not a whole number"),
    ("name,home_url,cadence\na,http://a.example/,monthly\n", "line 2: its cadence 'monthly' is not daily, weekly"),
    ("name,home_url\na,http://a.example/\na,http://b.example/\n", "line 3: the site a is on line 2 already"),
    ("name,home_url\na,http://a.example/,extra\n", "line 2: more cells than the header row names"),
    ("name,home_url\n", "it lists no sites"),
    ('[{"name": "a", "home_url": "http://a.example/", "columns": [{"kind": "gossip", "url": "http://a.example/l"}]}]',
     "entry 1: 'gossip' is not a column kind"),
    ('{"name": "a"}', "its JSON is not a list of sites"),
    ("[1", "it is not JSON"),
])
def test_a_file_that_is_not_a_list_of_sites_is_a_usage_error_and_registers_nothing(tmp_path, cli, contents, problem):
    listing = tmp_path / "sites.csv"
    listing.write_text(contents, encoding="utf-8")
    result = cli("sites", "import", "--db", tmp_path / "a.db", listing, check=False)
    assert result.returncode == USAGE and problem in result.output and "Traceback" not in result.output
    assert not (tmp_path / "a.db").exists()


def test_an_import_stopped_midway_says_what_it_was_doing_and_goes_on_when_run_again(tmp_path, npc_archive):
    db, listing = tmp_path / "a.db", tmp_path / "sites.csv"
    with socket.socket() as silent, ReplicaServer(ReplicaSite(markup="trs")) as server:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # takes the connection, never answers: the discovery waits
        slow = f"http://127.0.0.1:{silent.getsockname()[1]}/"
        listing.write_text(f"name,home_url,opinions\nfirst,http://a.example/,http://a.example/list.asp?ClassID=5\n"
                           f"slow,{slow},\nlast,{server.base_url}/,\n", encoding="utf-8")
        importing = subprocess.Popen([sys.executable, "-m", "npc_archive", "sites", "import", "--db", str(db), str(listing)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while not _has_site(db, "first") and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
        importing.send_signal(signal.SIGINT)
        _, stderr = importing.communicate(timeout=60)
        assert importing.returncode == UNFINISHED
        assert f"interrupted while discovering the columns of slow at {slow}: 1 of 3 sites registered; run the same import again" in stderr
        assert "Traceback" not in stderr
        silent.close()  # the next run finds no server there
        again = npc_archive("sites", "import", "--db", str(db), str(listing), check=False)
    assert again.returncode == FAILED and "1 site registered (1 with their columns discovered), 1 registered already, 1 not discovered" in again.stdout
    assert _has_site(db, "last") and not _has_site(db, "slow")


def _has_site(db, name: str) -> bool:
    if not db.exists():
        return False
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT 1 FROM sites WHERE name = ?", (name,)).fetchone() is not None
    except sqlite3.OperationalError:  # the archive's tables not made yet
        return False
    finally:
        conn.close()


def test_an_import_asks_the_home_pages_of_several_hosts_at_once_but_of_one_host_one_at_a_time(tmp_path):
    db, listing = tmp_path / "a.db", tmp_path / "sites.csv"
    with socket.socket() as first, socket.socket() as second, socket.socket() as other:
        for silent, host in ((first, "127.0.0.2"), (second, "127.0.0.2"), (other, "127.0.0.3")):
            silent.bind((host, 0))
            silent.listen()  # takes the connections, never answers
            silent.settimeout(60)
        urls = [f"http://{host}:{port}/" for host, port in (first.getsockname(), second.getsockname(), other.getsockname())]
        listing.write_text("name,home_url\n" + "".join(f"{name},{url}\n" for name, url in zip(("a", "b", "c"), urls)), encoding="utf-8")
        importing = subprocess.Popen([sys.executable, "-m", "npc_archive", "sites", "import", "--db", str(db), "--jobs", "4", str(listing)],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        held = []
        try:
            held = [first.accept()[0], other.accept()[0]]  # the two hosts are asked at once: neither has answered
            waiting, _, _ = select.select([second], [], [], 1)
        finally:
            importing.send_signal(signal.SIGINT)
            _, stderr = importing.communicate(timeout=60)
            for connection in held:
                connection.close()
    assert waiting == []  # the first host's other site is not asked before its first answers
    assert importing.returncode == UNFINISHED and "interrupted while discovering the columns of " in stderr
    assert f"a at {urls[0]}" in stderr and f"c at {urls[2]}" in stderr and "b at" not in stderr and "0 of 3 sites registered" in stderr


# sites set ----------------------------------------------------------------------------------

def test_setting_a_site_changes_what_is_given_and_keeps_the_rest(tmp_path, cli):
    db = tmp_path / "a.db"
    cli("sites", "add", "--db", db, "luqiao", "http://lq.example/", "--column", "opinions=http://lq.example/list.asp?ClassID=5",
        "--delay", "3.5", "--concurrency", "2")
    before = _registered(cli, db)["luqiao"]
    changed = cli("sites", "set", "--db", db, "luqiao", "--delay", "5", "--cadence", "weekly")
    assert "delay: 3.5 -> 5.0" in changed.output and "cadence_hours: 24.0 -> 168.0" in changed.output
    assert _registered(cli, db)["luqiao"] == {**before, "delay": 5.0, "cadence_hours": 168.0}
    again = cli("sites", "set", "--db", db, "luqiao", "--delay", "5")
    assert "nothing changed" in again.output

    moved = cli("sites", "set", "--db", db, "luqiao", "--home-url", "http://www.lq.example/",
                "--column", "opinions=http://www.lq.example/col/col9/index.html", "--column", "news=http://www.lq.example/col/col8/index.html")
    assert "home_url: http://lq.example/ -> http://www.lq.example/" in moved.output
    assert _registered(cli, db)["luqiao"] == {**before, "delay": 5.0, "cadence_hours": 168.0, "home_url": "http://www.lq.example/",
                                              "columns": [{"kind": "opinions", "url": "http://www.lq.example/col/col9/index.html"},
                                                          {"kind": "news", "url": "http://www.lq.example/col/col8/index.html"}]}


def test_setting_a_site_to_be_discovered_again_reads_its_home_page(tmp_path, cli):
    db = tmp_path / "a.db"
    with ReplicaServer(ReplicaSite(markup="kesion")) as server:
        cli("sites", "add", "--db", db, "ks", server.base_url + "/", "--column", f"opinions={server.base_url}/item/list.asp?id=3")
        rediscovered = cli("sites", "set", "--db", db, "ks", "--discover")
        start = server.start_url
    site = _registered(cli, db)["ks"]
    assert site["family"] == "kesion" and site["columns"][0] == {"kind": "opinions", "url": start} and "family: none -> kesion" in rediscovered.output
    gone = cli("sites", "set", "--db", db, "ks", "--discover", check=False)  # the server is down: nothing changes
    assert gone.returncode == FAILED and "the site is left as it was" in gone.output and _registered(cli, db)["ks"] == site


@pytest.mark.parametrize("arguments, problem", [
    (("luqiao",), "nothing to change"),
    (("nosuch", "--delay", "1"), "no site named nosuch is registered"),
    (("luqiao", "--discover", "--column", "opinions=http://lq.example/list.asp?ClassID=5"), "give --column or --discover, not both"),
    (("luqiao", "--column", "gossip=http://lq.example/l"), "expected KIND=URL"),
    (("luqiao", "--home-url", "notaurl"), "not an http(s) address"),
    (("luqiao", "--cadence", "0"), "expected daily, weekly"),
])
def test_a_site_that_cannot_be_set_so_is_a_usage_error_and_stays_as_it_was(tmp_path, cli, arguments, problem):
    db = tmp_path / "a.db"
    cli("sites", "add", "--db", db, "luqiao", "http://lq.example/", "--column", "opinions=http://lq.example/list.asp?ClassID=5")
    before = _registered(cli, db)
    result = cli("sites", "set", "--db", db, *arguments, check=False)
    assert result.returncode == USAGE and problem in result.output and "Traceback" not in result.output
    assert _registered(cli, db) == before


def test_a_sites_captures_are_handed_on_alone_as_warc_and_wacz(tmp_path, cli, reference_record):
    db = tmp_path / "a.db"
    shared = b"User-agent: *\nDisallow:\n"  # the same robots.txt on both sites: one blob, a capture of each
    archive = Archive(db)
    try:
        for site, day in (("b", "2026-11-01"), ("a", "2026-11-02")):
            crawl_id = archive.start_crawl("new", {"start_url": f"http://{site}.example/list"}, site)
            archive.add_capture(url=f"http://{site}.example/robots.txt", status=200, headers=[], body=shared, crawl_id=crawl_id,
                                fetched_at=f"{day}T08:00:00.000Z")
            capture, _ = archive.add_capture(url=f"http://{site}.example/1", status=200, headers=[("Content-Type", "text/html")],
                                             body=f"<html>{site}</html>".encode(), crawl_id=crawl_id, fetched_at=f"{day}T08:00:01.000Z")
            archive.save_document({**reference_record, "url": f"http://{site}.example/1"}, capture_id=capture, crawl_id=crawl_id)
    finally:
        archive.close()
    cli("warc", "--db", db, tmp_path / "a.warc.gz", "--site", "a")
    with open(tmp_path / "a.warc.gz", "rb") as stream:
        records = [(record.rec_type, record.rec_headers.get_header("WARC-Target-URI")) for record in ArchiveIterator(stream)
                   if record.rec_type in ("response", "revisit")]
    assert records == [("response", "http://a.example/robots.txt"), ("response", "http://a.example/1")]  # b's body is not a's

    # Since a moment before a's crawl, after b's: the robots.txt b captured earlier is no revisit a's package needs.
    since = cli("wacz", "--db", db, tmp_path / "a.wacz", "--site", "a", "--since", "2026-11-02")
    assert "2 responses, 0 revisits" in since.output and "refer to captures before" not in since.output
    with zipfile.ZipFile(tmp_path / "a.wacz") as package:
        pages = [json.loads(line) for line in package.read("pages/pages.jsonl").decode().splitlines()[1:]]
        title = json.loads(package.read("datapackage.json"))["title"]
    assert [page["url"] for page in pages] == ["http://a.example/1"] and title == "审议意见 of site a"
    everything = cli("wacz", "--db", db, tmp_path / "all.wacz")
    assert "2 pages, 3 responses, 1 revisits" in everything.output
    with zipfile.ZipFile(tmp_path / "all.wacz") as package:
        assert json.loads(package.read("datapackage.json"))["title"] == "审议意见 of 2 sites (a, b)"
    missing = cli("warc", "--db", db, tmp_path / "c.warc.gz", "--site", "c", check=False)
    assert missing.returncode == USAGE and not (tmp_path / "c.warc.gz").exists()
