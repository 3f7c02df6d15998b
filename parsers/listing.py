"""List page -> entries, the next page(s) to request, and what the column says of itself.

Entries are recognised by what a reader sees: rows that pair a title link with a date. The
pager is read the way each CMS family writes it: links (下一页, 尾页, page numbers, a page-jump
``<select>``) and their info text (``共N条``, ``共N页``, ``页次 2/3``, ``分M页``, ``1/3``); TRS's
script pager (``createPageHTML(countPage, currentPage, "index", "shtml")``, 0-based
``index_N.shtml``); Hanweb's jpage datastore (records inside ``<script type="text/xml">``,
later groups as POST answers of ``dataproxy.jsp``). Every step reads each element a bounded
number of times, so the work grows with the page's size, not with its links squared.
"""

from __future__ import annotations

import base64
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit

from lxml import etree

from .encoding import decode_html
from .fields import COUNT, DATE_RE, VIEW_LABELS, ViewCount, iso_datetime, written_count
from .lines import CLICKED_LOCATION, absolute_url, clean_text, click_script, clicked_href, leads_nowhere, parse_html, script_texts
from .requisites import requisites_of
from .scripts import block_after, destination_of_page, destinations, evaluate, function_body, object_entries, until, url_of
from .scripts import variables as script_variables
from .units import next_unit_page, unit_answer, unit_request

ROW_TAGS = frozenset(("li", "tr", "dd", "dt", "dl", "p", "div", "span", "td", "article"))  # a <dl> or an <article> an entry
# How many ancestors up from a link we look for the row that carries its date.
ROW_REACH = 3
# A row is short: a title, a date, perhaps a count or an intro line.
ROW_TEXT_LIMIT = 400
PAGER_TEXT_LIMIT = 600
PAGER_REACH = 5
PAGER_SEEDS = 6  # how many of the page's pager-like links are tried as the pager's
# A pager's words once its brackets, arrows and spaces are gone (Next », [下一页]); a few sites
# write them in English or in traditional characters.
NEXT_WORDS = frozenset(("下一页", "下页", "后页", "后一页", "下一頁", "下頁", "Next", "next", "NEXT", "NextPage", "Nextpage", "nextpage"))
NEXT_ARROWS = (">", "›", "»", ">>")
# An empty link that a stylesheet draws as the next page's arrow (<a class="down" href="index_3.html"></a>).
_NEXT_CLASS = re.compile(r"(?<![\w-])(?:next|down|next-?page|page-?next|page-?down)(?![\w-])", re.I)
LOAD_MORE = frozenset(("加载更多", "点击加载更多", "查看更多", "更多"))  # a button a page at a time, where it names a URL
# A next button drawn as an image with no alt: its file says so (next.gif, btn_xiayiye.png).
NEXT_IMAGE = re.compile(r"(?:next|xiayi|xyy|page_?down)[^/]*\.(?:gif|png|jpe?g)$", re.I)
NAV_WORDS = frozenset(("上一页", "上页", "前页", "首页", "第一页", "尾页", "末页", "最后一页", "最后页", "上一頁", "上頁", "首頁", "尾頁", "末頁",
                       "Prev", "prev", "Previous", "previous", "PrevPage", "PreviousPage", "First", "first", "FirstPage", "Last", "last", "LastPage"))
_DECORATION = re.compile(r"[\s\[\]【】<>«»‹›←→]")
TOTAL_PAGES = re.compile(r"共\s*(\d+)\s*[页頁]|分\s*(\d+)\s*[页頁]|/\s*(\d+)\s*[页頁]|[页頁]次\s*[:：]?\s*\d+\s*/\s*(\d+)|(?<![\d/-])\d+\s*/\s*(\d+)(?![\d/-])")
CURRENT_PAGE = re.compile(r"当前\s*第?\s*(\d+)\s*[页頁]|第\s*(\d+)\s*[页頁]|[页頁]次\s*[:：]?\s*(\d+)\s*/|(?<![\d/-])(\d+)\s*/\s*\d+(?![\d/-])")
# 共45条, 45条, 共 3页45条, 共 45 篇文章, 共有记录 45 条, 总记录数：45; not 20篇文章/页 or 每页15条.
TOTAL_ENTRIES = re.compile(r"(?<!每页)(?<!每页\s)(\d+)\s*(?:条|篇|项)(?:记录|文章|信息)?(?!\s*/\s*页)|(?:总记录数|记录数|总数|总条数)\s*[:：]?\s*(\d+)")
PAGER_INFO = re.compile(r"共\s*\d+\s*[页頁条篇]|分\s*\d+\s*[页頁]|[页頁]次|\d+\s*条|\d+\s*/\s*\d+")
_BRACKETED_DATE = r"[\[【(（]?\s*(?:" + DATE_RE.pattern + r")\s*[\]】)）]?"
LINKED_DATE = re.compile(rf"^{_BRACKETED_DATE}|{_BRACKETED_DATE.replace('?P<', '?P<end_')}$")
# What else dates a row: a calendar leaf's day over its month, or its month over its day
# (<span>21</span><p>2024-02</p>), and a month and day without their year (01-05, 1月5日); one
# pattern, so that a row's text is scanned once.
_LEAF_DATES = (r"(?P<leaf_day>[0-3]?\d)\s+(?P<leaf_year>(?:19|20)\d\d)\s*[-/.年]\s*(?P<leaf_month>[01]?\d)(?![\d.:/-])",
               r"(?P<year>(?:19|20)\d\d)\s*[-/.年]\s*(?P<month>[01]?\d)\s*月?\s+(?P<day>[0-3]?\d)(?![\d.:/-])")
_YEARLESS_DATE = r"(?P<bare_month>[01]?\d)\s*(?:[-/]|月)\s*(?P<bare_day>[0-3]?\d)(?![\d.:/-])"
_LEAF = re.compile(rf"(?<![\d.:/-])(?:{'|'.join(_LEAF_DATES)})")
_PARTIAL_DATE = re.compile(rf"(?<![\d.:/-])(?:{'|'.join((*_LEAF_DATES, _YEARLESS_DATE))})")
_DIGIT = re.compile(r"\d")
TRUNCATION = re.compile(r"\s*(\.\.+|…+|⋯+|。。+|·{2,})\s*$")  # PbootCMS cuts with ···
# A count some lists show per entry (PowerEasy in the link's title tooltip, Dede in the row):
# read there, it costs the site no view.
LISTED_VIEWS = re.compile(rf"(?:{'|'.join(sorted(VIEW_LABELS, key=len, reverse=True))})\s*[:：】\]]\s*{COUNT}")
SIDE_LIST_HEADINGS = ("最新更新", "最新文章", "最新信息", "阅读排行", "热门文章", "点击排行", "相关文章", "推荐文章",
                      "热点文章", "热门排行", "频道总排行", "本周排行", "相关信息", "相关链接", "友情链接")
# PowerEasy's list tooltip: 文章标题：… / 作    者：… / 更新时间：… / 点击数：…
TOOLTIP_TITLE = re.compile(r"^\s*(?:文章|信息)?标题\s*[:：]\s*([^\r\n]+?)\s*(?:[\r\n]|$)")

# TRS WCM's pager script and the page's own variables it is called with.
TRS_PAGER = re.compile(r"(?<!function\s)\bcreatePageHTML\s*\(([^;\n]*)\)")
PAGE_EXTENSIONS = ("shtml", "html", "htm", "jsp", "php", "asp", "aspx")
# Hanweb jpage.
DATASTORE = re.compile(r"<datastore>(.*?)</datastore>", re.S)
RECORD = re.compile(r"<record>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record>", re.S)
XML_NUMBER = "<{0}>\\s*(\\d+)\\s*</{0}>"
NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S)
JPAGE_CALL = re.compile(r"\.jpage\s*\(\s*\{(.*?)\}\s*\)\s*;", re.S)
JS_PAIR = re.compile(r"""['"]?(\w+)['"]?\s*:\s*(-?\d+|'[^']*'|"[^"]*")""")
AJAX_PARAM = re.compile(r"ajaxParam\s*:\s*\{(.*?)\}", re.S)
HREF = re.compile(r"""href\s*=\s*['"]([^'"]+)['"]""")


@dataclass
class ListEntry:
    title: str
    url: str
    published_at: str | None
    truncated: bool
    view_count: int | None = None
    view_count_approximate: bool | None = None  # rounded (1.2万) or a floor (10万+); None with no count


@dataclass(frozen=True)
class PageRequest:
    """A list page to fetch: a GET, or a POST with its form fields (a pager's form; Hanweb's
    dataproxy.jsp, which the page's script asks, as an XMLHttpRequest: ``by_script``)."""

    url: str
    method: str = "GET"
    form: tuple[tuple[str, str], ...] = ()
    by_script: bool = False

    @property
    def body(self) -> bytes:
        return urlencode(self.form).encode("utf-8") if self.form else b""


@dataclass
class ListPage:
    """``next_requests``: the next page first, then any later ones the page already names
    (a datastore's later groups). ``total_entries``/``total_pages``: what the column says of
    itself. ``unreadable_pager``: a pager the page has but this parser could not follow."""

    url: str
    entries: list[ListEntry] = field(default_factory=list)
    next_requests: list[PageRequest] = field(default_factory=list)
    page: int | None = None
    total_pages: int | None = None
    total_entries: int | None = None
    unreadable_pager: str | None = None
    # The page holds no rows: its script asks for them (a unit of the Zhejiang platform), at next_requests[0].
    rows_by_script: bool = False
    # The page is that script's answer, not a page a reader opens: past the last, it holds no rows.
    script_answer: bool = False

    @property
    def next_url(self) -> str | None:
        return self.next_requests[0].url if self.next_requests else None


