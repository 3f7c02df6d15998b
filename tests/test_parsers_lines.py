"""A page's lines, read lazily: whatever way they are read, they are the lines of a full walk."""

from __future__ import annotations

from itertools import islice, product
from urllib.parse import urljoin

import pytest

from parsers.lines import absolute_url, clean_text, page_lines


def texts(lines) -> list[str]:
    return [line.text for line in lines]


def test_lazy_lines_read_any_way_are_the_full_walks_lines(pages):
    page = pages.article(pages.reference)
    full = texts(page_lines(*page).lines)
    assert len(full) > 20

    def fresh():
        return page_lines(*page).lines

    assert fresh()[5].text == full[5]
    assert texts(fresh()[3:9]) == full[3:9]
    assert texts(islice(fresh(), 10, None)) == full[10:]
    assert fresh()[-1].text == full[-1]
    assert texts(fresh()[-4:]) == full[-4:]
    assert len(fresh()) == len(full)
    lines = fresh()
    assert [lines[index].text for index in (7, 2, 12)] == [full[7], full[2], full[12]]  # back and forth
    assert texts(lines) == full


def test_clean_text_collapses_only_the_spaces_a_browser_collapses():
    # U+3000 and no-break spaces collapse; U+2028 and U+001C, whitespace to str.split(), stay.
    assert clean_text("  会议\u3000\u00a0认为 \t 好  ") == "会议 认为 好"
    assert clean_text("a\u2028 b\x1c  c") == "a\u2028 b\x1c c"
    assert clean_text("\ufeff中 \ufeff 文") == "中 文"


def test_clean_text_drops_what_a_browser_draws_as_nothing():
    # Zero-width spaces and joiners, the word joiner, the soft hyphen and U+FEFF, as pasted text holds them.
    assert clean_text("关\u200b于区\u200d十一\u2060届\u00ad人大\ufeff会议：  ") == "关于区十一届人大会议："
    assert clean_text("发\u200b布时间：2022-11-15") == "发布时间：2022-11-15"


def test_clean_text_joins_a_label_spaced_out_to_line_up_with_others():
    assert clean_text("来\u3000源：县人大 作\u00a0\u00a0者：办公室") == "来源：县人大 作者：办公室"
    assert clean_text("作    者：佚名") == "作者：佚名"  # PowerEasy's tooltip, in ASCII spaces
    assert clean_text("17:21 发\u3000布\u3000时\u3000间 ：2022") == "17:21 发布时间 ：2022"
    # Not a label: a Chinese character before the first, no colon after the last, English words.
    assert clean_text("文章来\u3000源：椒江") == "文章来 源：椒江"
    assert clean_text("会\u3000议\u3000认为") == "会 议 认为"
    assert clean_text("a  b: c") == "a b: c"


def test_clean_text_of_printable_text_within_whitespace_ends():
    # The short cut for a printable text between stripped ends: whatever the ends hold (line breaks
    # by CJK, characters that split() and _SPACE_RUN tell apart), only its plain spaces collapse.
    assert clean_text("\n\t\t会议  认为 好\r\n  ") == "会议 认为 好"
    assert clean_text("\u3000\n中文\n\u3000") == "中文"
    assert clean_text(" \x1c\u2028a b\x85 ") == "a b"
    assert clean_text("\ufeff a  b") == "a b"  # U+FEFF is not stripped: the regular expressions' way
    assert clean_text("中\n文") == "中文"  # a line break inside: the regular expressions' way
    assert clean_text("") == clean_text("  \n ") == ""


BASES = ["http://jjrd.example/a/b.html", "https://h.example:8080/dir/", "http://h.example", "HTTP://Up.Example/x?y#z",
         "http://u:p@h.example/a;p?q", "ftp://f.example/x", "http:///x", "", "http://[x/"]
