"""Real crawls of every CMS family's replica markup on 127.0.0.1: every opinion and nothing else
archived, each with the fields its page shows; and the runs that could not see the whole column
(a script pager it cannot read, a POST proxy that fails, a pager that loops) end incomplete."""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from urllib.parse import parse_qsl, urlsplit

import pytest
from w3lib.url import canonicalize_url
from warcio.archiveiterator import ArchiveIterator

from archive import Archive
from archive.schema import MIGRATIONS
from archive.warc import write_warc
from npc_archive import exit_codes
from parsers import parse_article
from parsers.encoding import decode_html
from replica.families import FAMILIES
from replica.reply import Reply, codec
from replica.server import ReplicaServer
from replica.site import Site
from replica.truth import expected_sections, family_truth, other_paths

PROXY = "/module/web/jpage/dataproxy.jsp"


@pytest.fixture(scope="module", params=sorted(FAMILIES))
def crawled(request, tmp_path_factory, crawl):
    db = tmp_path_factory.mktemp(request.param) / "archive.db"
    with ReplicaServer(Site(markup=request.param)) as server:
        result = crawl(db, server, "--mode", "full", check=False)
        yield server, db, result


def _paths(server, urls) -> set[str]:
    return {canonicalize_url(server.base_url + url) if url.startswith("/") else canonicalize_url(url) for url in urls}


def test_every_opinion_and_nothing_else_is_archived(crawled, query):
    server, db, result = crawled
    assert result.returncode == 0, result.stderr
    archived = _paths(server, [url for (url,) in query(db, "SELECT url FROM documents")])
    assert archived == _paths(server, [record["path"] for record in family_truth(server.site)])
    assert not archived & _paths(server, other_paths(server.site))
    assert query(db, "SELECT status FROM crawls") == [("finished",)]


def test_every_field_is_the_page_s(crawled, query):
    server, db, _ = crawled
    rows = {canonicalize_url(url): (title, published, published_from, source, views, body)
            for url, title, published, published_from, source, views, body in query(
                db, "SELECT url, title, published_at, published_at_source, source, view_count, body_text FROM documents")}
    for record in family_truth(server.site):
        got = rows[canonicalize_url(server.base_url + record["path"])]
        want = (record["title"], record["published_at"], "page", record["source"], record["view_count"], record["body_text"])
        assert got == want, record["path"]


def test_sections_are_the_opinion_s(crawled, query):
    server, db, _ = crawled
    site = server.site
    for article in site.opinions()[:5]:
        url = canonicalize_url(server.base_url + site.article_path(article))
        (document_id,) = next(row for row in query(db, "SELECT id, url FROM documents") if canonicalize_url(row[1]) == url)[:1]
        sections = query(db, "SELECT kind, heading, text FROM sections WHERE document_id = ? ORDER BY position", document_id)
        want = [(s["kind"], s["heading"], s["text"]) for s in expected_sections(article)]
        assert sections == want, site.article_path(article)


def test_hanweb_later_groups_are_posts_archived_with_their_form(tmp_path, crawl, npc_archive, query):
    db, warc = tmp_path / "archive.db", tmp_path / "out.warc.gz"
    with ReplicaServer(Site(markup="hanweb-platform")) as server:
        crawl(db, server, "--mode", "full")
    posts = query(db, "SELECT c.request_body, s.url, s.request_headers FROM captures c JOIN snapshots s ON s.id = c.id WHERE s.method = 'POST'")
    assert len(posts) == 3 and all(urlsplit(url).path == PROXY for _, url, _ in posts)
    assert all(b"columnid=1311043" in body and b"unitid=7712853" in body for body, _, _ in posts)
    # Asked as the page's script asks them, an XMLHttpRequest.
    assert all(["X-Requested-With", "XMLHttpRequest"] in json.loads(headers) for _, _, headers in posts)
    npc_archive("warc", "--db", str(db), str(warc))
    with open(warc, "rb") as stream:
        requests = [(record.http_headers.protocol, record.content_stream().read())
                    for record in ArchiveIterator(stream) if record.rec_type == "request"]
    bodies = [body for method, body in requests if method == "POST"]
    assert sorted(bodies) == sorted(body for body, _, _ in posts)


