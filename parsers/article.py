"""Article page -> record. Anchored on what a reader sees: the labelled header line,
the title above it, the body below it down to the navigation (上一条/下一条) or side lists."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from functools import cache
from itertools import islice
from types import NoneType
from typing import Any, get_args, get_origin, get_type_hints, is_typeddict
from urllib.parse import SplitResult, parse_qsl, urlsplit

from lxml import etree

from .bot_checks import bot_check, bot_check_message
from .counter import COUNTER_WORDS, inline_counter_url, page_counts_own_view
from .errors import NotAnArticle
from .facts import document_facts
from .fields import (
    DATE_RE,
    SOURCE_LABELS,
    Header,
    bare_label,
    extract_header,
    fill_header,
    header_filled_by_script,
    is_count_line,
    is_count_phrase,
    is_header_line,
    parse_datetime,
)
from .lines import Line, Lines, Link, Page, absolute_url, in_full, page_lines, script_texts
from .listing import countpage_claim, trs_pager, trs_part_after
from .record import Attachment, DocumentRecord, Facts, NavLink, Section
from .requisites import requisites_of
from .sections import split_sections
from .text import match_key

SOFT_404_PHRASES = (
    "该信息不存在", "信息不存在", "已被删除", "已删除", "文章不存在", "页面不存在", "内容不存在", "找不到该页", "无法找到该页",
    "页面未找到", "404 Not Found", "Not Found", "参数错误", "非法参数", "出错了", "错误提示",
)
# A trail's line: a place label (当前位置, 您当前的位置：, 位置：首页), or its separators.
BREADCRUMB = re.compile(r"((?:当前|所在|现在)的?位置|位置\s*[:：]\s*(?:网站)?首页|>>|»|›|＞|→|^(?:网站)?首页\s*(?:>|-\s|/))")
# A trail in slashes (首页 / 审议意见 / 正文), told from a menu in slashes (首页 / 人大概况 / 工作动态 /
# 审议意见 / 代表工作 / 联系我们) by its length.
_SLASH_TRAIL = re.compile(r"^(?:网站)?首页\s*/")
MAX_SLASH_CRUMBS = 5
BREADCRUMB_SPLIT = re.compile(r"\s*(?:>>|»|›|＞|→|>|/|\||｜)\s*")
# A trail that a dash between spaces parts (首页 - 新闻动态); only where it opens with the home
# page, as a title in a trail of other separators may hold one (2019 - 2020学年).
_DASH_TRAIL = re.compile(r"^(?:网站)?首页\s+-\s")
_DASH_SPLIT = re.compile(r"\s+-\s+")
# Where a trail goes on over the lines below its first (首页 / > 要闻 / > 山西要闻): each opens with a separator.
_TRAIL_GOES_ON = (">", "»", "›", "＞", "→", "/")
HOME_NAMES = frozenset(("首页", "网站首页", "主页"))
_HOME_PREFIXES = tuple(HOME_NAMES)
_BREADCRUMB_LEAD = re.compile(r"^.*?(?:当前|所在|现在)?的?位置\s*[:：]?\s*")
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff]) (?=[\u4e00-\u9fff])")  # no Chinese name holds one
# What a trail ends with in place of the page's own name: an article's, or a list's (列表).
BREADCRUMB_LEAVES = {"阅读文章", "正文", "内容", "详情", "文章内容", "浏览文章", "查看文章", "文章", "详细内容", "正文内容", "查看内容",
                     "列表", "文章列表", "信息列表", "新闻列表"}
PREV_LABELS = ("上一条", "上一篇", "上篇", "前一篇", "前一条")
NEXT_LABELS = ("下一条", "下一篇", "下篇", "后一篇", "后一条")
# What a template shows where there is no neighbour: its words, or a link back to the list.
NAV_NONE = {"没有了", "无", "没有", "暂无", "没有了!", "没有了！", "最后一页", "第一页", "已是最后一篇", "已是第一篇",
            "已经是最后一篇", "已经是第一篇", "返回列表"}
BODY_END_MARKERS = PREV_LABELS + NEXT_LABELS + (
    "文章导航",  # WordPress's heading over the links to the posts before and after
    "相关文章", "相关链接", "相关新闻", "相关阅读", "最新更新", "最新文章", "阅读排行", "热门文章", "点击排行",
    "【打印", "打印本页", "【关闭", "关闭窗口", "【返回", "返回顶部", "分享到", "责任编辑", "文章录入", "相关热词",
    "扫一扫",  # the caption of the page's QR code (扫一扫在手机打开当前页), on Hanweb and 集约化 sites
    "分享至", "用微信扫",  # a share widget's caption (分享至好友和朋友圈, 用微信扫码二维码)
)
_DIGG_BUTTONS = ("来顶一下", "顶一下", "踩一下")  # EmpireCMS's and Dede's, under the count of them
BODY_END_MARKERS += _DIGG_BUTTONS + ("返回首页",)
_DIGG_COUNT = re.compile(r"^\d+$")
_LONE_TOOLS = frozenset(("关闭", "打印", "返回", "收藏"))  # a toolbar's button on a line of its own (CAC's 关闭)
FOOTER_MARKERS = ("版权所有", "ICP备", "Copyright", "技术支持", "设为首页", "加入收藏", "网站标识码", "公网安备", "网站地图",
                  "Powered by", "Made by",  # a CMS's credit in its stock footer (Made by ThinkCMF)
                  "免责声明", "转载目的在于传递更多信息")  # a reprint's disclaimer under the text
# A footer that opens with the site's sponsor (主办：某某县人大常委会办公室) and goes on with its
# contacts: the sponsor's line alone might be a notice's own (主办单位：…), the two together are not.
_SPONSOR_LABELS = ("主办", "承办")
FOOTER_REACH = 4
_CONTACT_LABEL = re.compile(r"^(?:主办|承办|协办|电话|联系电话|地址|通讯地址|邮编|邮政编码|传真|电子邮箱|E-?mail)\s*(?:单位)?\s*[:：]", re.I)
TOOL_LINE = re.compile(r"^[【\[]?\s*(字号|字体|打印|收藏|大\s*中\s*小)")
# A toolbar of bracketed page actions (【打印】【关闭】, [打印本页] [关闭窗口]) or a rule of dashes
# (DedeCMS's ------分隔线------): template furniture below the body, never a paragraph of it.
TOOLBAR_WORDS = ("打印", "关闭", "收藏", "返回", "字体", "字号", "发表评论", "加入收藏", "告诉好友", "推荐", "挑错", "分享", "纠错", "我要纠错")
_TOOLBAR_TOKEN = re.compile(r"[【\[]([^】\]]*)[】\]]")
# The same actions without brackets, two or more run together (打印关闭, 打印 | 关闭 | 收藏).
_BARE_TOOLBAR = re.compile(r"^(?:(?:打印|关闭|收藏|返回|分享)(?:本页|此页|本文|窗口|顶部)?[\s|丨/·]*){2,}$")
# The words of the widgets a template sets by the body, each button a word: a font-size picker
# (字号 超大 大 标准 小, A+ A-, T + -) and share buttons (微信 微博 QQ空间), their icons drawn
# with an icon font's private-use characters. A line of these words only is furniture.
WIDGET_WORDS = frozenset((
    "字号", "字体", "调整字体", "超大", "特大", "大", "中", "小", "标准", "默认", "放大", "缩小", "A+", "A-", "A", "T", "+", "-",
    "分享", "分享到", "分享至", "微信", "微博", "新浪微博", "腾讯微博", "微信好友", "朋友圈", "QQ", "QQ好友", "QQ空间", "Qzone",
    "复制链接", "纠错", "我要纠错", "一键分享", "豆瓣", "豆瓣网", "人人网", "开心网", "腾讯朋友", "百度贴吧",
    "鲜花", "握手", "雷人", "路过", "鸡蛋",  # Discuz's buttons to say what one thinks of an article
    "收藏", "点赞", "有帮助", "没帮助",  # XunRuiCMS's, each over its count
))
_WIDGET_GAP = r"[\s|丨/·:：【】\[\]\ue000-\uf8ff]"
# One pattern, not a split and a lookup: most lines fail it at their first character. Atomic,
# the longest word first, so that a line of them is read one way only (A+ is never A and +).
_WIDGET_LINE = re.compile(rf"{_WIDGET_GAP}*+(?:(?>{'|'.join(map(re.escape, sorted(WIDGET_WORDS, key=len, reverse=True)))}){_WIDGET_GAP}*+)++")
_WIDGET_SPLIT = re.compile(_WIDGET_GAP + "+")
# An article paged over several pages (共6页 [1] [2] [3] 下一页): the pager ends this page's part.
# It may open with its count (共6页:, EmpireCMS's 2/6, Discuz!'s / 6 页 after a jump box) or a
# label (WordPress's 页面：), set its words in brackets (JEECMS's [下一页]) or arrows (下一页>>,
# « 上一页) and its numbers as 第2页.
_PAGE_COUNT = r"(?:共\s*\d+\s*页|(?:页面|页码|分页)(?=\s*[:：])|\d{1,3}\s*/\s*\d{1,3}(?:\s*页)?)\s*[:：]?"
_PAGER_WORDS = "上一页|下一页|首页|尾页|末页"
_PAGER_MARKS = "[]【】<>«»‹›←→ "  # around a pager's word
_PAGER_WORD = rf"(?:[\[【]|[<«‹←]+\s*)?(?:{_PAGER_WORDS})(?:[\]】]|\s*[>»›→]+)?"
_PAGE_NUMBER = r"第\s*\d{1,3}\s*页"
_PAGER = re.compile(rf"^(?:{_PAGE_COUNT}\s*)?(?:(?:{_PAGER_WORD}|[\[【]\d{{1,3}}[\]】]|{_PAGE_NUMBER})\s*){{2,}}$")
# The same with its numbers bare (DedeCMS: 共2页: 上一页 1 2 下一页, or its 共2页: alone on a line of
# its own), where its words say it is a pager.
_BARE_PAGER = re.compile(rf"^{_PAGE_COUNT}$|^(?:{_PAGE_COUNT}\s*)?(?:(?:{_PAGER_WORD}|\d{{1,3}}|/\s*\d{{1,3}}\s*页)\s*){{2,}}$")
# A line of a pager, a word or number of it alone (DedeCMS puts each in an <li>), and the words
# of its link to the next page.
_PAGER_PIECE = re.compile(rf"^(?=.)(?:{_PAGE_COUNT}\s*)?(?:(?:{_PAGER_WORD}|[\[【]?\d{{1,3}}[\]】]?|{_PAGE_NUMBER}|/\s*\d{{1,3}}\s*页)\s*)*$")
_NEXT_PAGE_WORDS = ("下一页", "下页", "后一页")
_PAGE_COUNTS = re.compile(r"共\s*\d+\s*页|\d{1,3}\s*/\s*\d{1,3}|/\s*\d{1,3}\s*页")
PAGER_LINES = 16  # a pager of one <li> each: 共N页, 首页, 上一页, ten numbers, 下一页, 尾页
# The credits under an article (编辑：李楠, 供稿 摄影/张艳 编辑/苏芳): a line that opens with one, or holds two.
_CREDIT = re.compile(r"(?:责任编辑|编辑|责编|审核|校对|撰稿|摄影|供稿|审校|作者)\s*[:：/]")
# The editor's credit run on at the end of the body's last line, in brackets: DedeCMS writes
# （责任编辑：admin） straight after the body, so a body that ends in text, not a paragraph, ends
# 2022年11月15日（责任编辑：admin）.
_TRAILING_CREDIT = re.compile(r"\s*[（(【\[]\s*(?:责任编辑|编辑|责编)\s*[:：][^（()）【】\[\]]{0,20}[）)】\]]$")
_SOURCE_LABEL = re.compile(rf"^(?:{'|'.join(SOURCE_LABELS)})\s*[:：]")
# Related items under their label (关联稿件：, 相关专题:…): a label, not a sentence (相关信息显示，…).
_RELATED_LABEL = re.compile(r"^(?:相关(?:信息|评论|专题|稿件)|关联稿件)\s*(?:[:：]|$)")
# A post's topics and mentions (#大家健康超能团# @大家健康), as news sites close an article.
_SOCIAL_TAGS = re.compile(r"^(?:#[^#\s]{1,30}#|@[^@\s]{1,30}|\s)+$")
# The attachments' label with no attachment under it, where the body ends.
_BARE_ATTACHMENT_LABEL = re.compile(r"^(?:相关)?附件(?:下载)?\s*[:：]$")
SEPARATOR = re.compile(r"^-{3,}+.*分隔线|^-{6,}+$")  # possessive: a long rule is not tried dash by dash
# The lines a page that publishes its document as files shows beside them: their names, 详见附件.
FILE_CAPTIONS = 3
FILE_CAPTION_LENGTH = 60
# OFD is China's format for official documents (GB/T 33190), which government sites publish.
ATTACHMENT_EXT = re.compile(r"\.(docx?|pdf|ofd|xlsx?|zip|rar|7z|wps|et|pptx?|txt|csv)$", re.I)


@dataclass
class ArticlePage:
    """What the parser reads off an article page; ``to_dict()`` gives it as the record the
    spider, the archive and the evaluator take (its fields are those of DocumentRecord)."""

    url: str
    title: str
    published_at: str | None
    published_at_source: str | None
    source: str | None
    view_count: int | None
    view_count_url: str | None
    view_count_source: str | None
    view_count_includes_own_fetch: bool | None
    view_count_approximate: bool | None
    body_text: str
    paragraphs: list[str]
    prev: NavLink | None
    next: NavLink | None
    attachments: list[Attachment]
    images: list[str]
    column: str | None
    encoding: str
    sections: list[Section]
    facts: Facts
    parts: list[str]

    @property
    def published_as_files(self) -> bool:
        """Whether the document is published as files (a PDF, scanned pages as images) and the page
        shows only their names or a line on them (详见附件), not the document's text."""
        return bool(self.attachments or self.images) and len(self.paragraphs) <= FILE_CAPTIONS \
            and all(len(paragraph) <= FILE_CAPTION_LENGTH for paragraph in self.paragraphs)

    def to_dict(self) -> DocumentRecord:
        """The fields as a record of fresh lists and dicts, the strings and numbers in them shared
        (``dataclasses.asdict`` deep-copies every string: this runs on every page)."""
        record = {}
        for name, copy in _copiers(type(self)):
            value = getattr(self, name)
            record[name] = value if copy is None else copy(value)
        return record  # type: ignore[return-value]


