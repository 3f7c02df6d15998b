"""PHPCMS v9 (dynamic PHP on Apache, GBK edition).

Lists ``/index.php?m=content&c=index&a=lists&catid=5&page=N`` with v9's pager
(``<a class="a1">45条</a> … <span>1</span> <a>2</a> … <a class="a1">下一页</a>``; a page past the
last lists nothing); articles ``/index.php?m=content&c=index&a=show&catid=5&id=N``. The article
header is the default show.html's: the time unlabelled inside the ``<h1>`` span, ``来源：``, and
``点击：<span id="hits"></span>`` filled by ``/api.php?op=count&id=N&modelid=1``, which answers
``$('#todaydowns').html('…');$('#weekdowns').html('…');$('#monthdowns').html('…');`` then
``$('#hits').html('N');`` with the count it read *before* adding this view (v9's api/count.php).
A removed article answers 200 with v9's 提示信息 page.
"""

from __future__ import annotations

from html import escape

from ..content import Article
from ..render import COLUMN, COLUMN_CLASS_ID, OTHER_COLUMNS, SITE_NAME, cut
from ..reply import Reply
from .base import Family, Request, body_blocks, image_slot

CATIDS = {COLUMN: COLUMN_CLASS_ID, **OTHER_COLUMNS}
SERVER = "Apache/2.2.22 (Win32) PHP/5.2.17"
PHP = "PHP/5.2.17"
# The stylesheets of v9's default template (statics/css) and of its message page (system.css).
RESET_CSS = """body, div, ul, li, h1, h2, h3, h5, p, form, input, img { margin: 0; padding: 0; }
body { font: 12px/1.5 SimSun, Arial, sans-serif; color: #444; }
ul, li { list-style: none; }
img { border: 0; }
a { color: #444; text-decoration: none; }
a:hover { color: #ba2636; text-decoration: underline; }
"""
DEFAULT_BLUE_CSS = """.header, .main, .footer { width: 960px; margin: 0 auto; }
.header .logo { height: 80px; }
.nav-bar { height: 32px; background: #2b6ab5; }
.nav-bar a { color: #fff; font-size: 14px; padding: 0 10px; line-height: 32px; }
.crumbs { line-height: 30px; }
.col-left { float: left; width: 690px; }
.col-auto { overflow: hidden; }
.box { border: 1px solid #d5dfe8; margin-bottom: 10px; padding: 8px; }
.title-2 { font-size: 14px; font-weight: bold; color: #2b6ab5; }
#Article h1 { font-size: 20px; text-align: center; padding: 10px 0; }
#Article .content { font-size: 14px; line-height: 2; }
.text-c { text-align: center; }
.f14 { font-size: 14px; }
.lh24 { line-height: 24px; }
.rt { float: right; }
.bk15 { height: 15px; clear: both; }
.hr { border-bottom: 1px solid #e5e5e5; }
.footer { text-align: center; padding: 12px 0; border-top: 2px solid #2b6ab5; }
"""
SYSTEM_CSS = """body { font: 12px SimSun, Arial, sans-serif; background: #f7f7f7; }
.showMsg { border: 1px solid #1e64c8; width: 450px; margin: 100px auto 0; background: #fff; }
.showMsg h5 { background: #1e64c8; color: #fff; height: 25px; line-height: 25px; margin: 0; }
.showMsg .content { padding: 46px 12px 10px; font-size: 14px; height: 64px; }
.showMsg .bottom { background: #e4ecf7; line-height: 28px; text-align: center; }
"""


