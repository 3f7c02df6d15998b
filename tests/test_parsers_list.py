"""List parser over the replica's column pages, in both markups."""

from __future__ import annotations

import base64
from urllib.parse import quote_plus

import pytest

from parsers import PageRequest, parse_list
from replica.site import Site
from tests.conftest import BASE, ReplicaPages


def list_page(pages, page):
    return parse_list(*pages.get(f"/list.asp?ClassID=5&page={page}" if page > 1 else "/list.asp?ClassID=5"))


def test_first_page_entries_and_next(pages):
    page = list_page(pages, 1)
    newest = pages.site.opinions()[:15]
    assert [entry.url for entry in page.entries] == [f"{pages.base}/ShowArticle.asp?ArticleID={a.id}" for a in newest]
    assert page.entries[0].published_at[:10] == newest[0].published[:10]
    assert page.next_url == f"{pages.base}/list.asp?ClassID=5&page=2"
    assert (page.page, page.total_pages) == (1, 3)


def test_following_next_links_reaches_every_opinion_once(pages):
    seen, url, walked = [], f"{pages.base}/list.asp?ClassID=5", 0
    while url:
        page = parse_list(*pages.get(url.removeprefix(pages.base)))
        seen += [entry.url for entry in page.entries]
        url, walked = page.next_url, walked + 1
    assert walked == 3
    assert sorted(seen) == sorted(f"{pages.base}/ShowArticle.asp?ArticleID={a.id}" for a in pages.site.opinions())


def test_cut_titles_are_flagged(table_site, table_pages):
    entries = [entry for n in (1, 2, 3) for entry in list_page(table_pages, n).entries]
    cut = [entry for entry in entries if entry.truncated]
    assert cut, "the replica cuts long titles in its lists"
    for entry in cut:
        full = next(a.title for a in table_site.opinions() if entry.url.endswith(f"={a.id}"))
        assert full.startswith(entry.title) and full != entry.title


def test_side_lists_are_not_entries(site, pages):
    other_columns = {a.id for a in site.articles if a.column != "审议意见"}
    for n in (1, 2, 3):
        assert not any(entry.url.endswith(f"={i}") for entry in list_page(pages, n).entries for i in other_columns)


def test_last_page_has_no_next(pages):
    page = list_page(pages, 3)
    assert page.next_url is None
    assert (page.page, page.total_pages) == (3, 3)


UNSEEN_LIST = """<html><head><meta charset="gbk"><title>审议意见</title></head><body>
<div class="crumb">当前位置：首页 &gt; 审议意见</div>
<div class="side"><h4>最新更新</h4><ul><li><a href="/news/9.html">区人大常委会召开主任会议</a> 2022-10-20</li></ul></div>
<ul class="news">
<li><span class="d">[2012-07-09]</span><a href="/a/1.html" title="关于我区城市管理行政执法工作情况的审议意见">关于我区城市管理行政执法工作..</a></li>
<li><span class="d">[2012-07-09]</span><a href="/a/2.html">关于我区文化工作情况的审议意见</a></li>
<li><span class="d">[2016-05-10]</span><a href="/a/3.html">关于我区学前教育工作情况的审议意见</a></li>
</ul>
<div class="page">第1页/共3页 <a href="/list_2.html"><img src="/img/next.gif" alt="下一页"></a> <a href="/list_3.html">尾页</a></div>
</body></html>"""


def test_list_page_in_a_markup_the_replica_does_not_have():
    page = parse_list(UNSEEN_LIST.encode("gbk"), "http://jjrd.example/list_1.html")
    assert [entry.url for entry in page.entries] == [f"http://jjrd.example/a/{n}.html" for n in (1, 2, 3)]
    assert page.entries[0].title == "关于我区城市管理行政执法工作情况的审议意见" and not page.entries[0].truncated
    assert page.entries[2].published_at == "2016-05-10"
    assert (page.page, page.total_pages, page.next_url) == (1, 3, "http://jjrd.example/list_2.html")


def numbered_list(pager: str, head: str = "") -> bytes:
    rows = "".join(f'<li><a href="a/{n}.html">关于我区第{n}项工作情况的审议意见</a> 2022-01-0{n}</li>' for n in (1, 2, 3))
    return (f'<html><head><meta charset="utf-8">{head}<title>审议意见</title></head><body>'
            f'<ul class="news">{rows}</ul><div class="page">{pager}</div></body></html>').encode("utf-8")


def test_current_page_shown_as_bare_text_between_links():
    body = numbered_list('<a href="?page=1">1</a> 2 <a href="?page=3">3</a> <a href="?page=4">4</a>')
    page = parse_list(body, "http://jjrd.example/col/list.asp?page=2")
    assert (page.page, page.next_url) == (2, "http://jjrd.example/col/list.asp?page=3")


def test_a_linked_number_is_not_the_current_page():
    body = numbered_list('<a href="?page=1">1</a> <a href="?page=2">2</a> <b>3</b> <a href="?page=4">4</a>')
    page = parse_list(body, "http://jjrd.example/col/list.asp?page=3")
    assert (page.page, page.next_url) == (3, "http://jjrd.example/col/list.asp?page=4")


def test_links_resolve_against_base_href():
    body = numbered_list('<a href="index_1.html">下一页</a>', head='<base href="/col/5/">')
    page = parse_list(body, "http://jjrd.example/list.asp?ClassID=5")
    assert [entry.url for entry in page.entries] == [f"http://jjrd.example/col/5/a/{n}.html" for n in (1, 2, 3)]
    assert page.next_url == "http://jjrd.example/col/5/index_1.html"


# Every CMS family's list pages (replica/families), read by the family's own idioms.

FAMILY_CLAIMS = {  # markup: (entries on page 1, total pages, total entries) as the first page says
    "powereasy": (20, 3, 45), "powereasy-static": (20, 3, 45), "kesion": (15, 3, 45), "trs": (15, 3, None),
    "hanweb": (20, 5, 45), "hanweb-platform": (12, 4, 45), "vsb": (20, 3, 45), "phpcms": (20, None, 45),
    "dedecms": (15, 3, 45),
}


@pytest.mark.parametrize("markup", sorted(FAMILY_CLAIMS))
def test_each_family_s_first_page_its_entries_and_what_it_says_of_the_column(markup):
    site = Site(markup=markup)
    body, url, content_type = ReplicaPages(site).get(site.family.start_path)
    page = parse_list(body, url, content_type)
    count, total_pages, total_entries = FAMILY_CLAIMS[markup]
    assert [entry.url for entry in page.entries] == [BASE + site.article_path(a) for a in site.opinions()[:count]]
    assert (page.page, page.total_pages, page.total_entries) == (1, total_pages, total_entries)
    assert page.next_requests and page.unreadable_pager is None
    assert all(entry.title == article.title for entry, article in zip(page.entries, site.opinions()) if not entry.truncated)


def test_trs_script_pager_with_the_page_s_own_variables_is_0_based():
    body = numbered_list('<script>var currentPage = 1;var countPage = 3;\n'
                         'createPageHTML(countPage, currentPage, "index", "shtml");</script>')
    page = parse_list(body, "http://jjrd.example/shyj/index_1.shtml")
    assert (page.page, page.total_pages, page.next_url) == (2, 3, "http://jjrd.example/shyj/index_2.shtml")
    last = parse_list(body.replace(b"currentPage = 1", b"currentPage = 2"), "http://jjrd.example/shyj/index_2.shtml")
    assert (last.page, last.next_requests) == (3, [])


