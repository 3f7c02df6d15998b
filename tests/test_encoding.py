"""Decoding page bytes: declared charsets, GBK-only characters, wrong declarations."""

from __future__ import annotations

from parsers.encoding import decode_html

TEXT = "副区长王喆、陈堃和朱镕基同志"


def page(charset: str) -> str:
    return f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"></head><body>{TEXT}</body></html>'


def test_gb2312_declared_with_gbk_only_characters():
    text, codec = decode_html(page("gb2312").encode("gbk"), "text/html; charset=gb2312")
    assert TEXT in text and codec == "gb18030"


def test_gb2312_declared_over_utf8_bytes():
    text, codec = decode_html(page("gb2312").encode("utf-8"), "text/html; charset=gb2312")
    assert TEXT in text and codec == "utf-8"


def test_wrong_charset_in_header_is_overruled_by_the_bytes():
    body = page("gb2312").encode("gbk")
    assert TEXT in decode_html(body, "text/html; charset=utf-8")[0]
    assert TEXT in decode_html(body, "text/html; charset=iso-8859-1")[0]


def test_meta_charset_without_header():
    assert TEXT in decode_html(page("gbk").encode("gbk"))[0]


def test_body_cut_inside_a_character_still_decodes():
    body = page("gb2312").encode("gbk")
    cut = body[: body.index(TEXT[-1].encode("gbk")) + 1]
    text, codec = decode_html(cut, "text/html; charset=gb2312")
    assert codec == "gb18030" and text.endswith("\ufffd") and TEXT[:-1] in text


def test_utf8_bom():
    text, codec = decode_html(b"\xef\xbb\xbf" + page("utf-8").encode("utf-8"))
    assert text.startswith("<html>") and codec == "utf-8"
