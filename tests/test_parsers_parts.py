"""Articles the site pages (共3页 上一页 1 2 3 下一页): each page names the next, and the pages'
records join into the document's."""

from __future__ import annotations

import pytest

from parsers import join_parts, parse_article, same_document

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


def empire_pager(current: int, total: int = 3) -> str:
    """EmpireCMS: its count as 2/3 in bold, then 首页 上一页 1 [2] 3 下一页 尾页, the current page bold."""
    def url(n: int) -> str:
        return "/syyj/2023-05-10/56.html" if n == 1 else f"/syyj/2023-05-10/56_{n}.html"
    numbers = "&nbsp;".join(f"<b>{n}</b>" if n == current else f"<a href='{url(n)}'>{n}</a>" for n in range(1, total + 1))
    ends = (f"<a href='{url(current - 1)}'>上一页</a>&nbsp;" if current > 1 else "",
            f"&nbsp;<a href='{url(current + 1)}'>下一页</a>" if current < total else "")
    return f"<p align='center'><a title='Page'>&nbsp;<b>{current}</b>/<b>{total}</b> </a>&nbsp;{ends[0]}{numbers}{ends[1]}</p>"


def discuz_pager(current: int, total: int = 3) -> str:
    """Discuz! portal: the current page <strong>, a jump box, / 3 页, 下一页 (class nxt)."""
    def url(n: int) -> str:
        return f"portal.php?mod=view&aid=78&amp;page={n}"
    numbers = "".join(f"<strong>{n}</strong>" if n == current else f"<a href='{url(n)}'>{n}</a>" for n in range(1, total + 1))
    following = f"<a href='{url(current + 1)}' class='nxt'>下一页</a>" if current < total else ""
    return (f"<div class='pg'>{numbers}<label><input type='text' name='custompage' size='2' value='{current}'>"
            f"<span title='共 {total} 页'> / {total} 页</span></label>{following}</div>")


def wordpress_pager(current: int, total: int = 3) -> str:
    """WordPress's wp_link_pages: 页面： and numbers, the current one a <span>, no 下一页."""
    numbers = " ".join(f"<span class='post-page-numbers current'>{n}</span>" if n == current else
                       f"<a class='post-page-numbers' href='/2023/05/10/shenyi/{'' if n == 1 else f'{n}/'}'>{n}</a>"
                       for n in range(1, total + 1))
    return f"<div class='page-links'>页面： {numbers}</div>"


def jeecms_pager(current: int, total: int = 3) -> str:
    """JEECMS: [1] [2] [下一页], every number linked, the current one to itself."""
    def url(n: int) -> str:
        return "567.jhtml" if n == 1 else f"567_{n}.jhtml"
    numbers = "&nbsp;".join(f"<a href='{url(n)}'>[<span class='p2-crr'>{n}</span>]</a>" if n == current else
                            f"<a href='{url(n)}'>[{n}]</a>" for n in range(1, total + 1))
    following = f"&nbsp;<a href='{url(current + 1)}'>[下一页]</a>" if current < total else ""
    return f"<div class='pagebar'>{numbers}{following}</div>"


def trs_var_pager(current: int, total: int = 3) -> str:
    """TRS WCM's own article pager: document.write of links from var currentPage (0-based) and var countPage."""
    return (f"<div class='page'><script>var currentPage = {current - 1};//所在页从0开始\nvar nextPage = currentPage+1//下一页\n"
            f"var countPage = {total}//共多少页\nif(countPage>1&&currentPage!=(countPage-1))\n"
            f"document.write(\"<a href=\\\"t20230510_12\"+\"_\" + nextPage + \".\"+\"html\\\">下一页</a>\");\n</script></div>")


