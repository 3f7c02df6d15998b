"""TRS WCM (static files published by WCM, served by Apache, UTF-8).

Lists ``/shyj/index.shtml``, ``index_1.shtml``, ``index_2.shtml`` (0-based after the first), the
pager written only by ``createPageHTML(countPage, currentPage, "index", "shtml")`` (defined in
``/js/createPageHTML.js``); articles ``./202211/t20221115_1045.html`` relative to the column.
The body is a ``TRS_Editor`` div that opens with the editor's ``<style>`` block; the article page
also carries WCM's page-splitting script (``var currentPage = 0; … var countPage = 1``). TRS WCM
has no view counter: the page shows none. Removed pages and pages past the last are 404.
"""

from __future__ import annotations

from html import escape

from ..content import Article
from ..render import COLUMN, SITE_NAME, cut
from ..reply import Reply
from .base import Family, Request, body_blocks, image_slot

DIRS = {COLUMN: "shyj", "工作动态": "gzdt", "代表工作": "dbgz"}
SERVER = "Apache"
# The site template's stylesheet, published by WCM beside the template's images.
COMMON_CSS = """body { margin: 0; font: 14px/1.6 "Microsoft YaHei", SimSun, sans-serif; color: #333; }
a { color: #333; text-decoration: none; }
a:hover { color: #b40000; }
.container { width: 1000px; margin: 0 auto; }
.header { height: 120px; background: #b40000; }
.nav a, .nav .CurrChnlCls { color: #fff; padding: 0 12px; line-height: 40px; }
.position { line-height: 36px; border-bottom: 1px solid #ddd; }
.list li { line-height: 32px; border-bottom: 1px dashed #ddd; }
.article h1 { font-size: 22px; text-align: center; color: #b40000; }
.info, .tools, .prevnext { text-align: center; color: #888; font-size: 12px; }
.page, .fy { text-align: center; margin: 12px 0; }
.footer { text-align: center; padding: 16px 0; background: #f2f2f2; font-size: 12px; }
"""
# The pager script as WCM ships it (served byte for byte, long lines and all).
PAGER_SCRIPT = r"""function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
	if(_nPageCount == null || _nPageCount<=1){ return; }
	var nCurrIndex = _nCurrIndex || 0;
	if(nCurrIndex == 0)
		document.write("<span>首页</span>&nbsp;<span>上一页</span>&nbsp;");
	else if(nCurrIndex == 1)
		document.write("<a href=\""+_sPageName+"."+_sPageExt+"\">首页</a>&nbsp;<a href=\""+_sPageName+"."+_sPageExt+"\">上一页</a>&nbsp;");
	else
		document.write("<a href=\""+_sPageName+"."+_sPageExt+"\">首页</a>&nbsp;<a href=\""+_sPageName+"_" + (nCurrIndex-1) + "."+_sPageExt+"\">上一页</a>&nbsp;");
	if(nCurrIndex == (_nPageCount-1))
		document.write("<span>下一页</span>&nbsp;<span>尾页</span>");
	else
		document.write("<a href=\""+_sPageName+"_" + (nCurrIndex+1) + "."+_sPageExt+"\">下一页</a>&nbsp;<a href=\""+_sPageName+"_" + (_nPageCount-1) + "."+_sPageExt+"\">尾页</a>");
	document.write("&nbsp;共" + _nPageCount + "页");
}
"""  # noqa: E501
EDITOR_STYLE = (".TRS_Editor P{margin-top:0;margin-bottom:12px;line-height:1.8;font-family:宋体;font-size:12pt;}"
                ".TRS_Editor DIV{margin-top:0;margin-bottom:12px;line-height:1.8;font-family:宋体;font-size:12pt;}"
                ".TRS_Editor TD{margin-top:0;margin-bottom:12px;line-height:1.8;font-family:宋体;font-size:12pt;}")