_Copier = Callable[[Any], Any] | None  # None: a scalar, shared as it is


@cache
def _copiers(cls: type) -> tuple[tuple[str, _Copier], ...]:
    hints = get_type_hints(cls)
    return tuple((field.name, _copier(hints[field.name])) for field in fields(cls))


def _copier(hint: Any) -> _Copier:
    """How ``to_dict`` copies a value of the declared type ``hint``. Worked out once from the
    declaration, it copies the lists and dicts there only, by their own ``copy`` (testing each
    value and item for what it is took three quarters of the record's time)."""
    args = get_args(hint)
    if NoneType in args:  # X | None
        inner = [arg for arg in args if arg is not NoneType]
        copy = _copier(inner[0]) if len(inner) == 1 else None
        return None if copy is None else (lambda value: None if value is None else copy(value))
    if get_origin(hint) is list:
        item = _copier(args[0])
        return list.copy if item is None else (lambda value: [item(element) for element in value])
    if not is_typeddict(hint):
        return None
    nested = [(name, copy) for name, inner_hint in get_type_hints(hint).items() if (copy := _copier(inner_hint)) is not None]
    if not nested:
        return dict.copy

    def copy_nested(value: dict) -> dict:
        copied = value.copy()
        for name, copy in nested:
            if name in copied:
                copied[name] = copy(copied[name])
        return copied
    return copy_nested


