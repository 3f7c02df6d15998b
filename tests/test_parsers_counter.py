"""The view-counter script: the number it writes, or a typed error, never a number found elsewhere."""

from __future__ import annotations

import pytest

from parsers import ParseError, parse_counter_script
from replica.faults import login_page
from replica.site import Site


def test_replica_counter_script_gives_the_count():
    site = Site()
    article = next(a for a in site.articles if a.counter_script)
    reply = site.handle(f"/count.asp?id={article.id}")
    assert parse_counter_script(reply.body) == (site.views[article.id], False)


@pytest.mark.parametrize("script, count, approximate", [
    (b"document.write('44920');", 44920, False),
    (b'document.writeln("1,234")', 1234, False),
    (b'document.write("<font color=\\"red\\">56</font>");', 56, False),
    (b"document.write(77);", 77, False),
    (b"var n = 2003;\ndocument.write('\xe6\x9f\xa5\xe7\x9c\x8b 9 \xe6\xac\xa1');", 9, False),
    (b"1203", 1203, False),  # VSB dynclicks.jsp, the Hanweb platform's ajax counter: the bare number
    (b" 1203\r\n", 1203, False),
    # PHPCMS api.php?op=count: the total is the one written into #hits
    (b"$('#todaydowns').html('2');$('#weekdowns').html('9');$('#monthdowns').html('30');\n$('#hits').html('4410');", 4410, False),
    (b"$(\"#views\").text(\"88\");", 88, False),
    (b"document.getElementById('hits').innerHTML = '12';", 12, False),
    # A count rounded to ten thousands, as the page would show it: 1.2万 is 12,000, not 1.
    ("document.write('1.2万');".encode(), 12000, True),
    ("document.write('阅读：3.4 万');".encode(), 34000, True),
    ("$('#hits').html('2.5万');".encode(), 25000, True),
    ("1.5万".encode(), 15000, True),
    # JSON: JEECMS's content_view.jspx [views, comments, downloads, ups, downs], PublicCMS's clicks
    # (as JSON or JSONP), SiteServer's value, a count one level down (WP-PostViews).
    (b"[346,0,0,0,0]", 346, False),
    (b'{"clicks":125}', 125, False),
    (b'jQuery11240_1700000000({"clicks":125});', 125, False),
    (b'{"value":346}', 346, False),
    (b'{"success":true,"data":{"views":1235}}', 1235, False),
    (b'{"code":0,"data":{"hits":"1,235"}}', 1235, False),  # a count as a string
    ('{"views":"1.2万"}'.encode(), 12000, True),
    (b'["346","0"]', 346, False),
    # Rounded to ten thousands as 1.2w, to thousands as 3.5k; a floor, 10万+ or 999+.
    (b"document.write('1.2w');", 12000, True),
    (b"document.write('3.5k');", 3500, True),
    ("document.write('10万+');".encode(), 100000, True),
    (b"999+", 999, True),
    ("document.write('4.5万');".encode("gbk"), 45000, True),  # a GBK site's counter writes its 万 in GBK
])
def test_the_written_number_is_the_count(script, count, approximate):
    assert parse_counter_script(script) == (count, approximate)


@pytest.mark.parametrize("body", [
    login_page().encode("gbk"),  # its charset gb2312 holds a number
    "<html><body>该信息不存在或已被删除 2022</body></html>".encode("gbk"),
    b"500 - Internal server error.",
    b"Copyright 2003-2022",
    b"",
    b"document.write('<img src=digits/4.gif>');",  # a counter drawn with images: no number to read
    b"$('#a').html('2');$('#b').html('9');",  # counts written, none of them named a count
    b'{"value":true}',  # SiteServer's SS.Hits: counted, no count
    b'{"id":12,"channel":3}',  # numbers, none of them named a count
    b"[]",
    b'{"clicks":',
    b"document.write('1.5');",  # a fraction of no unit: no count for sure
    b"\x80\x00\x00\x00\x00",  # no text in any charset
])
def test_anything_but_a_written_number_is_no_count(body):
    with pytest.raises(ParseError) as error:
        parse_counter_script(body)
    assert error.value.reason == "no_count"
