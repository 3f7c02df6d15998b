"""Facts an opinion states: who issued it, to whom, on what, which meeting heard the report,
when it was signed and by when the government must report back.

Each fact comes from the section that states it; a fact the text does not state is None.
"""

from __future__ import annotations

import re
from datetime import date

from .numerals import DATE, DATE_TEXT, NUMBER, NUMERAL, YEAR, add_days, add_months, chinese_number, date_of, month_end, parse_date
from .record import Facts, Section
from .sections import is_organization

_SUBJECT = re.compile(r"关于(?:对)?(.+)的审议意见")  # 关于对市政府…报告的审议意见
_NAME = r"[^\s，,。；;：:、“”\"（）()《》]"
# 2022年10月27日,台州市椒江区十一届人大常委会第五次会议听取… / 区…第五次会议于2022年10月27日…
# (2023年6月27日至28日, …; 在2023年6月28日召开的…会议上.)
_DATE_THEN_MEETING = re.compile(rf"(?P<date>{DATE_TEXT})(?:\s*至\s*{NUMBER}\s*[日号])?[\s，,、]*(?:在|召开的)?(?P<meeting>{_NAME}{{2,40}}?会议)")
_SESSION = re.compile(rf"(?P<meeting>{_NAME}{{0,30}}?第{NUMBER}次(?:全体|主任)?会议)")
_MEETING_THEN_DATE = re.compile(rf"{_SESSION.pattern}\s*于\s*(?P<date>{DATE_TEXT})")
# A deadline of the next sitting, whose day the opinion does not know (下次常委会会议前, 下一次会议召开前).
NEXT_MEETING = r"下\s*一?\s*次\s*(?:常委会|常务委员会)?\s*(?:会议)?\s*(?:召开)?\s*(?:之)?前"
_NEXT_MEETING = re.compile(NEXT_MEETING)
# Every phrase opens with a digit, a numeral, 半, 今, 本, 当, 年 or 下: the lookahead fails the other
# positions at once, where the alternation would try each of its branches (4.6x faster).
DEADLINE = re.compile(
    rf"(?=[\d{NUMERAL}半今本当年下])(?:{NEXT_MEETING}|{NUMBER}\s*个\s*(?:月|工作日)(?:之|以)?内|半\s*年(?:之|以)?内|{NUMBER}\s*(?:年|日|天|周)(?:之|以)?内"
    rf"|{DATE_TEXT}\s*(?:之)?前|{NUMBER}\s*月\s*{NUMBER}\s*[日号]\s*(?:之)?前|(?:{YEAR}\s*年\s*)?{NUMBER}\s*月\s*(?:底|末)(?:(?:之)?前)?"
    rf"|(?:今年|本年度?|当年)?年\s*(?:底|末)(?:之)?前|(?:今年|本年度|当年)?年内)"
)
_CLAUSE = re.compile(r"[^，,。；;]+")
_WITHIN = re.compile(rf"(?P<n>{NUMBER})\s*(?P<unit>个\s*月|年|日|天|周)(?:之|以)?内|(?P<half>半)\s*年(?:之|以)?内")
MONTHS_PER_UNIT = {"个月": 1, "年": 12}
DAYS_PER_UNIT = {"日": 1, "天": 1, "周": 7}
_MONTH_DAY = re.compile(rf"(?P<month>{NUMBER})\s*月\s*(?P<day>{NUMBER})\s*[日号]")
_MONTH_END = re.compile(rf"(?:(?P<year>{YEAR})\s*年\s*)?(?P<month>{NUMBER})\s*月\s*(?:底|末)")


# Each section's kind and its lines, stripped: split once, as the facts read them eight times.
_SplitSections = list[tuple[str, list[str]]]
# The kinds the facts read: the assessment, problems and opinions (most of the text) are left
# unsplit, but for the first line of the first of them ("opening"), where an opinion that has no
# preamble of its own names the meeting (…会议听取和审议了…，并提出了以下审议意见：).
_FACT_KINDS = frozenset(("signature", "heading", "addressee", "preamble", "other", "closing", "opening"))
_BODY_KINDS = frozenset(("assessment", "problems", "opinions"))


def _split(sections: list[Section]) -> _SplitSections:
    split = [(section["kind"], [line.strip() for line in section["text"].split("\n")])
             for section in sections if section["kind"] in _FACT_KINDS]
    opening = next((section["text"].split("\n", 1)[0] for section in sections if section["kind"] in _BODY_KINDS), None)
    return [*split, ("opening", [opening.strip()])] if opening is not None else split


def _lines(sections: _SplitSections, *kinds: str) -> list[str]:
    if not _FACT_KINDS.issuperset(kinds):  # _split left them out: the fact would find no lines
        raise ValueError(f"facts read only the kinds of _FACT_KINDS, not {sorted(set(kinds) - _FACT_KINDS)}")
    return [line for kind, lines in sections if kind in kinds for line in lines]


def _issuer(sections: _SplitSections, title: str) -> str | None:
    for line in _lines(sections, "signature") + _lines(sections, "heading"):
        if is_organization(line):
            return line
        signed = DATE.search(line)
        if signed and is_organization(line[:signed.start()]):
            return line[:signed.start()].strip()
    prefix = title.split("关于", 1)[0].strip()
    return prefix if "关于" in title and is_organization(prefix) else None


