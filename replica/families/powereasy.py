"""PowerEasy 动易 SiteWeaver (ASP on IIS), dynamic and static-HTML.

Dynamic: ``/Article/ShowClass.asp?ClassID=5&page=N`` lists, ``ShowArticle.asp?ArticleID=N``
articles; the article page itself counts the view and prints ``点击数：N``. Static: the same
templates generated as files, ``List_5.html`` then ``List_5_{Total-k+1}.html`` (page k numbered
from the oldest), articles ``/Article/shyj/202211/1045.html``, and the count written by
``GetHits.asp?ArticleID=N`` (``document.write('N');``), served by IIS as ``text/html`` with no
charset (the pages' ``<meta>`` says gb2312).

Both: list links carry PowerEasy's title tooltip (文章标题/作    者/更新时间/点击数), times are
ASP's unpadded ``2012-5-8 9:05:05``, the header line is 作者/文章来源/点击数/更新时间, and the
body is followed by ``文章录入：… 责任编辑：…`` and the 【字体：小 大】【发表评论】… toolbar.
"""

from __future__ import annotations

from html import escape

from ..content import Article
from ..render import COLUMN, COLUMN_CLASS_ID, OTHER_COLUMNS, SITE_NAME, cut
from ..reply import Reply
from .base import Family, Request, body_blocks, image_slot

CLASS_DIRS = {COLUMN: "shyj", "工作动态": "gzdt", "代表工作": "dbgz"}
CLASS_IDS = {COLUMN: COLUMN_CLASS_ID, **OTHER_COLUMNS}
# The skin's stylesheet (SiteWeaver writes the chosen skin to /Skin/DefaultSkin.css).
DEFAULT_SKIN = """body { margin: 0; font-size: 12px; font-family: SimSun, serif; color: #000; background: #fff; }
a { color: #000; text-decoration: none; }
a:hover { color: #c00; text-decoration: underline; }
.top_tdbgall, .center_tdbgall, .Bottom_tdbgall { background: #fff; }
.top_Channel { height: 28px; background: #1c5ea8; }
.Channel { color: #fff; font-weight: bold; padding: 0 8px; }
.left_title, .main_title_575 { height: 26px; font-weight: bold; color: #1c5ea8; border-bottom: 1px solid #9cc1e8; }
.left_tdbg1, .main_tdbg_575 { line-height: 20px; padding: 4px; }
.main_ArticleTitle { font-size: 18px; font-weight: bold; color: #c00; text-align: center; }
.main_ArticleContent { font-size: 14px; line-height: 2; }
.border { border: 1px solid #9cc1e8; }
.title { background: #1c5ea8; color: #fff; }
.tdbg { background: #f0f6fc; }
.Bottom_Copyright { line-height: 22px; text-align: center; color: #555; }
"""


def asp_time(article: Article) -> str:
    """ASP's default date-time text: month, day and hour without leading zeros."""
    when = Family.when(article)
    return f"{when.year}-{when.month}-{when.day} {when.hour}:{when.minute:02d}:{when.second:02d}"


