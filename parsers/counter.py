"""View counters: which counter an article page has its count written by, and the count a
counter's answer gives.

A page whose header shows an empty count (``点击数：`` then nothing, or an empty element) has it
filled by a script: a ``<script src>`` on the header line (PowerEasy's ``GetHits.asp``, Kesion's
``GetHits.asp?Action=Count``, Dede's ``/plus/count.php``, Hanweb's ``articlehits.jsp``), VSB's
``_showDynClicks(type, owner, id)`` (its dynclicks.js asks ``dynclicks.jsp``), an inline
``$.ajax({url:…, data:{…}})``, ``$.get(…)``, ``$(…).load(…)`` or ``fetch(…)`` of a counter, or a
counter script elsewhere on the page (PHPCMS loads ``api.php?op=count`` at the page's end;
EmpireCMS's ``ViewMore.php`` writes over the 0 its page shows), JEECMS's ``Cms.viewCount(base,
id)`` (its front.js asks ``content_view.jspx``). The answers: ``document.write('N');``, jQuery
``$('#hits').html('N');`` among other ``.html()`` calls, the bare number, or JSON (JSONP)
holding the count. A count rounded to ten thousands (``1.2万``) is 12,000, as on a page.
"""

from __future__ import annotations

import json
import re
from urllib.parse import urlencode, urlsplit

from lxml import etree

from .encoding import decode_html
from .errors import DecodeError, ParseError
from .fields import COUNT, ViewCount, checked_count, written_count
from .lines import absolute_url

# The argument of document.write: a quoted string (markup allowed) or a bare number.
_WRITE = re.compile(r"""document\.write(?:ln)?\s*\(\s*(?:(['"])(.*?)(?<!\\)\1|(\d+))\s*\)""", re.S)
# jQuery or DOM writes of a number into an element: $('#hits').html('N'), ….innerHTML = 'N'.
_ELEMENT_WRITE = re.compile(
    r"""\$\(\s*['"]#?([\w-]+)['"]\s*\)\s*\.\s*(?:html|text)\s*\(\s*['"]?([^'")]*)['"]?\s*\)"""
    r"""|getElementById\(\s*['"]([\w-]+)['"]\s*\)\s*\.\s*inner(?:HTML|Text)\s*=\s*['"]?([^'";]*)""")
_TAG = re.compile(r"<[^>]*>")
# A count as a counter writes it: 44,920, rounded (1.2万 is 12,000, not 1) or a floor (10万+).
_NUMBER = re.compile(COUNT)
# What a counter's URL or element is called on these CMSs: GetHits.asp, count.php, dynclicks.jsp,
# articlehits.jsp, api.php?op=count, #hits, #visit_count.
COUNTER_WORDS = re.compile(r"hit|count|click|visit|views?\b", re.I)
DYNAMIC_PAGE = re.compile(r"\.(asp|aspx|php|jsp|do|cfm|action)$", re.I)
# VSB 博达's count call; its dynclicks.js asks this URL and writes the answer into the page.
_VSB_CLICKS = re.compile(r"""_showDynClicks\(\s*['"](\w+)['"]\s*,\s*(\d+)\s*,\s*(\d+)\s*\)""")
VSB_CLICKS_PATH = "/system/resource/code/news/click/dynclicks.jsp"
# JEECMS's count call: its front.js asks {base}/content_view.jspx?contentId=N and writes the first number.
_JEECMS_VIEWS = re.compile(r"""\bCms\.viewCount\(\s*['"]([^'"]*)['"]\s*,\s*['"]?(\d+)""")
_AJAX_URL = re.compile(r"""url\s*:\s*['"]([^'"]+)['"]""")
# The other ways a page's script asks a URL: $.get/$.post/$.getJSON(url…), $(…).load(url), fetch(url).
_SCRIPT_FETCH = re.compile(r"""(?:\$\.(?:get|post|getJSON|getScript)|\.load|\bfetch)\s*\(\s*['"]([^'"]+)['"]""")
_AJAX_POST = re.compile(r"""\b(?:type|method)\s*:\s*['"]post['"]""", re.I)
_AJAX_DATA = re.compile(r"""data\s*:\s*\{([^{}]*)\}""")
_AJAX_PAIR = re.compile(r"""['"]?(\w+)['"]?\s*:\s*(?:['"]([^'"]*)['"]|([\w.-]+))""")


def parse_counter_script(body: bytes, content_type: str | None = None) -> ViewCount:
    """The number the counter's answer writes into the page, or the count its JSON gives.

    Raises ParseError("no_count") for anything else: an error or login page served in the
    script's place holds numbers too (a year, a status code, "gb2312"), and none of them is
    a view count. The answer is decoded as a page is (a GBK site's counter writes 4.5万 in GBK)."""
    try:
        text = decode_html(body, content_type)[0].strip()
    except DecodeError:
        raise ParseError("no_count", "the counter's answer is no text in any charset") from None
    if text.startswith("<"):
        raise ParseError("no_count", "the counter answered with a page, not a script")
    if bare := _NUMBER.fullmatch(text):
        return _count(bare)
    if text[:1] in "[{":
        return _json_count(text)
    if wrapped := _JSONP.match(text):
        return _json_count(wrapped.group(1))
    for match in _WRITE.finditer(text):
        number = _NUMBER.search(match.group(3) or _TAG.sub("", match.group(2)))
        if number:
            return _count(number)
    writes = [(m.group(1) or m.group(3), _NUMBER.fullmatch(_TAG.sub("", m.group(2) or m.group(4) or "").strip()))
              for m in _ELEMENT_WRITE.finditer(text)]
    numbers = [(element, number) for element, number in writes if number]
    # PHPCMS writes today's, this week's and this month's counts too: the total goes to #hits.
    named = [number for element, number in numbers if COUNTER_WORDS.search(element)]
    if named or len(numbers) == 1:
        return _count((named or [numbers[0][1]])[0])
    raise ParseError("no_count", "the counter script writes no number")


