"""HTML of the replica's pages, in two markups of the same site.

``table`` is the classic ASP-era table layout the live site has; ``div`` is the same site
as a later CMS might render it (side lists first, full-width colons, page-number pager).
Parsers are tested on both, so they cannot lean on one markup's shapes.
"""

from __future__ import annotations

from html import escape

from .content import Article

SITE_NAME = "椒江人大网"
COLUMN = "审议意见"
COLUMN_CLASS_ID = 5
OTHER_COLUMNS = {"工作动态": 3, "代表工作": 7}
# The column of the government's reports on the opinions (replica/followups.py); only the site's
# own markups (table, div) serve it.
REPORTS_COLUMNS = {"监督工作": 4}
FOOTER_LINES = [
    "浙江省台州市椒江区人民代表大会常务委员会办公室",
    "电话:0576-88832305 邮编:318000  传真:0576-88830682",
    "备案序号:浙ICP备09022215号  制作:台州市飞天电脑有限公司",
]


def cut(title: str, width: int) -> str:
    """Titles in side lists are cut, as the live site does: ``关于我区…的 ..``."""
    return title if len(title) <= width else title[:width] + " .."


def count_text(count: int, in_ten_thousands: bool = False) -> str:
    """A view count as a site writes it: its figures, or, ``in_ten_thousands``, from 10,000 on
    rounded to a tenth of 万 (44920 is 4.5万), as sites with large counts write them."""
    if not in_ten_thousands or count < 10000:
        return str(count)
    tenths = (count + 500) // 1000
    return f"{tenths // 10}.{tenths % 10}万"


def count_meant(count: int, in_ten_thousands: bool = False) -> tuple[int, bool]:
    """What a reader takes ``count_text`` to mean: the count and whether it is approximate."""
    if not in_ten_thousands or count < 10000:
        return count, False
    return (count + 500) // 1000 * 1000, True


def article_url(article: Article) -> str:
    if article.published_as:
        return file_url(article)
    return f"/ShowArticle.asp?ArticleID={article.id}"


def file_url(article: Article) -> str:
    """Where the file of a document published as a file alone lies."""
    return f"/UploadFiles/{article.published[:7].replace('-', '')}/shyj{article.id}.{article.published_as}"


def list_url(page: int, class_id: int = COLUMN_CLASS_ID, year: str | None = None) -> str:
    """A list page of a column, or of a year it is divided into."""
    return f"/list.asp?ClassID={class_id}" + (f"&year={year}" if year else "") + (f"&page={page}" if page > 1 else "")


def _head(title: str, charset: str) -> str:
    return (
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
        '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
        '<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}" />\n'
        f"<title>{escape(title)}</title>\n"
        '<link href="/css/style.css" rel="stylesheet" type="text/css" />\n</head>\n'
    )


def _banner(markup: str) -> str:
    nav = " | ".join(
        f'<a href="{href}">{name}</a>'
        for name, href in [("网站首页", "/"), ("人大概况", "/list.asp?ClassID=1"), ("工作动态", list_url(1, 3)),
                           (COLUMN, list_url(1)), ("代表工作", list_url(1, 7)), ("联系我们", "/list.asp?ClassID=9")]
    )
    if markup == "div":
        return f'<div class="header"><div class="logo">{SITE_NAME}</div><div class="menu">{nav}</div></div>\n'
    return (
        '<table width="980" border="0" align="center" cellpadding="0" cellspacing="0">'
        f'<tr><td height="120" class="banner"><img src="/images/banner.jpg" width="980" height="120" alt="" /></td></tr>'
        f'<tr><td class="menu" height="32" align="center">{nav}</td></tr></table>\n'
    )


def _footer(markup: str) -> str:
    links = '| <a href="#">设为首页</a> | <a href="#">加入收藏</a> | <a href="/admin/">管理登录</a> | 版权所有 |'
    if markup == "div":
        return '<div class="footer"><p>' + links + "</p>" + "".join(f"<p>{line}</p>" for line in FOOTER_LINES) + "</div>\n"
    return (
        '<table width="980" border="0" align="center" class="footer"><tr><td align="center">'
        + links + "<br />" + "<br />".join(FOOTER_LINES) + "</td></tr></table>\n"
    )


