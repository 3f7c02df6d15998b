"""Property-based tests: mutated replica pages and arbitrary bytes give a record or a
ParseError, never another exception or a hang.

``HYPOTHESIS_PROFILE=fuzz pytest tests/test_fuzz_parsers.py`` runs a long campaign.
"""

from __future__ import annotations

import os
import re
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import ArticlePage, ListPage, ParseError, parse_article, parse_counter_script, parse_list
from replica.site import Site

settings.register_profile("ci", max_examples=40, deadline=timedelta(seconds=5),
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("fuzz", max_examples=3000, deadline=timedelta(seconds=5),
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

URL = "http://jjrd.example/ShowArticle.asp?ArticleID=1045"
# Real ones, unknown ones, and codecs that are not text encodings at all.
CHARSETS = ["gb2312", "gbk", "utf-8", "big5", "iso-8859-1", "shift_jis", "utf-16", "x-unknown", "", "hex", "rot13",
            "base64", "undefined", "idna", "punycode", "utf-7"]
# Elements whose attributes the parsers resolve or read; values drawn at random.
INJECTED = ["<a href='{}'>关于某事的审议意见 2022-01-01</a>", "<base href='{}'>", "<img src='{}'>", "<script src='{}'></script>",
            "<select><option selected>1</option><option value='{}'>2</option></select>", "<meta charset='{}'>",
            "<a href='{}'>下一页</a>", "<input type='{}'>"]


def _pages(kind: str) -> list[tuple[bytes, str]]:
    pages = []
    for markup in ("table", "div"):
        site = Site(markup=markup)
        targets = [f"/ShowArticle.asp?ArticleID={a.id}" for a in site.opinions()[:3]] if kind == "article" else \
            ["/list.asp?ClassID=5", "/list.asp?ClassID=5&page=3"]
        for target in targets:
            reply = site.handle(target)
            pages.append((reply.body, dict(reply.headers)["Content-Type"]))
    return pages


ARTICLES = _pages("article")
LISTS = _pages("list")
TAG = re.compile(rb"<[^<>]{0,200}>")


@st.composite
def mutated(draw, pages: list[tuple[bytes, str]]) -> tuple[bytes, str | None]:
    body, content_type = draw(st.sampled_from(pages))
    body = bytearray(body)
    for _ in range(draw(st.integers(1, 4))):
        mutation = draw(st.sampled_from(["flip", "truncate", "drop_tag", "charset", "splice", "reencode", "inject"]))
        if not body:
            break
        position = draw(st.integers(0, len(body) - 1))
        if mutation == "flip":
            for offset in range(draw(st.integers(1, 8))):
                if position + offset < len(body):
                    body[position + offset] = draw(st.integers(0, 255))
        elif mutation == "truncate":
            del body[position:]
        elif mutation == "drop_tag":
            tags = list(TAG.finditer(body))
            if tags:
                tag = draw(st.sampled_from(tags))
                del body[tag.start():tag.end()]
        elif mutation == "charset":
            content_type = f"text/html; charset={draw(st.sampled_from(CHARSETS))}"
            body = bytearray(re.sub(rb"charset=[\w-]+", b"charset=" + draw(st.sampled_from(CHARSETS)).encode(), bytes(body)))
        elif mutation == "splice":
            body[position:position] = draw(st.binary(max_size=64))
        elif mutation == "inject":
            value = draw(st.text(max_size=30)).replace("'", "")
            body[position:position] = draw(st.sampled_from(INJECTED)).format(value).encode("utf-8", errors="replace")
        elif mutation == "reencode":
            codec = draw(st.sampled_from(["utf-8", "utf-16", "big5", "gb18030"]))
            body = bytearray(bytes(body).decode("gbk", errors="replace").encode(codec, errors="replace"))
    return bytes(body), content_type


content_types = st.one_of(st.none(), st.sampled_from(CHARSETS).map(lambda c: f"text/html; charset={c}"), st.text(max_size=40))


@given(mutated(ARTICLES))
def test_mutated_article_pages(page):
    _record_or_parse_error(parse_article, ArticlePage, *page)


@given(mutated(LISTS))
def test_mutated_list_pages(page):
    _record_or_parse_error(parse_list, ListPage, *page)


@given(st.binary(max_size=4096), content_types)
def test_arbitrary_bytes(body, content_type):
    _record_or_parse_error(parse_article, ArticlePage, body, content_type)
    _record_or_parse_error(parse_list, ListPage, body, content_type)


@given(st.binary(max_size=512))
def test_counter_scripts(body):
    try:
        count, approximate = parse_counter_script(body)
    except ParseError as error:
        assert error.reason in ("no_count", "value_out_of_range")
    else:
        assert isinstance(count, int) and count >= 0 and isinstance(approximate, bool)


# Runs of what the parsers' patterns look for, long enough that a pattern which tries them
# character by character (a rule of dashes as ------分隔线, digits before 次) takes far longer
# than the deadline: one page holds a run above its header, in it, in its body and below it.
RUNS = ["-", "1", "次", "首页 - ", "大 ", "A+", "发布时间", "来源：", "位置", ">", "[1]", "主办：", "微信 ", "\ue602", "|", " ", "编辑：", "1164次"]


@settings(max_examples=len(RUNS) * 2)
@given(st.sampled_from(RUNS), st.sampled_from(["article", "list"]))
def test_long_runs_of_what_the_patterns_look_for(unit, kind):
    run = unit * (200_000 // len(unit))
    body, content_type = (ARTICLES if kind == "article" else LISTS)[0]
    html = body.decode("gb18030")  # the replica's pages are GBK, of which GB18030 is the superset
    html = html.replace("<body>", f"<body><p>{run}</p>", 1).replace("</body>", f"<div>{run}x</div></body>", 1).replace("发布", f"{run}发布", 1)
    html = html.replace("人民政府", f"<br>{run}<br>人民政府", 1)  # the body's first line
    _record_or_parse_error(parse_article if kind == "article" else parse_list, ArticlePage if kind == "article" else ListPage,
                           html.encode("gb18030"), content_type)


def test_deep_nesting_is_read_whole_or_refused():
    """Unclosed tags nest the rest of a page ever deeper: never cut it off silently."""
    body, content_type = ARTICLES[0]
    whole = parse_article(body, URL, content_type)
    assert parse_article(body.replace(b"<body>", b"<body>" + b"<font>" * 300, 1), URL, content_type) == whole
    # Deeper than Python's recursion limit: the walk is iterative, so this is read whole too.
    assert parse_article(body.replace(b"<body>", b"<body>" + b"<font>" * 1500, 1), URL, content_type) == whole
    with pytest.raises(ParseError):
        parse_article(body.replace(b"<body>", b"<body>" + b"<font>" * 3000, 1), URL, content_type)


def _record_or_parse_error(parse, record_type, body: bytes, content_type: str | None) -> None:
    try:
        record = parse(body, URL, content_type)
    except ParseError:
        return
    assert isinstance(record, record_type)
