"""An opinion's body -> its ordered sections and their numbered items.

Works on the body's paragraphs (text only, whatever the markup was). Each paragraph goes to
exactly one section, in order, so joining the sections' texts with newlines gives back the
body text. The cues are the genre's own phrases (会议认为, 会议指出, 提出如下审议意见, 以上审议意见),
matched after NFKC normalization, which folds full-width punctuation (``：`` -> ``:``).
"""

from __future__ import annotations

import re

from .numerals import DATE, NUMERAL, chinese_number
from .record import Item, Section
from .text import match_key, match_keys

KINDS = ("heading", "addressee", "preamble", "assessment", "problems", "opinions", "closing", "signature", "other")
# A paragraph with no cue of its own belongs to the section before it, if that section runs on.
RUNS_ON = frozenset(("preamble", "assessment", "problems", "opinions", "other"))
# Sections whose numbered points are items.
ENUMERATED = frozenset(("problems", "opinions"))
# Kinds after which a paragraph can no longer be the preamble.
AFTER_PREAMBLE = frozenset(("assessment", "problems", "opinions", "closing", "signature"))
ITEM_HEADING_MAX = 40

_ATTACHMENT = re.compile(r"^附件\d*(:|$)")
ORGANIZATION_SUFFIXES = ("人大常委会", "常务委员会", "常委会", "委员会", "人民政府", "代表大会", "办公室")
_ORGANIZATION = re.compile(rf"^[\u4e00-\u9fff]{{2,30}}({'|'.join(ORGANIZATION_SUFFIXES)})$")
_TITLE = re.compile(r"^[^。;!?]{0,30}关于[^。;!?]+的(审议意见|决定|决议|意见|报告|通知|函)(\(\w{1,6}\))?$")
_DOCUMENT_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[(【]\d{4}[〕\])】]\d{1,4}号$")  # 椒人大常〔2022〕15号
_DATE_ONLY = re.compile(rf"^\(?{DATE.pattern}\)?$")
# Who judges (会议, 常委会组成人员, 审议认为), and up to eight characters between (和列席人员, 在审议中一致).
_MEETING = r"^(同时|但|但是|此外|审议中)?,?(会议|常委会(组成人员)?|与会人员|与会委员|委员们|审议)[^,。:;]{0,8}"
# What a text _MEETING matches opens with: most paragraphs open with none, and then none of the
# three patterns built on it is tried.
_MEETING_OPENERS = ("同时", "但", "此外", ",", "会议", "常委会", "与会人员", "与会委员", "委员们", "审议")
_ASSESSMENT = re.compile(_MEETING + "(认为|肯定)")
_PROBLEMS = re.compile(_MEETING + "指出")
_OPINIONS_PHRASE = re.compile(r"(提出|形成)了?(如下|以下)[^,。:;]{0,4}(意见|建议)|(意见|建议)[^,。:;]{0,4}如下")  # 审议意见综合如下
_OPINIONS_START = re.compile(_MEETING + "(要求|建议)")
_OPINIONS_LINE = re.compile(r"^[^。]{0,36}(意见|建议|要求)[^。,:]{0,12}:$")  # 为此,建议县人民政府:
_CLOSING_START = re.compile(r"^(以上|上述)[^,。:;]{0,6}意见")
# What the request to report back names: the opinions, or how they were dealt with.
_CLOSING_WORDS = ("审议意见", "处理情况", "落实情况", "办理情况", "整改情况", "研究处理")
_HEARD = re.compile(r"听取|审议了|审查了|进行了(专题)?审议|作了审议")
_NUMERALS = "一二三四五六七八九十"
# Numbered points: 一是…, 一、…, （一）…, 1.…  Inline (mid-paragraph) only 一是 and （一）.
_PARAGRAPH_MARKERS = (
    re.compile(rf"\s*([{_NUMERALS}]{{1,3}})是"),
    re.compile(rf"\s*([{_NUMERALS}]{{1,3}})[、.．]"),
    re.compile(rf"\s*[（(]([{_NUMERALS}]{{1,3}})[）)]"),
    re.compile(r"\s*(\d{1,2})[、.．](?!\d)"),
    re.compile(r"\s*[（(](\d{1,2})[）)]"),
)
# All of them in one pattern, each marker's numeral its own group (group n + 1 for marker n), so
# a paragraph's start is matched once instead of once per marker. At most one marker can match
# a start (each ends in a character that cannot continue another's numeral), so the alternation
# finds the same match as that marker alone.
_ANY_PARAGRAPH_MARKER = re.compile(r"\s*(?:" + "|".join(marker.pattern.removeprefix(r"\s*") for marker in _PARAGRAPH_MARKERS) + ")")
# A point opens the text or follows a stop or a space. Each pattern opens with a character class
# and tests what precedes it by a lookbehind after that first character (``(?<![^…].)``: the
# character before it is a stop or a space, or there is none), so that the regex engine skips
# ahead to the class's characters instead of trying every position (4x faster than
# ``(?:^|(?<=[…]))`` in front).
_STOPS = r":：。；;，,！!？?\s"
_INLINE_MARKERS = (
    re.compile(rf"([{_NUMERALS}](?<![^{_STOPS}].)[{_NUMERALS}]{{0,2}})是"),
    re.compile(rf"[（(](?<![^{_STOPS}].)([{_NUMERALS}]{{1,3}})[）)]"),
)
_HEADING_END = re.compile(r"[。！？；;!?:：\n]")