def _side_list(heading: str, entries: list[Article], markup: str, dated: bool, width: int) -> str:
    items = []
    for article in entries:
        date = f" {article.published}" if dated else ""
        link = f'<a href="{article_url(article)}" title="{escape(article.title)}" target="_blank">{escape(cut(article.title, width))}</a>'
        if markup == "div":
            items.append(f"<li>{link}<span>{date}</span></li>")
        else:
            items.append(f'<tr><td height="22">·{link}{date}</td></tr>')
    if markup == "div":
        return f'<div class="box"><h3>{heading}</h3><ul>{"".join(items)}</ul></div>\n'
    return (f'<table width="100%" border="0" class="box"><tr><td class="boxtitle">&nbsp;&nbsp;{heading}&nbsp;&nbsp;</td></tr>'
            + "".join(items) + "</table>\n")


def _sidebar(latest: list[Article], most_read: list[Article], markup: str) -> str:
    return _side_list("最新更新", latest, markup, False, 14) + _side_list("阅读排行", most_read, markup, False, 14)


def _paragraph(text: str, kind: str, markup: str) -> str:
    if kind == "heading":
        return f'<p align="center"><strong>{escape(text)}</strong></p>'
    if kind == "signature":
        return f'<p align="right">{escape(text)}&nbsp;&nbsp;&nbsp;&nbsp;</p>'
    if markup == "div":
        return f'<p style="text-indent:2em">\u3000\u3000{escape(text)}</p>'
    return f"<p>&nbsp;&nbsp;&nbsp;&nbsp;{escape(text)}</p>"


def _body(article: Article, markup: str, attachment_urls: list[str], image_urls: list[str]) -> str:
    parts = []
    for section in article.sections:
        if section["kind"] == "addressee":
            parts.append("<p>&nbsp;</p>")
            parts.extend(f'<p align="center"><img src="{url}" border="0" alt="" /></p>' for url in image_urls)
        if section["kind"] == "signature" and section is article.sections[-1]:
            parts.append("<p>&nbsp;</p>")
        parts.extend(_paragraph(text, section["kind"], markup) for text in section["paragraphs"])
    for attachment, url in zip(article.attachments, attachment_urls):
        parts.append(f'<p>附件:<a href="{url}" target="_blank">{escape(attachment["name"])}</a></p>')
    return "\n".join(parts)


def _views(article: Article, views: int, markup: str) -> str:
    if article.counter_script:
        return f'<script type="text/javascript" src="/count.asp?id={article.id}"></script>'
    return str(views)


def _nav_line(label: str, article: Article | None) -> str:
    if article is None:
        return f"{label}:没有了"
    return f'{label}:<a href="{article_url(article)}">{escape(article.title)}</a>'


