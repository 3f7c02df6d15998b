"""The replica's CMS-family markups (replica/families), served on 127.0.0.1: list pages, article
pages, view counters and Hanweb's POST proxy, each family's encoding and headers, removals and
pages past the last, and the ground truth (replica.truth.family_truth) against what is served.

These tests read the pages the way the replica writes them (its own URL scheme), to check the
replica; they are not a parser of the families."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import urllib.error
import urllib.request
from urllib.parse import urlencode, urljoin, urlsplit

import pytest

from parsers.requisites import page_requisites, stylesheet_requisites
from replica.families import FAMILIES
from replica.render import COLUMN
from replica.reply import codec
from replica.server import ReplicaServer
from replica.site import Site
from replica.truth import expected_paragraphs, family_truth, other_paths

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback never goes through a proxy

# Per family: the web server it names, the Content-Type of its article pages, the session cookie of
# its dynamic pages (None: static files), what a removed article answers, and a page past the last.
HEADERS = {
    "powereasy": ("Microsoft-IIS/6.0", "text/html; Charset=gb2312", "ASPSESSIONID"),
    "powereasy-static": ("Microsoft-IIS/6.0", "text/html", None),
    "kesion": ("Microsoft-IIS/7.5", "text/html; Charset=utf-8", "ASPSESSIONID"),
    "trs": ("Apache", "text/html; charset=utf-8", None),
    "hanweb": ("Apache-Coyote/1.1", "text/html; charset=UTF-8", None),
    "hanweb-platform": ("nginx", "text/html; charset=UTF-8", None),
    "vsb": ("VWebServer", "text/html", None),
    "phpcms": ("Apache/2.2.22 (Win32) PHP/5.2.17", "text/html; charset=gbk", "PHPSESSID"),
    "dedecms": ("Apache/2.4.23 (Win32) OpenSSL/1.0.2j PHP/5.6.40", "text/html", None),
}
REMOVED = {  # status, a text of the answer (after redirects)
    "powereasy": (200, "你要找的文章不存在，或者已经被管理员删除！"),
    "powereasy-static": (404, "无法找到该页"),
    "kesion": (200, "alert('对不起，您要查看的信息已删除或不存在！');history.back();"),
    "trs": (404, "Not Found"),
    "hanweb": (404, "抱歉，您访问的页面不存在或已被删除！"),
    "hanweb-platform": (200, "抱歉，您访问的页面不存在"),  # after a 302 to /404.html
    "vsb": (404, "404 Not Found"),
    "phpcms": (200, "抱歉，您要访问的信息不存在！"),
    "dedecms": (404, "Not Found"),
}
COUNT = re.compile(r"""document\.write\(['"](\d+)['"]\);|\$\('#hits'\)\.html\('(\d+)'\);|^(\d+)$""")


def counter_path(family, article) -> str | None:
    """The counter script an article page of the family loads, None where the page itself counts
    (PowerEasy's ShowArticle.asp) or shows no count (TRS)."""
    if family.name == "hanweb-platform":
        return "/module/visitcount/articlehits.jsp?colid=1311043&artid=" + family.hit_id(article)
    return {
        "powereasy-static": f"/Article/GetHits.asp?ArticleID={article.id}",
        "kesion": f"/item/GetHits.asp?Action=Count&GetFlag=0&m=1&ID={article.id}",
        "hanweb": f"/module/visitcount/articlehits.jsp?colid=1507&artid={article.id}",
        "vsb": f"/system/resource/code/news/click/dynclicks.jsp?clickid={article.id}&owner=1412614994&clicktype=wbnews",
        "phpcms": f"/api.php?op=count&id={article.id}&modelid=1",
        "dedecms": f"/plus/count.php?view=yes&aid={article.id}&mid=1",
    }.get(family.name)


def get(server: ReplicaServer, path: str, data: bytes | None = None):
    """(status, headers, body, final URL) of a request to the replica; errors are answers too."""
    request = urllib.request.Request(server.base_url + path, data=data)
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, response.headers, response.read(), response.url
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read(), error.url


def text_of(family, body: bytes) -> str:
    return body.decode(codec(family.charset))  # strict: a byte the declared charset cannot read fails


def article_links(site: Site, page_url: str, text: str) -> list[str]:
    """Paths of the site's articles a page links (hrefs resolved against the page, in order)."""
    known = {site.article_path(a) for a in site.articles}
    hrefs = [html.unescape(h) for h in re.findall(r"""href=['"]([^'"]+)['"]""", text)]
    paths = []
    for href in hrefs:
        parts = urlsplit(urljoin(page_url, href))
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path in known:
            paths.append(path)
    return paths


def list_pages(server: ReplicaServer) -> list[set[str]]:
    """The opinions each list page links, page after page, as the family pages its list: by its
    own list URLs, or for Hanweb by the column page's datastore and then dataproxy.jsp POSTs.
    (Side lists of the most read opinions link opinions too: pages are compared as sets.)"""
    site, family = server.site, server.site.family
    opinions = {site.article_path(a) for a in site.opinions()}
    found: list[set[str]] = []
    if family.name.startswith("hanweb"):
        status, _, body, url = get(server, family.start_path)
        text = text_of(family, body)
        store = re.search(r'<script type="text/xml"><datastore>(.*?)</datastore></script>', text, re.S).group(1)
        found.append(set(article_links(site, url, store)) & opinions)
        total = int(re.search(r"totalRecord:(\d+)", text).group(1))
        per_page = int(re.search(r"perPage:(\d+)", text).group(1))
        group = per_page * int(re.search(r"groupSize:(\d+)", text).group(1))
        form = family.ajax_param(COLUMN)
        for start in range(group + 1, total + 1, group):
            query = urlencode({"startrecord": start, "endrecord": start + group - 1, "perpage": per_page})
            _, _, answer, _ = get(server, f"/module/web/jpage/dataproxy.jsp?{query}", urlencode(form).encode())
            found.append(set(article_links(site, url, answer.decode("utf-8"))) & opinions)
        return found
    for page in range(1, family.pages(site.opinions()) + 1):
        path = family.list_path(COLUMN, page)
        status, _, body, url = get(server, path)
        assert status == 200, path
        found.append(set(article_links(site, url, text_of(family, body))) & opinions)
    return found


def listed(server: ReplicaServer) -> set[str]:
    return set().union(*list_pages(server))


@pytest.fixture(params=sorted(FAMILIES))
def served(request):
    with ReplicaServer(Site(markup=request.param)) as server:
        yield server


def test_every_opinion_is_listed_page_after_page(served):
    site, family = served.site, served.site.family
    pages = list_pages(served)
    size = family.page_size * getattr(family, "group_size", 1)
    opinions = [site.article_path(a) for a in site.opinions()]
    assert len(pages) == -(-45 // size)
    for number, links in enumerate(pages):
        assert set(opinions[number * size:(number + 1) * size]) <= links  # newest first, page by page
    assert set().union(*pages) == set(opinions)


def test_list_pages_also_link_pages_that_are_no_opinions(served):
    """Side lists and breadcrumbs of other columns stand beside the entries, so a parser that
    takes every link of a list page is caught."""
    _, _, body, url = get(served, served.site.start_path)
    text = text_of(served.site.family, body)
    others = set(other_paths(served.site))
    assert others & set(article_links(served.site, url, text))
    first = served.site.family.list_path(COLUMN, 1)
    column = {first, first.rsplit("/", 1)[0] + "/"}  # the breadcrumb's column link (TRS links the folder)
    assert any(urlsplit(urljoin(url, html.unescape(h)))._replace(scheme="", netloc="").geturl() in column
               for h in re.findall(r"""href=['"]([^'"]+)['"]""", text))


def test_pages_carry_the_family_encoding_and_headers(served):
    family = served.site.family
    server_name, content_type, cookie = HEADERS[family.name]
    article = served.site.opinions()[0]
    for path in (family.start_path, served.site.article_path(article)):
        status, headers, body, _ = get(served, path)
        assert status == 200
        assert headers["Server"] == server_name
        assert headers["Content-Type"] == content_type
        assert (cookie in (headers.get("Set-Cookie") or "")) if cookie else headers.get("Set-Cookie") is None
        text = text_of(family, body)
        declared = re.search(r"""charset=["']?([\w-]+)""", text[:600], re.I).group(1)
        assert declared.lower() == family.charset.lower()
    if family.charset != "utf-8":
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")


def test_article_pages_show_the_truth(served):
    site, family = served.site, served.site.family
    for article in site.opinions()[:6] + [a for a in site.opinions() if a.attachments or a.images]:
        status, _, body, _ = get(served, site.article_path(article))
        page = text_of(family, body)
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        assert status == 200 and article.title in text and article.source in text
        assert family.shown_time(article) in text or family.name.startswith("powereasy")
        position = 0
        for paragraph in expected_paragraphs(article):
            position = text.index(paragraph, position) + len(paragraph)  # every paragraph, in order
        for url, _ in family.attachments(article) + family.images(article):
            assert url.rsplit("/", 1)[1] in page


@pytest.mark.parametrize("markup", sorted(FAMILIES))
def test_ground_truth_holds_the_count_the_page_or_counter_showed(markup):
    with ReplicaServer(Site(markup=markup)) as server:
        site, family = server.site, server.site.family
        article = site.opinions()[3]
        before = site.views[article.id]
        _, _, body, _ = get(server, site.article_path(article))
        page = html.unescape(text_of(family, body))
        counter = counter_path(family, article)
        if counter is None:
            shown = re.search(r"点击数：(\d+)", page)
            written = int(shown.group(1)) if shown else None
        else:
            # VSB's page calls _showDynClicks, whose script (dynclicks.js) builds the counter URL;
            # the Hanweb platform's inline $.ajax passes the counter its parameters.
            reference = counter
            if markup == "vsb":
                reference = f'_showDynClicks("wbnews", 1412614994, {article.id})'
            elif markup == "hanweb-platform":
                reference = f'url:"/module/visitcount/articlehits.jsp",data:{{colid:1311043,artid:"{family.hit_id(article)}"}}'
            assert reference in page
            _, _, script, _ = get(server, counter)
            written = int(next(g for g in COUNT.search(script.decode("ascii").strip()).groups() if g))
        truth = next(r for r in family_truth(site) if r["path"] == site.article_path(article))
        assert truth["view_count"] == written
        if family.has_view_count:
            assert site.views[article.id] == before + 1  # the fetch that showed the count counted a view
            assert written == (before if family.counter_shows_count_before_this_view else before + 1)
            assert truth["view_count_includes_own_fetch"] is not family.counter_shows_count_before_this_view
        else:
            assert written is None and "次数" not in page


def test_truth_exposes_the_precision_of_the_shown_time():
    shown = {markup: family_truth(Site(markup=markup))[0] for markup in FAMILIES}
    assert {m: (t["published_precision"], t["published_at"]) for m, t in shown.items()} == {
        "powereasy": ("second", "2022-11-15T17:21:10+08:00"), "powereasy-static": ("second", "2022-11-15T17:21:10+08:00"),
        "kesion": ("second", "2022-11-15T17:21:10+08:00"), "trs": ("minute", "2022-11-15T17:21+08:00"),
        "hanweb": ("day", "2022-11-15"), "hanweb-platform": ("minute", "2022-11-15T17:21+08:00"),
        "vsb": ("day", "2022-11-15"), "phpcms": ("second", "2022-11-15T17:21:10+08:00"),
        "dedecms": ("minute", "2022-11-15T17:21+08:00"),
    }


def test_powereasy_writes_asp_times_without_leading_zeros():
    site = Site(markup="powereasy")
    article = next(a for a in site.opinions() if a.published.startswith("2012-05-23"))
    page = site.handle(site.article_path(article)).body.decode("gbk")
    assert "更新时间：2012-5-23 8:58:20" in page


def test_a_removed_opinion_answers_as_its_cms_does(served):
    site, family = served.site, served.site.family
    gone = site.opinions()[1]
    site.remove_opinion(gone.id)
    status, _, body, url = get(served, site.article_path(gone))
    expected_status, words = REMOVED[family.name]
    assert status == expected_status
    assert words in text_of(family, body) if body else words == ""
    if family.name == "hanweb-platform":
        assert url.endswith("/404.html")
    assert site.article_path(gone) not in listed(served)
    site.remove_opinion(gone.id, 410)
    assert get(served, site.article_path(gone))[0] == 410


STYLESHEET = re.compile(r"""<link\b[^>]*\brel=['"]stylesheet['"][^>]*>""", re.I)


def shown_pages(served) -> list[tuple[bytes, str]]:
    """(body, URL) of a home, a list, an article and a removal page of the family."""
    site, family = served.site, served.site.family
    gone = site.opinions()[1]
    site.remove_opinion(gone.id)
    return [get(served, path)[2:] for path in ("/", family.start_path, site.article_path(site.opinions()[0]),
                                               site.article_path(gone))]


def test_the_stylesheets_pages_link_are_served_as_css(served):
    """Every stylesheet a home, list, article or removal page links answers 200 text/css (a page
    replays with its look), and names no image or import the replica lacks."""
    family = served.site.family
    linked = set()
    for body, url in shown_pages(served):
        for tag in STYLESHEET.findall(text_of(family, body)):
            href = html.unescape(re.search(r"""\bhref=['"]([^'"]+)['"]""", tag).group(1))
            linked.add(urlsplit(urljoin(url, href)).path)
    assert linked == set(family.stylesheets)  # also: the family serves none its pages do not link
    for path in linked:
        status, headers, body, url = get(served, path)
        assert (status, headers["Content-Type"]) == (200, "text/css"), path
        assert "{" in body.decode("ascii") and stylesheet_requisites(body, url) == []


IMAGE_MAGIC = {"image/gif": b"GIF8", "image/jpeg": b"\xff\xd8\xff", "image/png": b"\x89PNG\r\n\x1a\n"}


def test_the_images_pages_show_are_served_as_images(served):
    """The template's logos and icons, and the body's images, answer 200 with the image type
    their bytes are: a page replays whole, and a crawl fetching them as requisites meets no 404."""
    family = served.site.family
    shown = set()
    for body, url in shown_pages(served):
        shown.update(requisite for requisite in page_requisites(body, url) if not requisite.endswith(".css"))
    assert set(family.template_images) <= {urlsplit(url).path for url in shown}
    for url in shown:
        status, headers, body, _ = get(served, url.removeprefix(served.base_url))
        assert status == 200 and body.startswith(IMAGE_MAGIC[headers["Content-Type"]]), url


def test_a_page_past_the_last(served):
    """Dynamic lists repeat the last page (PowerEasy, Kesion) or list nothing (PHPCMS); generated
    list files past the last do not exist; Hanweb's proxy answers an empty recordset."""
    site, family = served.site, served.site.family
    pages = family.pages(site.opinions())
    if family.name.startswith("hanweb"):
        query = urlencode({"startrecord": 46, "endrecord": 90, "perpage": family.page_size})
        _, _, answer, _ = get(served, f"/module/web/jpage/dataproxy.jsp?{query}", urlencode(family.ajax_param(COLUMN)).encode())
        assert b"<totalrecord>45</totalrecord>" in answer and b"<record>" not in answer
        return
    past = {
        "powereasy": f"/Article/ShowClass.asp?ClassID=5&page={pages + 5}",
        "kesion": f"/item/list.asp?id=5&page={pages + 5}",
        "phpcms": f"/index.php?m=content&c=index&a=lists&catid=5&page={pages + 5}",
        "powereasy-static": "/Article/shyj/List_5_0.html", "trs": f"/shyj/index_{pages}.shtml",
        "vsb": f"/shyj/{pages}.htm", "dedecms": f"/a/shenyiyijian/list_5_{pages + 1}.html",
    }[family.name]
    status, _, body, url = get(served, past)
    if family.name in ("powereasy", "kesion"):
        last = family.list_path(COLUMN, pages)
        assert status == 200 and body == get(served, last)[2]
    elif family.name == "phpcms":
        assert status == 200 and '<ul class="list lh24 f14"></ul>' in text_of(family, body)
    else:
        assert status == 404


def test_static_lists_are_numbered_from_the_oldest_page():
    for markup, first, second, last in (("powereasy-static", "/Article/shyj/List_5.html", "/Article/shyj/List_5_2.html", "/Article/shyj/List_5_1.html"),
                                        ("vsb", "/shyj.htm", "/shyj/2.htm", "/shyj/1.htm")):
        family = Site(markup=markup).family
        assert [family.list_path(COLUMN, page) for page in (1, 2, 3)] == [first, second, last]


def test_trs_pages_its_list_only_in_a_script():
    site = Site(markup="trs")
    first = site.handle("/shyj/index.shtml").body.decode("utf-8")
    assert 'createPageHTML(3, 0, "index", "shtml");' in first
    assert "index_1.shtml" not in first  # no pager link but the one the script writes
    assert 'createPageHTML(3, 2, "index", "shtml");' in site.handle("/shyj/index_2.shtml").body.decode("utf-8")
    script = site.handle("/js/createPageHTML.js").body.decode("utf-8")
    assert '_sPageName+"_" + (nCurrIndex+1)' in script
    article = site.handle(site.article_path(site.opinions()[0])).body.decode("utf-8")
    assert '<div class="TRS_Editor"><style type="text/css">' in article and "var countPage = 1//共多少页" in article


@pytest.mark.parametrize("markup", ["hanweb", "hanweb-platform"])
def test_hanweb_pages_its_list_by_post_to_dataproxy(markup):
    site = Site(markup=markup)
    family = site.family
    column_page = site.handle(family.start_path).body.decode("utf-8")
    first_group = family.page_size * family.group_size
    assert column_page.count("<record><![CDATA[") == first_group < 45
    assert "<nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?page=1&" in column_page
    form = urlencode(family.ajax_param(COLUMN)).encode()
    query = f"startrecord={first_group + 1}&endrecord={2 * first_group}&perpage={family.page_size}"
    answer = site.handle(f"/module/web/jpage/dataproxy.jsp?{query}", method="POST", body=form)
    xml = answer.body.decode("utf-8")
    assert dict(answer.headers)["Content-Type"] == "text/xml;charset=UTF-8" and "JSESSIONID=" in dict(answer.headers)["Set-Cookie"]
    assert "<totalrecord>45</totalrecord>" in xml and xml.count("<record>") == first_group
    assert site.article_path(site.opinions()[first_group]) in xml
    wrong_unit = urlencode({**family.ajax_param(COLUMN), "unitid": 1}).encode()
    assert "<record>" not in site.handle(f"/module/web/jpage/dataproxy.jsp?{query}", method="POST", body=wrong_unit).body.decode()


def test_phpcms_counter_writes_the_count_read_before_this_view():
    site = Site(markup="phpcms")
    article = site.opinions()[0]
    before = site.views[article.id]
    script = site.handle(f"/api.php?op=count&id={article.id}&modelid=1").body.decode("ascii")
    assert script.startswith("$('#todaydowns').html(") and script.endswith(f"$('#hits').html('{before}');")
    assert site.views[article.id] == before + 1


def test_dedecms_pager_opens_with_its_totals():
    site = Site(markup="dedecms")
    text = site.handle("/a/shenyiyijian/list_5_2.html").body.decode("gbk")
    assert '<li><span class="pageinfo">共 <strong>3</strong>页<strong>45</strong>条</span></li>' in text
    assert '<li class="thisclass">2</li>' in text
    article = site.handle(site.article_path(site.opinions()[0])).body.decode("gbk")
    assert "(责任编辑：admin)</td>" in article and "------分隔线----------------------------" in article


def test_npc_replica_serves_a_family_markup():
    process = subprocess.Popen([sys.executable, "-m", "replica.server", "--port", "0", "--markup", "vsb"],
                               stdout=subprocess.PIPE, text=True)
    try:
        line = process.stdout.readline()
        column = re.search(r"column: (\S+)\)", line).group(1)
        assert column.endswith("/shyj.htm")
        with OPENER.open(column, timeout=10) as response:
            assert response.headers["Server"] == "VWebServer" and "共45条" in response.read().decode("utf-8")
    finally:
        process.terminate()
        process.wait(timeout=10)
