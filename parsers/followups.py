"""What a report or news page says of the opinions it follows up: the government's report on
them (区人民政府关于……审议意见落实情况的报告, 关于……审议意见研究处理情况的报告) or a meeting
that heard such a report (会议听取了区政府关于…审议意见落实情况的报告), the subjects named, the
addressee, the meeting that made the opinions, titles of opinions cited (《关于…的审议意见》)
and a satisfaction vote (满意度测评). Pure: a title and a text in, a record out."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .facts import _SESSION

_REPORT_TITLE = re.compile(r"关于(?P<subject>.+?)(?:的)?审议意见(?:的)?(?:落实|研究处理|办理|整改)?情况的(?P<again>再次)?报告")
# A district's, county's, city's or banner's (区, 县, 市, 旗) government and standing committee.
_LEVEL = "[区县市旗]"
_HEARD = re.compile(rf"听取(?:了|和审议了)?{_LEVEL}(?:人民)?政府关于(?P<subject>.+?)(?:的)?审议意见(?:的)?(?:落实|研究处理|办理|整改)情况的报告")
_CITED = re.compile(r"《关于(?P<subject>[^《》]+?)的审议意见》")
_VOTE = re.compile(r"测评结果为(?P<vote>基本满意|不满意|满意)")
_MADE_BY = re.compile(rf"{_SESSION.pattern}\s*(?:听取和审议|听取|审议)")
# What a subject's wording varies by between an opinion and the report on it.
_NOISE = re.compile(rf"{_LEVEL}政府落实{_LEVEL}人大常委会|落实{_LEVEL}人大常委会|{_LEVEL}人大常委会|审议意见|关于|我{_LEVEL}|工作|情况|的"
                    r"|[\s“”\"《》、，,]")


def normalise_subject(subject: str) -> str:
    """A subject as opinion and report both word it: 我区安全生产工作情况 → 安全生产."""
    return _NOISE.sub("", subject)


_MEETING_WORDS = re.compile(r"人民代表大会|人大|常务委员会|常委会|全体|会议|\s")
# A session's term and sitting (十一届…第五次); what stands before the term is the place, written in
# full or not (台州市椒江区, 区, 路桥区第), which the key leaves out.
_TERM = re.compile(r"第?([一二三四五六七八九十〇零\d]+届.*)")


def meeting_key(meeting: str | None) -> str | None:
    """A meeting's name without what its wordings vary by, its place included (台州市椒江区十一届人大
    常委会第五次会议, 区十一届人大常委会第五次会议 → 十一届第五次; 仙居县第十七届… → 十七届…)."""
    if not meeting:
        return None
    key = _MEETING_WORDS.sub("", meeting)
    term = _TERM.search(key)
    return (term[1] if term else re.sub(f"^.*?{_LEVEL}", "", key)) or None


@dataclass(frozen=True)
class FollowUpPage:
    """``kind``: ``report`` (the government's written report) or ``hearing`` (a meeting heard
    one); ``subjects``: normalised, one per opinion the page names (a report may cover two);
    ``cited``: normalised subjects of the opinions whose titles it cites; ``meeting``: the
    meeting that made the opinions, as the report names it; ``round``: 2 for a 再次报告."""

    kind: str
    subjects: tuple[str, ...]
    cited: tuple[str, ...] = ()
    addressee: str | None = None
    meeting: str | None = None
    vote: str | None = None
    round: int = 1


def _split(subject: str) -> tuple[str, ...]:
    """One subject per opinion: 文化工作情况和城市管理行政执法工作情况 names two, each ending in 情况."""
    parts = [part for part in re.split(r"(?<=情况)和", subject) if part]
    return tuple(dict.fromkeys(filter(None, map(normalise_subject, parts))))


def parse_followup(title: str, body_text: str) -> FollowUpPage | None:
    """The follow-up a page is, or None when it is neither a report on opinions nor a hearing of one."""
    lines = [line.strip() for line in body_text.split("\n") if line.strip()]
    cited = tuple(dict.fromkeys(normalise_subject(m["subject"]) for m in _CITED.finditer(body_text)))
    vote = _VOTE.search(body_text)
    title_match = _REPORT_TITLE.search(title)
    if title_match:
        made_by = _MADE_BY.search(body_text)
        addressee = lines[0].rstrip(":：") if lines and lines[0].endswith((":", "：")) else None
        return FollowUpPage("report", _split(title_match["subject"]), cited, addressee,
                            made_by["meeting"] if made_by else None, vote["vote"] if vote else None,
                            2 if title_match["again"] else 1)
    heard = _HEARD.search(body_text)
    if heard:
        return FollowUpPage("hearing", _split(heard["subject"]), cited, None, None, vote["vote"] if vote else None)
    return None