def _is_breadcrumb(text: str) -> bool:
    return ("首页" in text or "位置" in text or ">>" in text or "›" in text or "»" in text) and bool(BREADCRUMB.search(text))  # the cheap test first


def breadcrumb(lines: list[Line]) -> list[str]:
    """The trail's crumbs (首页 > 人大工作 > 审议意见 > 正文), the first trail of two crumbs or more; it
    may go on over the lines below (首页 / > 要闻 / > 山西要闻). A crumb that opens with a link's text
    and runs on is that link's (秘书处 + 双击自动滚屏, a widget's caption set on the trail's line), and
    the last one ends at a space between Chinese characters."""
    for index, line in enumerate(lines):
        if not (_is_breadcrumb(line.text) or (line.text in HOME_NAMES and index + 1 < len(lines)
                                              and lines[index + 1].text.startswith(_TRAIL_GOES_ON))):
            continue
        trail = [line]
        for following in lines[index + 1:]:
            if not following.text.startswith(_TRAIL_GOES_ON):
                break
            trail.append(following)
        text = "".join(part.text for part in trail) if len(trail) > 1 else line.text
        text = _BREADCRUMB_LEAD.sub("", text) if "位置" in text else text
        crumbs = [part for part in (_DASH_SPLIT if _DASH_TRAIL.match(text) else BREADCRUMB_SPLIT).split(text) if part]
        if len(crumbs) >= 2:
            crumbs[-1] = _CJK_SPACE.split(crumbs[-1], 1)[0]  # what follows the trail on its line, in a cell of its own
            if len(crumbs) > MAX_SLASH_CRUMBS and _SLASH_TRAIL.match(line.text):
                continue
            linked = [link.text for part in trail for link in part.links if link.text]
            return [crumb if crumb in linked else next((text for text in linked if crumb.startswith(text)), crumb) for crumb in crumbs]
    return []


# A column divided by year or by the Standing Committee's term (审议意见 > 2023年, > 第十七届):
# the division is no column of its own.
COLUMN_DIVISION = re.compile(r"(?:(?:19|20)\d\d\s*年?度?|第?[一二三四五六七八九十]+届(?:人大常委会|常委会|人大)?)")


def column_of(crumbs: list[str], title: str = "") -> str | None:
    """The column the trail names: its last crumb after the first (the home page), but for a leaf
    (正文) and for the article's own title, where a trail ends with the page itself, and for a
    year or term the column is divided into."""
    title_key = match_key(title)
    for crumb in reversed(crumbs[1:]):
        key = match_key(crumb).rstrip(".…")  # a trail may cut a long title short (关于加强…)
        names_title = bool(title_key) and (title_key in key or (len(key) * 2 >= len(title_key) and title_key.startswith(key)))
        if crumb not in BREADCRUMB_LEAVES and not names_title and not COLUMN_DIVISION.fullmatch(key):
            return crumb
    return None


def _is_link_only(line: Line) -> bool:
    linked = "".join(link.text for link in line.links)
    return bool(linked) and len(match_key(linked)) >= len(match_key(line.text)) * 0.8


LABEL_LINE = re.compile(r"^[^，。,]{1,8}?\s*[:：]")
TITLE_LABEL = re.compile(r"^(标\s*题|题\s*目|文章标题)\s*[:：]\s*")
# The editor's summary in a box over the body (Discuz's 摘要: …): the page's, not the document's.
SUMMARY_LABEL = re.compile(r"^(?:内容)?摘\s*要\s*[:：]")


_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")
# How far below the title the header line may sit.
HEADER_REACH = 12


SITE_SUFFIX = re.compile(r"\s[-|–—]\s|_")
# What may stand before the <title>'s text on the line that shows it longer: a 标题 label or a
# bracketed tag (【不忘初心】), not another label (版权所有：某某县人大常委会 holds a site's name).
# The line's text is a match key here: folded, without whitespace.
_TITLE_LEAD = re.compile(r"(?:(?:标题|题目|文章标题)[:：]?|[【\[][^】\]]{0,20}[】\]])?")


def _title_candidate(line: Line) -> bool:
    text = line.text
    return len(text) >= 4 and bool(_CJK_CHAR.search(text)) and not _is_breadcrumb(text) and not _is_link_only(line) \
        and not text.startswith(_HOME_PREFIXES)  # a menu or trail written as text (网站首页 | 审议意见)


TITLE_LINES = 3  # the most lines a title wraps onto


# The title a government site's page carries for its scripts and search engines (《政府网站发展
# 指引》's ArticleTitle; Open Graph's).
_TITLE_METAS = ("articletitle", "og:title")
_MARKUP = re.compile(r"<[^>]*>")


def _page_title(page: Page) -> str:
    """What the title line repeats: the <title>, or the title the page's metadata carries where
    the <title> does not hold it (a <title> that names the site alone, as some sites title every page)."""
    head = page.root.find("head")
    for meta in head.iter("meta") if head is not None else ():
        if (meta.get("name") or meta.get("property") or "").lower() in _TITLE_METAS:
            content = _MARKUP.sub("", meta.get("content") or "")  # an editor's markup in the field (…力量<div>——热烈祝贺…</div>)
            key = match_key(content)
            if len(key) >= 4 and key not in match_key(page.title):
                return content
    return page.title