def is_organization(text: str) -> bool:
    return _is_organization_key(match_key(text))


def _is_organization_key(key: str) -> bool:
    # The suffix test first: the pattern backtracks through every paragraph's first 30 characters.
    return key.endswith(ORGANIZATION_SUFFIXES) and bool(_ORGANIZATION.match(key))


_HEADING_WORDS = frozenset(("审议意见", "审议意见书"))


def _is_title(text: str, title: str) -> bool:
    """The title repeated at the top of the body (perhaps with the issuer before it), or a title-shaped line."""
    if title and (text == title or (6 <= len(text) <= len(title) + 30 and (text in title or title in text))):
        return True
    if text in _HEADING_WORDS:  # a header's 审议意见书, or a title's last line wrapped (…情况的 / 审议意见)
        return True
    # Substring and suffix tests first: the patterns backtrack through the paragraph's start.
    return ("关于" in text and bool(_TITLE.match(text))) or (text.endswith("号") and bool(_DOCUMENT_NUMBER.match(text)))


def _starts_with_marker(text: str) -> bool:
    return any(marker.match(text) for marker in _PARAGRAPH_MARKERS)


def _opens_opinions(text: str, meeting: bool) -> bool:
    """``meeting``: whether the text opens as _MEETING requires."""
    # Both branches of the phrase need 如下 or 以下: the cheap test first.
    phrase = ("如下" in text or "以下" in text) and _OPINIONS_PHRASE.search(text)
    return bool(phrase or (meeting and _OPINIONS_START.match(text)) or (text.endswith(":") and _OPINIONS_LINE.match(text)))


def _is_preamble(text: str) -> bool:
    return ("会议" in text or "常委会" in text) and bool(_HEARD.search(text))  # 县人大常委会听取和审议了…


def _is_closing(text: str) -> bool:
    """The request to report back: 以上审议意见请…, or a sentence asking for the (written) report."""
    # (书面报告 alone may be an opinion's: 县政府每年要向县人大常委会书面报告政府债务情况.)
    asks = "报告" in text and (text.startswith("请") or any(words in text for words in _CLOSING_WORDS)) and not _is_preamble(text)
    return (text.startswith(("以上", "上述")) and bool(_CLOSING_START.match(text))) or (asks and not _starts_with_marker(text))


