"""The replica's state and routing: which bytes and headers each URL answers with."""

from __future__ import annotations

import gzip
import hashlib
import random
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.utils import formatdate
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from . import families, render
from . import faults as fault_modes
from .content import Article, build_articles, synthetic_article
from .followups import FollowUp, build_followups
from .reply import Reply

LAST_MODIFIED = formatdate(1668504070, usegmt=True)  # static files: 2022-11-15
ROBOTS_TXT = b"User-agent: *\nDisallow: /admin/\nDisallow: /search.asp\n"
MARKUPS = ("table", "div", *families.FAMILIES)
FILE_TYPES = {
    "jpg": "image/jpeg",
    "doc": "application/msword", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf", "xls": "application/vnd.ms-excel", "zip": "application/zip",
}

# The stylesheet and images the pages of the `table` and `div` markups link: what a browser
# needs to show a page as the site's readers saw it (and replay, once archived, shows).
STATIC = Path(__file__).parent / "static"
STATIC_FILES = {"/css/style.css": ("style.css", "text/css"), "/images/banner.jpg": ("banner.jpg", "image/jpeg"),
                "/images/menu_bg.gif": ("menu_bg.gif", "image/gif")}


@dataclass
class Site:
    """A replica of 椒江人大网. Safe to read from the server's threads while tests change it."""

    synthetic: int = 0
    markup: str = "table"
    page_size: int = 15
    # The government's reports on the opinions (监督工作) and news of their hearings (工作动态),
    # in the site's own markups only; one late report is held back until publish_late_report().
    followups: bool = True
    articles: list[Article] = field(init=False)
    views: dict[int, int] = field(init=False)
    removed: dict[int, int] = field(default_factory=dict)  # article id -> the status it now answers
    # Per request target: the fault served instead of the page (see replica/faults.py).
    faults: dict[str, fault_modes.Fault] = field(default_factory=dict)
    # Per article: the count its page or counter script last showed, and the one a list showed
    # (ground truth for the view count of a crawl of a family's markup).
    shown_views: dict[int, int] = field(default_factory=dict)
    listed_views: dict[int, int] = field(default_factory=dict)
    # A family's view counts from 10,000 on written rounded to 万 (4.5万), as sites with large counts write them.
    counts_in_ten_thousands: bool = False
    # Every column divided by year: its page links a list for each year (table and div markups).
    divided_by_year: bool = False
    # The Zhejiang platform's column pages hold no list: a unit script asks for it (hanweb-platform, 2024 on).
    unit_build: bool = False
    retry_after: int = 5  # seconds, in the Retry-After of a 503 fault
    stall_seconds: float = 300.0  # how long a stall fault stays silent
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.articles = build_articles(self.synthetic)
        self.views = {article.id: article.views for article in self.articles}
        if self.markup not in MARKUPS:
            raise ValueError(f"unknown markup {self.markup!r}; choose one of {', '.join(MARKUPS)}")
        self.family = families.FAMILIES[self.markup](self) if self.markup in families.FAMILIES else None
        self.followup_pages: list[FollowUp] = []
        if self.followups and self.family is None:
            self.followup_pages = build_followups(self.articles)[0]
            for followup in self.followup_pages:
                if not followup.held_back:
                    self._publish(followup.article)

    def _publish(self, article: Article) -> None:
        self.articles.append(article)
        self.views[article.id] = article.views

    def publish_late_report(self) -> list[Article]:
        """Publish the report held back (late: after its deadline and after the first crawls)."""
        held = [f.article for f in self.followup_pages if f.held_back and f.article.id not in self.by_id]
        for article in held:
            self._publish(article)
        return held

    def column_path(self, column: str) -> str:
        """The first list page of another column (工作动态, 监督工作) in the site's own markups."""
        return render.list_url(1, render.OTHER_COLUMNS.get(column) or render.REPORTS_COLUMNS[column])

    @property
    def start_path(self) -> str:
        """The column's first list page in this markup."""
        return self.family.start_path if self.family else render.list_url(1)

    def article_path(self, article: Article) -> str:
        return self.family.article_path(article) if self.family else render.article_url(article)

    # What the site shows -------------------------------------------------------------

    @property
    def by_id(self) -> dict[int, Article]:
        return {article.id: article for article in self.articles}

    def column_articles(self, column: str = render.COLUMN) -> list[Article]:
        """Live articles of a column, newest first, as the list pages show them."""
        live = [a for a in self.articles if a.column == column and a.id not in self.removed]
        return sorted(live, key=lambda a: a.published, reverse=True)

    def opinions(self) -> list[Article]:
        return self.column_articles()

    def attachment_urls(self, article: Article) -> list[str]:
        month = article.published[:7].replace("-", "")
        return [f"/UploadFiles/{month}/{article.id}_{n}.{a['name'].rsplit('.', 1)[-1]}" for n, a in enumerate(article.attachments, 1)]

    def image_urls(self, article: Article) -> list[str]:
        month = article.published[:7].replace("-", "")
        return [f"/UploadFiles/{month}/{article.id}_img{n}.jpg" for n in range(1, len(article.images) + 1)]

    def _latest(self) -> list[Article]:
        live = [a for a in self.articles if a.id not in self.removed]
        return sorted(live, key=lambda a: a.published, reverse=True)[:10]

    def _most_read(self) -> list[Article]:
        return sorted(self.opinions(), key=lambda a: self.views[a.id], reverse=True)[:10]

    def _related(self, article: Article) -> list[Article]:
        others = [a for a in self.opinions() if a.id != article.id]
        return random.Random(article.id).sample(others, min(8, len(others)))

    # Changes between two crawls (tests and `npc-replica --add/--edit/--remove`) ------

    def add_opinions(self, count: int) -> list[Article]:
        """Publish ``count`` new opinions, newer than every other one."""
        added = []
        newest = max(a.published for a in self.opinions())
        for offset in range(count):
            article_id = max(a.id for a in self.articles if a.id < 9000) + 1
            record = synthetic_article(article_id, random.Random(article_id))
            published = datetime.strptime(newest, "%Y-%m-%d %H:%M:%S") + timedelta(days=offset + 1)
            record["published"] = published.strftime("%Y-%m-%d %H:%M:%S")
            article = Article(id=article_id, **{k: v for k, v in record.items() if k in Article.__dataclass_fields__})
            self.articles.append(article)
            self.views[article.id] = article.views
            added.append(article)
        return added

    def edit_opinion(self, article_id: int, sentence: str = "区政府要定期向区人大常委会报告工作进展。") -> Article:
        """Silently edit an opinion, as government sites do: one sentence added to its last item."""
        article = self.by_id[article_id]
        section = next(s for s in reversed(article.sections) if s["kind"] == "opinions")
        section["paragraphs"][-1] += sentence
        return article

    def remove_opinion(self, article_id: int, status: int = 200) -> None:
        """Take an opinion down: 200 answers as the live CMS does (an error text, a soft 404);
        404 or 410 answer with that status, as a rebuilt site would."""
        self.removed[article_id] = status

    def restore_opinion(self, article_id: int) -> None:
        self.removed.pop(article_id, None)

    def publish_as_file(self, article_id: int, file_type: str = "pdf") -> Article:
        """Publish an opinion as a file alone, as some columns do: its list rows (and its
        neighbours' links) lead to the file, not to a page."""
        article = self.by_id[article_id]
        article.published_as = file_type
        return article

    def bump_views(self, amount: int = 1) -> None:
        for article_id in self.views:
            self.views[article_id] += amount

    def pass_time(self, rng: random.Random, readers: int = 500) -> None:
        """What a week between two crawls does to the live column: each opinion read a few hundred
        times, the ten most read more, so view-count curves rise unevenly."""
        most_read = {article.id for article in self._most_read()}
        for article_id in self.views:
            self.views[article_id] += rng.randint(0, readers) * (3 if article_id in most_read else 1)

    # Routing ---------------------------------------------------------------------------

    def add_fault(self, target: str, kind: str, times: int | None = None) -> fault_modes.Fault:
        """Serve ``kind`` for ``target`` (always, or to the first ``times`` requests)."""
        self.faults[target] = fault_modes.Fault(kind, times)
        return self.faults[target]

    def handle(self, target: str, accept_encoding: str = "", method: str = "GET", body: bytes = b"") -> Reply:
        with self.lock:
            reply = self._route(target, method, body)
            fault = fault_modes.fault_for(self.faults, target)
        if fault:
            fault_modes.apply(fault, reply, target, self.retry_after, render.not_found_page())
        if reply.status == 200 and reply.body and "gzip" in accept_encoding and _compressible(reply.headers):
            reply.body = gzip.compress(reply.body, mtime=0)
            reply.headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        return reply

    def _route(self, target: str, method: str = "GET", body: bytes = b"") -> Reply:
        parts = urlsplit(target)
        path = parts.path.lower()
        query = {k.lower(): v[0] for k, v in parse_qs(parts.query).items()}
        if path == "/robots.txt":
            return Reply(200, [("Content-Type", "text/plain")], ROBOTS_TXT)
        if self.family:
            return self.family.answer(families.Request(method, target, body))
        if path in STATIC_FILES:
            return _static(*STATIC_FILES[path])
        if path in ("/", "/index.asp", "/index.html"):
            return self._home()
        if path == "/list.asp":
            return self._list(query)
        if path == "/showarticle.asp":
            return self._article(query.get("articleid", ""))
        if path == "/count.asp":
            return self._counter(query.get("id", ""))
        if path.startswith("/uploadfiles/"):
            return self._attachment(parts.path)
        if path == fault_modes.LOGIN_PATH:
            return _html(fault_modes.login_page(), "gb2312")
        return _not_found()

    def _home(self) -> Reply:
        columns = {render.COLUMN: self.opinions()[:8]}
        for column in [*render.OTHER_COLUMNS, *(render.REPORTS_COLUMNS if self.followup_pages else ())]:
            columns[column] = self.column_articles(column)[:8]
        return _html(render.home_page(columns, self._latest(), self.markup), "gb2312")

    def _list(self, query: dict[str, str]) -> Reply:
        class_id = int(query.get("classid", "0") or 0) if query.get("classid", "").isdigit() else 0
        column = render.COLUMN if class_id == render.COLUMN_CLASS_ID else next(
            (name for name, cid in {**render.OTHER_COLUMNS, **render.REPORTS_COLUMNS}.items() if cid == class_id), None)
        if column is None:
            return _html(render.not_found_page(), "gb2312")
        entries = self.column_articles(column)
        year = None
        if self.divided_by_year:
            years = sorted({article.published[:4] for article in entries}, reverse=True)
            year = query.get("year")
            if year not in years:
                return _html(render.years_page(column, class_id, years, latest=self._latest(), most_read=self._most_read(),
                                               markup=self.markup), "gb2312")
            entries = [article for article in entries if article.published.startswith(year)]
        pages = max(1, -(-len(entries) // self.page_size))
        page = int(query["page"]) if query.get("page", "").isdigit() else 1
        # Like the live CMS: a page past the last answers with the last page again.
        page = min(max(page, 1), pages)
        shown = entries[(page - 1) * self.page_size: page * self.page_size]
        return _html(render.list_page(column, class_id, shown, page=page, pages=pages, total=len(entries),
                                      latest=self._latest(), most_read=self._most_read(), markup=self.markup, year=year), "gb2312")

    def _article(self, raw_id: str) -> Reply:
        article = self.by_id.get(int(raw_id)) if raw_id.isdigit() else None
        removed_status = self.removed.get(article.id) if article else None
        if article is None or removed_status == 200:
            # The live CMS answers a missing article with 200 and an error text (a soft 404).
            return _html(render.not_found_page(), "gb2312")
        if removed_status is not None:
            page = f"<html><body><h1>{removed_status}</h1></body></html>".encode("ascii")
            return Reply(removed_status, [("Content-Type", "text/html")], page)
        siblings = self.column_articles(article.column)
        position = siblings.index(article)
        newer = siblings[position - 1] if position > 0 else None
        older = siblings[position + 1] if position + 1 < len(siblings) else None
        html = render.article_page(
            article, views=self.views[article.id], newer=newer, older=older, related=self._related(article),
            latest=self._latest(), most_read=self._most_read(), attachment_urls=self.attachment_urls(article),
            image_urls=self.image_urls(article),
            markup=self.markup, year=article.published[:4] if self.divided_by_year else None,
        )
        return _html(html, article.encoding)

    def _counter(self, raw_id: str) -> Reply:
        if not raw_id.isdigit() or int(raw_id) not in self.views:
            return Reply(200, [("Content-Type", "application/x-javascript")], b"document.write('0');")
        # Fetching the counter is what counts a view, on the live site too.
        self.views[int(raw_id)] += 1
        script = f"document.write('{self.views[int(raw_id)]}');".encode("ascii")
        return Reply(200, [("Content-Type", "application/x-javascript"), ("Cache-Control", "no-cache")], script)

    def _attachment(self, path: str) -> Reply:
        for article in self.articles:
            if article.published_as and render.file_url(article).lower() == path.lower():
                return _file(published_file_bytes(article), article.published_as)
            names = [a["name"] for a in article.attachments] + article.images
            for url, name in zip(self.attachment_urls(article) + self.image_urls(article), names):
                if url.lower() == path.lower():
                    return _file(attachment_bytes(article, name), url.rsplit(".", 1)[-1])
        return _not_found()


def _file(body: bytes, extension: str) -> Reply:
    return Reply(200, [
        ("Content-Type", FILE_TYPES.get(extension, "application/octet-stream")),
        ("Last-Modified", LAST_MODIFIED), ("ETag", f'"{hashlib.md5(body).hexdigest()[:16]}"'),
        ("Accept-Ranges", "bytes"),
    ], body)


def attachment_bytes(article: Article, name: str) -> bytes:
    """Stand-in file content: stable bytes that name the document they belong to."""
    header = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" if name.endswith(".jpg") else b""
    return header + f"{name}\n{article.title}\n".encode("utf-8") * 8


# The first bytes of a file of each type, as its program writes them.
FILE_HEADERS = {"pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00",
                "docx": b"PK\x03\x04\x14\x00\x06\x00"}


def published_file_bytes(article: Article) -> bytes:
    """Stand-in for the file of a document published as a file alone: its type's first bytes, then its title."""
    return FILE_HEADERS.get(article.published_as or "", b"") + f"{article.title}\n".encode("utf-8") * 8


def _static(name: str, content_type: str) -> Reply:
    body = (STATIC / name).read_bytes()
    return Reply(200, [("Content-Type", content_type), ("Last-Modified", LAST_MODIFIED),
                       ("ETag", f'"{hashlib.md5(body).hexdigest()[:16]}"'), ("Accept-Ranges", "bytes")], body)


def _compressible(headers: list[tuple[str, str]]) -> bool:
    headers = dict(headers)
    content_type = headers.get("Content-Type", "")
    return content_type.startswith(("text/", "application/x-javascript")) and "Content-Encoding" not in headers


def _html(html: str, charset: str) -> Reply:
    codec = "gbk" if charset.lower() in ("gb2312", "gbk") else charset
    return Reply(200, [
        ("Content-Type", f"text/html; charset={charset}"),
        ("Cache-Control", "private"),
        ("X-Powered-By", "ASP.NET"),
    ], html.encode(codec))


def _not_found() -> Reply:
    return Reply(404, [("Content-Type", "text/html")], b"<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>")
