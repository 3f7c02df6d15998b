"""Counters that count: a crawl of a CMS family's replica reads each view count where it costs the
site least (the page itself, else the list, else the counter), fetches a counter at most once per
document, and records where each count was read and whether it includes our own fetch."""

from __future__ import annotations

import re

import pytest
from w3lib.url import canonicalize_url

from archive import Archive
from parsers import parse_article
from replica.server import ReplicaServer
from replica.site import Site
from replica.truth import family_truth
from tests.old_archives import unapply_last_migrations


def crawled(markup: str, tmp_path, crawl, query, **options):
    site = Site(markup=markup, **options)
    before = dict(site.views)
    with ReplicaServer(site) as server:
        db = tmp_path / "archive.db"
        crawl(db, server, check=False)  # the list side of the families is another piece of work
        base = server.base_url
    rows = query(db, "SELECT url, view_count, view_count_source, view_count_includes_own_fetch, view_count_approximate FROM documents")
    counters = query(db, "SELECT url, count(*) FROM snapshots WHERE url LIKE ? OR url LIKE ? OR url LIKE ? GROUP BY url",
                     "%GetHits%", "%op=count%", "%count.php%")
    truth = {canonicalize_url(base + t["path"]): t for t in family_truth(site)}
    # Documents the crawl should not have archived (side-list entries: the list side's work) are left out.
    return site, before, {url: row for url, *row in rows if url in truth}, truth, dict(counters), len(rows)


def test_a_count_the_list_shows_costs_the_site_no_view(tmp_path, crawl, query):
    site, before, documents, truth, counters, _ = crawled("powereasy-static", tmp_path, crawl, query)
    assert documents and counters == {}
    for url, (views, source, includes_own_fetch, approximate) in documents.items():
        assert (views, source, includes_own_fetch, approximate) == (truth[url]["view_count"], "list", 0, 0)
    assert site.views == before  # nothing counted


@pytest.mark.parametrize("markup, includes", [("kesion", 1), ("phpcms", 0)])
def test_each_counter_is_fetched_once_and_its_count_marked(markup, includes, tmp_path, crawl, query):
    site, before, documents, truth, counters, archived = crawled(markup, tmp_path, crawl, query)
    assert documents and set(counters.values()) == {1}
    assert len(counters) == archived
    for url, (views, source, includes_own_fetch, approximate) in documents.items():
        assert (views, source, includes_own_fetch, approximate) == (truth[url]["view_count"], "counter", includes, 0)
        assert bool(includes_own_fetch) is truth[url]["view_count_includes_own_fetch"]
    counted = {a for a in site.views if site.views[a] != before[a]}
    assert all(site.views[a] == before[a] + 1 for a in counted) and len(counted) == archived


@pytest.mark.parametrize("markup, source", [("powereasy", "page"), ("powereasy-static", "list"), ("kesion", "counter"), ("phpcms", "counter")])
def test_a_count_written_rounded_to_ten_thousands_is_archived_as_its_value_and_marked_approximate(markup, source, tmp_path, crawl,
                                                                                                 query):
    _, _, documents, truth, _, _ = crawled(markup, tmp_path, crawl, query, counts_in_ten_thousands=True)
    assert documents and {row[1] for row in documents.values()} == {source}
    for url, (views, _, _, approximate) in documents.items():
        assert (views, approximate) == (truth[url]["view_count"], truth[url]["view_count_approximate"])
    assert {approximate for *_, approximate in documents.values()} == {0, 1}  # counts under 10,000 are written in full


def test_the_crawls_summary_says_about_where_a_count_is_approximate(tmp_path, crawl):
    with ReplicaServer(Site(markup="powereasy", counts_in_ten_thousands=True)) as server:
        result = crawl(tmp_path / "archive.db", server)
    shown = [re.search(r"\((about )?(\d+) views\)$", line) for line in result.stdout.splitlines() if line.endswith(" views)")]
    assert shown and any(about for about, _ in (match.groups() for match in shown))
    for about, count in (match.groups() for match in shown):  # 4.5万 is about 45000; 9688 is 9688
        if int(count) >= 10000:
            assert about and int(count) % 1000 == 0
        else:
            assert not about


def test_an_archive_from_before_approximate_counts_upgrades_and_marks_the_next_count_observed(tmp_path, pages):
    path = tmp_path / "old.db"
    record = parse_article(*pages.article(pages.reference)).to_dict()
    archive = Archive(path)
    crawl_id = archive.start_crawl("new", {"start_url": "http://jjrd.example/list.asp?ClassID=5"})
    exact, _ = archive.add_capture(url=record["url"], status=200, headers=[], body=b"1", crawl_id=crawl_id)
    archive.save_document(record, capture_id=exact, crawl_id=crawl_id)
    archive.close()
    unapply_last_migrations(path, ["view_count_approximate"])
    archive = Archive(path)
    try:
        upgraded = archive.conn.execute("SELECT view_count, view_count_approximate FROM documents").fetchone()
        # The page now writes its count rounded to ten thousands (浏览次数：4.5万).
        rounded, _ = archive.add_capture(url=record["url"], status=200, headers=[], body=b"2", crawl_id=crawl_id)
        archive.save_document({**record, "view_count": 45000, "view_count_approximate": True}, capture_id=rounded, crawl_id=crawl_id)
        observed = list(archive.conn.execute("SELECT count, approximate FROM view_counts ORDER BY id"))
        document = archive.conn.execute("SELECT view_count, view_count_approximate FROM documents").fetchone()
    finally:
        archive.close()
    assert upgraded == (record["view_count"], None)  # unknown, not guessed
    assert observed == [(record["view_count"], None), (45000, 1)] and document == (45000, 1)