def _is_date_only(text: str) -> bool:
    # The first and last characters first: a date opens with a digit or a numeral, or "(" before
    # it, and ends with 日 or 号, or ")" after it (a key ends with no newline for $ to pass over).
    first = text[:1]
    return ((first == "(" or first.isdecimal() or (first != "" and first in NUMERAL)) and text.endswith(("日", "号", ")"))
            and bool(_DATE_ONLY.match(text)))


# What may follow the issuer's name when no date comes under it: the copies' line, the note on publication.
_AFTER_SIGNATURE = ("抄送", "(此件")


def _signature_line(text: str, following: str | None) -> bool:
    """The signing date, the issuer's name above it (or ending the body), or both on one line."""
    if _is_date_only(text):
        return True
    if _is_organization_key(text):
        return following is None or _is_date_only(following) or following.startswith(_AFTER_SIGNATURE)
    # A date that ends the line ends it with 日 or 号, and needs its 年: the cheap tests first
    # (most paragraphs name a year, and the search runs through all of them).
    date = DATE.search(text) if text.endswith(("日", "号")) and "年" in text else None
    return bool(date) and date.end() == len(text) and _is_organization_key(text[:date.start()])


# Problems that no 会议指出 opens: 同时也要清醒地看到…, 存在的主要问题 on a line of its own, 会议在肯定成绩的同时，也指出….
_PROBLEMS_OPENING = re.compile(r"^(同时|但|但是)?,?[^,。:;]{0,6}(清醒地看到|也要看到|也应看到|应当看到)|^[^。,]{0,4}(存在的|主要|突出)问题:?$"
                               r"|^[^。]{0,20}的同时,[^,。]{0,6}指出")
# A part headed on a line of its own (一、基本评价 / 二、存在的主要问题 / 三、意见和建议).
_PART_HEADINGS = {"assessment": ("基本评价", "总体评价", "主要成效", "工作成效", "基本情况"),
                  "problems": ("存在的主要问题", "存在的问题", "存在问题", "主要问题", "问题和不足", "存在的问题和不足"),
                  "opinions": ("意见和建议", "审议意见", "几点建议", "意见建议", "建议")}
_PART_HEADING = re.compile(rf"^[{_NUMERALS}]{{1,2}}[、.]({'|'.join(word for words in _PART_HEADINGS.values() for word in words)}):?$")
_PART_OF_HEADING = {word: kind for kind, words in _PART_HEADINGS.items() for word in words}


def _content_kind(text: str, seen: set[str]) -> str | None:
    if len(text) <= 16 and (part := _PART_HEADING.match(text)):
        return _PART_OF_HEADING[part.group(1)]
    if ("问题" in text or "看到" in text) and _PROBLEMS_OPENING.match(text):  # the third form ends …也指出了存在的问题
        return "problems"
    meeting = text.startswith(_MEETING_OPENERS)
    if meeting and _ASSESSMENT.match(text):
        return "assessment"
    if meeting and _PROBLEMS.match(text):
        return "problems"
    if _opens_opinions(text, meeting) and not _starts_with_marker(text):
        return "opinions"
    if _is_closing(text):
        return "closing"
    if _is_preamble(text) and not seen & AFTER_PREAMBLE:
        return "preamble"
    return None


def _cued_kind(text: str, following: str | None, current: str | None, seen: set[str], title: str) -> str | None:
    """The kind a paragraph's own words announce, or None if it has no cue."""
    if text.startswith("附件") and _ATTACHMENT.match(text):
        return "other"
    at_top = current in (None, "heading")
    if at_top and (_is_organization_key(text) or _is_title(text, title) or (current == "heading" and _is_date_only(text))):
        return "heading"
    if not at_top and _signature_line(text, following):
        return "signature"
    kind = _content_kind(text, seen)
    if kind is None and at_top and text.endswith(":") and len(text) <= 40:
        return "addressee"
    return kind


