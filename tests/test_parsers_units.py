"""The Zhejiang platform's column pages that ask a page-building unit for their rows
(parsers/units.py): the unit's first page read from the page, its JSON answers read as list pages."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from parsers import ParseError, parse_list

COLUMN_URL = "http://rd.example/col/col1311043/index.html"
UNIT = "/api-gateway/jpaas-publish-server/front/page/build/unit"
LIST_UNIT = ("{'webId':'4091','pageId':'1311043','tplSetId':'Pk3sQv','pageType':'column','tagId':'信息列表',"
             "'editType':'null','parseType':'bulidstatic'}")
NAV_UNIT = "{'webId':'4091','pageId':'1311000','tplSetId':'Pk3sQv','pageType':'column','tagId':'导航'}"
SIDE_BOX = ('<div class="xglj"><div class="xglj-title">工作动态</div><ul>'
            '<li><a href="/col/col1311041/art/2022/art_1.html">区人大常委会召开第五次主任会议</a><span>[2022-10-20]</span></li>'
            '<li><a href="/col/col1311041/art/2022/art_2.html">区人大代表开展代表联络站开放日活动</a><span>[2022-09-16]</span></li></ul></div>')


def column_page(*units: str, rows: str = SIDE_BOX) -> bytes:
    scripts = "".join(f'<script src="/AuthorizedRead/unitbuild.js" url="{UNIT}" queryData="{unit}"></script>' for unit in units)
    return ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>审议意见</title></head><body>'
            '<div class="crumb">当前位置：<a href="/">首页</a><span>&gt;</span><a href="/col/col1311043/index.html">审议意见</a></div>'
            f'<div class="left">{rows}</div><div class="right"><div class="column-title">审议意见</div><div id="信息列表"></div>{scripts}'
            '</div></body></html>').encode("utf-8")


def asked(url: str) -> dict:
    fields = dict(parse_qsl(urlsplit(url).query))
    return {**fields, "paramJson": json.loads(fields["paramJson"])}


def answer(first: int, last: int, count: int | None = 45, success: bool = True) -> bytes:
    rows = "".join(f'<li><a href="/col/col1311043/art/2022/art_{n:032x}.html" title="关于我区第{n}项工作情况的审议意见">'
                   f'<span class="bt-title">关于我区第{n}项工作情况的审议意见</span><span class="bt-data-time">[2022-11-{n % 28 + 1:02d}]</span></a></li>'
                   for n in range(first, last + 1))
    pager = f'<div class="pagination" count="{count}" pagesize="15"></div>' if count is not None else ""
    return json.dumps({"success": success, "data": {"html": f'<ul class="page-content">{rows}</ul>{pager}'} if success else None},
                      ensure_ascii=False).encode("utf-8")


def test_a_column_page_that_asks_its_list_unit_leads_to_the_units_first_page():
    page = parse_list(column_page(NAV_UNIT, LIST_UNIT), COLUMN_URL)
    assert page.rows_by_script and page.entries == []  # the side box's rows are no list of the column
    (request,) = page.next_requests
    assert request.url.startswith("http://rd.example" + UNIT + "?") and request.method == "GET" and request.by_script
    assert asked(request.url) == {"webId": "4091", "pageId": "1311043", "tplSetId": "Pk3sQv", "pageType": "column", "tagId": "信息列表",
                                  "editType": "null", "parseType": "bulidstatic", "paramJson": {"pageNo": 1, "pageSize": 15}}


def test_unit_fields_written_as_json_are_read_too():
    fields = json.dumps({"webId": "4091", "pageId": "1311043", "tagId": "文章列表"}, ensure_ascii=False).replace('"', "&quot;")
    (request,) = parse_list(column_page(fields), COLUMN_URL).next_requests
    assert asked(request.url)["tagId"] == "文章列表"


def test_a_page_with_rows_of_its_own_and_a_unit_that_builds_no_list_keeps_its_rows():
    page = parse_list(column_page(NAV_UNIT, NAV_UNIT.replace("导航", "内容区域")), COLUMN_URL)
    assert not page.rows_by_script and len(page.entries) == 2


@pytest.mark.parametrize("tag", ["概览信息列表", "栏目-list", "阳光政务_分页列表", "ajax分页"])
def test_a_unit_named_a_list_or_its_pages_is_the_list(tag):
    (request,) = parse_list(column_page(NAV_UNIT, LIST_UNIT.replace("信息列表", tag)), COLUMN_URL).next_requests
    assert asked(request.url)["tagId"] == tag


def test_a_page_of_no_rows_asks_its_first_unit_of_content_not_its_menu():
    (request,) = parse_list(column_page(NAV_UNIT, LIST_UNIT.replace("信息列表", "内容区域"), rows=""), COLUMN_URL).next_requests
    assert asked(request.url)["tagId"] == "内容区域"
    assert parse_list(column_page(NAV_UNIT, rows=""), COLUMN_URL).next_requests == []


@pytest.mark.parametrize("number, first, last, count, following", [
    (1, 1, 15, 45, 2),
    (3, 31, 45, 45, None),  # the page that reaches the count its pager says
    (1, 1, 15, None, 2),  # no count: a full page has a next
    (2, 16, 22, None, None),  # fewer rows than asked: the last
])
def test_a_units_answer_is_a_list_page_that_leads_to_the_next_until_the_last(number, first, last, count, following):
    (request,) = parse_list(column_page(LIST_UNIT), COLUMN_URL).next_requests
    url = request.url.replace("%22pageNo%22%3A1", f"%22pageNo%22%3A{number}")
    page = parse_list(answer(first, last, count), url, "application/json;charset=UTF-8")
    assert page.script_answer and len(page.entries) == last - first + 1
    assert page.entries[0].title == f"关于我区第{first}项工作情况的审议意见" and page.entries[0].published_at.startswith("2022-11-")
    assert (page.page, page.total_entries, page.total_pages) == (number, count, 3 if count else None)
    assert [asked(next_page.url)["paramJson"]["pageNo"] for next_page in page.next_requests] == ([following] if following else [])
    assert all(asked(next_page.url)["tagId"] == "信息列表" for next_page in page.next_requests)


def test_a_unit_that_answers_it_built_nothing_is_a_list_failure():
    (request,) = parse_list(column_page(LIST_UNIT), COLUMN_URL).next_requests
    with pytest.raises(ParseError) as raised:
        parse_list(answer(1, 0, success=False), request.url, "application/json")
    assert raised.value.reason == "no_list_entries"


def test_a_page_whose_only_dated_links_are_its_trails_lists_nothing():
    """Its trail (首页 > 审议意见) links the home page and the page itself: no rows."""
    page = parse_list(column_page(rows='<p>更新时间：2022-11-15</p>'), COLUMN_URL)
    assert page.entries == []


def test_a_units_rows_link_relative_to_the_page_that_asked():
    (request,) = parse_list(column_page(LIST_UNIT), COLUMN_URL).next_requests
    relative = answer(1, 15).replace(b'href=\\"/col/col1311043/', b'href=\\"')
    assert relative != answer(1, 15)
    page = parse_list(relative, request.url, "application/json", asked_by=COLUMN_URL)
    assert page.entries[0].url == f"http://rd.example/col/col1311043/art/2022/art_{1:032x}.html"

