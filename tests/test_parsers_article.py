"""Article parser over replica pages, in both markups of the site."""

from __future__ import annotations

import pytest

from parsers import NotAnArticle, ParseError, parse_article, parse_list
from replica.truth import expected_record


def parse(pages, article):
    return parse_article(*pages.article(article))


def test_reference_page_fields(pages):
    record = parse(pages, pages.reference)
    assert record.title == "关于区十一届人大一次会议代表建议办理情况的审议意见"
    assert (record.published_at, record.published_at_source) == ("2022-11-15T17:21:10+08:00", "page")
    assert record.source == "椒江人大网"
    assert record.view_count == 44920
    assert record.column == "审议意见"
    assert record.paragraphs[:3] == ["台州市椒江区人大常委会", record.title, "区人民政府:"]
    assert record.paragraphs[-2:] == ["台州市椒江区人大常委会", "2022年11月15日"]
    assert record.prev is None
    assert record.next["title"] == "关于我区贯彻实施《中华人民共和国残疾人保障法》《浙江省残疾人保障条例》情况的审议意见"
    # Nothing from the navigation, side lists or footer leaks into the body.
    for outside in ("上一条", "相关文章", "最新更新", "阅读排行", "版权所有", "您当前位置"):
        assert outside not in record.body_text


def test_every_replica_article_matches_ground_truth(site, pages):
    for article in site.articles:
        record = parse(pages, article).to_dict()
        expected = expected_record(article, None if article.counter_script else site.views[article.id])
        assert {key: record[key] for key in expected} == expected, article.title


def test_gbk_only_characters_survive_gb2312_declaration(site, pages):
    article = next(a for a in site.articles if "喆" in "".join(a.paragraphs))
    body, url, content_type = pages.article(article)
    assert "charset=gb2312" in content_type
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")
    record = parse_article(body, url, content_type)
    assert "喆" in record.body_text
    assert record.encoding == "gb18030"


def test_counter_script_page_has_no_inline_count(site, pages):
    article = next(a for a in site.articles if a.counter_script)
    record = parse(pages, article)
    assert record.view_count is None
    assert record.view_count_url.endswith(f"/count.asp?id={article.id}")


def test_full_title_where_the_list_cuts_it(table_site, table_pages):
    article = next(a for a in table_site.opinions()[:15] if len(a.title) > 32)
    entry = next(e for e in parse_list(*table_pages.get("/list.asp?ClassID=5")).entries if e.url.endswith(f"={article.id}"))
    assert entry.truncated and entry.title != article.title
    assert parse(table_pages, article).title == article.title


def test_older_page_with_numbered_headings(site, pages):
    article = next(a for a in site.articles if any(p.startswith("一、") for p in a.paragraphs))
    record = parse(pages, article)
    assert "一、" + next(p for p in article.paragraphs if p.startswith("一、"))[2:] in record.paragraphs
    assert record.published_at.startswith("2012")


def test_attachments_are_listed(site, pages):
    article = next(a for a in site.articles if len(a.attachments) == 2)
    record = parse(pages, article)
    assert [a["name"] for a in record.attachments] == [a["name"] for a in article.attachments]
    assert all(a["url"].startswith("http://jjrd.example/UploadFiles/") for a in record.attachments)


def test_soft_404_raises_typed_error(pages):
    with pytest.raises(NotAnArticle) as raised:
        parse_article(*pages.get("/ShowArticle.asp?ArticleID=99999"))
    assert raised.value.reason == "soft_404"
    assert "该信息不存在" in str(raised.value)


@pytest.mark.parametrize("body, reason", [
    (b"", "empty"),
    (b"<html><body><p>hello</p></body></html>", "no_header"),
    ("<html><body><p>发布时间:2020-01-01</p></body></html>".encode("gbk"), "no_title"),
    ("<html><body><h1>关于某事的审议意见</h1><p>发布时间:2020-01-01</p><p>上一条:没有了</p></body></html>".encode("gbk"), "empty_body"),
    (b"\x81\x20\xff\xfe\x80 not text in any charset", "undecodable"),
])
def test_non_articles_raise_typed_error(body, reason):
    with pytest.raises(ParseError) as raised:
        parse_article(body, "http://jjrd.example/x.asp")
    assert raised.value.reason == reason


