"""`npc-archive report` and the trends it draws (archive/trends.py), over real crawls of the replica."""

from __future__ import annotations

import re
import sqlite3
from collections import Counter

import pytest

from archive import Archive, trends
from npc_archive.report import FIGURES
from replica.server import ReplicaServer
from replica.site import Site


def figures(html: str) -> dict[str, str]:
    """Each section of the report by its id."""
    return dict(re.findall(r'<section id="([^"]+)">(.*?)</section>', html, re.S))


def test_the_report_draws_every_figure_with_marks_and_needs_nothing_from_outside(recrawled, cli, tmp_path):
    _, db = recrawled
    out = tmp_path / "report.html"
    cli("report", "--db", str(db), "-o", str(out))
    html = out.read_text(encoding="utf-8")
    sections = figures(html)
    assert list(sections) == [figure(sqlite3.connect(db)).key for figure in FIGURES]
    assert all("<svg" in section and 'class="mark' in section for section in sections.values())
    assert "<script" not in html and not re.search(r'(src|href)="(?!#)', html)
    assert '"Noto Sans CJK SC"' in html and "每年审议意见数" in html


def test_opinions_per_year_are_the_documents_counted_by_year(recrawled, query):
    _, db = recrawled
    with sqlite3.connect(db) as conn:
        per_year = trends.opinions_per_year(conn)
    assert dict(per_year) == dict(query(db, "SELECT substr(published_at, 1, 4), count(*) FROM documents GROUP BY 1"))
    assert [year for year, _ in per_year] == sorted(year for year, _ in per_year)


def test_problem_words_are_nouns_of_the_headings_counted_once_a_heading(recrawled, query):
    _, db = recrawled
    with sqlite3.connect(db) as conn:
        found = trends.problems_by_year(conn, top=10)
    headings = query(db, "SELECT substr(d.published_at, 1, 4), i.heading FROM items i JOIN sections s ON s.id = i.section_id "
                         "JOIN documents d ON d.id = i.document_id WHERE s.kind = 'problems'")
    assert len(found.terms) == 10
    for (term, year), count in found.counts.items():
        assert count == sum(1 for heading_year, heading in headings if heading_year == year and term in trends.words(heading))


def test_words_keep_what_a_heading_names_and_drop_its_qualifiers_and_the_genre():
    assert trends.words("长效管理机制不够完善") == ["管理机制"]
    assert "情况" not in trends.words("我区学前教育工作情况") and "学前教育" in trends.words("我区学前教育工作情况")


@pytest.mark.parametrize(("deadline", "signed", "due", "group"), [
    ("2个月内", "2022-05-24", "2022-07-24", "2个月内"),
    ("两个月内", "2021-05-10", "2021-07-10", "2个月内"),
    ("三个月内", "2021-01-31", "2021-04-30", "3个月内"),
    ("年底前", "2022-08-05", "2022-12-31", "年底前"),
    ("半年内", "2020-01-10", "2020-07-10", "半年内"),
    ("10个工作日内", "2020-01-10", None, "其他期限"),
    (None, "2020-01-10", None, "未写明"),
])
def test_the_time_given_to_report_back_is_grouped_as_the_text_gives_it(deadline, signed, due, group):
    assert trends.deadline_group(deadline, signed, due) == group


def test_deadlines_by_year_count_every_opinion_once(recrawled, query):
    _, db = recrawled
    with sqlite3.connect(db) as conn:
        years = trends.deadlines_by_year(conn)
    assert sum(sum(counts.values()) for counts in years.values()) == query(db, "SELECT count(*) FROM documents")[0][0]
    assert set().union(*years.values()) <= set(trends.DEADLINE_GROUPS)


def test_the_column_views_add_up_each_documents_latest_count_at_each_crawl(recrawled_copy, query):
    # A third crawl that saw only one document, with a higher count: the others keep their last count.
    document_id, count = query(recrawled_copy, "SELECT document_id, count FROM view_counts ORDER BY id DESC LIMIT 1")[0]
    with sqlite3.connect(recrawled_copy) as conn:
        conn.execute("INSERT INTO crawls (id, started_at, mode) VALUES (3, '2030-01-01T00:00:00Z', 'refresh')")
        conn.execute("INSERT INTO view_counts (document_id, observed_at, count, crawl_id) VALUES (?, 't', ?, 3)",
                     (document_id, count + 100))
        series = trends.column_views(conn).points
    latest: dict[int, int] = {}
    expected = []
    for crawl_id in (1, 2):
        latest.update(query(recrawled_copy, "SELECT document_id, count FROM view_counts WHERE crawl_id = ? ORDER BY id", crawl_id))
        expected.append((crawl_id, sum(latest.values())))
    assert series == [*expected, (3, expected[-1][1] + 100)]