def article_page(article: Article, *, views: int, newer: Article | None, older: Article | None,
                 related: list[Article], latest: list[Article], most_read: list[Article],
                 attachment_urls: list[str], image_urls: list[str], markup: str = "table", year: str | None = None) -> str:
    """``year``: the year of the column the article is listed in, where the column is divided by year."""
    charset = article.encoding
    class_id = COLUMN_CLASS_ID if article.column == COLUMN else OTHER_COLUMNS.get(article.column) or REPORTS_COLUMNS.get(article.column, 3)
    crumb_sep = " &gt;&gt; "
    division = f'{crumb_sep}<a href="{list_url(1, class_id, year)}">{year}年</a>' if year else ""
    crumb = f'您当前位置:<a href="/">网站首页</a>{crumb_sep}<a href="{list_url(1, class_id)}">{article.column}</a>{division}{crumb_sep}阅读文章'
    published = article.published
    related_html = _side_list("相关文章", related, markup, True, 30)
    if markup == "div":
        main = (
            f'<div class="position">{crumb.replace(":", "：", 1)}</div>\n'
            f'<div class="article"><h1>{escape(article.title)}</h1>\n'
            f'<div class="info"><span>来源：{escape(article.source)}</span> <span>发布时间：{published}</span> '
            f'<span>查看次数：{_views(article, views, markup)}</span></div>\n'
            f'<div class="tools">【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】</div>\n'
            f'<div class="content">\n{_body(article, markup, attachment_urls, image_urls)}\n</div>\n'
            f'<div class="pn"><p>{_nav_line("上一条", newer).replace(":", "：", 1)}</p><p>{_nav_line("下一条", older).replace(":", "：", 1)}</p></div>\n'
            f"{related_html}</div>\n"
        )
        layout = f'<div class="wrap"><div class="side">{_sidebar(latest, most_read, markup)}</div><div class="main">{main}</div></div>\n'
    else:
        main = (
            f'<table width="100%" border="0"><tr><td class="position" height="28">{crumb}</td></tr></table>\n'
            '<table width="96%" border="0" align="center" cellpadding="0" cellspacing="0">\n'
            f'<tr><td height="50" align="center" class="title"><font size="4"><b>{escape(article.title)}</b></font></td></tr>\n'
            f'<tr><td align="center" class="info" height="25">来源:{escape(article.source)}&nbsp;发布时间:{published}'
            f'&nbsp;查看次数:{_views(article, views, markup)}</td></tr>\n'
            f'<tr><td class="content" id="fontzoom">\n{_body(article, markup, attachment_urls, image_urls)}\n</td></tr>\n'
            f'<tr><td>&nbsp;</td></tr><tr><td class="pn">{_nav_line("上一条", newer)}<br />{_nav_line("下一条", older)}</td></tr>\n'
            f"<tr><td>&nbsp;</td></tr></table>\n{related_html}"
        )
        layout = (
            '<table width="980" border="0" align="center" cellpadding="0" cellspacing="0"><tr>'
            f'<td width="710" valign="top">{main}</td>'
            f'<td width="270" valign="top" class="side">{_sidebar(latest, most_read, markup)}</td></tr></table>\n'
        )
    return _head(f"{article.title}-{SITE_NAME}", charset) + "<body>\n" + _banner(markup) + layout + _footer(markup) + "</body>\n</html>\n"


def _pager(page: int, pages: int, total: int, class_id: int, markup: str, year: str | None = None) -> str:
    def url(number: int) -> str:
        return list_url(number, class_id, year)
    if markup == "div":
        numbers = " ".join(
            f"<span class=\"current\">{n}</span>" if n == page else f'<a href="{url(n)}">{n}</a>'
            for n in range(1, pages + 1)
        )
        return f'<div class="pages">共{pages}页 {numbers}</div>'
    first = f'<a href="{url(1)}">首页</a>' if page > 1 else "首页"
    previous = f'<a href="{url(page - 1)}">上一页</a>' if page > 1 else "上一页"
    following = f'<a href="{url(page + 1)}">下一页</a>' if page < pages else "下一页"
    last = f'<a href="{url(pages)}">尾页</a>' if page < pages else "尾页"
    options = "".join(
        f'<option value="{url(n)}"{" selected" if n == page else ""}>第{n}页</option>' for n in range(1, pages + 1)
    )
    return (f'<div align="center">共{total}条记录&nbsp;{first}&nbsp;{previous}&nbsp;{following}&nbsp;{last}&nbsp;'
            f'页次:{page}/{pages}页&nbsp;转到:<select onchange="location.href=this.value">{options}</select></div>')


