"""``npc-archive report``: the archive's trends as one self-contained HTML file of inline SVG charts.

Each figure is a function of the archive in FIGURES, returning a Figure; another chart is one
more such function appended there.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from html import escape
from pathlib import Path

import click

from archive import trends
from archive.sites import DEFAULT_SITE

from .charts import Series, Span, bar_chart, heatmap, line_chart, timeline
from .options import OUTPUT, db_option, existing_archive, known_site, site_option
from .output import replacing


@dataclass
class Figure:
    key: str  # its anchor in the page
    title: str
    note: str  # what it shows and how it was counted, one or two sentences
    chart: str | None  # the chart's HTML (an SVG and its legend); None when the archive has nothing to draw


def opinions_per_year(conn: sqlite3.Connection, site: str | None = None) -> Figure:
    rows = trends.opinions_per_year(conn, site)
    chart = bar_chart([year for year, _ in rows], [Series("审议意见", [count for _, count in rows])], "发布年份", "审议意见（篇）")
    return Figure("per-year", "每年审议意见数", "按发布时间的年份统计。", chart if rows else None)


def _terms(key: str, title: str, note: str, found: trends.TermsByYear) -> Figure:
    return Figure(key, title, note, heatmap(found.terms, found.years, found.counts, "发布年份") if found.terms else None)


def subjects_by_year(conn: sqlite3.Connection, site: str | None = None) -> Figure:
    return _terms("subjects", "审议主题：词语按年份",
                  "标题中“关于……的审议意见”的主题，经结巴分词取名词，每篇审议意见计一次；列出最常见的词。",
                  trends.subjects_by_year(conn, site=site))


def problems_by_year(conn: sqlite3.Connection, site: str | None = None) -> Figure:
    return _terms("problems", "指出的问题：词语按年份",
                  "“会议指出”部分各条问题的标题，经结巴分词取名词，每条计一次；列出最常见的词。",
                  trends.problems_by_year(conn, site=site))


def deadlines_by_year(conn: sqlite3.Connection, site: str | None = None) -> Figure:
    years = trends.deadlines_by_year(conn, site)
    categories = list(years)
    groups = [group for group in trends.DEADLINE_GROUPS if any(counts[group] for counts in years.values())]
    series = [Series(group, [years[year][group] for year in categories]) for group in groups]
    chart = bar_chart(categories, series, "发布年份", "审议意见（篇）", stacked=True)
    return Figure("deadlines", "要求报告办理情况的期限，按年份",
                  "审议意见要求政府在多长时间内报告研究处理情况（如“2个月内”“年底前”），从签发日期算起。",
                  chart if years else None)


def _crawl_label(crawl: trends.Crawl) -> str:
    return f"#{crawl.id} {crawl.started_at[5:10]}"


def _over_crawls(crawls: list[trends.Crawl], series: list[trends.ViewSeries]) -> tuple[list[str], list[Series]]:
    """Categories for the crawls that saw counts, and each series' values on them."""
    seen = sorted({crawl_id for one in series for crawl_id, _ in one.points})
    labels = {crawl.id: _crawl_label(crawl) for crawl in crawls}
    return ([labels.get(crawl_id, f"#{crawl_id}") for crawl_id in seen],
            [Series(one.label, [dict(one.points).get(crawl_id) for crawl_id in seen]) for one in series])


def column_views(conn: sqlite3.Connection, site: str | None = None) -> Figure:
    categories, series = _over_crawls(trends.crawl_history(conn, site), [trends.column_views(conn, site)])
    return Figure("column-views", "栏目总查看次数，历次抓取",
                  "每次抓取时各篇审议意见最近一次的查看次数之和。", line_chart(categories, series, "抓取", "查看次数")
                  if categories else None)


def document_views(conn: sqlite3.Connection, site: str | None = None) -> Figure:
    categories, series = _over_crawls(trends.crawl_history(conn, site), trends.document_views(conn, site=site))
    return Figure("document-views", "查看最多的审议意见：查看次数，历次抓取",
                  "最近一次查看次数最多的几篇，每次抓取看到的查看次数。", line_chart(categories, series, "抓取", "查看次数")
                  if categories else None)


def crawl_history(conn: sqlite3.Connection, site: str | None = None) -> Figure:
    crawls = trends.crawl_history(conn, site)
    categories = [_crawl_label(crawl) for crawl in crawls]
    figures = [("请求", "requests"), ("新增", "new"), ("变更", "changed"), ("删除", "removed"), ("恢复", "restored")]
    series = [Series(name, [getattr(crawl, field) for crawl in crawls]) for name, field in figures]
    return Figure("crawls", "抓取记录：请求数与新增、变更、删除的审议意见",
                  "每次抓取发出的请求，以及它发现的新增、内容变更、删除和恢复的审议意见。",
                  bar_chart(categories, series, "抓取", "数量") if crawls else None)