def _title_from_page_title(page: Page, shown_title: str) -> tuple[int, str] | None:
    """The visible line that the ``<title>`` element repeats (titles may wrap onto two lines)."""
    page_title = match_key(shown_title)
    if len(page_title) < 4:
        return None
    has_suffix = bool(SITE_SUFFIX.search(shown_title))
    for index, line in enumerate(page.lines):
        text = match_key(line.text)
        # The cheap test first: most lines share no text with the <title>.
        if not (text in page_title or (len(page_title) >= 6 and page_title in text)):
            continue
        if not _title_candidate(line) or (has_suffix and text == page_title):
            continue
        if index and text == page_title and bare_label(page.lines[index - 1].text):
            continue  # a field's value under its label (<dt>信息来源</dt><dd>椒江人大网</dd>, the site's name the <title>)
        if text in page_title:
            # A title set on lines of its own (全国人民代表大会常务委员会 / 关于批准… / 调整…的决议).
            joined, last = line.text, index
            for following in page.lines[index + 1:index + TITLE_LINES]:  # a slice, not len(): it walks the whole page
                if not (_title_candidate(following) and match_key(joined + following.text) in page_title):
                    break
                joined, last = joined + following.text, last + 1
            if last > index:
                return last, joined
            # The <title>'s first part, up to a separator: a site's name may open the title
            # (青禾区人大 over 青禾区人大常委会关于…的审议意见-青禾区人大).
            if (page_title.startswith(text) and not page_title[len(text):len(text) + 1].isalnum()) or len(text) * 2 >= len(page_title):
                return index, line.text
        elif len(page_title) >= 6 and page_title in text and _TITLE_LEAD.fullmatch(text[:text.index(page_title)]):
            return index, TITLE_LABEL.sub("", line.text)
    return _title_after_trail(page, page_title)


TRAIL_REACH = 80  # how far down the page a trail may stand
_TITLE_LENGTH = 10  # an article's title is longer than a column's name
_NAME_LENGTH = 8  # a site's or a column's name is as short as this (椒江人大网, 审议意见)


def _title_after_trail(page: Page, page_title: str) -> tuple[int, str] | None:
    """The title that ends the trail's line, glued to its last crumb (PublicCMS: <h3><span>当前位置：
    首页 > 审议意见</span>关于…的审议意见</h3>): the <title>'s first part, whole."""
    for index, line in enumerate(page.lines[:TRAIL_REACH]):
        if not _is_breadcrumb(line.text):
            continue
        crumb = BREADCRUMB_SPLIT.split(line.text)[-1]
        for start in range(len(crumb) - _TITLE_LENGTH):
            key = match_key(crumb[start:])
            if page_title.startswith(key) and not page_title[len(key):len(key) + 1].isalnum():
                return index, crumb[start:].strip()
    return None


# How many lines above the header its title may stand.
TITLE_REACH = 8


def _title_above(page: Page, header: Header, shown_title: str) -> str | None:
    """The title on the lines above the header: a labelled one (标题：…), else the candidate the
    <title> repeats, else a heading, else the nearest candidate, else the nearest that reads as a
    field (a title with a colon: 农机专家李金泽：为农机行业搭建…); None where no line could be one."""
    candidates, colon_titles = [], []
    for line in reversed(page.lines[max(0, header.first_line - TITLE_REACH):header.first_line]):
        text = line.text.strip()
        labeled_title = TITLE_LABEL.match(text)
        if labeled_title:
            return text[labeled_title.end():]
        if _title_candidate(line):
            label = LABEL_LINE.match(text)
            if not label or line.heading:  # a heading is no field (<h2>脂溢性脱发：爱出油快秃顶？…</h2>)
                candidates.append(line)
            elif len(text) - label.end() >= _TITLE_LENGTH:
                colon_titles.append(text)
    page_title = match_key(shown_title)
    for line in candidates:
        normalized = match_key(line.text)
        if page_title and (normalized in page_title or page_title in normalized):
            return line.text
        before = _before_column_link(line, page_title)
        if before:
            return before
    for line in candidates:
        if line.heading:
            return line.text
    return candidates[0].text if candidates else next(iter(colon_titles), None)


def _before_column_link(line: Line, page_title: str) -> str | None:
    """A title line's text before the link it ends with, where that is the <title>'s first part
    (JEECMS: <h1>关于…的审议意见<a href="/syyj/">审议意见</a></h1>, a link to its column)."""
    tail = line.links[-1].text if line.links else ""
    if not tail or len(tail) >= len(line.text) or not line.text.endswith(tail):
        return None
    text = line.text[:-len(tail)].rstrip()
    key = match_key(text)
    return text if page_title.startswith(key) and not page_title[len(key):len(key) + 1].isalnum() else None


# What heads the readers' comments under an article, each with its own 发表时间.
_COMMENTS_HEADINGS = ("相关评论", "网友评论", "发表评论", "评论列表", "最新评论", "读者评论", "网友留言")


def _header_above_comments(lines: Lines, header: Header | None) -> Header | None:
    """``header``, or where it is a comment's (under a heading of the comments: 相关评论 / 发表人：… 发表时间：…),
    the article's above them, labelled or not."""
    if header is None or not header.labeled:
        return header
    comments = next((index for index, line in enumerate(lines[:header.first_line])
                     if _starts_with(line.text, _COMMENTS_HEADINGS) and len(line.text) <= _TITLE_LENGTH), None)
    return (extract_header(lines, 0, comments) or header) if comments is not None else header


def _heading_under_site_name(page: Page, titled: tuple[int, str], header: Header, shown_title: str) -> tuple[int, str] | None:
    """The heading between the line the ``<title>`` repeats and the header, where that line is no
    heading and the site's name: the whole ``<title>``, as many sites title every page (椒江人大网
    over the page, <h1>关于…的审议意见</h1> over the date); its shorter part where the heading is
    the longer (<title>椒江人大网-关于…的审议意见</title>); or, where the ``<title>`` names no
    heading, a part as short as a name (<title>审议意见_椒江人大网</title> on every article)."""
    index, text = titled
    if page.lines[index].heading:
        return None
    key, page_title = match_key(text), match_key(shown_title)
    between = page.lines[max(index + 1, header.first_line - TITLE_REACH):header.first_line]
    for number, line in reversed(list(enumerate(between, header.first_line - len(between)))):
        if not line.heading or not _title_candidate(line) or LABEL_LINE.match(line.text):
            continue
        heading = match_key(line.text)
        if key == page_title or (len(heading) > len(key) and heading in page_title) \
                or (heading not in page_title and len(key) <= _NAME_LENGTH):
            return number, line.text
    return None


def _heading_below(page: Page, header: Header) -> tuple[int, str] | None:
    """A heading on one of the two lines of text under the header, for a page that sets its header
    above its title: the line and its text."""
    below = [(index, line) for index, line in enumerate(page.lines[header.last_line + 1:header.last_line + 4], header.last_line + 1)
             if line.text]
    return next(((index, line.text) for index, line in below[:2] if line.heading and _title_candidate(line)), None)


# What may stand before a marker: brackets (【打印】, (责任编辑：admin)) and arrows (<< 上一篇, » 下一篇).
_MARKER_LEADS = "【[（( <«‹←◀◄>»›→▶►·•"


def _starts_with(text: str, labels: tuple[str, ...]) -> bool:
    return text.lstrip(_MARKER_LEADS).startswith(labels)