def test_hanweb_datastore_names_its_later_groups_as_posts_with_the_jpage_form():
    site = Site(markup="hanweb")
    body, url, content_type = ReplicaPages(site).get(site.family.start_path)
    page = parse_list(body, url, content_type)
    assert [(r.method, r.url.removeprefix(BASE)) for r in page.next_requests] == [
        ("POST", "/module/web/jpage/dataproxy.jsp?startrecord=21&endrecord=40&perpage=10"),
        ("POST", "/module/web/jpage/dataproxy.jsp?startrecord=41&endrecord=60&perpage=10")]
    form = dict(page.next_requests[0].form)
    assert (form["columnid"], form["unitid"], form["webname"]) == ("1507", "4558", "椒江人大网")
    answer = site.handle(page.next_requests[0].url.removeprefix(BASE), method="POST", body=page.next_requests[0].body)
    later = parse_list(answer.body, page.next_requests[0].url, dict(answer.headers)["Content-Type"])
    assert [entry.url for entry in later.entries] == [BASE + site.article_path(a) for a in site.opinions()[20:40]]
    assert later.total_entries == 45 and later.next_requests == []


def test_dedecms_pageinfo_is_info_not_the_current_page():
    site = Site(markup="dedecms")
    body, url, content_type = ReplicaPages(site).get("/a/shenyiyijian/list_5_2.html")
    page = parse_list(body, url, content_type)
    assert (page.page, page.total_pages, page.total_entries) == (2, 3, 45)
    assert page.next_url == BASE + "/a/shenyiyijian/list_5_3.html"


def test_a_next_link_that_is_a_script_is_a_pager_it_cannot_follow():
    body = numbered_list('页次：1/3 <a href="javascript:goPage(2)">下一页</a>')
    page = parse_list(body, "http://jjrd.example/list.asp")
    assert page.next_requests == [] and "goPage(2)" in page.unreadable_pager


def test_a_comment_before_the_list_is_not_taken_for_its_heading():
    # CMS templates mark their blocks with comments; the element before a list may be one.
    rows = "".join(f'<li><a href="/art/2022/{n}.html">关于第{n}项工作情况的审议意见</a><span>2022-0{n}-01</span></li>'
                   for n in range(1, 6))
    page = (f'<html><head><meta charset="utf-8"><title>审议意见</title></head><body><div class="main">'
            f'<!-- 列表 开始 --><ul>{rows}</ul></div></body></html>').encode()
    result = parse_list(page, "http://www.example.gov.cn/col/list.html")
    assert [entry.url for entry in result.entries] == [f"http://www.example.gov.cn/art/2022/{n}.html" for n in range(1, 6)]


def test_a_pager_of_info_only_is_read_from_its_own_element():
    # No link to follow (a last page, or a pager a script fills in): the info alone; the rows'
    # own numbers (第1项) are no count of the column.
    page = parse_list(numbered_list("共45条 3/3页"), "http://jjrd.example/list_3.html")
    assert (page.page, page.total_pages, page.total_entries) == (3, 3, 45)


def test_the_pager_of_a_last_page_is_its_own_not_the_menus():
    # The menu's 首页 comes first on the page; the pager's own 首页 and 上一页 sit by its info.
    menu = '<div class="nav"><a href="/">首页</a> <a href="/col/">审议意见</a></div>'
    body = numbered_list('共 45 条记录 分3页 当前第3页 <a href="?page=1">首页</a> <a href="?page=2">上一页</a> 下一页 尾页')
    body = body.replace(b"<body>", b"<body>" + menu.encode(), 1)
    page = parse_list(body, "http://jjrd.example/col/list.asp?page=3")
    assert (page.page, page.total_pages, page.total_entries, page.next_requests) == (3, 3, 45, [])


@pytest.mark.parametrize("pager, numbers, next_page", [
    # The info beside a page-jump <select>, the menu's 首页 the only pager-like link on the page.
    ('共45条 每页15条 第2/3页 <select onchange="location=this.value"><option value="?page=1">1</option>'
     '<option value="?page=2" selected>2</option><option value="?page=3">3</option></select>', (2, 3, 45), "?page=3"),
    # A next button drawn as an image with no alt.
    ('<a href="?page=1">上一页</a><a href="?page=3"><img src="/images/next.gif"></a>', (None, None, None), "?page=3"),
    # The current page an <a> that links nowhere.
    ('<ul><li><a href="?page=1">1</a></li><li class="active"><a>2</a></li><li><a href="?page=3">3</a></li>'
     '<li><a href="?page=3">下一页</a></li></ul>', (2, None, None), "?page=3"),
    # EmpireCMS: the count of entries in bold in a link to nowhere, before the current page's number.
    ('<a title="Total record">&nbsp;<b>45</b> </a>&nbsp;&nbsp;<a href="?page=1">首页</a>&nbsp;<a href="?page=1">上一页</a>&nbsp;'
     '<a href="?page=1">1</a>&nbsp;<b>2</b>&nbsp;<a href="?page=3">3</a>&nbsp;<a href="?page=3">下一页</a>&nbsp;<a href="?page=3">尾页</a>',
     (2, None, None), "?page=3"),
    # Discuz!: items with no space between them, and a page-jump box that shows the current page.
    ('<div class="pg"><a href="?page=1">1</a><strong>2</strong><a href="?page=3">3</a><label><input type="text" name="custompage" '
     'size="2" value="2"><span title="共 3 页"> / 3 页</span></label><a href="?page=3" class="nxt">下一页</a></div>', (2, 3, None), "?page=3"),
    # A 下一页 whose URL waits in an attribute for its script, one that is no link, and a page-jump <select> alone.
    ('<a href="?page=1">上一页</a> <a href="#" data-href="?page=3">下一页</a>', (None, None, None), "?page=3"),
    ('共3页 第2页 <div class="nav-pages"><span onclick="location.href=\'?page=1\'">上一页</span> '
     '<span onclick="location.href=\'?page=3\'">下一页</span></div>', (2, 3, None), "?page=3"),
    ('共45条 <select onchange="window.location=this.options[this.selectedIndex].value"><option value="list.asp?page=1">第1页</option>'
     '<option value="list.asp?page=2" selected>第2页</option><option value="list.asp?page=3">第3页</option></select>', (None, None, 45), "?page=3"),
    # A 查看更多 that loads the next page by script and names it.
    ('<a id="loadMore" href="javascript:void(0)" data-next="?page=3">查看更多</a>', (None, None, None), "?page=3"),
    # In English, and in traditional characters.
    ('<div class="pagination"><a href="?page=1">« Prev</a> <a href="?page=1">1</a> <span class="current">2</span> '
     '<a href="?page=3">3</a> <a href="?page=3">Next »</a> <a href="?page=3">Last</a></div>', (2, None, None), "?page=3"),
    ('共3頁 第2頁 <a href="?page=1">首頁</a> <a href="?page=1">上一頁</a> <a href="?page=3">下一頁</a> <a href="?page=3">尾頁</a>',
     (2, 3, None), "?page=3"),
])
def test_pagers_of_other_sites(pager, numbers, next_page):
    menu = '<div class="nav"><a href="/">首页</a></div>'
    body = numbered_list(pager).replace(b"<body>", b"<body>" + menu.encode(), 1)
    page = parse_list(body, "http://jjrd.example/col/list.asp?page=2")
    assert (page.page, page.total_pages, page.total_entries) == numbers
    assert page.next_url == "http://jjrd.example/col/list.asp" + next_page


def test_a_next_link_whose_script_goes_there():
    # JEECMS: the URL only in the click's script.
    pager = ('<a disabled="disabled">首页</a> <a href="#" onclick="location.href=encodeURI(\'/col/index_3.jhtml\');">下一页</a> '
             '<a href="#" onclick="location.href=encodeURI(\'/col/index_3.jhtml\');">尾页</a> 共3页 当前第2页')
    page = parse_list(numbered_list(pager), "http://jjrd.example/col/index_2.jhtml")
    assert page.next_requests == [PageRequest("http://jjrd.example/col/index_3.jhtml")]