def test_list_page_is_not_an_article(pages):
    with pytest.raises(NotAnArticle):
        parse_article(*pages.get("/list.asp?ClassID=5"))


UNSEEN_ARTICLE = """<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>椒江人大网</title></head><body>
<div class="top"><a href="/">网站首页</a><a href="/list/5.html">审议意见</a></div>
<div class="left"><div class="tit">阅读排行</div><a href="/a/7.html">关于我区学前教育工作情况的审 ..</a></div>
<div class="right">
 <div class="loc">当前位置 &raquo; 首页 &raquo; 审议意见 &raquo; 正文</div>
 <h2>关于我区城市管理行政执法工作情况的审议意见</h2>
 <div class="meta"><span>发布日期：2012年7月9日 08:47</span><span>信息来源：椒江人大网</span>
   <span>点击数：<script src="/inc/hits.asp?id=12"></script></span></div>
 <div id="zoom"><font face="宋体">区人民政府：<br>　　2012年6月28日，区十四届人大常委会第二次会议听取了报告。<br>
 　　会议认为，区政府高度重视。</font></div>
 <div class="pn">【上一篇】<a href="/a/13.html">关于我区文化工作情况的审议意见</a>　【下一篇】没有了</div>
</div><div class="foot">版权所有：椒江区人大常委会办公室</div></body></html>"""


def test_article_in_a_markup_the_replica_does_not_have():
    record = parse_article(UNSEEN_ARTICLE.encode("gbk"), "http://jjrd.example/a/12.html", "text/html")
    assert record.title == "关于我区城市管理行政执法工作情况的审议意见"
    assert record.published_at == "2012-07-09T08:47+08:00"
    assert record.source == "椒江人大网" and record.column == "审议意见"
    assert (record.view_count, record.view_count_url) == (None, "http://jjrd.example/inc/hits.asp?id=12")
    assert record.paragraphs == ["区人民政府：", "2012年6月28日，区十四届人大常委会第二次会议听取了报告。", "会议认为，区政府高度重视。"]
    assert record.prev == {"title": "关于我区文化工作情况的审议意见", "url": "http://jjrd.example/a/13.html"}
    assert record.next is None


def unseen_article(old: str = "", new: str = "") -> bytes:
    assert old in UNSEEN_ARTICLE
    return UNSEEN_ARTICLE.replace(old, new, 1).encode("gbk")


def unseen_record(html: bytes) -> dict:
    return parse_article(html, "http://jjrd.example/a/12.html", "text/html").to_dict()


@pytest.mark.parametrize("old, new", [
    # A copy of another page for search engines or phones, before the page.
    ("<body>", '<body><div style="display: none;"><h1>关于网站改版的说明</h1><p>发布时间：2001-01-01 来源：网站管理员</p></div>'),
    # A hacked site's links in the body, its text going on after them.
    ("区政府高度重视。", '区政府高度<span style="DISPLAY:NONE"><a href="http://casino.example/">澳门娱乐城</a></span>重视。<p style="display:none">bet365</p>'),
])
def test_what_the_page_hides_by_its_markup_is_not_read(old, new):
    record = unseen_record(unseen_article(old, new))
    assert record == unseen_record(unseen_article())
    assert not any(word in record["body_text"] + record["title"] for word in ("澳门", "bet365", "改版"))


_HIDDEN_BY_CLASS = '<div class="yc"><h1>关于网站改版的说明</h1><p>发布时间：2001-01-01 来源：网站管理员</p></div>'


@pytest.mark.parametrize("rule", [".yc{display:none}", "DIV.yc { DISPLAY: NONE }", "/* 适老版 */ .old, .yc {color:red; display : none !important}",
                                  "@import url(a.css); .yc{display:none}"])
def test_what_the_pages_own_stylesheet_hides_is_not_read(rule):
    page = unseen_article("</head>", f"<style type=\"text/css\">{rule}</style></head>").decode("gbk")
    record = unseen_record(page.replace("<body>", "<body>" + _HIDDEN_BY_CLASS, 1).encode("gbk"))
    assert record == unseen_record(unseen_article())


