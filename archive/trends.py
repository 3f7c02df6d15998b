"""The archive's trends, as the figures `npc-archive report` draws: opinions per year, the
subjects and problems they name, the time given to report back, view counts across crawls and
the crawls themselves. Each function reads one question from the archive and returns plain rows.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import date

import jieba
import jieba.posseg

jieba.setLogLevel(logging.WARNING)  # it announces loading its dictionary on stderr otherwise

# Nouns of the genre that name no subject or problem: the title's frame (关于我区…工作情况的审议意见),
# in a district's, a county's and a city's words.
GENRE_WORDS = frozenset("""
    我区 全区 我县 全县 我市 全市 工作 情况 有关 审议 意见 报告 建设 发展 问题 方面 部分 人大 常委会 代表 建议 会议 条例 年度
""".split())
NOUN_LIKE = {"vn", "l", "j"}  # jieba's tags for verbal nouns (监管), fixed phrases (学前教育) and abbreviations
# The opinions among the documents: the reports and news of the other columns are not counted as
# opinions. Every query takes :site, the site whose trends they are (None: all the archive's).
OPINIONS = "(SELECT * FROM documents WHERE coalesce(column_kind, 'opinions') = 'opinions' AND (:site IS NULL OR site = :site))"
CRAWLS = "(SELECT * FROM crawls WHERE :site IS NULL OR site = :site)"
_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")  # a segment counts when it is two Han characters or more


def words(text: str) -> list[str]:
    """The subject words of a heading or subject: the nouns jieba finds (a problem's qualifiers such as
    尚未, 不够, 薄弱 are not), of two characters or more, less the genre's own."""
    return [pair.word for pair in jieba.posseg.lcut(text)
            if (pair.flag.startswith("n") or pair.flag in NOUN_LIKE) and _WORD.fullmatch(pair.word) and pair.word not in GENRE_WORDS]


@dataclass
class Span:
    documents: int
    crawls: int
    first_published: str | None  # YYYY-MM-DD
    last_published: str | None


def span(conn: sqlite3.Connection, site: str | None = None) -> Span:
    """What the report covers: how many documents and crawls, and the publish dates of the first and last."""
    return Span(*conn.execute(
        f"SELECT (SELECT count(*) FROM {OPINIONS}), (SELECT count(*) FROM {CRAWLS}), "
        f"(SELECT substr(min(published_at), 1, 10) FROM {OPINIONS}), (SELECT substr(max(published_at), 1, 10) FROM {OPINIONS})",
        {"site": site}).fetchone())


def sites(conn: sqlite3.Connection) -> list[str]:
    """The sites the archive holds opinions of, by name."""
    return [name for (name,) in conn.execute(f"SELECT DISTINCT site FROM {OPINIONS} ORDER BY site", {"site": None})]


def opinions_per_year(conn: sqlite3.Connection, site: str | None = None) -> list[tuple[str, int]]:
    """(year of publication, opinions) in year order; documents without a publish time are left out."""
    return conn.execute(
        f"SELECT substr(published_at, 1, 4) AS year, count(*) FROM {OPINIONS} WHERE published_at IS NOT NULL "
        "GROUP BY year ORDER BY year", {"site": site}).fetchall()


@dataclass
class TermsByYear:
    years: list[str]
    terms: list[str]  # the most frequent first
    counts: dict[tuple[str, str], int]  # (term, year) -> headings naming it that year


def _terms_by_year(rows: list[tuple[str, str]], top: int) -> TermsByYear:
    counts: Counter[tuple[str, str]] = Counter()
    totals: Counter[str] = Counter()
    for year, text in rows:
        for word in set(words(text)):
            counts[word, year] += 1
            totals[word] += 1
    terms = [term for term, _ in sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:top]]
    years = sorted({year for year, _ in rows})
    return TermsByYear(years, terms, {key: count for key, count in counts.items() if key[0] in terms})


def subjects_by_year(conn: sqlite3.Connection, top: int = 15, site: str | None = None) -> TermsByYear:
    """The words of the opinions' subjects (关于X的审议意见), counted once an opinion, by year."""
    return _terms_by_year(conn.execute(
        f"SELECT substr(published_at, 1, 4), coalesce(subject, title) FROM {OPINIONS} WHERE published_at IS NOT NULL",
        {"site": site}).fetchall(), top)


def problems_by_year(conn: sqlite3.Connection, top: int = 15, site: str | None = None) -> TermsByYear:
    """The words of the problems the opinions name (the headings of the 会议指出 section's points), by year."""
    return _terms_by_year(conn.execute(
        "SELECT substr(d.published_at, 1, 4), coalesce(i.heading, i.text) FROM items i "
        f"JOIN sections s ON s.id = i.section_id JOIN {OPINIONS} d ON d.id = i.document_id "
        "WHERE s.kind = 'problems' AND d.published_at IS NOT NULL", {"site": site}).fetchall(), top)