class Phpcms(Family):
    name = "phpcms"
    cms = "PHPCMS V9.6 (GBK)"
    charset = "gbk"
    precision = "second"
    page_size = 20
    counter_shows_count_before_this_view = True
    stylesheets = {"/statics/css/reset.css": RESET_CSS, "/statics/css/default_blue.css": DEFAULT_BLUE_CSS,
                   "/statics/css/system.css": SYSTEM_CSS}
    template_images = {"/statics/images/v9/logo.jpg": "logo.jpg"}

    def list_path(self, column: str, page: int) -> str:
        return f"/index.php?m=content&c=index&a=lists&catid={CATIDS[column]}" + (f"&page={page}" if page > 1 else "")

    def article_path(self, article: Article) -> str:
        return f"/index.php?m=content&c=index&a=show&catid={CATIDS[article.column]}&id={article.id}"

    def file_path(self, article: Article, number: int, extension: str) -> str:
        return f"/uploadfile/{article.published[:4]}/{article.published[5:7]}{article.published[8:10]}/{article.id}{number:03d}.{extension}"

    def route(self, request: Request) -> Reply | None:
        path = request.path.lower()
        headers = self.php_headers(SERVER, PHP, "gbk")
        if path == "/" or (path == "/index.php" and not request.query):
            return self.html(self.layout(SITE_NAME, self.home()), headers)
        if path == "/index.php" and request.query.get("m") == "content" and request.query.get("c") == "index":
            column = next((c for c, i in CATIDS.items() if str(i) == request.query.get("catid")), None)
            action = request.query.get("a")
            if action == "lists" and column:
                page = int(request.query["page"]) if request.query.get("page", "").isdigit() else 1
                return self.html(self.list_page(column, self.entries(column), max(page, 1)), headers)
            if action == "show":
                article = self.article(request.query.get("id", ""))
                status = self.removal(article)
                if status == 200:
                    return self.html(show_message("抱歉，您要访问的信息不存在！"), headers)
                if status is not None:
                    return Reply(status, [("Server", SERVER), ("Content-Type", "text/html")], b"")
                return self.html(self.article_page(article), headers)
            return self.html(show_message("栏目不存在！"), headers)
        if path == "/api.php" and request.query.get("op") == "count":
            return self.count(self.article(request.query.get("id", "")), request.query.get("modelid"))
        if path.startswith("/uploadfile/"):
            return self.file_reply(request.path)
        return None

    def count(self, article: Article | None, model: str | None) -> Reply:
        headers = self.php_headers(SERVER, PHP, None)
        if article is None or model != "1" or self.removal(article) is not None:
            return Reply(200, headers, b"")  # api/count.php exits silently on an unknown hit id
        shown = self.count_view(article)
        day, week, month = 1 + article.id % 3, 5 + article.id % 11, 17 + article.id % 29
        text = (f"$('#todaydowns').html('{day}');$('#weekdowns').html('{week}');$('#monthdowns').html('{month}');"
                f"\n$('#hits').html('{shown}');")
        return self.script(text, headers)

    def layout(self, title: str, main: str) -> str:
        nav = "".join(f'<li><a href="{href}">{name}</a></li><li class="line">|</li>' for name, href in
                      [("首页", "/"), *[(c, self.list_path(c, 1)) for c in CATIDS]])
        return ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
                '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
                '<meta http-equiv="Content-Type" content="text/html; charset=gbk" />\n'
                '<meta http-equiv="X-UA-Compatible" content="IE=7" />\n'
                f'<title>{escape(title)}</title>\n<link href="/statics/css/reset.css" rel="stylesheet" type="text/css" />\n'
                '<link href="/statics/css/default_blue.css" rel="stylesheet" type="text/css" />\n'
                '<script type="text/javascript" src="/statics/js/jquery.min.js"></script>\n</head>\n<body>\n'
                f'<div class="header"><div class="logo"><a href="/"><img src="/statics/images/v9/logo.jpg" /></a></div>'
                f'<div class="nav-bar"><map><ul class="nav-site">{nav}</ul></map></div></div>\n'
                f'<div class="main">{main}</div>\n'
                '<div class="footer"><p class="info">台州市椒江区人大常委会办公室 版权所有 浙ICP备09022215号</p>'
                '<p>Powered by <strong><a href="http://www.phpcms.cn" target="_blank">PHPCMS</a></strong> <em>V9</em></p></div>\n'
                '</body>\n</html>\n')

    def crumbs(self, column: str, tail: str) -> str:
        return (f'<div class="crumbs"><a href="/">首页</a><span> &gt; </span>'
                f'<a href="{self.list_path(column, 1)}">{column}</a> &gt; {tail}</div>')

    def side(self) -> str:
        rows = "".join(f'<li>·<a href="{self.article_path(a)}" target="_blank">{escape(cut(a.title, 15))}</a></li>'
                       for a in sorted(self.entries(), key=lambda a: self.site.views[a.id], reverse=True)[:8])
        news = "".join(f'<li><span class="rt">{a.published[:10]}</span>·<a href="{self.article_path(a)}">{escape(cut(a.title, 12))}</a></li>'
                       for a in self.other_columns()[:5])
        return (f'<div class="col-auto"><div class="box"><h5 class="title-2">频道总排行</h5><ul class="content digg">{rows}</ul></div>'
                f'<div class="box"><h5 class="title-2">工作动态</h5><ul class="content list f14">{news}</ul></div></div>')

    def home(self) -> str:
        return "".join(f'<div class="box"><h5><a href="{self.list_path(c, 1)}">{c}</a></h5><ul>'
                       + "".join(f'<li><a href="{self.article_path(a)}">{escape(cut(a.title, 20))}</a></li>' for a in self.entries(c)[:6])
                       + "</ul></div>" for c in CATIDS)

    def pages_html(self, column: str, page: int, pages: int, total: int) -> str:
        def link(n: int, text: str, css: str = "") -> str:
            return f'<a href="{self.list_path(column, n)}"{css}>{text}</a>'
        numbers = " ".join(f"<span>{n}</span>" if n == page else link(n, str(n)) for n in range(1, pages + 1))
        previous = link(max(page - 1, 1), "上一页", ' class="a1"')
        following = link(min(page + 1, pages), "下一页", ' class="a1"')
        return f'<div id="pages" class="text-c"><a class="a1">{total}条</a> {previous} {numbers} {following}</div>'

    def list_page(self, column: str, entries: list[Article], page: int) -> str:
        rows = "".join(f'<li><span class="rt">{a.published}</span>·<a href="{self.article_path(a)}" target="_blank">'
                       f'{escape(a.title)}</a></li>' for a in self.page_entries(entries, page))
        pages = self.pages(entries)
        main = (self.crumbs(column, "列表") + f'<div class="col-left"><div class="box"><ul class="list lh24 f14">{rows}</ul>'
                f'{self.pages_html(column, page, pages, len(entries))}</div></div>{self.side()}')
        return self.layout(f"{column} - {SITE_NAME}", main)

    def body(self, article: Article) -> str:
        parts = []
        for index, (kind, text) in enumerate(body_blocks(article)):
            if index == image_slot(article):
                parts.extend(f'<p style="text-align: center;"><img alt="" src="{url}" style="width: 500px;" /></p>'
                             for url, _ in self.images(article))
            align = {"heading": ' style="text-align: center;"', "signature": ' style="text-align: right;"'}.get(kind, "")
            indent = "" if align else "\u3000\u3000"
            parts.append(f"<p{align}>{indent}{escape(text)}</p>")
        parts.extend(f'<p>附件:<a href="{url}">{escape(name)}</a></p>' for url, name in self.attachments(article))
        return "\n".join(parts)

    def article_page(self, article: Article) -> str:
        newer, older = self.neighbours(article)

        def neighbour(other: Article | None) -> str:
            return f'<a href="{self.article_path(other)}">{escape(other.title)}</a>' if other else "<a href=\"\">没有了</a>"
        main = (self.crumbs(article.column, " 正文")
                + '<div class="col-left"><div id="Article">'
                f'<h1>{escape(article.title)}<br /><span>{article.published}&nbsp;&nbsp;&nbsp;来源：{escape(article.source)}'
                '&nbsp;&nbsp;&nbsp;评论：<a href="#comment_iframe" id="comment">0</a> 点击：</span><span id="hits"></span></h1>\n'
                f'<div class="content">\n{self.body(article)}\n</div>\n<div id="pages" class="text-c"></div>\n'
                '<p style="margin-bottom:10px"><strong>相关热词搜索：</strong></p>\n'
                f'<p class="f14"><strong>上一篇：</strong>{neighbour(newer)}<br />\n<strong>下一篇：</strong>{neighbour(older)}</p>\n'
                '<div class="bk15 hr"></div></div></div>'
                f'{self.side()}\n<script language="JavaScript" src="/api.php?op=count&id={article.id}&modelid=1"></script>')
        return self.layout(f"{article.title} - {article.column} - {SITE_NAME}", main)


def show_message(message: str) -> str:
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk" /><title>提示信息</title>'
            '<link href="/statics/css/system.css" rel="stylesheet" type="text/css" /></head><body>'
            '<div class="showMsg" style="text-align:center"><h5>提示信息</h5>'
            f'<div class="content guery" style="display:inline-block;">{message}</div>'
            '<div class="bottom"><a href="javascript:history.back();" >[点这里返回上一页]</a></div></div></body></html>')
