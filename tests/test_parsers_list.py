"""List parser over the replica's column pages, in both markups."""

from __future__ import annotations

from parsers import parse_list


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
