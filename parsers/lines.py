"""Turn an HTML page into the lines of text a reader sees, in document order.

Parsers anchor on these lines (labels, markers, titles) instead of on class names or
ids, which differ from one CMS to the next and which we cannot see on the live site.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import chain, islice
from urllib.parse import urljoin, urlsplit

import lxml.html
from lxml import etree

from .encoding import decode_html
from .errors import DecodeError

BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section table tbody thead tfoot tr ul".split()
)
CELL_TAGS = frozenset(("td", "th"))
# A <title> shows nowhere in the page, even where an included page puts one in the body.
SKIP_TAGS = frozenset(("script", "style", "noscript", "head", "title", "select", "option", "textarea", "iframe", "object", "template"))
HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
# What an element does to the lines, by tag; other tags are inline (their text flows on).
# Blocks and headings end the line before them and their own; a break ends the line before
# it; cells are spaced; skipped elements show nothing (a script's src is kept); comments and
# processing instructions show only their tail. The walk tells the roles apart by comparing
# numbers, the commonest first (blocks, then links, are most of a page's elements): those
# that end a line are <= _BREAK, and those whose text merely flows on are <= _INLINE.
_BLOCK, _HEADING, _BREAK, _LINK, _INLINE, _CELL, _COMMENT, _IMAGE, _SKIP = range(9)
_ROLES = {**dict.fromkeys(BLOCK_TAGS, _BLOCK), **dict.fromkeys(HEADING_TAGS, _HEADING), **dict.fromkeys(CELL_TAGS, _CELL),
          "br": _BREAK, "img": _IMAGE, "a": _LINK, **dict.fromkeys(SKIP_TAGS, _SKIP),
          etree.Comment: _COMMENT, etree.ProcessingInstruction: _COMMENT}  # the tag of a comment or PI

_SPACE_RUN = re.compile(r"[ \t\r\n\f\v\u00a0\u2002\u2003\u2009\u3000]+")
# What a browser draws as nothing: zero-width spaces and joiners, the word joiner, the soft hyphen,
# and U+FEFF (a file's byte order mark, where a page includes the file mid-page). Word and WeChat
# leave them in pasted text, inside words and labels.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")
# A label spaced out to line up with the others (来　源：, 作&nbsp;&nbsp;者：, 发 布 时 间：): its
# characters one by one, no Chinese character before them, a colon after them.
_SPACED_LABEL = re.compile(r"(?<![\u4e00-\u9fff])[\u4e00-\u9fff](?: [\u4e00-\u9fff]){1,3}(?= ?[:：])")
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f\u201c\u201d\u2018\u2019"
_SEGMENT_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t]*[\r\n][ \t\r\n]*(?=[{_CJK}])")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.I)
# The end tags of the document and its body. A page that includes its header or footer as a whole
# page has them in the middle too (</body></html> and then the article). libxml2 drops all that
# follows a </html>, and puts what follows a </body> outside the body; a browser reads both on in
# the body. Without them libxml2 closes the body and the document where the text ends, as a browser does.
_DOCUMENT_END_TAG = re.compile(r"</(?:html|body)\b[^>]*>", re.I)
# What str.split() takes for whitespace and _SPACE_RUN does not, and what shows nothing: a text
# without any of them collapses the same with split() and join(), which is some 1.5x faster.
_SPLIT_DIFFERS = re.compile("[\x1c-\x1f\x85\u1680\u2000\u2001\u2004-\u2008\u200a\u2028\u2029\u202f\u205f\u00ad\u200b-\u200d\u2060\ufeff]")


# What stands between table cells: a space the line keeps even where a line break of the source
# sits between two Chinese characters (秘书处</td>\n<td>双击…), which clean_text drops with the
# plain spaces around it. An en space, which collapses as a plain space does.
_CELL_SPACE = "\u2002"

_NOT_YET = object()  # a lazy value not worked out yet


class Link:
    """A link on a line. Its text, URL and title are worked out when first read: a page has
    dozens of links (menus, side lists) and the parsers read a few of them. (Plain attributes,
    not ``functools.cached_property``, which takes a lock on every read before Python 3.12.)"""

    __slots__ = ("_base_url", "_element", "_text", "_title", "_url")

    def __init__(self, element: etree._Element, base_url: str) -> None:
        self._element = element
        self._base_url = base_url
        self._text: str | None = None
        self._url: object = _NOT_YET  # None once worked out means unresolvable
        self._title: str | None = None

    @property
    def text(self) -> str:
        if self._text is None:
            element = self._element
            # Most links hold their text alone, which .text reads without text_content()'s XPath (7x faster).
            self._text = clean_text((element.text or "") if len(element) == 0 else element.text_content())
        return self._text

    @property
    def url(self) -> str | None:
        """Where a click on it goes (``clicked_href``); None when that cannot be resolved (``http://[x``)."""
        if self._url is _NOT_YET:
            self._url = absolute_url(self._base_url, clicked_href(self._element))
        return self._url  # type: ignore[return-value]

    @property
    def leads_away(self) -> bool:
        """Whether it goes to another page: not a script's (javascript:;) nor the page's own anchor (#)."""
        href = (self._element.get("href") or "").strip().lower()
        return bool(href) and not href.startswith(("#", "javascript:"))

    @property
    def title(self) -> str:
        if self._title is None:
            self._title = clean_text(self._element.get("title") or "")
        return self._title


# Where a click's script goes: location.href='…', location.replace('…'), window.open('…').
CLICKED_LOCATION = re.compile(r"""(?:location(?:\.href)?\s*=|location\.(?:assign|replace)\s*\(|window\.open\s*\()\s*"""
                              r"""(?:encodeURI\s*\(\s*)?(['"])([^'"]+)\1""")


def leads_nowhere(href: str | None) -> bool:
    """Whether an href goes to no other page: none, a script's (javascript:;), the page's own anchor (#) or mail."""
    return not href or href.strip().lower().startswith(("javascript:", "#", "mailto:"))


def click_script(link: etree._Element) -> str:
    """The script a click on ``link`` runs: its onclick, else its javascript: href; "" for none."""
    href = (link.get("href") or "").strip()
    return (link.get("onclick") or "").strip() or (href if href.lower().startswith("javascript:") else "")


def clicked_href(link: etree._Element) -> str | None:
    """Where a click on ``link`` goes: its href, or, where the href goes nowhere, the page that
    its click's script opens (<a href="javascript:void(0);" onclick="window.open('/a/13.html')">)."""
    href = link.get("href")
    if not leads_nowhere(href):
        return href
    going = CLICKED_LOCATION.search(click_script(link))
    return going[2] if going and not leads_nowhere(going[2]) else href


@dataclass(slots=True)
class Line:
    text: str
    links: list[Link] = field(default_factory=list)
    scripts: list[str] = field(default_factory=list)  # absolute src of external scripts
    images: list[str] = field(default_factory=list)  # absolute http(s) src of images
    heading: bool = False


@dataclass
class Page:
    url: str
    base_url: str  # what its links resolve against: <base href>, else the page's URL
    title: str
    lines: Lines
    encoding: str
    root: lxml.html.HtmlElement
    hidden: list[lxml.html.HtmlElement] = field(default_factory=list)  # what its lines read so far left out (in_full: none)


# An href that urljoin would give back as it is after the base's scheme and host: an absolute
# path, or a URL of the base's own scheme, in plain URL characters, without dot segments, params
# (;), a fragment or an empty query, which urljoin resolves or drops. Most hrefs of a page are
# such (/images/top.jpg), and urljoin's two parses and one unparse of each were 7% of an article.
_PLAIN_HREF = re.compile(r"(?:(?P<scheme>https?)://[A-Za-z0-9\-._~%!$&'()*+,=:@]+)?(?:/(?!/)[A-Za-z0-9\-._~%!$&'()*+,=:@/?]*)?")


@lru_cache(maxsize=256)
def _origin(base: str) -> tuple[str, str] | None:
    """The scheme and the ``scheme://host`` of an http(s) base URL (None for any other base)."""
    try:
        parts = urlsplit(base)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return parts.scheme, f"{parts.scheme}://{parts.netloc}"


# A session's id that a server writes into its links for a client that has shown it no cookie yet
# (Tomcat's ;jsessionid=…, PHP's ?PHPSESSID=…): no part of the page's address, and another on
# every crawl's first page, which would make each of its articles new every time.
_SESSION_ID = re.compile(r";jsessionid=[^?#]*|(?<=[?&])(?:PHPSESSID|JSESSIONID|ASPSESSIONID\w*)=[^&#]*(?:&|$)", re.I)


def without_session_id(url: str) -> str:
    """``url`` without the session's id a server wrote into it (_SESSION_ID); a cheap test first."""
    if "ssion" in url or "SSION" in url or "SSID" in url or "ssid" in url:
        return _SESSION_ID.sub("", url).rstrip("?&")
    return url


def absolute_url(base: str, href: str) -> str | None:
    """``href`` resolved against ``base`` (a session's id left out), or None when it cannot be (``http://[x``)."""
    href = without_session_id(href.strip())
    plain = _PLAIN_HREF.fullmatch(href) if href[:1] in ("/", "h") else None
    if plain and "/." not in href and not href.endswith("?"):
        origin = _origin(base)
        if origin is not None:
            scheme = plain.group("scheme")
            if scheme is None and href:
                return origin[1] + href
            if scheme == origin[0]:
                return href
    try:
        return urljoin(base, href)
    except ValueError:
        return None


def clean_text(text: str) -> str:
    """Collapse whitespace as a browser does; source line breaks between CJK characters vanish,
    and so do the characters that show nothing (_INVISIBLE) and the spaces inside a label spaced
    out with full-width or no-break spaces (来　源： is 来源：)."""
    # Most texts are printable characters with whitespace only at their ends (the source's
    # indentation). A printable text has no whitespace but plain spaces: every other space
    # character of str.split() and of _SPACE_RUN, and every _INVISIBLE one, is unprintable. So
    # the ends stripped off hold every line break (dropping one there changes nothing) and every
    # character that split() and _SPACE_RUN tell apart, and what is left has only runs of plain
    # spaces to collapse: the same text as the regular expressions give, 2-3x faster.
    stripped = text.strip()
    if stripped.isprintable():
        return _labels_joined(" ".join(stripped.split())) if "  " in stripped else stripped  # 作    者：
    if "\n" in text or "\r" in text:
        text = _SEGMENT_BREAK.sub("", text)
    if _SPLIT_DIFFERS.search(text):
        return _labels_joined(_SPACE_RUN.sub(" ", _INVISIBLE.sub("", text)).strip())
    return _labels_joined(" ".join(text.split()))


def _labels_joined(text: str) -> str:
    """``text`` with its spaced-out labels written together (来 源： -> 来源：)."""
    if "：" in text or ":" in text:
        return _SPACED_LABEL.sub(lambda match: match[0].replace(" ", ""), text)
    return text


class Lines(Sequence[Line]):
    """A page's lines, walked out of the tree only as far as they are read: the article
    parser stops at the navigation below the body, and most of a table layout's elements
    (side lists, footer) come after it. ``len()``, negative indexes and open-ended slices
    walk the whole page."""

    def __init__(self, walk: Iterator[Line]) -> None:
        self._walk = walk
        self._read: list[Line] = []

    def _read_to(self, count: int | None) -> None:
        """Walk on until ``count`` lines are read (all of them when None) or the page ends."""
        read = self._read
        if count is None:
            read.extend(self._walk)
        elif len(read) < count:
            read.extend(islice(self._walk, count - len(read)))

    def __len__(self) -> int:
        self._read_to(None)
        return len(self._read)

    def __bool__(self) -> bool:
        self._read_to(1)
        return bool(self._read)

    def __getitem__(self, index: int | slice) -> Line | list[Line]:  # type: ignore[override]
        if isinstance(index, slice):
            start, stop = index.start or 0, index.stop
            self._read_to(None if stop is None or stop < 0 or start < 0 else stop)
        else:
            self._read_to(None if index < 0 else index + 1)
        return self._read[index]

    def __iter__(self) -> Iterator[Line]:
        return self.from_index(0)

    def from_index(self, start: int) -> Iterator[Line]:
        """The lines from ``start`` on, walked as they are asked for (``islice`` would step
        through every line before ``start``)."""
        read, index, walk = self._read, start, self._walk
        self._read_to(start)
        while True:
            if index < len(read):  # already walked, perhaps by another reader meanwhile
                yield read[index]
                index += 1
                continue
            line = next(walk, None)
            if line is None:
                return
            read.append(line)


class _EndOfPage:
    """A ``<br>`` after the last element: it closes every open element (their tails are read)
    and ends the last line."""

    __slots__ = ("_parent",)
    tag = "br"
    text = None

    def __init__(self, parent: etree._Element | None) -> None:
        self._parent = parent  # the walk's root's parent: every element under it gets closed

    def getparent(self) -> etree._Element | None:
        return self._parent

    def get(self, name: str) -> None:  # no attributes: no style that hides it
        return None


def _walk(root: etree._Element, base_url: str, hidden: list[etree._Element] | None = None,
          stylesheet: StyleSheetHiding | None = None) -> Iterator[Line]:
    """The lines under ``root`` (its tail included), in document order, each as soon as it is
    complete. ``root.iter()`` with a stack of the open elements, not recursion: no depth limit,
    and it can stop anywhere. iter() gives each element once, at its start; an element ends
    when the next one is not its child (``getparent()`` against the stack), and every element
    ends before the ``_EndOfPage`` that comes last. One loop with a role per tag, its state in
    local variables and the line's end written once, inline: this runs for every element of
    every page, and calls, attribute reads and set lookups per element were most of its cost
    (iter() and getparent() cost less than iterwalk's two events of each element). ``hidden``:
    where given, an element under ``root`` that its own style hides (display:none), or whose
    class or id ``stylesheet`` hides, is skipped as a script is, with all it holds, and added to
    the list."""
    text = ""  # of the line being read
    links: list[Link] = []
    scripts: list[str] = []  # absolute src of external scripts
    images: list[str] = []
    heading = False
    roles_get = _ROLES.get
    hidden_classes, hidden_ids = (stylesheet.classes, stylesheet.ids) if stylesheet is not None else (frozenset(), frozenset())
    # The innermost open element and its role, and the ones around it. At the bottom, never
    # closed, is the root's parent.
    open_element, open_role = root.getparent(), _INLINE
    outer: list[tuple[etree._Element, int]] = []
    elements = root.iter()  # comments and processing instructions too
    for element in chain(elements, (_EndOfPage(open_element),)):
        parent = element.getparent()
        while True:
            if parent is open_element:  # the element starts
                role = roles_get(element.tag, _INLINE)  # libxml2's HTML parser lowercases tag names
                if hidden is not None and role != _SKIP and element is not root \
                        and ((style := element.get("style")) and _HIDDEN_STYLE.search(style)
                             or hidden_classes and (names := element.get("class")) and not hidden_classes.isdisjoint(names.split())
                             or hidden_ids and element.get("id") in hidden_ids):
                    role = _SKIP
                    hidden.append(element)
                if role > _BREAK:  # inline: the line goes on
                    if role > _INLINE:
                        if role == _CELL:
                            text += _CELL_SPACE
                        elif role == _COMMENT:  # shows no text, only its tail; it has no children
                            piece = element.tail
                            if piece:
                                text += piece
                            break
                        elif role == _IMAGE:
                            src = element.get("src")
                            url = absolute_url(base_url, src) if src else None
                            # An inline (data:) image is already inside the page's snapshot: nothing to fetch.
                            if url and url.startswith(("http://", "https://")):
                                images.append(url)
                        else:  # skipped: shows nothing; its tail is read at its end
                            src = element.get("src") if element.tag == "script" else None
                            url = absolute_url(base_url, src) if src else None
                            if url:
                                scripts.append(url)
                            if len(element):  # walk on past its descendants
                                skipped = sum(1 for _ in element.iterdescendants())
                                next(islice(elements, skipped, skipped), None)
                            outer.append((open_element, open_role))
                            open_element, open_role = element, role
                            break
                    outer.append((open_element, open_role))
                    open_element, open_role = element, role
                    piece = element.text
                    if piece:
                        text += piece
                    break
                # A block, heading or break ends the line before it.
                after = element.text
                opens_heading = role == _HEADING
                outer.append((open_element, open_role))
                open_element, open_role = element, role
            else:  # the open element ends
                if open_role > _HEADING:  # inline
                    if open_role == _LINK:
                        if open_element.get("href") or open_element.get("onclick"):
                            links.append(Link(open_element, base_url))
                    elif open_role == _CELL:
                        text += _CELL_SPACE
                    piece = open_element.tail
                    if piece:
                        text += piece
                    open_element, open_role = outer.pop()
                    continue
                # A block or heading ends its own line (no spaces after it: the line's text is stripped).
                after = open_element.tail
                opens_heading = False
                open_element, open_role = outer.pop()
            # The line ends here.
            if text:
                # Most line ends hold only the spaces around table cells: nothing to clean.
                text = "" if text.isspace() else clean_text(text)
            if text or scripts or images:
                yield Line(text, links, scripts, images, heading)
                links, scripts, images = [], [], []
            elif links:
                links = []  # links of a line without text are dropped with it
            heading = opens_heading
            text = after or ""
            if open_element is element:  # it was the element's start: on to the next element
                break


# lxml.html's parser picks each element's class in Python, which costs more than parsing;
# every element is an HtmlElement here (no form helpers), chosen in C. huge_tree: without it
# libxml2 stops at a text or attribute over 10 MB (an image pasted as a data: URI) and
# silently drops the rest of the page.
_HTML_PARSER = etree.HTMLParser(huge_tree=True)
_HTML_PARSER.set_element_class_lookup(etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement, comment=lxml.html.HtmlComment, pi=lxml.html.HtmlProcessingInstruction,
))