def _is_toolbar(text: str) -> bool:
    if len(text) > 60:
        return False
    if not text.startswith(("【", "[")):
        return len(text) <= 24 and bool(_BARE_TOOLBAR.match(text))
    tokens = _TOOLBAR_TOKEN.findall(text)
    rest = _TOOLBAR_TOKEN.sub("", text).strip()
    return bool(tokens) and not rest and all(token.strip().startswith(TOOLBAR_WORDS) for token in tokens)


def _widget_words(text: str) -> int:
    """How many widget buttons a line shows, when it shows nothing else (0 when it does)."""
    if not _WIDGET_LINE.fullmatch(text):
        return 0
    return sum(1 for word in _WIDGET_SPLIT.split(text) if word)


def _has_footer_marker(text: str) -> bool:
    for marker in FOOTER_MARKERS:  # a loop, not any() over a generator: this runs on every body line
        if marker in text:
            return True
    return False


def _is_credit(text: str) -> bool:
    """Whether a line is the credits under an article: one that opens with a credit (perhaps after
    a button: 【我要纠错】 责任编辑：张蕾, or in brackets: DedeCMS's (责任编辑：admin)), or holds
    two, or gives the source and a credit (来源：巴彦淖尔日报 编辑：苏亮)."""
    if len(text) > 60:
        return False
    first = _CREDIT.search(text)
    return first is not None and (first.start() == 0 or (first.start() == 1 and text[0] in "(（[【") or _CREDIT.search(text, first.end()) is not None
                                  or bool(_SOURCE_LABEL.match(text)) or _is_toolbar(text[:first.start()].strip()))


# The post's categories or tags under it (WordPress: 分类 <a>审议意见</a>; CmsEasy: Tag： 审议意见 就业).
_TAXONOMY = re.compile(r"^(?:分类目录|所属分类|分类|标签|关键词|关键字|tags?)\s*([:：])?\s*", re.I)


def _is_taxonomy(line: Line) -> bool:
    text = line.text
    taxonomy = _TAXONOMY.match(text) if len(text) <= 60 and text[:1] in "分所标关Tt" else None
    if taxonomy is None or taxonomy.end() == len(text):
        return False
    return taxonomy.group(1) is not None or text[taxonomy.end():] == "".join(link.text for link in line.links)


def _is_body_end(line: Line) -> bool:
    text = line.text
    return (_starts_with(text, BODY_END_MARKERS) or _is_taxonomy(line) or text in _LONE_TOOLS or _has_footer_marker(text) or _is_toolbar(text)
            or (text.startswith("---") and bool(SEPARATOR.match(text)))  # both of its forms open with dashes
            or _is_credit(text) or (text.startswith(("相关", "关联")) and bool(_RELATED_LABEL.match(text)))
            or (len(text) <= 80 and (bool(_PAGER.match(text)) or bool(_SOCIAL_TAGS.match(text))
                                     or ("页" in text and bool(_BARE_PAGER.match(text)))))
            or (len(text) <= 40 and _widget_words(text) >= 2)  # one word alone (中, 评论) may be the body's
            or is_count_line(text))


_CONTACTS_SPLIT = re.compile(r"\s*[|｜]\s*|\s{2,}")


def _is_contacts_line(text: str) -> bool:
    """Whether a sponsor's line goes on with the site's contacts (主办单位:河北省财政厅 | Email:… | 地址:… | 邮编:…)."""
    pieces = _CONTACTS_SPLIT.split(text)
    return len(pieces) >= 3 and all(_CONTACT_LABEL.match(piece) for piece in pieces)


def _opens_footer(line: Line, following: Iterator[Line]) -> bool:
    """Whether a sponsor's line (主办：…) opens the page's footer: what follows it, to the page's
    end or for four lines, is contacts and footer marks only (a notice's 主办单位 and 联系电话 go
    on with the notice)."""
    if len(line.text) > 40 or not _CONTACT_LABEL.match(line.text):
        return False
    below = list(islice((later.text for later in following if later.text), FOOTER_REACH))
    return bool(below) and all(_CONTACT_LABEL.match(text) or _has_footer_marker(text) for text in below)


def _opens_no_body(line: Line) -> bool:
    """Whether a line between the header and the body is furniture, not the body's first paragraph:
    a toolbar (字号, 打印), credits, a short end marker (分享到, 关联稿件：), a header field on a line of its own
    (访问量：1632, 标 题：…), a widget's leftovers, or a line of links only (the items of 关联稿件)."""
    text = line.text
    # A byline of credits may sit under the header too, and a widget's buttons one word a line (超大 / 大 / 标准 / 小).
    if TOOL_LINE.match(text) or _is_credit(text) or (len(text) <= 40 and _widget_words(text)):
        return True
    if _is_body_end(line):  # a long one, or 上一条/下一条, ends a body that is empty
        return len(text) <= 30 and not _starts_with(text, PREV_LABELS + NEXT_LABELS)
    if line.images or not text or any(_attachment(link) for link in line.links):  # an image or a file opens the body
        return False
    if not line.links:
        return (len(text) <= 60 and is_header_line(line)) or bool(TITLE_LABEL.match(text)) or bool(SUMMARY_LABEL.match(text)) \
            or is_count_phrase(text) \
            or (len(text) <= 8 and not _CJK_CHAR.search(text)  # a widget's button (X, T + -) or count (0)
                and (len(text) <= 2 or not any(char.isdigit() for char in text)))
    share_icons = len(line.links) >= 2 and len(text) <= 10 and not _CJK_CHAR.search(text)
    return share_icons or _is_link_only(line) or _is_list_item(line)


def _is_list_item(line: Line) -> bool:
    """A link and its date (图文解读：《…》 2023-07-12), as a list shows an item."""
    rest = line.text
    for link in line.links:
        rest = rest.replace(link.text, "", 1) if link.text else rest
    date = DATE_RE.search(rest)
    return date is not None and not rest[:date.start()].strip(" ·()（）[]") and not rest[date.end():].strip(" ()（）[]")


# How many lines of text below the body, the line that ends it included, a source label may sit on.
SOURCE_REACH = 4


def _source_below(lines: Lines, body_end: int) -> str | None:
    """The source that a line just below the body opens with (信息来源：内蒙古日报, next to 打印/关闭;
    来源：巴彦淖尔日报 编辑：苏亮), for a header that names none."""
    texts = (line for line in lines.from_index(body_end) if line.text)
    for line in islice(texts, SOURCE_REACH):
        if len(line.text) <= 60 and _SOURCE_LABEL.match(line.text):
            found = Header()
            fill_header(found, [line])
            return found.source
    return None


def _nav_label(labels: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"^[{re.escape(_MARKER_LEADS)}]*({'|'.join(labels)})[】\] ]*[:：]?\s*")


_NAV_PATTERNS = {PREV_LABELS: _nav_label(PREV_LABELS), NEXT_LABELS: _nav_label(NEXT_LABELS)}


