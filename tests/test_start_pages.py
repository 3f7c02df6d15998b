"""A wrong start URL gets a clear answer: an article page, the home page or another column is
recognised (parsers.pages.classify_page) and refused with a hint, and ``npc-archive discover``
finds the 审议意见 column and its CMS family from the home page of every family."""

from __future__ import annotations

import datetime
import ipaddress
import re
import shlex
import socket
import ssl
import time
from dataclasses import dataclass

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from npc_archive import discover as discovering
from parsers.encoding import decode_html
from parsers.pages import classify_page, classify_url, names_column
from replica.families import FAMILIES
from replica.render import COLUMN
from replica.server import ReplicaServer
from replica.site import Reply, Site

BASE = "http://jjrd.example"


def first_pages(base: str, path: str) -> set[str]:
    """The column's first list page, by its name or its folder (TRS links /shyj/ for /shyj/index.shtml)."""
    return {base + path, base + path.rsplit("/", 1)[0] + "/"}


def kind_of(site: Site, path: str):
    reply = site.handle(path)
    return classify_page(reply.body, BASE + path, dict(reply.headers).get("Content-Type"))


@pytest.mark.parametrize("markup", sorted(FAMILIES))
def test_each_page_of_a_family_is_told_apart(markup):
    site = Site(markup=markup)
    family = site.family
    last = family.list_path(COLUMN, family.pages(site.opinions()))
    assert {name: kind_of(site, path).kind for name, path in [
        ("first", site.start_path), ("last", last), ("home", "/"), ("article", site.article_path(site.opinions()[5])),
        ("other", family.list_path("工作动态", 1))]} == {
        "first": "column", "last": "column", "home": "home", "article": "article", "other": "other_column"}
    home = kind_of(site, "/")
    assert home.family == markup
    assert home.column_url in first_pages(BASE, site.start_path)
    assert kind_of(site, family.list_path("工作动态", 1)).column == "工作动态"


@pytest.mark.parametrize("markup", ["trs", "dedecms"])
def test_an_article_its_page_hides_until_a_script_shows_it_is_told_an_article(markup):
    site = Site(markup=markup)
    path = site.article_path(site.opinions()[5])
    reply = site.handle(path)
    hidden = reply.body.replace(b"<body>", b'<body><div style="display:none">', 1).replace(b"</body>", b"</div></body>", 1)
    assert hidden != reply.body
    assert classify_page(hidden, BASE + path, dict(reply.headers).get("Content-Type")).kind == "article"


@pytest.mark.parametrize("url, kind", [
    ("http://x.gov.cn/", "home"), ("http://x.gov.cn/index.shtml", "home"), ("http://x.gov.cn/index.php", "home"),
    ("http://x.gov.cn/Article/ShowArticle.asp?ArticleID=3", "article"), ("http://x.gov.cn/info/1081/1045.htm", "article"),
    ("http://x.gov.cn/art/2022/2/16/art_1507_1045.html", "article"), ("http://x.gov.cn/shyj/202211/t20221115_1045.html", "article"),
    ("http://x.gov.cn/shyj/index_1.shtml", None), ("http://x.gov.cn/index.php?m=content&c=index&a=lists&catid=5", None),
    ("http://x.gov.cn/Article/shyj/List_5_2.html", None), ("http://x.gov.cn/a/shenyiyijian/list_5_2.html", None),
])
def test_the_url_alone_says_home_or_article(url, kind):
    assert classify_url(url) == kind


