"""Hanweb 大汉 JCMS, classic and the 2026 Zhejiang 政府网站集约化 platform (UTF-8).

Both list a column in its ``/col/colN/index.html`` as a jpage datastore: the first group of
records is XML inside ``<script type="text/xml"><datastore>…<recordset><record><![CDATA[<li>…</li>]]>``,
and the later ones exist only as answers of ``/module/web/jpage/dataproxy.jsp?startrecord=&endrecord=&perpage=``
to a POST of the jpage form (col, appid, webid, path, columnid, sourceContentType, unitid,
webname, permissiontype), which answers the same datastore with ``<totalrecord>`` and
``<totalpage>``; past the last record it answers an empty recordset. The body stands between
``<!--ZJEG_RSS.content.begin--><meta name="ContentStart">`` and ``<meta name="ContentEnd"><!--ZJEG_RSS.content.end-->``.

Classic: articles ``/art/2022/11/15/art_1507_1045.html`` (month and day unpadded), header
``发布日期：2022-11-15 信息来源：… 浏览次数：`` with the count written by
``<script src="/module/visitcount/articlehits.jsp?colid=&artid=">`` (``document.write("N");``);
a removed article is a 404.
Platform: articles ``/col/col1311043/art/2022/art_<32 hex>.html``, ``发布日期：2022-11-15 17:21``
(as the PubDate meta), an empty ``浏览次数：`` span filled by an inline ``$.ajax`` that reads the bare
number; a removed article redirects (302) to ``/404.html``, which answers 200.
"""

from __future__ import annotations

import json
from html import escape
from urllib.parse import quote

from ..content import Article
from ..render import COLUMN, SITE_NAME, cut
from ..reply import Reply
from .base import Family, Request, body_blocks, hex_id, image_slot

PROXY = "/module/web/jpage/dataproxy.jsp"
UNIT = "/api-gateway/jpaas-publish-server/front/page/build/unit"
HITS = "/module/visitcount/articlehits.jsp"


