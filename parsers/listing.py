"""List page -> entries and the next page, recognised by what a reader sees: rows that pair
a title link with a date, and pagination words (下一页, 尾页, 共N页, page numbers)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from lxml import etree

from .fields import DATE_RE, iso_datetime
from .lines import absolute_url, clean_text, page_lines

ROW_TAGS = ("li", "tr", "dd", "dt", "p", "div", "span", "td")
# How many ancestors up from a link we look for the row that carries its date.
ROW_REACH = 3
NEXT_WORDS = ("下一页", "下页", "后页", "后一页", "下一頁")
NEXT_ARROWS = (">", "›")
_DECORATION = re.compile(r"[\s\[\]【】<>«»‹›]")
TOTAL_PAGES = re.compile(r"共\s*(\d+)\s*页|/\s*(\d+)\s*页|页次\s*[:：]?\s*\d+\s*/\s*(\d+)")
CURRENT_PAGE = re.compile(r"第\s*(\d+)\s*页|当前\s*第?\s*(\d+)\s*页|页次\s*[:：]?\s*(\d+)\s*/|(\d+)\s*/\s*\d+\s*页")
TRUNCATION = re.compile(r"\s*(\.\.+|…+|。。+)\s*$")
# A count some lists show per entry (PowerEasy in the link's title tooltip, Dede in the row):
# read there, it costs the site no view.
LISTED_VIEWS = re.compile(r"(?:点击数|点击|浏览次数|浏览|阅读次数|访问次数|查看次数|人气)\s*[:：]\s*(\d+)")
SIDE_LIST_HEADINGS = ("最新更新", "阅读排行", "热门文章", "点击排行", "相关文章", "推荐文章", "热点文章")


@dataclass
class ListEntry:
    title: str
    url: str
    published_at: str | None
    truncated: bool
    view_count: int | None = None


@dataclass
class ListPage:
    url: str
    entries: list[ListEntry] = field(default_factory=list)
    next_url: str | None = None
    page: int | None = None
    total_pages: int | None = None


def _text(element: etree._Element) -> str:
    return clean_text(element.text_content())


def _usable_href(href: str | None) -> bool:
    return bool(href) and not href.strip().lower().startswith(("javascript:", "#", "mailto:"))


def _row_of(link: etree._Element) -> tuple[etree._Element, re.Match[str]] | None:
    element = link
    for _ in range(ROW_REACH):
        element = element.getparent()
        if element is None:
            return None
        if element.tag in ROW_TAGS:
            match = DATE_RE.search(_text(element))
            if match:
                return element, match
    return None


def _signature(element: etree._Element) -> str:
    return "/".join(ancestor.tag for ancestor in reversed(list(element.iterancestors()))) + "/" + element.tag


def _first_characters(element: etree._Element, count: int) -> str:
    """The first ``count`` characters of the element's text, without joining all of it."""
    pieces, length = [], 0
    for piece in element.itertext():
        pieces.append(piece)
        length += len(piece)
        if length >= count:
            break
    return "".join(pieces)[:count]


def _in_side_list(row: etree._Element, pager: etree._Element | None) -> bool:
    """Whether the row sits in a box headed 最新更新, 阅读排行... (a box that holds no pager)."""
    for ancestor in row.iterancestors():
        if pager is not None and (ancestor is pager or pager in ancestor.iterdescendants()):
            return False
        heading = clean_text(_first_characters(ancestor, 40))
        if heading.startswith(SIDE_LIST_HEADINGS):
            return True
    return False


def _listed_views(link: etree._Element, row: etree._Element) -> int | None:
    count = LISTED_VIEWS.search(link.get("title") or "") or LISTED_VIEWS.search(_text(row))
    return int(count.group(1)) if count else None


def _entry(link: etree._Element, match: re.Match[str], base_url: str) -> ListEntry | None:
    text = _text(link)
    title_attribute = clean_text(link.get("title") or "")
    truncated = bool(TRUNCATION.search(text))
    title = TRUNCATION.sub("", text).strip(" ·•")
    if title_attribute and len(title_attribute) > len(title) and title_attribute.startswith(title[:4]):
        title, truncated = title_attribute, False
    url = absolute_url(base_url, link.get("href"))
    if len(title) < 4 or DATE_RE.fullmatch(title) or url is None:
        return None
    return ListEntry(title=title, url=url, published_at=iso_datetime(match), truncated=truncated)


