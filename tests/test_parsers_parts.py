"""Articles the site pages (共3页 上一页 1 2 3 下一页): each page names the next, and the pages'
records join into the document's."""

from __future__ import annotations

import pytest

from parsers import join_parts, parse_article

TITLE = "关于全区教育工作情况的审议意见"
HEADER = f"<h1>{TITLE}</h1><div>发布时间：2023-05-10 09:00 来源：县人大 点击：12</div>"
NEIGHBOURS = "<div>上一篇：<a href='/a/99.html'>关于全区文化工作情况的审议意见</a></div>"
PARTS = [
    ["县人民政府：", "2023年4月26日，县十七届人大常委会第十次会议听取和审议了县人民政府关于全区教育工作情况的报告。"],
    ["会议认为，县政府高度重视教育工作，成效明显。", "一是加强领导，落实责任。"],
    ["二是补齐短板，均衡发展。", "请县人民政府在2个月内将研究处理情况报告县人大常委会。", "某某县人大常委会", "2023年5月10日"],
]


def page(paragraphs: list[str], pager: str, attachment: str = "") -> bytes:
    body = "".join(f"<p>{text}</p>" for text in paragraphs)
    return (f'<html><head><meta charset="utf-8"><title>{TITLE}_某某县人大</title></head><body>'
            f'<div class="nav">网站首页 | 审议意见</div>{HEADER}<div class="content">{body}{attachment}</div>'
            f'{pager}{NEIGHBOURS}<div>版权所有：某某县人大常委会</div></body></html>').encode()


def dede_pager(current: int, total: int = 3) -> str:
    """DedeCMS: each piece in an <li>, the current page a bare <a>."""
    def url(n: int) -> str:
        return "/a/12.html" if n == 1 else f"/a/12_{n}.html"
    pieces = [f"<li><a>共{total}页: </a></li>"]
    pieces.append(f"<li><a href='{url(current - 1)}'>上一页</a></li>" if current > 1 else "")
    pieces += [f"<li class='thisclass'><a href='#'>{n}</a></li>" if n == current else f"<li><a href='{url(n)}'>{n}</a></li>"
               for n in range(1, total + 1)]
    pieces.append(f"<li><a href='{url(current + 1)}'>下一页</a></li>" if current < total else "")
    return f"<ul class='pagelist'>{''.join(pieces)}</ul>"


def phpcms_pager(current: int, total: int = 3) -> str:
    """PHPCMS: the current page a <span>, the others links, 下一页 to the next (itself on the last)."""
    def url(n: int) -> str:
        return f"/html/2023/shyj_0510/12{'' if n == 1 else f'_{n}'}.html"
    numbers = "".join(f"<span>{n}</span>" if n == current else f"<a href='{url(n)}'>{n}</a>" for n in range(1, total + 1))
    return f"<div id='pages'><a href='{url(max(current - 1, 1))}'>上一页</a>{numbers}<a href='{url(min(current + 1, total))}'>下一页</a></div>"


def powereasy_pager(current: int, total: int = 3) -> str:
    """PowerEasy: [1] [2] [3], the current page unlinked and red."""
    def url(n: int) -> str:
        return "/Article/ShowArticle.asp?ArticleID=12" + ("" if n == 1 else f"&ArticlePage={n}")
    numbers = " ".join(f"<font color='red'>[{n}]</font>" if n == current else f"<a href='{url(n)}'>[{n}]</a>"
                       for n in range(1, total + 1))
    following = f" <a href='{url(current + 1)}'>下一页</a>" if current < total else ""
    return f"<p align='center'>{numbers}{following}</p>"


def trs_pager(current: int, total: int = 3) -> str:
    """TRS WCM: the pager written by a script, 0-based."""
    return f'<div><script>createPageHTML({total}, {current - 1}, "t20230510_12", "html");</script></div>'


PAGERS = {
    "dedecms": (dede_pager, "http://x.gov.cn/a/12.html", ["http://x.gov.cn/a/12_2.html", "http://x.gov.cn/a/12_3.html"]),
    "phpcms": (phpcms_pager, "http://x.gov.cn/html/2023/shyj_0510/12.html",
               ["http://x.gov.cn/html/2023/shyj_0510/12_2.html", "http://x.gov.cn/html/2023/shyj_0510/12_3.html"]),
    "powereasy": (powereasy_pager, "http://x.gov.cn/Article/ShowArticle.asp?ArticleID=12",
                  ["http://x.gov.cn/Article/ShowArticle.asp?ArticleID=12&ArticlePage=2",
                   "http://x.gov.cn/Article/ShowArticle.asp?ArticleID=12&ArticlePage=3"]),
    "trs": (trs_pager, "http://x.gov.cn/art/2023/5/10/t20230510_12.html",
            ["http://x.gov.cn/art/2023/5/10/t20230510_12_1.html", "http://x.gov.cn/art/2023/5/10/t20230510_12_2.html"]),
}


@pytest.mark.parametrize("family", PAGERS)
def test_each_page_of_a_paged_article_names_the_next_and_the_last_none(family):
    pager, first_url, later_urls = PAGERS[family]
    urls = [first_url, *later_urls]
    for number, (url, paragraphs) in enumerate(zip(urls, PARTS), start=1):
        record = parse_article(page(paragraphs, pager(number)), url)
        assert record.paragraphs == paragraphs, (family, number)  # the pager is not body text
        assert record.parts == urls[number:number + 1], (family, number)


def test_a_page_without_a_pager_names_no_part():
    record = parse_article(page(sum(PARTS, []), ""), "http://x.gov.cn/a/12.html")
    assert record.parts == []


def test_a_list_of_numbered_links_under_the_body_is_no_pager():
    related = "<ul><li><a href='/a/7.html'>1</a></li><li><a href='/a/8.html'>2</a></li></ul>"
    record = parse_article(page(sum(PARTS, []), related), "http://x.gov.cn/a/12.html")
    assert record.parts == []


def test_the_pages_join_into_the_whole_document():
    urls = ["http://x.gov.cn/a/12.html", "http://x.gov.cn/a/12_2.html", "http://x.gov.cn/a/12_3.html"]
    attachment = "<p><a href='/uploads/jd.pdf'>附件：解读.pdf</a></p>"
    records = [parse_article(page(paragraphs, dede_pager(number), attachment if number == 3 else ""), url).to_dict()
               for number, (url, paragraphs) in enumerate(zip(urls, PARTS), start=1)]
    whole = parse_article(page(sum(PARTS, []), "", attachment), urls[0]).to_dict()
    joined = join_parts(records)
    assert joined["parts"] == urls[1:]
    assert joined["url"] == urls[0]
    for key in ("title", "published_at", "source", "view_count", "body_text", "paragraphs", "attachments", "images",
                "sections", "facts", "prev"):
        assert joined[key] == whole[key], key
    assert joined["facts"]["signed_date"] == "2023-05-10"  # read on the last page
    assert joined["facts"]["meeting_date"] == "2023-04-26"  # read on the first


def test_a_document_of_one_page_joins_to_itself():
    record = parse_article(page(sum(PARTS, []), ""), "http://x.gov.cn/a/12.html").to_dict()
    assert join_parts([record]) == record