PAGERS = {
    "dedecms": (dede_pager, "http://x.gov.cn/a/12.html", ["http://x.gov.cn/a/12_2.html", "http://x.gov.cn/a/12_3.html"]),
    "phpcms": (phpcms_pager, "http://x.gov.cn/html/2023/shyj_0510/12.html",
               ["http://x.gov.cn/html/2023/shyj_0510/12_2.html", "http://x.gov.cn/html/2023/shyj_0510/12_3.html"]),
    "powereasy": (powereasy_pager, "http://x.gov.cn/Article/ShowArticle.asp?ArticleID=12",
                  ["http://x.gov.cn/Article/ShowArticle.asp?ArticleID=12&ArticlePage=2",
                   "http://x.gov.cn/Article/ShowArticle.asp?ArticleID=12&ArticlePage=3"]),
    "trs": (trs_pager, "http://x.gov.cn/art/2023/5/10/t20230510_12.html",
            ["http://x.gov.cn/art/2023/5/10/t20230510_12_1.html", "http://x.gov.cn/art/2023/5/10/t20230510_12_2.html"]),
    "trs-var": (trs_var_pager, "http://x.gov.cn/syyj/202305/t20230510_12.html",
                ["http://x.gov.cn/syyj/202305/t20230510_12_1.html", "http://x.gov.cn/syyj/202305/t20230510_12_2.html"]),
    "empire": (empire_pager, "http://x.gov.cn/syyj/2023-05-10/56.html",
               ["http://x.gov.cn/syyj/2023-05-10/56_2.html", "http://x.gov.cn/syyj/2023-05-10/56_3.html"]),
    "discuz": (discuz_pager, "http://x.gov.cn/portal.php?mod=view&aid=78",
               ["http://x.gov.cn/portal.php?mod=view&aid=78&page=2", "http://x.gov.cn/portal.php?mod=view&aid=78&page=3"]),
    "wordpress": (wordpress_pager, "http://x.gov.cn/2023/05/10/shenyi/",
                  ["http://x.gov.cn/2023/05/10/shenyi/2/", "http://x.gov.cn/2023/05/10/shenyi/3/"]),
    "jeecms": (jeecms_pager, "http://x.gov.cn/syyj/567.jhtml", ["http://x.gov.cn/syyj/567_2.jhtml", "http://x.gov.cn/syyj/567_3.jhtml"]),
}


@pytest.mark.parametrize("family", PAGERS)
def test_each_page_of_a_paged_article_names_the_next_and_the_last_none(family):
    pager, first_url, later_urls = PAGERS[family]
    urls = [first_url, *later_urls]
    for number, (url, paragraphs) in enumerate(zip(urls, PARTS), start=1):
        record = parse_article(page(paragraphs, pager(number)), url)
        assert record.paragraphs == paragraphs, (family, number)  # the pager is not body text
        assert record.parts == urls[number:number + 1], (family, number)


@pytest.mark.parametrize("family", ["empire", "wordpress"])
def test_a_pager_inside_the_body_is_no_paragraph_of_it(family):
    pager, first_url, later_urls = PAGERS[family]
    urls = [first_url, *later_urls]
    for number, (url, paragraphs) in enumerate(zip(urls, PARTS), start=1):
        inside = page(paragraphs, "").replace(b"</p></div>", f"</p>{pager(number)}</div>".encode(), 1)
        record = parse_article(inside, url)
        assert record.paragraphs == paragraphs, (family, number)
        assert record.parts == urls[number:number + 1], (family, number)


def test_dedecms_credits_between_the_text_and_its_pager_do_not_hide_it():
    first = page(PARTS[0], "").replace(b"</p></div>", f"</p>(责任编辑：admin)</div>{dede_pager(1)}".encode(), 1)
    record = parse_article(first, "http://x.gov.cn/a/12.html")
    assert record.paragraphs == PARTS[0]
    assert record.parts == ["http://x.gov.cn/a/12_2.html"]


@pytest.mark.parametrize("prev, following", [("&lt;&lt;上一页", "下一页&gt;&gt;"), ("« 上一页", "下一页 »"), ("←上一页", "下一页→")])
def test_a_pagers_words_may_stand_between_arrows(prev, following):
    pager = (f"<div class='pages'><a href='/a/12.html'>{prev}</a> <a href='/a/12.html'>1</a> <span>2</span> "
             f"<a href='/a/12_3.html'>3</a> <a href='/a/12_3.html'>{following}</a></div>")
    record = parse_article(page(PARTS[1], pager), "http://x.gov.cn/a/12_2.html")
    assert (record.paragraphs, record.parts) == (PARTS[1], ["http://x.gov.cn/a/12_3.html"])


def test_pages_numbered_as_di_n_ye_name_the_next():
    pager = "<div>第1页 <a href='/a/12_2.html'>第2页</a> <a href='/a/12_3.html'>第3页</a></div>"
    record = parse_article(page(PARTS[0], pager), "http://x.gov.cn/a/12.html")
    assert (record.paragraphs, record.parts) == (PARTS[0], ["http://x.gov.cn/a/12_2.html"])


@pytest.mark.parametrize("links", [
    "<a href='/a/11.html'>上一页</a> <a href='/a/13.html'>下一页</a>",  # the neighbours, in a template's words
    "<a href='/a/11.html'>&lt; 上一页</a> <a href='/a/13.html'>下一页 &gt;</a>",
])
def test_a_next_page_link_with_no_page_numbers_or_count_is_no_pager(links):
    record = parse_article(page(sum(PARTS, []), f"<div>{links}</div>"), "http://x.gov.cn/a/12.html")
    assert record.parts == []


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


@pytest.mark.parametrize("first, later, same", [
    (TITLE, TITLE, True),
    (TITLE, f"{TITLE}(2)", True),  # DedeCMS numbers its later pages' titles
    (TITLE, "关于全区文化工作情况的审议意见", False),
])
def test_a_later_page_is_the_documents_under_its_title(first, later, same):
    assert same_document(first, later) is same