def test_an_article_url_is_refused_before_anything_is_fetched(tmp_path, npc_archive):
    site = Site(markup="vsb")
    with ReplicaServer(site) as server:
        url = server.base_url + site.article_path(site.opinions()[0])
        result = npc_archive("crawl", "--db", str(tmp_path / "a.db"), "--start-url", url, check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().count("\n") == 0 and "is an article page" in result.stderr and "discover" in result.stderr
    assert not (tmp_path / "a.db").exists()


def test_another_column_is_refused_with_the_column_to_start_from(tmp_path, npc_archive, query):
    site = Site(markup="dedecms")
    with ReplicaServer(site) as server:
        result = npc_archive("crawl", "--db", str(tmp_path / "a.db"), "--start-url",
                             server.base_url + site.family.list_path("工作动态", 1), check=False)
        start = server.start_url
    assert result.returncode == 2 and "Traceback" not in result.stderr
    # The crawl had to fetch the page to see that: it made the (empty) archive, and said so.
    assert result.stderr.strip() == (f"npc-archive: creating new archive {tmp_path / 'a.db'}\n"
                                     f"npc-archive: --start-url {start.rsplit('/a/', 1)[0]}/a/gongzuodongtai/ is the list of "
                                     f"another column (工作动态), not the 审议意见 column's first list page: try --start-url {start}")
    assert query(tmp_path / "a.db", "SELECT count(*) FROM documents") == [(0,)]


@pytest.mark.parametrize("markup", sorted(FAMILIES))
def test_discover_finds_the_column_and_the_family_from_the_home_page(markup, npc_archive):
    with ReplicaServer(Site(markup=markup)) as server:
        result = npc_archive("discover", server.base_url + "/", check=False)
        starts = first_pages(server.base_url, server.site.start_path)
    column, family = result.stdout.splitlines()[:2]
    assert result.returncode == 0 and column.removeprefix("审议意见: ") in starts and family == f"CMS family: {markup}"


@pytest.mark.parametrize("home_url, problem", [
    ("notaurl", "not an http(s) address: 'notaurl'"),
    ("", "the home URL is empty"),
    ("file:///etc/passwd", "not an http(s) address: 'file:///etc/passwd'"),
])
def test_discover_refuses_what_is_no_web_address_before_fetching_anything(cli, home_url, problem):
    result = cli("discover", home_url, check=False)
    assert result.returncode == 2 and problem in result.output and result.exception.__class__ is SystemExit


@dataclass
class RobotsSite(Site):
    """The replica whose robots.txt answers ``status`` with ``rules``."""

    status: int = 200
    rules: str = ""

    def handle(self, target: str, accept_encoding: str = "") -> Reply:
        if target == "/robots.txt":
            return Reply(self.status, [("Content-Type", "text/plain")], self.rules.encode())
        return super().handle(target, accept_encoding)


@pytest.mark.parametrize("status, rules, found", [
    (200, "User-agent: *\nDisallow: /\n", False),
    (200, "User-agent: *\nDisallow: /private/\n", True),
    (404, "", True),
    (500, "", True),  # a robots.txt the server fails to give forbids nothing, as in the crawl
    (403, "", False),
])
def test_discover_asks_the_sites_robots_txt_first(status, rules, found, cli):
    with ReplicaServer(RobotsSite(markup="kesion", status=status, rules=rules)) as server:
        result = cli("discover", server.base_url + "/", check=False)
        asked = [path for path, _ in server.sent]
    assert asked[0] == "/robots.txt"
    if found:
        assert result.returncode == 0 and "CMS family: kesion" in result.output
    else:
        assert result.returncode == 1 and "robots.txt of the site disallows" in result.output and asked == ["/robots.txt"]


def test_discover_gives_up_on_a_site_that_never_answers(monkeypatch):
    monkeypatch.setattr(discovering, "DOWNLOAD_TIMEOUT", 0.5)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # takes the connections, never answers: robots.txt and the home page time out
        started = time.monotonic()
        with pytest.raises(discovering.NotDiscovered, match="timed out"):
            discovering.discover_site(f"http://127.0.0.1:{silent.getsockname()[1]}/")
    assert time.monotonic() - started < 10


@dataclass
class NestedSite(Site):
    """The replica whose home page links 监督工作, whose page links the column: its home page does not."""

    def handle(self, target: str, accept_encoding: str = "") -> Reply:
        if target == "/jdgz/":
            links = f'<a href="/zfjc/">执法检查</a> <a href="{self.start_path}">{COLUMN}</a>'
            return Reply(200, [("Content-Type", "text/html; charset=utf-8")],
                         f"<html><head><title>监督工作</title></head><body><h2>监督工作</h2>{links}</body></html>".encode())
        reply = super().handle(target, accept_encoding)
        if target != "/":
            return reply
        home = re.sub(rf"<a [^>]*>{COLUMN}</a>", '<a href="/jdgz/">监督工作</a>', reply.body.decode("utf-8"))
        return Reply(reply.status, reply.headers, home.encode("utf-8"))


def test_discover_finds_a_column_its_home_page_links_only_through_a_parent_column(npc_archive):
    with ReplicaServer(NestedSite(markup="trs")) as server:
        result = npc_archive("discover", server.base_url + "/", check=False)
        asked = [path for path, _ in server.sent]
        start = server.start_url
    assert result.returncode == 0 and result.stdout.splitlines()[0] == f"{COLUMN}: {start}", result.stderr
    assert asked == ["/robots.txt", "/", "/jdgz/"]  # robots.txt is asked once a host


def test_discover_says_where_it_looked_when_no_page_names_the_column(npc_archive):
    with ReplicaServer(NestedSite(markup="trs")) as server:
        result = npc_archive("discover", server.base_url + "/", "--column", "视察调研", check=False)
        asked = [path for path, _ in server.sent]
    assert asked == ["/robots.txt", "/", "/jdgz/"]  # the parent's page links no column of that name either
    assert result.returncode == 1 and "no link named 视察调研 on" in result.stderr and "nor on the pages of 监督工作" in result.stderr


@dataclass
class QualifiedColumnSite(Site):
    """The replica whose column is named by whose it is, 常委会审议意见, on its menus, trails and titles."""

    def handle(self, target: str, accept_encoding: str = "") -> Reply:
        reply = super().handle(target)  # uncompressed, to be rewritten
        if not dict(reply.headers).get("Content-Type", "").startswith("text/html"):
            return reply
        page = reply.body.decode("utf-8")
        page = re.sub(rf"(>\s*|<title>|title=\"){COLUMN}(?=\s*<|_|\")", rf"\g<1>常委会{COLUMN}", page)
        return Reply(reply.status, reply.headers, page.encode("utf-8"))


def test_a_column_named_by_whose_it_is_is_discovered_and_crawled_whole(tmp_path, npc_archive, crawl, query):
    db = tmp_path / "a.db"
    with ReplicaServer(QualifiedColumnSite(markup="trs")) as server:
        assert f"常委会{COLUMN}</a>" in server.site.handle("/").body.decode("utf-8")
        found = npc_archive("discover", server.base_url + "/", check=False)
        result = crawl(db, server, check=False)
        base, start = server.base_url, server.start_url
    assert found.returncode == 0, found.stderr
    assert found.stdout.splitlines()[0].removeprefix(f"{COLUMN}: ") in first_pages(base, start.removeprefix(base))
    assert result.returncode == 0, result.stderr
    assert query(db, "SELECT count(*), count(DISTINCT column_name) FROM documents") == [(45, 1)]
    assert query(db, "SELECT column_name FROM documents LIMIT 1") == [(f"常委会{COLUMN}",)]
    assert query(db, "SELECT count(*) FROM failures") == [(0,)]


@pytest.mark.parametrize("name, names", [
    ("审议意见", True), ("常委会审议意见", True), ("椒江区人大常委会审议意见", True), ("审议意见书", True), ("人大审议意见选登", True),
    ("2023年审议意见", True), ("第十七届审议意见", True), ("十七届人大常委会审议意见", True),  # of a year, of a term
    ("审议意见落实情况", False), ("审议意见办理", False), ("2023年审议意见落实情况", False),  # the government's reports on them
    ("代表建议", False), ("", False),
])
def test_a_column_name_qualified_by_whose_it_is_or_what_it_holds_names_the_column(name, names):
    assert names_column(name) is names


@dataclass
class ReportsColumnSite(Site):
    """The replica whose home page links the government's reports as 审议意见落实情况, not 监督工作."""

    def handle(self, target: str, accept_encoding: str = "") -> Reply:
        reply = super().handle(target)
        if target != "/":
            return reply
        home = reply.body.decode("gb18030").replace(">监督工作</a>", ">审议意见落实情况</a>")
        return Reply(reply.status, reply.headers, home.encode("gb18030"))


def test_discover_finds_the_reports_in_a_column_of_their_own():
    with ReplicaServer(ReportsColumnSite()) as server:
        assert "审议意见落实情况" in server.site.handle("/").body.decode("gb18030")
        columns, _ = discovering.discover_site(server.base_url + "/")
        reports = server.base_url + server.site.column_path("监督工作")
    assert columns == [{"kind": "opinions", "url": server.start_url}, {"kind": "reports", "url": reports},
                       {"kind": "news", "url": server.base_url + server.site.column_path("工作动态")}]


SPLASHES = {
    "refresh": '<html><head><meta http-equiv="refresh" content="0; url=/main.html"></head><body></body></html>',
    "script": '<html><head><script>window.location.href = "/main.html";</script></head><body>页面跳转中……</body></html>',
    "frameset": '<html><frameset rows="120,*"><frame src="/banner.html" name="top"><frame src="/main.html" name="main"></frameset></html>',
    "enter": '<html><body><a href="/main.html"><img src="/splash.jpg"></a><p><a href="/main.html">进入网站</a></p></body></html>',
}


@dataclass
class SplashSite(Site):
    """The replica whose home page is at /main.html: / sends the reader there (SPLASHES)."""

    splash: str = "refresh"

    def handle(self, target: str, accept_encoding: str = "") -> Reply:
        if target in ("/", "/banner.html"):
            page = SPLASHES[self.splash] if target == "/" else "<html><body><img src='/logo.gif'></body></html>"
            return Reply(200, [("Content-Type", "text/html; charset=utf-8")], page.encode())
        return super().handle("/" if target == "/main.html" else target, accept_encoding)


@pytest.mark.parametrize("splash", sorted(SPLASHES))
def test_discover_follows_a_home_page_that_sends_its_reader_on(splash, npc_archive):
    with ReplicaServer(SplashSite(markup="hanweb-platform", splash=splash)) as server:
        result = npc_archive("discover", server.base_url + "/", check=False)
        starts = first_pages(server.base_url, server.site.start_path)
        asked = [path for path, _ in server.sent]
    column, family = result.stdout.splitlines()[:2]
    assert result.returncode == 0 and column.removeprefix(f"{COLUMN}: ") in starts and family == "CMS family: hanweb-platform"
    assert "/main.html" in asked and asked.count("/robots.txt") == 1


@pytest.mark.parametrize("menu_link", [
    """<a href="javascript:void(0);" onclick="window.open('{url}')">{column}</a>""",  # a menu that opens by its click's script
    """<a href="{url}"><img src="/images/menu_04.gif" alt="{column}"></a>""",  # a menu of images
    """<a href="{url}">·{column}</a>""", """<a href="{url}">◆ {column}&gt;&gt;</a>""",  # marks around the name
])
@pytest.mark.parametrize("markup", ["kesion", "dedecms"])
def test_the_column_is_found_behind_a_menu_link_by_script_image_or_marks(markup, menu_link):
    site = Site(markup=markup)
    reply = site.handle("/")
    text, codec = decode_html(reply.body, dict(reply.headers).get("Content-Type"))
    links = re.compile(rf"""<a [^>]*href=['"]([^'"]+)['"][^>]*>(?:<span>)?{COLUMN}(?:</span>)?</a>""")
    assert links.search(text)
    home = links.sub(lambda match: menu_link.format(url=match[1], column=COLUMN), text)
    kind = classify_page(home.encode(codec), BASE + "/", dict(reply.headers).get("Content-Type"))
    assert kind.kind == "home" and kind.column_url in first_pages(BASE, site.start_path)


@dataclass
class AlwaysGzipSite(Site):
    """The replica as a server that compresses every page, asked to or not (a misconfigured IIS)."""

    def handle(self, target: str, accept_encoding: str = "") -> Reply:
        return super().handle(target, "gzip")


def test_discover_reads_a_home_page_compressed_unasked(npc_archive):
    with ReplicaServer(AlwaysGzipSite(markup="vsb")) as server:
        result = npc_archive("discover", server.base_url + "/", check=False)
        starts = first_pages(server.base_url, server.site.start_path)
        robots = discovering.site_robots(server.base_url + "/")  # compressed too: its rules are read
        admin = server.base_url + "/admin/"
    assert not robots.can_fetch(discovering.USER_AGENT, admin)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].removeprefix(f"{COLUMN}: ") in starts