def _incomplete(db, result, query) -> str:
    assert result.returncode == exit_codes.INCOMPLETE, result.stderr
    (status, stats), = query(db, "SELECT status, stats FROM crawls ORDER BY id DESC LIMIT 1")
    assert status == "incomplete"
    return json.loads(stats)["npc/incomplete"]


def test_a_script_pager_it_cannot_read_makes_the_crawl_incomplete(tmp_path, crawl, query):
    site = Site(markup="trs")
    page = site.family.list_page
    site.family.list_page = lambda column, entries, number: page(column, entries, number).replace(
        "createPageHTML(3,", "createPageHTML(Math.ceil(45/15),")
    with ReplicaServer(site) as server:
        result = crawl(tmp_path / "archive.db", server, check=False)
    cause = _incomplete(tmp_path / "archive.db", result, query)
    assert server.start_url in cause and "createPageHTML(Math.ceil(45/15)" in cause
    assert "incomplete" in result.stderr and server.start_url in result.stderr
    assert len(query(tmp_path / "archive.db", "SELECT url FROM documents")) == 15


def test_a_proxy_answering_500_makes_the_crawl_incomplete(tmp_path, crawl, query):
    site = Site(markup="hanweb")
    target = f"{PROXY}?startrecord=21&endrecord=40&perpage=10"
    site.add_fault(target, "500")
    with ReplicaServer(site) as server:
        result = crawl(tmp_path / "archive.db", server, "-s", "RETRY_TIMES=0", check=False)
    cause = _incomplete(tmp_path / "archive.db", result, query)
    assert target in cause and "http_500" in cause


def test_a_pager_leading_back_to_page_one_makes_the_crawl_incomplete(tmp_path, crawl, query):
    site = Site(markup="powereasy")
    href = site.family.page_href
    site.family.page_href = lambda column, number, pages: href(column, 1 if number == 3 else number, pages)
    with ReplicaServer(site) as server:
        result = crawl(tmp_path / "archive.db", server, check=False)
    cause = _incomplete(tmp_path / "archive.db", result, query)
    assert "page 2 of 3" in cause and "ShowClass.asp?ClassID=5&page=2" in cause
    assert len(query(tmp_path / "archive.db", "SELECT url FROM documents")) == 40


def test_mode_new_stopping_at_a_known_page_is_complete(tmp_path, crawl, query):
    db = tmp_path / "archive.db"
    with ReplicaServer(Site(markup="dedecms")) as server:
        crawl(db, server)
        result = crawl(db, server)
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT status FROM crawls") == [("finished",), ("finished",)]


def test_a_listed_article_gone_is_one_failure_then_left_to_refresh(tmp_path, crawl, npc_archive, query):
    db = tmp_path / "archive.db"
    site = Site()
    gone = site.opinions()[2]
    site.add_fault(site.article_path(gone), "soft_404")
    with ReplicaServer(site) as server:
        first = crawl(db, server, check=False)
        second = crawl(db, server, check=False)
        changes = npc_archive("changes", "--db", str(db), "--since", "2000-01-01", "--format", "json")
        failures = npc_archive("failures", "--db", str(db), "--crawl", "1", "--format", "json")
        refresh = crawl(db, server, "--mode", "refresh", check=False)
    assert first.returncode == exit_codes.FAILED and second.returncode == 0, second.stderr
    url = server.base_url + site.article_path(gone)
    assert [row["url"] for row in json.loads(failures.stdout)] == [url]
    assert gone.title in json.loads(failures.stdout)[0]["detail"]
    listed = [row for row in json.loads(changes.stdout) if row["kind"] == "listed_gone"]
    assert [(row["url"], row["title"]) for row in listed] == [(url, gone.title)]
    second_urls = [url for (url,) in query(db, "SELECT url FROM snapshots WHERE crawl_id = 2")]
    assert [u for u in second_urls if not u.endswith("/robots.txt")] == [server.start_url]
    assert refresh.returncode == 0, refresh.stderr  # rechecked, still gone: not a new failure
    assert url in [u for (u,) in query(db, "SELECT url FROM snapshots WHERE crawl_id = 3")]
    assert query(db, "SELECT count(*) FROM failures") == [(1,)]