class PowerEasy(Family):
    name = "powereasy"
    cms = "PowerEasy SiteWeaver 6.8 (dynamic ASP)"
    charset = "gb2312"
    precision = "second"
    page_size = 20
    stylesheets = {"/Skin/DefaultSkin.css": DEFAULT_SKIN}
    template_images = {"/Skin/blue/top_logo.jpg": "logo.jpg", "/Article/Images/article_common.gif": "icon.gif"}

    # URLs ---------------------------------------------------------------------------

    def list_path(self, column: str, page: int) -> str:
        return f"/Article/ShowClass.asp?ClassID={CLASS_IDS[column]}" + (f"&page={page}" if page > 1 else "")

    def article_path(self, article: Article) -> str:
        return f"/Article/ShowArticle.asp?ArticleID={article.id}"

    def file_path(self, article: Article, number: int, extension: str) -> str:
        return f"/Article/UploadFiles/{article.published[:7].replace('-', '')}/{article.id}{number:02d}.{extension}"

    def route(self, request: Request) -> Reply | None:
        path = request.path.lower()
        if path in ("/", "/index.asp"):
            return self._page(self.home())
        if path == "/article/showclass.asp":
            column = next((c for c, i in CLASS_IDS.items() if str(i) == request.query.get("classid")), None)
            if column is None:
                return self._page(error_page("找不到指定的栏目！"))
            page = int(request.query["page"]) if request.query.get("page", "").isdigit() else 1
            entries = self.entries(column)
            # As the ASP does: a page past the last shows the last one.
            page = min(max(page, 1), self.pages(entries))
            return self._page(self.list_page(column, entries, page))
        if path == "/article/showarticle.asp":
            return self.article_reply(self.article(request.query.get("articleid", "")))
        if path.startswith("/article/uploadfiles/"):
            return self.file_reply(request.path)
        return None

    def _page(self, html: str) -> Reply:
        return self.html(html, self.asp_headers())

    def article_reply(self, article: Article | None) -> Reply:
        status = self.removal(article)
        if status == 200:
            return self._page(error_page("你要找的文章不存在，或者已经被管理员删除！"))
        if status is not None:
            return Reply(status, [("Server", "Microsoft-IIS/6.0"), ("Content-Type", "text/html")], iis_error(status))
        # ShowArticle.asp adds the view to PE_Article.Hits before it writes the page.
        return self._page(self.article_page(article, str(self.count_view(article))))

    # Pages ---------------------------------------------------------------------------

    def head(self, title: str) -> str:
        return ('<html>\n<head>\n<title>' + escape(title) + '</title>\n'
                f'<meta http-equiv="Content-Type" content="text/html; charset={self.charset}">\n'
                '<link href="/Skin/DefaultSkin.css" rel="stylesheet" type="text/css">\n'
                '<script language="JavaScript" type="text/JavaScript" src="/js/menu.js"></script>\n</head>\n'
                '<body leftmargin="0" topmargin="0" marginwidth="0" marginheight="0">\n')

    def top(self) -> str:
        links = "".join(f"<td><a class='Channel' href='{href}'>{name}</a></td><td class='Channel_Separator'>|</td>"
                        for name, href in [("网站首页", "/"), ("人大概况", "/Article/ShowClass.asp?ClassID=1"),
                                           ("工作动态", self.list_path("工作动态", 1)), (COLUMN, self.list_path(COLUMN, 1)),
                                           ("代表工作", self.list_path("代表工作", 1))])
        return ('<table width="778" border="0" align="center" cellpadding="0" cellspacing="0" class="top_tdbgall">'
                '<tr><td><img src="/Skin/blue/top_logo.jpg" width="778" height="100"></td></tr>'
                f'<tr class="top_Channel"><td><table align="center"><tr>{links}</tr></table></td></tr></table>\n')

    def bottom(self) -> str:
        return ('<table width="778" border="0" align="center" cellpadding="0" cellspacing="0" class="Bottom_tdbgall">'
                "<tr><td class='Bottom_Adminlogo'>| <a href='#' onClick=\"this.style.behavior='url(#default#homepage)';\">设为首页</a>"
                " | <a href='/Admin/Admin_Index.asp'>管理登录</a> | 版权所有 |</td></tr>"
                "<tr><td class='Bottom_Copyright'>浙江省台州市椒江区人民代表大会常务委员会办公室<br>"
                "电话：0576-88832305 邮编：318000<br>备案序号：浙ICP备09022215号 技术支持：动易网络</td></tr></table>\n"
                "</body>\n</html>\n")

    def tooltip(self, article: Article) -> str:
        """PowerEasy's list-link title: the whole title, author, time and the count (counts no view)."""
        text = (f"文章标题：{article.title}\n作    者：佚名\n更新时间：{asp_time(article)}\n"
                f"点击数：{self.listed_count(article)}")
        return escape(text, quote=True).replace("\n", "&#13;&#10;")

    def side_box(self, heading: str, entries: list[Article]) -> str:
        rows = "".join(f"<li><a href='{self.article_path(a)}' title='{escape(a.title, quote=True)}' target='_blank'>"
                       f"{escape(cut(a.title, 14))}</a></li>" for a in entries)
        return (f'<table width="100%" class="left_title"><tr><td>{heading}</td></tr></table>'
                f'<table width="100%" class="left_tdbg1"><tr><td valign="top"><ul>{rows}</ul></td></tr></table>\n')

    def sidebar(self) -> str:
        dated = "".join(f"<li><a href='{self.article_path(a)}'>{escape(cut(a.title, 13))}</a>"
                        f"<span class='listDate'>({a.published[:10]})</span></li>" for a in self.other_columns()[:6])
        most_read = sorted(self.entries(), key=lambda a: self.site.views[a.id], reverse=True)[:8]
        return (self.side_box("热门文章", most_read)
                + f'<table width="100%" class="left_title"><tr><td>工作动态</td></tr></table><ul>{dated}</ul>\n')

    def list_rows(self, entries: list[Article]) -> str:
        return "".join(
            f'<tr><td class="listbg"><img src="/Article/Images/article_common.gif" alt="普通文章">'
            f'<a class="listA" href="{self.article_path(a)}" title="{self.tooltip(a)}" target="_blank">'
            f'{escape(cut(a.title, 34))}</a></td><td class="listbg" align="right" width="90">'
            f'{asp_time(a).split(" ")[0]}</td></tr>' for a in entries)

    def pager(self, page: int, pages: int, total: int, column: str) -> str:
        def link(n: int, text: str) -> str:
            return f"<a href='{self.page_href(column, n, pages)}'>{text}</a>"
        first = link(1, "首页") + "&nbsp;" + link(page - 1, "上一页") if page > 1 else "首页 上一页"
        last = link(page + 1, "下一页") + "&nbsp;" + link(pages, "尾页") if page < pages else "下一页 尾页"
        options = "".join(f"<option value='{self.option_value(column, n, pages)}'{' selected' if n == page else ''}>第{n}页</option>"
                          for n in range(1, pages + 1))
        return (f"<div class='showpage'>共 <b>{total}</b> 篇文章&nbsp;&nbsp;{first}&nbsp;{last}&nbsp;"
                f"页次：<strong><font color=red>{page}</font>/{pages}</strong>页 &nbsp;<b>{self.page_size}</b>篇文章/页"
                f"&nbsp;转到：<select name='page' size='1' onchange=\"{self.jump_script(column)}\">{options}</select></div>")

    def page_href(self, column: str, page: int, pages: int) -> str:
        return self.list_path(column, page).rsplit("/", 1)[1]

    def option_value(self, column: str, page: int, pages: int) -> str:
        return str(page)

    def jump_script(self, column: str) -> str:
        return (f"javascript:window.location='ShowClass.asp?ClassID={CLASS_IDS[column]}&page='"
                "+this.options[this.selectedIndex].value;")

    def crumb(self, column: str, tail: str) -> str:
        return ("您现在的位置：&nbsp;<a class='LinkPath' href='/'>椒江人大网</a>&nbsp;&gt;&gt;&nbsp;"
                "<a class='LinkPath' href='/Article/Index.asp'>文章中心</a>&nbsp;&gt;&gt;&nbsp;"
                f"<a class='LinkPath' href='{self.list_path(column, 1)}'>{column}</a>{tail}")

    def list_page(self, column: str, entries: list[Article], page: int) -> str:
        pages = self.pages(entries)
        main = (f'<table width="100%" class="main_title_575"><tr><td>{self.crumb(column, "")}</td></tr></table>'
                f'<table width="100%" cellpadding="0" cellspacing="0" class="main_tdbg_575">'
                f'{self.list_rows(self.page_entries(entries, page))}</table>'
                f'{self.pager(page, pages, len(entries), column)}')
        return (self.head(f"{SITE_NAME}--{column}") + self.top()
                + '<table width="778" border="0" align="center" cellpadding="0" cellspacing="0" class="center_tdbgall"><tr>'
                f'<td width="200" valign="top" class="left_tdbgall">{self.sidebar()}</td>'
                f'<td width="578" valign="top">{main}</td></tr></table>\n' + self.bottom())

    def counter_html(self, article: Article, count: str) -> str:
        return count

    def body(self, article: Article) -> str:
        blocks = body_blocks(article)
        slot = image_slot(article)
        parts = []
        for index, (kind, text) in enumerate(blocks):
            if index == slot:
                parts.extend(f'<p align="center"><img src="{url}" border="0" onload="resizepic(this)"></p>'
                             for url, _ in self.images(article))
            if kind == "heading":
                parts.append(f'<p align="center"><b>{escape(text)}</b></p>')
            elif kind == "signature":
                parts.append(f'<p align="right">{escape(text)}</p>')
            else:
                parts.append(f"<p>&nbsp;&nbsp;&nbsp;&nbsp;{escape(text)}</p>")
        parts.extend(f'<p>附件:<a href="{url}" target="_blank">{escape(name)}</a></p>' for url, name in self.attachments(article))
        return "\n".join(parts)

    def nav_line(self, label: str, other: Article | None) -> str:
        if other is None:
            return f"<li>{label}没有了</li>"
        return f"<li>{label}<a href='{self.article_path(other)}' title='{escape(other.title, quote=True)}'>{escape(cut(other.title, 30))}</a></li>"

    def article_page(self, article: Article, count: str) -> str:
        newer, older = self.neighbours(article)
        column = article.column
        header = (f"作者：佚名&nbsp;&nbsp;&nbsp;&nbsp;文章来源：{escape(article.source)}&nbsp;&nbsp;&nbsp;&nbsp;"
                  f"点击数：{self.counter_html(article, count)}&nbsp;&nbsp;&nbsp;&nbsp;更新时间：{asp_time(article)}"
                  "&nbsp;&nbsp;&nbsp;&nbsp;")
        related = [a for a in self.entries(column) if a.id != article.id][:6]
        main = (
            f'<table width="100%" class="main_title_575"><tr><td>{self.crumb(column, "&nbsp;&gt;&gt;&nbsp;正文")}</td></tr></table>\n'
            '<table width="100%" border="0" cellpadding="0" cellspacing="5" class="main_tdbg_575">\n'
            f'<tr><td class="main_ArticleTitle" align="center"><font size="4"><b>{escape(article.title)}</b></font></td></tr>\n'
            f'<tr><td class="Article_tdbgall" align="center">{header}</td></tr>\n'
            f'<tr><td id="fontzoom" class="main_ArticleContent">\n{self.body(article)}\n</td></tr>\n'
            '<tr><td align="right">文章录入：admin&nbsp;&nbsp;&nbsp;&nbsp;责任编辑：admin&nbsp;</td></tr>\n'
            "<tr><td>【字体：<a href='javascript:fontZoomA();'>小</a> <a href='javascript:fontZoomB();'>大</a>】"
            "【<a href='/Article/Comment.asp'>发表评论</a>】【<a href='#'>加入收藏</a>】【<a href='#'>告诉好友</a>】"
            "【<a href='javascript:window.print()'>打印此文</a>】【<a href='javascript:window.close();'>关闭窗口</a>】</td></tr>\n"
            f"<tr><td>{self.nav_line('上一篇文章：', newer)}{self.nav_line('下一篇文章：', older)}</td></tr></table>\n"
            f'{self.side_box("相关文章", related)}')
        return (self.head(f"{SITE_NAME}--{article.title}") + self.top()
                + '<table width="778" border="0" align="center" cellpadding="0" cellspacing="0" class="center_tdbgall"><tr>'
                f'<td width="200" valign="top" class="left_tdbgall">{self.sidebar()}</td>'
                f'<td width="578" valign="top">{main}</td></tr></table>\n' + self.bottom())

    def home(self) -> str:
        blocks = "".join(
            f'<table width="100%" class="main_title_575"><tr><td><a href="{self.list_path(column, 1)}">{column}</a></td></tr></table>'
            + '<table>' + self.list_rows(self.entries(column)[:6]) + '</table>'
            for column in [COLUMN, *OTHER_COLUMNS])
        return self.head(SITE_NAME) + self.top() + blocks + self.bottom()