@pytest.mark.parametrize("method", ["post", "get"])
def test_a_pager_that_sends_its_form(method):
    # Linewell: 下一页 calls goPage(3), which sets the form's hidden page field and sends the form.
    pager = (f'<form id="pageForm" method="{method}" action="/cms/index.shtml?columnId=12"><input type="hidden" name="page" value="2">'
             '共43条记录 共3页 当前第2页 <a href="javascript:goPage(1)">上一页</a> <a href="javascript:goPage(3)">下一页</a> '
             '<a href="javascript:goPage(3)">尾页</a> 转到第<input type="text" name="pageNo" value="">页 '
             '<input type="button" value="GO" onclick="goPage(this.form.pageNo.value)"></form>'
             '<script>function goPage(p){document.getElementById("pageNum").value=p;document.getElementById("pageForm").submit();}</script>')
    page = parse_list(numbered_list(pager), "http://jjrd.example/cms/index.shtml?columnId=12")
    expected = (PageRequest("http://jjrd.example/cms/index.shtml?columnId=12", "POST", (("page", "3"), ("pageNo", ""))) if method == "post"
                else PageRequest("http://jjrd.example/cms/index.shtml?columnId=12&page=3&pageNo="))
    assert (page.page, page.total_pages, page.next_requests, page.unreadable_pager) == (2, 3, [expected], None)


def test_an_asp_net_pager_posts_the_page_back():
    # AspNetPager on ASP.NET WebForms: the page is one form, and 下一页 posts it back with the
    # pager as the event's target and the page's number as its argument.
    target = "ctl00$ContentPlaceHolder1$AspNetPager1"
    pager = "".join(f'<a href="javascript:__doPostBack(\'{target}\',\'{n}\')">{label}</a> ' for label, n in (("首页", 1), ("上一页", 1), ("1", 1)))
    pager += f'<span class="current">2</span> <a href="javascript:__doPostBack(\'{target}\',\'3\')">3</a> '
    pager += f'<a href="javascript:__doPostBack(\'{target}\',\'3\')">下一页</a> 共45条记录 第2/3页'
    body = numbered_list(pager).replace(b"<body>", b'<body><form name="aspnetForm" method="post" action="./List.aspx?id=5" id="aspnetForm">'
                                        b'<input type="hidden" name="__EVENTTARGET" value=""><input type="hidden" name="__EVENTARGUMENT" value="">'
                                        b'<input type="hidden" name="__VIEWSTATE" value="/wEPDwUKMTI="><input type="text" name="keyword" value="">', 1)
    body = body.replace(b"</body>", b'<input type="hidden" name="__EVENTVALIDATION" value="/wEWBQ=="></form></body>', 1)
    page = parse_list(body, "http://jjrd.example/col/List.aspx?id=5")
    assert page.next_requests == [PageRequest("http://jjrd.example/col/List.aspx?id=5", "POST", (
        ("__EVENTTARGET", target), ("__EVENTARGUMENT", "3"), ("__VIEWSTATE", "/wEPDwUKMTI="), ("keyword", ""), ("__EVENTVALIDATION", "/wEWBQ==")))]
    assert (page.page, page.total_pages, page.total_entries) == (2, 3, 45)


def test_a_last_page_whose_pager_shows_numbers_only():
    # Discuz!'s last page: no 下一页, a 上一页 drawn as an arrow, the menu's 首页 the only nav link.
    pager = ('<div class="pg"><a href="?page=2" class="prev">&nbsp;&nbsp;</a><a href="?page=1">1</a><a href="?page=2">2</a>'
             '<strong>3</strong><label><input type="text" name="custompage" size="2" value="3"><span title="共 3 页"> / 3 页</span></label></div>')
    body = numbered_list(pager).replace(b"<body>", '<body><div class="nav"><a href="/">首页</a></div>'.encode(), 1)
    page = parse_list(body, "http://jjrd.example/col/list.asp?page=3")
    assert (page.page, page.total_pages, page.next_url, page.next_requests) == (3, 3, None, [])


def _column_page(rows: str) -> bytes:
    return (f'<html><head><meta charset="utf-8"><title>审议意见</title></head><body><div class="nav"><a href="/">首页</a></div>'
            f'{rows}<div class="page">共45条 第1/3页 <a href="?page=2">下一页</a></div></body></html>').encode()


TITLE = "关于我区第{n}项工作情况的审议意见"


@pytest.mark.parametrize("rows", [
    # Rows that are no element of their own: a definition list, links and dates between line breaks.
    "<dl>" + "".join(f"<dt><a href='/a/{n}.html'>{TITLE.format(n=n)}</a></dt><dd>2022-01-{n:02d}</dd>" for n in range(1, 16)) + "</dl>",
    "<div>" + "".join(f"<a href='/a/{n}.html'>{TITLE.format(n=n)}</a>&nbsp;&nbsp;[2022-01-{n:02d}]<br>" for n in range(1, 16)) + "</div>",
    "<div>" + "".join(f"2022-01-{n:02d}&nbsp;<a href='/a/{n}.html'>{TITLE.format(n=n)}</a><br>" for n in range(1, 16)) + "</div>",
    "<div>" + "".join(f"<a href='/a/{n}.html'>{TITLE.format(n=n)}</a> 2022-01-{n:02d} " for n in range(1, 16)) + "</div>",  # not the next row's
    # A count and a date in spans side by side.
    "<ul>" + "".join(f"<li><a href='/a/{n}.html'>{TITLE.format(n=n)}</a><span>点击：{n * 10}</span><span>2022-01-{n:02d}</span></li>"
                     for n in range(1, 16)) + "</ul>",
])
def test_rows_of_other_lists(rows):
    page = parse_list(_column_page(rows), "http://jjrd.example/col/index.html")
    assert [entry.url for entry in page.entries] == [f"http://jjrd.example/a/{n}.html" for n in range(1, 16)]
    assert [entry.published_at for entry in page.entries] == [f"2022-01-{n:02d}" for n in range(1, 16)]
    assert [entry.view_count for entry in page.entries] == ([n * 10 for n in range(1, 16)] if "点击" in rows else [None] * 15)


def test_a_rows_count_rounded_to_ten_thousands_is_read_as_its_value_and_marked_approximate():
    rows = "<ul>" + "".join(f"<li><a href='/a/{n}.html'>{TITLE.format(n=n)}</a><span>阅读：{n}.5万</span><span>2022-01-{n:02d}</span></li>"
                            for n in range(1, 16)) + "</ul>"
    page = parse_list(_column_page(rows), "http://jjrd.example/col/index.html")
    assert [(entry.view_count, entry.view_count_approximate) for entry in page.entries] == [(n * 10000 + 5000, True) for n in range(1, 16)]


@pytest.mark.parametrize("written, count", [("1,234,567", 1234567), ("44,920次", 44920), ("321, 评论：0", 321), ("12,34", None)])
def test_a_rows_count_in_groups_of_three_is_read_whole(written, count):
    # Before, 44,920 was read as 44. Figures not in groups of three say no count for sure.
    rows = "<ul>" + "".join(f"<li><a href='/a/{n}.html'>{TITLE.format(n=n)}</a><span>点击：{written}</span><span>2022-01-{n:02d}</span></li>"
                            for n in range(1, 16)) + "</ul>"
    page = parse_list(_column_page(rows), "http://jjrd.example/col/index.html")
    assert [(entry.view_count, entry.view_count_approximate) for entry in page.entries] == [(count, None if count is None else False)] * 15


