"""VSB 博达 (Visual SiteBuilder; static pages served by VWebServer, UTF-8).

Lists ``/shyj.htm``, then ``/shyj/{Total-k+1}.htm`` for page k (numbered from the oldest, as VSB
publishes them), with VSB's pager ``共45条&nbsp;&nbsp;1/3&nbsp;`` and ``<a class="Next">下页</a>``
(``PrevDisabled``/``NextDisabled`` spans at the ends); list hrefs are relative
(``info/1081/1045.htm``, ``../info/1081/1045.htm``). Articles ``/info/1081/{id}.htm``, the header
line ``来源: … | 发布时间: 2022-11-15 | 浏览次数: <script>_showDynClicks("wbnews", owner, id)</script>``
(ASCII colons, date only), the count read from
``/system/resource/code/news/click/dynclicks.jsp?clickid=&owner=&clicktype=wbnews`` (the bare
number), the body in ``#vsb_content .v_news_content`` with Word-pasted ``<span>``s. Removed pages and
pages past the last are 404.
"""

from __future__ import annotations

from html import escape

from ..content import Article
from ..render import COLUMN, SITE_NAME, cut
from ..reply import Reply
from .base import Family, Request, body_blocks, image_slot

OWNER = 1412614994
TREES = {COLUMN: ("shyj", 1081), "工作动态": ("gzdt", 1079), "代表工作": ("dbgz", 1083)}
SERVER = "VWebServer"
CLICKS = "/system/resource/code/news/click/dynclicks.jsp"
DYNCLICKS_JS = ("function _showDynClicks(clicktype, owner, clickid){var url = '" + CLICKS
                + "?clickid='+clickid+'&owner='+owner+'&clicktype='+clicktype;"
                "jQuery.ajax({type:'GET',url:url,timeout:5000,success:function(data){"
                "jQuery('#dynclicks_'+clicktype+'_'+clickid).html(data);}});"
                "document.write('<span id=\"dynclicks_'+clicktype+'_'+clickid+'\"></span>');}\n")