def _entries(root: etree._Element, base_url: str, pager: etree._Element | None) -> list[ListEntry]:
    groups: dict[str, list[tuple[etree._Element, ListEntry]]] = defaultdict(list)
    for link in root.iter("a"):
        if not _usable_href(link.get("href")):
            continue
        found = _row_of(link)
        if not found:
            continue
        row, match = found
        entry = _entry(link, match, base_url)
        if entry:
            entry.view_count = _listed_views(link, row)
            side = _in_side_list(row, pager)
            groups[_signature(row)].append((row, entry, side))
    main = {key: members for key, members in groups.items() if not all(side for _, _, side in members)}
    groups = main or groups
    if not groups:
        return []

    def closeness(members: list[tuple[etree._Element, ListEntry, bool]]) -> tuple[int, int]:
        # The column's own list shares a container with the pager; side lists sit further away.
        if pager is None:
            return (0, len(members))
        pager_ancestors = set(pager.iterancestors())
        depth = next((len(list(a.iterancestors())) for a in members[0][0].iterancestors() if a in pager_ancestors), 0)
        return (depth, len(members))

    best = max(groups.values(), key=closeness)
    seen: set[str] = set()
    entries = []
    for _, entry, _ in best:
        if entry.url not in seen:
            seen.add(entry.url)
            entries.append(entry)
    return entries


def _numbered_links(element: etree._Element) -> int:
    return sum(1 for link in element.iter("a") if _text(link).strip("[]").isdigit())


def _pager_text_element(root: etree._Element) -> etree._Element | None:
    """The smallest element whose text shows the pagination words or page numbers."""
    best = None
    for element in root.iter("div", "td", "p", "span", "form", "ul", "nav", "center", "table"):
        text = _text(element)
        if len(text) > 300:
            continue
        if any(word in text for word in ("下一页", "下页", "尾页", "末页")) or TOTAL_PAGES.search(text) or _numbered_links(element) >= 2:
            if best is None or len(text) <= len(_text(best)):
                best = element
    return best


def _page_numbers(pager: etree._Element) -> tuple[int | None, int | None]:
    text = _text(pager)
    total = TOTAL_PAGES.search(text)
    current = CURRENT_PAGE.search(text)
    total_pages = int(next(g for g in total.groups() if g)) if total else None
    page = int(next(g for g in current.groups() if g)) if current else _unlinked_number(pager)
    return page, total_pages


def _unlinked_number(pager: etree._Element) -> int | None:
    """The current page in a row of page numbers: the one number that is not a link, in an
    element of its own (``<b>2</b>``) or as bare text after a link (``<a>1</a> 2 <a>3</a>``)."""
    for element in pager.iter():
        if any(ancestor.tag == "a" for ancestor in element.iterancestors()):
            continue  # inside a link, text and tail alike
        # A link's own text is a link; its tail, and everything of other elements, is not.
        pieces = (None if element.tag == "a" else element.text, None if element is pager else element.tail)
        for piece in pieces:
            number = piece.strip().strip("[]") if piece else ""
            if number.isdigit():
                return int(number)
    return None


def _is_next_link(link: etree._Element) -> bool:
    """下一页 as text, decorated text (``下一页>>``), a title, an image's alt, or a lone arrow."""
    labels = [_text(link), link.get("title") or ""] + [image.get("alt") or "" for image in link.iter("img")]
    return any(_DECORATION.sub("", label) in NEXT_WORDS for label in labels if label) or _text(link) in NEXT_ARROWS


def _next_url(root: etree._Element, pager: etree._Element | None, base_url: str, page: int | None) -> str | None:
    scope = pager if pager is not None else root
    links = [link for link in scope.iter("a") if _usable_href(link.get("href"))]
    for link in links:
        if _is_next_link(link):
            return absolute_url(base_url, link.get("href"))
    if page is not None:
        for link in links:
            if _text(link) in (str(page + 1), f"[{page + 1}]"):
                return absolute_url(base_url, link.get("href"))
    for select in scope.iter("select"):
        options = select.findall(".//option")
        for index, option in enumerate(options):
            if option.get("selected") is not None and index + 1 < len(options):
                value = options[index + 1].get("value")
                if _usable_href(value) and not value.strip().isdigit():
                    return absolute_url(base_url, value)
    return None


def parse_list(body: bytes, url: str, content_type: str | None = None) -> ListPage:
    """Parse a column list page: its dated entries, current/total page and the next page URL."""
    page = page_lines(body, url, content_type)
    base_url = page.base_url  # links resolve against <base href> when the page has one
    pager = _pager_text_element(page.root)
    number, total = _page_numbers(pager) if pager is not None else (None, None)
    result = ListPage(url=url, page=number, total_pages=total)
    result.entries = _entries(page.root, base_url, pager)
    if not (number and total and number >= total):
        result.next_url = _next_url(page.root, pager, base_url, number)
    if result.next_url == url:
        result.next_url = None
    return result