@pytest.mark.parametrize("box", [
    '<div class="box"><h3>{column}</h3><a href="{url}">更多&gt;&gt;</a></div>',
    '<div class="box"><div class="title"><span class="more"><a href="{url}">MORE+</a></span><b>{column}</b></div></div>',
    '<div class="box"><div class="title">{column}<a href="{url}">[更多]</a></div></div>',
])
def test_the_column_is_found_by_the_more_link_of_the_box_its_heading_names(box):
    # The home page's menu does not link it; a box of its latest opinions does, as 更多 beside its heading.
    site = Site(markup="kesion")
    reply = site.handle("/")
    text, codec = decode_html(reply.body, dict(reply.headers).get("Content-Type"))
    links = re.compile(rf"""<a [^>]*href=['"]([^'"]+)['"][^>]*>{COLUMN}</a>""")
    url = links.search(text)[1]
    home = links.sub("", text).replace("<body>", "<body>" + box.format(url=url, column=COLUMN), 1)
    kind = classify_page(home.encode(codec), BASE + "/", dict(reply.headers).get("Content-Type"))
    assert kind.kind == "home" and kind.column_url in first_pages(BASE, site.start_path)


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory) -> ssl.SSLContext:
    """A server context whose certificate no one signed, for 127.0.0.1, as a county site's may be."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=400))
                   .not_valid_after(now - datetime.timedelta(days=30))  # and expired a month ago
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
                   .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


def test_a_site_with_a_certificate_no_one_vouches_for_is_discovered_and_crawled(self_signed, npc_archive, crawl, query, tmp_path):
    # As the crawl (Scrapy) reads https, discover does: an expired or self-signed certificate is
    # common on county sites, and their pages are public.
    with ReplicaServer(Site(markup="vsb"), tls=self_signed) as server:
        found = npc_archive("discover", server.base_url + "/", check=False)
        result = crawl(tmp_path / "archive.db", server, check=False)
        starts = first_pages(server.base_url, server.site.start_path)
    assert server.base_url.startswith("https://")
    assert found.returncode == 0 and found.stdout.splitlines()[0].removeprefix(f"{COLUMN}: ") in starts, found.stderr
    assert result.returncode == 0, result.stderr
    assert query(tmp_path / "archive.db", "SELECT count(*) FROM documents") == [(45,)]


def test_discover_names_the_other_columns_and_a_crawl_of_them_all(npc_archive, tmp_path):
    with ReplicaServer(Site()) as server:
        result = npc_archive("discover", server.base_url + "/", check=False)
        reports, news = (server.base_url + server.site.column_path(name) for name in ("监督工作", "工作动态"))
        lines = result.stdout.splitlines()
        command = lines[-1].removeprefix("Crawl it: npc-archive crawl ")
        crawled = npc_archive("crawl", "--db", str(tmp_path / "a.db"), *shlex.split(command), check=False)
    assert lines[2] == f"Its other columns: reports {reports}, news {news}"
    assert command == f"--start-url '{server.start_url}' --column reports='{reports}' --column news='{news}'"
    assert crawled.returncode == 0 and "87 new" in crawled.stdout  # the 45 opinions, 38 reports and 4 news items


@dataclass
class RedirectingSplash(Site):
    """A splash page on a host of its own that sends its reader to ``to``, the site's home on another."""

    to: str = ""

    def handle(self, target: str, accept_encoding: str = "") -> Reply:
        if target == "/":
            page = f'<html><head><meta http-equiv="refresh" content="0; url={self.to}"></head><body></body></html>'
            return Reply(200, [("Content-Type", "text/html; charset=utf-8")], page.encode())
        return super().handle(target, accept_encoding)