# The first <title> anywhere (a broken page may put it in the body): XPath finds it in C, some
# 15x faster than ElementPath's ``find(".//title")``.
_FIRST_TITLE = etree.XPath("descendant::title[1]")


def script_texts(root: etree._Element) -> list[str]:
    """The code of the page's inline scripts, in order (what a pager or counter script says)."""
    return [script.text for script in root.iter("script") if script.text]


def parse_html(text: str) -> lxml.html.HtmlElement:
    text = _XML_DECLARATION.sub("", text, count=1)
    first_end = _DOCUMENT_END_TAG.search(text)
    if first_end is not None:  # most pages: only the last few characters are searched again
        text = text[:first_end.start()] + _DOCUMENT_END_TAG.sub("", text[first_end.start():])
    if not text.strip():
        raise DecodeError("empty", "the page has no content")
    try:
        root = lxml.html.document_fromstring(text, parser=_HTML_PARSER)
    except (etree.ParserError, ValueError) as error:
        raise DecodeError("unparsable", str(error)) from error
    # A fatal error (elements nested over 2,048 deep) means libxml2 stopped and dropped the rest.
    fatal = [error.message for error in _HTML_PARSER.error_log if error.level == etree.ErrorLevels.FATAL]
    if fatal:
        raise DecodeError("unparsable", f"the HTML parser gave up: {fatal[0]}")
    return root