# The time given to report back, in the groups a reader of the opinions uses.
DEADLINE_GROUPS = ("1个月内", "2个月内", "3个月内", "半年内", "年底前", "其他期限", "未写明")


def deadline_group(deadline: str | None, signed: str | None, due: str | None) -> str:
    if not deadline:
        return "未写明"
    if "年底" in deadline or "年末" in deadline:
        return "年底前"
    if signed and due:
        months = (date.fromisoformat(due) - date.fromisoformat(signed)).days / 30.44
        for limit, group in ((1.2, "1个月内"), (2.2, "2个月内"), (3.2, "3个月内"), (6.2, "半年内")):
            if months <= limit:
                return group
    return "其他期限"


def deadlines_by_year(conn: sqlite3.Connection, site: str | None = None) -> dict[str, Counter[str]]:
    """Year of publication -> how many opinions gave each DEADLINE_GROUPS time to report back."""
    years: dict[str, Counter[str]] = {}
    for year, deadline, signed, due in conn.execute(
            f"SELECT substr(published_at, 1, 4), report_deadline, signed_date, report_due FROM {OPINIONS} "
            "WHERE published_at IS NOT NULL ORDER BY published_at", {"site": site}):
        years.setdefault(year, Counter())[deadline_group(deadline, signed, due)] += 1
    return years


@dataclass
class Crawl:
    id: int
    started_at: str
    requests: int
    new: int
    changed: int
    removed: int
    restored: int


def crawl_history(conn: sqlite3.Connection, site: str | None = None) -> list[Crawl]:
    """Every crawl with its figures, oldest first (a crawl still running or killed counts zeros)."""
    return [Crawl(*row) for row in conn.execute(
        "SELECT id, started_at, coalesce(requests, 0), coalesce(documents_new, 0), coalesce(documents_changed, 0), "
        f"coalesce(documents_removed, 0), coalesce(documents_restored, 0) FROM {CRAWLS} ORDER BY id", {"site": site})]


@dataclass
class ViewSeries:
    label: str  # a document's title, or the column's name
    points: list[tuple[int, int]]  # (crawl id, view count)


def column_views(conn: sqlite3.Connection, site: str | None = None) -> ViewSeries:
    """The column's views at each crawl that saw counts: every document's latest count then, added up."""
    rows = conn.execute(
        f"""
        WITH seen AS (SELECT DISTINCT crawl_id FROM view_counts WHERE crawl_id IN (SELECT id FROM {CRAWLS})),
             latest AS (SELECT seen.crawl_id, v.document_id, max(v.id) AS id
                        FROM seen JOIN view_counts v ON v.crawl_id <= seen.crawl_id
                        WHERE v.document_id IN (SELECT id FROM {OPINIONS})
                        GROUP BY seen.crawl_id, v.document_id)
        SELECT latest.crawl_id, sum(v.count) FROM latest JOIN view_counts v ON v.id = latest.id
        GROUP BY latest.crawl_id ORDER BY latest.crawl_id
        """, {"site": site}).fetchall()
    return ViewSeries("全部审议意见", [(crawl_id, total) for crawl_id, total in rows])


def document_views(conn: sqlite3.Connection, top: int = 8, site: str | None = None) -> list[ViewSeries]:
    """The view-count curves of the ``top`` most read documents (by their last count), one point a crawl."""
    documents = conn.execute(
        f"SELECT id, title FROM {OPINIONS} WHERE view_count IS NOT NULL ORDER BY view_count DESC, id LIMIT :top",
        {"site": site, "top": top}).fetchall()
    series = []
    for document_id, title in documents:
        points = conn.execute(
            "SELECT crawl_id, max(count) FROM view_counts WHERE document_id = ? AND crawl_id IS NOT NULL "
            "GROUP BY crawl_id ORDER BY crawl_id", (document_id,)).fetchall()
        series.append(ViewSeries(title, [tuple(point) for point in points]))
    return series


@dataclass
class FollowupSpan:
    title: str
    start: str  # the day the deadline is counted from (the text's 交办之日, else the signing date)
    due: str
    report: str | None  # the first follow-up's publish day, None when none came
    status: str  # met, late, pending or missing, as of today (the followup_status view)


def followup_timeline(conn: sqlite3.Connection, site: str | None = None) -> list[FollowupSpan]:
    """Each opinion with a deadline: from the day it is counted from to the deadline, and the first report on it."""
    return [FollowupSpan(*row) for row in conn.execute(
        "SELECT coalesce(d.subject, s.title), coalesce(s.start, s.signed_date), s.due, s.first_followup, s.status "
        "FROM followup_status s JOIN documents d ON d.id = s.opinion_id "
        "WHERE s.due IS NOT NULL AND coalesce(s.start, s.signed_date) IS NOT NULL AND (:site IS NULL OR d.site = :site) "
        "ORDER BY 2, s.url", {"site": site})]