class HanwebClassic(Family):
    name = "hanweb"
    cms = "Hanweb JCMS 5 (classic)"
    template_images = {"/images/top.jpg": "logo.jpg"}
    charset = "utf-8"
    precision = "day"
    page_size = 10  # jpage perPage
    group_size = 2  # pages of records the column page and each proxy answer carry
    webid = 52
    server = "Apache-Coyote/1.1"
    columns = {COLUMN: (1507, 4558), "工作动态": (1505, 4556), "代表工作": (1509, 4560)}  # column: (columnid, unitid)

    # URLs ---------------------------------------------------------------------------

    def list_path(self, column: str, page: int) -> str:
        return f"/col/col{self.columns[column][0]}/index.html"

    def article_path(self, article: Article) -> str:
        when = self.when(article)
        return f"/art/{when.year}/{when.month}/{when.day}/art_{self.columns[article.column][0]}_{article.id}.html"

    def file_path(self, article: Article, number: int, extension: str) -> str:
        folder = "picture" if extension == "jpg" else "attach"
        return f"/{folder}/0/{article.published[2:10].replace('-', '')}{article.id}{number:03d}.{extension}"

    def column_by_id(self, raw: str) -> str | None:
        return next((c for c, (cid, _) in self.columns.items() if str(cid) == raw), None)

    def route(self, request: Request) -> Reply | None:
        path = request.path
        if path in ("/", "/index.html"):
            return self.html(self.layout(SITE_NAME, self.home()), self.page_headers())
        if path == PROXY:
            return self.proxy(request)
        if path == HITS:
            return self.hits(request)
        if path.startswith(("/picture/0/", "/attach/0/")):
            return self.file_reply(path)
        if path == "/module/download/downfile.jsp":
            return self.file_reply("/attach/0/" + request.query.get("filename", "").replace("/", ""))
        if path.startswith("/col/col") and path.endswith("/index.html"):
            column = self.column_by_id(path[len("/col/col"):-len("/index.html")])
            return self.html(self.column_page(column), self.page_headers()) if column else None
        article = next((a for a in self.site.articles if self.article_path(a) == path), None)
        if article is None:
            return None
        status = self.removal(article)
        if status is not None:
            return self.gone(status)
        return self.html(self.article_page(article), self.page_headers())

    def page_headers(self) -> list[tuple[str, str]]:
        return self.static_headers(self.server, "text/html; charset=UTF-8")

    def not_found(self) -> Reply:
        return self.html('<html><head><meta charset="utf-8"><title>404</title></head><body>'
                         '<div class="error"><p>抱歉，您访问的页面不存在或已被删除！</p><a href="/">返回首页</a></div></body></html>',
                         [("Server", self.server), ("Content-Type", "text/html; charset=UTF-8")], status=404)

    def gone(self, status: int) -> Reply:
        return self.not_found() if status == 200 else Reply(status, [("Server", self.server), ("Content-Type", "text/html")], b"")

    # The jpage datastore ------------------------------------------------------------

    def record(self, article: Article) -> str:
        return (f"<li><a href='{self.article_path(article)}' target='_blank' title='{escape(article.title, quote=True)}'>"
                f"{escape(cut(article.title, 30))}</a><span>{article.published[:10]}</span></li>")

    def ajax_param(self, column: str) -> dict[str, object]:
        columnid, unitid = self.columns[column]
        return {"col": 1, "appid": 1, "webid": self.webid, "path": "/", "columnid": columnid, "sourceContentType": 1,
                "unitid": unitid, "webname": SITE_NAME, "permissiontype": 0}

    def nextgroup(self, column: str) -> str:
        params = self.ajax_param(column)
        query = "&".join(f"{k}={quote(str(v)) if k == 'webname' else v}" for k, v in params.items() if k != "sourceContentType")
        return f'<nextgroup><![CDATA[<a href="{PROXY}?page=1&{query}"></a>]]></nextgroup>'

    def recordset(self, entries: list[Article]) -> str:
        return "<recordset>\n" + "".join(f"<record><![CDATA[\n{self.record(a)}\n]]></record>\n" for a in entries) + "</recordset>"

    def proxy(self, request: Request) -> Reply:
        fields = {**request.query, **request.form}
        column = self.column_by_id(fields.get("columnid", ""))
        headers = self.jsp_headers(self.server, "text/xml;charset=UTF-8")
        entries = self.entries(column) if column and str(self.columns[column][1]) == fields.get("unitid") else []
        per_page = int(fields["perpage"]) if fields.get("perpage", "").isdigit() and int(fields["perpage"]) > 0 else self.page_size
        start = int(fields["startrecord"]) if fields.get("startrecord", "").isdigit() else 1
        end = int(fields["endrecord"]) if fields.get("endrecord", "").isdigit() else start + per_page * self.group_size - 1
        shown = entries[max(start, 1) - 1:end]
        total_pages = -(-len(entries) // per_page)
        xml = (f'<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n<totalrecord>{len(entries)}</totalrecord>\n'
               f'<totalpage>{total_pages}</totalpage>\n{self.recordset(shown)}\n</datastore>\n')
        return Reply(200, headers, xml.encode("utf-8"))

    def datastore(self, column: str) -> str:
        entries = self.entries(column)
        columnid, unitid = self.columns[column]
        first_group = entries[:self.page_size * self.group_size]
        params = ",".join(f"{k}:{v!r}" if isinstance(v, str) else f"{k}:{v}" for k, v in self.ajax_param(column).items())
        return (f'<div id="{unitid}"><script type="text/xml"><datastore>\n{self.nextgroup(column)}\n'
                f'{self.recordset(first_group)}\n</datastore></script></div>\n'
                '<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script>\n'
                '<script type="text/javascript" src="/module/web/jpage/jpage.js"></script>\n'
                f"<script>$(function(){{$('#{unitid}').jpage({{themeName:'default',showMode:'full',"
                f"totalRecord:{len(entries)},openCookies:false,dataBefore:'<ul class=\"list\">',dataAfter:'</ul>',"
                f"groupSize:{self.group_size},proxyUrl:'{PROXY}',perPage:{self.page_size},barPosition:'bottom',"
                f"ajaxParam:{{{params}}}}});}});</script>\n")

    # Pages ---------------------------------------------------------------------------

    def layout(self, title: str, main: str, meta: str = "") -> str:
        nav = "".join(f'<td><a href="{href}" target="_self">{name}</a></td>' for name, href in
                      [("首页", "/"), *[(c, self.list_path(c, 1)) for c in self.columns]])
        return ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
                '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
                f'<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />\n<title>{escape(title)}</title>\n{meta}'
                '</head>\n<body>\n'
                f'<table width="1000" align="center" class="top"><tr><td><img src="/images/top.jpg" /></td></tr><tr>{nav}</tr></table>\n'
                f'<table width="1000" align="center"><tr><td>{main}</td></tr></table>\n'
                '<table width="1000" align="center" class="bottom"><tr><td>主办单位：台州市椒江区人大常委会办公室<br />'
                '浙ICP备09022215号 技术支持：大汉网络</td></tr></table>\n</body>\n</html>\n')

    def crumb(self, column: str) -> str:
        return (f'<table class="dqwz"><tr><td>当前位置：<a href="/" class="bt_link">首页</a> &gt; '
                f'<a href="{self.list_path(column, 1)}" class="bt_link">{column}</a></td></tr></table>')

    def side(self) -> str:
        rows = "".join(f'<tr><td><a href="{self.article_path(a)}" target="_blank">{escape(cut(a.title, 14))}</a></td>'
                       f'<td>{a.published[:10]}</td></tr>' for a in self.other_columns()[:5])
        return f'<table class="side"><tr><td colspan="2" class="side-title">工作动态</td></tr>{rows}</table>'

    def column_page(self, column: str) -> str:
        main = (self.crumb(column) + f'<table width="100%"><tr><td width="260" valign="top">{self.side()}</td>'
                f'<td valign="top">{self.datastore(column)}</td></tr></table>')
        return self.layout(f"{SITE_NAME} {column}", main, f'<meta name="ColumnName" content="{column}" />\n')

    def home(self) -> str:
        return "".join(f'<div class="box"><a href="{self.list_path(c, 1)}">{c}</a><ul>'
                       + "".join(f"{self.record(a)}" for a in self.entries(c)[:6]) + "</ul></div>" for c in self.columns)

    def body(self, article: Article) -> str:
        parts = []
        for index, (kind, text) in enumerate(body_blocks(article)):
            if index == image_slot(article):
                parts.extend(f'<p style="text-align:center"><img src="{url}" border="0" /></p>' for url, _ in self.images(article))
            align = {"heading": ' align="center"', "signature": ' align="right"'}.get(kind, "")
            indent = "" if align else "\u3000\u3000"
            parts.append(f"<p{align}>{indent}{escape(text)}</p>")
        parts.extend(f'<p>附件:<a href="/module/download/downfile.jsp?classid=0&filename={url.rsplit("/", 1)[1]}" '
                     f'target="_blank">{escape(name)}</a></p>' for url, name in self.attachments(article))
        return ('<!--<$[信息内容]>begin--><!--ZJEG_RSS.content.begin--><meta name="ContentStart">'
                + "\n".join(parts) + '<meta name="ContentEnd"><!--ZJEG_RSS.content.end--><!--<$[信息内容]>end-->')

    def counter_html(self, article: Article) -> str:
        return f'<script language="javascript" src="{HITS}?colid={self.columns[article.column][0]}&artid={article.id}"></script>'

    def info_line(self, article: Article) -> str:
        return (f'发布日期：{self.shown_time(article)}&nbsp;&nbsp;&nbsp;&nbsp;信息来源：<!--<$[信息来源]>begin-->'
                f'{escape(article.source)}<!--<$[信息来源]>end-->&nbsp;&nbsp;&nbsp;&nbsp;浏览次数：{self.counter_html(article)}'
                '&nbsp;&nbsp;&nbsp;&nbsp;字体：[<a href="javascript:doZoom(20)">大</a> <a href="javascript:doZoom(16)">中</a> '
                '<a href="javascript:doZoom(12)">小</a>]')

    def article_page(self, article: Article) -> str:
        main = (self.crumb(article.column)
                + '<table width="100%" class="article">'
                f'<tr><td class="title" align="center"><!--<$[标题名称]>begin-->{escape(article.title)}<!--<$[标题名称]>end--></td></tr>'
                f'<tr><td align="center" class="bt_content">{self.info_line(article)}</td></tr>'
                f'<tr><td class="bt_content" id="zoom">{self.body(article)}</td></tr>'
                '<tr><td align="right">[<a href="javascript:window.print()">打印本页</a>] [<a href="javascript:window.close()">关闭窗口</a>]</td></tr>'
                f'</table>{self.side()}')
        meta = (f'<meta name="ArticleTitle" content="{escape(article.title, quote=True)}" />\n'
                f'<meta name="ColumnName" content="{article.column}" />\n<meta name="ContentSource" content="{escape(article.source, quote=True)}" />\n')
        return self.layout(f"{SITE_NAME} {article.column} {article.title}", main, meta)

    def hits(self, request: Request) -> Reply:
        raw = request.query.get("artid", "")
        article = next((a for a in self.site.articles if self.hit_id(a) == raw), None)
        if article is None or self.removal(article) is not None:
            return self.count_reply("0")
        return self.count_reply(self.count_view(article))

    def hit_id(self, article: Article) -> str:
        return str(article.id)

    def count_reply(self, count: str) -> Reply:
        return self.script(f'document.write("{count}");', self.jsp_headers(self.server, "text/html;charset=UTF-8"))