def test_an_archive_from_before_request_bodies_upgrades_and_keeps_its_captures(tmp_path):
    db = tmp_path / "old.db"
    archive = Archive(db)
    capture_id, _ = archive.add_capture(url="http://jjrd.example/list.asp", status=200,
                                         headers=[("Content-Type", "text/html")], body=b"<html>list</html>")
    archive.close()
    # The archive as the release before this migration wrote it: no request bodies, no listed_gone.
    conn = sqlite3.connect(db)
    conn.executescript(f"ALTER TABLE captures DROP COLUMN request_body; DROP TABLE listed_gone; "
                       f"DELETE FROM _migrations WHERE name = 'request_bodies_and_listed_gone'; PRAGMA user_version = {len(MIGRATIONS) - 1};")
    conn.close()
    upgraded = Archive(db)
    try:
        assert upgraded.capture(capture_id)["request_body"] is None
        assert upgraded.capture_body(capture_id) == b"<html>list</html>"
        post_id, _ = upgraded.add_capture(url="http://jjrd.example" + PROXY, status=200, method="POST",
                                           headers=[("Content-Type", "text/xml")], body=b"<datastore/>",
                                           request_body=b"col=1&webid=52")
        assert upgraded.listed_gone_urls() == set()
        with open(tmp_path / "out.warc.gz", "wb") as stream:
            write_warc(upgraded, stream)
    finally:
        upgraded.close()
    with open(tmp_path / "out.warc.gz", "rb") as stream:
        payloads = [record.content_stream().read() for record in ArchiveIterator(stream) if record.rec_type == "request"]
    assert payloads == [b"", b"col=1&webid=52"]


def test_list_pages_parsed_on_a_thread_give_the_same_column(tmp_path, crawl, query):
    db = tmp_path / "archive.db"
    with ReplicaServer(Site(markup="hanweb")) as server:
        result = crawl(db, server, "-s", "LIST_PARSE_THREAD_BYTES=0", check=False)
        paths = _paths(server, [record["path"] for record in family_truth(server.site)])
    assert result.returncode == 0, result.stderr
    assert _paths(server, [url for (url,) in query(db, "SELECT url FROM documents")]) == paths


class FormPagerSite(Site):
    """The replica's ASP lists with a pager that sends a form (Linewell): 下一页 calls goPage(2),
    which posts the page's number to the list's URL."""

    LIST = "/list.asp?ClassID=5"

    def handle(self, target: str, accept_encoding: str = "", method: str = "GET", body: bytes = b"") -> Reply:
        if not target.startswith(self.LIST):
            return super().handle(target, accept_encoding, method, body)
        number = int(dict(parse_qsl(body.decode()))["page"]) if method == "POST" else 1
        reply = super().handle(self.LIST + (f"&page={number}" if number > 1 else ""))  # not compressed: it is rewritten
        html = reply.body.decode("gbk")
        html = re.sub(r'<a href="/list\.asp\?ClassID=5&page=(\d+)">下一页</a>', r'<a href="javascript:goPage(\1)">下一页</a>', html)
        html = re.sub(r"转到:<select.*?</select>", "", html, flags=re.S)
        html = html.replace('<div align="center">共', f'<form id="pageForm" method="post" action="{self.LIST}">'
                            f'<input type="hidden" name="page" value="{number}"><div align="center">共', 1)
        return dataclasses.replace(reply, body=html.encode("gbk"))


def test_a_pager_that_sends_its_form_is_walked_to_the_end(tmp_path, crawl, query):
    site = FormPagerSite()
    with ReplicaServer(site) as server:
        crawl(tmp_path / "archive.db", server)
        posts = [path for path, _ in server.sent if path == FormPagerSite.LIST]
    urls = {canonicalize_url(url) for (url,) in query(tmp_path / "archive.db", "SELECT url FROM documents")}
    assert urls >= {canonicalize_url(server.base_url + site.article_path(article)) for article in site.opinions()}
    assert len(posts) == 3  # the start page by GET, pages 2 and 3 by POST, to the same URL
    (status,), = query(tmp_path / "archive.db", "SELECT status FROM crawls")
    assert status == "finished"


