"""What the replica publishes after its opinions: the government's reports on them (监督工作)
and the news of the Standing Committee meetings that heard those reports (工作动态), each
labelled with the opinions it follows up (replica/data/followups.json says which case is which)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import resources

from .content import Article

REPORTS_COLUMN = "监督工作"
NEWS_COLUMN = "工作动态"
FIRST_ID = 9101
CASES = json.loads(resources.files("replica").joinpath("data", "followups.json").read_text(encoding="utf-8"))
AS_OF = CASES["as_of"]  # the replica's "today": the labelled statuses are as of this date
_SUBJECT = re.compile(r"关于(.+)的审议意见")
_DEADLINE = re.compile(r"于(2|两|3|三|6|六)个月内|年底前")
_MONTHS = {"2": 2, "两": 2, "3": 3, "三": 3, "6": 6, "六": 6}


@dataclass
class FollowUp:
    """A report or news page and the opinions (their article ids) it follows up."""

    article: Article
    opinions: list[int]
    kind: str  # "report" or "hearing"
    held_back: bool = False  # published only by publish_late_report()


@dataclass
class Opinion:
    article: Article
    subject: str
    signed: date
    due: date | None
    meeting: str  # as the preamble names it, "2021年5月…第三十六次会议"
    followups: list[FollowUp] = field(default_factory=list)


def _number(text: str) -> int:
    """Arabic or Chinese digits (二〇一二, 二十一)."""
    if text.isdigit():
        return int(text)
    digits = {c: n for n, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
    if "十" not in text:
        return int("".join(str(digits[c]) for c in text))
    tens, _, ones = text.partition("十")
    return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)


def _signed(article: Article) -> date:
    signature = next(s for s in article.sections if s["kind"] == "signature")["paragraphs"][-1]
    year, month, day = re.search(r"([\d〇零一二三四五六七八九]{4})\s*年\s*([\d十一二三四五六七八九]+)\s*月\s*([\d十一二三四五六七八九]+)\s*日",
                                 signature).groups()
    return date(_number(year), _number(month), _number(day))


def _due(article: Article, signed: date) -> date | None:
    closing = " ".join(p for s in article.sections if s["kind"] == "closing" for p in s["paragraphs"])
    match = _DEADLINE.search(closing)
    if match is None:
        return None
    if match.group(1) is None:
        return date(signed.year, 12, 31)
    month = signed.month - 1 + _MONTHS[match.group(1)]
    year, month = signed.year + month // 12, month % 12 + 1
    for day in range(signed.day, 27, -1):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    return date(year, month, signed.day)


def _meeting(article: Article) -> str:
    preamble = next((s["paragraphs"][0] for s in article.sections if s["kind"] == "preamble"), "")
    return preamble.split("听取")[0].rstrip(",，、 ")


def opinions_of(articles: list[Article]) -> list[Opinion]:
    found = []
    for article in articles:
        subject = _SUBJECT.search(article.title)
        if article.column != "审议意见" or subject is None or article.id >= 9000:
            continue
        signed = _signed(article)
        found.append(Opinion(article, subject.group(1), signed, _due(article, signed), _meeting(article)))
    return found


def _stamp(day: date, hour: str = "10:00:00") -> str:
    return f"{day.isoformat()} {hour}"


def _report(ids: int, opinions: list[Opinion], published: str, form: str, names_meeting: bool, round_: int) -> Article:
    subjects = "和".join(opinion.subject.removeprefix("我区") if n else opinion.subject for n, opinion in enumerate(opinions))
    title = {"研究处理": f"关于{subjects}审议意见研究处理情况的报告",
             "reference": "区人民政府关于落实区人大常委会审议意见情况的报告"}.get(form, f"区人民政府关于{subjects}审议意见落实情况的报告")
    if round_ > 1:
        title = title.replace("的报告", "的再次报告")
    first = opinions[0]
    heard = f"{first.meeting}听取和审议了区政府关于{first.subject}的报告" if names_meeting else "区人大常委会听取和审议了有关报告"
    reference = f"现将《关于{first.subject}的审议意见》落实情况报告如下：" if form == "reference" else "现将落实情况报告如下："
    if round_ > 1:
        heard += "，并对落实情况进行了满意度测评，测评结果为不满意"
    day = published[:10].split("-")
    return Article(id=ids, title=title, published=published, source="区人民政府办公室", views=300 + ids % 97,
                   column=REPORTS_COLUMN, sections=[{"kind": "other", "paragraphs": [
                       "区人大常委会：",
                       f"{heard}，并提出了审议意见。区政府高度重视，专题研究部署，逐条抓好落实。{reference}",
                       "一、提高认识，压实工作责任。区政府召开专题会议，明确牵头单位和责任人，建立工作台账。",
                       "二、聚焦问题，推动整改落实。针对审议意见指出的问题，制定整改清单，按期销号。",
                       "三、健全机制，巩固工作成效。完善长效管理机制，定期开展督查，确保审议意见落到实处。",
                       "台州市椒江区人民政府",
                       f"{day[0]}年{int(day[1])}月{int(day[2])}日",
                   ]}])


def _news(ids: int, opinion: Opinion, published: str, meeting: str, vote: str) -> Article:
    short = opinion.subject.removeprefix("我区").removesuffix("情况").removesuffix("工作")
    month, day = int(published[5:7]), int(published[8:10])
    outcome = {"不满意": "测评结果为不满意。会议要求区政府进一步抓好整改，在三个月内再次报告落实情况。"}.get(
        vote, f"测评结果为{vote}。")
    return Article(id=ids, title=f"{meeting}听取区政府{short}审议意见落实情况报告", published=published, source="椒江人大网",
                   views=500 + ids % 89, column=NEWS_COLUMN, sections=[{"kind": "other", "paragraphs": [
                       f"{month}月{day}日，{meeting}召开。",
                       f"会议听取了区政府关于{opinion.subject}审议意见落实情况的报告，并进行了满意度测评，{outcome}",
                       "会议强调，要以这次测评为契机，持续推动审议意见落地见效。",
                   ]}])


def build_followups(articles: list[Article]) -> tuple[list[FollowUp], list[Opinion]]:
    """The reports and news items of the replica's opinions, newest ids last."""
    opinions = opinions_of(articles)
    by_key = {(o.subject, o.signed.year): o for o in opinions}
    listed = set()
    followups: list[FollowUp] = []
    next_id = FIRST_ID
    as_of = date.fromisoformat(AS_OF)
    for case in CASES["cases"]:
        chosen = [by_key[(subject, year)] for subject, year in case["opinions"]]
        listed |= {id(o) for o in chosen}
        reports = []
        for spec in case["reports"]:
            article = _report(next_id, chosen, spec["published"], spec["form"], spec.get("names_meeting", False), spec.get("round", 1))
            reports.append(FollowUp(article, [o.article.id for o in chosen], "report", spec.get("held_back", False)))
            next_id += 1
        for spec in case.get("news", []):
            article = _news(next_id, chosen[0], spec["published"], spec["meeting"], spec["vote"])
            reports.append(FollowUp(article, [o.article.id for o in chosen], "hearing"))
            next_id += 1
        followups += reports
    for opinion in opinions:
        if id(opinion) in listed:
            continue
        day = opinion.due - timedelta(days=7) if opinion.due else opinion.signed + timedelta(days=45)
        if day > as_of:
            continue  # not reported yet: pending
        article = _report(next_id, [opinion], _stamp(day), "落实", False, 1)
        followups.append(FollowUp(article, [opinion.article.id], "report"))
        next_id += 1
    for followup in followups:
        for opinion in opinions:
            if opinion.article.id in followup.opinions:
                opinion.followups.append(followup)
    return followups, opinions


def expected_status(opinion: Opinion, published: set[int], as_of: date) -> tuple[str, int | None]:
    """The status of an opinion as of a date, given the follow-up pages published: met, late
    (days after the deadline), pending, missing, or unknown (no deadline in its text)."""
    dates = sorted(date.fromisoformat(f.article.published[:10]) for f in opinion.followups
                   if f.article.id in published and date.fromisoformat(f.article.published[:10]) <= as_of)
    if opinion.due is None:
        return "unknown", None
    if dates:
        late = (dates[0] - opinion.due).days
        return ("late", late) if late > 0 else ("met", None)
    return ("pending", None) if as_of <= opinion.due else ("missing", (as_of - opinion.due).days)