# What hides an element in its own markup: an inline style="display:none" (IE's editors wrote
# DISPLAY: none). The walk reads each element's style only on a page whose text says so, searched
# a case at a time (with re.I, or one regex for both, the search is 10x slower): most pages hide
# nothing so.
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none", re.I)
_HIDDEN_STYLE_LOWER = re.compile(r"display\s*:\s*none")
_HIDDEN_STYLE_UPPER = re.compile(r"DISPLAY\s*:\s*(?i:none)")


def _may_hide(text: str) -> bool:
    """Whether a page's text may hide elements by their own style."""
    return _HIDDEN_STYLE_LOWER.search(text) is not None or _HIDDEN_STYLE_UPPER.search(text) is not None


# A rule of the page's own stylesheet that hides what its selector names, read where the
# selector names one class or id (.hide, div#print): a descendant selector or a pseudo-class
# hides only in some places or states, and a rule inside @media only on some screens (a phone's
# copy, the print view). Linked stylesheets are not read. Only the rules that say display:none
# are looked at: a page may inline a whole site's styles (hundreds of KB).
_STYLE_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_NAMING_SELECTOR = re.compile(r"\s*(?:[a-zA-Z][a-zA-Z0-9]*)?([.#])([A-Za-z_][\w-]*)\s*")