class PowerEasyStatic(PowerEasy):
    name = "powereasy-static"
    cms = "PowerEasy SiteWeaver 6.8 (pages generated as HTML files)"

    def list_path(self, column: str, page: int) -> str:
        entries = self.entries(column)
        number = self.pages(entries) - page + 1
        return f"/Article/{CLASS_DIRS[column]}/List_{CLASS_IDS[column]}" + (f"_{number}" if page > 1 else "") + ".html"

    def article_path(self, article: Article) -> str:
        return f"/Article/{CLASS_DIRS[article.column]}/{article.published[:7].replace('-', '')}/{article.id}.html"

    def option_value(self, column: str, page: int, pages: int) -> str:
        return self.page_href(column, page, pages)

    def jump_script(self, column: str) -> str:
        return "javascript:window.location=this.options[this.selectedIndex].value;"

    def route(self, request: Request) -> Reply | None:
        path = request.path.lower()
        if path in ("/", "/index.html"):
            return self._file(self.home())
        if path == "/article/gethits.asp":
            return self.counter(self.article(request.query.get("articleid", "")))
        if path.startswith("/article/uploadfiles/"):
            return self.file_reply(request.path)
        for column in CLASS_IDS:
            entries = self.entries(column)
            for page in range(1, self.pages(entries) + 1):
                if path == self.list_path(column, page).lower():
                    return self._file(self.list_page(column, entries, page))
        article = next((a for a in self.site.articles if self.article_path(a).lower() == path), None)
        if article is None or self.removal(article) is not None:
            # The generated file was deleted: IIS answers 404 (or what the test asked for).
            status = self.removal(article) if article is not None and self.removal(article) != 200 else 404
            return Reply(status, [("Server", "Microsoft-IIS/6.0"), ("Content-Type", "text/html")], iis_error(status))
        return self._file(self.article_page(article, ""))

    def _file(self, html: str) -> Reply:
        return self.html(html, self.static_headers("Microsoft-IIS/6.0"))

    def counter_html(self, article: Article, count: str) -> str:
        return f'<script language="javascript" src="/Article/GetHits.asp?ArticleID={article.id}"></script>'

    def counter(self, article: Article | None) -> Reply:
        headers = self.asp_headers(charset=None)
        if article is None or self.removal(article) is not None:
            return self.script("document.write('0');", headers)
        return self.script(f"document.write('{self.count_view(article)}');", headers)


def error_page(reason: str) -> str:
    return ("<html><head><title>错误信息</title><meta http-equiv='Content-Type' content='text/html; charset=gb2312'>"
            "<link href='/Skin/DefaultSkin.css' rel='stylesheet' type='text/css'></head><body><br><br>"
            "<table cellpadding=2 cellspacing=1 border=0 width=400 class='border' align=center>"
            "<tr align='center' class='title'><td height='22'><strong>错误信息</strong></td></tr>"
            f"<tr class='tdbg'><td height='100' valign='top'><b>产生错误的可能原因：</b><br><li>{reason}</li></td></tr>"
            "<tr align='center' class='tdbg'><td><a href='javascript:history.go(-1)'>&lt;&lt; 返回上一页</a></td></tr>"
            "</table></body></html>")


def iis_error(status: int) -> bytes:
    title = {404: "无法找到该页", 410: "该页已被删除"}.get(status, "错误")
    return (f"<html><head><title>{title}</title><meta HTTP-EQUIV='Content-Type' Content='text/html; charset=gb2312'></head>"
            f"<body><h1>{title}</h1><p>HTTP 错误 {status} - Internet 信息服务 (IIS)</p></body></html>").encode("gbk")