def _nav_link(lines: Lines, start: int, labels: tuple[str, ...]) -> NavLink | None:
    """The link after the first line from ``start`` on that begins with one of ``labels``
    (the page is walked no further than that line)."""
    for line in lines.from_index(start):
        if not _starts_with(line.text, labels):
            continue
        value = _NAV_PATTERNS[labels].sub("", line.text)
        for other in PREV_LABELS + NEXT_LABELS:
            value = value.split(other)[0]
        value = value.strip()
        if not value or value in NAV_NONE:
            return None
        for link in line.links:
            # (PHPCMS's newest article: 下一篇：<a href="javascript:alert('最后一页')">最后一页</a>.)
            if link.url and link.url.startswith(("http:", "https:")) and link.text and link.text not in labels \
                    and match_key(link.text) in match_key(value):
                return NavLink(title=link.title or link.text, url=link.url)
        return None
    return None


def _next_part(page: Page, body_end: int | None) -> str | None:
    """The URL of the article's next page, where the site pages it: the 下一页 of the pager that
    ends this page's part, else the number after the one it shows unlinked (the current page);
    or the pager a script writes (TRS). None on its last page."""
    own = page.url.split("#")[0]
    following: str | None = None
    numbers: dict[int, str | None] = {}
    pager_lines, counted = 0, False
    for line in islice(page.lines.from_index(body_end), PAGER_LINES) if body_end is not None else ():
        if len(line.text) > 80 or not _PAGER_PIECE.match(line.text):
            if pager_lines or not _is_credit(line.text):  # DedeCMS: (责任编辑：admin), then its pager
                break
            continue
        pager_lines += 1
        counted = counted or bool(_PAGE_COUNTS.search(line.text))
        for link in line.links:
            url = link.url.split("#")[0] if link.url and link.url.startswith(("http:", "https:")) else None
            words = link.text.strip(_PAGER_MARKS)
            if words in _NEXT_PAGE_WORDS:
                following = following or (url if url != own else None)
            elif (number := words.removeprefix("第").removesuffix("页").strip()).isdigit():
                numbers[int(number)] = url
        # Shown unlinked: the current page (a number, 第2页, but no count: 共3页, 2/3, / 3 页).
        for number in re.findall(r"(?<!\d)\d{1,3}(?!\d)", _PAGE_COUNTS.sub(" ", line.text)):
            numbers.setdefault(int(number), None)
    if len(numbers) < 2 and not counted:
        # A 下一页 with no page numbers or count beside it may be the next article's link (上一页
        # and 下一页 are some templates' words for the neighbours): no pager of this article.
        following = None
    elif following is None:
        current = next((number for number, url in numbers.items() if url in (None, own)), None)
        following = numbers.get(current + 1) if current is not None else None
    if following is None and (scripts := script_texts(page.root)):
        following = _scripted_next_part(scripts, page)
    return following if following != own else None


def _scripted_next_part(scripts: list[str], page: Page) -> str | None:
    """TRS's pager, which a script writes: createPageHTML(3, 0, "t20240301_123", "html"), or its
    own document.write of links from var currentPage (0-based) and var countPage, to the files
    TRS names t20240301_123.html, t20240301_123_1.html, …"""
    if any("createPageHTML" in script for script in scripts):
        pager = trs_pager(scripts, page.base_url)
        return pager[2] if pager else None
    claim = countpage_claim(scripts) if any("countPage" in script for script in scripts) else None
    if claim is None or claim[0] >= claim[1]:
        return None
    return trs_part_after(page.url, claim[0] - 1)


def _file_in_query(parts: SplitResult) -> str | None:
    """The file a script's URL names in its query: a download script's (Hanweb's
    downfile.jsp?filename=2212151.pdf), a viewer's (pdf.js: viewer.html?file=/uploads/x.pdf)."""
    return next((value for _, value in parse_qsl(parts.query) if ATTACHMENT_EXT.search(value)), None) if parts.query else None


def _attachment(link: Link) -> Attachment | None:
    if not link.url:
        return None
    parts = urlsplit(link.url)
    named = _file_in_query(parts)
    if ATTACHMENT_EXT.search(parts.path) or named or ATTACHMENT_EXT.search(link.text):
        return Attachment(name=link.text or named or parts.path.rsplit("/", 1)[-1], url=link.url)
    return None


def _attachments(lines: list[Line]) -> list[Attachment]:
    found: dict[str, Attachment] = {}
    for line in lines:
        for link in line.links:
            attachment = _attachment(link)
            if attachment is not None:
                found.setdefault(attachment["url"], attachment)
    return list(found.values())


# What a body shows until a script fills it (正文加载中……, Loading...).
_LOADING = re.compile(r"^(?:正文|内容|文章|数据|页面)?(?:正在)?(?:加载|载入)中?\s*[.。…]*$|^loading\s*[.…]*$", re.I)
# A picture that may be a scanned page, not a button, an icon or a QR code.
_FURNITURE_IMAGE = re.compile(r"icon|logo|share|qr|ewm|erweima|weixin|wechat|weibo|print|close|spacer|blank|dot|arrow|btn|button|bg", re.I)
_PHOTO_EXT = re.compile(r"\.(?:jpe?g|png|webp|bmp|tiff?)$", re.I)


def _is_scan(src: str) -> bool:
    name = urlsplit(src).path.rsplit("/", 1)[-1]
    return bool(_PHOTO_EXT.search(name)) and not _FURNITURE_IMAGE.search(name)


def _embedded_documents(page: Page) -> list[Attachment]:
    """The documents a page shows in a viewer of their own: an <iframe>, <embed> or <object> of a
    PDF, OFD or Word file, or of a viewer given one (pdf.js: viewer.html?file=/uploads/x.pdf)."""
    found: dict[str, Attachment] = {}
    for element in page.root.iter("iframe", "embed", "object"):
        source = element.get("src") or element.get("data") or ""
        parts = urlsplit(source)
        document = _file_in_query(parts) or (source if ATTACHMENT_EXT.search(parts.path) else None)
        url = absolute_url(page.base_url, document) if document else None
        if url:
            found.setdefault(url, Attachment(name=urlsplit(url).path.rsplit("/", 1)[-1], url=url))
    return list(found.values())


# An answer that only alerts and goes back (KesionCMS: alert('…已删除或不存在！');history.back();).
_ALERT_BACK = re.compile(r"""alert\(\s*(['"])(.*?)\1\s*\)\s*;?\s*(?:window\.)?(?:history\.|location)""", re.S)


def _alerts(page: Page) -> list[str]:
    return [match.group(2) for script in page.root.iter("script") if script.text
            for match in _ALERT_BACK.finditer(script.text)]


def _soft_404(page: Page) -> str | None:
    for text in [page.title] + [line.text for line in page.lines] + _alerts(page):
        if len(text) <= 80:
            for phrase in SOFT_404_PHRASES:
                if phrase in text:
                    return phrase
    return None


def _is_login_form(page: Page) -> bool:
    return any((field.get("type") or "").strip().lower() == "password" for field in page.root.iter("input"))


# A body above its header holds a sentence at least; a subtitle or a widget between the title
# and the header does not make one.
SENTENCE = 20