class HanwebPlatform(HanwebClassic):
    name = "hanweb-platform"
    cms = "Hanweb JCMS, Zhejiang 政府网站集约化 platform (2026)"
    template_images: dict[str, str] = {}  # its header is text
    precision = "minute"
    page_size = 12
    group_size = 1
    webid = 4091
    server = "nginx"
    columns = {COLUMN: (1311043, 7712853), "工作动态": (1311041, 7712851), "代表工作": (1311045, 7712855)}

    def article_path(self, article: Article) -> str:
        return f"/col/col{self.columns[article.column][0]}/art/{article.published[:4]}/art_{hex_id(article)}.html"

    def file_path(self, article: Article, number: int, extension: str) -> str:
        return f"/module/download/{article.published[:4]}/{hex_id(article)[:16]}_{number}.{extension}"

    def route(self, request: Request) -> Reply | None:
        if request.path == UNIT:
            return self.unit(request)
        if request.path == "/404.html":
            return self.html('<!DOCTYPE html><html><head><meta charset="utf-8"><title>页面不存在</title></head><body>'
                             '<div class="notfound"><h2>抱歉，您访问的页面不存在</h2><p>页面可能已被删除、更名或暂时不可用。</p>'
                             '<a href="/">返回首页</a></div></body></html>', [("Server", self.server), ("Content-Type", "text/html")])
        if request.path.startswith("/module/download/"):
            return self.file_reply(request.path)
        return super().route(request)

    def gone(self, status: int) -> Reply:
        if status == 200:
            return Reply(302, [("Server", self.server), ("Location", "/404.html"), ("Content-Type", "text/html")], b"")
        return Reply(status, [("Server", self.server), ("Content-Type", "text/html")], b"")

    def record(self, article: Article) -> str:
        return (f'<li><a href="{self.article_path(article)}" title="{escape(article.title, quote=True)}" target="_blank">'
                f'<span class="bt-title">{escape(cut(article.title, 34))}</span><span class="bt-data-time">[{article.published[:10]}]</span></a></li>')

    def layout(self, title: str, main: str, meta: str = "") -> str:
        nav = "".join(f'<li><a href="{href}">{name}</a></li>' for name, href in [("首页", "/"), *[(c, self.list_path(c, 1)) for c in self.columns]])
        return ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
                '<meta name="SiteName" content="台州市椒江区人民政府"><meta name="SiteDomain" content="www.jiaojiang.gov.cn">\n'
                f'<title>{escape(title)}</title>\n{meta}<script src="/module/jslib/jquery/jquery.js"></script>\n</head>\n<body>\n'
                f'<div class="zjzwfw-header"><div class="w1200"><ul class="nav">{nav}</ul></div></div>\n'
                f'<div class="w1200 main">{main}</div>\n'
                '<div class="footer"><p>主办：台州市椒江区人大常委会办公室 承办：台州市椒江区大数据发展中心</p>'
                '<p>网站标识码：3310020004 浙ICP备09022215号 浙公网安备 33100202000001号</p></div>\n</body>\n</html>\n')

    def crumb(self, column: str) -> str:
        return (f'<div class="crumb">当前位置：<a href="/">首页</a><span>&gt;</span>'
                f'<a href="{self.list_path(column, 1)}">{column}</a></div>')

    def side(self) -> str:
        rows = "".join(f'<li><a href="{self.article_path(a)}" target="_blank">{escape(cut(a.title, 16))}</a>'
                       f'<span class="bt-data-time">[{a.published[:10]}]</span></li>' for a in self.other_columns()[:5])
        return f'<div class="xglj"><div class="xglj-title">工作动态</div><ul>{rows}</ul></div>'

    def column_page(self, column: str) -> str:
        rows = self.unit_script(column, "信息列表") if self.site.unit_build else self.datastore(column)
        main = (self.crumb(column) + f'<div class="left">{self.side()}</div>'
                f'<div class="right"><div class="column-title">{column}</div>{rows}</div>')
        return self.layout(f"{column} {SITE_NAME}", main, f'<meta name="ColumnName" content="{column}">\n')

    # The page-building units (2024 on) ------------------------------------------------

    def unit_script(self, column: str, tag: str) -> str:
        """The script that asks the unit ``tag`` of the column's page for what it shows."""
        fields = {"webId": str(self.webid), "pageId": str(self.columns[column][0]), "tplSetId": "Pk3sQvXbN2ZtLgH7wJcRd",
                  "pageType": "column", "tagId": tag, "editType": "null", "parseType": "bulidstatic"}
        query = "{" + ",".join(f"'{key}':'{value}'" for key, value in fields.items()) + "}"
        return f'<div id="{tag}"></div><script src="/AuthorizedRead/unitbuild.js" url="{UNIT}" queryData="{query}"></script>\n'

    def unit(self, request: Request) -> Reply:
        """A unit's page of rows as JSON: ``paramJson``'s page of the column ``pageId`` names."""
        headers = [("Server", self.server), ("Content-Type", "application/json;charset=UTF-8")]
        column = self.column_by_id(request.query.get("pageid", ""))
        try:
            asked = json.loads(request.query.get("paramjson", "{}"))
            page, size = int(asked.get("pageNo", 1)), int(asked.get("pageSize", 15))
        except (ValueError, TypeError, AttributeError):
            page, size = 0, 0
        if column is None or page < 1 or size < 1:
            return Reply(200, headers, json.dumps({"success": False, "data": None, "message": "参数错误"}).encode("utf-8"))
        entries = self.entries(column)
        # Its rows link the articles relative to the column's page that asked (art/2022/art_….html).
        folder = self.list_path(column, 1).rsplit("/", 1)[0] + "/"
        rows = "".join(self.record(article).replace(f'href="{folder}', 'href="') for article in entries[(page - 1) * size: page * size])
        html = (f'<ul class="page-content">{rows}</ul>'
                f'<div class="pagination" count="{len(entries)}" pagesize="{size}" pageno="{page}"></div>')
        return Reply(200, headers, json.dumps({"success": True, "data": {"html": html}}, ensure_ascii=False).encode("utf-8"))

    def hit_id(self, article: Article) -> str:
        return hex_id(article)

    def counter_html(self, article: Article) -> str:
        return '<span id="visit_count"></span>'

    def count_reply(self, count: str) -> Reply:
        return Reply(200, self.jsp_headers(self.server, "text/plain;charset=UTF-8"), count.encode("utf-8"))

    def article_page(self, article: Article) -> str:
        columnid = self.columns[article.column][0]
        meta = (f'<meta name="ArticleTitle" content="{escape(article.title, quote=True)}">\n'
                f'<meta name="PubDate" content="{self.shown_time(article)}">\n'
                f'<meta name="ContentSource" content="{escape(article.source, quote=True)}">\n'
                f'<meta name="ColumnName" content="{article.column}">\n<meta name="i_columnid" content="{columnid}">\n'
                f'<meta name="i_articleid" content="{hex_id(article)}">\n')
        main = (self.crumb(article.column)
                + f'<div class="article"><div class="article-title">{escape(article.title)}</div>\n'
                f'<div class="article-info"><span>发布日期：{self.shown_time(article)}</span>'
                f'<span>信息来源：<!--<$[信息来源]>begin-->{escape(article.source)}<!--<$[信息来源]>end--></span>'
                f'<span>浏览次数：{self.counter_html(article)}</span>'
                '<span class="zh">字号：<a href="javascript:void(0)" onclick="doZoom(18)">大</a> '
                '<a href="javascript:void(0)" onclick="doZoom(16)">中</a> <a href="javascript:void(0)" onclick="doZoom(14)">小</a></span></div>\n'
                f'<div class="article-conter" id="zoom">{self.body(article)}</div>\n'
                '<div class="article-tools"><a href="javascript:window.print()">打印本页</a><a href="javascript:window.close()">关闭窗口</a></div>\n'
                f'</div>{self.side()}\n'
                f'<script>$(function(){{$.ajax({{url:"{HITS}",data:{{colid:{columnid},artid:"{hex_id(article)}"}},type:"GET",'
                'dataType:"text",success:function(n){$("#visit_count").html(n);}});});</script>')
        return self.layout(f"{article.title} {SITE_NAME}", main, meta)

    def body(self, article: Article) -> str:
        # The platform's attachments are plain links to the file, not the classic download servlet.
        classic = super().body(article)
        for url, _ in self.attachments(article):
            classic = classic.replace(f"/module/download/downfile.jsp?classid=0&filename={url.rsplit('/', 1)[1]}", url)
        return classic