def _count(number: re.Match[str]) -> ViewCount:
    """The count a _NUMBER match writes."""
    count = written_count(number)
    if count is None:
        raise ParseError("no_count", f"the counter writes {number.group()!r}, a fraction of no unit")
    return count


# A JSON answer wrapped in the callback a JSONP request names: jQuery1124_17({"clicks":125});
_JSONP = re.compile(r"^[\w$.]+\s*\(\s*([\[{].*[\]}])\s*\)\s*;?$", re.S)


def _json_count(text: str) -> ViewCount:
    """The count of a JSON answer: JEECMS's content_view.jspx [views, comments, downloads, ups,
    downs], PublicCMS's {"clicks": 125}, SiteServer's {"value": 346}, or a member named so one
    level down ({"data": {"views": 1235}}); a count written as a string ("1,234") too."""
    try:
        value = json.loads(text)
    except ValueError:
        raise ParseError("no_count", "the counter's JSON answer cannot be read") from None
    if isinstance(value, list):
        first = _json_number(value[0]) if value else None
        if first is not None:
            return first
    elif isinstance(value, dict):
        members = {**{name: inner for nested in value.values() if isinstance(nested, dict) for name, inner in nested.items()},
                   **value}
        counts = [number for name, member in members.items()
                  if (COUNTER_WORDS.search(name) or name == "value") and (number := _json_number(member)) is not None]
        if len(counts) == 1:
            return counts[0]
    raise ParseError("no_count", "the counter's JSON answer holds no count")


def _json_number(value: object) -> ViewCount | None:
    """A JSON value as a count: a whole number, or a string that writes one ("1,234", "1.2万")."""
    if isinstance(value, int) and not isinstance(value, bool):
        return ViewCount(checked_count(value), approximate=False) if value >= 0 else None
    written = _NUMBER.fullmatch(value.strip()) if isinstance(value, str) else None
    return written_count(written) if written else None


def page_counts_own_view(url: str) -> bool:
    """Whether a count the page itself shows includes the view of fetching it: a dynamic page
    (ShowArticle.asp) adds the view before it writes the page; a generated file shows the count
    it was written with."""
    return bool(DYNAMIC_PAGE.search(urlsplit(url).path))


def counter_counts_own_view(url: str) -> bool:
    """Whether the count a counter answers includes the view its fetch adds: PHPCMS v9's
    ``api.php?op=count`` writes the count it read before adding it; the others write after."""
    parts = urlsplit(url)
    return not (parts.path.lower().endswith("/api.php") and "op=count" in parts.query.lower())


def _is_library(url: str) -> bool:
    """A script file (dynclicks.js), which only asks the counter: not the counter itself."""
    return urlsplit(url).path.lower().endswith(".js")


def inline_counter_url(root: etree._Element, base_url: str) -> str | None:
    """The counter an article page asks from its own scripts, when its header shows an empty
    count: VSB's ``_showDynClicks``, an inline ``$.ajax``, ``$.get``, ``.load`` or ``fetch`` of a
    counter URL, or a counter script loaded elsewhere on the page (not a ``.js`` library)."""
    sources = []
    for script in root.iter("script"):
        src = script.get("src")
        if src:
            sources.append(src)
            continue
        code = script.text or ""
        vsb = _VSB_CLICKS.search(code)
        if vsb:
            kind, owner, click_id = vsb.groups()
            return absolute_url(base_url, f"{VSB_CLICKS_PATH}?{urlencode({'clickid': click_id, 'owner': owner, 'clicktype': kind})}")
        jeecms = _JEECMS_VIEWS.search(code)
        if jeecms:
            base, content_id = jeecms.groups()
            return absolute_url(base_url, f"{base.rstrip('/')}/content_view.jspx?contentId={content_id}")
        for call in _AJAX_URL.finditer(code):
            url = call.group(1)
            if COUNTER_WORDS.search(url) and _AJAX_POST.search(code, max(0, call.start() - 200), call.end() + 200):
                continue  # asked by POST (SiteServer's /api/stl/actions/hits): a GET of it is no count
            if COUNTER_WORDS.search(url):
                data = _AJAX_DATA.search(code[code.find(url):])
                pairs = [(key, quoted or bare) for key, quoted, bare in _AJAX_PAIR.findall(data.group(1))] if data else []
                return absolute_url(base_url, url + (("&" if "?" in url else "?") + urlencode(pairs) if pairs else ""))
        for url in _SCRIPT_FETCH.findall(code):
            if COUNTER_WORDS.search(url) and not _is_library(url):
                return absolute_url(base_url, url)
    for src in sources:
        url = absolute_url(base_url, src)
        if url and COUNTER_WORDS.search(src) and not _is_library(url) \
                and urlsplit(url).netloc == urlsplit(base_url).netloc:
            return url
    return None
