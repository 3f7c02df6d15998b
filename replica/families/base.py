"""What the markups of every CMS family share: the site's articles, views and removals, paging,
the body's files, and how a family answers a request.

A family is a whole site as one CMS renders it: its URLs, its list pages and pager, its article
template (header line, body container, furniture), its view counter, its encoding and HTTP
headers, and what it answers for a removed article or a page past the last. The content (the
opinions, their views, what was removed) is the ``Site``'s, so every family serves the same
column and the same ground truth holds for all of them.
"""

from __future__ import annotations

import hashlib
import random
from datetime import datetime
from email.utils import formatdate
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from urllib.parse import parse_qs, urlsplit

from ..content import Article
from ..render import COLUMN, OTHER_COLUMNS, count_text
from ..reply import Reply, page

if TYPE_CHECKING:
    from collections.abc import Sequence

LAST_MODIFIED = formatdate(1668504070, usegmt=True)  # static files: 2022-11-15
FILE_TYPES = {
    "jpg": "image/jpeg", "doc": "application/msword", "pdf": "application/pdf", "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "zip": "application/zip",
}
# The template images families serve (replica/static/: a logo as PNG and as JPEG, a list icon as GIF).
STATIC = Path(__file__).resolve().parent.parent / "static"
IMAGE_TYPES = {"gif": "image/gif", "jpg": "image/jpeg", "png": "image/png"}


class SiteState(Protocol):
    """The part of ``replica.site.Site`` a family reads and changes."""

    articles: list[Article]
    views: dict[int, int]
    shown_views: dict[int, int]
    listed_views: dict[int, int]
    removed: dict[int, int]
    unit_build: bool

    def column_articles(self, column: str = COLUMN) -> list[Article]: ...