HREFS = ["/images/top.jpg", "  /a/b.jpg\n", "/module/hits.jsp?colid=1&id=2", "/a/../b", "/./a", "/a/.", "/a?", "/a#top", "/a;p",
         "//cdn.example/x.js", "/", "http://jjrd.example/x?a=1", "https://h.example:8080/y", "http://other.example", "http://",
         "http:///x", "HTTP://h.example/x", "http://h.example/a/../b", "http://[x", "a.jpg", "../a.jpg", "?page=2", "#top",
         "javascript:void(0)", "/中文.jpg", "/a b.jpg", "/a\tb", "", "   "]


def test_absolute_urls_are_what_urljoin_makes_of_them():
    # Plain hrefs take a short cut past urljoin: it must give urljoin's answer, or None where urljoin fails.
    for base, href in product(BASES, HREFS):
        try:
            expected = urljoin(base, href.strip())
        except ValueError:
            expected = None
        assert absolute_url(base, href) == expected, (base, href)


@pytest.mark.parametrize("href, url", [
    # Tomcat's and PHP's session ids, written into the links of a client that showed no cookie yet.
    ("/art/1045.jsp;jsessionid=8E2A1C7F0B?id=5", "http://jjrd.example/art/1045.jsp?id=5"),
    ("/art/1045.jsp;JSESSIONID=8E2A1C7F0B", "http://jjrd.example/art/1045.jsp"),
    ("list.php?PHPSESSID=4f2a9c&page=2", "http://jjrd.example/col/list.php?page=2"),
    ("list.php?page=2&PHPSESSID=4f2a9c", "http://jjrd.example/col/list.php?page=2"),
    ("show.asp?id=3&ASPSESSIONIDQQCTSBRB=KLMNOP", "http://jjrd.example/col/show.asp?id=3"),
    ("/a.html?session=1&sid=4", "http://jjrd.example/a.html?session=1&sid=4"),  # parameters of the site's own
])
def test_a_session_id_in_a_link_is_no_part_of_its_address(href, url):
    assert absolute_url("http://jjrd.example/col/index.html", href) == url


def test_a_links_text_is_all_the_text_inside_it_as_shown():
    html = ('<html><body><p><a href="/1">关于 某某\n的意见</a> <a href="/2"><span>附件</span>1.doc</a> '
            '<a href="/3">上<!-- x -->一条</a> <a href="/4"></a> <a href="/5"> <b> </b> </a>文</p></body></html>')
    [line] = page_lines(html.encode(), "http://jjrd.example/a.html").lines
    assert [(link.url, link.text) for link in line.links] == [
        ("http://jjrd.example/1", "关于 某某的意见"), ("http://jjrd.example/2", "附件1.doc"),
        ("http://jjrd.example/3", "上一条"), ("http://jjrd.example/4", ""), ("http://jjrd.example/5", ""),
    ]


def test_a_page_reads_on_past_the_end_tags_of_an_included_page():
    # A header included as a whole page closes its body and its document before the article, as
    # on www.gov.cn (../shared/real-pages/03): a browser reads on, and so must the lines.
    html = ('<html><head><title>决议</title></head><body><div>首页 &gt; 公报</div>'
            '<html><head><title>页头</title></head><body><div>导航</div></BODY></HTML >\n'
            '<div>正文第一段</div></body><p>正文第二段</p></body></html><script>x()</script>')
    page = page_lines(html.encode(), "http://jjrd.example/a.html")
    assert texts(page.lines) == ["首页 > 公报", "导航", "正文第一段", "正文第二段"]
    assert page.title == "决议"  # the first <title>; the included one shows nowhere


def test_table_cells_stay_apart_where_a_line_break_sits_between_chinese_characters():
    # A line break between two Chinese characters vanishes, as a browser drops it; the cells' own space stays.
    html = "<html><body><table><tr><td>审议意见</td>\n<td>双击自动滚屏</td></tr></table><p>关于\n意见</p></body></html>"
    assert texts(page_lines(html.encode(), "http://jjrd.example/a.html").lines) == ["审议意见 双击自动滚屏", "关于意见"]