def test_a_splash_page_that_sends_to_another_host_has_that_hosts_robots_txt_asked_once(npc_archive):
    with ReplicaServer(Site(markup="trs"), host="127.0.0.2") as site, ReplicaServer(RedirectingSplash(to=site.base_url + "/")) as splash:
        result = npc_archive("discover", splash.base_url + "/", check=False)
        starts = first_pages(site.base_url, site.site.start_path)
        asked = [path for path, _ in site.sent]
    assert result.returncode == 0 and result.stdout.splitlines()[0].removeprefix(f"{COLUMN}: ") in starts, result.stderr
    assert asked.count("/robots.txt") == 1


@dataclass
class FalseGzipSite(Site):
    """A home page that its Content-Encoding calls gzip and is not."""

    def handle(self, target: str, accept_encoding: str = "") -> Reply:
        if target == "/":
            return Reply(200, [("Content-Type", "text/html"), ("Content-Encoding", "gzip")], b"<html>not gzip</html>")
        return super().handle(target, accept_encoding)


def test_a_body_that_is_not_what_its_content_encoding_says_is_one_line_and_exit_1(npc_archive):
    with ReplicaServer(FalseGzipSite()) as server:
        result = npc_archive("discover", server.base_url + "/", check=False)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.startswith("npc-archive: cannot read ") and "its gzip body cannot be read" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