class Trs(Family):
    name = "trs"
    cms = "TRS WCM 7 (published as static .shtml/.html)"
    charset = "utf-8"
    precision = "minute"
    page_size = 15
    has_view_count = False
    stylesheets = {"/images/common.css": COMMON_CSS}

    def list_path(self, column: str, page: int) -> str:
        return f"/{DIRS[column]}/index" + (f"_{page - 1}" if page > 1 else "") + ".shtml"

    def article_path(self, article: Article) -> str:
        return f"/{DIRS[article.column]}/{article.published[:7].replace('-', '')}/t{article.published[:10].replace('-', '')}_{article.id}.html"

    def relative(self, article: Article) -> str:
        """The article's URL relative to its column, as WCM writes it into lists."""
        return "./" + self.article_path(article).split("/", 2)[2]

    def file_path(self, article: Article, number: int, extension: str) -> str:
        month = article.published[:7].replace("-", "")
        return f"/{DIRS[article.column]}/{month}/W0{article.published[:10].replace('-', '')}{article.id}{number:02d}.{extension}"

    def route(self, request: Request) -> Reply | None:
        path = request.path
        if path in ("/", "/index.shtml"):
            return self.html(self.layout(SITE_NAME, self.home()), self.static_headers(SERVER, "text/html; charset=utf-8"))
        if path == "/js/createPageHTML.js":
            return Reply(200, self.static_headers(SERVER, "application/javascript"), PAGER_SCRIPT.encode("utf-8"))
        if path.startswith(tuple(f"/{d}/" for d in DIRS.values())) and "/W0" in path:
            return self.file_reply(path)
        for column in DIRS:
            entries = self.entries(column)
            for page in range(1, self.pages(entries) + 1):
                if path == self.list_path(column, page) or (page == 1 and path == f"/{DIRS[column]}/"):
                    return self.html(self.list_page(column, entries, page), self.static_headers(SERVER, "text/html; charset=utf-8"))
        article = next((a for a in self.site.articles if self.article_path(a) == path), None)
        status = self.removal(article)
        if article is None or status is not None:
            return self.not_found() if article is None or status == 200 else Reply(status, [("Server", SERVER), ("Content-Type", "text/html")], b"")
        return self.html(self.article_page(article), self.static_headers(SERVER, "text/html; charset=utf-8"))

    def not_found(self) -> Reply:
        return Reply(404, [("Server", SERVER), ("Content-Type", "text/html; charset=iso-8859-1")],
                     b'<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n'
                     b"</head><body>\n<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n")

    def layout(self, title: str, main: str, meta: str = "") -> str:
        nav = "".join(f'<a href="{href}">{name}</a>' for name, href in [
            ("首页", "/"), ("工作动态", "/gzdt/"), (COLUMN, "/shyj/"), ("代表工作", "/dbgz/")])
        return ('<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n'
                f'<title>{escape(title)}</title>\n{meta}<link rel="stylesheet" href="/images/common.css">\n'
                '<script src="/js/createPageHTML.js"></script>\n</head>\n<body>\n'
                f'<div class="header"><div class="logo">{SITE_NAME}</div><div class="nav">{nav}</div></div>\n'
                f'<div class="container">{main}</div>\n'
                '<div class="footer"><p>台州市椒江区人大常委会办公室主办</p><p>浙ICP备09022215号</p></div>\n</body>\n</html>\n')

    def crumb(self, column: str) -> str:
        return (f'<div class="position">当前位置：<a href="../" title="首页" class="CurrChnlCls">首页</a>&nbsp;&gt;&nbsp;'
                f'<a href="./" title="{column}" class="CurrChnlCls">{column}</a></div>')

    def home(self) -> str:
        return "".join(f'<div class="box"><h3><a href="/{DIRS[c]}/">{c}</a></h3><ul>'
                       + "".join(f'<li><a href="{self.article_path(a)}">{escape(cut(a.title, 20))}</a></li>' for a in self.entries(c)[:6])
                       + "</ul></div>" for c in DIRS)

    def list_page(self, column: str, entries: list[Article], page: int) -> str:
        rows = "".join(f'<li><a href="{self.relative(a)}" target="_blank" title="{escape(a.title, quote=True)}">'
                       f'{escape(cut(a.title, 38))}</a><span>{a.published[:10]}</span></li>'
                       for a in self.page_entries(entries, page))
        pages = self.pages(entries)
        related = "".join(f'<li><a href="../{DIRS[a.column]}/{self.article_path(a).split("/", 2)[2]}">{escape(cut(a.title, 16))}</a>'
                          f'<span>{a.published[:10]}</span></li>' for a in self.other_columns()[:5])
        main = (self.crumb(column) + f'<div class="list"><ul>{rows}</ul></div>\n'
                f'<div class="page"><script>createPageHTML({pages}, {page - 1}, "index", "shtml");</script></div>\n'
                f'<div class="side"><h4>工作动态</h4><ul>{related}</ul></div>')
        return self.layout(f"{column}_{SITE_NAME}", main)

    def body(self, article: Article) -> str:
        parts = []
        for index, (kind, text) in enumerate(body_blocks(article)):
            if index == image_slot(article):
                parts.extend(f'<p style="text-align: center"><img src="./{url.rsplit("/", 1)[1]}" OLDSRC="{url.rsplit("/", 1)[1]}" /></p>'
                             for url, _ in self.images(article))
            align = {"heading": "center", "signature": "right"}.get(kind, "justify")
            indent = "" if kind in ("heading", "signature") else "\u3000\u3000"
            parts.append(f'<p align="{align}">{indent}{escape(text)}</p>')
        parts.extend(f'<p>附件:<a href="./{url.rsplit("/", 1)[1]}" OLDSRC="{url.rsplit("/", 1)[1]}">{escape(name)}</a></p>'
                     for url, name in self.attachments(article))
        return "\n".join(parts)

    def article_page(self, article: Article) -> str:
        newer, older = self.neighbours(article)
        time = self.shown_time(article)

        def neighbour(label: str, other: Article | None) -> str:
            if other is None:
                return f"<p>{label}无</p>"
            return f'<p>{label}<a href="../{self.article_path(other).split("/", 2)[2]}">{escape(other.title)}</a></p>'
        meta = (f'<meta name="ArticleTitle" content="{escape(article.title, quote=True)}">\n'
                f'<meta name="PubDate" content="{time}">\n<meta name="ContentSource" content="{escape(article.source, quote=True)}">\n')
        main = (self.crumb(article.column).replace('href="../"', 'href="../../"').replace('href="./"', 'href="../"')
                + f'<div class="article"><h1>{escape(article.title)}</h1>\n'
                f'<div class="info"><span>发布时间：{time}</span><span>来源：{escape(article.source)}</span>'
                '<span>【字体：<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> '
                '<a href="javascript:doZoom(12)">小</a>】</span></div>\n'
                f'<div class="TRS_Editor"><style type="text/css">\n{EDITOR_STYLE}</style>\n'
                f'<div class="Custom_UnionStyle">\n{self.body(article)}\n</div></div>\n'
                '<div class="fy"><script language="javascript">\n'
                'var currentPage = 0;//所在页从0开始\nvar prevPage = currentPage-1//上一页\n'
                'var nextPage = currentPage+1//下一页\nvar countPage = 1//共多少页\n'
                'if(countPage>1&&currentPage!=0) document.write("<a href=\\"t' + article.published[:10].replace("-", "")
                + f'_{article.id}.html\\">上一页</a>");\n</script></div>\n'
                '<div class="tools">【<a href="javascript:window.print()">打印本页</a>】【<a href="javascript:window.close()">关闭窗口</a>】</div>\n'
                f'<div class="prevnext">{neighbour("上一篇：", newer)}{neighbour("下一篇：", older)}</div></div>')
        return self.layout(f"{article.title}_{SITE_NAME}", main, meta)