@dataclass(frozen=True)
class StyleSheetHiding:
    classes: frozenset[str]
    ids: frozenset[str]


def _hiding_declarations(css: str) -> list[re.Match[str]]:
    found = list(_HIDDEN_STYLE_LOWER.finditer(css))
    if "DISPLAY" in css:
        found = sorted(chain(found, _HIDDEN_STYLE_UPPER.finditer(css)), key=re.Match.start)
    return found


def _stylesheet_hiding(root: etree._Element) -> StyleSheetHiding | None:
    """The classes and ids that the page's own ``<style>`` rules hide (display:none), if any."""
    classes, ids = set(), set()
    for style in root.iter("style"):
        css = style.text
        found = _hiding_declarations(css) if css else []
        if found and "/*" in css:
            css = _STYLE_COMMENT.sub("", css)
            found = _hiding_declarations(css)
        depth, position = 0, 0  # the braces open at ``position``
        for match in found:
            opening = css.rfind("{", 0, match.start())
            start = max(css.rfind("}", 0, opening), css.rfind("{", 0, opening)) + 1
            if opening < 0 or start < position:
                continue  # a second display:none of a rule already read
            depth += css.count("{", position, start) - css.count("}", position, start)
            position = start
            if depth == 0:  # not inside @media or @supports
                for selector in css[start:opening].rpartition(";")[2].split(","):  # after @import …; or @charset …;
                    if named := _NAMING_SELECTOR.fullmatch(selector):
                        (ids if named[1] == "#" else classes).add(named[2])
    return StyleSheetHiding(frozenset(classes), frozenset(ids)) if classes or ids else None