@pytest.mark.parametrize("row", [
    # SiteFactory: the title cut, whole in a tooltip whose lines end with a carriage return.
    "<li><a href='/a/{n}.html' title='标题：{title}&#xD;点击数：20&#xD;发表时间：2024年01月09日'>{cut}…</a><span>2022-01-{n:02d}</span></li>",
    # PbootCMS: the title whole for wide screens and cut for phones, and the date, all in the link.
    "<li><a href='/a/{n}.html'><span class='d-none d-md-inline'>{title}</span><span class='d-inline d-md-none'>{cut}...</span>"
    "<span class='float-end'>2022-01-{n:02d}</span></a></li>",
])
def test_whole_titles_of_other_lists(row):
    rows = "<ul>" + "".join(row.format(n=n, title=TITLE.format(n=n), cut=TITLE.format(n=n)[:8]) for n in range(1, 16)) + "</ul>"
    page = parse_list(_column_page(rows), "http://jjrd.example/col/index.html")
    assert [(entry.title, entry.truncated, entry.published_at) for entry in page.entries] == [
        (TITLE.format(n=n), False, f"2022-01-{n:02d}") for n in range(1, 16)]


def test_a_tooltip_cut_as_the_title_is_flagged_cut():
    # A template that cuts the title for its tooltip too, longer than the link's.
    row = "<li><a href='/a/{n}.html' title='{cut} ..'>{phone}...</a><span>2022-01-{n:02d}</span></li>"
    rows = "<ul>" + "".join(row.format(n=n, cut=TITLE.format(n=n)[:12], phone=TITLE.format(n=n)[:6]) for n in range(1, 16)) + "</ul>"
    page = parse_list(_column_page(rows), "http://jjrd.example/col/index.html")
    assert [(entry.title, entry.truncated) for entry in page.entries] == [(TITLE.format(n=n)[:12], True) for n in range(1, 16)]


@pytest.mark.parametrize("cut, truncated", [("{title}", False), ("{cut}···", True)])
def test_a_title_twice_for_wide_screens_and_phones_cut_with_middle_dots(cut, truncated):
    # PbootCMS cuts with ···, the wide screen's title too where it is long.
    row = ("<li><a href='/a/{n}.html'><span class='d-none d-md-inline'>" + cut + "</span><span class='d-inline d-md-none'>"
           "{phone}···</span><span class='float-right'>2022-01-{n:02d}</span></a></li>")
    rows = "<ul>" + "".join(row.format(n=n, title=TITLE.format(n=n), cut=TITLE.format(n=n)[:12], phone=TITLE.format(n=n)[:6])
                            for n in range(1, 16)) + "</ul>"
    page = parse_list(_column_page(rows), "http://jjrd.example/col/index.html")
    shown = [TITLE.format(n=n)[:12] if truncated else TITLE.format(n=n) for n in range(1, 16)]
    assert [(entry.title, entry.truncated) for entry in page.entries] == [(title, truncated) for title in shown]


@pytest.mark.parametrize("number", [1, 2, 3])
def test_numbers_that_go_by_script_with_the_current_one_named_by_its_class(number):
    # JEECMS: every number href="#" and its page in onclick; the current one told by its class alone.
    def link(n: int) -> str:
        kind = "currPageClass" if n == number else "norPageClass"
        target = "index.jhtml" if n == 1 else f"index_{n}.jhtml"
        return f'<a class="{kind}" href="#" onclick="location.href=encodeURI(\'{target}\');">{n}</a>&nbsp;'
    url = "http://jjrd.example/syyj/index.jhtml" if number == 1 else f"http://jjrd.example/syyj/index_{number}.jhtml"
    page = parse_list(numbered_list("".join(link(n) for n in (1, 2, 3))), url)
    assert page.page == number
    assert page.next_url == (f"http://jjrd.example/syyj/index_{number + 1}.jhtml" if number < 3 else None)
    assert page.unreadable_pager is None


def test_the_last_pages_next_link_that_does_nothing_ends_the_column():
    # PbootCMS's last page: 下一页 href="javascript:;", the current page linked to itself, none after it.
    pager = ('<a href="/col/">首页</a> <a href="/col_2/">上一页</a> <a href="/col/" class="page-num">1</a>'
             '<a href="/col_2/" class="page-num">2</a><a href="/col_3/" class="page-num page-num-current">3</a>'
             ' <a href="javascript:;">下一页</a> <a href="/col_3/">尾页</a>')
    page = parse_list(numbered_list(pager), "http://jjrd.example/col_3/")
    assert (page.page, page.next_requests, page.unreadable_pager) == (3, [], None)
    before = parse_list(numbered_list(pager.replace("page-num page-num-current", "page-num").replace(
        'class="page-num">2', 'class="page-num page-num-current">2')), "http://jjrd.example/col_2/")
    assert (before.next_url, before.unreadable_pager) == ("http://jjrd.example/col_3/", None)  # the number after it leads on


def test_the_current_page_a_number_that_links_to_the_page_itself():
    # PbootCMS: every number a link, the current one to the page itself.
    pager = ('<a href="/col/">首页</a> <a href="javascript:;">上一页</a> <a href="/col/" class="page-num page-num-current">1</a>'
             '<a href="/col_2/" class="page-num">2</a><a href="/col_3/" class="page-num">3</a> <a href="/col_2/">下一页</a>')
    page = parse_list(numbered_list(pager), "http://jjrd.example/col/")
    assert (page.page, page.next_url) == (1, "http://jjrd.example/col_2/")


@pytest.mark.parametrize("row, dated", [
    # A calendar leaf: the day over its month, or the month over its day, by the link or in it
    # beside a heading and a summary.
    ("<li><div class='date'><span>{day}</span><p>2022-01</p></div><a href='/a/{n}.html'>{title}</a></li>", True),
    ("<li><a href='/a/{n}.html'><div class='time'><b>{day}</b>2022.01</div><h3>{title}</h3><p>会议听取和审议了报告。</p></a></li>", True),
    ("<li><a href='/a/{n}.html'><span>2022-01</span><b>{day}</b>{title}</a></li>", True),
    # A leaf beside a summary that a sentence's date opens (EyouCMS): the leaf dates the row.
    ("<li><div class='time'><p>{day}</p><p>2022-01</p></div><div><h3><a href='/a/{n}.html'>{title}</a></h3>"
     "<p>2021年12月28日，县人大常委会听取和审议了县人民政府的报告</p></div></li>", True),
    ("<li><div><h3><a href='/a/{n}.html'>{title}</a></h3><p>2021年12月28日，县人大常委会听取和审议了报告</p></div>"
     "<span>2022-01-{day}</span></li>", True),
    # A month and day without the year: the row is dated, its year unknown.
    ("<li><a href='/a/{n}.html'>{title}</a><span>01-{day}</span></li>", False),
])
def test_rows_dated_as_a_calendar_leaf_or_without_a_year(row, dated):
    rows = "<ul>" + "".join(row.format(n=n, day=f"{n:02d}", title=TITLE.format(n=n)) for n in range(1, 16)) + "</ul>"
    page = parse_list(_column_page(rows), "http://jjrd.example/col/index.html")
    assert [(entry.title, entry.url, entry.published_at) for entry in page.entries] == [
        (TITLE.format(n=n), f"http://jjrd.example/a/{n}.html", f"2022-01-{n:02d}" if dated else None) for n in range(1, 16)]


@pytest.mark.parametrize("shape", ["<ul>{}</ul>", "<table>{}</table>"])
def test_a_list_that_dates_no_row(shape):
    # Titles only; beside them links to other sites of a title's length, and the menu.
    row = "<li><a href='/a/{n}.html'>{title}</a></li>" if shape.startswith("<ul") else "<tr><td><a href='/a/{n}.html'>{title}</a></td></tr>"
    links = "<div class='links'>" + "".join(f"<p><a href='http://www{n}.example.gov.cn/'>某某市人民政府门户网站{n}</a></p>" for n in range(4)) + "</div>"
    rows = links + shape.format("".join(row.format(n=n, title=TITLE.format(n=n)) for n in range(1, 16)))
    page = parse_list(_column_page(rows), "http://jjrd.example/col/index.html")
    assert [(entry.title, entry.url, entry.published_at) for entry in page.entries] == [
        (TITLE.format(n=n), f"http://jjrd.example/a/{n}.html", None) for n in range(1, 16)]
    assert page.next_url == "http://jjrd.example/col/index.html?page=2"