def _addressee(sections: _SplitSections) -> str | None:
    lines = _lines(sections, "addressee")
    return (lines[0].rstrip(":： ") or None) if lines else None


def _subject(sections: _SplitSections, title: str) -> str | None:
    for text in [title] + _lines(sections, "heading"):
        match = _SUBJECT.search(text)
        if match:
            return match.group(1).strip()
    return None


def _meeting(sections: _SplitSections) -> tuple[str | None, str | None]:
    """The meeting that heard the report and its date, from the preamble (else any early text
    that names a dated meeting); a preamble's meeting without a full date has no date."""
    preamble = _lines(sections, "preamble")
    for text in preamble + _lines(sections, "heading", "other", "opening"):
        # Both patterns need a date's 年 and the meeting's 会议, and the second a 第…次 and 于:
        # substring tests first, as the searches backtrack through long lines.
        if "会议" not in text or "年" not in text:
            continue
        match = _DATE_THEN_MEETING.search(text) or (_session_search(_MEETING_THEN_DATE, text) if "于" in text else None)
        if match:
            return match.group("meeting"), parse_date(match.group("date"))
    session = next((match for match in (_session_search(_SESSION, text) for text in preamble if "会议" in text) if match), None)
    return (session.group("meeting") if session else None), None


def _session_search(pattern: re.Pattern[str], text: str) -> re.Match[str] | None:
    """``pattern`` (_SESSION, or one that opens with it) searched in ``text``. Its match opens at
    most 30 characters before a 第, so the search starts there instead of trying each position
    before it (and is skipped where there is no 第)."""
    first = text.find("第")
    return pattern.search(text, max(first - 30, 0)) if first >= 0 else None


def _signed_date(sections: _SplitSections) -> str | None:
    # The last line's date that is a real day: from the end, without parsing the lines above it;
    # where no signature is dated, the date under the title (（2023年7月28日）).
    signed = next((found for found in map(parse_date, reversed(_lines(sections, "signature"))) if found), None)
    return signed or next((found for found in map(_date_alone, _lines(sections, "heading")) if found), None)


def _date_alone(line: str) -> str | None:
    """The date a line holds and nothing else (in brackets or not)."""
    date = DATE.fullmatch(line.strip("（）() "))
    return date_of(date) if date else None


def _deadline(sections: _SplitSections) -> str | None:
    """The reporting deadline as written: the one in the clause that asks for the report, else the first."""
    first: str | None = None
    # Every phrase DEADLINE matches ends in 内 or 前, or 底 or 末 (6月底): only lines and clauses with one are searched,
    # and a clause only for its first phrase (the first of the one asking for the report wins).
    for text in _lines(sections, "closing"):
        if "内" not in text and "前" not in text and "底" not in text and "末" not in text:
            continue
        for clause in _CLAUSE.findall(text):
            asks = "报告" in clause
            if (asks or first is None) and ("内" in clause or "前" in clause or "底" in clause or "末" in clause):
                match = DEADLINE.search(clause)
                if match:
                    if asks:
                        return match.group()
                    first = match.group()
    return first


def report_due(deadline: str | None, signed: str | None) -> str | None:
    """The date a deadline phrase implies, counted from the signing date; None when it cannot be told."""
    # Working days depend on the holiday calendar, the next sitting on the standing committee.
    if not deadline or "工作日" in deadline or _NEXT_MEETING.match(deadline):
        return None
    by_date = DATE.search(deadline)
    if by_date:  # a day of its own: no signing date needed
        return date_of(by_date)
    if not signed:
        return None
    year = int(signed[:4])
    within = _WITHIN.fullmatch(deadline)
    if within and within["half"]:
        return add_months(signed, 6)
    if within:
        unit = "".join(within["unit"].split())  # 个 月 -> 个月 (str.split's whitespace is regex \s)
        count = chinese_number(within["n"])
        if not count:
            return None
        if unit == "年" and count >= 1000:
            return month_end(count, 12)  # 2022年内: by the end of 2022
        if unit in MONTHS_PER_UNIT:
            return add_months(signed, count * MONTHS_PER_UNIT[unit])
        return add_days(signed, count * DAYS_PER_UNIT[unit])
    month_day = _MONTH_DAY.search(deadline)
    if month_day:  # 11月30日前: the first such day after the signing
        month, day = chinese_number(month_day["month"]), chinese_number(month_day["day"])
        for candidate in (year, year + 1):
            try:
                due = date(candidate, month or 0, day or 0).isoformat()
            except ValueError:
                return None
            if due >= signed:
                return due
        return None
    month = _MONTH_END.search(deadline)
    if month:
        number = chinese_number(month["month"])
        if number is None or not 1 <= number <= 12:
            return None
        stated_year = chinese_number(month["year"]) if month["year"] else None
        return month_end(stated_year or (year if number >= int(signed[5:7]) else year + 1), number)
    return month_end(year, 12)  # 年底前, 年内


def document_facts(sections: list[Section], title: str = "") -> Facts:
    split = _split(sections)
    meeting, meeting_date = _meeting(split)
    signed = _signed_date(split)
    deadline = _deadline(split)
    return Facts(
        issuer=_issuer(split, title),
        addressee=_addressee(split),
        subject=_subject(split, title),
        meeting=meeting,
        meeting_date=meeting_date,
        signed_date=signed,
        report_deadline=deadline,
        report_due=report_due(deadline, signed),
    )