@pytest.mark.parametrize("rule", ["@media print { .yc{display:none} }", "@media (max-width: 768px) { .x{color:red} .yc{display:none} }",
                                  ".top .yc{display:none}", ".yc:hover{display:none}", ".yc{display:block}"])
def test_what_a_stylesheet_hides_only_on_some_screens_or_in_some_places_is_read(rule):
    page = unseen_article("</head>", f"<style>{rule}</style></head>").decode("gbk")
    record = unseen_record(page.replace("<body>", "<body>" + _HIDDEN_BY_CLASS.replace("<h1>", "<p>").replace("</h1>", "</p>"), 1).encode("gbk"))
    assert "关于网站改版的说明" in record["body_text"] or "关于网站改版的说明" in record["title"]


_META = """<div class="meta"><span>发布日期：2012年7月9日 08:47</span><span>信息来源：椒江人大网</span>
   <span>点击数：<script src="/inc/hits.asp?id=12"></script></span></div>"""


@pytest.mark.parametrize("header", [
    # A 信息公开 table, a label in a cell of its own, no colon; the count a script writes before its unit.
    '<table><tr><th>发布日期</th><td>2012年7月9日 08:47</td></tr><tr><th>作者</th><td>办公室</td></tr>'
    '<tr><th>信息来源</th><td>椒江人大网</td></tr><tr><th>点击数</th><td><script src="/inc/hits.asp?id=12"></script>次</td></tr></table>',
    # A definition list, each label over its value, other fields between.
    '<dl><dt>信息来源</dt><dd>椒江人大网</dd><dt>作者</dt><dd>办公室</dd><dt>发布日期</dt><dd>2012年7月9日 08:47</dd>'
    '<dt>评论</dt><dd>0</dd><dt>点击数</dt><dd><script src="/inc/hits.asp?id=12"></script></dd></dl>',
    # Fields a line each, an author's and a comment count's among them.
    '<div>发布日期：2012年7月9日 08:47</div><div>作者：办公室</div><div>信息来源：椒江人大网</div><div>评论：0</div>'
    '<div>点击数：<script src="/inc/hits.asp?id=12"></script></div>',
])
def test_a_header_of_stacked_fields_with_other_fields_among_them_is_read_whole(header):
    assert unseen_record(unseen_article(_META, header)) == unseen_record(unseen_article())


@pytest.mark.parametrize("link", ['<a href="javascript:void(0);" onclick="window.open(\'/a/13.html\')">',
                                  '<a href="#" onclick="location.href=\'/a/13.html\';return false;">',
                                  "<a href=\"javascript:location.href='/a/13.html'\">", '<a onclick="window.open(\'/a/13.html\')">'])
def test_a_neighbour_that_opens_by_its_click_script_is_read(link):
    record = unseen_record(unseen_article('<a href="/a/13.html">', link))
    assert record["prev"] == {"title": "关于我区文化工作情况的审议意见", "url": "http://jjrd.example/a/13.html"}


def test_an_article_its_page_hides_until_a_script_shows_it_is_read():
    hidden = unseen_article('<div class="right">', '<div class="right" style="display:none">')
    shown_by_script = hidden.replace(b"</body>", b"<script>$('.right').fadeIn();</script></body>")
    assert unseen_record(shown_by_script) == unseen_record(unseen_article())
    assert unseen_record(unseen_article("<body>", '<body style="display:none">')) == unseen_record(unseen_article())


def test_an_editors_credit_run_on_at_the_bodys_end_is_left_out():
    """DedeCMS writes (责任编辑：admin) straight after the body: a body that ends in text, not a
    paragraph, ends its last line with it."""
    signed = "会议认为，区政府高度重视。<br>　　台州市椒江区人大常委会<br>　　2012年7月9日"
    record = unseen_record(unseen_article("会议认为，区政府高度重视。</font></div>", f"{signed}（责任编辑：admin）</font></div>"))
    assert record["paragraphs"][-2:] == ["台州市椒江区人大常委会", "2012年7月9日"]
    assert record["facts"]["signed_date"] == "2012-07-09"
    assert record == unseen_record(unseen_article("会议认为，区政府高度重视。</font></div>", f"{signed}</font></div>（责任编辑：admin）"))