def page_lines(body: bytes, url: str, content_type: str | None = None) -> Page:
    """Decode and parse ``body``, returning its visible lines and ``<title>``: not what the page
    hides by its own markup (display:none in an element's style or the page's stylesheet, under
    the body), which its ``hidden`` lists as far as the lines are read (``in_full`` gives them
    all)."""
    text, codec = decode_html(body, content_type)
    root = parse_html(text)
    base = root.find(".//base[@href]")
    base_url = (absolute_url(url, base.get("href")) if base is not None else None) or url
    body_element = root.find("body")
    hidden: list[etree._Element] = []
    may_hide = _may_hide(text)
    stylesheet = _stylesheet_hiding(root) if may_hide else None
    lines = Lines(_walk(body_element if body_element is not None else root, base_url, hidden if may_hide else None, stylesheet))
    title_elements = _FIRST_TITLE(root)
    title = clean_text(title_elements[0].text_content()) if title_elements else ""
    return Page(url=url, base_url=base_url, title=title, lines=lines, encoding=codec, root=root, hidden=hidden)


def in_full(page: Page) -> Page:
    """``page`` with the lines of what it hides too, walked again over the same tree (the walk
    never changes it): no second decode or parse."""
    body_element = page.root.find("body")
    return replace(page, lines=Lines(_walk(body_element if body_element is not None else page.root, page.base_url)), hidden=[])
