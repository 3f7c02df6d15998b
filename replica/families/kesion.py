"""KesionCMS 科汛 (ASP on IIS 7.5, UTF-8).

Lists ``/item/list.asp?id=5&page=N`` (a page past the last shows the last), articles
``/item/show.asp?m=1&d=N``. The header line says ``发布时期：`` (the label as such county sites
show it) and ``浏览次数：`` filled by ``/item/GetHits.asp?Action=Count&GetFlag=0&m=1&ID=N``
(``document.write('N');``, the tag KesionCMS's ``{$GetHits}`` expands to). A removed article
answers 200 with a script that alerts and goes back.
"""

from __future__ import annotations

from html import escape

from ..content import Article
from ..render import COLUMN, COLUMN_CLASS_ID, OTHER_COLUMNS, SITE_NAME, cut
from ..reply import Reply
from .base import Family, Request, body_blocks, image_slot

CLASS_IDS = {COLUMN: COLUMN_CLASS_ID, **OTHER_COLUMNS}


class Kesion(Family):
    name = "kesion"
    cms = "KesionCMS V9 (ASP)"
    template_images = {"/images/logo.png": "logo.png"}
    charset = "utf-8"
    precision = "second"
    page_size = 15

    def list_path(self, column: str, page: int) -> str:
        return f"/item/list.asp?id={CLASS_IDS[column]}" + (f"&page={page}" if page > 1 else "")

    def article_path(self, article: Article) -> str:
        return f"/item/show.asp?m=1&d={article.id}"

    def file_path(self, article: Article, number: int, extension: str) -> str:
        return f"/UploadFiles/article/{article.published[:4]}{article.published[5:7]}/{article.id}_{number}.{extension}"

    def route(self, request: Request) -> Reply | None:
        path = request.path.lower()
        headers = self.asp_headers("Microsoft-IIS/7.5", "utf-8")
        if path in ("/", "/index.asp"):
            return self.html(self.layout(SITE_NAME, self.column_block(COLUMN, self.entries()[:8])), headers)
        if path == "/item/list.asp":
            column = next((c for c, i in CLASS_IDS.items() if str(i) == request.query.get("id")), None)
            if column is None:
                return self.html(gone_script("对不起，该栏目不存在！"), headers)
            entries = self.entries(column)
            page = int(request.query["page"]) if request.query.get("page", "").isdigit() else 1
            page = min(max(page, 1), self.pages(entries))
            return self.html(self.list_page(column, entries, page), headers)
        if path == "/item/show.asp":
            article = self.article(request.query.get("d", ""))
            status = self.removal(article)
            if status == 200:
                return self.html(gone_script("对不起，您要查看的信息已删除或不存在！"), headers)
            if status is not None:
                return Reply(status, [("Server", "Microsoft-IIS/7.5"), ("Content-Type", "text/html")],
                             f"<html><body><h2>HTTP Error {status}</h2></body></html>".encode("ascii"))
            return self.html(self.article_page(article), headers)
        if path == "/item/gethits.asp":
            article = self.article(request.query.get("id", ""))
            headers = self.asp_headers("Microsoft-IIS/7.5", "utf-8")
            if article is None or self.removal(article) is not None or request.query.get("action", "").lower() != "count":
                return self.script("document.write('0');", headers)
            return self.script(f"document.write('{self.count_view(article)}');", headers)
        if path.startswith("/uploadfiles/"):
            return self.file_reply(request.path)
        return None

    def layout(self, title: str, main: str) -> str:
        nav = "".join(f'<li><a href="{href}">{name}</a></li>' for name, href in [
            ("首页", "/"), ("人大概况", "/item/list.asp?id=1"), ("工作动态", self.list_path("工作动态", 1)),
            (COLUMN, self.list_path(COLUMN, 1)), ("代表工作", self.list_path("代表工作", 1))])
        news = "".join(f'<li><span class="date">{a.published[5:10]}</span><a href="{self.article_path(a)}" target="_blank">'
                       f'{escape(cut(a.title, 15))}</a></li>' for a in self.other_columns()[:6])
        return ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
                '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">\n'
                f'<head>\n<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n<title>{escape(title)}</title>\n'
                '<script src="/ks_inc/jquery.js" type="text/javascript"></script>\n'
                '<script src="/ks_inc/common.js" type="text/javascript"></script>\n</head>\n<body>\n'
                f'<div id="header"><div class="logo"><img src="/images/logo.png" alt="{SITE_NAME}" /></div>'
                f'<div id="nav"><ul>{nav}</ul></div></div>\n<div id="wrap">\n<div class="mainleft">{main}</div>\n'
                f'<div class="mainright"><div class="rtit">工作动态</div><ul class="rlist">{news}</ul></div>\n</div>\n'
                '<div id="footer"><p>主办：台州市椒江区人大常委会办公室 地址：椒江区市府大道</p>'
                '<p>浙ICP备09022215号 Powered by <a href="http://www.kesion.com" target="_blank">KesionCMS</a></p></div>\n'
                '</body>\n</html>\n')

    def column_block(self, column: str, entries: list[Article]) -> str:
        rows = "".join(f'<li><a href="{self.article_path(a)}" title="{escape(a.title, quote=True)}" target="_blank">'
                       f'{escape(cut(a.title, 36))}</a><span>{a.published[:10]}</span></li>' for a in entries)
        return f'<div class="tit"><a href="{self.list_path(column, 1)}">{column}</a></div><ul class="list">{rows}</ul>'

    def location(self, column: str, tail: str = "") -> str:
        return (f'<div class="location">您现在的位置：<a href="/">首页</a> &gt;&gt; '
                f'<a href="{self.list_path(column, 1)}">{column}</a>{tail}</div>')

    def pager(self, column: str, page: int, pages: int, total: int) -> str:
        def link(n: int, text: str) -> str:
            return f'<a href="{self.list_path(column, n)}">{text}</a>'
        numbers = "".join(f'<span class="curr">{n}</span>' if n == page else link(n, str(n)) for n in range(1, pages + 1))
        prev = link(1, "首页") + link(page - 1, "上一页") if page > 1 else '<span class="disabled">首页</span><span class="disabled">上一页</span>'
        following = link(page + 1, "下一页") + link(pages, "尾页") if page < pages else '<span class="disabled">下一页</span><span class="disabled">尾页</span>'
        return (f'<div id="kspage" class="fenye"><span class="total">共 {total} 条记录 分{pages}页 当前第{page}页</span>'
                f'{prev}{numbers}{following}</div>')

    def list_page(self, column: str, entries: list[Article], page: int) -> str:
        pages = self.pages(entries)
        main = (self.location(column) + self.column_block(column, self.page_entries(entries, page))
                + self.pager(column, page, pages, len(entries)))
        return self.layout(f"{column}-{SITE_NAME}", main)

    def body(self, article: Article) -> str:
        parts = []
        blocks = body_blocks(article)
        for index, (kind, text) in enumerate(blocks):
            if index == image_slot(article):
                parts.extend(f'<p style="text-align:center"><img src="{url}" alt="" /></p>' for url, _ in self.images(article))
            style = {"heading": "text-align:center", "signature": "text-align:right"}.get(kind, "text-indent:2em")
            parts.append(f'<p style="{style}">{escape(text)}</p>')
        parts.extend(f'<p>附件:<a href="{url}">{escape(name)}</a></p>' for url, name in self.attachments(article))
        return "\n".join(parts)

    def article_page(self, article: Article) -> str:
        newer, older = self.neighbours(article)

        def neighbour(label: str, other: Article | None) -> str:
            link = f'<a href="{self.article_path(other)}">{escape(other.title)}</a>' if other else "没有了"
            return f"<li>{label}{link}</li>"
        main = (self.location(article.column, " &gt;&gt; 浏览文章")
                + f'<div class="showtitle"><h1>{escape(article.title)}</h1></div>\n'
                f'<div class="showinfo">发布时期：{article.published}　来源：{escape(article.source)}　作者：椒江区人大常委会办公室　'
                f'浏览次数：<Script Language="Javascript" Src="/item/GetHits.asp?Action=Count&GetFlag=0&m=1&ID={article.id}"></Script>次</div>\n'
                f'<div class="showcontent" id="MyContent">\n{self.body(article)}\n</div>\n'
                '<div class="showtool">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>\n'
                f'<ul class="prevnext">{neighbour("上一篇：", newer)}{neighbour("下一篇：", older)}</ul>\n')
        return self.layout(f"{article.title}-{SITE_NAME}", main)


def gone_script(message: str) -> str:
    return f"<script>alert('{message}');history.back();</script>"