@pytest.mark.parametrize("number", [1, 3])
def test_an_older_jcms_column_pages_its_groups_by_links(number):
    # Hanweb's jcms before jpage: the rows in the page's datastore, its next group a page of its own.
    records = "".join(f"<record><![CDATA[<table><tr><td><a href='/art/2022/1/{n}/art_1234_{n}.html' title='{TITLE.format(n=n)}'>"
                      f"{TITLE.format(n=n)[:8]}...</a></td><td class='bt_time'>2022-01-{n:02d}</td></tr></table>]]></record>"
                      for n in range(1, 16))
    following = f'<a href="/col/col1234/index.html?uid=4567&pageNum={number + 1}"></a>' if number < 3 else ""
    body = (f'<html><head><meta charset="utf-8"><title>审议意见</title></head><body><div class="nav"><a href="/">首页</a></div>'
            f'<div id="4567"><script type="text/xml"><datastore><nextgroup><![CDATA[{following}]]></nextgroup><recordset>{records}'
            f'</recordset></datastore></script><script>var totalRecord=43; var perPage=15; var totalPage=3; var currentPage={number};'
            "document.write('…');</script></div></body></html>").encode()
    page = parse_list(body, f"http://jjrd.example/col/col1234/index.html?uid=4567&pageNum={number}")
    assert [entry.title for entry in page.entries] == [TITLE.format(n=n) for n in range(1, 16)]
    assert (page.page, page.total_pages, page.unreadable_pager) == (number, 3, None)
    assert page.next_requests == ([PageRequest(f"http://jjrd.example/col/col1234/index.html?uid=4567&pageNum={number + 1}")] if number < 3 else [])


def test_a_block_link_of_a_title_and_its_facts():
    # Layui: the whole entry one link, its title and a line of its facts (source, date, count).
    rows = "".join(f"<a class='list-item' href='/a/{n}.html'><div class='title'>{TITLE.format(n=n)}</div><div class='meta'>"
                   f"<span>来源：区人大办</span><span>2022-01-{n:02d}</span><span>浏览：{n}</span></div></a>" for n in range(1, 16))
    page = parse_list(_column_page(f"<div class='list'>{rows}</div>"), "http://jjrd.example/col/index.html")
    assert [(entry.title, entry.published_at) for entry in page.entries] == [(TITLE.format(n=n), f"2022-01-{n:02d}") for n in range(1, 16)]


@pytest.mark.parametrize("heading, dated", [("{year}年", True), ("{year}", True), ("审议意见", False)])
def test_a_timeline_is_one_list_under_its_years(heading, dated):
    # Rows under their years' headings, each year a block of its own; a month and day a row,
    # dated by the year over it (a heading that names no year dates none).
    years = "".join(f"<div class='year-item'><h3>{heading.format(year=year)}</h3><ul>" + "".join(
        f"<li><span>{13 - n:02d}-01</span><a href='/a/{year}{n}.html'>{TITLE.format(n=f'{year}{n}')}</a></li>" for n in range(1, 9))
        + "</ul></div>" for year in (2023, 2022))
    page = parse_list(_column_page(f"<div class='timeline'>{years}</div>"), "http://jjrd.example/col/index.html")
    assert [(entry.url, entry.published_at) for entry in page.entries] == [
        (f"http://jjrd.example/a/{year}{n}.html", f"{year}-{13 - n:02d}-01" if dated else None) for year in (2023, 2022) for n in range(1, 9)]


def test_a_pager_that_only_a_script_can_follow_still_counts_the_column():
    # Element UI's pager: icon buttons and numbers that are no links, the URLs in the page's state;
    # its count of entries shows, so that a walk that ends on this page says it saw 15 of 60.
    pager = ('<div class="el-pagination"><span class="el-pagination__total">共 60 条</span><button type="button" class="btn-prev">'
             '<i class="el-icon-arrow-left"></i></button><ul class="el-pager"><li class="number">1</li><li class="number active">2</li>'
             '<li class="number">3</li><li class="number">4</li></ul><button type="button" class="btn-next"><i class="el-icon-arrow-right">'
             '</i></button></div><script>window.__INITIAL_STATE__ = {"list": {"pageUrl": "/col/index_{n}.html"}};</script>')
    page = parse_list(numbered_list(pager), "http://jjrd.example/col/index_2.html")
    assert (page.total_entries, page.next_requests) == (60, [])


LAYUI_2 = ("layui.use('laypage', function(){ var laypage = layui.laypage; laypage.render({ elem: 'pageBox', count: 60, limit: 15,"
           " curr: %s, jump: function(obj, first){ if(!first){ location.href = 'list_' + obj.curr + '.html'; } } }); });")


