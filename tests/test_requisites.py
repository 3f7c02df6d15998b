"""Page requisites: the stylesheets and images pages use, read off the page (parsers/requisites.py)
and fetched once per URL per archive by the crawl, again only by `refresh` runs."""

from __future__ import annotations

from parsers import parse_article, parse_article_and_requisites
from parsers.requisites import page_requisites, stylesheet_requisites
from replica.server import ReplicaServer
from replica.site import Site

BASE = "http://jjrd.example"


def test_an_article_names_its_stylesheet_banner_and_body_images_but_no_script(table_pages):
    article = next(a for a in table_pages.site.articles if a.images)
    body, url, content_type = table_pages.article(article)
    found = page_requisites(body, url, content_type)
    assert found[:2] == [f"{BASE}/css/style.css", f"{BASE}/images/banner.jpg"]
    assert [f"{BASE}{path}" for path in table_pages.site.image_urls(article)] == found[2:]
    counted = next(a for a in table_pages.site.articles if a.counter_script)
    assert page_requisites(*table_pages.article(counted)) == found[:2]  # its counter is a script, never replayed


def test_an_article_read_with_its_requisites_gives_what_each_gives_alone(table_pages):
    # One decode and one parse for both (the writer reads every article page so); the requisites
    # resolve against the URL as fetched, the record names the URL it is given.
    article = next(a for a in table_pages.site.articles if a.images)
    body, url, content_type = table_pages.article(article)
    fetched = url + "?from=list"
    record, requisites = parse_article_and_requisites(body, url, content_type, fetched_url=fetched)
    assert record.to_dict() == parse_article(body, url, content_type).to_dict()
    assert requisites == page_requisites(body, fetched, content_type) and len(requisites) > 2


def test_requisites_are_absolute_once_each_and_never_data_or_other_schemes():
    page = (b'<html><head><base href="http://jjrd.example/sub/"><link rel="Stylesheet" href="a.css">'
            b'<link rel="icon" href="/favicon.ico"><style>body { background: url("bg.png") }</style></head>'
            b'<body><img src="a.png#x"><img src="a.png"><img src="data:image/gif;base64,R0lG"><img src="ftp://x/y.png">'
            b'<img src=""><script src="s.js"></script></body></html>')
    assert page_requisites(page, "http://jjrd.example/page.html") == [
        "http://jjrd.example/sub/a.css", "http://jjrd.example/sub/bg.png", "http://jjrd.example/sub/a.png"]


def test_a_page_that_cannot_be_read_has_no_requisites():
    assert page_requisites(b"", "http://jjrd.example/") == []


def test_a_stylesheet_names_its_images_and_imports(table_pages):
    body, url, _ = table_pages.get("/css/style.css")
    assert stylesheet_requisites(body, url) == [f"{BASE}/images/menu_bg.gif", f"{BASE}/images/banner.jpg"]
    css = b"@import 'print.css'; .a { background: url( 'x.gif' ) } .b { background: url(data:image/png;base64,AA) }"
    assert stylesheet_requisites(css, "http://jjrd.example/css/site.css") == [
        "http://jjrd.example/css/print.css", "http://jjrd.example/css/x.gif"]


def test_the_replica_serves_real_stylesheet_and_images(table_pages):
    css = table_pages.site.handle("/css/style.css")
    assert css.status == 200 and dict(css.headers)["Content-Type"] == "text/css" and b".banner" in css.body
    assert table_pages.site.handle("/images/banner.jpg").body[:3] == b"\xff\xd8\xff"  # a JPEG
    assert table_pages.site.handle("/images/menu_bg.gif").body[:4] == b"GIF8"


def requisite_captures(query, db) -> list[tuple[str, int]]:
    return query(db, "SELECT url, count(*) FROM snapshots WHERE url LIKE '%/css/%' OR url LIKE '%/images/%' GROUP BY url ORDER BY url")


def test_requisites_are_fetched_once_per_archive_and_again_by_refresh_runs(tmp_path, crawl, query):
    db = tmp_path / "archive.db"
    with ReplicaServer(Site(markup="table")) as server:
        crawl(db, server)
        first = requisite_captures(query, db)
        crawl(db, server, "--mode", "full")  # an ordinary crawl: what is captured is not fetched again
        again = requisite_captures(query, db)
        crawl(db, server, "--mode", "refresh")
        refreshed = requisite_captures(query, db)
    base = server.base_url
    assert [url for url, _ in first] == [f"{base}/css/style.css", f"{base}/images/banner.jpg", f"{base}/images/menu_bg.gif"]
    assert {count for _, count in first} == {1} and again == first
    assert {count for _, count in refreshed} == {2}
    assert query(db, "SELECT count(*) FROM failures") == [(0,)]