def list_page(column: str, class_id: int, entries: list[Article], *, page: int, pages: int, total: int,
              latest: list[Article], most_read: list[Article], markup: str = "table", year: str | None = None) -> str:
    """``year``: the year of the column the page lists, where the column is divided by year."""
    crumb = '您当前位置:<a href="/">网站首页</a> &gt;&gt; ' + (
        f'<a href="{list_url(1, class_id)}">{column}</a> &gt;&gt; {year}年' if year else column)
    if markup == "div":
        rows = "".join(f'<li><a href="{article_url(a)}" title="{escape(a.title)}">{escape(cut(a.title, 26))}</a>'
                       f'<span class="date">{a.published[:10]}</span></li>' for a in entries)
        main = f'<div class="position">{crumb}</div><ul class="list">{rows}</ul>{_pager(page, pages, total, class_id, markup, year)}'
        layout = f'<div class="wrap"><div class="side">{_sidebar(latest, most_read, markup)}</div><div class="main">{main}</div></div>\n'
    else:
        rows = "".join(
            f'<tr><td height="25">·<a href="{article_url(a)}" target="_blank">{escape(cut(a.title, 32))}</a></td>'
            f'<td width="150" align="right">{a.published}</td></tr>' for a in entries
        )
        main = (f'<table width="100%"><tr><td class="position">{crumb}</td></tr></table>'
                f'<table width="96%" align="center" class="list">{rows}</table>{_pager(page, pages, total, class_id, markup, year)}')
        layout = (f'<table width="980" align="center"><tr><td width="710" valign="top">{main}</td>'
                  f'<td width="270" valign="top">{_sidebar(latest, most_read, markup)}</td></tr></table>\n')
    return _head(f"{column}-{SITE_NAME}", "gb2312") + "<body>\n" + _banner(markup) + layout + _footer(markup) + "</body>\n</html>\n"


def years_page(column: str, class_id: int, years: list[str], *, latest: list[Article], most_read: list[Article],
               markup: str = "table") -> str:
    """The front page of a column divided by year: a row for each year, newest first, linking its list."""
    crumb = f'您当前位置:<a href="/">网站首页</a> &gt;&gt; {column}'
    links = [f'<a href="{list_url(1, class_id, year)}">{year}年{column}</a>' for year in years]
    if markup == "div":
        main = f'<div class="position">{crumb}</div><ul class="list">{"".join(f"<li>{link}</li>" for link in links)}</ul>'
        layout = f'<div class="wrap"><div class="side">{_sidebar(latest, most_read, markup)}</div><div class="main">{main}</div></div>\n'
    else:
        rows = "".join(f'<tr><td height="25">·{link}</td></tr>' for link in links)
        main = (f'<table width="100%"><tr><td class="position">{crumb}</td></tr></table>'
                f'<table width="96%" align="center" class="list">{rows}</table>')
        layout = (f'<table width="980" align="center"><tr><td width="710" valign="top">{main}</td>'
                  f'<td width="270" valign="top">{_sidebar(latest, most_read, markup)}</td></tr></table>\n')
    return _head(f"{column}-{SITE_NAME}", "gb2312") + "<body>\n" + _banner(markup) + layout + _footer(markup) + "</body>\n</html>\n"


def home_page(columns: dict[str, list[Article]], latest: list[Article], markup: str = "table") -> str:
    blocks = []
    for column, entries in columns.items():
        class_id = COLUMN_CLASS_ID if column == COLUMN else OTHER_COLUMNS.get(column) or REPORTS_COLUMNS.get(column, 3)
        rows = "".join(f'<li><a href="{article_url(a)}">{escape(cut(a.title, 20))}</a> {a.published[:10]}</li>' for a in entries)
        blocks.append(f'<div class="box"><h3><a href="{list_url(1, class_id)}">{column}</a></h3><ul>{rows}</ul></div>')
    return (_head(SITE_NAME, "gb2312") + "<body>\n" + _banner(markup) + "".join(blocks)
            + _side_list("最新更新", latest, markup, False, 14) + _footer(markup) + "</body>\n</html>\n")


def not_found_page() -> str:
    return (_head("提示信息-" + SITE_NAME, "gb2312") + "<body><table align=\"center\"><tr><td>"
            "<p>该信息不存在或已被删除！</p><p><a href=\"javascript:history.back()\">返回</a></p></td></tr></table></body></html>\n")