class CalledPagerSite(Site):
    """The replica's ASP lists with a 下一页 that calls a function of the page, turnPage(2), whose
    body goes to the list page of that number (the first one's own URL for page 1)."""

    LIST = "/list.asp?ClassID=5"
    SCRIPT = ("<script>function turnPage(p) { var url = '/list.asp?ClassID=5';\n"
              "  if (p == 1) { location.href = url; } else { location.href = url + '&page=' + p; } }</script></body>")

    def handle(self, target: str, accept_encoding: str = "", method: str = "GET", body: bytes = b"") -> Reply:
        if not target.startswith(self.LIST):
            return super().handle(target, accept_encoding, method, body)
        reply = super().handle(target)  # not compressed: it is rewritten
        html = reply.body.decode("gbk")
        html = re.sub(r'<a href="/list\.asp\?ClassID=5&page=(\d+)">下一页</a>', r'<a href="javascript:;" onclick="turnPage(\1)">下一页</a>', html)
        html = re.sub(r"转到:<select.*?</select>", "", html, flags=re.S).replace("</body>", self.SCRIPT)
        return dataclasses.replace(reply, body=html.encode("gbk"))


def test_a_next_link_that_calls_a_function_of_the_page_is_walked_to_the_end(tmp_path, crawl, query):
    site = CalledPagerSite()
    with ReplicaServer(site) as server:
        crawl(tmp_path / "archive.db", server)
        lists = [path for path, _ in server.sent if path.startswith(CalledPagerSite.LIST)]
    urls = {canonicalize_url(url) for (url,) in query(tmp_path / "archive.db", "SELECT url FROM documents")}
    assert urls >= {canonicalize_url(server.base_url + site.article_path(article)) for article in site.opinions()}
    assert sorted(lists) == [CalledPagerSite.LIST, f"{CalledPagerSite.LIST}&page=2", f"{CalledPagerSite.LIST}&page=3"]
    (status,), = query(tmp_path / "archive.db", "SELECT status FROM crawls")
    assert status == "finished"


@dataclasses.dataclass
class TakenOutSite(Site):
    """The replica with a part of some pages taken out, as another template serves them: what
    ``taken_out`` matches, from the pages whose path opens with ``pages``."""

    pages: str = ""
    taken_out: bytes = b""

    def handle(self, target: str, accept_encoding: str = "", method: str = "GET", body: bytes = b"") -> Reply:
        if not target.startswith(self.pages):
            return super().handle(target, accept_encoding, method, body)
        reply = super().handle(target)  # not compressed: it is rewritten
        return dataclasses.replace(reply, body=re.sub(self.taken_out, b"", reply.body))


HEADER = rb'<tr><td align="center" class="info"[^>]*>.*?</td></tr>'  # the replica article's 发布时间 … line
LIST_DATE = rb'<td width="150" align="right">[^<]*</td>'  # the replica list row's date


def test_a_list_that_dates_no_row_is_walked_to_the_end(tmp_path, crawl, query):
    # The replica's ASP lists with their rows' dates taken out: titles only.
    site = TakenOutSite(pages="/list.asp", taken_out=LIST_DATE)
    with ReplicaServer(site) as server:
        crawl(tmp_path / "archive.db", server)
    urls = {canonicalize_url(url) for (url,) in query(tmp_path / "archive.db", "SELECT url FROM documents")}
    assert urls >= {canonicalize_url(server.base_url + site.article_path(article)) for article in site.opinions()}
    (status,), = query(tmp_path / "archive.db", "SELECT status FROM crawls")
    assert status == "finished"


