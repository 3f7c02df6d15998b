"""A crawl of a replica with every fault mode on: what fails is recorded, the rest archived right."""

from __future__ import annotations

import json
import sqlite3

import pytest

from archive import Archive
from replica.faults import BOMB_SIZE, gzip_bomb
from replica.server import ReplicaServer
from replica.site import Site
from replica.truth import expected_record

RETRY_TIMES = 1
# Short enough for the stall faults to cost little, long enough that the second or so the
# crawl spends storing and parsing the 10 MB page (the reactor is busy meanwhile) cannot
# time out the downloads in flight on a slow machine.
SETTINGS = ("-s", "DOWNLOAD_TIMEOUT=6", "-s", f"RETRY_TIMES={RETRY_TIMES}", "-s", "RETRY_BACKOFF_BASE=0.05",
            "-s", "RETRY_BACKOFF_MAX=5")
# fault -> (reason recorded, attempts): transport faults and 5xx are retried, the rest are not.
FAILING = {
    "500": ("http_500", RETRY_TIMES + 1),
    "503": ("http_503", RETRY_TIMES + 1),
    "stall": ("timeout", RETRY_TIMES + 1),
    "reset": ("truncated", RETRY_TIMES + 1),
    "short": ("truncated", RETRY_TIMES + 1),
    "cut_length": ("incomplete_page", 1),
    "gzip_bomb": ("too_large", 1),
    "redirect_loop": ("redirect_loop", 1),
    "login_redirect": ("login_page", 1),
    "empty": ("empty", 1),
    "soft_404": ("soft_404", 1),
    "bot_check": ("bot_check", 1),
    "bot_block": ("bot_check", 1),
}
# Odd but healthy: archived, and archived right.
HEALTHY = ("wrong_charset", "huge", "malformed")
# Fail once, then succeed within the run.
TRANSIENT = ("reset", "stall", "503")
LIST_PAGE = "/list.asp?ClassID=5&page=2"


def path(article) -> str:
    return f"/ShowArticle.asp?ArticleID={article.id}"


@pytest.fixture(scope="module")
def faulty_crawl(tmp_path_factory, crawl):
    db = tmp_path_factory.mktemp("faults") / "archive.db"
    site = Site()
    site.retry_after, site.stall_seconds = 1, 30
    opinions = iter(site.opinions())
    failing = {path(next(opinions)): kind for kind in FAILING}
    healthy = {path(next(opinions)): kind for kind in HEALTHY}
    transient = {path(next(opinions)): kind for kind in TRANSIENT}
    for target, kind in failing.items() | healthy.items():
        site.add_fault(target, kind)
    for target, kind in transient.items():
        site.add_fault(target, kind, times=1)
    list_fault = site.add_fault(LIST_PAGE, "503", times=1)
    with ReplicaServer(site) as server:
        first = crawl(db, server, *SETTINGS, check=False)
        site.faults.clear()
        second = crawl(db, server, *SETTINGS, check=False)
    yield server, db, failing, first, second, list_fault


def test_faulty_crawl_exits_1_and_names_the_failures(faulty_crawl):
    _, _, failing, first, _, _ = faulty_crawl
    assert first.returncode == 1, first.stderr
    assert f"the crawl finished with {len(failing)} failed URLs (see: npc-archive failures" in first.stderr


def test_every_failed_url_is_recorded_with_reason_and_attempts(faulty_crawl, npc_archive):
    server, db, failing, _, _, _ = faulty_crawl
    rows = json.loads(npc_archive("failures", "--db", str(db), "--crawl", "1", "--format", "json").stdout)
    with sqlite3.connect(db) as conn:
        figures = conn.execute("SELECT status, failures, documents_new, stats FROM crawls WHERE id = 1").fetchone()
    recorded = {row["url"].removeprefix(server.base_url): (row["reason"], row["attempts"]) for row in rows}
    assert recorded == {target: FAILING[kind] for target, kind in failing.items()}
    assert {row["page_kind"] for row in rows} == {"article"}
    assert next(row["detail"] for row in rows if row["reason"] == "http_500") == "500 Internal Server Error"
    status, failures, new, stats = figures
    assert (status, failures, new) == ("finished", len(failing), len(server.site.opinions()) - len(failing))
    assert json.loads(stats)["npc/failures/http_500"] == 1


def test_no_document_is_made_from_an_error_page(faulty_crawl):
    server, db, failing, _, _, _ = faulty_crawl
    with sqlite3.connect(db) as conn:
        first_run = {url.removeprefix(server.base_url) for (url,) in conn.execute(
            "SELECT url FROM documents WHERE first_seen_crawl = 1")}
    assert not first_run & set(failing)


def test_retries_back_off_and_honour_retry_after(faulty_crawl):
    *_, list_fault = faulty_crawl
    first, retry = list_fault.fired_at[:2]
    assert retry - first >= 1  # Retry-After: 1, far above the 0.05 s backoff


def test_gzip_bomb_is_stored_as_its_small_wire_bytes(faulty_crawl):
    server, db, failing, _, _, _ = faulty_crawl
    bomb = next(target for target, kind in failing.items() if kind == "gzip_bomb")
    archive = Archive(db)
    try:
        ids = [row[0] for row in archive.conn.execute("SELECT id FROM snapshots WHERE url = ? AND crawl_id = 1", (server.base_url + bomb,))]
        assert ids and all(archive.capture_body(i) == gzip_bomb(BOMB_SIZE) for i in ids)
        assert max(archive.conn.execute("SELECT max(size) FROM snapshots").fetchone()) < 12 * 1024 * 1024
    finally:
        archive.close()


def test_next_run_retries_the_failed_urls_and_everything_is_archived_right(faulty_crawl):
    server, db, failing, _, second, _ = faulty_crawl
    assert second.returncode == 0, second.stderr
    archive = Archive(db)
    try:
        documents = {row["url"]: row for row in archive.documents()}
    finally:
        archive.close()
    # A listed article that answered a soft 404 is listed-but-gone: a fact about the site that
    # `new` runs leave alone and `refresh` runs check again.
    gone = server.base_url + next(target for target, kind in failing.items() if kind == "soft_404")
    opinions = [a for a in server.site.opinions() if server.base_url + path(a) != gone]
    assert set(documents) == {server.base_url + path(article) for article in opinions}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT url, reason FROM listed_gone").fetchall() == [(gone, "soft_404")]
    for article in opinions:
        row = documents[server.base_url + path(article)]
        expected = expected_record(article, server.site.views[article.id])
        actual = {**row, "paragraphs": json.loads(row["paragraphs"]), "column": row["column_name"]}
        assert {key: actual[key] for key in expected} == expected, article.title


@pytest.mark.parametrize("kind", ["bot_check", "bot_block"])
def test_a_column_behind_a_bot_check_says_so(kind, tmp_path, crawl):
    site = Site()
    site.add_fault("/list.asp?ClassID=5", kind)
    with ReplicaServer(site) as server:
        result = crawl(tmp_path / "archive.db", server, check=False)
    conn = sqlite3.connect(tmp_path / "archive.db")
    try:
        failures = conn.execute("SELECT reason, detail FROM failures").fetchall()
        documents = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        conn.close()
    name = "瑞数 Riversecurity" if kind == "bot_check" else "安全狗 Safedog"
    assert result.returncode != 0 and documents == 0
    assert f"a bot check ({name})" in result.stderr + result.stdout
    assert [reason for reason, _ in failures] == ["bot_check"] and name in failures[0][1]