def _body(lines: Lines, start: int, stop: int | None = None) -> tuple[list[Line], int | None]:
    """The body's lines from ``start`` (furniture above it skipped) to what ends it, and the index
    of the line that ends it (None where the body runs to the page's end or to ``stop``). The
    navigation is looked for from that line: a line that begins with 上一条/下一条 ends the
    body, so none comes before; lines past the end stay unwalked."""
    body_lines: list[Line] = []
    for index, line in enumerate(lines.from_index(start), start):
        if index == stop:
            break
        if not body_lines and (_opens_no_body(line) or _shows_nothing(line)):
            continue  # furniture, or an empty line, before the body's first
        if _is_body_end(line) or (line.text.startswith(_SPONSOR_LABELS) and (
                _is_contacts_line(line.text) or _opens_footer(line, lines.from_index(index + 1)))):
            if body_lines and not any(kept.text for kept in body_lines) and _opens_no_body(line):
                body_lines.clear()  # a QR code and its caption (用微信扫描二维码), not the body's opening image
                continue
            return _without_furniture_at_end(body_lines, line), index
        body_lines.append(line)
    return _without_furniture_at_end(body_lines, None), None


def _shows_nothing(line: Line) -> bool:
    """A line of no text, picture or link (a share widget's scripts, an empty block)."""
    return not (line.text or line.images or line.links)


MENU_LINKS = 2  # a footer's menu, or its links to other sites, has this many links or more
MENU_WORD = 6  # each of them a word or two (机关简介, 联系我们, 法律声明, 中国人大网)


def _is_menu(line: Line) -> bool:
    return len(line.links) >= MENU_LINKS and all(len(link.text) <= MENU_WORD for link in line.links) and _is_link_only(line) \
        and not any(_attachment(link) for link in line.links)  # 附件1 附件2 are the body's


def _without_furniture_at_end(body_lines: list[Line], end: Line | None) -> list[Line]:
    """The body's lines without what ends them but is no end marker. ``end``: the line that ended
    the body, if one did."""
    # An attachments label where the page has none; the count of a digg button over it (a number
    # at the end of a table is the table's); the footer's menu over its copyright (机关简介 |
    # 联系我们 | 网站导航 | 法律声明), and the empty lines between.
    digg = end is not None and _starts_with(end.text, _DIGG_BUTTONS)
    while body_lines and (_shows_nothing(body_lines[-1]) or _is_menu(body_lines[-1]) or (
            not body_lines[-1].links and (_BARE_ATTACHMENT_LABEL.match(body_lines[-1].text) or (digg and _DIGG_COUNT.match(body_lines[-1].text))))):
        body_lines.pop()
    # Widget buttons a word a line (Discuz's 鲜花 / 握手 / 雷人): two or more of them, as one word may be the body's.
    buttons = words = 0
    while buttons < len(body_lines) and len(body_lines[-1 - buttons].text) <= 8:
        text = body_lines[-1 - buttons].text
        if _widget_words(text):
            words += 1
        elif not _DIGG_COUNT.match(text):  # a button's count between the buttons (收藏 / 0 / 有帮助 / 0)
            break
        buttons += 1
    return body_lines[:-buttons] if words >= 2 else body_lines


# The publish time a government site's page carries for its scripts and search engines
# (《政府网站发展指引》's PubDate; Open Graph's), read only where its label shows no date.
_PUBLISH_TIME_METAS = ("pubdate", "publishdate", "article:published_time")


def _published_in_meta(page: Page) -> str | None:
    for meta in page.root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or "").lower()
        if name in _PUBLISH_TIME_METAS:
            published = parse_datetime(meta.get("content") or "")
            if published:
                return published
    return None


def _names_more_than(page: Page, title: str) -> bool:
    """Whether the <title> names more than ``title`` (the site's name after it), as an article's
    does; a home page's names the site alone, which its logo repeats."""
    return len(match_key(page.title)) > len(match_key(title)) + 1


# How many lines may stand between a dateless page's title and its first sentence (a rule, a
# toolbar, a count, the addressee).
PROSE_REACH = 4


def _prose_under(lines: Lines, title_line: int) -> bool:
    """Whether a sentence follows the title within PROSE_REACH lines of text (a document's, not a
    menu's or a list's)."""
    before = 0
    for line in lines[title_line + 1:title_line + 1 + 3 * PROSE_REACH]:
        if len(line.text) >= SENTENCE and "。" in line.text and not line.links:
            return True
        before += bool(line.text)
        if before > PROSE_REACH:
            return False
    return False


_FIGURE = re.compile(r"^\d{1,9}$")
FIGURES_REACH = 3


def _figures_under(lines: Lines, first_line: int, last_line: int) -> tuple[list[str], int]:
    """The bare numbers that end the header's lines or stand on the lines right under it (the
    counts beside its icons: an eye, a comment bubble), and the header's last line with them."""
    figures = [last for line in lines[first_line:last_line + 1] if " " in line.text
               and _FIGURE.match(last := line.text.rsplit(" ", 1)[1])]
    for index, line in enumerate(lines[last_line + 1:last_line + 1 + FIGURES_REACH], last_line + 1):
        if _FIGURE.match(line.text):
            figures.append(line.text)
            last_line = index
        elif line.text:
            break
    return figures, last_line


# The eye a template draws before its view count (Font Awesome's, Bootstrap's, Layui's, an icon
# font's 浏览): a reader reads the number after it as the views.
_EYE_ICON = re.compile(r"(?<![\w-])(?:(?:[\w-]*-)?eye(?:-open|-o)?|icon-liulan|icon-view)(?![\w-])")  # fa-eye, wb-eye, glyphicon-eye-open


def _count_by_eye(page: Page, figures: list[str]) -> int | None:
    """The count of ``figures`` that follows an eye icon on the page."""
    for icon in page.root.iter("i", "span", "em"):
        name = icon.get("class")
        if not name or not _EYE_ICON.search(name):
            continue
        following = icon.getnext()
        after = (icon.tail or "").strip() or (following.text_content().strip() if following is not None else "")
        if after in figures:
            return int(after)
    return None


def _counter_by_eye(page: Page) -> str | None:
    """The counter script an eye icon stands before, where no label names the count (MetInfo 7:
    <i class="icon wb-eye"></i><script src="/hits/?lang=cn&type=news&vid=56&list=0">)."""
    for icon in page.root.iter("i", "span", "em"):
        name = icon.get("class")
        if not name or not _EYE_ICON.search(name):
            continue
        following = icon.getnext()
        src = following.get("src") if following is not None and following.tag == "script" else None
        if src and COUNTER_WORDS.search(src):
            return absolute_url(page.base_url, src)
    return None