@pytest.mark.parametrize("script, url, page, total, following", [
    # Layui 2: count and limit; the jump callback goes to the page it is given.
    (LAYUI_2 % 2, "http://jjrd.example/syyj/list_2.html", 2, 4, "http://jjrd.example/syyj/list_3.html"),
    (LAYUI_2 % 4, "http://jjrd.example/syyj/list_4.html", 4, 4, None),
    # The count in a variable of the page's; Layui 1's cont and pages, a query to go to.
    ("var total = 31; laypage.render({elem: '#pageBox', count: total, limit: 15, jump: function(e, first){"
     " if (!first) { window.location.href = '/syyj/?page=' + e.curr; } }});", "http://jjrd.example/syyj/", 1, 3,
     "http://jjrd.example/syyj/?page=2"),
    ("laypage({cont: 'pageBox', pages: 5, curr: 3, jump: function(o, first){ if(!first){ location.href = '?p=' + o.curr; } }});",
     "http://jjrd.example/syyj/?p=3", 3, 5, "http://jjrd.example/syyj/?p=4"),
    # kkpager: its default link, hrefFormer + '_' + n + hrefLatter, or the page's own getLink.
    ("kkpager.generPageHtml({pno: '2', total: '4', totalRecords: '60', hrefFormer: 'index', hrefLatter: '.html'});",
     "http://jjrd.example/syyj/index_2.html", 2, 4, "http://jjrd.example/syyj/index_3.html"),
    ("kkpager.generPageHtml({pno: 1, total: 3, totalRecords: 45, hrefFormer: '/syyj/list', hrefLatter: '.jsp', getLink: function(n){"
     " if (n == 1) { return this.hrefFormer + this.hrefLatter; } return this.hrefFormer + this.hrefLatter + '?pno=' + n; }});",
     "http://jjrd.example/syyj/list.jsp", 1, 3, "http://jjrd.example/syyj/list.jsp?pno=2"),
    # Mricle's pagination, its callback's page got by a call.
    ("$('.M-box').pagination({pageCount: 8, current: 3, callback: function (api) {"
     " window.location.href = '/syyj/list_' + api.getCurrent() + '.html'; }});", "http://jjrd.example/syyj/list_3.html", 3, 8,
     "http://jjrd.example/syyj/list_4.html"),
    # simplePagination: the count of entries and the page size, or the pages; its links' prefix and suffix.
    ("$('#pager').pagination({items: 96, itemsOnPage: 16, currentPage: 2, hrefTextPrefix: '?page='});",
     "http://jjrd.example/syyj/list.php?page=2", 2, 6, "http://jjrd.example/syyj/list.php?page=3"),
    ("$('#pager').pagination({pages: 5, currentPage: 2, hrefTextPrefix: '/syyj/page/', hrefTextSuffix: '/'});",
     "http://jjrd.example/syyj/page/2/", 2, 5, "http://jjrd.example/syyj/page/3/"),
    # jqPaginator, its callback's choice of the first page's URL or the others'; twbsPagination's URL template.
    ("$.jqPaginator('#pagination', {totalPages: 6, currentPage: 2, onPageChange: function (num, type) { if (type == 'change') {"
     " location.href = num == 1 ? 'index.html' : 'index_' + num + '.html'; } }});", "http://jjrd.example/syyj/index_2.html", 2, 6,
     "http://jjrd.example/syyj/index_3.html"),
    ("$('#pagination-demo').twbsPagination({totalPages: 5, startPage: 2, href: '?page={{number}}', onPageClick: function (e, p) {}});",
     "http://jjrd.example/syyj/list.jsp?page=2", 2, 5, "http://jjrd.example/syyj/list.jsp?page=3"),
    # Keel's pageNav, its links' URL in the site's own pHtml.
    ("pageNav.pHtml = function (pageNo, pn, showPageNo) { showPageNo = showPageNo || pageNo;"
     " var url = pageNo == 1 ? \"index.html\" : \"index_\" + pageNo + \".html\"; return \" <a href='\" + url + \"'>\" + showPageNo + \"</a> \"; };"
     " pageNav.go(2, 9);", "http://jjrd.example/syyj/index_2.html", 2, 9, "http://jjrd.example/syyj/index_3.html"),
    # A jQuery pagination plugin, its page set by a call, its callback's page under another name (上海's 卫健委).
    ("$('.pagination').pagination({totalPage: 54, showPageNum: 5, callBack: function (currPage) { var i=currPage;"
     " if(i==1) location.href='index.html'; else location.href='index_'+i+'.html'; }}); $('.pagination').pagination('setPage',1,54);",
     "http://jjrd.example/yqtb/index.html", 1, 54, "http://jjrd.example/yqtb/index_2.html"),
    # jqPaginator's options read from the page's hidden fields, its URL joined from variables that
    # read others (var pageUrl = $('#pageUrl').val() + '?page=').
    ("function load() { var pageUrl = $('#pageUrl').val() + '?page='; var rest = document.getElementById('rest').value;"
     " $.jqPaginator('#pageBox', {totalPages: parseInt($('#pages').val()), currentPage: parseInt($(\"#current\").val(), 10),"
     " onPageChange: function (num, type) { if (type != 'init') { location.href = pageUrl + num + rest; } }}); } $(load);",
     "http://jjrd.example/syyj/list.do?page=2&catid=35", 2, 6, "http://jjrd.example/syyj/list.do?page=3&catid=35"),
    # bootstrap-paginator, its options in a variable, its pageUrl's page the second parameter.
    ("var options = {bootstrapMajorVersion: 3, currentPage: 3, totalPages: 7, itemTexts: function (type, page, current) {"
     " switch (type) { case 'next': return '下一页'; case 'page': return page; } },\n  // pageUrl: function () { return '#'; },\n"
     "  pageUrl: function (type, page, current) { return page == 1 ? 'index.html' : 'index_' + page + '.html'; }};"
     " $('#pageBox').bootstrapPaginator(options);", "http://jjrd.example/syyj/index_3.html", 3, 7, "http://jjrd.example/syyj/index_4.html"),
    # The first jquery.pagination: the count of entries its first argument, its pages and links' ids from 0.
    ("$('#pageBox').pagination(88, {items_per_page: 15, num_display_entries: 5, current_page: 1, link_to: '?page=__id__',"
     " callback: function (page_index, jq) { return true; }});", "http://jjrd.example/syyj/list.php?page=1", 2, 6,
     "http://jjrd.example/syyj/list.php?page=2"),
    ("$('#pageBox').pagination(88, {items_per_page: 15, current_page: 5, link_to: '?page=__id__'});",
     "http://jjrd.example/syyj/list.php?page=5", 6, 6, None),
])
def test_a_pager_widget_is_the_page_its_link_callback_goes_to(script, url, page, total, following):
    # As the site serves it: the pager's element empty, for laypage to draw in; the fields a script may read.
    fields = '<input type="hidden" id="pages" value="6"><input type="hidden" id="current" value="2">' \
             '<input type="hidden" id="pageUrl" value="/syyj/list.do"><input type="hidden" id="rest" value="&amp;catid=35">'
    body = numbered_list(f'<div id="pageBox"></div>{fields}').replace(b"</body>", f"<script>{script}</script></body>".encode())
    parsed = parse_list(body, url)
    assert (parsed.page, parsed.total_pages, parsed.unreadable_pager) == (page, total, None)
    assert parsed.next_requests == ([PageRequest(following)] if following else [])
    assert len(parsed.entries) == 3


@pytest.mark.parametrize("script, page, total, following", [
    # jquery.page's createPage, widely copied by county sites.
    ("$('.tcdPageCode').createPage({pageCount: 9, current: 2, backFn: function (p) { location.href = 'index_' + p + '.html'; }});",
     2, 9, "http://jjrd.example/syyj/index_3.html"),
    ("$('.tcdPageCode').createPage({pageCount: 9, current: 9, backFn: function (p) { location.href = 'index_' + p + '.html'; }});",
     9, 9, None),
    # zPager: a count of entries and a page size; its callback a function the page names.
    ("function go(page) { if (page == 1) { location.href = 'index.html'; } else { location.href = 'index_' + page + '.html'; } }"
     " $('#pageBox').zPager({totalData: 50, pageData: 15, current: 1, htmlBox: $('#list'), btnShow: true, callback: go});",
     1, 4, "http://jjrd.example/syyj/index_2.html"),
    # A site's own widget, its options from variables.
    ("var pages = 6, now = 3; new Pager({el: '#pageBox', pageTotal: pages, pageNo: now, onChange: function (e, n) {"
     " window.location.href = '/syyj/list.jsp?page=' + n; }});", 3, 6, "http://jjrd.example/syyj/list.jsp?page=4"),
])
def test_a_pager_widget_of_no_known_name_is_read_from_its_options_and_callback(script, page, total, following):
    body = numbered_list('<div id="pageBox"></div>').replace(b"</body>", f"<script>{script}</script></body>".encode())
    parsed = parse_list(body, "http://jjrd.example/syyj/index_2.html")
    assert (parsed.page, parsed.total_pages, parsed.unreadable_pager) == (page, total, None)
    assert parsed.next_requests == ([PageRequest(following)] if following else [])


@pytest.mark.parametrize("script", [
    "$('#pageBox').slider({count: 5, current: 1, onChange: function (n) { show(n); }});",  # goes nowhere
    "$('#pageBox').createPage({current: 2, backFn: function (p) { location.href = '?p=' + p; }});",  # no count
])
def test_a_call_that_names_no_page_url_or_no_count_is_no_pager(script):
    body = numbered_list('<div id="pageBox"></div>').replace(b"</body>", f"<script>{script}</script></body>".encode())
    parsed = parse_list(body, "http://jjrd.example/syyj/index_2.html")
    assert (parsed.page, parsed.total_pages, parsed.next_requests) == (None, None, [])
    assert '<div id="pageBox">' in parsed.unreadable_pager  # still reported: a script draws in its empty pager


@pytest.mark.parametrize("function, following", [
    # The page's function of the page's number, as the 下一页 link calls it.
    ("function turnPage(p) { window.location.href = p == 1 ? 'index.html' : 'index_' + p + '.html'; }",
     "http://jjrd.example/syyj/index_3.html"),
    ("function turnPage(p) { var base = '/syyj/list'; if (p > 1) { location.href = base + '_' + (p - 1) + '.html'; }"
     " else { location.href = base + '.html'; } }", "http://jjrd.example/syyj/list_2.html"),
    ("window.turnPage = function (p) { location.assign('?page=' + p + '&size=' + 15 * 1); };", "http://jjrd.example/syyj/index_2.html?page=3&size=15"),
    ("function turnPage(p) { $('#pageNo').val(p); $('#searchForm').submit(); }", None),  # a form it sends, none here: no URL
])
def test_a_next_link_that_calls_a_function_of_the_page_goes_where_the_function_goes(function, following):
    links = " ".join(f'<a href="javascript:;" onclick="turnPage({n})">{label}</a>' for n, label in ((1, "上一页"), (1, "1"), (3, "3"), (3, "下一页")))
    pager = f'<div class="pages">共 60 条 {links.replace(">1</a> ", ">1</a> <span class=cur>2</span> ")}</div><script>{function}</script>'
    parsed = parse_list(numbered_list(pager), "http://jjrd.example/syyj/index_2.html")
    assert parsed.page == 2
    assert parsed.next_requests == ([PageRequest(following)] if following else [])
    assert (parsed.unreadable_pager is None) == (following is not None)