def test_document_views_follow_the_most_read_documents_across_crawls(recrawled, query):
    _, db = recrawled
    with sqlite3.connect(db) as conn:
        series = trends.document_views(conn, top=3)
    top = [title for (title,) in query(db, "SELECT title FROM documents ORDER BY view_count DESC, id LIMIT 3")]
    assert [one.label for one in series] == top
    assert all([crawl_id for crawl_id, _ in one.points] == [1, 2] for one in series)


def test_crawl_history_has_each_crawls_figures(recrawled, query):
    _, db = recrawled
    with sqlite3.connect(db) as conn:
        crawls = trends.crawl_history(conn)
    assert [(crawl.requests, crawl.new, crawl.changed) for crawl in crawls] == query(
        db, "SELECT requests, documents_new, documents_changed FROM crawls ORDER BY id")
    assert Counter(crawl.new > 0 for crawl in crawls) == Counter([True, False])


def test_an_empty_archive_gets_a_report_that_says_so(cli, tmp_path):
    db = tmp_path / "empty.db"
    Archive(db).close()
    out = tmp_path / "report.html"
    cli("report", "--db", str(db), "-o", str(out))
    html = out.read_text(encoding="utf-8")
    assert html.count("档案中暂无数据") == len(FIGURES)


def test_a_report_of_no_archive_is_a_one_line_error(cli, tmp_path):
    result = cli("report", "--db", str(tmp_path / "missing.db"), "-o", str(tmp_path / "r.html"), check=False)
    assert result.returncode != 0 and "Traceback" not in result.output
    assert not (tmp_path / "r.html").exists()


def test_the_followup_timeline_has_a_bar_per_opinion_with_a_deadline_and_a_point_per_report(tmp_path, crawl, cli, query):
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as server:
        crawl(db, server, "--column", f"reports={server.base_url}{server.site.column_path('监督工作')}",
              "--column", f"news={server.base_url}{server.site.column_path('工作动态')}")
    out = tmp_path / "report.html"
    cli("report", "--db", str(db), "-o", str(out))
    timeline = figures(out.read_text(encoding="utf-8"))["followups"]
    statuses = Counter(status for (status,) in query(db, "SELECT status FROM followup_status WHERE due IS NOT NULL"))
    assert statuses["met"] > 30 and statuses["late"] >= 1  # the replica's labelled cases
    assert timeline.count("<rect class=\"mark\"") == sum(statuses.values())
    assert timeline.count("<circle class=\"mark\"") == statuses["met"] + statuses["late"]
    assert timeline.count("<line class=\"mark\"") == statuses["missing"]
    assert "逾期报告" in timeline and "按期报告" in timeline
    # The opinions' figures count opinions only, not the reports and news of the other columns.
    opinions = query(db, "SELECT count(*) FROM documents WHERE column_kind = 'opinions' AND published_at IS NOT NULL")
    assert [(sum(count for _, count in trends.opinions_per_year(sqlite3.connect(db))),)] == opinions
    assert query(db, "SELECT count(*) FROM documents WHERE column_kind != 'opinions'")[0][0] > 30


def test_a_sites_report_draws_that_sites_opinions_and_crawls_alone(tmp_path, cli, npc_archive, query):
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as one, ReplicaServer(Site(synthetic=6), host="127.0.0.2") as two:
        for name, server in (("one", one), ("two", two)):
            cli("sites", "add", "--db", db, name, server.base_url + "/", "--column", f"opinions={server.start_url}", "--delay", "0")
        npc_archive("crawl", "--db", str(db), "--all")
    opinions = dict(query(db, "SELECT site, count(*) FROM documents WHERE coalesce(column_kind, 'opinions') = 'opinions' GROUP BY site"))
    assert opinions["one"] != opinions["two"]
    with sqlite3.connect(db) as conn:
        for site in ("one", "two"):
            crawls = [crawl_id for (crawl_id,) in query(db, "SELECT id FROM crawls WHERE site = ? ORDER BY id", site)]
            assert sum(count for _, count in trends.opinions_per_year(conn, site)) == opinions[site]
            assert [crawl.id for crawl in trends.crawl_history(conn, site)] == crawls
            assert [crawl_id for crawl_id, _ in trends.column_views(conn, site).points] == crawls  # not the other site's
            assert trends.span(conn, site).documents == opinions[site]
        assert sum(count for _, count in trends.opinions_per_year(conn)) == opinions["one"] + opinions["two"]
    out = tmp_path / "two.html"
    cli("report", "--db", db, "-o", out, "--site", "two")
    html = out.read_text(encoding="utf-8")
    assert "<h1>站点 two 审议意见档案报告</h1>" in html and f"（站点 two）：{opinions['two']} 篇审议意见" in html
    cli("report", "--db", db, "-o", out)
    assert "<h1>2 个站点 审议意见档案报告</h1>" in out.read_text(encoding="utf-8")
    unknown = cli("report", "--db", db, "-o", tmp_path / "x.html", "--site", "three", check=False)
    assert unknown.returncode == 2 and not (tmp_path / "x.html").exists()
