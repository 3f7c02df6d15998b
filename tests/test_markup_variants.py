"""Markup a reader cannot tell apart gives the same record. Each rewrite below keeps what a
browser shows of a page (its text, its links) or says it as another site would (other labels,
ASCII colons, dates in Chinese, the header's fields one a line), and changes what a parser might
lean on instead: class names and ids, wrapper elements and layout tables, the tags that make a
line, the case of tags, character references, comments and line breaks between blocks. Every
replica markup's article and list pages, rewritten each way and all ways at once, must parse to
what the page as served gives (which ``test_parsers_families.py`` and ``test_parsers_list.py``
check against the replica's ground truth); the real pages of other sites, rewritten the ways
that change no word of them, must parse as they do unchanged."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import asdict
from html import escape as html_escape
from pathlib import Path
from urllib.parse import urljoin

import lxml.html
import pytest
from w3lib.url import canonicalize_url

from parsers import NotAnArticle, ParseError, parse_article, parse_list
from parsers.encoding import decode_html
from parsers.lines import clean_text
from parsers.pages import classify_page
from replica import render
from replica.site import MARKUPS, Site
from tests.conftest import ReplicaPages
from tests.test_parsers_parts import PAGERS, PARTS
from tests.test_parsers_parts import page as paged_article_page

SHARED = Path(os.environ.get("NPC_SHARED_DIR", Path(__file__).resolve().parent.parent.parent / "shared"))
# Scripts, styles and comments are left as they are: a rewrite there changes no text a reader
# sees, but a script's document.write or a counter's URL may be what the parser reads, and a
# comment inside a comment would end it.
_CODE = re.compile(r"(<script\b.*?</script\s*>|<style\b.*?</style\s*>|<textarea\b.*?</textarea\s*>|<!--.*?-->)", re.I | re.S)
_NAMED = re.compile(r"""\b(class|id)\s*=\s*(["'])(.*?)\2""", re.I | re.S)
_BLOCK_END = re.compile(r"(</(?:p|div|li|ul|tr|table|h[1-6])\s*>)", re.I)
_TAG_NAME = re.compile(r"<(/?)([a-z][a-z0-9]*)", re.I)
_TEXT_RUN = re.compile(r">(\s*)([^<>]*?\S)(\s*)<")
_PLAIN_PARAGRAPH_BREAK = re.compile(r"</p>\s*<p>", re.I)
# The labels of the header fields, each with another that sites of these families write.
_LABEL_VARIANTS = {"发布时间": "发布日期", "发布日期": "发布时间", "更新时间": "发布时间", "信息来源": "来源", "文章来源": "信息来源",
                   "来源": "稿件来源", "查看次数": "浏览次数", "浏览次数": "阅读次数", "点击数": "点击次数", "访问次数": "访问量"}
_FIELD_LABELS = "发布时间|发布日期|更新时间|信息来源|文章来源|来源|查看次数|浏览次数|点击数|访问次数|点击"
_FIELD_LABEL = re.compile(rf"((?:{_FIELD_LABELS})(?=\s*(?:<[^>]*>\s*)*[:：]))")
_FIELD_COLON = re.compile(rf"((?:{_FIELD_LABELS})(?:<[^>]*>)*)：")
_ISO_DATE = re.compile(r"(?<![\d/-])((?:19|20)\d\d)-(\d{1,2})-(\d{1,2})(?![\d/-])")
_LINK_THEN_DATE = re.compile(r"(<a\b[^>]*>[^<]{4,}</a>)\s*(<(span|font|em|i|td)\b[^>]*>[^<]*\d{4}-\d{1,2}-\d{1,2}[^<]*</\3>)", re.I)
_ISO_DATETIME = re.compile(_ISO_DATE.pattern + r"(?:\s+\d{1,2}:\d\d(?::\d\d)?)?")
_VARIANT_LABEL = re.compile(rf"({'|'.join(sorted(_LABEL_VARIANTS, key=len, reverse=True))})(?=\s*(?:<[^>]*>\s*)*[:：])")


def _outside_code(rewrite: Callable[[str], str]) -> Callable[[str], str]:
    def apply(html: str) -> str:
        return "".join(part if index % 2 else rewrite(part) for index, part in enumerate(_CODE.split(html)))
    apply.__name__ = rewrite.__name__
    return apply


@_outside_code
def renamed_classes_and_ids(html: str) -> str:
    names: dict[str, str] = {}
    def rename(match: re.Match[str]) -> str:
        tokens = [names.setdefault(token, f"k{len(names)}") for token in match[3].split()]
        return f'{match[1]}={match[2]}{" ".join(tokens)}{match[2]}'
    return _NAMED.sub(rename, html)


def _body_within(html: str, opening: str, closing: str) -> str:
    """The page's whole body inside the markup ``opening`` and ``closing`` write."""
    html = re.sub(r"(<body\b[^>]*>)", lambda match: match[1] + opening, html, count=1, flags=re.I)
    return re.sub(r"(</body\s*>)", lambda match: closing + match[1], html, count=1, flags=re.I)


def wrapped_in_more_divs(html: str) -> str:
    return _body_within(html, '<div class="outer"><div class="inner">', "</div></div>")


@_outside_code
def paragraphs_as_divs(html: str) -> str:
    return re.sub(r"<(/?)p\b", r"<\1div", html, flags=re.I)


@_outside_code
def upper_case_tags(html: str) -> str:
    return _TAG_NAME.sub(lambda match: f"<{match[1]}{match[2].upper()}", html)


@_outside_code
def comments_and_line_breaks_between_blocks(html: str) -> str:
    return _BLOCK_END.sub(r"\1\n  <!-- block -->\n  ", html)


@_outside_code
def text_in_spans(html: str) -> str:
    """Every run of text in the body in a span of its own (an editor's <span style=…> soup)."""
    head, separator, body = html.partition("<body")
    return head + separator + _TEXT_RUN.sub(r">\1<span>\2</span>\3<", body) if separator else html


@_outside_code
def plain_paragraphs_as_line_breaks(html: str) -> str:
    """Paragraphs with no attributes of their own run together, a <br> between them."""
    return _PLAIN_PARAGRAPH_BREAK.sub("<br>", html)


@_outside_code
def headings_as_styled_divs(html: str) -> str:
    """Big bold text in a div, as an editor writes a title, in place of <h1>-<h6>."""
    html = re.sub(r"<h[1-6]\b", '<div style="font-size:22px;font-weight:bold"', html, flags=re.I)
    return re.sub(r"</h[1-6]\s*>", "</div>", html, flags=re.I)


@_outside_code
def characters_as_references(html: str) -> str:
    """Chinese characters and spaces of the body's text as character references (&#26469;, &nbsp;)."""
    head, separator, body = html.partition("<body")
    if not separator:
        return html
    def encode(match: re.Match[str]) -> str:
        return "".join(f"&#{ord(char)};" if "\u4e00" <= char <= "\u9fff" or char == "：" else "&nbsp;" if char == " " else char
                       for char in match[0])
    return head + separator + _TEXT_RUN.sub(encode, body)


@_outside_code
def other_labels(html: str) -> str:
    """The header's labels in the words of another site (发布日期 for 发布时间, 浏览次数 for 查看次数)."""
    return _VARIANT_LABEL.sub(lambda match: _LABEL_VARIANTS[match[1]], html)


@_outside_code
def header_fields_one_a_line(html: str) -> str:
    """Each labelled field of the header on a line of its own, as a stacked header shows them."""
    head, separator, body = html.partition("<body")
    return head + separator + _FIELD_LABEL.sub(r"<br>\1", body) if separator else html


def wrapped_in_a_layout_table(html: str) -> str:
    """The whole page in one cell of a layout table, as sites of the table era are built."""
    return _body_within(html, '<table width="100%"><tr><td>', "</td></tr></table>")


@_outside_code
def dates_in_chinese(html: str) -> str:
    """2022-11-15 written 2022年11月15日."""
    return _ISO_DATE.sub(r"\1年\2月\3日", html)


@_outside_code
def ascii_colons_after_labels(html: str) -> str:
    """来源: for 来源：, as a site with a Western keyboard's template writes it."""
    return _FIELD_COLON.sub(r"\1:", html)


_SHORT_LABEL = re.compile(r"(?<![\u4e00-\u9fff])(来源|点击|时间|日期|作者)(?=\s*(?:<[^>]*>\s*)*[:：])")


@_outside_code
def labels_spaced_out(html: str) -> str:
    """A label of two characters spaced out to line up with longer ones (来　源：, 点&nbsp;&nbsp;击：)."""
    return _SHORT_LABEL.sub(lambda match: f"{match[1][0]}　{match[1][1]}" if match[1] != "点击" else "点&nbsp;&nbsp;击", html)


@_outside_code
def labels_in_brackets(html: str) -> str:
    """【发布时间】2022-11-15 【来源】椒江人大网: a label in brackets, no colon after it."""
    return _FIELD_COLON.sub(lambda match: f"【{match[1]}】", html)


@_outside_code
def zero_width_spaces_in_text(html: str) -> str:
    """Zero-width spaces and joiners inside the words of the body, as Word or WeChat leave them
    in pasted text (&#8203; and U+200D, U+FEFF)."""
    head, separator, body = html.partition("<body")
    marks = iter(["&#8203;", "\u200d", "\ufeff", "\u200b"] * 100)
    return head + separator + re.sub(r"(?<=[\u4e00-\u9fff])(?=[\u4e00-\u9fff])", lambda _: next(marks), body, count=300) if separator else html


_TAG = re.compile(r"(<[^<>]*>)")
_TRAIL_SEPARATOR = re.compile(r"&gt;&gt;|>>|&gt;|>|&raquo;|»")


@_outside_code
def trails_in_slashes(html: str) -> str:
    """The trail's separators written as slashes (首页 / 审议意见 / 正文)."""
    return "".join(part if index % 2 else _TRAIL_SEPARATOR.sub("/", part) for index, part in enumerate(_TAG.split(html)))


_COLUMN_CRUMB = re.compile(r"((?:&gt;|&raquo;|»|(?<=\s)>)+(?:&nbsp;|\s|</span>)*(?:<a\b[^>]*>\s*)?审议意见\s*(?:</a>)?)")


@_outside_code
def trails_divided_by_year(html: str) -> str:
    """The column divided by year, the year a crumb of the trail (首页 > 审议意见 > 2022年 > 正文)."""
    return _COLUMN_CRUMB.sub(r'\1 &gt; <a href="/shyj/2022/">2022年</a>', html, count=1)


_CHARSET = re.compile(r"charset=[\"']?([\w-]+)", re.I)
_XHTML_DOCTYPE = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'


_HEADER_FIELD = re.compile(r"(发布时间|发布日期|发布时期|更新时间|信息来源|文章来源|来源|查看次数|浏览次数|点击数|访问次数|点击|作者|评论)\s*[:：]\s*")


def _header_fields(header: lxml.html.HtmlElement) -> tuple[str, list[tuple[str, str]]]:
    """What a header element shows before its first label (a date alone), and its labelled
    fields, each value as markup (a counter's script kept)."""
    pieces = []
    def flatten(element: lxml.html.HtmlElement) -> None:
        if element.tag == "script":
            pieces.append(lxml.html.tostring(element, encoding="unicode", with_tail=False))
            return
        pieces.append(html_escape(element.text or ""))
        for child in element:
            if isinstance(child.tag, str):
                flatten(child)
            pieces.append(html_escape(child.tail or ""))
    flatten(header)
    parts = _HEADER_FIELD.split("".join(pieces).replace("\xa0", " "))
    return parts[0], [(parts[index], parts[index + 1].strip(" |")) for index in range(1, len(parts) - 1, 2)]


def _header_rebuilt(html: str, build: Callable[[list[tuple[str, str]]], str]) -> str:
    """The page with its header (the smallest element of two labelled fields or more) written anew."""
    root = lxml.html.document_fromstring(html)
    headers = [element for element in root.body.iter() if isinstance(element.tag, str) and element.tag not in ("script", "style")
               and len(text := clean_text(element.text_content())) < 200 and len(_HEADER_FIELD.findall(text)) >= 2]
    if not headers:
        return html
    header = min(headers, key=lambda element: len(element.text_content()))
    before, fields = _header_fields(header)
    rebuilt = lxml.html.fragment_fromstring(f"<div>{before}{build(fields)}</div>")
    rebuilt.tail = header.tail
    header.getparent().replace(header, rebuilt)
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


_COUNT_LABEL_COLON = re.compile(r"((?:浏览次数|点击数|查看次数|访问次数)(?:\s*<[^>]*>)*\s*)[:：]")


@_outside_code
def count_labels_without_colons(html: str) -> str:
    """A count label with no colon, its count written right after it by a script, before the
    header's next field or at its end (点击数 <script src=…> 更新时间：…, | 浏览次数 <script>)."""
    return _COUNT_LABEL_COLON.sub(lambda match: match[1] + " ", html)


def header_as_a_table(html: str) -> str:
    """The header's fields as the rows of a table, each label in a cell of its own (信息公开)."""
    return _header_rebuilt(html, lambda fields: "<table>" + "".join(f"<tr><th>{label}：</th><td>{value}</td></tr>"
                                                                    for label, value in fields) + "</table>")


def header_as_a_definition_list(html: str) -> str:
    """The header's fields as a definition list, no colon after a label (<dt>来源</dt><dd>…</dd>)."""
    return _header_rebuilt(html, lambda fields: "<dl>" + "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in fields) + "</dl>")


def opened_as_xhtml(html: str) -> str:
    """An XML declaration of the page's charset and XHTML's doctype before the page, as XHTML
    1.0 templates open (browsers read a text/html page the same with or without them)."""
    charset = _CHARSET.search(html)
    declaration = f'<?xml version="1.0" encoding="{charset[1] if charset else "utf-8"}"?>\n'
    return declaration + _XHTML_DOCTYPE + "\n" + re.sub(r"^\s*<!DOCTYPE[^>]*>\s*", "", html, flags=re.I)


_ATTRIBUTE = re.compile(r"""(\s[\w-]+)=(["'])([\w./:?&;=%#-]+)\2(?!/)""")  # not before />: the slash would join the value


@_outside_code
def attributes_unquoted(html: str) -> str:
    """Attribute values without quotes (<a href=list_2.html target=_blank>), as old ASP templates write them."""
    return "".join(_ATTRIBUTE.sub(r"\1=\3", part) if index % 2 else part for index, part in enumerate(_TAG.split(html)))


def windows_line_endings(html: str) -> str:
    """Lines ended by CR LF, as a template saved on Windows ends them."""
    return html.replace("\r\n", "\n").replace("\n", "\r\n")


def opened_by_a_byte_order_mark(html: str) -> str:
    """A UTF-8 page opened by the byte-order mark that Windows' Notepad writes."""
    charset = _CHARSET.search(html)
    return "\ufeff" + html if charset and charset[1].lower() in ("utf-8", "utf8") else html


_COUNT = re.compile(r"((?:浏览次数|点击数|查看次数|访问次数|阅读次数|点击)\s*[:：]\s*(?:<[^>]*>\s*)*)(\d{4,})(?!\d)")


@_outside_code
def counts_in_groups_of_three(html: str) -> str:
    """A count written 44,920, as a template's number format writes it."""
    return _COUNT.sub(lambda match: f"{match[1]}{int(match[2]):,}", html)


REWRITES = [renamed_classes_and_ids, wrapped_in_more_divs, paragraphs_as_divs, upper_case_tags,
            comments_and_line_breaks_between_blocks, text_in_spans, plain_paragraphs_as_line_breaks,
            headings_as_styled_divs, characters_as_references, other_labels, header_fields_one_a_line,
            wrapped_in_a_layout_table, dates_in_chinese, ascii_colons_after_labels, labels_spaced_out,
            zero_width_spaces_in_text, trails_in_slashes, labels_in_brackets, opened_as_xhtml, attributes_unquoted,
            windows_line_endings, opened_by_a_byte_order_mark]


# What a page hides by its own markup: a copy of another article (a phone or 适老版 copy, a title
# and date for search engines) before the page, and a hacked site's links in its text.
_HIDDEN_COPY = ('<div style="display:none"><h1>关于网站改版的说明</h1><p>发布时间：2001-01-01 来源：网站管理员 浏览次数：7</p>'
                '<p>本站将于近期改版，改版期间部分栏目暂停更新，敬请谅解。</p></div>')
_HIDDEN_LINKS = '<span style="DISPLAY: none"><a href="http://casino.example/">澳门娱乐城</a></span><b style="display: none">bet365</b>'


@_outside_code
def hidden_copy_and_links(html: str) -> str:
    html = re.sub(r"(<body\b[^>]*>)", lambda match: match[1] + _HIDDEN_COPY, html, count=1, flags=re.I)
    return re.sub(r"(。)(</p>)", lambda match: match[1] + _HIDDEN_LINKS + match[2], html, count=3, flags=re.I)


def hidden_copy_by_the_pages_stylesheet(html: str) -> str:
    """The hidden copy before the page hidden by a class that the page's own <style> hides."""
    html = re.sub(r"(</head\s*>)", lambda match: "<style>.yc{display:none}</style>" + match[1], html, count=1, flags=re.I)
    hidden = _HIDDEN_COPY.replace('style="display:none"', 'class="yc"')
    return re.sub(r"(<body\b[^>]*>)", lambda match: match[1] + hidden, html, count=1, flags=re.I)


_FULL_WIDTH = str.maketrans("0123456789-:", "０１２３４５６７８９－：")
_HEADER_DATE = re.compile(r"((?:发布时间|发布日期|更新时间|时间|日期)[:：]\s*(?:<[^>]*>\s*)*)(\d{4}-\d{1,2}-\d{1,2}(?: \d\d:\d\d(?::\d\d)?)?)")


@_outside_code
def header_date_in_full_width_figures(html: str) -> str:
    """发布日期：２０２２－１１－１５ １７：２１, typed by hand into a template's field (a list's dates are the template's own)."""
    return _HEADER_DATE.sub(lambda match: match[1] + match[2].translate(_FULL_WIDTH), html)




@_outside_code
def dates_in_brackets(html: str) -> str:
    """A list row's 2022-11-15 17:21 written [2022-11-15 17:21], as many lists show it."""
    return _ISO_DATETIME.sub(r"[\g<0>]", html)


@_outside_code
def dates_before_titles(html: str) -> str:
    """A list row's date in front of its title's link, where it stood after it."""
    return _LINK_THEN_DATE.sub(r"\2 \1", html)


# A link of a title's length: its href, then its text up to </a>, no tag inside.
_TITLE_LINK = re.compile(r"""<a(\s[^>]*?)?\shref=(["'])(?!javascript:|#)([^"']+)\2([^>]*)>([^<]{8,})</a>""", re.I)


@_outside_code
def title_links_by_script(html: str) -> str:
    """A link of a title's length (a list's row, an article's 上一篇 and 下一篇) that goes nowhere
    but by its click's script, as some platforms open an article (href="javascript:void(0);"
    onclick="window.open('/art/…html')")."""
    def by_script(match: re.Match[str]) -> str:
        return f"""<a{match[1] or ""} href="javascript:void(0);" onclick="window.open('{match[3]}')"{match[4]}>{match[5]}</a>"""
    return _TITLE_LINK.sub(by_script, html)


# A pager's link: 下一页, 尾页 and the like, or a page's number.
_PAGER_LINK = re.compile(r"""<a(\s[^>]*?)?\shref=(["'])(?!javascript:|#)([^"']+)\2([^>]*)>(\s*(?:下一页|上一页|首页|尾页|末页|\d{1,3})\s*)</a>""", re.I)
_GO_PAGE = "<script>function goPage(url) { window.location.href = url; }</script>"


def pager_links_by_the_pages_function(html: str) -> str:
    """A pager whose links go by a function of the page's own, given the page's URL
    (href="javascript:goPage('list_2.html')", function goPage(url) { location.href = url; })."""
    called = _outside_code(lambda text: _PAGER_LINK.sub(
        lambda match: f"""<a{match[1] or ""} href="javascript:goPage('{match[3]}')"{match[4]}>{match[5]}</a>""", text))(html)
    return called if called == html else re.sub(r"(</head>)", lambda match: _GO_PAGE + match[1], called, count=1, flags=re.I)


_PAGE_TITLE = re.compile(r"(<title>)([^<]*?)(?:\s[-|–—]\s|_)([^<_]*?)(</title>)", re.I)


def titled_by_the_site_name(html: str) -> str:
    """The <title> the site's name alone (关于…_椒江人大网 titled 椒江人大网), as many sites title
    every page; a browser shows it in the tab, not on the page."""
    return _PAGE_TITLE.sub(r"\1\3\4", html, count=1)


def titled_by_the_column_and_the_site(html: str) -> str:
    """The <title> the column's name and the site's (审议意见_椒江人大网), the same on every article."""
    return re.sub(r"(<title>)[^<]*(</title>)", r"\1审议意见_椒江人大网\2", html, count=1, flags=re.I)


def site_name_first_in_the_title(html: str) -> str:
    """The site's name before the article's title in the <title> (椒江人大网-关于…)."""
    return _PAGE_TITLE.sub(r"\1\3-\2\4", html, count=1)


_NEIGHBOUR_LABELS = {"上一篇": "前一条", "下一篇": "后一条", "上一条": "上一篇", "下一条": "下一篇"}
_NEIGHBOUR_LABEL = re.compile(r"(上一篇|下一篇|上一条|下一条)(?=\s*[:：])")


@_outside_code
def neighbour_labels_of_other_sites(html: str) -> str:
    """上一篇 and 下一篇 written 前一条 and 后一条, and 上一条 and 下一条 written 上一篇 and 下一篇."""
    return _NEIGHBOUR_LABEL.sub(lambda match: _NEIGHBOUR_LABELS[match[1]], html)


@_outside_code
def arrows_before_neighbour_labels(html: str) -> str:
    """<< 上一篇： and » 下一篇：, an arrow before each neighbour's label."""
    return _NEIGHBOUR_LABEL.sub(lambda match: ("&lt;&lt; " if match[1].startswith("上") else "» ") + match[1], html)


HEADER_REWRITES = (other_labels, header_fields_one_a_line, ascii_colons_after_labels, labels_spaced_out, labels_in_brackets)  # of an article's header
LIST_REWRITES = [dates_in_brackets, dates_before_titles, title_links_by_script, pager_links_by_the_pages_function,
                 counts_in_groups_of_three]  # of a list's rows and pager
# Of an article: a list may hide rows that 加载更多 shows.
ARTICLE_REWRITES = [hidden_copy_and_links, hidden_copy_by_the_pages_stylesheet, header_date_in_full_width_figures,
                    title_links_by_script, header_as_a_table, header_as_a_definition_list, count_labels_without_colons,
                    counts_in_groups_of_three, neighbour_labels_of_other_sites, arrows_before_neighbour_labels,
                    trails_divided_by_year]
# Of an article's <title>, which a browser shows in its tab, not on the page. On a real page with
# no date at all (gov.cn's 公报), the <title> is what tells an article from a home page: titled by
# a name alone, it is refused, never read wrong.
TITLED_BY_NAMES = [titled_by_the_site_name, titled_by_the_column_and_the_site]
TITLE_REWRITES = [*TITLED_BY_NAMES, site_name_first_in_the_title]


def all_at_once(html: str) -> str:
    for rewrite in REWRITES:
        html = rewrite(html)
    return html


def served_pages(markup: str, count: int = 6) -> list[tuple[bytes, str, str | None]]:
    """A few article pages of the markup as its site serves them (a redirect followed)."""
    site = Site(markup=markup)
    return [ReplicaPages(site).followed(site.article_path(article)) for article in site.opinions()[:count]]


def served_list_pages(markup: str) -> list[tuple[bytes, str, str | None]]:
    """The column's first three list pages in the markup."""
    site = Site(markup=markup)
    return [ReplicaPages(site).followed(site.family.list_path(render.COLUMN, number) if site.family else render.list_url(number))
            for number in (1, 2, 3)]


def rewritten(page: tuple[bytes, str, str | None], rewrite: Callable[[str], str]) -> bytes:
    body, _, content_type = page
    text, codec = decode_html(body, content_type)
    return rewrite(text).encode(codec)


def cases(pages: dict[str, list[tuple[bytes, str, str | None]]], more: list[Callable[[str], str]] | None = None) -> list:
    """Each markup with each rewrite that changes its pages (a markup may have no plain <p> to run together)."""
    return [pytest.param(markup, rewrite, id=f"{markup}-{rewrite.__name__}") for markup in MARKUPS
            for rewrite in [*REWRITES, *(more or []), all_at_once] if rewritten(pages[markup][0], rewrite) != pages[markup][0][0]]


ARTICLES = {markup: served_pages(markup) for markup in MARKUPS}
LISTS = {markup: served_list_pages(markup) for markup in MARKUPS}


@pytest.mark.parametrize("markup, rewrite", cases(ARTICLES, [*ARTICLE_REWRITES, *TITLE_REWRITES]))
def test_an_article_a_reader_cannot_tell_apart_gives_the_same_record(markup, rewrite):
    for page in ARTICLES[markup]:
        body, url, content_type = page
        record = parse_article(body, url, content_type).to_dict()
        assert parse_article(rewritten(page, rewrite), url, content_type).to_dict() == record, url


def paged_article(family: str) -> list[tuple[bytes, str, None]]:
    """The pages of an article that a family's pager splits in three (tests/test_parsers_parts.py)."""
    pager, first_url, later_urls = PAGERS[family]
    return [(paged_article_page(paragraphs, pager(number)), url, None)
            for number, (url, paragraphs) in enumerate(zip([first_url, *later_urls], PARTS), start=1)]


PAGED_ARTICLES = [served for family in PAGERS for served in paged_article(family)]


# Each rewrite that changes the paged pages (they show no trail to write in slashes).
@pytest.mark.parametrize("rewrite", [rewrite for rewrite in [*REWRITES, *ARTICLE_REWRITES, *TITLE_REWRITES, all_at_once]
                                     if any(rewritten(served, rewrite) != served[0] for served in PAGED_ARTICLES)],
                         ids=lambda rewrite: rewrite.__name__)
def test_a_paged_article_a_reader_cannot_tell_apart_names_the_same_next_pages(rewrite):
    for served in PAGED_ARTICLES:
        body, url, _ = served
        record = parse_article(body, url).to_dict()
        assert parse_article(rewritten(served, rewrite), url).to_dict() == record, url


@pytest.mark.parametrize("markup", MARKUPS)
@pytest.mark.parametrize("division", ["2023年", "第十七届"])
def test_a_list_of_the_column_divided_by_year_or_term_is_the_columns(markup, division):
    """A start at 首页 > 审议意见 > 2023年 (or 第十七届) is the column's list, not another column's."""
    body, url, content_type = page = LISTS[markup][0]
    divided = rewritten(page, lambda html: trails_divided_by_year(html).replace("2022年", division))
    assert divided != body and classify_page(divided, url, content_type).kind == "column"


def _first_rows_alone(page: tuple[bytes, str, str | None], keep: int) -> tuple[bytes, list[str]]:
    """The list page with its rows after the first ``keep`` taken out (a column's last page), and
    the URLs of the rows kept. A row is the largest element around an entry's link that holds
    no other entry's."""
    body, url, content_type = page
    text, codec = decode_html(body, content_type)
    listed = [canonicalize_url(entry.url) for entry in parse_list(body, url, content_type).entries]
    root = lxml.html.fromstring(text)
    links = [link for link in root.iter("a") if link.get("href") and canonicalize_url(urljoin(url, link.get("href"))) in listed]
    for link in links:
        if canonicalize_url(urljoin(url, link.get("href"))) in listed[:keep]:
            continue
        row = link
        while row.getparent() is not None and sum(1 for other in row.getparent().iter("a") if other in links) == 1:
            row = row.getparent()
        if row.getparent() is not None:
            row.getparent().remove(row)
    return lxml.html.tostring(root, encoding="unicode").encode(codec, "xmlcharrefreplace"), listed[:keep]


# Hanweb's rows are records of a datastore in a script, not links of the page.
@pytest.mark.parametrize("markup", [markup for markup in MARKUPS if not markup.startswith("hanweb")])
@pytest.mark.parametrize("keep", [1, 2, 3])
def test_a_list_of_one_two_or_three_rows_gives_them(markup, keep):
    """A column's last page often holds a row or two: too few to tell a list by its rows alone."""
    for page in LISTS[markup]:
        shortened, kept = _first_rows_alone(page, keep)
        assert [canonicalize_url(entry.url) for entry in parse_list(shortened, page[1], page[2]).entries] == kept, page[1]


@pytest.mark.parametrize("markup, rewrite", cases(LISTS, LIST_REWRITES))
def test_a_list_a_reader_cannot_tell_apart_gives_the_same_entries_and_pager(markup, rewrite):
    for page in LISTS[markup]:
        body, url, content_type = page
        listing = asdict(parse_list(body, url, content_type))
        assert listing["entries"] and asdict(parse_list(rewritten(page, rewrite), url, content_type)) == listing, url


# What the real pages of other sites (../shared/real-pages) go through: the rewrites that change
# no word of a page. Not <p> as <div>: where a <p> sits in a <span> (chinaneast's Word HTML) a
# browser ends the paragraph at </span> but not a div, and the lines differ there too.
# Nor trails in slashes: a trail that names no home page or place (吉林省政府信息公开专栏 >> …) is
# told by its >> alone, and slashes alone part too much else (2022/11/15, 和/或).
WORDLESS_REWRITES = [rewrite for rewrite in REWRITES
                     if rewrite not in (*HEADER_REWRITES, paragraphs_as_divs, dates_in_chinese, trails_in_slashes)]
REAL_PAGES = SHARED / "real-pages"
REAL_LABELS = json.loads((REAL_PAGES / "labels.json").read_text(encoding="utf-8")) if REAL_PAGES.exists() else {}
REAL_ARTICLES, REAL_LISTS = sorted(REAL_LABELS.get("articles", {})), sorted(REAL_LABELS.get("lists", {}))


@pytest.mark.skipif(not REAL_PAGES.exists(), reason=f"shared real pages not found at {REAL_PAGES}")
@pytest.mark.parametrize("rewrite", [*WORDLESS_REWRITES, *ARTICLE_REWRITES, *TITLE_REWRITES], ids=lambda rewrite: rewrite.__name__)
def test_a_real_page_a_reader_cannot_tell_apart_gives_the_same_record(rewrite):
    for name in REAL_ARTICLES:
        page = ((REAL_PAGES / name).read_bytes(), "http://example.gov.cn/article.html", None)
        try:
            record = parse_article(*page).to_dict()
        except ParseError:  # a page refused (no visible date) is refused rewritten too
            with pytest.raises(ParseError):
                parse_article(rewritten(page, rewrite), page[1])
            continue
        if rewrite in TITLED_BY_NAMES and record["published_at"] is None:
            with pytest.raises(NotAnArticle, match="no_header"):
                parse_article(rewritten(page, rewrite), page[1])
            continue
        assert parse_article(rewritten(page, rewrite), page[1]).to_dict() == record, name


@pytest.mark.skipif(not REAL_PAGES.exists(), reason=f"shared real pages not found at {REAL_PAGES}")
@pytest.mark.parametrize("rewrite", [*WORDLESS_REWRITES, *LIST_REWRITES], ids=lambda rewrite: rewrite.__name__)
def test_a_real_list_a_reader_cannot_tell_apart_gives_the_same_entries_and_pager(rewrite):
    for name in REAL_LISTS:
        page = ((REAL_PAGES / name).read_bytes(), "http://example.gov.cn/list/index.html", None)
        listing = asdict(parse_list(*page))
        assert listing["entries"] and asdict(parse_list(rewritten(page, rewrite), page[1])) == listing, name


@pytest.mark.parametrize("pages, rewrites", [
    (ARTICLES, REWRITES),
    (LISTS, [*(rewrite for rewrite in REWRITES if rewrite not in HEADER_REWRITES), *LIST_REWRITES]),
], ids=["articles", "lists"])
def test_every_rewrite_applies_to_most_markups(pages, rewrites):
    found = cases(pages, LIST_REWRITES)
    for rewrite in rewrites:
        if rewrite is counts_in_groups_of_three:
            continue  # few markups show a count of four figures in the page's own text
        assert sum(case.values[1] is rewrite for case in found) >= len(MARKUPS) // 2, rewrite.__name__
