"""What kind of page a start URL is: the column's list, another column's list, an article, the
home page; and, on a home page, the link to the column (by its visible text) and the CMS family
the site runs (by the family's URL and template idioms)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree

from .article import breadcrumb, column_of, shown_article
from .errors import ParseError
from .lines import CLICKED_LOCATION, Page, absolute_url, clean_text, clicked_href, leads_nowhere, page_lines, script_texts
from .listing import parse_list
from .text import match_key

COLUMN = "审议意见"
HOME_PATH = re.compile(r"^/?((index|default|main)\.(s?html?|asp|aspx|php|jsp))?$", re.I)
# Article URLs of the CMS families: PowerEasy ShowArticle.asp and /202211/1045.html, Kesion
# show.asp, TRS t20221115_1045.html, Hanweb art_1507_1045.html and art_<32 hex>.html, VSB
# /info/1081/1045.htm, PHPCMS a=show, DedeCMS /2022/1115/1045.html.
ARTICLE_URL = re.compile(
    r"showarticle\.asp|/show\.asp|[?&]a=show\b|/t\d{8}_\d+\.s?html?$|/art_[\w]+\.html$|/info/\d+/\d+\.htm$"
    r"|/\d{6}/\d+\.html?$|/\d{4}/\d{4}/\d+\.html$|/content_\d+\.html?$", re.I)
# What a page's text or links show of the CMS that made it, most specific first.
FAMILY_MARKS = (
    ("hanweb-platform", re.compile(r"/col/col\d+/art/\d{4}/art_[0-9a-f]{32}\.html|zjzwfw|政府网站集约化", re.I)),
    ("hanweb", re.compile(r"/art/\d{4}/\d{1,2}/\d{1,2}/art_\d+_\d+\.html|/col/col\d+/index\.html|大汉网络|jpage", re.I)),
    ("vsb", re.compile(r"/system/resource/|/info/\d+/\d+\.htm|VWebServer|博达", re.I)),
    ("trs", re.compile(r"createPageHTML|TRS_Editor|/t\d{8}_\d+\.html|CurrChnlCls|\.shtml\b", re.I)),
    ("kesion", re.compile(r"KesionCMS|/ks_inc/|/item/list\.asp|/item/show\.asp", re.I)),
    ("powereasy-static", re.compile(r"/List_\d+(_\d+)?\.html", re.I)),
    ("powereasy", re.compile(r"ShowClass\.asp|ShowArticle\.asp|动易|PowerEasy|/Skin/DefaultSkin\.css", re.I)),
    ("phpcms", re.compile(r"index\.php\?m=content|phpcms|/statics/", re.I)),
    ("dedecms", re.compile(r"DedeCMS|/templets/|/plus/|/a/\w+/list_\d+_\d+\.html", re.I)),
)


TITLE_PARTS = re.compile(r"\s[-|–—]\s|_|--|\s")
SHORT_NAME = 8  # a column's name is short; an article's title is longer
HOME_REACH = 400  # how many lines of a home page its boxes' headings are looked for in


@dataclass(frozen=True)
class PageKind:
    """``kind``: "column" (the column's list), "other_column" (another column's list), "article",
    "home", or "unknown"; ``column``: the column the page names; ``column_url``: a link to
    ``COLUMN`` on the page (from a home page or an article); ``family``: the CMS family its idioms show."""

    kind: str
    column: str | None = None
    column_url: str | None = None
    family: str | None = None


def classify_url(url: str) -> str | None:
    """"home" or "article" where the URL alone says so (no request needed), else None."""
    parts = urlsplit(url)
    if not parts.query and HOME_PATH.match(parts.path):
        return "home"
    if ARTICLE_URL.search(parts.path + ("?" + parts.query if parts.query else "")):
        return "article"
    return None


# A column's name as a site may qualify it: by whose it is (常委会审议意见, 县人大常委会审议意见)
# or by what it holds (审议意见书, 审议意见选登). Not by the follow-ups (审议意见落实情况,
# 审议意见办理): that is the column of the government's reports on them.
_WHOSE = r"(?:(?:19|20)\d\d年度?|第?[一二三四五六七八九十]+届)?(?:[\u4e00-\u9fff]{0,8}(?:人大常委会|常务委员会|常委会|人大))?"
_HOLDING = r"(?:书|选登|摘编|汇编|专栏)?"


@lru_cache(maxsize=16)
def _qualified(column: str) -> re.Pattern[str]:
    return re.compile(f"{_WHOSE}{re.escape(match_key(column))}{_HOLDING}")


def names_column(name: str | None, column: str = COLUMN) -> bool:
    """Whether ``name`` (a trail's, a link's, a list page's) is the column's: its name, or its
    name qualified by whose it is or what it holds."""
    return bool(name) and bool(_qualified(column).fullmatch(match_key(name)))


def column_link(page: Page, column: str = COLUMN) -> str | None:
    """The link whose visible text is the column's name (a menu or a box heading), else the first
    whose text names it qualified (常委会审议意见)."""
    wanted, qualified = match_key(column), None
    for element in page.root.iter("a"):
        href = clicked_href(element)  # or where its click's script goes (onclick="window.open('/shyj/')")
        if leads_nowhere(href):
            continue
        text = match_key(_link_name(element))
        if text == wanted or (qualified is None and names_column(text, column)):
            url = absolute_url(page.base_url, href)
            if url and text == wanted:
                return url
            qualified = qualified or url
    return qualified or _more_link(page, column)


# What the link to a box's whole column says beside its heading: 更多, 更多>>, more, >>, [更多].
_MORE = re.compile(r"^[\[【(（]?(?:更多|查看更多|more|更多信息|更多内容)?[>»》+\]】)）]*$", re.I)
_MORE_REACH = 2  # lines between a box's heading and its 更多 link


def _more_link(page: Page, column: str) -> str | None:
    """The 更多 link of the box whose heading, no link itself, names the column (<h3>审议意见</h3>
    <a href="/list.asp?id=5">更多>></a>, on its line or one of the lines beside it)."""
    lines = page.lines[:HOME_REACH]
    for index, line in enumerate(lines):
        more = [link for link in line.links if _is_more(link.text) and link.url]  # the text first: a URL is worked out on reading
        heading = match_key(line.text)
        for link in more:
            heading = heading.replace(match_key(link.text), "", 1)
        if not names_column(heading, column):
            continue
        if more:
            return more[0].url
        for near in [*lines[index + 1:index + 1 + _MORE_REACH], *lines[max(0, index - _MORE_REACH):index]]:
            links = [link for link in near.links if _is_more(link.text) and link.url]
            if links and match_key(near.text) == match_key("".join(link.text for link in links)):
                return links[0].url
    return None


def _is_more(text: str) -> bool:
    key = match_key(text)
    return bool(key) and bool(_MORE.match(key))


# What a menu sets around an item's name: bullets and arrows (·审议意见, ◆ 审议意见, 审议意见>>), brackets.
_NAME_MARKS = "·•◆◇■□▪▶►>»《》【】[]"


def _link_name(link: etree._Element) -> str:
    """What a link shows a reader as its name: its text, else (a menu of images) its image's alt or
    its title; without the marks a menu sets around it."""
    text = clean_text(link.text_content())
    if not text:
        image = next(link.iter("img"), None)
        text = clean_text((image.get("alt") if image is not None else None) or link.get("title") or "")
    return text.strip(_NAME_MARKS + " ")


# What sends a reader on from a page of its own without a click: a refresh (<meta
# http-equiv="refresh" content="0;url=/index.asp">), a script that sets the location on a page
# that shows next to nothing (a splash page; a 集约化 subsite's root, which sends to its
# /col/col…/index.html), a frameset's frames; or, on a splash page, its 进入网站 link.
_REFRESH_URL = re.compile(r"""url\s*=\s*['"]?([^'"\s>;]+)""", re.I)
_ENTER_WORDS = frozenset(("进入网站", "进入首页", "进入主页", "进入", "点击进入", "进入本站"))
SPLASH_TEXT = 200  # a page that shows fewer characters than this in its first SPLASH_LINES is no page of its own
SPLASH_LINES = 60


def sent_on(page: Page) -> list[str]:
    """The pages ``page`` sends its reader to (absolute URLs, in order; none for a page of its own)."""
    found = []
    for meta in page.root.iter("meta"):
        if (meta.get("http-equiv") or "").lower() == "refresh" and (target := _REFRESH_URL.search(meta.get("content") or "")):
            found.append(target[1])
    if page.root.find(".//frameset") is not None:
        found += [frame.get("src") for frame in page.root.iter("frame")]
    if not found and sum(len(line.text) for line in page.lines[:SPLASH_LINES]) < SPLASH_TEXT:
        found += [going[2] for code in script_texts(page.root) for going in CLICKED_LOCATION.finditer(code)]
        found += [frame.get("src") for frame in page.root.iter("iframe")]
        found += [link.get("href") for link in page.root.iter("a") if clean_text(link.text_content()) in _ENTER_WORDS]
    urls = [absolute_url(page.base_url, href) for href in found if not leads_nowhere(href)]
    return list(dict.fromkeys(url for url in urls if url and url.split("#")[0] != page.url.split("#")[0]))


def cms_family(page: Page) -> str | None:
    """The CMS family the page's links and text show (the replica's markup names)."""
    hrefs = " ".join(filter(None, (element.get("href") or element.get("src") for element in page.root.iter("a", "script", "link"))))
    text = " ".join(line.text for line in page.lines[:400])
    scripts = " ".join(script.text or "" for script in page.root.iter("script"))
    for family, mark in FAMILY_MARKS:
        if mark.search(hrefs) or mark.search(text) or mark.search(scripts):
            return family
    return None


def _page_column(page: Page) -> str | None:
    """The column a list page names: its breadcrumb, its ColumnName meta, or its <title>."""
    crumb = column_of(breadcrumb(page.lines[:60]))
    if crumb:
        return crumb
    meta = page.root.find(".//meta[@name='ColumnName']")
    if meta is not None and meta.get("content"):
        return meta.get("content").strip()
    # "工作动态 - 椒江人大网": a short first part of a title in parts is the column's name.
    parts = [part.strip() for part in TITLE_PARTS.split(page.title) if part.strip()]
    return parts[0] if len(parts) > 1 and len(parts[0]) <= SHORT_NAME else None


def classify_page(body: bytes, url: str, content_type: str | None = None, column: str = COLUMN) -> PageKind:
    """What the page at ``url`` is, for a crawl asked to start there."""
    page = page_lines(body, url, content_type)
    family = cms_family(page)
    link = column_link(page, column)
    named = _page_column(page)
    by_url = classify_url(url)
    title_names_column = match_key(column) in match_key(page.title)
    try:
        article = shown_article(page)
    except ParseError:
        article = None
    # A list page parses as an "article" whose title is the column or the breadcrumb.
    if article is not None and len(article.title) > SHORT_NAME and ">" not in article.title \
            and (by_url == "article" or len(parse_list(body, url, content_type).entries) < 10):
        return PageKind("article", article.column or named, link, family)
    if by_url == "home" or (named is None and not title_names_column and link is not None):
        return PageKind("home", None, link, family)
    if names_column(named, column) or (named is None and title_names_column):
        return PageKind("column", named or column, url, family)
    if named:
        return PageKind("other_column", named, link, family)
    return PageKind("unknown", None, link, family)


def start_url_problem(url: str, kind: PageKind | str) -> str | None:
    """Why a crawl cannot start at ``url`` (one line, with a hint), or None when it is a list page
    of the column (or nothing says it is not)."""
    kind_name = kind if isinstance(kind, str) else kind.kind
    found = None if isinstance(kind, str) else kind.column_url
    what = {"article": "an article page", "home": "the site's home page",
            "other_column": f"the list of another column ({getattr(kind, 'column', None)})"}.get(kind_name)
    if what is None:
        return None
    home = urlsplit(url)._replace(path="/", query="", fragment="").geturl()
    hint = f"try --start-url {found}" if found else f"find it with: npc-archive discover {home}"
    return f"--start-url {url} is {what}, not the {COLUMN} column's first list page: {hint}"