class Request:
    """A request as a family sees it: method, path (as sent), lower-cased query and form fields."""

    def __init__(self, method: str, target: str, body: bytes = b"") -> None:
        parts = urlsplit(target)
        self.method = method
        self.path = parts.path
        self.query = {k.lower(): v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        self.form = {k.lower(): v[0] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()}


class Family:
    """One CMS family's markup of the site. Subclasses set the class attributes and ``route``."""

    name = ""
    cms = ""  # the CMS as its vendor names it
    charset = "utf-8"
    precision = "second"  # how much of the publish time the article page shows
    page_size = 15
    has_view_count = True
    # PHPCMS v9's api.php writes the count it read before adding this view; the others after.
    counter_shows_count_before_this_view = False
    # The stylesheets the family's pages link, by path: static files, served whatever the CMS.
    stylesheets: dict[str, str] = {}
    # The template's own images its pages show (logo, banner, list icons), by path: a file of
    # replica/static/, served as a web server sends a static image.
    template_images: dict[str, str] = {}

    def __init__(self, site: SiteState) -> None:
        self.site = site
        rng = random.Random(self.name)
        self.session_cookie = "".join(rng.choice("ABCDEFGHIJKLMNOP") for _ in range(24))
        self.session_id = "".join(rng.choice("0123456789ABCDEF") for _ in range(32))

    # What the family is asked for -------------------------------------------------------

    @property
    def start_path(self) -> str:
        """The column's first list page."""
        return self.list_path(COLUMN, 1)

    def list_path(self, column: str, page: int) -> str:
        raise NotImplementedError

    def article_path(self, article: Article) -> str:
        raise NotImplementedError

    def answer(self, request: Request) -> Reply:
        """The reply to a request: a stylesheet, a template image, what ``route`` answers, else the family's 404."""
        css = self.stylesheets.get(request.path)
        if css is not None:
            return self.static_file(css.encode("ascii"), "text/css")  # fonts by their English aliases: no charset
        image = self.template_images.get(request.path)
        if image is not None:
            return self.static_file((STATIC / image).read_bytes(), IMAGE_TYPES[image.rsplit(".", 1)[1]])
        return self.route(request) or self.not_found()

    def route(self, request: Request) -> Reply | None:
        """The reply to a request, or None when the family has no such URL (the site answers 404)."""
        raise NotImplementedError

    def not_found(self) -> Reply:
        return Reply(404, [("Content-Type", "text/html")],
                     b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>")

    # The site's content, as every family lists it -------------------------------------

    def entries(self, column: str = COLUMN) -> list[Article]:
        return self.site.column_articles(column)

    def pages(self, entries: Sequence[Article]) -> int:
        return max(1, -(-len(entries) // self.page_size))

    def page_entries(self, entries: Sequence[Article], page: int) -> list[Article]:
        return list(entries[(page - 1) * self.page_size: page * self.page_size])

    def neighbours(self, article: Article) -> tuple[Article | None, Article | None]:
        """(newer, older) in the article's column: 上一篇 is the newer one on these sites."""
        siblings = self.entries(article.column)
        if article not in siblings:
            return None, None
        position = siblings.index(article)
        newer = siblings[position - 1] if position > 0 else None
        older = siblings[position + 1] if position + 1 < len(siblings) else None
        return newer, older

    def article(self, raw_id: str) -> Article | None:
        return next((a for a in self.site.articles if str(a.id) == raw_id), None) if raw_id.isdigit() else None

    def removal(self, article: Article | None) -> int | None:
        """None for a live article; else the status a removed (or unknown) one answers:
        200 means the family's own answer (a soft 404, an error text, a redirect)."""
        if article is None:
            return 200
        return self.site.removed.get(article.id)

    def other_columns(self) -> list[Article]:
        """Latest pages of the other columns, for the side lists every family has."""
        others = [a for column in OTHER_COLUMNS for a in self.entries(column)]
        return sorted(others, key=lambda a: a.published, reverse=True)

    def column_of(self, article: Article) -> str:
        return article.column

    # Views: the counter a page shows, and what reading it costs --------------------------

    def count_view(self, article: Article) -> str:
        """A view counted (a dynamic page or a counter script fetched); the count it shows, as it writes it."""
        before = self.site.views[article.id]
        self.site.views[article.id] = before + 1
        shown = before if self.counter_shows_count_before_this_view else before + 1
        self.site.shown_views[article.id] = shown
        return count_text(shown, self.site.counts_in_ten_thousands)

    def listed_count(self, article: Article) -> str:
        """The count a list page shows for an entry (it counts no view), as it writes it."""
        self.site.listed_views[article.id] = self.site.views[article.id]
        return count_text(self.site.views[article.id], self.site.counts_in_ten_thousands)

    # Times as each family writes them -----------------------------------------------

    @staticmethod
    def when(article: Article) -> datetime:
        return datetime.strptime(article.published, "%Y-%m-%d %H:%M:%S")

    def shown_time(self, article: Article) -> str:
        """The publish time at the family's precision, zero-padded ISO style."""
        return article.published[:{"day": 10, "minute": 16, "second": 19}[self.precision]]

    # Files of a body (attachments and photos) -----------------------------------------

    def file_path(self, article: Article, number: int, extension: str) -> str:
        raise NotImplementedError

    def attachments(self, article: Article) -> list[tuple[str, str]]:
        """(path, name) of the article's attachments."""
        return [(self.file_path(article, n, a["name"].rsplit(".", 1)[-1]), a["name"])
                for n, a in enumerate(article.attachments, 1)]

    def images(self, article: Article) -> list[tuple[str, str]]:
        return [(self.file_path(article, 100 + n, "jpg"), name) for n, name in enumerate(article.images, 1)]

    def file_reply(self, path: str) -> Reply | None:
        for article in self.site.articles:
            for url, name in self.attachments(article) + self.images(article):
                if url.lower() == path.lower():
                    body = file_bytes(article, name)
                    return Reply(200, [
                        ("Content-Type", FILE_TYPES.get(url.rsplit(".", 1)[-1], "application/octet-stream")),
                        ("Last-Modified", LAST_MODIFIED), ("ETag", f'"{hashlib.md5(body).hexdigest()[:16]}"'),
                        ("Accept-Ranges", "bytes"),
                    ], body)
        return None

    # Replies ------------------------------------------------------------------------

    def html(self, text: str, headers: list[tuple[str, str]], status: int = 200, charset: str | None = None) -> Reply:
        return page(text, charset or self.charset, headers, status)

    def static_headers(self, server: str, content_type: str = "text/html") -> list[tuple[str, str]]:
        """A generated .html file as a web server sends it: validators, and often no charset."""
        return [("Server", server), ("Content-Type", content_type), ("Last-Modified", LAST_MODIFIED),
                ("ETag", f'"{self.session_id[:8]}:{self.session_id[8:12]}"'), ("Accept-Ranges", "bytes")]

    def asp_headers(self, server: str = "Microsoft-IIS/6.0", charset: str | None = "gb2312") -> list[tuple[str, str]]:
        """A classic ASP page: IIS, ASP.NET's X-Powered-By, a session cookie named per application."""
        content_type = f"text/html; Charset={charset}" if charset else "text/html"
        return [("Server", server), ("X-Powered-By", "ASP.NET"), ("Content-Type", content_type),
                ("Set-Cookie", f"ASPSESSIONIDQSTBDCRA={self.session_cookie}; path=/"), ("Cache-Control", "private")]

    def jsp_headers(self, server: str, content_type: str = "text/html;charset=UTF-8") -> list[tuple[str, str]]:
        return [("Server", server), ("Content-Type", content_type),
                ("Set-Cookie", f"JSESSIONID={self.session_id}; Path=/; HttpOnly")]

    def php_headers(self, server: str, php: str, charset: str | None) -> list[tuple[str, str]]:
        content_type = f"text/html; charset={charset}" if charset else "text/html"
        return [("Server", server), ("X-Powered-By", php), ("Content-Type", content_type),
                ("Set-Cookie", f"PHPSESSID={self.session_id[:26].lower()}; path=/"),
                ("Expires", "Thu, 19 Nov 1981 08:52:00 GMT"), ("Cache-Control", "no-store, no-cache, must-revalidate")]

    @staticmethod
    def static_file(body: bytes, content_type: str) -> Reply:
        return Reply(200, [("Content-Type", content_type), ("Last-Modified", LAST_MODIFIED),
                           ("ETag", f'"{hashlib.md5(body).hexdigest()[:16]}"'), ("Accept-Ranges", "bytes")], body)

    def script(self, text: str, headers: list[tuple[str, str]]) -> Reply:
        return Reply(200, headers, text.encode(self.charset))  # in the pages' charset: a count may be written 4.5万


def file_bytes(article: Article, name: str) -> bytes:
    """Stand-in file content: stable bytes that name the document they belong to."""
    header = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" if name.endswith(".jpg") else b""
    return header + f"{name}\n{article.title}\n".encode("utf-8") * 8


def hex_id(article: Article) -> str:
    """The 32-hex article id of the Zhejiang platform's URLs, stable per article."""
    return hashlib.md5(f"jiaojiang-rd-{article.id}".encode()).hexdigest()


def body_blocks(article: Article) -> list[tuple[str, str]]:
    """The body's paragraphs with their section kind, in order, as every family renders them."""
    return [(section["kind"], text) for section in article.sections for text in section["paragraphs"]]


def image_slot(article: Article) -> int:
    """Index of the paragraph before which an article's photos stand (after its heading)."""
    blocks = body_blocks(article)
    return next((i for i, (kind, _) in enumerate(blocks) if kind != "heading"), len(blocks))
