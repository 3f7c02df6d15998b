"""Header fields anchored on the labels a reader sees: 来源, 发布时间, 查看次数 and variants."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .errors import ParseError
from .lines import Line, Link
from .numerals import DATE as WRITTEN_DATE
from .numerals import NUMERAL, date_of

SOURCE_LABELS = ("信息来源", "文章来源", "稿件来源", "新闻来源", "来源于", "来源", "来自", "稿源", "出处")
# In order of preference: a page may show several labelled dates (成文日期 and 发布日期).
TIME_LABELS = ("发布时间", "发布日期", "发布时期", "发表时间", "录入时间", "添加时间", "更新时间", "时间", "日期", "发布", "生成日期", "发文日期",
               "成文日期", "发布于", "发表于", "更新于")
VIEW_LABELS = (
    "查看次数", "浏览次数", "阅读次数", "点击次数", "访问次数", "浏览人次", "访问人次", "阅读人次", "访问量", "浏览量", "阅读量", "点击量",
    "点击数", "浏览数", "阅读数", "点击率", "人气", "点击", "浏览", "阅读", "查看",  # 查看: 1234 (Discuz)
)
# Labels that only end the value of the previous field.
OTHER_LABELS = ("作者", "责任编辑", "编辑", "评论", "撰稿", "摄影", "字号", "字体", "分享到", "打印", "【", "[", "|")

# A label's colon, or the bracket that closes a label written in brackets (【发布时间】2022-11-15).
_COLON = r"\s*[:：】\]]\s*"
# A year's first two digits, in ASCII or full-width figures (发布日期：２０２２－１１－１５, as text
# pasted from Word writes them; \d and int() read both).
_CENTURY = r"(?:19|20|１９|２０)"
_DATE = (
    rf"(?P<y>{_CENTURY}\d{{2}})\s*[-/.年－／．]\s*(?P<mo>\d{{1,2}})\s*[-/.月－／．]\s*(?P<d>\d{{1,2}})\s*日?"
    r"(?:\s*(?:星期|周)[一二三四五六日天])?"  # 2022-11-15 星期二 10:00
    r"(?:\s*T?\s*(?P<noon>上午|下午|中午|晚上)?\s*(?P<h>\d{1,2})\s*[:：时]\s*(?P<mi>\d{1,2})(?:\s*[:：分]\s*(?P<s>\d{1,2}))?"
    r"(?:\s*(?P<ampm>[AaPp]\.?[Mm]\b\.?))?)?"  # 2022/11/15 5:21:10 PM, as ASP writes the time on an English-language server
)
DATE_RE = re.compile(_DATE)
# The largest integer an archive holds (SQLite's INTEGER is 64-bit): a count past it is no count.
MAX_COUNT = 2 ** 63 - 1


# A count as a page writes it: figures (in groups of three or none: 44,920; not 12,34), rounded
# to ten thousands (1.2万, 1.2w) or thousands (3.5k), or a floor (10万+, 999+), as pages with
# large counts show one. Its groups: the whole figures, the fraction, the unit, the plus.
COUNT = r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?!,?\d)\s*([万wWkK](?![A-Za-z]))?\s*(\+)?"
_UNITS = {"万": 10000, "w": 10000, "W": 10000, "k": 1000, "K": 1000}


class ViewCount(NamedTuple):
    count: int
    approximate: bool  # the page writes it rounded (1.2万: about 12,000) or as a floor (10万+: 100,000 or more)


def written_count(match: re.Match[str]) -> ViewCount | None:
    """The count a match of COUNT writes (its groups the first four of the pattern's); None for a
    fraction with no unit (1.2 counts nothing for sure)."""
    whole, fraction, unit, floor = match.group(1, 2, 3, 4)
    if fraction and not unit:
        return None
    scale = _UNITS.get(unit, 1)
    places = len(str(scale)) - 1  # 4.5万: the fraction's first four figures are its thousands, hundreds, tens and ones
    digits = fraction[1:places + 1] if fraction else ""
    count = int(whole.replace(",", "")) * scale + (int(digits.ljust(places, "0")) if digits else 0)
    return ViewCount(checked_count(count), approximate=bool(unit or floor))


def checked_count(count: int) -> int:
    """``count``, or ParseError("value_out_of_range") past MAX_COUNT."""
    if count > MAX_COUNT:
        raise ParseError("value_out_of_range", f"a view count of {len(str(count))} digits")
    return count


_AFTER_LABEL = {"source": _COLON, "time": _COLON, "views": rf"(?:{_COLON}|\s*(?=\d))", "other": ""}
# A time label of four characters, or one that says "at" (发布于), needs no colon before a year
# (<span>发布时间</span><span>2022-01-05</span>, 发表于2014-08-24): no sentence says 发布时间2022;
# a short one (时间, 日期, 发布) does, and keeps its colon.
_COLONLESS_TIME_LABELS = tuple(label for label in TIME_LABELS if len(label) >= 4 or label.endswith("于"))
_AFTER_COLONLESS_TIME_LABEL = rf"(?:{_COLON}|\s*(?={_CENTURY}\d\d))"
_COLONLESS_TIME_LABEL_YEAR = re.compile(rf"(?:{'|'.join(_COLONLESS_TIME_LABELS)})\s*{_CENTURY}\d\d")
# group name -> (kind, label): the kinds in order of preference, each label's longer variants first.
_LABEL_OF_GROUP = {f"{kind}{index}": (kind, label) for index, (kind, label) in enumerate(
    (kind, label) for kind, labels in (("source", SOURCE_LABELS), ("time", TIME_LABELS), ("views", VIEW_LABELS), ("other", OTHER_LABELS))
    for label in sorted(labels, key=len, reverse=True))}


# The labels that open a header's next field, with their colon after them (what follows a count
# label that has none).
_NEXT_FIELD = "|".join(re.escape(label) for label in sorted(
    {*SOURCE_LABELS, *TIME_LABELS, *VIEW_LABELS, *(label for label in OTHER_LABELS if label.isalpha())}, key=len, reverse=True))


def _after(kind: str, label: str) -> str:
    """What follows a label of ``kind``: its colon, or what may stand for it."""
    if label in _COLONLESS_TIME_LABELS:
        return _AFTER_COLONLESS_TIME_LABEL
    if kind == "source":
        # A source label in a cell of its own, its value in the next (<th>来源</th><td>县人大</td>):
        # a label that opens the line or follows a space, then a space.
        escaped = re.escape(label)
        return rf"(?:{_COLON}|(?:(?<=^{escaped})|(?<=\s{escaped}))\s+(?=[^\s\d]))"
    if kind == "views":
        # A count label in a cell of its own, the count a script writes in the next before its
        # unit (<th>浏览次数</th><td><script src=…></script>次</td>).
        escaped = re.escape(label)
        after = rf"{_AFTER_LABEL[kind]}|(?:(?<=^{escaped})|(?<=\s{escaped}))\s+(?=次(?:\s|$))"
        if len(label) >= 3:
            # A count label with no colon whose count a script writes right after it, before the
            # next field (点击数 <script src=…> 更新时间：…) or at the line's end after a space or a
            # bar (| 浏览次数 <script>): a label of a word or two (点击, 阅读) is a sentence's too.
            after += rf"|\s*(?=(?:{_NEXT_FIELD})\s*[:：])|(?<=[\s|｜]{escaped})\s*$"
        return f"(?:{after})"
    return _AFTER_LABEL[kind]


# One flat alternation, each label an alternative of its own that opens with the label's first
# character and names itself by an empty group after it (``lastgroup``): the regex engine then
# skips ahead to those first characters instead of trying every label at every character, as
# it does when the labels are grouped by kind (the same matches, in the same order of preference).
_LABELED = re.compile("|".join(f"{re.escape(label)}(?P<{name}>){_after(kind, label)}" for name, (kind, label) in _LABEL_OF_GROUP.items()))


def _cores(labels: tuple[str, ...]) -> tuple[str, ...]:
    """The labels that hold no other label: a text holds one of ``labels`` only if it holds one
    of these, which a few substring tests tell faster than the pattern's search."""
    return tuple(label for label in labels if not any(other != label and other in label for other in labels))


_TIME_CORES = _cores(TIME_LABELS)
_TIME_RANK = {label: rank for rank, label in enumerate(TIME_LABELS)}
_FIELD_CORES = _cores(SOURCE_LABELS + TIME_LABELS + VIEW_LABELS)
_VIEW_CORES = _cores(VIEW_LABELS)
# 阅读10544次, 1164次阅读; a number is tried from its first digit only (a long run of digits before
# 次 would be tried from each of them).
# 阅读 236 次, 236次浏览, 236人浏览 (JPress: <span>236</span>人浏览 / <span>0</span>人评论).
_READ_N_TIMES = re.compile(r"(?:阅读|浏览|点击)\s*[:：]?\s*(\d+)\s*次|(?<!\d)(\d++)\s*(?:次|人次?)(?:阅读|浏览|点击|看过)")
_COUNT_FIRST = re.compile(rf"^\s*{COUNT}")


def iso_datetime(match: re.Match[str]) -> str | None:
    """ISO 8601 text of a DATE_RE match, as precise as the page shows, in China time."""
    year, month, day = int(match["y"]), int(match["mo"]), int(match["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    date = f"{year:04d}-{month:02d}-{day:02d}"
    if match["h"] is None:
        return date
    hour, minute = int(match["h"]), int(match["mi"])
    if match["noon"] in ("下午", "晚上") and hour < 12 or match["noon"] == "中午" and hour < 11:  # 下午3:30 is 15:30
        hour += 12
    elif match["ampm"] and hour <= 12:
        hour = hour % 12 + (12 if match["ampm"][0] in "Pp" else 0)  # 12:05 AM is 00:05
    if hour > 23 or minute > 59:
        return date
    if match["s"] is None:
        return f"{date}T{hour:02d}:{minute:02d}+08:00"
    return f"{date}T{hour:02d}:{minute:02d}:{int(match['s']):02d}+08:00"


def parse_datetime(text: str) -> str | None:
    """The first date and time of ``text``, in figures or, a day only, in Chinese numerals
    (发布日期：二〇二三年五月十日, as an official document writes its date)."""
    match = DATE_RE.search(text)
    if match:
        return iso_datetime(match)
    written = WRITTEN_DATE.search(text)
    return date_of(written) if written else None


def _opens_with_date(text: str, position: int = 0) -> bool:
    return bool(DATE_RE.match(text, position)) or (text[position:position + 1] in NUMERAL and WRITTEN_DATE.match(text, position) is not None)


@dataclass
class Header:
    published_at: str | None = None
    source: str | None = None
    view_count: int | None = None
    view_count_approximate: bool = False
    view_count_url: str | None = None
    count_label_empty: bool = False  # a view label shows no number: a script fills it
    first_line: int = 0
    last_line: int = 0
    labeled: bool = True  # its date has a label (发布时间：…), not a byline's date alone


@lru_cache(maxsize=64)  # a page's header lines are read three or four times over
def _labeled_values(text: str) -> tuple[tuple[str, str, str], ...]:
    """Split a header line into (field, label, value) triples at each label."""
    matches = list(_LABELED.finditer(text))
    triples = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        triples.append((*_LABEL_OF_GROUP[match.lastgroup], text[match.end():end].strip()))  # type: ignore[index]
    return tuple(triples)


def _holds(text: str, cores: tuple[str, ...]) -> bool:
    for core in cores:
        if core in text:
            return True
    return False


def is_header_line(line: Line) -> bool:
    text = line.text
    return _holds(text, _FIELD_CORES) and any(kind in ("source", "time", "views") for kind, _, _ in _labeled_values(text))


def _other_fields(lines: Sequence[Line]) -> int:
    """How many of the first ``lines`` hold labelled fields of no kind the header reads: a line
    (作者：admin), or a label alone and its value under it (作者 / admin); 0 for none."""
    text = lines[0].text if lines else ""
    values = _labeled_values(text) if len(text) <= 40 else ()
    if not values or not text.startswith(values[0][1]) or any(kind != "other" for kind, _, _ in values):
        return 0
    return 2 if values[0][1] == text.rstrip(" :：") and len(lines) > 1 else 1


def is_count_phrase(text: str) -> bool:
    """Whether a short line gives the page's view count in words around its number (236人浏览)."""
    return len(text) <= 30 and ("次" in text or "人" in text) and _READ_N_TIMES.search(text) is not None


def is_count_line(text: str) -> bool:
    """Whether a short line gives the page's view count by its label, its number or nothing
    after it (作者:人大办 | 浏览:527 | 评论:0, as a blog's template writes it under the post)."""
    return len(text) <= 60 and _holds(text, _VIEW_CORES) and any(
        kind == "views" and (not value or value[0].isdigit()) for kind, _, value in _labeled_values(text))


# A label on a line of its own, its value on the next (<dt>发布时间</dt><dd>2022-01-05</dd>).
_BARE_LABELS = {label: kind for kind, labels in (("source", SOURCE_LABELS), ("time", TIME_LABELS), ("views", VIEW_LABELS))
                for label in labels}
_COUNT_LINE = re.compile(r"^\d[\d,]*\s*次?$")


def _label_alone(text: str) -> str:
    """A line's label without the colon after it (来源： -> 来源)."""
    return text.rstrip(" :：")


def bare_label(text: str) -> str | None:
    """The field a line names when it is a label alone (发布时间, 来源：), else None."""
    return _BARE_LABELS.get(_label_alone(text)) if len(text) <= 8 else None


def _holds_value_of(label: Line, value: Line, neighbours: Sequence[Line] = ()) -> bool:
    """Whether ``value`` is the value of the label alone on the line above it: a date under a
    time label, a count under a view label, a name under a source label. A source label with its
    colon and nothing after it is an empty field, or one that a script fills (来源：, 浏览次数：
    <script>), and the line below it is the body's, unless the header's other labels stand alone
    too: one of ``neighbours`` (the lines two above the label and right below the value) is
    a label alone (<dt>发布时间：</dt><dd>2022-01-05</dd><dt>来源：</dt><dd>县人大</dd>)."""
    kind, text = bare_label(label.text), value.text
    if kind == "time":
        return _opens_with_date(text)
    if label.scripts:
        return False
    if kind == "views":  # a count, or the script that writes it (<dt>点击数</dt><dd><script src=…></script>次</dd>)
        return bool(_COUNT_LINE.match(text)) or bool(value.scripts) and text in ("", "次", "人次")
    if kind != "source" or not 0 < len(text) <= 30 or bare_label(text) or is_header_line(value):
        return False
    return not label.text.endswith((":", "：")) or any(bare_label(line.text) for line in neighbours)


def _neighbours(lines: Sequence[Line], index: int) -> list[Line]:
    """The lines two above ``lines[index]`` and two below it: of a label there and its value
    below, the previous label and the next."""
    above = lines[index - 2:index - 1] if index >= 2 else []  # a negative start would walk the whole page
    return above + lines[index + 2:index + 3]


def _paired(lines: Sequence[Line]) -> list[tuple[Line, str]]:
    """Each line with its text, a label alone joined to the value on the line below it (the line
    of the value, whose links and scripts are the field's)."""
    pairs, index = [], 0
    while index < len(lines):
        text = lines[index].text
        label = bare_label(text)
        if index + 1 < len(lines) and label and _holds_value_of(lines[index], lines[index + 1], _neighbours(lines, index)):
            pairs.append((lines[index + 1], f"{_label_alone(text)}：{lines[index + 1].text}"))
            index += 2
        elif label and (lines[index].scripts or label == "views"):
            # <th>点击数</th><td><script src=…></td>, or a count that a script fills in elsewhere.
            pairs.append((lines[index], f"{_label_alone(text)}："))
            index += 1
        else:
            pairs.append((lines[index], text))
            index += 1
    return pairs


def _labeled_time_line(lines: Sequence[Line], start: int, stop: int | None) -> int | None:
    best: tuple[int, int] | None = None
    window = lines[start:stop]
    for index, line in enumerate(window, start):
        text = line.text
        if bare_label(text) == "time":  # its value on the line below
            position = index - start + 1
            if position < len(window) and _holds_value_of(line, window[position]):
                rank = _TIME_RANK[_label_alone(text)]
                if best is None or rank < best[0]:
                    best = (rank, index)
            continue
        # A labelled time needs its colon, but for a long label right before a year (发布时间2022-01-05).
        if not _holds(text, _TIME_CORES) or (":" not in text and "：" not in text and not _COLONLESS_TIME_LABEL_YEAR.search(text)):
            continue
        for match in _LABELED.finditer(text):
            kind, label = _LABEL_OF_GROUP[match.lastgroup]  # type: ignore[index]
            if kind == "time" and _opens_with_date(text, match.end()):
                rank = _TIME_RANK[label]
                if best is None or rank < best[0]:
                    best = (rank, index)
    return best[1] if best else None


BYLINE = 40  # the most a byline of a name, a date and a word or two holds (松溪县人大常委会 2023-09-05 阅读)


def _unlabeled_time_line(lines: Sequence[Line], start: int, stop: int | None, under_title: bool = False) -> int | None:
    """A short byline that shows a date without a label (``2022-02-13 07:00:00来源：央广网``),
    above the body: one under a paragraph of prose is the date a document is signed with.
    ``under_title``: the lines start right under the title, where the first line with text may
    show a date in figures among other words (an author, 阅读) and be the byline still."""
    first = under_title
    for index, line in enumerate(lines[start:stop], start):
        if _is_prose(line):
            return None
        text = line.text
        match = DATE_RE.search(text)
        # A long line is prose, unless its labels make it a header (Discuz: 2023-5-10 10:29| 发布者: … | 查看: …);
        # a date another page's link shows is that page's.
        if not match or (len(text) > 60 and not is_header_line(line)) or any(
                match.group(0) in link.text for link in line.links if link.leads_away):
            first = first and not text
            continue
        rest = (text[:match.start()] + text[match.end():]).strip()
        if match.start() == 0 and (match["h"] is not None or not rest or is_header_line(line)):
            return index
        if is_header_line(line) or (first and len(text) <= BYLINE and "年" not in match.group(0)):
            return index
        first = False
    return None


def _is_prose(line: Line) -> bool:
    """A paragraph's sentences, not a byline or a menu: a full stop, or a long line with commas."""
    text = line.text
    return len(text) >= 20 and not line.links and ("。" in text or (len(text) >= 40 and "，" in text)) and not is_header_line(line)


_ENGLISH_LABEL = re.compile(r"^[A-Za-z][A-Za-z ]*[:：]\s*")  # a label's English twin
_SOURCE_EDGES = " ：:|·-【】[]"  # what a source's value may be set in (【来源：县人大】)


def _clean_source(value: str, links: Sequence[Link]) -> str | None:
    """The source a label names: its value up to the first space, or a link's text where another
    link's runs on after it with no space between (证券市场红周刊 + 举报)."""
    for link in links:
        name = link.text
        if name and len(value) > len(name) and value.startswith(name):
            rest = value[len(name):].strip()
            if any(other.text == rest for other in links if other is not link):
                value = name
                break
    value = _ENGLISH_LABEL.sub("", value)  # 来源 Source: 区人大办
    first = value.split(" ")[0]
    if first.endswith((":", "：")) and not first.startswith(("【", "[")):
        return None  # the empty field's neighbour's label (信息来源： 关键词： 审议意见)
    value = first.strip(_SOURCE_EDGES)
    return value or None


def extract_header(lines: Sequence[Line], start: int = 0, stop: int | None = None, window: int = 2,
                   under_title: bool = False) -> Header | None:
    """Find the line with a (preferably labelled) publish date in ``lines[start:stop]``
    and read the fields on the header lines around it (``under_title``: the lines start right
    under the title). Lines are read by slices, not by ``len()``, which would walk a lazy page
    to its end."""
    labeled = _labeled_time_line(lines, start, stop)
    anchor = labeled if labeled is not None else _unlabeled_time_line(lines, start, stop, under_title)
    if anchor is None:
        return None
    return _header_around(lines, anchor, start, window, labeled is not None)


def _header_around(lines: Sequence[Line], anchor: int, start: int, window: int, labeled: bool) -> Header:
    """The header whose date is on ``lines[anchor]``: the header lines around it, read."""
    first = last = anchor
    around = max(start, anchor - window)
    for index, line in enumerate(lines[around:anchor + window + 1], around):
        if is_header_line(line) or bare_label(line.text):
            first, last = min(first, index), max(last, index)
    # A header of labels alone runs on below the window, a line for each label and its value; a
    # table of labelled fields too, a row a line (信息公开: … 信息来源：… 关键词：… / 浏览次数：412).
    # Other fields between them (作者：…, 【字体：大 中 小】, or 作者 over its value) are the header's too.
    while True:
        following = lines[last + 1:last + 4]
        if following and ((bare_label(lines[last].text) and _holds_value_of(lines[last], following[0], _neighbours(lines, last)))
                          or bare_label(following[0].text) or (is_header_line(lines[last]) and is_header_line(following[0]))):
            last += 1
            continue
        other = _other_fields(following)
        if not other or len(following) <= other or not (bare_label(following[other].text) or is_header_line(following[other])):
            break
        last += other + 1
    # And above the window, a label on each line and its value on the next (<dt>来源</dt><dd>…</dd>).
    while first - 1 > start:
        above, label_above = lines[first - 1], lines[first - 2]
        if bare_label(above.text) or (bare_label(label_above.text) and (not above.text or _holds_value_of(label_above, above))):
            first -= 1
            continue
        other = _other_fields([label_above, above]) if first - 2 > start else 0
        other = other if other == 2 else _other_fields([above])
        beyond = lines[max(start, first - other - 2):first - other]  # the field above the other fields, on one line or two
        if not other or not any(bare_label(line.text) or is_header_line(line) for line in beyond):
            break
        first -= other
    header = Header(first_line=first, last_line=last, labeled=labeled)
    fill_header(header, lines[first:last + 1])
    if header.published_at is None:
        unlabeled = DATE_RE.search(lines[anchor].text)
        header.published_at = iso_datetime(unlabeled) if unlabeled else None
    return header


SCRIPT_REACH = 200  # a header stands near the top of the page


def header_filled_by_script(lines: Sequence[Line], published_at: str | None) -> Header | None:
    """The header whose time label shows no date above the body (发布时间：<span id="pubtime">
    </span>, which a script fills from the page's ``<meta name="PubDate">``), dated
    ``published_at``; None where no such label is."""
    for index, line in enumerate(lines[:SCRIPT_REACH]):
        if _is_prose(line):
            return None
        if _holds(line.text, _TIME_CORES) and any(kind == "time" and not value for kind, _, value in _labeled_values(line.text)):
            header = _header_around(lines, index, 0, 2, True)
            header.published_at = published_at
            return header
    return None


def fill_header(header: Header, lines: Sequence[Line]) -> None:
    """Set the fields still missing from ``header`` from labelled values on ``lines``; of several
    labelled dates, the one whose label TIME_LABELS prefers (发布日期 over 发文日期 in a 信息公开
    table, whichever comes first)."""
    time_rank = None if header.published_at is None else -1  # -1: a time set before stays
    for line, text in _paired(lines):
        for kind, label, value in _labeled_values(text):
            if kind == "time":
                rank = _TIME_RANK[label]
                if time_rank is None or rank < time_rank:
                    published = parse_datetime(value)
                    if published is not None:
                        header.published_at, time_rank = published, rank
            elif kind == "source" and header.source is None:
                header.source = _clean_source(value, line.links)
            elif kind == "views" and header.view_count is None:
                written = _COUNT_FIRST.match(value)
                count = written_count(written) if written else None
                if count:
                    header.view_count, header.view_count_approximate = count
                elif line.scripts:
                    header.view_count_url = line.scripts[0]
                else:
                    header.count_label_empty = True
        if header.view_count is None and ("次" in text or "人" in text):
            times = _READ_N_TIMES.search(text)
            if times:
                header.view_count = checked_count(int(times.group(1) or times.group(2)))