def paragraph_kinds(paragraphs: list[str], title: str = "") -> list[str]:
    """The section kind of each paragraph."""
    keys = match_keys(paragraphs)
    title_key = match_key(title)
    kinds: list[str] = []
    seen: set[str] = set()
    current: str | None = None
    for index, text in enumerate(keys):
        following = keys[index + 1] if index + 1 < len(keys) else None
        kind = _cued_kind(text, following, current, seen, title_key)
        current = kind if kind is not None else (current if current in RUNS_ON else "other")
        kinds.append(current)
        seen.add(current)
    return kinds


def _sequence(markers: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """The (start, end) of markers numbered 1, 2, 3… in order; at least two, or none."""
    chosen: list[tuple[int, int]] = []
    for start, end, ordinal in markers:
        if ordinal == len(chosen) + 1:
            chosen.append((start, end))
    return chosen if len(chosen) >= 2 else []


def _marker_positions(text: str) -> list[tuple[int, int]]:
    """Where the numbered points of a section start: points that open paragraphs win over inline ones."""
    opening: list[list[tuple[int, int, int]]] = [[] for _ in _PARAGRAPH_MARKERS]
    start = 0
    while start >= 0:  # each paragraph's start: the text's, and each newline's end
        found_marker = _ANY_PARAGRAPH_MARKER.match(text, start)
        if found_marker:
            group = found_marker.lastindex or 1
            opening[group - 1].append((found_marker.start(), found_marker.end(), chinese_number(found_marker.group(group))))
        newline = text.find("\n", start)
        start = newline + 1 if newline >= 0 else -1
    # Only kinds with two markers or more can hold a sequence (most match no paragraph at all).
    found = [sequence for markers in opening if len(markers) >= 2 for sequence in [_sequence(markers)] if sequence]
    if not found:  # only then look inside paragraphs
        inline = [[(m.start(), m.end(), chinese_number(m.group(1))) for m in marker.finditer(text)] for marker in _INLINE_MARKERS]
        found = [sequence for markers in inline if len(markers) >= 2 for sequence in [_sequence(markers)] if sequence]
    return min(found, key=lambda sequence: sequence[0][0]) if found else []


def _item_heading(text: str, start: int, end: int) -> str | None:
    """The heading of the item ``text[start:end]``: its text up to the first stop, found in place
    (the item is not copied out, nor its rest split off)."""
    stop = _HEADING_END.search(text, start, end)
    heading = text[start:stop.start() if stop else end].strip()
    return heading if 0 < len(match_key(heading)) <= ITEM_HEADING_MAX else None


def enumerate_items(text: str) -> tuple[str | None, list[Item]]:
    """A section's lead-in (the text before its first point) and its numbered points."""
    positions = _marker_positions(text)
    if not positions:
        return None, []
    items: list[Item] = []
    for ordinal, (start, marker_end) in enumerate(positions, start=1):
        end = positions[ordinal][0] if ordinal < len(positions) else len(text)
        # A dict literal: calling the TypedDict builds the same dict, slower.
        items.append({"ordinal": ordinal, "heading": _item_heading(text, marker_end, end), "text": text[start:end].rstrip("\n")})
    lead = text[:positions[0][0]].rstrip("\n")
    return (lead or None), items


def ends_before_signature(sections: list[Section]) -> bool:
    """Whether an opinion's text stops before its signature: every opinion of the genre closes
    with the issuer and the signing date, so one without them was cut (in transfer, by a
    Content-Length that ends mid-article, or by the CMS) and is not the whole document."""
    return not any(section["kind"] == "signature" for section in sections)


def split_sections(paragraphs: list[str], title: str = "") -> list[Section]:
    """The body's sections in order; ``title`` (the page's title) helps spot it repeated at the top."""
    sections: list[Section] = []
    runs: list[tuple[str, list[str]]] = []
    for kind, text in zip(paragraph_kinds(paragraphs, title), paragraphs):
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(text)
        else:
            runs.append((kind, [text]))
    for kind, texts in runs:
        text = "\n".join(texts)
        heading, items = enumerate_items(text) if kind in ENUMERATED else (None, [])
        sections.append({"kind": kind, "heading": heading, "text": text, "items": items})  # a dict literal, as for items
    return sections