@pytest.mark.parametrize("taken_out, dated_by_list", [
    (HEADER, True),  # the list shows the dates its articles do not
    (HEADER + b"|" + LIST_DATE, False),  # no page shows a date
])
def test_articles_that_show_no_date_are_dated_by_their_list_or_archived_undated(tmp_path, crawl, npc_archive, query,
                                                                                 taken_out, dated_by_list):
    # The replica with its articles' header taken out, as templates that print no date serve them.
    site = TakenOutSite(pages="/", taken_out=taken_out)
    db = tmp_path / "archive.db"
    with ReplicaServer(site) as server:
        crawl(db, server)
        first = query(db, "SELECT url, title, published_at, published_at_source, body_text FROM documents ORDER BY url")
        crawl(db, server, "--mode", "refresh")  # the pages alone, read again
        npc_archive("reparse", "--db", str(db))
    expected = {canonicalize_url(server.base_url + site.article_path(article)): article for article in site.opinions()}
    assert {canonicalize_url(url) for url, *_ in first} == set(expected)
    dated = Site()
    for url, title, published_at, published_at_source, body_text in first:
        article = expected[canonicalize_url(url)]
        as_dated = parse_article(dated.handle(dated.article_path(article)).body, url)  # the same page with its header
        listed = (as_dated.published_at, "list") if dated_by_list else (None, None)  # the list shows the time the header did
        assert (title, published_at, published_at_source, body_text) == (as_dated.title, *listed, as_dated.body_text), url
    # Neither the refresh nor the reparse, which read the pages alone, took the list's dates away.
    assert query(db, "SELECT url, title, published_at, published_at_source, body_text FROM documents ORDER BY url") == first
    assert query(db, "SELECT max(revision) FROM documents") == [(1,)]
    assert [status for (status,) in query(db, "SELECT status FROM crawls")] == ["finished", "finished"]


@dataclasses.dataclass
class PagedArticleSite(Site):
    """The replica with each opinion split over two pages as PowerEasy pages a long article: the
    first half of its paragraphs on ShowArticle.asp?ArticleID=N, the rest on …&ArticlePage=2,
    each under a pager ([1] [2] 下一页), the current page unlinked. ``missing``: second pages
    that answer 404; ``ignores_page``: the site serves the first page for every ArticlePage;
    ``retitled``: a second page under another title (another article's)."""

    missing: set[str] = dataclasses.field(default_factory=set)
    ignores_page: bool = False
    retitled: bool = False
    CONTENT = re.compile(r'(<td class="content" id="fontzoom">)(.*?)(</td>)', re.S)

    def handle(self, target: str, accept_encoding: str = "", method: str = "GET", body: bytes = b"") -> Reply:
        first, _, page = target.partition("&ArticlePage=")
        opinions = {self.article_path(article) for article in self.opinions()}
        if first not in opinions:
            return super().handle(target, accept_encoding, method, body)
        if target in self.missing:
            return Reply(404, [("Content-Type", "text/html")], "<html><body>文章不存在</body></html>".encode("gbk"))
        reply = super().handle(first)  # not compressed: it is rewritten
        charset = re.search(r"charset=([\w-]+)", dict(reply.headers)["Content-Type"]).group(1)
        html = reply.body.decode(codec(charset))
        start, content, end = self.CONTENT.search(html).groups()
        paragraphs = re.findall(r"<p.*?</p>", content, re.S)
        half = len(paragraphs) // 2
        second = page == "2" and not self.ignores_page
        shown = paragraphs[half:] if second else paragraphs[:half]
        pager = (f'<p align="center"><a href="{first}">[1]</a> <font color="red">[2]</font></p>' if second else
                 f'<p align="center"><font color="red">[1]</font> <a href="{first}&ArticlePage=2">[2]</a> '
                 f'<a href="{first}&ArticlePage=2">下一页</a></p>')
        html = self.CONTENT.sub(lambda _: start + "".join(shown) + end + pager, html, count=1)
        if second and self.retitled:
            title = next(article.title for article in self.opinions() if self.article_path(article) == first)
            html = html.replace(title, "关于另一项工作情况的审议意见")
        return dataclasses.replace(reply, body=html.encode(codec(charset)))