def test_a_trail_in_slashes_names_the_column_and_a_menu_in_slashes_does_not():
    menu = ('<div class="top"><a href="/">首页</a> / <a href="/gk/">人大概况</a> / <a href="/dt/">工作动态</a> / '
            '<a href="/list/5.html">审议意见</a> / <a href="/db/">代表工作</a> / <a href="/lx/">联系我们</a></div>')
    page = UNSEEN_ARTICLE.replace('<div class="top"><a href="/">网站首页</a><a href="/list/5.html">审议意见</a></div>', menu)
    trail = '<div class="loc"><a href="/">首页</a> / <a href="/list/5.html">审议意见</a> / 正文</div>'
    with_trail = page.replace('<div class="loc">当前位置 &raquo; 首页 &raquo; 审议意见 &raquo; 正文</div>', trail)
    assert unseen_record(with_trail.encode("gbk"))["column"] == "审议意见"
    without_trail = page.replace('<div class="loc">当前位置 &raquo; 首页 &raquo; 审议意见 &raquo; 正文</div>', "")
    assert menu in without_trail and unseen_record(without_trail.encode("gbk"))["column"] is None


def test_a_header_date_typed_in_full_width_figures_is_read():
    record = unseen_record(unseen_article("发布日期：2012年7月9日 08:47", "发布日期：２０１２－０７－０９ ０８：４７"))
    assert record["published_at"] == "2012-07-09T08:47+08:00"


@pytest.mark.parametrize("shown, count, approximate", [
    ("4.5万", 45000, True), ("12万", 120000, True), ("1.2345万次", 12345, True), ("44,920", 44920, False), ("44920次", 44920, False),
    ("1.2w", 12000, True), ("3.5K", 3500, True), ("10万+", 100000, True), ("999+", 999, True),  # 1.2w was read as 1
])
def test_a_count_rounded_or_a_floor_is_read_as_its_value_and_marked_approximate(shown, count, approximate):
    record = unseen_record(unseen_article('<script src="/inc/hits.asp?id=12"></script>', shown))
    assert (record["view_count"], record["view_count_approximate"], record["view_count_url"]) == (count, approximate, None)


def test_a_fraction_of_no_unit_is_no_count():
    record = unseen_record(unseen_article('<script src="/inc/hits.asp?id=12"></script>', "1.5"))
    assert (record["view_count"], record["view_count_approximate"]) == (None, None)


@pytest.mark.parametrize("shown, published", [
    ("2012/7/9 8:47:00 PM", "2012-07-09T20:47:00+08:00"),  # ASP's time on a server set to English
    ("2012-7-9 12:47 AM", "2012-07-09T00:47+08:00"),
    ("2012-07-09 下午8:47", "2012-07-09T20:47+08:00"),
])
def test_a_header_time_of_twelve_hours_is_read_on_the_twenty_four_hour_clock(shown, published):
    assert unseen_record(unseen_article("发布日期：2012年7月9日 08:47", f"发布日期：{shown}"))["published_at"] == published


@pytest.mark.parametrize("header, source", [
    ('发布时间：2022-11-15 点击数 <script src="/count.asp?id=7"></script> 来源：县人大', "县人大"),
    ('来源：县人大 | 发布时间：2022-11-15 | 浏览次数 <script src="/count.asp?id=7"></script>', "县人大"),
    ('发布日期：2022-11-15 信息来源：县人大浏览次数 <script src="/count.asp?id=7"></script> 字号：大 中 小', "县人大"),
])
def test_a_count_label_without_a_colon_takes_the_count_its_script_writes(header, source):
    html = (f"<html><body><h1>关于我区教育工作情况的审议意见</h1><p>{header}</p>"
            "<p>　　会议认为，区政府在教育工作上做了大量工作，取得了明显成效，本网站的访问次数</p>"
            "<p>　　会议要求，区政府认真研究处理。</p></body></html>")
    record = parse_article(html.encode(), "http://x.gov.cn/shyj/7.html")
    assert (record.view_count, record.view_count_url, record.source) == (None, "http://x.gov.cn/count.asp?id=7", source)
    # A sentence that ends with a count's word is the body's, not a header.
    assert record.paragraphs[0].endswith("本网站的访问次数")