@pytest.mark.parametrize("script", [
    "laypage.render({elem: 'pageBox', count: 60, limit: 15, curr: 1, jump: function(obj){ $.get('/api/list', {page: obj.curr}, draw); }});",
    "kkpager.generPageHtml({mode: 'click', pno: 1, total: 4, totalRecords: 60, click: function(n){ find(n); return false; }});",
])
def test_a_pager_widget_that_loads_its_pages_by_script_says_so(script):
    body = numbered_list('<div id="pageBox"></div>').replace(b"</body>", f"<script>{script}</script></body>".encode())
    parsed = parse_list(body, "http://jjrd.example/syyj/")
    assert (parsed.page, parsed.total_pages, parsed.next_requests) == (1, 4, [])
    assert "loads the next page by script" in parsed.unreadable_pager


@pytest.mark.parametrize("script, unreadable", [
    # A widget this parser does not know, drawn in the empty element the script names.
    ("$('#pagination').pager({pagenumber: 2, pagecount: 4, buttonClickCallback: function (p) { load(p); }});", True),
    ("new Vue({el: '#pagination', data: {total: 60}});", True),
    ("var menu = document.getElementById('nav');", False),  # an empty element no script names
])
def test_an_empty_pager_element_that_a_script_names_may_hide_more_pages(script, unreadable):
    body = numbered_list("").replace(b"</body>", f'<div id="pagination"></div><script>{script}</script></body>'.encode())
    parsed = parse_list(body, "http://jjrd.example/syyj/")
    assert (parsed.next_requests, bool(parsed.unreadable_pager)) == ([], unreadable)
    assert not unreadable or '<div id="pagination">' in parsed.unreadable_pager


def test_a_row_deep_in_the_templates_indentation_is_read_to_its_date():
    # JPress's cards: the title, a summary and the date in one block link, each line indented as the template is.
    indent = "\n" + " " * 40
    rows = "".join(
        f"<div class='card'><div class='main'>{indent}<a href='/a/{n}.html'>{indent}<div>{indent}<h3>{indent}{TITLE.format(n=n)}{indent}</h3>"
        f"{indent}<p>{indent}{'区人民政府：区人大常委会听取和审议了区人民政府的报告。' * 4}{indent}</p>{indent}</div>"
        f"{indent}<div class='tag'>{indent}<div><i class='fa fa-clock-o'></i>2022-01-{n:02d} 08:17</div>{indent}</div>{indent}</a></div></div>"
        for n in range(1, 16))
    page = parse_list(_column_page(rows), "http://jjrd.example/col/index.html")
    assert [(entry.url, entry.published_at[:10]) for entry in page.entries] == [
        (f"http://jjrd.example/a/{n}.html", f"2022-01-{n:02d}") for n in range(1, 16)]


@pytest.mark.parametrize("row", [
    # An entry a <dl>: a picture, the title, a summary and a line of facts that links the column (ShuipFCMS).
    "<dl><dt><a href='/a/{n}.html' title='{title}'><img src='/i/{n}.gif'></a></dt><dd><a href='/a/{n}.html'>{title}</a></dd>"
    "<dd>县人民政府：县人大常委会听取和审议了县人民政府的报告…</dd><dd><span>所属栏目：<a href='/syyj/'>审议意见</a></span>"
    " <span>更新日期：2022-01-{day} 09:40:12</span></dd></dl>",
    # An entry an <article>: its date a link to it, its title, and 继续阅读 into it with the title again (WordPress).
    "<article><header><div><span>发布于</span> <a href='/a/{n}.html'><time datetime='2022-01-{day}T09:30:00+08:00'>2022年1月{n}日"
    "</time></a></div><h2><a href='/a/{n}.html'>{title}</a></h2></header><div><p>县人民政府：县人大常委会听取和审议了报告。"
    " <a href='/a/{n}.html#more-{n}'>继续阅读<span>“{title}”</span></a></p></div></article>",
])
def test_an_entry_of_several_links_to_it_is_one_row(row):
    rows = "<div class='list'>" + "".join(row.format(n=n, day=f"{n:02d}", title=TITLE.format(n=n)) for n in range(1, 13)) + "</div>"
    page = parse_list(_column_page(rows), "http://jjrd.example/col/index.html")
    assert [(entry.title, entry.url, entry.published_at[:10]) for entry in page.entries] == [
        (TITLE.format(n=n), f"http://jjrd.example/a/{n}.html", f"2022-01-{n:02d}") for n in range(1, 13)]


def test_a_load_more_link_under_the_list_is_no_entry():
    # Gansu's platform: the list, its pager, and under both a 加载更多 link for phones to page 2.
    rows = "<div class='right'><ul>" + "".join(f"<li><a href='/a/{n}.html'>{TITLE.format(n=n)}</a><span>2022-01-{n:02d}</span></li>"
                                              for n in range(1, 16)) + "</ul>"
    rows += "<div class='pages'><span>共45条</span> <span>1/3页</span> <a href='list_2.shtml'>下一页</a></div>"
    rows += "<a class='jzgd' href='list_2.shtml'>加载更多</a></div>"
    page = parse_list(_column_page(rows), "http://jjrd.example/col/list.shtml")
    assert [entry.url for entry in page.entries] == [f"http://jjrd.example/a/{n}.html" for n in range(1, 16)]


@pytest.mark.parametrize("pager, following", [
    # Arrows by the words (←上一页 / 下一页→); an <input type=button> that goes there; a picture
    # named for the next page; a 加载更多 that names the next page for its script.
    ('<a href="index.html">←上一页</a> <span>第2页/共7页</span> <a href="index_3.html">下一页→</a>', "index_3.html"),
    ('<span>第2页/共5页</span> <input type="button" value="首页" onclick="location.href=\'index.html\'">'
     '<input type="button" value="下一页" onclick="location.href=\'index_3.html\'">', "index_3.html"),
    ('<span>第2页/共5页</span> <a href="index.htm"><img src="/images/page_first.gif"></a> <a href="index_3.htm"><img src="/images/page_down.gif"></a>',
     "index_3.htm"),
    ('<a href="javascript:void(0);" class="load-more" data-url="/col/index_3.html">加载更多</a>', "index_3.html"),
    # Arrows a stylesheet draws on empty links; a page-jump <select> of numbers that a script joins.
    ('<a class="former" href="index.html"></a><span class="num"><em>2</em>/6</span><a class="down" href="index_3.html"></a>', "index_3.html"),
    ('<span>第2页/共5页</span> <select onchange="location.href=\'list_\'+this.value+\'.html\'"><option value="1">1</option>'
     '<option value="2" selected>2</option><option value="3">3</option></select>', "list_3.html"),
    # PowerEasy's, the chosen option named longhand.
    ('<span>第2页/共5页</span> <select name="page" onchange="javascript:window.location=\'list.asp?page=\'+this.options[this.selectedIndex].value;">'
     '<option value="1">1</option><option value="2" selected>2</option><option value="3">3</option></select>', "list.asp?page=3"),
])
def test_next_buttons_of_other_shapes(pager, following):
    page = parse_list(numbered_list(pager), "http://jjrd.example/col/index_2.html")
    assert page.next_requests == [PageRequest(f"http://jjrd.example/col/{following}")]