@pytest.mark.parametrize("writer", ["process", "inline"])
def test_an_article_the_site_pages_is_archived_whole_from_all_its_pages(tmp_path, writer, crawl, npc_archive, query):
    site = PagedArticleSite()
    db = tmp_path / "archive.db"
    whole = Site()
    with ReplicaServer(site) as server:
        crawl(db, server, "-s", f"ARCHIVE_WRITER={writer}")
        sent = [path for path, _ in server.sent if "&ArticlePage=" in path]
        first = query(db, "SELECT url, body_text, parts, signed_date FROM documents WHERE column_kind = 'opinions' ORDER BY url")
        crawl(db, server, "--mode", "refresh", "-s", f"ARCHIVE_WRITER={writer}")  # every page fetched again: nothing changed
        reparsed = npc_archive("reparse", "--db", str(db))
    expected = {canonicalize_url(server.base_url + site.article_path(article)): article for article in site.opinions()}
    assert {canonicalize_url(url) for url, *_ in first} == set(expected)
    assert sorted(sent) == sorted(f"{site.article_path(article)}&ArticlePage=2" for article in site.opinions())
    for url, body_text, parts, signed_date in first:
        article = expected[canonicalize_url(url)]
        unsplit = parse_article(whole.handle(whole.article_path(article)).body, url)
        assert (body_text, signed_date) == (unsplit.body_text, unsplit.facts["signed_date"]), url
        assert json.loads(parts) == [f"{server.base_url}{site.article_path(article)}&ArticlePage=2"]
    assert query(db, "SELECT count(*) FROM snapshots WHERE url LIKE '%&ArticlePage=2'") == [(2 * len(expected),)]
    assert query(db, "SELECT max(revision) FROM documents") == [(1,)]
    assert "0 changed" in reparsed.stdout and " 0 failed" in reparsed.stdout
    assert [status for (status,) in query(db, "SELECT status FROM crawls")] == ["finished", "finished"]


def test_an_article_whose_later_page_fails_is_not_archived_until_a_run_reads_it_whole(tmp_path, crawl, query):
    site = PagedArticleSite()
    article = site.opinions()[0]
    site.missing.add(f"{site.article_path(article)}&ArticlePage=2")
    db = tmp_path / "archive.db"
    with ReplicaServer(site) as server:
        crawl(db, server, check=False)
        url = server.base_url + site.article_path(article)
        archived = {canonicalize_url(url) for (url,) in query(db, "SELECT url FROM documents")}
        failures = query(db, "SELECT url, reason, detail FROM failures")
        site.missing.clear()
        crawl(db, server)
    assert canonicalize_url(url) not in archived and len(archived & {canonicalize_url(server.base_url + site.article_path(a))
                                                                      for a in site.opinions()}) == len(site.opinions()) - 1
    assert [(failed, reason) for failed, reason, _ in failures] == [(url, "http_404")]
    assert f"page 2 of the article, {url}&ArticlePage=2" in failures[0][2]
    (body_text,), = query(db, "SELECT body_text FROM documents WHERE url = ?", url)
    assert body_text == parse_article(Site().handle(site.article_path(article)).body, url).body_text


@pytest.mark.parametrize("site, reason, said", [
    (PagedArticleSite(ignores_page=True), "repeated_part", "it shows the text of page 1 again"),
    (PagedArticleSite(retitled=True), "other_document", "its title is '关于另一项工作情况的审议意见', not the article's"),
], ids=["repeated", "retitled"])
def test_a_later_page_that_is_no_page_of_the_article_fails_it(tmp_path, site, reason, said, crawl, query):
    db = tmp_path / "archive.db"
    with ReplicaServer(site) as server:
        crawl(db, server, check=False)
    opinions = {canonicalize_url(server.base_url + site.article_path(article)) for article in site.opinions()}
    archived = {canonicalize_url(url) for (url,) in query(db, "SELECT url FROM documents")}
    failures = query(db, "SELECT url, reason, detail FROM failures")
    assert not archived & opinions  # no article joined with what is not its own page
    assert {canonicalize_url(url) for url, *_ in failures} == opinions
    assert {failed_for for _, failed_for, _ in failures} == {reason}
    assert all(f"&ArticlePage=2: {said}" in detail for *_, detail in failures)


