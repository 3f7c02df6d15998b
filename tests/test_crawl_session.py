"""The crawl's archive session (spiders/session.py): one archive connection per crawl, and the
spider plans with the session's plan. Real crawls of the replica, each in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from replica.server import ReplicaServer
from replica.site import Site

pytestmark = pytest.mark.crawl  # crawls in subprocesses of its own, not through the crawl fixture

# Runs one crawl as `npc-archive crawl` does (spider arguments optional, the session taking the
# lock itself) and prints what the test checks: every sqlite3 connection to the archive file is
# counted, whoever opens it.
CRAWL = """
import json, sqlite3, sys
from pathlib import Path

db, arguments = Path(sys.argv[1]), json.loads(sys.argv[2])
connections = []
connect = sqlite3.connect

def counting_connect(database, *args, **kwargs):
    if Path(database).resolve() == db.resolve():
        connections.append(str(database))
    return connect(database, *args, **kwargs)

sqlite3.connect = counting_connect

from scrapy.crawler import CrawlerProcess
from npc_archive.process import crawl_settings
from spiders.opinions import OpinionsSpider
from spiders.session import ArchiveSession

process = CrawlerProcess(crawl_settings(str(db), **json.loads(sys.argv[3])))
crawler = process.create_crawler(OpinionsSpider)
process.crawl(crawler, **arguments)
process.start()
session, plan = crawler.get_extension(ArchiveSession), crawler.spider.plan
print(json.dumps({
    "connections": len(connections), "plan_is_the_sessions": plan is session.plan, "crawl_id": session.crawl_id,
    "mode": plan.mode, "known": sorted(plan.known), "stop_at_known_page": plan.stop_at_known_page,
    "finish_reason": crawler.stats.get_value("finish_reason"),
    "documents_new": crawler.stats.get_value("npc/documents/new", 0),
}))
"""


def run_crawl(db, arguments: dict, settings: dict) -> dict:
    result = subprocess.run([sys.executable, "-c", CRAWL, str(db), json.dumps(arguments), json.dumps(settings)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def two_crawls(tmp_path_factory, query):
    """A full crawl given as spider arguments (`scrapy crawl -a`), then a `new` crawl given as settings."""
    db = tmp_path_factory.mktemp("session") / "archive.db"
    with ReplicaServer(Site(markup="table")) as server:
        first = run_crawl(db, {"start_url": server.start_url, "mode": "full"}, {})
        archived = {url for (url,) in query(db, "SELECT url FROM documents")}
        second = run_crawl(db, {}, {"start_url": server.start_url, "CRAWL_MODE": "new"})
    return server, db, first, archived, second


def test_a_crawl_opens_one_archive_connection(two_crawls):
    _, _, first, _, second = two_crawls
    assert (first["connections"], second["connections"]) == (1, 1)


def test_the_spider_plans_with_the_sessions_plan(two_crawls):
    server, _, first, archived, second = two_crawls
    assert first["plan_is_the_sessions"] and second["plan_is_the_sessions"]
    assert first["documents_new"] == len(archived) == len(server.site.opinions())
    # The second plan knows what the first crawl archived, and the spider acted on it.
    assert second["mode"] == "new" and set(second["known"]) == archived
    assert second["stop_at_known_page"] and second["finish_reason"] == "finished"
    assert second["documents_new"] == 0


def test_spider_arguments_reach_the_session(two_crawls, query):
    server, db, first, _, _ = two_crawls
    assert first["mode"] == "full"
    [(mode, arguments)] = query(db, "SELECT mode, arguments FROM crawls WHERE id = ?", first["crawl_id"])
    assert (mode, json.loads(arguments)) == ("full", {"start_url": server.start_url, "mode": "full"})