# The status of an opinion's report-back deadline (archive/followups.py), as the chart names it.
FOLLOWUP_STATUSES = {"met": "按期报告", "late": "逾期报告", "pending": "未到期", "missing": "逾期未报告"}


def followup_timeline(conn: sqlite3.Connection, site: str | None = None) -> Figure:
    spans = [Span(one.title, date.fromisoformat(one.start), date.fromisoformat(one.due),
                  date.fromisoformat(one.report) if one.report else None, one.status)
             for one in trends.followup_timeline(conn, site)]
    return Figure("followups", "审议意见的落实：交办、报告期限与政府的报告",
                  "每篇审议意见一行：横条从起算日（交办之日，文中未写明则为签发日期）到报告期限，圆点是第一份落实情况报告"
                  "（或听取报告的会议）的发布日期；逾期未报告的，红线延至今日。",
                  timeline(spans, FOLLOWUP_STATUSES, date.today()) if spans else None)


FIGURES: tuple[Callable[[sqlite3.Connection, str | None], Figure], ...] = (
    opinions_per_year, subjects_by_year, problems_by_year, deadlines_by_year, followup_timeline, column_views, document_views,
    crawl_history,
)

STYLE = """
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei",
       system-ui, sans-serif; margin: 2em auto; max-width: 760px; color: #222; line-height: 1.5; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.2em; margin: 1.8em 0 0.2em; }
.note, .meta { color: #555; font-size: 0.9em; margin: 0.2em 0 0.6em; }
nav a { margin-right: 1em; font-size: 0.9em; }
svg { max-width: 100%; height: auto; font-family: inherit; font-size: 12px; }
svg .grid { stroke: #e4e4e4; } svg .axis { stroke: #888; }
svg .label { font-size: 13px; fill: #444; } svg .line { fill: none; stroke-width: 2; }
.legend { font-size: 0.85em; margin: 0.2em 0; } .legend span { margin-right: 1em; white-space: nowrap; }
.legend i { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em; vertical-align: -0.05em; }
.empty { color: #888; font-style: italic; }
"""


def render(conn: sqlite3.Connection, name: str, site: str | None = None, figures=FIGURES) -> str:
    """The report's HTML for the archive on ``conn`` (``name``: the archive's file name, shown in
    it); of the site named ``site`` only, if given."""
    covered = trends.span(conn, site)
    drawn = [figure(conn, site) for figure in figures]
    made = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sections = "".join(
        f'<section id="{figure.key}"><h2>{escape(figure.title)}</h2><p class="note">{escape(figure.note)}</p>'
        + (figure.chart or '<p class="empty">档案中暂无数据。</p>') + "</section>"
        for figure in drawn)
    contents = "".join(f'<a href="#{figure.key}">{escape(figure.title)}</a>' for figure in drawn)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>审议意见档案报告 · {escape(name)}{f' · {escape(site)}' if site else ''}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(_whose(conn, site))} 审议意见档案报告</h1>"
        f'<p class="meta">档案 {escape(name)}{f"（站点 {escape(site)}）" if site else ""}：{covered.documents} 篇审议意见（{covered.first_published or "—"} 至 '
        f'{covered.last_published or "—"}），{covered.crawls} 次抓取；生成于 {made}。</p>'
        f"<nav>{contents}</nav>{sections}</body></html>\n"
    )


def _whose(conn: sqlite3.Connection, site: str | None) -> str:
    """Whose opinions the report draws: 椒江人大网's (the default site), one site's, or how many sites'."""
    sites = [site] if site is not None else trends.sites(conn)
    if sites in ([], [DEFAULT_SITE]):
        return "椒江人大网"
    return f"站点 {sites[0]}" if len(sites) == 1 else f"{len(sites)} 个站点"


@click.command()
@db_option
@click.option("-o", "--output", type=OUTPUT, default="report.html", show_default=True, help="the HTML file to write")
@site_option
def report(db_path: str, output: str, site: str | None) -> None:
    """Write the archive's trends as one HTML file of charts, which opens offline.

    Opinions per year, the subjects and problems they name by year, the time given to report
    back, view counts across crawls (the column's and the most read opinions'), and the crawls.
    """
    with existing_archive(db_path) as archive:
        site = known_site(archive, db_path, site)
        page = render(archive.conn, Path(db_path).name, site)
    with replacing(output, "w", encoding="utf-8") as stream:
        stream.write(page)
    click.echo(f"Wrote {output}", err=True)