@dataclasses.dataclass
class SessionInUrlSite(Site):
    """The VSB replica as a JSP server that writes a session's id into the address of a client
    that shows no cookie: each article redirects to itself with ;jsessionid=…, another each crawl."""

    session: int = 1

    def handle(self, target: str, accept_encoding: str = "") -> Reply:
        path, marker, _ = target.partition(";jsessionid=")
        if marker:
            return super().handle(path, accept_encoding)
        if re.fullmatch(r"/info/\d+/\d+\.htm", target):
            return Reply(302, [("Location", f"{target};jsessionid=S{self.session:04d}"), ("Content-Type", "text/html")], b"")
        return super().handle(target, accept_encoding)


def test_a_session_id_a_redirect_adds_makes_no_article_new_again(tmp_path, crawl, query):
    db = tmp_path / "archive.db"
    site = SessionInUrlSite(markup="vsb")
    with ReplicaServer(site) as server:
        first = crawl(db, server, "--mode", "refresh", check=False)
        site.session = 2
        second = crawl(db, server, "--mode", "refresh", check=False)
    assert first.returncode == 0 and second.returncode == 0, second.stderr
    assert query(db, "SELECT count(*), sum(url LIKE '%jsessionid%') FROM documents") == [(45, 0)]
    assert query(db, "SELECT kind, count(*) FROM events GROUP BY kind") == [("new", 45)]


@dataclasses.dataclass
class RowToListSite(Site):
    """The replica whose first list page links one row to a part of the column (a year it is
    divided into, say): ``part``, served as the list page ``part_of`` with no claim of the whole
    column's size (共45条, <strong>45</strong>条)."""

    row: str = ""
    part: str = ""
    part_of: str = ""

    def handle(self, target: str, accept_encoding: str = "", method: str = "GET", body: bytes = b"") -> Reply:
        if target == self.part:
            reply = super().handle(self.part_of)
            html, page_codec = decode_html(reply.body, dict(reply.headers).get("Content-Type"))
            return dataclasses.replace(reply, body=re.sub(r"(?:共\s*)?(?:<[^<>]*>)?\d+(?:</[^<>]*>)?\s*条(?:记录)?", "", html).encode(page_codec))
        reply = super().handle(target, "", method, body)  # not compressed: it is rewritten
        if target != self.start_path:
            return reply
        return dataclasses.replace(reply, body=reply.body.replace(self.row.encode(), self.part.encode()))


@pytest.mark.parametrize("markup", ["table", "div"])
def test_a_column_divided_by_year_is_walked_whole_year_by_year(tmp_path, crawl, query, markup):
    """The column's page links a list for each year (2022年审议意见), each with its own pager; its
    articles' trails name the year (审议意见 > 2022年)."""
    site = Site(markup=markup, divided_by_year=True, page_size=4)
    years = sorted({article.published[:4] for article in site.opinions()}, reverse=True)
    db = tmp_path / "archive.db"
    with ReplicaServer(site) as server:
        first = crawl(db, server)
        sent = len(server.sent)
        second = crawl(db, server)
        second_requests = [path for path, _ in server.sent[sent:]]
        added = site.add_opinions(1)[0]
        third = crawl(db, server)
        base = server.base_url
    assert first.returncode == second.returncode == third.returncode == 0
    assert f"{len(years)} parts of a column walked: the lists of the years or terms its list links" in first.stdout
    assert query(db, "SELECT count(*) FROM failures") == [(0,)]
    archived = {canonicalize_url(url): (column_name, column_url) for url, column_name, column_url in
                query(db, "SELECT url, column_name, column_url FROM documents")}
    assert set(archived) == {canonicalize_url(base + site.article_path(article)) for article in site.opinions()}
    # Each opinion archived as its year's, under the column's name.
    assert {canonicalize_url(base + site.article_path(article)): archived[canonicalize_url(base + site.article_path(article))]
            for article in site.opinions()} == {
        canonicalize_url(base + site.article_path(article)): ("审议意见", base + f"/list.asp?ClassID=5&year={article.published[:4]}")
        for article in site.opinions()}
    stats = [json.loads(stats) for (stats,) in query(db, "SELECT stats FROM crawls ORDER BY id")]
    assert [run.get("npc/column_parts") for run in stats] == [len(years)] * 3
    assert [status for (status,) in query(db, "SELECT status FROM crawls")] == ["finished"] * 3
    # A new run asks each year's first page, and stops there: every article on it is archived.
    assert second_requests[:2] == ["/robots.txt", "/list.asp?ClassID=5"]
    assert sorted(second_requests[2:]) == sorted(f"/list.asp?ClassID=5&year={year}" for year in years)
    # An opinion added to this year's list is found by the next new run.
    assert query(db, "SELECT documents_new FROM crawls ORDER BY id") == [(45,), (0,), (1,)]
    assert canonicalize_url(base + site.article_path(added)) in archived