@pytest.mark.parametrize("url, following", [
    # TRS's pager written by document.write from its variables: the next file as TRS names its pages.
    ("http://jjrd.example/col/index_1.html", "http://jjrd.example/col/index_2.html"),
    ("http://jjrd.example/col/list.jsp?page=2", None),  # a page not named so: the link cannot be known
])
def test_a_trs_pager_written_from_its_variables(url, following):
    script = ('<script>var currentPage = 1;//所在页从0开始\nvar countPage = 5//共多少页\ndocument.write("共"+countPage+"页");'
              'if (currentPage < countPage - 1) { document.write("<a href=index_" + (currentPage + 1) + ".html>下一页</a>"); }</script>')
    page = parse_list(numbered_list(script), url)
    assert (page.page, page.total_pages) == (2, 5)
    assert page.next_requests == ([PageRequest(following)] if following else [])
    assert bool(page.unreadable_pager) == (following is None)


def test_a_load_more_button_goes_to_the_page_it_names():
    body = numbered_list("").replace(b"</body>", '<button type="button" class="load-more" next-url="/col/index_3.html">查看更多</button></body>'.encode())
    assert parse_list(body, "http://jjrd.example/col/index_2.html").next_requests == [PageRequest("http://jjrd.example/col/index_3.html")]


@pytest.mark.parametrize("component", [
    '<el-pagination layout="prev, pager, next" :total="total" @current-change="go"></el-pagination>',  # Element UI
    '<a-pagination v-model:current="page" :total="total" show-less-items />',  # Ant Design Vue
])
def test_a_framework_pager_component_left_in_the_page_may_hide_more_pages(component):
    parsed = parse_list(numbered_list(f'<div id="app">{component}</div>'), "http://jjrd.example/syyj/")
    assert parsed.next_requests == []
    assert f"<{component[1:component.index(' ')]}>" in parsed.unreadable_pager


def test_rows_that_open_by_a_function_of_the_page_go_where_the_function_goes():
    rows = "<ul>" + "".join(f"""<li><a href="javascript:void(0)" onclick="openArticle('{n}', 2)">{TITLE.format(n=n)}</a>"""
                            f"<span>2022-01-{n:02d}</span></li>" for n in range(1, 16)) + "</ul>"
    script = ('<script>var base = "/art/"; function openArticle(id, kind) { var url = base + kind + "/" + id + ".html"; '
              "window.open(url); }</script>")
    page = parse_list(_column_page(rows).replace(b"<body>", f"<body>{script}".encode()), "http://jjrd.example/col/index.html")
    assert [entry.url for entry in page.entries] == [f"http://jjrd.example/art/2/{n}.html" for n in range(1, 16)]
    # A function the page does not define, or one that goes nowhere, makes no row.
    assert parse_list(_column_page(rows), "http://jjrd.example/col/index.html").entries == []


@pytest.mark.parametrize("markup", ["table", "div"])
@pytest.mark.parametrize("left", [1, 2, 3])
def test_a_last_page_of_one_or_two_rows_gives_its_rows(markup, left):
    """Two rows are too few to tell a list by; the trail's links above them (网站首页 > 审议意见)
    reached the first row's date, and the page read as one entry, 网站首页."""
    site = Site(markup=markup, page_size=len(Site().opinions()) - left)
    body, url, content_type = ReplicaPages(site).followed("/list.asp?ClassID=5&page=2")
    page = parse_list(body, url, content_type)
    assert [entry.url for entry in page.entries] == [BASE + site.article_path(article) for article in site.opinions()[-left:]]
    assert (page.page, page.total_pages) == (2, 2)


# A TRS column's last page of one row, beside a box of another column's two (the replica's TRS
# markup with its other rows taken out).
TRS_LAST_PAGE = """<html><head><meta charset="utf-8"><title>审议意见</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/gzdt/">工作动态</a><a href="/shyj/">审议意见</a></div>
<div class="container"><div class="position">当前位置：<a href="../">首页</a> &gt; <a href="./">审议意见</a></div>
<div class="list"><ul><li><a href="./201205/t20120523_1001.html" title="关于我区食品安全工作情况的审议意见">关于我区食品安全工作情况的审议意见</a>
<span>2012-05-23</span></li></ul></div>
<div class="page"><script>createPageHTML(3, 2, "index", "shtml");</script></div>
<div class="side"><h4>工作动态</h4><ul><li><a href="../gzdt/202210/t20221020_9001.html">区人大常委会召开第五次主任会议</a><span>2022-10-20</span></li>
<li><a href="../dbgz/202209/t20220916_9002.html">区人大代表开展代表联络站开放日活动</a><span>2022-09-16</span></li></ul></div></div>
</body></html>"""


def test_a_last_page_of_one_row_beside_another_columns_box_gives_its_row():
    page = parse_list(TRS_LAST_PAGE.encode(), "http://rd.example/shyj/index_2.shtml")
    assert [entry.url for entry in page.entries] == ["http://rd.example/shyj/201205/t20120523_1001.html"]


def _list_with_next(onclick: str) -> bytes:
    rows = "".join(f'<li><a href="/shyj/2022/t{n}.shtml">关于我区第{n}项工作情况的审议意见</a><span>2022-11-{n:02d}</span></li>'
                   for n in range(1, 16))
    return (f'<html><body><div class="crumb">当前位置：<a href="/">首页</a> &gt; 审议意见</div><ul class="list">{rows}</ul>'
            f'<div class="page"><a href="javascript:;" class="cur">1</a> '
            f'<a title="下一页" href="javascript:void(0)" onclick="{onclick}">下一页</a></div></body></html>').encode()


@pytest.mark.parametrize("onclick, following", [
    ("queryArticleByCondition(this,'/shyj/list-2.shtml')", "http://rd.example/shyj/list-2.shtml"),  # 慧点's CMS
    ("goPage('index_2.html')", "http://rd.example/shyj/index_2.html"),
    ("goPage(2)", None),  # a number for a function the page does not hold: unreadable
    ("show('a.html','b.html')", None),  # which of two?
])
def test_a_next_link_calling_a_script_files_function_with_a_pages_address_goes_there(onclick, following):
    page = parse_list(_list_with_next(onclick), "http://rd.example/shyj/list.shtml")
    assert [request.url for request in page.next_requests] == ([following] if following else [])
    assert (page.unreadable_pager is None) is (following is not None)


def test_a_pager_a_script_decodes_from_base64_is_read():
    """Yunnan's template writes its pager's HTML, URL-encoded, in base64 into <div id="pages">,
    and a script decodes it (window.atob)."""
    pager = ('<a href="index.shtml">首页</a> <span>1</span> <a href="index_1.shtml">2</a> '
             '<a href="index_1.shtml">下一页</a> <a href="index_4.shtml">尾页</a> 共5页')
    encoded = base64.b64encode(quote_plus(pager).encode()).decode()
    rows = "".join(f'<li><a href="./202211/t2022111{n}_{n}.shtml">关于我区第{n}项工作情况的审议意见</a><span>2022-11-1{n}</span></li>'
                   for n in range(1, 9))
    html = (f'<html><body><div class="crumb">当前位置：<a href="/">首页</a> &gt; 审议意见</div><ul class="list">{rows}</ul>'
            f'<div id="pages">{encoded}</div><script>var p=document.getElementById("pages");'
            'p.innerHTML=decodeURIComponent(window.atob(p.innerText));</script></body></html>')
    page = parse_list(html.encode(), "http://rd.example/shyj/index.shtml")
    assert [request.url for request in page.next_requests] == ["http://rd.example/shyj/index_1.shtml"]
    assert (page.page, page.total_pages) == (1, 5) and len(page.entries) == 8