def article_from_page(page: Page) -> ArticlePage:
    shown_title = _page_title(page)
    titled = _title_from_page_title(page, shown_title)
    header = extract_header(page.lines, titled[0] + 1, titled[0] + 1 + HEADER_REACH, under_title=True) if titled else None
    if titled and (header is None or not header.labeled) and not page.lines[titled[0]].heading:
        # The title again further down with a labelled date under it: the first, no heading, was the
        # page's hidden metadata (Guizhou's platform: <div id="NewsArticleTitle">…<div id="NewsArticlePubDay">).
        again = next((index for index, line in enumerate(page.lines[titled[0] + 1:], titled[0] + 1) if line.text == titled[1]), None)
        under = extract_header(page.lines, again + 1, again + 1 + HEADER_REACH) if again is not None else None
        if under is not None and under.labeled:
            titled, header = (again, titled[1]), under
    if titled and (header is None or not header.labeled):
        # A labelled date above the title outranks a date alone under it: a 信息公开 table's
        # 发文日期 over the title, and under it the document's heading ends with its date.
        above = extract_header(page.lines, max(0, titled[0] - HEADER_REACH), titled[0])
        if above is not None and above.labeled:
            header = above
    if header is None:
        header = _header_above_comments(page.lines, extract_header(page.lines))
    if titled and header is not None:
        titled = _heading_under_site_name(page, titled, header, shown_title) or titled
    dated = header is not None
    if header is None:
        # No date shows: the one the page's metadata carries, for a label a script fills, or for
        # none at all (CmsEasy's and PublicCMS's templates print no date), anchored on the title.
        published = _published_in_meta(page)
        header = header_filled_by_script(page.lines, published)
        if header is None and titled and _names_more_than(page, titled[1]):
            header = Header(published_at=published, first_line=titled[0], last_line=titled[0], labeled=False)
    if header is not None and titled:
        fill_header(header, page.lines[titled[0] + 1:titled[0] + 4])
    if not dated:
        if _is_login_form(page):
            raise NotAnArticle("login_page", "a login form (password field) and no article header")
        phrase = _soft_404(page)
        if phrase:
            raise NotAnArticle("soft_404", f"page says {phrase!r}")
    if header is None:
        raise NotAnArticle("no_header", "no labelled publish date (发布时间 or a variant) and no title on the page")
    title = titled[1] if titled else _title_above(page, header, shown_title)
    if title is None:  # nothing above the header could be a title, a heading under it may
        titled = _heading_below(page, header)
        title = titled[1] if titled else re.split(r"\s*[-_|–—]\s*", shown_title)[0] if shown_title else ""
    if not title:
        raise NotAnArticle("no_title", "no title line above the header")
    figures, header.last_line = _figures_under(page.lines, header.first_line, header.last_line)
    if figures and header.view_count is None and header.view_count_url is None:
        header.view_count = _count_by_eye(page, figures)
    body_start = max(header.last_line, titled[0] if titled else 0) + 1
    body_lines, body_end = _body(page.lines, body_start)
    if titled and header.first_line > titled[0] + 1 and not any(len(line.text) >= SENTENCE for line in body_lines):
        # The header under the body (发布时间 at the article's foot): the body is between the title and it,
        # where its sentences are (under the header, a widget's buttons at most: 鲜花 / 握手).
        above, _ = _body(page.lines, titled[0] + 1, header.first_line)
        if any(len(line.text) >= SENTENCE for line in above):
            body_lines, body_end = above, header.first_line
    paragraphs = [line.text for line in body_lines if line.text]
    if paragraphs and paragraphs[-1].endswith(("）", ")", "】", "]")):
        paragraphs[-1:] = [text for text in (_TRAILING_CREDIT.sub("", paragraphs[-1]),) if text]
    if not dated and not _prose_under(page.lines, titled[0]):
        raise NotAnArticle("no_header", "no publish date on the page, and no prose under its title to tell it an article")
    if paragraphs and all(_LOADING.match(paragraph) for paragraph in paragraphs):
        raise NotAnArticle("empty_body", f"its body is a script's to fill: the page shows {paragraphs[0]!r}")
    attachments = _attachments(body_lines) + _embedded_documents(page)
    images = [src for line in body_lines for src in line.images]
    if not paragraphs:
        phrase = _soft_404(page)
        if phrase:
            raise NotAnArticle("soft_404", f"page says {phrase!r}")
        if not attachments and not any(_is_scan(src) for src in images):  # scanned pages or a PDF are a body
            raise NotAnArticle("empty_body", "no body text below the header")
    sections = split_sections(paragraphs, title)
    if header.view_count is None and header.view_count_url is None and body_end is not None and is_count_line(page.lines[body_end].text):
        fill_header(header, page.lines[body_end:body_end + 1])  # the count under the body, where the header shows none
    if header.view_count is None and header.view_count_url is None and header.count_label_empty:
        header.view_count_url = inline_counter_url(page.root, page.base_url)
    elif header.view_count == 0 and header.view_count_url is None:
        # A 0 that a counter script overwrites (EmpireCMS's ViewMore.php fills <span id="onclickshowdiv">0</span>).
        counter = inline_counter_url(page.root, page.base_url)
        if counter is not None:
            header.view_count, header.view_count_url = None, counter
    if header.view_count is None and header.view_count_url is None:
        header.view_count_url = _counter_by_eye(page)
    if header.source is None and body_end is not None:
        header.source = _source_below(page.lines, body_end)
    shown = header.view_count is not None
    return ArticlePage(
        url=page.url,
        title=title,
        published_at=header.published_at,
        published_at_source=("page" if dated else "meta") if header.published_at else None,
        source=header.source,
        view_count=header.view_count,
        view_count_url=header.view_count_url,
        view_count_source="page" if shown else None,
        view_count_includes_own_fetch=page_counts_own_view(page.url) if shown else None,
        view_count_approximate=header.view_count_approximate if shown else None,
        body_text="\n".join(paragraphs),
        paragraphs=paragraphs,
        prev=_nav_link(page.lines, body_end, PREV_LABELS) if body_end is not None else None,
        next=_nav_link(page.lines, body_end, NEXT_LABELS) if body_end is not None else None,
        attachments=attachments,
        images=images,
        column=column_of(breadcrumb(page.lines[:header.first_line]), title),
        encoding=page.encoding,
        sections=sections,
        facts=document_facts(sections, title),
        parts=[url for url in (_next_part(page, body_end),) if url],
    )


def parse_article(body: bytes, url: str, content_type: str | None = None) -> ArticlePage:
    """Parse an article page. Raises NotAnArticle (with ``reason``) for anything else."""
    return shown_article(page_lines(body, url, content_type))


def shown_article(page: Page) -> ArticlePage:
    """The article of what the page shows. A page that hides its whole article until a script
    shows it (style="display:none" on the wrapper) is read with what it hides. A bot check's page
    (parsers.bot_checks) is refused as that."""
    try:
        return _article_shown_or_hidden(page)
    except NotAnArticle as error:
        check = bot_check(etree.tostring(page.root, encoding="unicode")) if error.reason in NO_ARTICLE_REASONS else None
        if check:
            raise NotAnArticle("bot_check", bot_check_message(check)) from None
        raise


def _article_shown_or_hidden(page: Page) -> ArticlePage:
    try:
        return article_from_page(page)
    except NotAnArticle:
        if not page.hidden:
            raise
    return article_from_page(in_full(page))


# What a page that is no article is refused as: where it may be a bot check's page instead, or a list's.
NO_ARTICLE_REASONS = frozenset(("no_header", "no_title", "empty_body"))


def parse_article_and_requisites(body: bytes, url: str, content_type: str | None = None,
                                 fetched_url: str | None = None) -> tuple[ArticlePage, list[str]]:
    """``parse_article`` and ``page_requisites`` of an article page, from one decode and one parse
    of it (the crawl needs both of every article page); the requisites resolve against
    ``fetched_url`` (default ``url``), as ``page_requisites`` of the page as fetched does."""
    page = page_lines(body, url, content_type)
    return shown_article(page), requisites_of(page.root, fetched_url or url)  # the parser reads the tree, never changes it