def test_a_reports_column_divided_by_year_is_walked_whole_by_the_name_its_page_shows(tmp_path, crawl, query):
    site = Site(divided_by_year=True, page_size=4)
    reports = site.column_articles("监督工作")
    years = {article.published[:4] for article in reports}
    db = tmp_path / "archive.db"
    with ReplicaServer(site) as server:
        result = crawl(db, server, "--column", f"reports={server.base_url}/list.asp?ClassID=4")
        base = server.base_url
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT count(*) FROM failures") == [(0,)]
    archived = {canonicalize_url(url) for (url,) in query(db, "SELECT url FROM documents WHERE column_kind = 'reports'")}
    assert archived == {canonicalize_url(base + site.article_path(article)) for article in reports} and reports
    ((stats,),) = query(db, "SELECT stats FROM crawls")
    assert json.loads(stats)["npc/column_parts"] == len(years) + len({a.published[:4] for a in site.opinions()})


# PHPCMS's and DedeCMS's lists read as an article titled 审议意见, which a second run would have
# archived as published.
@pytest.mark.parametrize("markup", ["dedecms", "phpcms"])
def test_a_row_that_leads_to_a_list_of_the_column_is_walked_as_a_part_of_it(tmp_path, crawl, query, markup):
    site = RowToListSite(markup=markup)
    row = site.opinions()[2]
    last = site.family.list_path("审议意见", site.family.pages(site.opinions()))
    # A part of the column: its last list page, at a URL of its own.
    site.row, site.part, site.part_of = site.article_path(row), last + ("&" if "?" in last else "?") + "year=2012", last
    db = tmp_path / "archive.db"
    with ReplicaServer(site) as server:
        result = crawl(db, server)
        part = server.base_url + site.part
    assert result.returncode == 0
    assert query(db, "SELECT count(*) FROM failures") == [(0,)]
    assert query(db, "SELECT count(*) FROM documents WHERE url = ? OR title = '审议意见'", part) == [(0,)]
    assert query(db, "SELECT count(*) FROM documents") == [(44,)]  # the row's article is linked from no list now
    ((stats,),) = query(db, "SELECT stats FROM crawls")
    assert json.loads(stats)["npc/column_parts"] == 1


def test_a_column_whose_page_asks_a_unit_for_its_rows_is_crawled_whole(tmp_path, crawl, query):
    """The Zhejiang platform since 2024: the column page holds no list, its unit script
    (AuthorizedRead/unitbuild.js) asks the API for it, fifteen rows a page, as JSON."""
    site = Site(markup="hanweb-platform", unit_build=True)
    db = tmp_path / "archive.db"
    with ReplicaServer(site) as server:
        first = crawl(db, server)
        asked = [path for path, _ in server.sent]
        second = crawl(db, server)
        asked_again = [path for path, _ in server.sent[len(asked):]]
        archived = _paths(server, [url for (url,) in query(db, "SELECT url FROM documents")])
        expected = _paths(server, [record["path"] for record in family_truth(server.site)])
    assert first.returncode == second.returncode == 0
    assert archived == expected and len(archived) == 45
    assert query(db, "SELECT count(*) FROM failures") == [(0,)]
    assert [status for (status,) in query(db, "SELECT status FROM crawls")] == ["finished", "finished"]

    def pages_asked(paths):
        return [json.loads(dict(parse_qsl(urlsplit(path).query))["paramJson"])["pageNo"] for path in paths
                if path.startswith("/api-gateway/jpaas-publish-server/front/page/build/unit")]
    assert pages_asked(asked) == [1, 2, 3]  # 共45条, fifteen a page
    assert pages_asked(asked_again) == [1]  # a new run stops at the first page of archived articles