class Vsb(Family):
    name = "vsb"
    cms = "VSB 博达站群 (Visual SiteBuilder 9)"
    charset = "utf-8"
    precision = "day"
    page_size = 20

    def list_path(self, column: str, page: int) -> str:
        folder = TREES[column][0]
        if page == 1:
            return f"/{folder}.htm"
        return f"/{folder}/{self.pages(self.entries(column)) - page + 1}.htm"

    def article_path(self, article: Article) -> str:
        return f"/info/{TREES[article.column][1]}/{article.id}.htm"

    def file_path(self, article: Article, number: int, extension: str) -> str:
        folder = "images" if extension == "jpg" else "files"
        return f"/__local/{folder}/{article.id:X}/{article.id}{number:02d}.{extension}"

    def route(self, request: Request) -> Reply | None:
        path = request.path
        headers = self.static_headers(SERVER, "text/html")
        if path in ("/", "/index.htm"):
            return self.html(self.layout(SITE_NAME, self.home(), ""), headers)
        if path == CLICKS:
            return self.clicks(request)
        if path == "/system/resource/js/dynclicks.js":
            return Reply(200, self.static_headers(SERVER, "application/x-javascript"), DYNCLICKS_JS.encode("ascii"))
        if path.startswith("/__local/"):
            return self.file_reply(path)
        for column in TREES:
            entries = self.entries(column)
            for page in range(1, self.pages(entries) + 1):
                if path == self.list_path(column, page):
                    return self.html(self.list_page(column, entries, page), headers)
        article = next((a for a in self.site.articles if self.article_path(a) == path), None)
        status = self.removal(article)
        if article is None or status is not None:
            return None if article is None or status == 200 else Reply(status, [("Server", SERVER), ("Content-Type", "text/html")], b"")
        return self.html(self.article_page(article), headers)

    def not_found(self) -> Reply:
        return Reply(404, [("Server", SERVER), ("Content-Type", "text/html")],
                     b"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1><hr>VWebServer</body></html>")

    def clicks(self, request: Request) -> Reply:
        headers = [("Server", SERVER), ("Content-Type", "text/html;charset=UTF-8"),
                   ("Set-Cookie", f"JSESSIONID={self.session_id}; Path=/; HttpOnly")]
        article = self.article(request.query.get("clickid", ""))
        if (article is None or self.removal(article) is not None or request.query.get("owner") != str(OWNER)
                or request.query.get("clicktype") != "wbnews"):
            return Reply(200, headers, b"0")
        return Reply(200, headers, self.count_view(article).encode("utf-8"))

    def layout(self, title: str, main: str, depth: str) -> str:
        nav = "".join(f'<li><a href="{depth}{href}">{name}</a></li>' for name, href in
                      [("首页", "index.htm"), *[(c, f"{TREES[c][0]}.htm") for c in TREES]])
        return ('<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
                '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml">\n<head>\n'
                f'<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />\n<title>{escape(title)}</title>\n'
                '<META Name="keywords" Content="椒江人大" />\n'
                f'<script type="text/javascript" src="/system/resource/js/jquery/jquery-latest.min.js"></script>\n'
                f'<script type="text/javascript" src="/system/resource/js/dynclicks.js"></script>\n</head>\n<body>\n'
                f'<div class="header"><div class="nav"><ul>{nav}</ul></div></div>\n<div class="main">{main}</div>\n'
                '<div class="footer">版权所有：台州市椒江区人大常委会办公室 浙ICP备09022215号</div>\n</body>\n</html>\n')

    def entry_href(self, article: Article, depth: str) -> str:
        return depth + self.article_path(article).lstrip("/")

    def home(self) -> str:
        return "".join(f'<div class="box"><h3><a href="{TREES[c][0]}.htm">{c}</a></h3><ul>'
                       + "".join(f'<li><a href="{self.entry_href(a, "")}">{escape(cut(a.title, 20))}</a></li>' for a in self.entries(c)[:6])
                       + "</ul></div>" for c in TREES)

    def pager(self, column: str, page: int, pages: int, total: int, depth: str) -> str:
        def href(n: int) -> str:
            # Relative, as VSB writes them: from /shyj/2.htm the first page is ../shyj.htm, the next 1.htm.
            target = self.list_path(column, n)
            if n == 1:
                return depth + target.lstrip("/")
            return target.rsplit("/", 1)[1] if page > 1 else target.lstrip("/")
        first = (f'<a href="{href(1)}" class="Prev">首页</a><a href="{href(page - 1)}" class="Prev">上页</a>' if page > 1
                 else '<span class="PrevDisabled">首页</span><span class="PrevDisabled">上页</span>')
        last = (f'<a href="{href(page + 1)}" class="Next">下页</a><a href="{href(pages)}" class="Next">尾页</a>' if page < pages
                else '<span class="NextDisabled">下页</span><span class="NextDisabled">尾页</span>')
        return (f'<table cellspacing="0" cellpadding="0" border="0"><tr><td nowrap align="left" width="1%" id="fanye212860">'
                f'共{total}条&nbsp;&nbsp;{page}/{pages}&nbsp;</td><td nowrap align="left"><div>{first}{last}'
                '&nbsp;&nbsp;<input type="button" class="defaultButtonStyle" id="gotopagebut" name="a212860Find" value="转到" '
                'onclick="javascript:a212860_gopage_fun()"><input size="2" class="defaultInputStyle" name="a212860GOPAGE" '
                'id="a212860GOPAGE" type="text" value="">页</div></td></tr></table>')

    def list_page(self, column: str, entries: list[Article], page: int) -> str:
        depth = "" if page == 1 else "../"
        rows = "".join(f'<li id="line_u8_{n}"><a href="{self.entry_href(a, depth)}" target="_blank" title="{escape(a.title, quote=True)}">'
                       f'{escape(cut(a.title, 36))}</a><span>{a.published[:10]}</span></li>'
                       for n, a in enumerate(self.page_entries(entries, page)))
        side = "".join(f'<li><a href="{self.entry_href(a, depth)}">{escape(cut(a.title, 16))}</a><span>{a.published[:10]}</span></li>'
                       for a in self.other_columns()[:5])
        main = (f'<div class="dqwz">当前位置: <a href="{depth}index.htm">首页</a>&gt;&gt;<a href="{depth}{TREES[column][0]}.htm">{column}</a></div>'
                f'<div class="list"><ul>{rows}</ul>{self.pager(column, page, self.pages(entries), len(entries), depth)}</div>'
                f'<div class="side"><h3>工作动态</h3><ul>{side}</ul></div>')
        return self.layout(f"{column}-{SITE_NAME}", main, depth)

    def body(self, article: Article) -> str:
        parts = []
        blocks = body_blocks(article)
        for index, (kind, text) in enumerate(blocks):
            if index == image_slot(article):
                parts.extend(f'<p style="text-align:center"><img src="{url}" width="600" vsbhref="vurl" vurl="{url}" '
                             f'vheight="" vwidth="600" orisrc="{url}" class="img_vsb_content"></p>' for url, _ in self.images(article))
            css = " vsbcontent_start" if index == 0 else " vsbcontent_end" if index == len(blocks) - 1 else ""
            align = {"heading": "text-align:center;", "signature": "text-align:right;"}.get(kind, "text-indent:2em;")
            parts.append(f'<p class="{css.strip()}" style="{align}line-height:28px">'
                         f'<span style="font-family:仿宋_GB2312;font-size:16pt">{escape(text)}</span></p>')
        parts.extend(f'<p>附件:<a href="{url}" target="_blank">{escape(name)}</a></p>' for url, name in self.attachments(article))
        return "\n".join(parts).replace(' class=""', "")

    def article_page(self, article: Article) -> str:
        newer, older = self.neighbours(article)

        def neighbour(label: str, other: Article | None) -> str:
            link = f'<a href="{other.id}.htm">{escape(other.title)}</a>' if other and other.column == article.column else "没有了"
            return f"<li><lable>{label}</lable>{link}</li>"
        depth = "../../"
        main = (f'<div class="dqwz">当前位置: <a href="{depth}index.htm">首页</a>&gt;&gt;'
                f'<a href="{depth}{TREES[article.column][0]}.htm">{article.column}</a>&gt;&gt;正文</div>\n'
                '<form name="_newscontent_fromname"><div class="content">\n'
                f'<h1 class="titlestyle">{escape(article.title)}</h1>\n'
                f'<div class="timestyle">来源: {escape(article.source)} | 发布时间: {self.shown_time(article)} | 浏览次数: '
                f'<script>_showDynClicks("wbnews", {OWNER}, {article.id})</script></div>\n'
                f'<div id="vsb_content"><div class="v_news_content">\n{self.body(article)}\n</div></div>'
                '<div id="div_vote_id"></div>\n'
                '<div class="close">【<a href="javascript:window.print()">打印</a>】【<a href="javascript:window.close()">关闭</a>】</div>\n'
                f'<ul class="main_art">{neighbour("上一条：", newer)}{neighbour("下一条：", older)}</ul></div></form>')
        return self.layout(f"{article.title}-{SITE_NAME}", main, depth)