class _Texts:
    """Text of elements, read at most ``limit`` characters deep and once per element, the texts of
    the elements in it spaced (a calendar leaf's <span>21</span><p>2024-02</p> is 21 2024-02)."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._cache: dict[etree._Element, str] = {}

    def __call__(self, element: etree._Element) -> str:
        text = self._cache.get(element)
        if text is None:
            text = self._cache[element] = clean_text(_first_characters(element, self.limit + 1, separator=" "))
        return text


def _first_characters(element: etree._Element, count: int, skip: tuple[str, ...] = ("script", "style"), separator: str = "") -> str:
    """The first ``count`` characters of the element's visible text, without reading all of it,
    its elements' texts joined with ``separator``; the template's indentation is not counted."""
    pieces, length = [], 0
    walker = etree.iterwalk(element, events=("start", "end", "comment"))
    for event, node in walker:
        if event == "start":
            if node.tag in skip:
                walker.skip_subtree()  # its "end" still comes, with its tail
                continue
            piece = node.get("value") if node.tag == "input" and node.get("type", "text").lower() in _SHOWN_INPUTS else node.text
        else:
            piece = node.tail if node is not element else None
        if piece:
            pieces.append(piece)
            length += len(piece.strip())
            if length >= count:
                break
    return separator.join(pieces)


# The inputs that show their value: a text box's, a button's (GO); not a hidden one's.
_SHOWN_INPUTS = frozenset(("text", "number", "submit", "button"))


def _row_href(link: etree._Element) -> str | None:
    """Where a row's link goes: its href, or where its click's script goes when the href goes
    nowhere (<a href="javascript:void(0);" onclick="window.open('/art/2022/…html')">), or where
    the page's own function it calls goes (onclick="openArticle('1045')", whose body says
    window.open('/art/' + id + '.html'))."""
    href = clicked_href(link)
    if not leads_nowhere(href):
        return href
    script = click_script(link)
    if not script or CLICKED_LOCATION.search(script):
        return None
    call = _FUNCTION_CALL.match(script.strip())
    if call is None or call[1] in _NO_DESTINATION or len(_label(link)) < TITLE_LENGTH:  # a pager's goPage(2) is no row
        return None
    return _called_url(call, script_texts(link.getroottree().getroot()))


# A call of the page's own function, its arguments quoted or numbers (openArticle('1045', 2)).
_FUNCTION_CALL = re.compile(r"""^(?:javascript:)?\s*([A-Za-z_$][\w$]*)\s*\(((?:\s*(?:'[^'(),]*'|"[^"(),]*"|\d+|this)\s*,?)*)\)"""
                            r"""\s*;?\s*(?:return\s+false\s*;?)?$""", re.I)
_NO_DESTINATION = frozenset(("void", "alert", "print", "close", "history"))


def _argument(piece: str) -> str | int:
    piece = piece.strip()
    if piece == "this":  # the link itself, which no URL is built from
        return ""
    return int(piece) if piece.isdigit() else piece[1:-1]


def _label(link: etree._Element) -> str:
    return clean_text(_first_characters(link, 200))


def _signature(element: etree._Element) -> str:
    return "/".join(ancestor.tag for ancestor in reversed(list(element.iterancestors()))) + "/" + element.tag


# Entries ------------------------------------------------------------------------------


def _row_date(text: str) -> re.Match[str] | None:
    """The date a row's text shows: in full, else as a calendar leaf shows it, else without its year."""
    full = DATE_RE.search(text)
    if full is not None or not _DIGIT.search(text):  # most texts that show no date show no digit: a quick scan
        return full
    return _PARTIAL_DATE.search(text)


def _opens_a_sentence(match: re.Match[str]) -> bool:
    """Whether a date opens a sentence (2023年11月22日，县人大常委会…): a summary's, not the row's."""
    return match.string[match.end():match.end() + 1] in ("，", ",")


def _is_yearless(match: re.Match[str]) -> bool:
    """Whether a row's date shows its month and day alone (a calendar leaf's pattern has no such group)."""
    return match.re is _PARTIAL_DATE and match["bare_month"] is not None


def _row_published(match: re.Match[str] | None, heading_year: str | None = None) -> str | None:
    """ISO date of a row's date; where it shows no year, the year of the list's heading
    (``heading_year``), else None."""
    if match is None:
        return None
    if match.re is DATE_RE:
        return iso_datetime(match)
    year, month, day = ((match["leaf_year"], match["leaf_month"], match["leaf_day"]) if match["leaf_day"]
                        else (heading_year, match["bare_month"], match["bare_day"]) if _is_yearless(match)
                        else (match["year"], match["month"], match["day"]))
    try:
        return date(int(year), int(month), int(day)).isoformat() if year else None
    except ValueError:
        return None


_YEAR_HEADING = re.compile(r"^((?:19|20)\d\d)\s*年?$")


def _year_heading(container: etree._Element, texts: _Texts) -> str | None:
    """The year a list's heading names (a timeline's <h3>2023年</h3><ul>…</ul>): the element before
    the list, or the list's first child."""
    previous = container.getprevious()
    while previous is not None and not isinstance(previous.tag, str):  # a comment
        previous = previous.getprevious()
    for heading in (previous, next(iter(container), None)):
        year = _YEAR_HEADING.match(texts(heading)) if heading is not None and isinstance(heading.tag, str) else None
        if year:
            return year.group(1)
    return None


def _row_of(link: etree._Element, texts: _Texts) -> tuple[etree._Element, re.Match[str]] | None:
    """The row a list's link stands in and the date it shows: the nearest element around the
    link that holds a date; else, in a list with no element a row (<a>…</a> [2022-01-05]<br>,
    <dt><a>…</a></dt><dd>2022-01-05</dd>), the link and what follows it up to the next link or
    line break, or the text just before it (2022-01-05 <a>…</a><br>)."""
    element = link
    summarized = None  # the row whose date is its summary's, unless a calendar leaf around it dates it
    for _ in range(ROW_REACH):
        element = element.getparent()
        if element is None:
            break
        if element.tag in ROW_TAGS:
            text = texts(element)
            if len(text) > ROW_TEXT_LIMIT:
                break
            match = _row_date(text)
            if match:
                if _holds_rows(element):  # a list of rows whose text is short, not a row
                    break
                if not _opens_a_sentence(match):
                    return element, match
                shown = next((later for later in DATE_RE.finditer(text, match.end()) if not _opens_a_sentence(later)), None)
                shown = shown or _LEAF.search(text)
                if shown:
                    return element, shown
                summarized = summarized or (element, match)
    if summarized:
        return summarized
    child = link
    for _ in range(FLAT_ROW_REACH):
        match = _row_date(_run_of(child, texts)) or _row_date(_text_before(child))
        if match:
            # A block that holds the list is no row of it (a 加载更多 link under the list).
            return (child, match) if child is link or not _holds_rows(child) else None
        child = child.getparent()
        if child is None or child.getparent() is None or child.tag not in ROW_TAGS:
            break
    return None


# How far up from a link a row of a flat list may begin (the link, or its <dt> or <h3>), and how
# many elements after it the row may run over.
FLAT_ROW_REACH = 2
FLAT_ROW_SIBLINGS = 3


def _text_before(element: etree._Element) -> str:
    """The text just before an element in its parent, back to the element before it (a date in
    front of its link: 2022-01-05 <a>…</a><br>)."""
    previous = element.getprevious()
    parent = element.getparent()
    return clean_text((previous.tail if previous is not None else parent.text if parent is not None else None) or "")


def _run_of(element: etree._Element, texts: _Texts) -> str:
    """The text of an element and of what follows it in its parent up to the next link or <br>."""
    pieces = [texts(element), element.tail or ""]
    sibling = element.getnext()
    for _ in range(FLAT_ROW_SIBLINGS):
        if sibling is None or not isinstance(sibling.tag, str) or sibling.tag in ("br", "a") or sibling.find(".//a") is not None:
            break
        pieces += [texts(sibling), sibling.tail or ""]
        sibling = sibling.getnext()
    return clean_text(" ".join(pieces))


def _entry(link: etree._Element, match: re.Match[str] | None, base_url: str, href: str) -> ListEntry | None:
    # A link may hold its row's date too (the Zhejiang platform's <span class="bt-data-time">), and
    # a block link its title as a heading beside a calendar leaf and a summary.
    heading = next(link.iter("h1", "h2", "h3", "h4", "h5", "h6"), None)
    text = LINKED_DATE.sub("", _label(heading if heading is not None else link)).strip()
    if heading is None and len(link) >= 2 and DATE_RE.search(text):
        # A block link of a title and a line of its facts (<div class="title">…</div><div class="meta">来源：… 2023-06-15</div>).
        first = next((piece for child in link if isinstance(child.tag, str) and (piece := clean_text(child.text_content()))), "")
        text = first if first and not DATE_RE.search(first) else text
    if text[:1].isdigit() and len(link):
        spaced = clean_text(_first_characters(link, 200, separator=" "))
        leaf = _LEAF.match(spaced)
        text = spaced[leaf.end():].strip() if leaf else text
    title_attribute = (link.get("title") or "").strip()
    tooltip = TOOLTIP_TITLE.search(title_attribute)
    title_attribute = clean_text(tooltip.group(1) if tooltip else title_attribute)
    truncated = bool(TRUNCATION.search(text))
    if truncated and len(link) >= 2:
        # The title twice, whole and cut, one for wide screens and one for phones (PbootCMS's
        # <span class="d-none d-md-inline">…</span><span class="d-inline d-md-none">…...</span>).
        shown = [clean_text(child.text_content()) for child in link if isinstance(child.tag, str)]
        pieces = [TRUNCATION.sub("", piece) for piece in shown]
        whole = max(pieces, key=len)
        if any(piece and piece != whole and whole.startswith(piece) for piece in pieces):
            text, truncated = whole, bool(TRUNCATION.search(shown[pieces.index(whole)]))  # the wide one may be cut too
    title = TRUNCATION.sub("", text).strip(" ·•")
    if title_attribute and len(title_attribute) > len(title) and title_attribute.startswith(title[:4]):
        # The tooltip is the whole title, unless the template cut it too (…情况的 ..).
        title, truncated = TRUNCATION.sub("", title_attribute), bool(TRUNCATION.search(title_attribute))
    url = absolute_url(base_url, href)
    if len(title) < 4 or DATE_RE.fullmatch(title) or url is None or (len(title) <= 6 and _link_kind(link) is not None):  # 最后一页 is no row
        return None
    return ListEntry(title=title, url=url, published_at=_row_published(match), truncated=truncated)


def _leading_back(base_url: str) -> frozenset[str]:
    """The URLs of the list page itself and of the site's home page, where a trail's links lead
    (首页 > 审议意见) and no list row does."""
    parts = urlsplit(base_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    return frozenset((base_url, base_url.partition("#")[0], origin, origin + "/"))


def _listed_views(link: etree._Element, row: etree._Element) -> ViewCount | None:
    """The count a row shows (点击：321), read with its elements' texts apart: a count and a date
    in spans side by side (点击：10</span><span>2022-01-01) are two numbers, not 102022, and
    cleaned as a line is (点&nbsp;&nbsp;击：321); 点击：4.5万 is about 45,000."""
    count = LISTED_VIEWS.search(link.get("title") or "") or LISTED_VIEWS.search(clean_text(" ".join(row.itertext())))
    return written_count(count) if count else None


def _undated_rows(root: etree._Element, base_url: str) -> dict[etree._Element, list[ListEntry]]:
    """The rows of a list that dates none of them: each link of a title's length to the site's own
    pages, in its nearest row element, where ROWS_IN_A_LIST or more share the row's shape (a
    side list's are sorted out as the dated rows' are)."""
    rows: dict[etree._Element, list[ListEntry]] = {}
    host = urlsplit(base_url).netloc
    for link in root.iter("a"):
        href = _row_href(link)
        if href is None or len(_label(link)) < TITLE_LENGTH:
            continue
        entry = _entry(link, None, base_url, href)
        if entry is None or urlsplit(entry.url).netloc != host:  # the site's own pages, not its links to others
            continue
        row = next((ancestor for ancestor in islice(link.iterancestors(), ROW_REACH) if ancestor.tag in ROW_TAGS), link)
        rows.setdefault(row, []).append(entry)
    shapes = defaultdict(int)
    for row in rows:
        shapes[_signature(row)] += 1
    return {row: entries for row, entries in rows.items() if shapes[_signature(row)] >= ROWS_IN_A_LIST}


def _best_entry(candidates: list[ListEntry]) -> ListEntry:
    """A row's entry: its longest title link (a row may also link its category or a picture), not
    one into a part of the page (WordPress's 继续阅读 “…” to #more-602)."""
    return max(candidates, key=lambda entry: ("#" not in entry.url, len(entry.title)))


def _containers(rows: list[etree._Element]) -> list[etree._Element]:
    """The list each row belongs to: the nearest ancestor level that rows share (their ``<ul>``,
    or the cell holding one small table per entry), so that two lists of the same shape are two."""
    for level in range(1, 5):
        ancestors = []
        for row in rows:
            ancestor = row
            for _ in range(level):
                ancestor = ancestor.getparent() if ancestor.getparent() is not None else ancestor
            ancestors.append(ancestor)
        if len(set(ancestors)) < len(rows) or len(rows) == 1:
            return ancestors
    return ancestors


def _same_place(element: etree._Element, other: etree._Element) -> bool:
    """Whether two elements of one shape stand side by side: siblings, or children of siblings alike."""
    if element.tag != other.tag or element.get("class") != other.get("class"):
        return False
    parent, other_parent = element.getparent(), other.getparent()
    if parent is other_parent:
        return True
    return (parent is not None and other_parent is not None and parent.tag == other_parent.tag
            and parent.get("class") == other_parent.get("class") and parent.getparent() is other_parent.getparent())


def _heading_before(container: etree._Element, texts: _Texts) -> str:
    """The text that introduces a list: its container's first characters, or the element before it."""
    candidates = [container, *[a for _, a in zip(range(2), container.iterancestors())]]
    previous = container.getprevious()
    while previous is not None and not isinstance(previous.tag, str):  # a comment, a processing instruction
        previous = previous.getprevious()
    if previous is not None:
        candidates.insert(0, previous)
    return " ".join(texts(candidate)[:40] for candidate in candidates)


def _is_side_list(container: etree._Element, texts: _Texts) -> bool:
    heading = _heading_before(container, texts)
    return any(part.strip().startswith(SIDE_LIST_HEADINGS) for part in heading.split(" ")) or any(
        word in heading[:12] for word in SIDE_LIST_HEADINGS)


def _lca_depth(element: etree._Element, pager_line: dict[etree._Element, int]) -> int:
    """Depth of the nearest ancestor that ``element`` shares with the pager (0: none)."""
    for ancestor in (element, *element.iterancestors()):
        if ancestor in pager_line:
            return pager_line[ancestor]
    return 0


def _entries(root: etree._Element, base_url: str, pager: etree._Element | None, texts: _Texts) -> list[ListEntry]:
    rows: dict[etree._Element, list[ListEntry]] = {}
    yearless: dict[etree._Element, re.Match[str]] = {}  # the rows dated by month and day alone
    back = _leading_back(base_url)
    for link in root.iter("a"):
        href = _row_href(link)
        if href is None:
            continue
        found = _row_of(link, texts)
        if not found:
            continue
        row, match = found
        entry = _entry(link, match, base_url, href)
        if entry and entry.url not in back:
            entry.view_count, entry.view_count_approximate = _listed_views(link, row) or (None, None)
            rows.setdefault(row, []).append(entry)
            if _is_yearless(match):
                yearless[row] = match
    if not rows:
        rows = _undated_rows(root, base_url)
    if not rows:
        return []
    # A "row" whose links are no title's and that holds a titled row is the block of a short list
    # (two rows, too few to tell a list by): a trail's 网站首页 > 审议意见 above it reached up to the
    # first row's date.
    untitled = {row for row, entries in rows.items() if all(len(entry.title) < TITLE_LENGTH for entry in entries)}
    blocks = {above for row in rows if row not in untitled for above in islice(row.iterancestors(), ROW_REACH)
              if above in untitled} if untitled else set()
    # A row inside another is a part of that entry (its line of facts: 所属栏目：<a>审议意见</a> 更新日期：…).
    rows = {row: entries for row, entries in rows.items()
            if row not in blocks and not any(above in rows and above not in blocks for above in islice(row.iterancestors(), ROW_REACH))}
    by_signature: dict[str, list[etree._Element]] = defaultdict(list)
    for row in rows:
        by_signature[_signature(row)].append(row)
    groups: dict[etree._Element, list[etree._Element]] = {}
    for members in by_signature.values():
        for row, container in zip(members, _containers(members)):
            groups.setdefault(container, []).append(row)
    main = {container: members for container, members in groups.items() if not _is_side_list(container, texts)}
    groups = main or groups
    pager_line = {}
    if pager is not None:
        chain = [pager, *pager.iterancestors()]
        pager_line = {ancestor: len(chain) - index for index, ancestor in enumerate(chain)}

    parts = urlsplit(base_url)
    folder = parts.path.rpartition("/")[0] + "/"
    in_folder_url = f"{parts.scheme}://{parts.netloc}{folder}"

    def in_folder(members: list[etree._Element]) -> bool:
        return any(entry.url.startswith(in_folder_url) for row in members for entry in rows[row])

    def closeness(item: tuple[etree._Element, list[etree._Element]]) -> tuple[int, bool, int]:
        # The column's own list shares a container with its pager; side lists sit further away.
        # As near, a list of the column's folder (TRS's /shyj/202211/…) beats a longer box of
        # another column's (../gzdt/…) beside a last page of one row.
        container, members = item
        return (_lca_depth(container, pager_line), folder != "/" and in_folder(members), len(members))

    container, best = max(groups.items(), key=closeness)
    # One list split in lists of one shape side by side: a timeline's under its years (<h3>2023年</h3>
    # <ul>…</ul><h3>2022年</h3><ul>…</ul>, each perhaps in a block of its own), or two halves of a long list.
    split = [other for other in groups if _same_place(other, container)]
    if len(split) > 1:
        order = {element: index for index, element in enumerate(root.iter())}
        best = [row for part in sorted(split, key=order.__getitem__) for row in groups[part]]
    for part in split if yearless else ():
        year = _year_heading(part, texts)
        for row in groups[part] if year else ():
            if row in yearless:
                published = _row_published(yearless[row], year)
                for entry in rows[row]:
                    entry.published_at = published
    seen: set[str] = set()
    entries = []
    for row in best:
        entry = _best_entry(rows[row])
        if entry.url not in seen:
            seen.add(entry.url)
            entries.append(entry)
    return entries


# The pager ----------------------------------------------------------------------------


def _link_kind(link: etree._Element) -> str | None:
    text = _label(link)
    labels = [text, link.get("title") or ""] + [image.get("alt") or "" for image in link.iter("img")]
    words = [_DECORATION.sub("", label) for label in labels if label]
    if any(word in NEXT_WORDS for word in words) or text in NEXT_ARROWS or (not text and not len(link) and _NEXT_CLASS.search(link.get("class") or "")) \
            or (not text and any(NEXT_IMAGE.search(image.get("src") or "") for image in link.iter("img"))) \
            or link.get("data-next") or (any(word in LOAD_MORE for word in words) and any(link.get(name) for name in _URL_ATTRIBUTES)):
        # a 加载更多/查看更多 that names the next page for its script
        return "next"
    if any(word in NAV_WORDS for word in words):
        return "nav"
    if text.strip("[]").isdigit():
        return "number"
    return None


def _pager_element(root: etree._Element) -> tuple[etree._Element | None, list[etree._Element]]:
    """The element that holds the pager (its links and its info text), and its next links.
    Found from the pager's links or, on a page without them, from its info text."""
    next_links, nav_links, numbers = [], [], []
    for link in root.iter("a"):
        kind = _link_kind(link)
        if kind == "next":
            next_links.append(link)
        elif kind == "nav":
            nav_links.append(link)
        elif kind == "number":
            numbers.append(link)
    seeds = next_links or nav_links
    if len(numbers) >= 2:
        # A last page's pager may show numbers only, the menu's 首页 the one nav link on the page (Discuz).
        seeds = seeds[:PAGER_SEEDS - 1] + numbers[:1] if seeds else numbers
    # The menu's 首页 comes before the pager's on most pages, and the smallest element that holds
    # a seed and the pager's info is the pager: each seed is tried, up to PAGER_SEEDS.
    found: tuple[int, etree._Element] | None = None
    first_smallest = None
    infos: dict[etree._Element, str] = {}  # the seeds share their ancestors
    if seeds:
        for seed in seeds[:PAGER_SEEDS]:
            smallest = None
            for ancestor in islice(seed.iterancestors(), PAGER_REACH):
                info = infos.get(ancestor)
                if info is None:
                    info = infos[ancestor] = _info_text(ancestor)
                if len(info) >= PAGER_TEXT_LIMIT or _holds_rows(ancestor):
                    break
                if smallest is None and (sum(1 for link in ancestor.iter("a") if _link_kind(link)) >= 2):
                    smallest = ancestor
                if PAGER_INFO.search(info):
                    if found is None or len(info) < found[0]:
                        found = (len(info), ancestor)
                    break
            first_smallest = first_smallest if first_smallest is not None else smallest
    if found is not None:
        return found[1], next_links
    holder = _info_holder(root)
    if holder is not None:
        return holder, next_links
    # A page-jump <select> with no pager link beside it (onchange="window.location=this.value").
    jump = next((select for select in root.iter("select") if "location" in (select.get("onchange") or "")), None)
    if jump is not None and jump.getparent() is not None:
        return jump.getparent(), next_links
    if seeds:
        return (first_smallest if first_smallest is not None else seeds[0].getparent()), next_links
    return None, []


# A pager a script decodes (window.atob) into its holder: its HTML, URL-encoded, in base64.
_BASE64 = re.compile(r"[A-Za-z0-9+/]{16,}={0,2}")


def _encoded_pager(root: etree._Element, scripts: list[str]) -> tuple[etree._Element | None, list[etree._Element]]:
    """The pager, and its next links, that a script writes from an element's base64 text, as
    Yunnan's 集约化 template does (<div id="pages">JTNDYSUyMGhyZWYlM0Q…</div> and window.atob)."""
    if not any("atob" in script for script in scripts):
        return None, []
    for element in root.iter():
        if not isinstance(element.tag, str) or len(element) or element.tag in ("script", "style"):
            continue
        text = "".join((element.text or "").split())
        if not _BASE64.fullmatch(text):
            continue
        try:
            written = unquote_plus(base64.b64decode(text, validate=True).decode("utf-8"))
        except (ValueError, UnicodeError):
            continue
        if "<a" in written:
            return _pager_element(parse_html(f"<html><body><div>{written}</div></body></html>"))
    return None, []


def _info_holder(root: etree._Element) -> etree._Element | None:
    """The element whose own text is a pager's info (共3页, 共45条 1/3页, 共 60 条), on a page whose
    pager links say nothing of it."""
    for element in root.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "option", "title"):
            continue
        # lxml makes a new string at each read of .text: which piece it is goes with it, not by identity.
        for piece, holder in ((element.text, element), (element.tail, element.getparent())):
            if piece and len(piece) < 200 and ("页" in piece or "条" in piece) and PAGER_INFO.search(piece):
                info = _info_text(holder) if holder is not None else ""
                if len(info) < PAGER_TEXT_LIMIT and (TOTAL_PAGES.search(info) or TOTAL_ENTRIES.search(info)):
                    return holder  # 共3页, or 共60条 alone: a column's count, which a walk that ends short is checked by
    return None


# A pager holds no list: an element with this many links of a title's length holds the rows.
ROWS_IN_A_LIST = 3
TITLE_LENGTH = 8


def _holds_rows(element: etree._Element) -> bool:
    """Whether an element holds a list's rows (links of a title's length), as a pager does not: the
    climb from the menu's 首页 stops below the <body> of a short page, which holds the info too."""
    links = list(element.iter("a"))
    if len(links) < ROWS_IN_A_LIST:  # a row's own link or two: no labels to read
        return False
    targets = set()  # links to one page are one row's (WordPress: its date, its title, 继续阅读 to #more-602)
    for link in links:
        if len(_label(link)) >= TITLE_LENGTH and _link_kind(link) is None:
            targets.add((_row_href(link) or "").partition("#")[0])
            if len(targets) >= ROWS_IN_A_LIST:
                return True
    return False


def _info_text(pager: etree._Element) -> str:
    """The pager's text as a reader sees it, without a page-jump ``<select>``'s options (第1页 第2页
    … are no info): its items spaced, as a pager's style sets them apart (Discuz's
    ``<strong>1</strong><a>2</a>``, 1 2, not 12), and a page-jump box's number in it (``<input
    value="1"> / 3 页``)."""
    return clean_text(_first_characters(pager, PAGER_TEXT_LIMIT, skip=("script", "style", "select", "option"), separator=" "))


def _first_group(match: re.Match[str] | None) -> int | None:
    return int(next(g for g in match.groups() if g)) if match else None


def _page_numbers(pager: etree._Element) -> tuple[int | None, int | None, int | None]:
    """(current page, total pages, total entries) as the pager shows them."""
    text = _info_text(pager)
    page = _first_group(CURRENT_PAGE.search(text)) or _unlinked_number(pager)
    total_pages = _first_group(TOTAL_PAGES.search(text))
    entries = TOTAL_ENTRIES.search(text)
    return page, total_pages, _first_group(entries)


def _unlinked_number(pager: etree._Element) -> int | None:
    """The current page in a row of page numbers: the one number that is not a link, in an
    element of its own (``<b>2</b>``) or as bare text after a link (``<a>1</a> 2 <a>3</a>``),
    and not a count of the pager's info, which a word follows (``共 <b>3</b>页<b>45</b>条``) or
    which is past the linked numbers (EmpireCMS's total, ``<a title="Total record"><b>42</b></a>``,
    before ``<b>1</b> <a>2</a> <a>3</a>``)."""
    pieces = [piece for piece in _pieces(pager) if piece[0].strip()]
    linked_numbers = [int(number) for text, linked in pieces if linked and (number := text.strip().strip("[]")).isdigit()]
    highest = max(linked_numbers) + 1 if linked_numbers else None
    for index, (text, linked) in enumerate(pieces):
        number = text.strip().strip("[]")
        if not linked and number.isdigit() and (highest is None or int(number) <= highest):
            following = pieces[index + 1][0].strip() if index + 1 < len(pieces) else ""
            if not following.startswith(("页", "条", "篇", "项", "/")):
                return int(number)
    return None


def _linked_to_itself(pager: etree._Element, base_url: str, url: str) -> int | None:
    """The current page as a number that links to the page itself (PbootCMS's page-num-current),
    or as the one number link whose class says it is the current one (JEECMS's currPageClass,
    whose every number goes by script, href="#")."""
    for link in pager.iter("a"):
        number = _label(link).strip("[]")
        if number.isdigit() and not leads_nowhere(link.get("href")) and absolute_url(base_url, link.get("href")) == url:
            return int(number)  # (href="#" is every number's where a script goes: none is the page itself)
    current = [number for link in pager.iter("a") if (number := _label(link).strip("[]")).isdigit()
               and _CURRENT_CLASS.search(link.get("class") or "")]
    return int(current[0]) if len(current) == 1 else None


# A class that names the current page: currPageClass, page-num-current, cur, active, thisclass.
_CURRENT_CLASS = re.compile(r"[Cc]ur(?:r|rent)?(?![a-z])|[Aa]ctive(?![a-z])|thisclass|[Ss]elected(?![a-z])")


def _pieces(element: etree._Element, linked: bool = False) -> Iterator[tuple[str, bool]]:
    """The element's pieces of text in document order, each with whether a link holds it (an
    ``<a>`` with no href, the current page's on many pagers, is none); a page-jump <select>'s
    and a script's text left out."""
    if element.text:
        yield element.text, linked
    for child in element:
        if isinstance(child.tag, str) and child.tag not in ("option", "select", "script", "style"):
            yield from _pieces(child, linked or (child.tag == "a" and child.get("href") is not None))  # <a>2</a> links nowhere
        if child.tail:
            yield child.tail, linked


def _next_request(pager: etree._Element | None, next_links: list[etree._Element], base_url: str,
                  page: int | None, scripts: list[str]) -> tuple[PageRequest | None, str | None]:
    """(The request of the next page, or the reason it cannot be made)."""
    for link in next_links:
        href = link.get("href")
        if not leads_nowhere(href):
            return _get(base_url, href), None
    for link in next_links:
        going = _clicked_destination(link, base_url, scripts)
        if going:
            return going, None
    # A 下一页 that is no link: a <span onclick="location.href='index_3.html'">.
    scope = pager.getparent() if pager is not None and pager.getparent() is not None else pager  # the info may be apart
    for element in scope.iter("span", "button", "li", "div", "em", "font", "input") if scope is not None and not next_links else ():
        shown = element.get("value") or "" if element.tag == "input" else element.text_content()  # <input type=button value=下一页>
        if element.get("onclick") and _DECORATION.sub("", clean_text(shown)) in NEXT_WORDS:
            going = _going_to(element.get("onclick"), base_url)
            if going:
                return going, None
    scope_links = list(pager.iter("a")) if pager is not None else []
    if page is not None:
        for link in scope_links:
            if _label(link) in (str(page + 1), f"[{page + 1}]"):
                going = _get(base_url, link.get("href")) if not leads_nowhere(link.get("href")) else _clicked_destination(link, base_url, scripts)
                if going:
                    return going, None
    for select in scope.iter("select") if scope is not None else ():  # beside the page's info, or in it
        options = select.findall(".//option")
        for index, option in enumerate(options):
            if option.get("selected") is not None and index + 1 < len(options):
                value = options[index + 1].get("value")
                if not leads_nowhere(value) and not value.strip().isdigit():
                    return _get(base_url, value), None
                # A page's number, joined by the script that goes there (location.href='list_'+this.value+'.html').
                going = _GOING_TO.search(_SELECTED_VALUE.sub("this.value", select.get("onchange") or ""))
                joined = url_of(going[1], {"this.value": value.strip()}) if going and value and value.strip().isdigit() else None
                if joined:
                    return _get(base_url, joined), None
    for link in next_links:  # a script that sends the pager's form: goPage(2), ASP.NET's __doPostBack('AspNetPager1','2')
        form = next(link.iterancestors("form"), None)
        if form is None and pager is not None:
            form = next(pager.iter("form"), None)
        script = click_script(link)
        postback = _POSTBACK.search(script) if form is not None else None
        call = _PAGE_CALL.search(script) if form is not None and postback is None else None
        request = (_form_request(form, base_url, {"__EVENTTARGET": postback[1], "__EVENTARGUMENT": postback[2]}) if postback
                   else _form_request(form, base_url, page_number=call[2]) if call else None)
        if request is not None:
            return request, None
    scripted = [link.get("href") or link.get("onclick") or "" for link in next_links]
    if any(scripted) and page is not None and all(_does_nothing(link) for link in next_links) \
            and not any((number := _label(link).strip("[]")).isdigit() and int(number) > page for link in scope_links):
        return None, None  # the last page's 下一页, disabled (PbootCMS: href="javascript:;"), no later page linked
    if any(scripted):
        return None, f"its 下一页 is a script ({scripted[0][:80]})"
    return None, None


def _does_nothing(link: etree._Element) -> bool:
    """A link that goes nowhere when clicked: href="javascript:;", "javascript:void(0)", "#", no onclick."""
    href = re.sub(r"\s+", "", (link.get("href") or "").lower())
    return not link.get("onclick") and href in ("", "#", "javascript:", "javascript:;", "javascript:void(0)", "javascript:void(0);")


# Where a link keeps the URL its script goes to.
_URL_ATTRIBUTES = ("data-href", "data-url", "data-next", "data-link", "next-url", "data-next-url")
_POSTBACK = re.compile(r"""__doPostBack\(\s*'([^']*)'\s*,\s*'([^']*)'\s*\)""")
_PAGE_CALL = re.compile(r"""^(?:javascript:)?\s*([\w.$]+)\s*\(\s*['"]?(\d+)['"]?\s*\)\s*;?\s*(?:return\s+false\s*;?)?$""", re.I)
# The field of a pager's form that says which page to show (Linewell: <input type="hidden" name="page">).
_PAGE_FIELD = re.compile(r"^(?:page|pageno|pagenum|pagenumber|pageindex|curpage|currentpage|cpage|p)$", re.I)


def _clicked_destination(link: etree._Element, base_url: str, scripts: list[str]) -> PageRequest | None:
    """Where a link whose href goes nowhere goes when clicked: where its click's script goes
    (JEECMS: onclick="location.href=encodeURI('/…/index_2.jhtml')"), the URL it keeps for the
    script (<a href="#" data-href="index_3.html">), or where the page's own function it calls
    goes (turnPage(3), goPage('index_3.html'))."""
    going = _going_to(click_script(link), base_url)
    if going:
        return going
    target = _url_for_script(link) or _called_page(click_script(link), scripts)
    return _get(base_url, target) if target else None


def _url_for_script(element: etree._Element) -> str | None:
    """The URL an element keeps for its script to go to (data-href, next-url)."""
    return next((element.get(name) for name in _URL_ATTRIBUTES if not leads_nowhere(element.get(name))), None)


def _called_page(script: str, scripts: list[str]) -> str | None:
    """The URL a call of the page's own function goes to: with a page's number (turnPage(3), whose
    body says location.href = p == 1 ? 'index.html' : 'index_' + p + '.html'), or with the page's
    URL (goPage('index_3.html'), whose body says location.href = url)."""
    call = _PAGE_CALL.match(script)
    if call is not None:
        function = function_body(scripts, call[1])
        if function is None or not function[0]:
            return None
        return destination_of_page(function[1], script_variables(scripts), function[0][:1], int(call[2]))
    call = _FUNCTION_CALL.match(script.strip())
    return _called_url(call, scripts) if call and call[1] not in _NO_DESTINATION else None


# A page's address, as a call's argument names it ('/xxgk/list-2.shtml', 'index_3.html').
_PAGE_ARGUMENT = re.compile(r"""^\s*['"]([^'"\s]+\.(?:s?html?|jhtml|jsp|aspx?|php))['"]\s*$""", re.I)


def _called_url(call: re.Match[str], scripts: list[str]) -> str | None:
    """Where the page's own function that ``call`` (a _FUNCTION_CALL) calls goes, its parameters
    given the call's arguments; for a function the page does not hold (a script file's), the one
    page address its arguments name (慧点's queryArticleByCondition(this,'…/list-2.shtml'))."""
    function = function_body(scripts, call[1])
    if function is None:
        pages = [found[1] for piece in call[2].split(",") if (found := _PAGE_ARGUMENT.match(piece))]
        return pages[0] if len(pages) == 1 else None
    arguments = [_argument(piece) for piece in call[2].split(",")] if call[2].strip() else []
    names = {**script_variables(scripts), **dict(zip(function[0], arguments))}
    return next((url for url in destinations(function[1], names) if not leads_nowhere(url)), None)


def _get(base_url: str, href: str) -> PageRequest | None:
    url = absolute_url(base_url, href)
    return PageRequest(url) if url else None


def _going_to(script: str, base_url: str) -> PageRequest | None:
    """The page a click's script goes to (location.href='…', window.open('…'))."""
    going = CLICKED_LOCATION.search(script)
    return _get(base_url, going.group(2)) if going and not leads_nowhere(going.group(2)) else None


def _form_request(form: etree._Element, base_url: str, values: dict[str, str] | None = None,
                  page_number: str | None = None) -> PageRequest | None:
    """The request a pager's form sends: its fields as they are but for ``values`` and, for
    ``page_number``, the field of the page (a hidden one if there is, as a script sets it, else
    the box a reader types in); None for a page number and no field to put it in."""
    values = dict(values or {})
    inputs = [field for field in form.iter("input") if field.get("name")
              and (field.get("type") or "text").lower() in ("hidden", "text", "number")]
    if page_number is not None:
        pages = [field for field in inputs if _PAGE_FIELD.match(field.get("name"))]
        hidden = [field for field in pages if (field.get("type") or "").lower() == "hidden"]
        if not (hidden or pages):
            return None
        values[(hidden or pages)[0].get("name")] = page_number
    fields = [(field.get("name"), values.pop(field.get("name"), field.get("value") or "")) for field in inputs]
    for select in form.iter("select"):  # as a browser sends them: the chosen option's value
        options = select.findall(".//option")
        chosen = next((option for option in options if option.get("selected") is not None), options[0] if options else None)
        if select.get("name") and chosen is not None:
            fields.append((select.get("name"), chosen.get("value", chosen.text_content().strip())))
    fields = tuple(fields + list(values.items()))
    action = absolute_url(base_url, form.get("action") or base_url)
    if action is None:
        return None
    if (form.get("method") or "get").lower() == "post":
        return PageRequest(action, "POST", fields)
    separator = "&" if urlsplit(action).query else "?"
    return PageRequest(f"{action.split('#')[0]}{separator}{urlencode(fields)}")


# TRS WCM's script pager -------------------------------------------------------------


def trs_pager(scripts: list[str], url: str) -> tuple[int | None, int | None, str | None, str | None] | None:
    """(page, total pages, next URL, reason it cannot be read) from ``createPageHTML(…)``, the
    page count and the 0-based current index as literals or as the page's own ``var``s."""
    call = next((match for script in scripts for match in TRS_PAGER.finditer(script)), None)
    if call is None:
        return None
    names = script_variables(scripts)
    values = [_whole(value) if isinstance(value := evaluate(raw, names), str) and value.isdigit() else value
              for raw in call.group(1).split(",")]
    strings = [i for i, v in enumerate(values) if isinstance(v, str)]
    extension = next((i for i in strings if str(values[i]).lower() in PAGE_EXTENSIONS), None)
    if extension is None or extension == 0 or not isinstance(values[extension - 1], str):
        return None, None, None, f"its script pager {call.group(0)[:80]} could not be read"
    numbers = values[:extension - 1]
    if len(numbers) < 2 or not all(isinstance(n, int) for n in numbers[-2:]):
        return None, None, None, f"its script pager {call.group(0)[:80]} could not be read"
    count, index = numbers[-2], numbers[-1]
    name, ext = values[extension - 1], values[extension]
    following = absolute_url(url, f"{name}_{index + 1}.{ext}") if index + 1 < count else None
    return index + 1, count, following, None


# Pager widgets that a script draws in an empty element from a call's options, each with its own
# names for them: the page count (or the count of entries and the page size), the current page,
# the element, and a callback that goes to the page it is given; kkpager joins its page's URL by
# getLink, which by default is hrefFormer + '_' + n + hrefLatter.
_FIRST_ARGUMENT = ""  # the key of a call's argument before its options


@dataclass(frozen=True)
class _Widget:
    pages: tuple[str, ...]  # the options that give the page count
    page: tuple[str, ...]  # the options that give the current page
    element: tuple[str, ...]  # the options that name the element it draws in
    number: str  # how the callback's parameter names the page it goes to
    count: tuple[str, str] | None = None  # the options of the count of entries and the page size
    link: str | None = None  # the page's URL where no callback joins it
    template: str | None = None  # the option of the pages' URL, ``placeholder`` standing for the page's
    placeholder: str = "{{number}}"
    getter: str | None = None  # how the callback's parameter gives the page otherwise
    parameter: int = 0  # which of the callback's parameters is the page
    zero_based: bool = False  # pages counted from 0, in its options and in its URLs


WIDGETS = {
    # Layui's laypage (cont before 2.0): jump: function(obj, first) { location.href = 'list_' + obj.curr + '.html'; }
    "laypage": _Widget(pages=("pages",), page=("curr",), element=("elem", "cont"), number="{}.curr", count=("count", "limit")),
    "kkpager": _Widget(pages=("total",), page=("pno",), element=("pagerid",), number="{}",
                       link="this.hrefFormer + '_' + n + this.hrefLatter"),
    # jqPaginator: $.jqPaginator('#p', {totalPages: 6, currentPage: 2, onPageChange: function (num, type) {…}})
    "jqPaginator": _Widget(pages=("totalPages",), page=("currentPage",), element=(), number="{}"),
    # twbsPagination: $('#p').twbsPagination({totalPages: 5, startPage: 2, href: '?page={{number}}'})
    "twbsPagination": _Widget(pages=("totalPages",), page=("startPage",), element=(), number="{}", template="href", parameter=1),
    # bootstrap-paginator: $('#p').bootstrapPaginator({currentPage: 2, totalPages: 7, pageUrl: function (type, page, current) {…}})
    "bootstrapPaginator": _Widget(pages=("totalPages",), page=("currentPage",), element=(), number="{}", parameter=1),
    # jQuery's pagination plugins: $(".pagination").pagination({totalPage: 54, callBack: function (currPage) {…}})
    # Mricle's: $('.M-box').pagination({pageCount: 8, current: 3, callback: function (api) {… api.getCurrent() …}});
    # simplePagination's: $('#p').pagination({items: 96, itemsOnPage: 16, currentPage: 2, hrefTextPrefix: '?page='})
    "pagination": _Widget(pages=("totalPage", "totalPages", "pageCount", "pages"), page=("current", "currentPage", "currPage", "pageNo"),
                          element=(), number="{}", getter="{}.getCurrent()", count=("items", "itemsOnPage"),
                          link="this.hrefTextPrefix + n + this.hrefTextSuffix"),
    # The first jquery.pagination (Gabriel Birke's), the count of entries its first argument:
    # $('#p').pagination(88, {items_per_page: 15, current_page: 1, link_to: '?page=__id__'}), pages from 0.
    "jquery.pagination": _Widget(pages=(), page=("current_page",), element=(), number="{}", count=(_FIRST_ARGUMENT, "items_per_page"),
                                 template="link_to", placeholder="__id__", zero_based=True),
}
WIDGET_PAGER = re.compile(r"\b(?P<laypage>laypage(?:\.render)?)\s*\(|\b(?P<kkpager>kkpager\.(?:generPageHtml|init))\s*\("
                          r"|\.(?P<pagination>pagination)\s*\((?=\s*(?:\{|[A-Za-z_$][\w$]*\s*\)))"
                          r"|\.(?P<legacy_pagination>pagination)\s*\((?=[^{};'\"]*,\s*\{)"
                          r"|\$\.(?P<jqPaginator>jqPaginator)\s*\(\s*['\"][^'\"]*['\"]\s*,"
                          r"|\.(?P<twbsPagination>twbsPagination)\s*\(|\.(?P<bootstrapPaginator>bootstrapPaginator)\s*\(")
_WIDGET_OF_GROUP = {"legacy_pagination": "jquery.pagination"}
_CALLBACKS = ("jump", "getLink", "callBack", "callback", "onPageChange", "onPageClick", "pageUrl")
_FUNCTION = re.compile(r"^function\s*\w*\s*\(([^)]*)\)")
_GOING_TO = re.compile(r"(?:location(?:\.href)?\s*=|\breturn\b)\s*([^;}\n]+)")
# The chosen option's value as PowerEasy's jump menu names it: this.value said longhand.
_SELECTED_VALUE = re.compile(r"this\.options\s*\[\s*this\.selectedIndex\s*\]\s*\.value")
_SET_PAGE = re.compile(r"""\.pagination\(\s*['"]setPage['"]\s*,\s*(\d+)""")  # $(".pagination").pagination("setPage", 1, 54)


def _call_options(script: str, scripts: list[str], start: int) -> dict[str, str] | None:
    """The options of the widget's call whose arguments begin at ``start``: the object it is given,
    or the one a ``var`` of the page holds (``.bootstrapPaginator(options)``), and a first argument
    before the object under ``_FIRST_ARGUMENT`` (jquery.pagination's count)."""
    rest = script[start:].lstrip()
    if rest.startswith("{"):
        block = block_after(script, start)
        return object_entries(block) if block is not None else None
    first = until(script, start, ",")
    after = start + len(first)
    if script[after:after + 1] == ",":
        block = block_after(script, after)
        return {**object_entries(block), _FIRST_ARGUMENT: first.strip()} if block is not None else None
    held = re.compile(rf"\b(?:var|let|const)?\s*{re.escape(first.strip())}\s*=\s*\{{")
    for other in scripts:
        found = held.search(other)
        if found:
            block = block_after(other, found.end() - 1)
            return object_entries(block) if block is not None else None
    return None


def _widget_pager(scripts: list[str], url: str, field: Callable[[str], str | None]
                  ) -> tuple[str | None, tuple[int | None, int | None, str | None, str | None]] | None:
    """(The pager's element id, (page, total pages, next URL, reason it cannot be read)) from a
    pager widget's call, its options' values as the page's scripts and form fields give them."""
    script, call = next(((script, match) for script in scripts for match in WIDGET_PAGER.finditer(script)), (None, None))
    if call is None:
        return None
    name = _WIDGET_OF_GROUP.get(call.lastgroup, call.lastgroup)  # type: ignore[arg-type]
    widget = WIDGETS[name]
    options = _call_options(script, scripts, call.end()) or {}
    names = script_variables(scripts, field)
    values = {option: value for option, expression in options.items() if not expression.startswith("function")
              and (value := evaluate(expression, names, field)) is not None}
    numbers = {option: int(value) for option, value in values.items() if isinstance(value, int) or value.isdigit()}
    element = next((str(values[option]).lstrip("#") for option in widget.element if values.get(option)), None)
    total = next((numbers[option] for option in widget.pages if numbers.get(option)), None)
    if total is None and widget.count and numbers.get(widget.count[0]):
        total = -(-numbers[widget.count[0]] // numbers.get(widget.count[1], 10))
    set_page = _SET_PAGE.search(script)
    page = next((numbers[option] for option in widget.page if option in numbers), int(set_page[1]) if set_page else int(not widget.zero_based))
    page += widget.zero_based
    if total is None:
        shown = ", ".join(f"{option}: {expression}" for option, expression in options.items())
        return element, (None, None, None, f"its {name} pager {{{shown[:80]}}} shows no count it could be read by")
    if page >= total:
        return element, (page, total, None, None)
    number = page if widget.zero_based else page + 1
    this = {"this.hrefFormer": "", "this.hrefLatter": "", "this.hrefTextSuffix": "",
            # without hrefTextPrefix, simplePagination's links go to #page-N, in the page itself: no URL then
            **{f"this.{option}": value for option, value in values.items() if isinstance(value, str)}}
    callback = next((options[option] for option in _CALLBACKS if _FUNCTION.match(options.get(option, ""))), None)
    if callback is not None:
        parameters = [parameter.strip() for parameter in _FUNCTION.match(callback)[1].split(",")]
        parameter = parameters[widget.parameter] if widget.parameter < len(parameters) else "n"
        keys = {widget.number.format(parameter), (widget.getter or widget.number).format(parameter)}
        following = destination_of_page(block_after(callback, 0) or "", {**names, **this}, keys, number, field)
    else:
        following = url_of(widget.link, {**this, "n": number}) if widget.link else None
    if values.get("mode") == "click":  # kkpager's pages loaded by its click callback
        following = None
    template = str(values.get(widget.template or "", ""))
    if widget.placeholder in template:
        following = template.replace(widget.placeholder, str(number))
    if not following or str(number) not in following:
        return element, (page, total, None, f"its {name} pager loads the next page by script, not at a URL")
    return element, (page, total, absolute_url(url, following), None)


# A pager widget of a name this parser does not know (jquery.page's createPage, zPager, a site's
# own): a call given an object of a page count (or a count of entries and a page size), the
# current page and a function of the page that goes to the page's URL.
ANY_WIDGET_CALL = re.compile(r"""[\w$.]+\s*\(\s*(?:['"][^'"]*['"]\s*,\s*)?(?=\{)""")
WIDGET_CALLS_READ = 20  # of a page's calls given an object, how many are read as a widget's
PAGE_COUNT_OPTIONS = ("pageCount", "pagecount", "totalPages", "totalPage", "totalpage", "totalpages", "pageTotal", "pages",
                      "maxPage", "total_pages", "allPage", "countPage")
ENTRY_COUNT_OPTIONS = ("totalData", "count", "total", "totalNumber", "totalRecords", "totalRecord", "totalCount", "records", "items")
PAGE_SIZE_OPTIONS = ("pageData", "limit", "pageSize", "pagesize", "perPage", "itemsOnPage", "size", "rows")
CURRENT_PAGE_OPTIONS = ("current", "currentPage", "curr", "pageNo", "pageIndex", "curPage", "nowPage", "pno", "page", "pageNum",
                        "currPage", "startPage", "pageNumber", "cur")


def _any_widget(scripts: list[str], url: str, field: Callable[[str], str | None]) -> tuple[int, int, str | None] | None:
    """(Page, total pages, next URL) of a widget's call whose options say the pages and name a
    function of the page that goes to its URL."""
    names: dict | None = None
    for script in scripts:
        for call in islice(ANY_WIDGET_CALL.finditer(script), WIDGET_CALLS_READ):
            options = object_entries(block_after(script, call.end()) or "")
            functions = [found for expression in options.values() if (found := _function_of(expression, scripts))]
            if not functions:
                continue
            names = script_variables(scripts, field) if names is None else names
            numbers = {option: number for option, expression in options.items()
                       if (number := _whole(evaluate(expression, names, field))) is not None}
            total = next((numbers[option] for option in PAGE_COUNT_OPTIONS if numbers.get(option)), None)
            entries = next((numbers[option] for option in ENTRY_COUNT_OPTIONS if numbers.get(option)), None)
            size = next((numbers[option] for option in PAGE_SIZE_OPTIONS if numbers.get(option)), None)
            total = total or (-(-entries // size) if entries and size else None)
            if total is None:
                continue
            page = next((numbers[option] for option in CURRENT_PAGE_OPTIONS if option in numbers), 1)
            if page >= total:
                return page, total, None
            for parameters, body in functions:
                following = next((found for parameter in parameters
                                  if (found := destination_of_page(body, names, [parameter], page + 1, field))), None)
                if following:
                    return page, total, absolute_url(url, following)
    return None


def _function_of(expression: str, scripts: list[str]) -> tuple[list[str], str] | None:
    """(Parameters, body) of the function an option's value is, written there or named (backFn: goPage)."""
    written = _FUNCTION.match(expression)
    if written:
        body = block_after(expression, written.end())
        return ([parameter.strip() for parameter in written[1].split(",") if parameter.strip()], body) if body is not None else None
    return function_body(scripts, expression) if re.fullmatch(r"[A-Za-z_$][\w$]*", expression) else None


_TRS_FILE = re.compile(r"/(?P<name>[A-Za-z]\w*?)(?:_(?P<index>\d+))?\.(?P<ext>s?html?)$")


def _trs_file_after(url: str, index: int) -> str | None:
    """The file of the page after the one of 0-based ``index``, as TRS names its list pages (index.html,
    index_1.html, …), where the page's own URL is named so for that index."""
    named = _TRS_FILE.search(urlsplit(url).path)
    if named is None or int(named["index"] or 0) != index:
        return None
    return absolute_url(url, f"{named['name']}_{index + 1}.{named['ext']}")


def trs_part_after(url: str, index: int) -> str | None:
    """The file of an article's page after the one of 0-based ``index``, as TRS names a paged
    article's (t20240301_123.html, t20240301_123_1.html, …), where the URL is named so."""
    path = urlsplit(url).path
    stem, dot, ext = path.rpartition("/")[2].rpartition(".")
    if not dot or ext.lower() not in PAGE_EXTENSIONS or (index and not stem.endswith(f"_{index}")):
        return None
    return absolute_url(url, f"{stem[:-len(f'_{index}')] if index else stem}_{index + 1}.{ext}")


# Keel's pagenav.cn.js: pageNav.go(current page, page count), each page's link written by its
# pHtml, which a site overrides with the URL of its pages (var url = pageNo == 1 ? … : "index_" + pageNo + ".html").
PAGE_NAV = re.compile(r"\bpageNav\.go\(\s*(\d+)\s*,\s*(\d+)\s*\)")
_PAGE_NAV_LINK = re.compile(r"\bpageNav\.pHtml\s*=\s*function\s*\(\s*(\w+)[^)]*\)\s*\{[^}]*?\bvar\s+url\s*=\s*([^;}\n]+)")


def _page_nav(scripts: list[str], url: str) -> tuple[None, tuple[int | None, int | None, str | None, str | None]] | None:
    """(No element, (page, total pages, next URL, reason it cannot be read)) from ``pageNav.go(…)``."""
    call = next((match for script in scripts for match in PAGE_NAV.finditer(script)), None)
    if call is None:
        return None
    page, total = int(call[1]), int(call[2])
    if page >= total:
        return None, (page, total, None, None)
    link = next((match for script in scripts for match in _PAGE_NAV_LINK.finditer(script)), None)
    following = url_of(link[2], {link[1]: page + 1}) if link else None
    if not following:
        return None, (page, total, None, "its pageNav pager writes its links by a script it could not read")
    return None, (page, total, absolute_url(url, following), None)


def countpage_claim(scripts: list[str]) -> tuple[int, int] | None:
    """TRS's ``var countPage`` / ``var currentPage`` without a pager call this parser knows."""
    names = script_variables(scripts)
    count, current = _whole(names.get("countPage")), _whole(names.get("currentPage"))
    return (current + 1, count) if count is not None and current is not None else None


def _whole(value: str | int | None) -> int | None:
    """A script's value as a whole number, where it is one (7, "7")."""
    return value if isinstance(value, int) else int(value) if isinstance(value, str) and value.isdigit() else None


# Hanweb's jpage datastore -------------------------------------------------------------


def _datastore_entries(store: str, base_url: str) -> list[ListEntry]:
    records = [cdata if cdata is not None else plain for cdata, plain in RECORD.findall(store)]
    entries = []
    for record in records:
        root = parse_html(f"<html><body><div>{record}</div></body></html>")
        candidates, text = [], clean_text(root.text_content())
        match = DATE_RE.search(text)
        for link in root.iter("a"):
            if (href := _row_href(link)) is not None:
                entry = _entry(link, match, base_url, href)
                if entry:
                    entry.view_count, entry.view_count_approximate = _listed_views(link, root) or (None, None)
                    candidates.append(entry)
        if candidates:
            entries.append(_best_entry(candidates))
    return entries


def _js_object(text: str) -> dict[str, str]:
    return {key: value.strip("'\"") for key, value in JS_PAIR.findall(text)}


def _datastore(text: str, scripts: list[str], url: str, base_url: str) -> ListPage | None:
    """A Hanweb column page (its datastore and jpage call) or a dataproxy.jsp answer."""
    store = DATASTORE.search(text)
    if store is None:
        return None
    entries = _datastore_entries(store.group(1), base_url)
    total = re.search(XML_NUMBER.format("totalrecord"), store.group(1))
    page = ListPage(url=url, entries=entries, total_entries=int(total.group(1)) if total else None)
    total_pages = re.search(XML_NUMBER.format("totalpage"), store.group(1))
    page.total_pages = int(total_pages.group(1)) if total_pages else None
    call = next((match for script in scripts for match in JPAGE_CALL.finditer(script)), None)
    params = _js_object(AJAX_PARAM.sub("", call.group(1))) if call else {}
    form = _js_object(AJAX_PARAM.search(call.group(1)).group(1)) if call and AJAX_PARAM.search(call.group(1)) else None
    proxy = params.get("proxyUrl")
    nextgroup = NEXTGROUP.search(store.group(1))
    group_link = HREF.search(nextgroup.group(1)) if nextgroup else None
    if call is None and nextgroup and not (group_link and urlsplit(group_link.group(1)).path.endswith("dataproxy.jsp")):
        # An older jcms column: its next group is a page of its own (index.html?uid=4567&pageNum=2),
        # none on the last page.
        following = absolute_url(base_url, group_link.group(1).replace("&amp;", "&")) if group_link else None
        page.next_requests = [PageRequest(following)] if following and following != url else []
        names = script_variables(scripts)
        page.page = _whole(names.get("currentPage"))
        if page.total_pages is None:
            page.total_pages = _whole(names.get("totalPage"))
        return page
    if nextgroup and (form is None or proxy is None):
        href = group_link
        if href:
            parts = urlsplit(href.group(1).replace("&amp;", "&"))
            proxy = proxy or parts.path
            if form is None:
                form = {k: v for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page"}
    if params.get("totalRecord", "").isdigit():
        page.total_entries = int(params["totalRecord"])
    if call is None and nextgroup is None:
        return page  # a proxy answer: its later groups are the column page's to name
    page.page = 1
    per_page = int(params["perPage"]) if params.get("perPage", "").isdigit() else None
    if per_page and page.total_entries is not None:
        page.total_pages = -(-page.total_entries // per_page)
    if form is None or not proxy or page.total_entries is None:
        page.unreadable_pager = "its jpage datastore names no proxy, form or total it could be paged with"
        return page
    step = len(entries) or (per_page or 1)
    proxy_url = absolute_url(base_url, proxy) or proxy
    for start in range(len(entries) + 1, page.total_entries + 1, step):
        query = urlencode({"startrecord": start, "endrecord": start + step - 1, "perpage": per_page or step})
        page.next_requests.append(PageRequest(f"{proxy_url}?{query}", "POST", tuple(form.items()), by_script=True))
    return page


# The page ----------------------------------------------------------------------------


def parse_list(body: bytes, url: str, content_type: str | None = None, asked_by: str | None = None) -> ListPage:
    """Parse a column list page (or a Hanweb proxy answer, a platform unit's): its dated entries,
    what it says of the column (current and total page, total entries) and the request(s) for
    the next page. ``asked_by``: the page whose script asked for this answer, which its rows'
    links are relative to."""
    text, _ = decode_html(body, content_type)
    answer = _proxy_answer(text, url) or _unit_list(text, url, asked_by)
    return answer if answer is not None else _list_of(parse_html(text), url)


def parse_list_and_requisites(body: bytes, url: str, content_type: str | None = None,
                              asked_by: str | None = None) -> tuple[ListPage, list[str]]:
    """``parse_list`` and ``page_requisites`` of a list page, from one decode and one parse of
    it: the spider needs both of every list page, and each parsed the page whole."""
    text, _ = decode_html(body, content_type)
    answer = _proxy_answer(text, url) or _unit_list(text, url, asked_by)
    root = parse_html(text)
    page = answer if answer is not None else _list_of(root, url)
    return page, requisites_of(root, url)  # after the list: it reads the tree, never changes it


# A dataproxy.jsp answer: an XML document whose root is the datastore (an XHTML column page may
# open with <?xml …?> too, its datastore in a script).
_PROXY_ANSWER = re.compile(r"\s*<\?xml[^>]*\?>\s*(?:<!--.*?-->\s*)*<datastore>", re.S)


def _proxy_answer(text: str, url: str) -> ListPage | None:
    if text.lstrip().startswith("<?xml") and _PROXY_ANSWER.match(text):
        return _datastore(text, [], url, url)
    return None


def _unit_list(text: str, url: str, asked_by: str | None) -> ListPage | None:
    """A platform unit's answer (parsers/units.py) as a list page: its rows, its page and the next."""
    answer = unit_answer(text, url)
    if answer is None:
        return None
    page = _list_of(parse_html(answer.html if answer.html.strip() else "<html></html>"), url, asked_by)
    following = next_unit_page(answer, len(page.entries))
    page.page, page.total_entries, page.unreadable_pager, page.script_answer = answer.page, answer.total_entries, None, True
    page.total_pages = -(-answer.total_entries // answer.page_size) if answer.total_entries is not None else None
    page.next_requests = [PageRequest(following, by_script=True)] if following else []
    return page


def _list_of(root: etree._Element, url: str, links_from: str | None = None) -> ListPage:
    """The list page at ``url``; its links relative to ``links_from`` (default ``url``), or its <base>."""
    base = root.find(".//base[@href]")
    base_url = (absolute_url(url, base.get("href")) if base is not None else None) or links_from or url
    scripts = script_texts(root)
    for script in root.iter("script"):
        if (script.get("type") or "").lower() == "text/xml" and script.text and "<datastore>" in script.text:
            page = _datastore(script.text, scripts, url, base_url)
            if page is not None:
                return page
    texts = _Texts(ROW_TEXT_LIMIT)
    pager, next_links = _pager_element(root)
    if not next_links:  # (what passed for the pager may be the trail's 首页)
        encoded = _encoded_pager(root, scripts)
        pager, next_links = encoded if encoded[0] is not None else (pager, next_links)
    scripted = trs_pager(scripts, base_url)
    if scripted is not None and pager is None:
        pager = next(script.getparent() for script in root.iter("script") if script.text and TRS_PAGER.search(script.text))
    laid = (_widget_pager(scripts, base_url, _field_of(root)) or _page_nav(scripts, base_url)) if scripted is None else None
    if laid is not None:
        element, scripted = laid
        drawn_in = root.xpath("//*[@id=$id]", id=element) if element else []
        pager = drawn_in[0] if drawn_in else pager
    result = ListPage(url=url)
    result.entries = _entries(root, base_url, pager, texts)
    unit = unit_request(root, base_url, rows_shown=bool(result.entries))
    if unit is not None:
        # The list is the unit's: rows the page shows beside it are a side box's (工作动态).
        result.entries, result.next_requests, result.rows_by_script = [], [PageRequest(unit, by_script=True)], True
        return result
    if scripted is not None:
        result.page, result.total_pages, following, result.unreadable_pager = scripted
        result.next_requests = [PageRequest(following)] if following else []
        return result
    if pager is not None:
        result.page, result.total_pages, result.total_entries = _page_numbers(pager)
        if result.page is None:
            result.page = _linked_to_itself(pager, base_url, url)
    claim = countpage_claim(scripts)
    if claim and result.total_pages is None:
        result.page, result.total_pages = claim
        following = _trs_file_after(url, claim[0] - 1)
        if claim[0] < claim[1] and following and not next_links:
            result.next_requests = [PageRequest(following)]  # the link its document.write would write
            return result
        if claim[0] < claim[1]:
            result.unreadable_pager = f"its scripts say page {claim[0]} of {claim[1]} (var countPage) but write no pager it could read"
    number, total = result.page, result.total_pages
    if not (number and total and number >= total):
        following, reason = _next_request(pager, next_links, base_url, number, scripts)
        if following and (following.method != "GET" or following.url != url):
            result.next_requests = [following]
        elif reason and not result.unreadable_pager:
            result.unreadable_pager = reason
    if not (result.next_requests or result.unreadable_pager or result.page or result.total_pages):
        widget = _any_widget(scripts, base_url, _field_of(root))
        if widget is not None:
            result.page, result.total_pages, following = widget
            result.next_requests = [PageRequest(following)] if following else []
            return result
        more = _load_more_button(root, base_url)
        if more is not None:
            result.next_requests = [more]
            return result
        drawn_in = _left_for_a_script(root, scripts)
        if drawn_in:
            result.unreadable_pager = f"its pager is drawn by a script it could not read, in the empty {drawn_in}"
        elif (component := _pager_component(root)) is not None:
            result.unreadable_pager = f"its pager is a component a script framework draws, <{component}>, that it could not read"
    return result


# A custom element named as a pager: Element UI's <el-pagination>, Ant Design Vue's
# <a-pagination>, Vant's <van-pagination>, as a Vue template left in the page holds them.
_PAGER_COMPONENT = etree.XPath("//*[contains(local-name(), '-')][contains(local-name(), 'pag') or "
                               "contains(local-name(), 'fenye') or contains(local-name(), 'fanye')]")


def _pager_component(root: etree._Element) -> str | None:
    """The tag of a framework's pager component in the page, whose pages only its script knows."""
    return next((element.tag for element in _PAGER_COMPONENT(root)), None)


def _field_of(root: etree._Element) -> Callable[[str], str | None]:
    """The value of the page's form field of an id, as ``$('#id').val()`` reads it."""
    return lambda name: next((field.get("value") for field in root.xpath("//input[@id=$id]", id=name)), None)


def _load_more_button(root: etree._Element, base_url: str) -> PageRequest | None:
    """The page a 加载更多/查看更多 button names for its script (<button next-url="/col/index_3.html">)."""
    for button in root.iter("button"):
        target = _url_for_script(button)
        if target and _DECORATION.sub("", clean_text(button.text_content())) in LOAD_MORE:
            return _get(base_url, target)
    return None


_PAGER_NAME = re.compile(r"pag|fenye|fanye", re.I)  # page, pager, pagination, pageBox; 分页, 翻页


def _left_for_a_script(root: etree._Element, scripts: list[str]) -> str | None:
    """An empty element named as a pager (<div id="pageBox"></div>) that a script of the page names:
    a pager widget this parser does not know will be drawn there, so the page may not be the
    column's last."""
    for element in root.iter("div", "ul", "nav", "span", "p", "td"):
        if len(element) or (element.text or "").strip():
            continue
        named = [f"#{element.get('id')}"] if element.get("id") else []
        named += [f".{name}" for name in (element.get("class") or "").split()]
        for name in named:
            named_in = re.compile(re.escape(name) + r"(?![\w-])")  # #pagination, not #pagination-demo; .page, not .pager
            if _PAGER_NAME.search(name) and any(named_in.search(script) for script in scripts):
                return f"<{element.tag} {'id' if name[0] == '#' else 'class'}=\"{name[1:]}\">"
    return None
