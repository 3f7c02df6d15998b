"""The article parser over saved pages of each CMS family (replica/families): every opinion's page
rendered into bytes as its family serves it, parsed, and compared with the family's ground truth
(replica.truth.family_truth), its view count read from the counter the page names; each family's
answer for a removed article; and the families' idioms in markup the replica does not write."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from parsers import NotAnArticle, parse_article, parse_counter_script
from parsers.counter import counter_counts_own_view
from replica.families import FAMILIES
from replica.site import Site
from replica.truth import expected_sections, family_truth
from tests.conftest import ReplicaPages

FIELDS = ("title", "published_at", "source", "view_count", "body_text", "paragraphs", "view_count_includes_own_fetch",
          "view_count_approximate")


def target(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def archived(site: Site, path: str) -> dict:
    """The record a crawl keeps of one page: its count from the page, else from its counter."""
    record = parse_article(*ReplicaPages(site).followed(path)).to_dict()
    if record["view_count"] is None and record["view_count_url"]:
        counter = site.handle(target(record["view_count_url"]))
        record["view_count"], record["view_count_approximate"] = parse_counter_script(counter.body)
        record["view_count_includes_own_fetch"] = counter_counts_own_view(record["view_count_url"])
    record["view_count_includes_own_fetch"] = bool(record["view_count_includes_own_fetch"])
    return record


@pytest.mark.parametrize("markup", sorted(FAMILIES))
def test_every_field_of_every_opinion(markup):
    site = Site(markup=markup)
    records = {site.article_path(a): (a, archived(site, site.article_path(a))) for a in site.opinions()}
    truth = family_truth(site)  # after the fetches: the counts their pages and counters showed
    assert len(truth) == len(records) == 45
    for expected in truth:
        article, record = records[expected["path"]]
        assert {field: record[field] for field in FIELDS} == {field: expected[field] for field in FIELDS}, expected["path"]
        assert record["sections"] == expected_sections(article), expected["path"]
        assert record["facts"] == article.facts, expected["path"]
        assert record["column"] == article.column, expected["path"]


@pytest.mark.parametrize("markup", sorted(FAMILIES))
def test_the_page_names_its_counter_or_shows_the_count(markup):
    site = Site(markup=markup)
    record = parse_article(*ReplicaPages(site).followed(site.article_path(site.opinions()[0])))
    family = site.family
    if not family.has_view_count:
        assert (record.view_count, record.view_count_url, record.view_count_source) == (None, None, None)
    elif record.view_count is not None:  # a dynamic page that counts and shows the view itself
        assert (record.view_count_url, record.view_count_source, record.view_count_includes_own_fetch) == (None, "page", True)
    else:
        assert urlsplit(record.view_count_url).netloc == "jjrd.example" and not record.view_count_url.endswith(".js")
        assert record.view_count_source is None


@pytest.mark.parametrize("markup", sorted(FAMILIES))
def test_a_removed_opinion_is_a_soft_404_or_an_error_status(markup):
    site = Site(markup=markup)
    gone = site.opinions()[1]
    site.remove_opinion(gone.id)
    reply = site.handle(site.article_path(gone))
    if reply.status in (404, 410):
        return  # the spider records the status itself
    with pytest.raises(NotAnArticle) as error:
        parse_article(*ReplicaPages(site).followed(site.article_path(gone)))
    assert error.value.reason == "soft_404"


def test_phpcms_counter_writes_the_count_before_its_own_view():
    assert counter_counts_own_view("http://x.gov.cn/api.php?op=count&id=5&modelid=1") is False
    assert counter_counts_own_view("http://x.gov.cn/plus/count.php?aid=5") is True


# Idioms of the families in markup the replica does not write ----------------------------------

def page(body: str, title: str = "关于全区教育工作情况的审议意见", charset: str = "utf-8") -> bytes:
    return (f'<html><head><meta charset="{charset}"><title>{title}_某某县人大</title></head><body>'
            f'<div class="nav">网站首页 | 审议意见</div>{body}'
            '<div>版权所有：某某县人大常委会</div></body></html>').encode("gbk" if charset == "gbk" else "utf-8")


BODY = "<p>县人民政府：</p><p>会议认为，县政府高度重视教育工作，成效明显。</p><p>一是加强领导。</p>"


@pytest.mark.parametrize("header, published_at, source, views", [
    # PowerEasy: ASP's unpadded times, 点击数
    ("<div>作者：佚名 文章来源：本站原创 点击数：321 更新时间：2012-5-8 9:05:05</div>", "2012-05-08T09:05:05+08:00", "本站原创", 321),
    # Kesion: 发布时期 (sic), 浏览次数
    ("<span>发布时期：2019-03-02 10:11:12</span><span>来源：县人大办</span>", "2019-03-02T10:11:12+08:00", "县人大办", None),
    # Dede: ASCII colons, minutes
    ("<div><small>时间:</small>2016-07-01 08:30<small>来源:</small>县人大 <small>点击:</small>55 次</div>",
     "2016-07-01T08:30+08:00", "县人大", 55),
    # Hanweb: labels inside HTML comments, 访问次数, date only
    ("<td>发布日期：2021-6-9 信息来源：<!--<$[信息来源]>begin-->县人大常委会<!--<$[信息来源]>end--> 访问次数：1024</td>",
     "2021-06-09", "县人大常委会", 1024),
    # PHPCMS: the time unlabelled inside the heading, 点击：
    ("<h2>关于全区教育工作情况的审议意见<br><span>2020-10-10 16:00:01 来源：县人大 点击：77</span></h2>",
     "2020-10-10T16:00:01+08:00", "县人大", 77),
])
def test_header_lines_of_the_families(header, published_at, source, views):
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1>{header}{BODY}"), "http://x.gov.cn/a.html")
    assert (record.published_at, record.source, record.view_count) == (published_at, source, views)
    assert record.paragraphs == ["县人民政府：", "会议认为，县政府高度重视教育工作，成效明显。", "一是加强领导。"]


@pytest.mark.parametrize("header, published_at, source, views", [
    # Each label on a line of its own and its value on the next (a definition list).
    ("<dl><dt>发布时间</dt><dd>2022-01-05</dd><dt>来源</dt><dd>县人大</dd><dt>浏览次数：</dt><dd>12</dd></dl>", "2022-01-05", "县人大", 12),
    # The same with every label's colon: a source label alone takes the line below it where the
    # header's other labels stand alone too, before it or after it.
    ("<dl><dt>发布时间：</dt><dd>2022-01-05</dd><dt>来源：</dt><dd>县人大</dd><dt>浏览次数：</dt><dd>12</dd></dl>", "2022-01-05", "县人大", 12),
    ("<dl><dt>来源：</dt><dd>县人大</dd><dt>发布时间：</dt><dd>2022-01-05</dd></dl>", "2022-01-05", "县人大", None),
    ("<dl><dt>发布时间：</dt><dd>2022-01-05</dd><dt>来源：</dt><dd>县人大</dd></dl>", "2022-01-05", "县人大", None),
    # Labels in cells of their own and no colon, in a row or a row each.
    ("<table><tr><th>发布时间</th><td>2022-01-05</td><th>来源</th><td>县人大</td></tr></table>", "2022-01-05", "县人大", None),
    ("<table><tr><td>发布时间</td><td>2022-01-05</td></tr><tr><td>信息来源</td><td>县人大</td></tr></table>", "2022-01-05", "县人大", None),
    # A label and its value in spans with nothing between them: a long time label needs no colon.
    ("<div><span>发布时间</span><span>2022-01-05 10:00</span> <span>浏览次数</span><span>12</span></div>",
     "2022-01-05T10:00+08:00", None, 12),
    # An empty field's label alone: the line below it is the body's, not its value.
    ("<div><div>发布日期：2022年1月5日</div><div>来源：</div></div>", "2022-01-05", None, None),
    # "Published at" with no colon, a count before its word (csdn, 021news).
    ("<div>发表于2014-08-24 21:30| 1164次阅读| 来源CSDN</div>", "2014-08-24T21:30+08:00", None, 1164),
    ("<div>发布于 2019-09-26 07:19:52</div>", "2019-09-26T07:19:52+08:00", None, None),
    # A count in 人次 (visits) and a time label of the newsroom's (发稿时间).
    ("<div>发稿时间：2022-01-05 10:00 浏览人次：321</div>", "2022-01-05T10:00+08:00", None, 321),
    # When the page was entered outranks when it was updated; labels with their English twins.
    ("<div>发布者：李文静 录入时间：2023-08-15 09:12:36 更新时间：2023-08-16 14:03:51 点击数：456</div>",
     "2023-08-15T09:12:36+08:00", None, 456),
    ("<div>发布时间 Release Date: 2023-05-10 | 来源 Source: 县人大</div>", "2023-05-10", "县人大", None),
    # The time of day in the afternoon's words (下午3:30 is 15:30).
    ("<div>发布时间：2023年5月10日 下午3:30 来源：县人大</div>", "2023-05-10T15:30+08:00", "县人大", None),
    # A day in Chinese numerals, as an official document writes its date.
    ("<div>发布日期：二〇二三年五月十日 来源：县人大</div>", "2023-05-10", "县人大", None),
    ("<dl><dt>成文日期</dt><dd>二〇二三年五月十日</dd></dl>", "2023-05-10", None, None),
    # A weekday between the date and the time; fields each in brackets.
    ("<div>发布时间：2022-11-15 星期二 10:00</div>", "2022-11-15T10:00+08:00", None, None),
    ("<div>【发布时间：2022-11-15】【来源：县人大】【字号：大 中 小】</div>", "2022-11-15", "县人大", None),
    # A byline right under the title of unlabelled parts: an author, the date in figures, a word (EyouCMS's phone page)…
    ("<div><span>县人大常委会</span> <span>2023-09-05</span> <span>阅读 <script src='/api/arcclick?aid=3'></script></span></div>",
     "2023-09-05", None, None),
    # Anhui's 信息公开 table, two fields a row: its source and count rows under the window of its date's.
    ("<table><tr><th>信息分类：</th><td>意见</td><th>发布机构：</th><td>县人大办</td></tr><tr><th>生成日期：</th><td>2023-07-12</td>"
     "<th>文号：</th><td></td></tr><tr><th>发文日期：</th><td>2023-07-12</td><th>生效时间：</th><td></td></tr><tr><th>废止时间：</th><td></td>"
     "<th>名称：</th><td>关于全区教育工作情况的审议意见</td></tr><tr><th>信息来源：</th><td>县人大研究室</td><th>关键词：</th><td>审议意见</td></tr>"
     "<tr><th>浏览次数：</th><td>412</td><th>内容概述：</th><td></td></tr></table>", "2023-07-12", "县人大研究室", 412),
    ("<table><tr><th>发文日期：</th><td>2023-07-12</td></tr><tr><th>信息来源：</th><td></td><th>关键词：</th><td>审议意见</td></tr></table>",
     "2023-07-12", None, None),  # an empty source: the next field's label is no source
    # The count after an eye icon: under the date (JPress), at the end of its line (ThinkCMF), or
    # after the source (MetInfo); before its words (JPress's 158人浏览).
    ("<div><div><i class='fa fa-clock-o'></i>2023-08-15 10:20</div><div><i class='fa fa-eye'></i> 236</div>"
     "<div><i class='fa fa-commenting-o'></i> 0</div></div>", "2023-08-15T10:20+08:00", None, 236),
    ("<div><span>2023-09-06 15:40 by admin</span> <span><a href='javascript:;'><i class='fa fa-eye'></i><span>87</span></a></span></div>",
     "2023-09-06T15:40+08:00", None, 87),
    ("<div><span>2023-07-03 16:42:18</span> <span>区人大办</span> <span><i class='icon wb-eye m-r-5'></i> 1268</span></div>",
     "2023-07-03T16:42:18+08:00", None, 1268),
    ("<div>2023-10-25</div><div><span>158</span>人浏览 / <span>0</span>人评论</div>", "2023-10-25", None, 158),
    # …or icons and links that go nowhere, one a line (XunRuiCMS: <i class="fa fa-calendar"></i><a href="javascript:;">…).
    ("<div><i class='fa fa-user'></i><a href='javascript:;'>县人大办</a></div>"
     "<div><i class='fa fa-calendar'></i><a href='javascript:;'>2023-10-12 16:05:33</a></div>",
     "2023-10-12T16:05:33+08:00", None, None),
])
def test_header_fields_as_other_sites_lay_them_out(header, published_at, source, views):
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1>{header}{BODY}"), "http://x.gov.cn/a.html")
    assert (record.published_at, record.source, record.view_count) == (published_at, source, views)
    assert record.paragraphs == ["县人民政府：", "会议认为，县政府高度重视教育工作，成效明显。", "一是加强领导。"]


@pytest.mark.parametrize("under_title", [
    "<div>县人大常委会 2023年8月29日 第十三次会议</div>",  # a date in words under the title: a subtitle's, no byline's
    "<div><a href='/a/2.html'>2023-09-05</a></div>",  # a date another page's link shows
])
def test_a_date_under_the_title_that_is_no_byline_dates_nothing(under_title):
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1>{under_title}{BODY}"), "http://x.gov.cn/a.html")
    assert (record.title, record.published_at) == ("关于全区教育工作情况的审议意见", None)


def test_a_discuz_portal_article():
    # Discuz!'s portal: an unlabelled date opens a long byline of labels, an editor's summary in a
    # box over the body, and buttons under it to say what one thinks of the article, a word a line.
    header = ('<p class="xg1">2023-5-10 10:29<span class="pipe">|</span> 发布者: <a href="home.php?mod=space&uid=1">县人大常委会网站管理员</a>'
              '<span class="pipe">|</span> 查看: <em id="_viewnum">1234</em><span class="pipe">|</span> 评论: 0'
              '<span class="pipe">|</span>来自: 县人大常委会办公室</p>')
    summary = '<div class="s"><div><strong>摘要</strong>: 县人大常委会就全县教育工作提出审议意见。</div></div>'
    clicks = "".join(f"<td><a href='home.php?mod=spacecp&ac=click&clickid={n}'><img src='/click/{n}.gif'><br>{word}</a></td>"
                     for n, word in enumerate(("鲜花", "握手", "雷人", "路过", "鸡蛋"), 1))
    html = page(f"<h1>关于全区教育工作情况的审议意见</h1>{header}{summary}<table><tr><td id='article_content'>{BODY}</td></tr></table>"
                f"<div id='click_div'><table><tr>{clicks}</tr></table></div><div>分享到: 微信 新浪微博</div>")
    record = parse_article(html, "http://x.gov.cn/portal.php?mod=view&aid=128")
    assert (record.published_at, record.source, record.view_count) == ("2023-05-10T10:29+08:00", "县人大常委会办公室", 1234)
    assert record.paragraphs == ["县人民政府：", "会议认为，县政府高度重视教育工作，成效明显。", "一是加强领导。"]


def test_a_labelled_date_above_the_title_outranks_a_date_alone_under_it():
    # 信息公开: the metadata over the title, a label and its value each on a line; under the
    # title the document's own heading, its issuer and the day it is dated.
    table = "".join(f"<div class='item'><div class='label'>{label}</div><div class='value'>{value}</div></div>"
                    for label, value in (("索 引 号：", "1133/2023-00231"), ("发布机构：", "县统计局"), ("发文日期：", "2023-03-31")))
    html = page(f"{table}<h1>关于全区教育工作情况的审议意见</h1><div>访问量：2487</div>"
                f"<div class='zoom'><p>县人大常委会</p><p>2023年3月28日</p>{BODY}</div>")
    record = parse_article(html, "http://x.gov.cn/a.html")
    assert (record.published_at, record.view_count) == ("2023-03-31", 2487)
    assert record.paragraphs[:3] == ["县人大常委会", "2023年3月28日", "县人民政府："]


@pytest.mark.parametrize("content, attachments, images", [
    # Scanned pages as pictures, and a PDF in a viewer of its own (pdf.js, or the browser's).
    ("<p><img src='/uploads/2023/0510_1.jpg'></p><p><img src='/uploads/2023/0510_2.jpg'></p>", [],
     ["http://x.gov.cn/uploads/2023/0510_1.jpg", "http://x.gov.cn/uploads/2023/0510_2.jpg"]),
    ("<iframe src='/pdfjs/web/viewer.html?file=/uploads/2023/shyj.pdf' width='100%' height='800'></iframe>",
     [{"name": "shyj.pdf", "url": "http://x.gov.cn/uploads/2023/shyj.pdf"}], []),
    ("<embed src='/uploads/2023/shyj.pdf' type='application/pdf' width='100%' height='800'>",
     [{"name": "shyj.pdf", "url": "http://x.gov.cn/uploads/2023/shyj.pdf"}], []),
    ("<p><a href='/uploads/2023/shyj.pdf'>关于全区教育工作情况的审议意见.pdf</a></p>",
     [{"name": "关于全区教育工作情况的审议意见.pdf", "url": "http://x.gov.cn/uploads/2023/shyj.pdf"}], []),
])
def test_an_opinion_published_as_files(content, attachments, images):
    html = page(f"<h1>关于全区教育工作情况的审议意见</h1><div>发布时间：2023-05-10 来源：县人大</div><div class='content'>{content}</div>"
                "<div>上一篇：<a href='/1.html'>关于全区文化工作情况的审议意见</a></div>")
    record = parse_article(html, "http://x.gov.cn/a.html")
    assert (record.attachments, record.images, record.published_as_files) == (attachments, images, True)


def test_a_body_that_a_script_fills_is_no_body():
    html = page("<h1>关于全区教育工作情况的审议意见</h1><div>发布时间：2023-05-10</div><div id='content'>正文加载中……</div>"
                "<script>var content = '<p>县人民政府：</p>';</script>")
    with pytest.raises(NotAnArticle) as error:
        parse_article(html, "http://x.gov.cn/a.html")
    assert (error.value.reason, "正文加载中" in str(error.value)) == ("empty_body", True)


SCRIPTED_TIME = ("<h1>关于全区教育工作情况的审议意见</h1><div>发布时间：<span id='pubtime'></span> 来源：县人大办</div>"
                 "<script>document.getElementById('pubtime').innerHTML = document.getElementsByName('PubDate')[0].content;</script>")


@pytest.mark.parametrize("meta", ['<meta name="PubDate" content="2023-05-10 09:30">',
                                  '<meta property="article:published_time" content="2023-05-10T09:30:00+08:00">'])
def test_a_time_label_that_a_script_fills_shows_the_pages_publish_time_meta(meta):
    html = page(SCRIPTED_TIME + BODY).replace(b"<title>", meta.encode() + b"<title>")
    record = parse_article(html, "http://x.gov.cn/a.html")
    assert (record.published_at[:16], record.source, record.title) == ("2023-05-10T09:30", "县人大办", "关于全区教育工作情况的审议意见")
    assert record.published_at_source == "meta"  # shown nowhere on the page but by the script


@pytest.mark.parametrize("html, published_at, published_at_source, source", [
    (page(SCRIPTED_TIME + BODY), None, None, "县人大办"),  # no meta to fill the label from
    # A page that shows no date at all (CmsEasy's, PublicCMS's templates print none), with the meta or without.
    (page("<h1>关于全区教育工作情况的审议意见</h1>" + BODY).replace(b"<title>", b'<meta name="PubDate" content="2023-05-10"><title>'),
     "2023-05-10", "meta", None),
    (page("<h1>关于全区教育工作情况的审议意见</h1><div>——</div><div>打印本文 小 中 大</div>" + BODY), None, None, None),
    # A date the page shows outranks its meta.
    (page("<h1>关于全区教育工作情况的审议意见</h1><div>发布时间：2023-05-12</div>" + BODY).replace(
        b"<title>", b'<meta name="PubDate" content="2023-05-10"><title>'), "2023-05-12", "page", None),
])
def test_a_page_that_shows_no_date_is_dated_by_its_meta_or_not_at_all(html, published_at, published_at_source, source):
    record = parse_article(html, "http://x.gov.cn/a.html")
    assert (record.title, record.published_at, record.published_at_source, record.source, record.paragraphs[0]) == (
        "关于全区教育工作情况的审议意见", published_at, published_at_source, source, "县人民政府：")


def test_a_title_in_the_pages_hidden_metadata_is_not_where_the_article_begins():
    # Guizhou's platform: the article's facts in divs that its stylesheet hides, over the page's menus.
    hidden = ("<div id='NewsArticleTitle'>关于全区教育工作情况的审议意见</div><div id='NewsArticleSource'>县人大办</div>"
              "<div id='NewsArticlePubDay'>2023-05-10  16:18:03</div><div id='NewsEditionName'>审议意见</div>")
    menus = "".join(f"<div><a href='/c{n}/'>栏目{n}</a></div>" for n in range(15))
    html = page(hidden + menus + "<h1>关于全区教育工作情况的审议意见</h1>"
                "<div>来源： 县人大办 发布时间： 2023-05-10 16:18</div>" + BODY)
    record = parse_article(html, "http://x.gov.cn/a.html")
    assert (record.published_at, record.source, record.paragraphs[0]) == ("2023-05-10T16:18+08:00", "县人大办", "县人民政府：")


def test_a_title_glued_to_the_end_of_the_trail_is_the_title():
    # PublicCMS: <h3><span>当前位置：首页 > 审议意见</span>TITLE</h3>, and no date on the page.
    html = page("<h3><span>当前位置：<a href='/'>首页</a> &gt; <a href='/syyj/'>审议意见</a></span>关于全区教育工作情况的审议意见</h3>"
                + BODY, title="关于全区教育工作情况的审议意见 - 审议意见")
    record = parse_article(html, "http://x.gov.cn/a.html")
    assert (record.title, record.published_at, record.paragraphs[0]) == ("关于全区教育工作情况的审议意见", None, "县人民政府：")


@pytest.mark.parametrize("html", [
    # A home page: its <title> names the site alone, which the logo repeats over the news.
    "<html><head><title>某某县人大常委会</title></head><body><h1>某某县人大常委会</h1>"
    "<p>某某县人民代表大会常务委员会是县人民代表大会的常设机关，对县人民代表大会负责并报告工作。</p></body></html>",
    # A page of menus and links under its title: no sentence opens it.
    "<html><head><title>审议意见汇编目录_某某县人大</title></head><body><h1>审议意见汇编目录</h1><p><a href='/1'>第一部分</a></p>"
    "<p><a href='/2'>第二部分</a></p><p>第三部分</p><p>第四部分</p><p>第五部分</p>"
    "<p>本汇编收录了二〇二三年度县人大常委会审议意见的全文和办理情况。</p></body></html>",
])
def test_a_page_that_shows_no_date_and_is_no_article_is_refused(html):
    with pytest.raises(NotAnArticle) as error:
        parse_article(html.encode(), "http://x.gov.cn/a.html")
    assert error.value.reason == "no_header"


def test_a_body_of_buttons_and_icons_is_no_body():
    html = page("<h1>关于全区教育工作情况的审议意见</h1><div>发布时间：2023-05-10</div>"
                "<div class='content'><img src='/images/icon_print.png'><img src='/images/share_wx.gif'></div>")
    with pytest.raises(NotAnArticle) as error:
        parse_article(html, "http://x.gov.cn/a.html")
    assert error.value.reason == "empty_body"


def test_an_opinion_with_its_text_is_not_published_as_files():
    html = page(f"<h1>关于全区教育工作情况的审议意见</h1><div>发布时间：2023-05-10</div>{BODY}"
                "<p>附件：<a href='/uploads/2023/shyj.pdf'>整改清单.pdf</a></p><p>县人大常委会</p><p>2023年5月10日</p>")
    assert parse_article(html, "http://x.gov.cn/a.html").published_as_files is False


def test_a_site_name_that_opens_the_title_is_not_the_title():
    # A mobile page's bar names the site, and the opinion's title opens with the same name.
    title = "某某县人大常委会关于全县教育工作情况的审议意见"
    html = page(f"<header><a href='javascript:history.back()'>返回</a><h2>某某县人大</h2></header><h1>{title}</h1>"
                f"<div class='info'><span>2023-06-06 09:30</span><span>来源：县人大</span></div>{BODY}", title=title)
    record = parse_article(html, "http://m.x.gov.cn/a/1.html")
    assert (record.title, record.published_at, record.source) == (title, "2023-06-06T09:30+08:00", "县人大")


def test_a_blog_post_dated_above_its_title_and_counted_under_its_body():
    # Z-BlogPHP's theme: the date over the title, and the author, category and count under the
    # post; the date the opinion is signed with, under its last paragraph, is no byline.
    html = page("<div class='post-date'>2023年06月12日</div><h2 class='post-title'>关于全区教育工作情况的审议意见</h2>"
                f"<div class='post-body'>{BODY}<p>县人大常委会</p><p>2023年6月12日</p></div>"
                "<h6 class='post-footer'>作者:人大办 <small>|</small> 分类:<a href='/category-3.html'>审议意见</a> <small>|</small> "
                "浏览:527 <small>|</small> 评论:0</h6>")
    record = parse_article(html, "http://x.gov.cn/post/215.html")
    assert (record.published_at, record.view_count) == ("2023-06-12", 527)
    assert record.paragraphs == ["县人民政府：", "会议认为，县政府高度重视教育工作，成效明显。", "一是加强领导。", "县人大常委会", "2023年6月12日"]


def test_the_publish_date_of_a_disclosure_table_outranks_the_date_the_document_was_issued():
    # 政府信息公开: the metadata table above the title, 发文日期 in a row before 发布日期.
    table = ("<table><tr><td>索 引 号：</td><td>1133/2023-00231</td><td>主题分类：</td><td>人大</td></tr>"
             "<tr><td>发布机构：</td><td>县人大常委会办公室</td><td>发文日期：</td><td>2023年08月03日</td></tr>"
             "<tr><td>文 号：</td><td>县人常〔2023〕20号</td><td>发布日期：</td><td>2023年08月07日</td></tr></table>")
    record = parse_article(page(f"{table}<h1>关于全区教育工作情况的审议意见</h1><div>浏览次数：865</div>{BODY}"), "http://x.gov.cn/a.html")
    assert (record.published_at, record.view_count) == ("2023-08-07", 865)
    assert record.paragraphs[0] == "县人民政府："


@pytest.mark.parametrize("above, below, views", [
    ("", "<div>发布时间：2022-01-05 来源：县人大 浏览次数：12</div>", 12),
    ("<p>来源于：县人大</p>", "<div>发布日期：2022-01-05 责任编辑：张三</div>", None),  # the source above the body (zsnews)
])
def test_a_header_under_the_body_ends_it(above, below, views):
    nav = "<p>【打印】【关闭】</p><p>上一篇：<a href='/1.html'>关于全区文化工作情况的审议意见</a></p>"
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1>{above}{BODY}{below}{nav}"), "http://x.gov.cn/a.html")
    assert (record.published_at, record.source, record.view_count) == ("2022-01-05", "县人大", views)
    assert record.paragraphs == ["县人民政府：", "会议认为，县政府高度重视教育工作，成效明显。", "一是加强领导。"]
    assert record.prev == {"title": "关于全区文化工作情况的审议意见", "url": "http://x.gov.cn/1.html"}


def test_a_footer_that_names_the_site_of_the_title_element_is_no_title():
    # <title> is the site's name alone, which the footer's 版权所有：… line holds too.
    html = page(f"<div class='t'><b>关于全区教育工作情况的审议意见</b></div><div>发布时间：2022-01-05</div>{BODY}", title="某某县人大常委会")
    record = parse_article(html.replace("_某某县人大".encode(), b""), "http://x.gov.cn/a.html")
    assert record.title == "关于全区教育工作情况的审议意见"
    assert record.paragraphs == ["县人民政府：", "会议认为，县政府高度重视教育工作，成效明显。", "一是加强领导。"]


def test_a_title_under_its_header_is_the_title():
    # The header above the title, and a <title> of the site's name alone: the heading below is the title.
    html = page(f"<div>发布时间：2022-01-05 来源：县人大</div><h1>关于全区教育工作情况的审议意见</h1>{BODY}", title="某某县人大常委会")
    record = parse_article(html.replace("_某某县人大".encode(), b""), "http://x.gov.cn/a.html")
    assert (record.title, record.source) == ("关于全区教育工作情况的审议意见", "县人大")
    assert record.paragraphs == ["县人民政府：", "会议认为，县政府高度重视教育工作，成效明显。", "一是加强领导。"]


@pytest.mark.parametrize("title_element", ["某某县人大常委会", "某某县人大常委会-关于全区教育工作情况的审议意见"])
def test_the_site_name_over_the_page_that_the_title_element_repeats_is_no_title(title_element):
    # The site's name on the page's banner as text, and the whole <title> (or its first part).
    html = page(f"<div class='logo'>某某县人大常委会</div><div><a href='/'>首页</a><a href='/syyj/'>审议意见</a></div>"
                f"<h1>关于全区教育工作情况的审议意见</h1><div>发布时间：2022-01-05 来源：县人大</div>{BODY}", title=title_element)
    record = parse_article(html.replace("_某某县人大".encode(), b""), "http://x.gov.cn/a.html")
    assert (record.title, record.source) == ("关于全区教育工作情况的审议意见", "县人大")
    assert record.paragraphs == ["县人民政府：", "会议认为，县政府高度重视教育工作，成效明显。", "一是加强领导。"]


@pytest.mark.parametrize("meta", ['<meta name="ArticleTitle" content="关于全区教育工作情况的审议意见">',
                                  '<meta property="og:title" content="关于全区教育<br>工作情况的审议意见">'])
def test_the_title_the_pages_metadata_carries_tells_a_title_from_its_subtitle(meta):
    # The <title> names the site alone; the subtitle stands nearer the header than the title.
    html = page("<h2>关于全区教育工作情况的审议意见</h2><h3>——县人大常委会第十次会议审议</h3>"
                f"<div>发布时间：2022-01-05</div>{BODY}", title="某某县人大常委会")
    html = html.replace("_某某县人大".encode(), b"").replace(b"</head>", meta.encode() + b"</head>")
    assert parse_article(html, "http://x.gov.cn/a.html").title == "关于全区教育工作情况的审议意见"


def test_a_title_with_a_colon_is_the_title_where_no_other_line_could_be():
    html = page(f"<p>农机专家李金泽：为农机行业搭建现代化信息平台</p><p>2022年01月05日 来源：新华网</p>{BODY}", title="振兴东北")
    record = parse_article(html.replace("_某某县人大".encode(), b""), "http://x.gov.cn/a.html")
    assert (record.title, record.published_at, record.source) == ("农机专家李金泽：为农机行业搭建现代化信息平台", "2022-01-05", "新华网")


def test_a_readers_comment_dates_nothing_where_the_article_shows_its_date_unlabelled():
    # ASP news systems: 相关评论 under the article, each comment with its 发表时间; the <title> names the site alone.
    html = page(f"<h2>关于全区教育工作情况的审议意见</h2><p>2004-12-10 阅读10544次</p>{BODY}<p>相关评论:</p>"
                "<p>发表人：550</p><p>发表人邮件：a@b.cn 发表时间：2004-12-11 9:51:00</p><p>怎样能看到全文？</p>", title="某某县人大常委会")
    record = parse_article(html.replace("_某某县人大".encode(), b""), "http://x.gov.cn/ReadNews.asp?NewsID=7")
    assert (record.title, record.published_at, record.view_count) == ("关于全区教育工作情况的审议意见", "2004-12-10", 10544)


def test_a_heading_with_a_colon_is_the_title_over_a_line_of_links_nearer_the_top():
    html = page(f"<p><a href='/bsxw/'>报社新闻</a> 频道</p><h2>脂溢性脱发：爱出油快秃顶？你知道什么该吃吗？</h2>"
                f"<p>发布: 2021-1-29 13:18|点击: 313|来自: 互联网</p>{BODY}", title="审议意见")
    record = parse_article(html.replace("_某某县人大".encode(), b""), "http://x.gov.cn/a/1.html")
    assert (record.title, record.source) == ("脂溢性脱发：爱出油快秃顶？你知道什么该吃吗？", "互联网")


def test_a_link_to_the_column_after_the_title_in_its_heading_is_no_part_of_it():
    # JEECMS: <h1>${content.title}<a class="position" href="${channel.url}">${channel.name}</a></h1>
    html = page("<h1>关于全区教育工作情况的审议意见<a href='/syyj/index.jhtml'>审议意见</a></h1>"
                f"<div>发布时间：2022-01-05</div>{BODY}", title="关于全区教育工作情况的审议意见 - 某某县人大常委会")
    assert parse_article(html, "http://x.gov.cn/syyj/567.jhtml").title == "关于全区教育工作情况的审议意见"


@pytest.mark.parametrize("nav", [
    "<p>上一篇：<a href='/1.html'>关于全区文化工作情况的审议意见</a></p><p>下一篇：<a href=\"javascript:alert('最后一页');\">最后一页</a></p>",  # PHPCMS
    "<p>上一篇：<a href='/1.html'>关于全区文化工作情况的审议意见</a></p><p>下一篇：<a href='/syyj/'>返回列表</a></p>",  # EmpireCMS
])
def test_a_neighbour_link_that_names_none_is_no_neighbour(nav):
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1><div>发布时间：2022-01-05</div>{BODY}{nav}"),
                           "http://x.gov.cn/a.html")
    assert record.prev == {"title": "关于全区文化工作情况的审议意见", "url": "http://x.gov.cn/1.html"}
    assert record.next is None


def test_a_labelled_title_above_the_header_outranks_a_heading_under_it():
    html = page("<p>标题：关于全区教育工作情况的审议意见</p><div>发布时间：2022-01-05</div><h2>县人大常委会的审议意见</h2>"
                f"{BODY}", title="某某县人大常委会")
    record = parse_article(html.replace("_某某县人大".encode(), b""), "http://x.gov.cn/a.html")
    assert record.title == "关于全区教育工作情况的审议意见"
    assert record.paragraphs[0] == "县人大常委会的审议意见"


def test_a_subtitle_above_the_header_is_no_body():
    html = page("<h1>关于全区教育工作情况的审议意见</h1><p>附：整改清单</p><div>发布时间：2022-01-05</div>")
    with pytest.raises(NotAnArticle) as error:
        parse_article(html, "http://x.gov.cn/a.html")
    assert error.value.reason == "empty_body"


@pytest.mark.parametrize("furniture", [
    "<p>文章录入：张三　　责任编辑：李四</p><p>【字体：大 中 小】【打印】【关闭】</p>",
    "<p>(责任编辑：王五)</p><div>顶一下</div><div>------分隔线----------------------------</div>",
    "<div>【打印本页】【关闭窗口】</div>",
    "<div>[打印] [关闭]</div><p>上一篇：没有了</p>",
    "<strong>------分隔线----------------------------</strong><p>下一篇：关于另一事项的审议意见</p>",
    # What real pages of other sites put there (../shared/real-pages): bare toolbars, the QR code's
    # caption, related items, credits, an article's pager, an attachments label with nothing under it.
    "<div><a href='#'>打印</a><a href='#'>关闭</a><a href='#'>收藏</a></div>",
    "<div>打印 | 关闭</div>",
    "<div>扫一扫在手机打开当前页</div>",
    "<p>附件：</p><div>关联稿件：</div>",
    "<p>相关专题:中国经济学年会</p><p><a href='/1.html'>第六届中国经济学年会胜利闭幕</a>(2006-12-19)[836]</p>",
    "<p>编辑:李楠</p>",
    "<p>医技药剂党支部、药剂科供稿 摄影/张艳 编辑/苏芳</p>",
    "<p>来源：巴彦淖尔日报 编辑：苏亮</p>",
    "<p><a href='a_2.html'>[1]</a> <a href='a_2.html'>[2]</a> [3]</p>",
    "<p>共3页: 上一页 [1] [2] [3] 下一页</p>",
    "<p>#大家健康超能团# @大家健康</p>",
    # Widgets: share buttons drawn with an icon font's characters, a 纠错 button, a share caption.
    "<div><i>\ue602</i><i>\ue608</i>微信 <i>\ue609</i>微博</div>",
    "<div><a href='javascript:void(0);'>【我要纠错】</a></div>",
    "<div><a href='javascript:void(0);'>【我要纠错】</a> 责任编辑：张蕾</div>",  # a button, then a credit (开普云)
    # DedeCMS's article pager, its numbers bare and each item on a line of its own; an author's credit.
    "<div class='dede_pages'><ul class='pagelist'><li><a>共2页: </a></li><li><a href='#'>上一页</a></li><li class='thisclass'>"
    "<a href='#'>1</a></li><li><a href='123_2.html'>2</a></li><li><a href='123_2.html'>下一页</a></li></ul></div>",
    "<p>共2页: 上一页 1 2 下一页</p>",
    "<footer><p>作者：县人大教科文卫工委 李晓东</p><p>编辑：陈静 审核：周建国</p></footer>",
    # EmpireCMS's digg button over its count, and its way home.
    "<div id='diggnum'><strong>3</strong></div><a href=\"JavaScript:makeRequest('/e/public/digg/?id=1')\">来顶一下</a>"
    "<a href='/'><img src='/skin/back.gif'></a><a href='/'>返回首页</a>",
    "<div>分享至好友和朋友圈</div>",
    # A small site's footer straight under the body: its sponsor, then its contacts.
    "<div><p>主办：某某市人大常委会办公室</p><p>协办：</p><p>电话：03756862978</p></div>",
    "<div>网站标识码：3310020001 浙公网安备 33100202000123号</div>",
    # A post's category or tags under it (WordPress, CmsEasy), and WordPress's heading over its
    # links to the posts before and after.
    "<div><span class='screen-reader-text'>分类</span><a href='/category/syyj/'>审议意见</a></div>",
    "<div>Tag： <a href='/tag/1'>审议意见</a> 就业 创业</div>",
    "<h2 class='screen-reader-text'>文章导航</h2>",
    # Buttons each over its count (XunRuiCMS's 收藏 / 0 / 有帮助 / 0 / 没帮助 / 0).
    "".join(f"<a href='javascript:;' class='icon-btn'><i class='fa fa-star'></i><div> {word} </div><span class='badge'> 0 </span></a>"
            for word in ("收藏", "有帮助", "没帮助")),
    # A stock footer's credit under links to other sites (ThinkCMF), a reprint's disclaimer.
    "<div><a href='http://www.npc.gov.cn/'>中国人大网</a>&nbsp;<a href='http://www.hnrd.gov.cn/'>湖南人大网</a></div>"
    "<p>Made by <a href='http://www.thinkcmf.com'>ThinkCMF</a></p>",
    "<p>注：本文转载自县融媒体中心，转载目的在于传递更多信息，并不代表本网赞同其观点。</p>",
    # A toolbar's button alone on its line (CAC's 关闭); a sponsor's line with the site's contacts on it.
    "<p><a href='javascript:window.close()'>关闭</a></p>",
    "<div>主办单位:某某县财政局 | Email:zfcg@example.cn | 地址:府前路1号 | 邮编:050051</div>",
    # The footer's menu over its copyright (PublicCMS).
    "<div><a href='/jgjj/'>机关简介</a>|<a href='/lxwm/'>联系我们</a>|<a href='/wzdh/'>网站导航</a>|<a href='/flsm/'>法律声明</a></div>"
    "<div>Copyright 2019-2023 某某县人大常委会办公室</div>",
])
def test_body_end_furniture_stays_out_of_the_body(furniture):
    header = "<div>发布时间：2022-01-05 来源：县人大</div>"
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1>{header}{BODY}{furniture}"), "http://x.gov.cn/a.html")
    assert record.paragraphs[-1] == "一是加强领导。"


@pytest.mark.parametrize("furniture", [
    "<p>访问量：1632</p>",  # a header field under the title, on a line of its own
    "<p>标 题：关于全区教育工作情况的审议意见</p><p>发文字号：县人大〔2022〕1号 发布日期：2022年01月05日</p>",
    "<div>关联稿件：</div><p><a href='/2.html'>图文解读：《关于全区教育工作情况的审议意见》</a> 2022-01-06</p>",
    "<div><a href='#' class='wx'></a><a href='#' class='wb'></a>0</div>",  # share icons and their count
    "<p>X</p><div>分享到 - 微信</div>",
    "<p>作者：县人大常委会办公室 编辑：张三 审核：李四 校对：王五 责编：赵六</p>",  # credits under the header, long as they are
    # A font-size picker, its sizes one a line or its buttons in Latin letters, and a share widget
    # whose QR code opens the lines (用微信扫描二维码 is its caption, not the body's opening image).
    "<div><span>字号</span><ul><li>超大</li><li>大</li><li class='on'>标准</li><li>小</li></ul></div>",
    "<div>T <a href='#'>+</a> <a href='#'>-</a></div><div>调整字体</div>",
    "<div><img src='/qr/1.png'><p>用微信扫描二维码</p><p>分享至好友和朋友圈</p></div>",
    "<div>分享到：</div><div>新浪微博 QQ空间</div>",
    "<div><a href='#'>豆瓣网</a></div>",  # a share button, its icon gone (保定's)
    # A share widget's icons, an empty line, over the toolbar (the ministry of ecology's: [打印] 字号：[大] [中] [小]).
    "<div>分享到：<div><a title='分享到微信'></a><a title='分享到新浪微博'></a></div><script src='/images/buttonLite.js'></script></div>"
    "<span><a href='javascript:void(1)'>[打印]</a>"
    "</span> <span>字号：<a>[大]</a> <a>[中]</a> <a>[小]</a></span>",
])
def test_furniture_above_the_body_stays_out_of_it(furniture):
    header = "<div>发布时间：2022-01-05 来源：县人大</div>"
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1>{header}{furniture}{BODY}"), "http://x.gov.cn/a.html")
    assert record.paragraphs[0] == "县人民政府："


def test_a_number_that_ends_a_table_stays_in_the_body():
    # The last cell of a table closing the body (上海's daily report: 合计 | 23777), not a digg button's count.
    table = "<table><tr><td><p>崇明</p></td><td><p>305</p></td></tr><tr><td><p>合计</p></td><td><p>23777</p></td></tr></table>"
    html = page(f"<h1>关于全区教育工作情况的审议意见</h1><div>发布时间：2022-01-05</div>{BODY}{table}")
    assert parse_article(html, "http://x.gov.cn/a.html").paragraphs[-1] == "23777"


def test_a_sentence_that_opens_as_a_label_does_stays_in_the_body():
    header = "<div>发布时间：2022-01-05 来源：县人大</div>"
    body = "<p>县人民政府：</p><p>相关信息显示，全区学前教育入园率达到98%。</p><p>一是加强领导。</p>"
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1>{header}{body}"), "http://x.gov.cn/a.html")
    assert record.paragraphs == ["县人民政府：", "相关信息显示，全区学前教育入园率达到98%。", "一是加强领导。"]


@pytest.mark.parametrize("body", [
    "<p>一、活动主题：宪法宣传周</p><p>主办单位：县人大常委会</p><p>二、活动时间：12月4日</p>",
    "<p>一、活动主题：宪法宣传周</p><p>主办单位：县人大常委会</p><p>联系电话：88888888</p><p>县人大常委会办公室</p>",
])
def test_a_notices_sponsor_and_contacts_stay_in_the_body(body):
    header = "<div>发布时间：2022-01-05 来源：县人大</div>"
    record = parse_article(page(f"<h1>关于开展宪法宣传周活动的通知</h1>{header}{body}<p>上一篇：没有了</p>"), "http://x.gov.cn/a.html")
    assert record.paragraphs == re.findall("<p>(.*?)</p>", body)


def test_a_body_that_is_only_its_attachment_keeps_it():
    # Some posts are a title and the opinion as a file: that link is the body, not a list item.
    header = "<div>发布时间：2022-01-05 来源：县人大</div>"
    body = "<p><a href='/files/2022/shenyi.doc'>关于全区教育工作情况的审议意见.doc</a></p>"
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1>{header}{body}"), "http://x.gov.cn/a.html")
    assert record.attachments == [{"name": "关于全区教育工作情况的审议意见.doc", "url": "http://x.gov.cn/files/2022/shenyi.doc"}]
    assert record.paragraphs == ["关于全区教育工作情况的审议意见.doc"]


@pytest.mark.parametrize("link, name", [
    # A download script that names the file in its query, the link's text without the file's type.
    ("<a href='/module/download/downfile.jsp?classid=0&filename=2212151.pdf'>整改清单</a>", "整改清单"),
    ("<a href='/uploadfile/2022/1115/qingdan.ofd'>整改清单.ofd</a>", "整改清单.ofd"),  # OFD, the official documents' format
])
def test_attachments_of_other_sites(link, name):
    header = "<div>发布时间：2022-01-05 来源：县人大</div>"
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1>{header}{BODY}<p>附件：{link}</p>"), "http://x.gov.cn/a.html")
    assert [attachment["name"] for attachment in record.attachments] == [name]


def test_a_linked_image_opening_the_body_stays_in_it():
    header = "<div>发布时间：2022-01-05 来源：县人大</div>"
    image = "<p><a href='/big/1.jpg'><img src='/small/1.jpg'></a></p>"
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1>{header}{image}{BODY}"), "http://x.gov.cn/a.html")
    assert record.images == ["http://x.gov.cn/small/1.jpg"]
    assert record.paragraphs[0] == "县人民政府："


@pytest.mark.parametrize("below, source", [
    ("<p>【打印】【关闭】</p><p>信息来源：县人大办</p>", "县人大办"),  # next to the toolbar
    ("<p>来源：县人大办 编辑：苏亮</p>", "县人大办"),  # in the credits
    ("<p>【打印】【关闭】</p><p>上一篇：没有了</p><p>下一篇：没有了</p><p>相关文章</p><p>来源：县政府网</p>", None),  # too far below
    ("<p>【打印】【关闭】</p><p>转载请注明来源：县人大网</p>", None),  # not a label that opens its line
])
def test_a_source_just_below_the_body_counts_where_the_header_names_none(below, source):
    header = "<div>发布时间：2022-01-05</div>"
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1>{header}{BODY}{below}"), "http://x.gov.cn/a.html")
    assert (record.source, record.paragraphs[-1]) == (source, "一是加强领导。")


@pytest.mark.parametrize("header, source", [
    # A linked source with a 举报 link after it, no space between them on the line.
    ("2019-09-07 13:43:45　来源: <a href='/s'>证券市场红周刊</a>\n<a href='/jubao'>举报</a>", "证券市场红周刊"),
    ("发布时间：2022-01-05 来源：<a href='/s'>人民网</a>-<a href='/c'>文化频道</a>", "人民网-文化频道"),  # one name of two links
    ("发布时间：2022-01-05 来源：12321网络不良与垃圾信息举报受理中心", "12321网络不良与垃圾信息举报受理中心"),
])
def test_a_linked_source_ends_where_its_link_does(header, source):
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1><div>{header}</div>{BODY}"), "http://x.gov.cn/a.html")
    assert record.source == source


def test_a_source_below_the_body_never_overrides_the_header():
    header = "<div>发布时间：2022-01-05 来源：县人大</div>"
    below = "<p>【打印】【关闭】</p><p>信息来源：县人大办</p>"
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1>{header}{BODY}{below}"), "http://x.gov.cn/a.html")
    assert record.source == "县人大"


def test_trs_editor_body_keeps_its_style_out():
    body = ('<div class="TRS_Editor"><style>.TRS_Editor P{line-height:2;font-size:12pt;}</style>'
            f'<div class="Custom_UnionStyle">{BODY}</div></div>')
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1><div>发布时间：2022-01-05 09:30 来源：县人大</div>{body}"),
                           "http://x.gov.cn/a.html")
    assert record.paragraphs[0] == "县人民政府：" and "line-height" not in record.body_text
    assert record.published_at == "2022-01-05T09:30+08:00"


@pytest.mark.parametrize("header, scripts, counter", [
    # VSB: the count call names type, owner and id; dynclicks.js (a library) is not the counter
    ('<div>发布时间: 2022-01-05 | 浏览次数: <script>_showDynClicks("wbnews", 1234567, 89)</script></div>',
     '<script src="/system/resource/js/dynclicks.js"></script>',
     "http://x.gov.cn/system/resource/code/news/click/dynclicks.jsp?clickid=89&owner=1234567&clicktype=wbnews"),
    # PHPCMS: an empty element after the label, the count script at the page's end
    ('<div>2022-01-05 10:00:00 来源：县人大 点击：<span id="hits"></span></div>',
     '<script src="/statics/js/jquery.min.js"></script><script src="/api.php?op=count&id=89&modelid=1"></script>',
     "http://x.gov.cn/api.php?op=count&id=89&modelid=1"),
    # An inline ajax of a counter that fills the empty element
    ('<div>发布日期：2022-01-05 浏览次数：<span id="n"></span></div>',
     '<script>$(function(){$.ajax({url:"/module/visitcount/articlehits.jsp",data:{colid:77,artid:"ab12"},'
     'success:function(n){$("#n").html(n);}});});</script>',
     "http://x.gov.cn/module/visitcount/articlehits.jsp?colid=77&artid=ab12"),
    # jQuery's shorthands and fetch (EmpireCMS's ViewClick, a .load into the element)
    ('<div>发布时间：2022-01-05 点击：<span id="hits"></span></div>',
     "<script>$.getJSON('/e/public/ViewClick/?classid=2&id=34&addclick=1', function(d){});</script>",
     "http://x.gov.cn/e/public/ViewClick/?classid=2&id=34&addclick=1"),
    ('<div>发布时间：2022-01-05 点击：<span id="hits"></span></div>', "<script>$('#hits').load('/inc/hits.asp?id=12');</script>",
     "http://x.gov.cn/inc/hits.asp?id=12"),
    ('<div>发布时间：2022-01-05 点击：<span id="hits"></span></div>',
     "<script>fetch('/plus/count.php?aid=12').then(r => r.text()).then(t => hits.innerText = t);</script>",
     "http://x.gov.cn/plus/count.php?aid=12"),
    # JEECMS: Cms.viewCount(base, id), which its front.js asks of content_view.jspx
    ('<div>发布时间：2022-01-05 浏览次数：<span id="views"></span></div>',
     '<script src="/r/cms/front.js"></script><script>$(function(){ Cms.viewCount("", "345"); });</script>',
     "http://x.gov.cn/content_view.jspx?contentId=345"),
    # EmpireCMS's ViewMore.php, which writes over the 0 the page shows
    ('<div>发布时间：2022-01-05 浏览：<span id="onclickshowdiv">0</span>次</div>',
     "<script src=/e/public/ViewClick/ViewMore.php?classid=5&id=58&onclick=1&addclick=1></script>",
     "http://x.gov.cn/e/public/ViewClick/ViewMore.php?classid=5&id=58&onclick=1&addclick=1"),
    # MetInfo 7: no label, an eye icon, and the counter script after it
    ('<div>2022-01-05 09:30 <i class="icon wb-eye m-r-5"></i><script class="met_hits" src="/hits/?lang=cn&type=news&vid=56&list=0"></script></div>',
     "", "http://x.gov.cn/hits/?lang=cn&type=news&vid=56&list=0"),
    # SiteServer asks its counter by POST: a GET of it is no count, so none is named
    ('<div>发布时间：2022-01-05 点击：<span id="hits"></span></div>',
     '<script>$.ajax({type: "POST", url: "/api/stl/actions/hits", data: JSON.stringify({contentId: 345})});</script>', None),
])
def test_an_empty_count_names_the_counter_its_script_asks(header, scripts, counter):
    record = parse_article(page(f"<h1>关于全区教育工作情况的审议意见</h1>{header}{BODY}{scripts}"), "http://x.gov.cn/a/89.html")
    assert (record.view_count, record.view_count_url) == (None, counter)


def test_a_count_on_a_generated_page_includes_no_fetch_of_ours():
    html = page(f"<h1>关于全区教育工作情况的审议意见</h1><div>发布时间：2022-01-05 点击数：40</div>{BODY}")
    assert parse_article(html, "http://x.gov.cn/shyj/89.html").view_count_includes_own_fetch is False
    assert parse_article(html, "http://x.gov.cn/ShowArticle.asp?ArticleID=89").view_count_includes_own_fetch is True


@pytest.mark.parametrize("answer", [
    "<html><body><p>该信息不存在或已被删除</p></body></html>",
    "<html><body>你要找的文章不存在，或者已经被管理员删除！</body></html>",
    "<html><head><title>提示信息</title></head><body>抱歉，您要访问的信息不存在！</body></html>",
    "<script>alert('对不起，该文章已删除或不存在！');history.back();</script>",
    "<html><body><script language='javascript'>alert(\"信息不存在\");window.history.go(-1);</script></body></html>",
])
def test_removed_page_answers_are_soft_404s(answer):
    with pytest.raises(NotAnArticle) as error:
        parse_article(answer.encode("utf-8"), "http://x.gov.cn/a.html")
    assert error.value.reason == "soft_404"


@pytest.mark.parametrize("trail, column", [
    # The trail ends with the article's title, whole or cut short, or with a leaf (正文): the column is before it.
    ('<div>当前位置：<a href="/">首页</a> &gt; <a href="/l/">审议意见</a> &gt; 关于全区教育工作情况的审议意见</div>', "审议意见"),
    ('<div>当前位置：<a href="/">首页</a> &gt; <a href="/l/">审议意见</a> &gt; 关于全区教育工作...</div>', "审议意见"),
    ("<div>您现在的位置：<a href='/'>某某县人大</a> &gt;&gt; <a href='/l/'>审议意见</a> &gt;&gt; 正文</div>", "审议意见"),
    # A widget's caption in the trail's next cell (PowerEasy's 双击自动滚屏, ccer-pku).
    ("<table><tr><td>当前位置：首页&gt;&gt;人大工作&gt;&gt;审议意见</td>\n<td>双击自动滚屏</td></tr></table>", "审议意见"),
    # Other place labels and separators: 您当前的位置：, 位置：首页, ｜ (chinaneast), >> alone (jilin-prov).
    ("<div>您当前的位置：网站首页&gt;人大工作&gt;审议意见</div>", "审议意见"),
    ("<div>位置：首页 &gt; 审议意见</div>", "审议意见"),
    ("<div>当前位置：首页｜人大工作｜审议意见</div>", "审议意见"),
    ("<div>某某县人大常委会 &gt;&gt; 人大工作 &gt;&gt; 审议意见</div>", "审议意见"),
    # Discuz! portal: the site's name, then › and the view's leaf (查看内容).
    ("<div><a href='./'>某某县人大</a> <em>&rsaquo;</em> <a href='portal.php'>门户</a> <em>&rsaquo;</em>"
     " <a href='portal.php?mod=list&amp;catid=3'>审议意见</a> <em>&rsaquo;</em> 查看内容</div>", "审议意见"),
    # Dashes between spaces where the trail opens with the home page (gsc); a title's dash elsewhere.
    ("<div>首页 - 人大工作 - 审议意见</div>", "审议意见"),
    ("<div>当前位置：首页 &gt; 审议意见 &gt; 关于全区教育工作情况的审议意见 - 某某县人大</div>", "审议意见"),
    # A trail over several lines, each crumb a list item (shanxi-prov, zj-fgw).
    ("<ul><li><a href='/'>首页</a></li><li>&gt; <a href='/rd/'>人大工作</a></li><li>&gt; <a href='/l/'>审议意见</a></li></ul>", "审议意见"),
    ("<div>当前位置： 首页</div><div>&gt;人大工作 &gt;审议意见</div>", "审议意见"),
    # A home page alone names no column; a 更多>> above the trail is no trail.
    ("<div>当前位置：首页</div>", None),
    ("<div>首页 &gt; 审议意见 &gt; 列表</div>", "审议意见"),  # a list page's trail (PHPCMS) ends with a leaf too
    ("<div>更多&gt;&gt;</div><div>当前位置：首页 &gt; 审议意见</div>", "审议意见"),
])
def test_the_column_is_the_trails_last_crumb_before_the_page_itself(trail, column):
    html = page(f'{trail}<h1>关于全区教育工作情况的审议意见</h1><div>发布时间：2020-10-10</div>{BODY}')
    assert parse_article(html, "http://rd.example/a/1.html").column == column
