"""The page-building units of Zhejiang's 政府网站集约化 platform (Hanweb's jpaas, 2024 on): a
column page that holds no list, only a script that asks for it,

    <script src="/AuthorizedRead/unitbuild.js" url="/api-gateway/jpaas-publish-server/front/page/build/unit"
            queryData="{'webId':'…','pageId':'1311043','tplSetId':'…','pageType':'column','tagId':'信息列表',…}">

and the unit's answer to a GET of ``url`` with those fields and ``paramJson={"pageNo":N,"pageSize":15}``:
``{"success":true,"data":{"html":"<ul>…the rows…</ul><div … count=\"45\">"}}``. Read, never run."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import etree

from .errors import ParseError
from .lines import absolute_url

# As unitbuild.js asks: fifteen rows a page.
PAGE_SIZE = 15
# What a list's unit is called (信息列表, 概览信息列表, 栏目-list, 阳光政务_分页列表, ajax分页); a unit of the
# content (内容区域, 右侧内容, 内容1) may be it too; a page's other units build its menu, header or footer.
_LIST_TAG = re.compile(r"列表|list|分页", re.I)
_FRAME_TAG = re.compile(r"导航|菜单|头部|底部|页脚|页头|页尾|banner|nav|menu|header|footer", re.I)
# The rows a unit's pager says it has: <div class="pagination" count="45">, totalRecord: 45.
_TOTAL = re.compile(r"""\b(?:count|total|totalrecord|totalcount)\s*[=:]\s*["']?(\d+)""", re.I)


@dataclass(frozen=True)
class UnitAnswer:
    html: str  # the rows, as the page's script writes them
    endpoint: str  # the unit's API, and the fields it was asked with (but the page)
    fields: dict[str, str]
    page: int
    page_size: int
    total_entries: int | None


def unit_request(root: etree._Element, base_url: str, rows_shown: bool = False) -> str | None:
    """The URL of the first page of the list a column page's unit script asks for, or None: the
    first unit named a list (信息列表), else, where the page shows no rows of its own
    (``rows_shown``), its first unit that builds no menu or footer (内容区域)."""
    units = []
    for script in root.iter("script"):
        if "unitbuild" not in (script.get("src") or "").lower() or not script.get("url"):
            continue
        fields = _query_data(script.get("querydata") or "")
        endpoint = absolute_url(base_url, script.get("url").strip())
        if fields is not None and endpoint:
            units.append((endpoint, fields))
    chosen = next((unit for unit in units if _LIST_TAG.search(unit[1].get("tagId", ""))), None)
    if chosen is None and not rows_shown:
        chosen = next((unit for unit in units if not _FRAME_TAG.search(unit[1].get("tagId", ""))), None)
    if chosen is None:
        return None
    endpoint, fields = chosen
    return _with_page(endpoint, fields, 1, PAGE_SIZE)


def _query_data(value: str) -> dict[str, str] | None:
    """The unit's fields: JSON, or as the templates write them, a literal in single quotes."""
    try:
        data = json.loads(value)
    except ValueError:
        try:
            data = ast.literal_eval(value.strip()) if len(value) < 4000 else None
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return None
    if not isinstance(data, dict):
        return None
    return {str(key): str(field) for key, field in data.items() if isinstance(field, (str, int, float))}


def _with_page(endpoint: str, fields: dict[str, str], page: int, page_size: int) -> str:
    query = {**fields, "paramJson": json.dumps({"pageNo": page, "pageSize": page_size}, separators=(",", ":"))}
    parts = urlsplit(endpoint)
    return urlunsplit(parts._replace(query=urlencode(query)))


def unit_answer(text: str, url: str) -> UnitAnswer | None:
    """The unit's answer to ``url``, or None if ``text`` is none; ParseError if the unit answered
    that it built nothing (``success`` false, no ``data``)."""
    if not text.lstrip().startswith("{") or "/build/unit" not in urlsplit(url).path:
        return None
    try:
        answer = json.loads(text)
    except ValueError:
        return None
    if not isinstance(answer, dict):
        return None
    data = answer.get("data")
    html = data.get("html") if isinstance(data, dict) else None
    if not isinstance(html, str) or answer.get("success") is False:
        raise ParseError("no_list_entries", f"the list's unit answered no rows: {text[:120]!r}")
    parts = urlsplit(url)
    fields = dict(parse_qsl(parts.query))
    page, page_size = _paging(fields.pop("paramJson", "{}"))
    total = _TOTAL.search(html)
    return UnitAnswer(html, urlunsplit(parts._replace(query="")), fields, page, page_size, int(total.group(1)) if total else None)


def _paging(asked: str) -> tuple[int, int]:
    """The page and page size a ``paramJson`` asks for."""
    try:
        paging = json.loads(asked)
        return int(paging.get("pageNo", 1)), int(paging.get("pageSize", PAGE_SIZE))
    except (ValueError, TypeError, AttributeError):
        return 1, PAGE_SIZE


def next_unit_page(answer: UnitAnswer, rows: int) -> str | None:
    """The URL of the unit's next page, or None after the last: the page that reaches the total
    its pager says, else a page of fewer rows than asked."""
    if rows == 0:
        return None
    if answer.total_entries is not None:
        if answer.page * answer.page_size >= answer.total_entries:
            return None
    elif rows < answer.page_size:
        return None
    return _with_page(answer.endpoint, answer.fields, answer.page + 1, answer.page_size)
