"""Follow-ups: opinions linked to the government's reports on them and the meetings that heard
them, with evidence, and each opinion's deadline status."""

from __future__ import annotations

import json

import pytest

from archive import Archive
from archive.followups import match, status_of
from npc_archive.evaluate import score_followups
from npc_archive.exit_codes import USAGE
from parsers import parse_article
from parsers.deadlines import opinion_deadline
from parsers.followups import meeting_key, normalise_subject, parse_followup
from replica.server import ReplicaServer
from replica.site import Site
from tests.old_archives import before, old_archive

CLOSING = "以上审议意见请区政府认真研究处理，并将审议意见落实情况{}向区人大常委会提交书面报告。"


@pytest.mark.parametrize("phrase", ["于2个月内", "于两个月内", "于二个月内"])
def test_a_deadline_reads_the_same_in_any_numerals(phrase):
    deadline = opinion_deadline(CLOSING.format(phrase), "2022-10-12")
    assert (deadline.counted_from, deadline.start, deadline.start_stated, deadline.due) == ("signed", "2022-10-12", False, "2022-12-12")


def test_a_deadline_is_counted_from_the_date_the_text_names():
    handed = opinion_deadline("请区政府自2022年11月1日交办之日起三十日内书面报告落实情况。", "2022-10-12")
    received = opinion_deadline("请区政府自收到之日起六个月内书面报告。", "2022-10-12")
    assert (handed.phrase, handed.counted_from, handed.start, handed.start_stated, handed.due) == \
        ("三十日内", "handed_over", "2022-11-01", True, "2022-12-01")
    assert (received.counted_from, received.start, received.start_stated, received.due) == ("received", "2022-10-12", False, "2023-04-12")
    assert opinion_deadline("以上审议意见请区政府认真研究处理。", "2022-10-12") is None


def test_a_report_names_its_subjects_meeting_and_addressee():
    body = ("区人大常委会：\n2021年5月10日，台州市椒江区十五届人大常委会第三十一次会议听取和审议了区政府关于我区安全生产工作情况的报告。\n"
            "现将落实情况报告如下：")
    report = parse_followup("区人民政府关于我区安全生产工作情况审议意见落实情况的报告", body)
    two = parse_followup("区人民政府关于我区文化工作情况和城市管理行政执法工作情况审议意见落实情况的报告", "区人大常委会：")
    again = parse_followup("关于我区安全生产工作情况审议意见研究处理情况的再次报告", "测评结果为不满意")
    assert (report.kind, report.subjects, report.addressee, report.meeting) == \
        ("report", ("安全生产",), "区人大常委会", "台州市椒江区十五届人大常委会第三十一次会议")
    assert two.subjects == ("文化", "城市管理行政执法")
    assert (again.round, again.vote) == (2, "不满意")


def test_a_hearing_and_a_cited_title_are_follow_ups_and_other_news_is_not():
    heard = parse_followup("区人大常委会召开第四十二次会议",
                           "会议听取了区政府关于我区生活垃圾分类工作情况审议意见落实情况的报告，并进行了满意度测评，测评结果为基本满意。")
    cited = parse_followup("区人民政府关于落实区人大常委会审议意见情况的报告",
                           "现将《关于我区生活垃圾分类工作情况的审议意见》落实情况报告如下：")
    assert (heard.kind, heard.subjects, heard.vote) == ("hearing", ("生活垃圾分类",), "基本满意")
    assert (cited.subjects, cited.cited) == ((), ("生活垃圾分类",))
    assert parse_followup("区人大代表开展“代表联络站开放日”活动", "活动中，代表们认真倾听群众意见建议。") is None
    assert normalise_subject("区政府落实区人大常委会垃圾分类工作审议意见情况") == normalise_subject("我区垃圾分类工作情况")


def test_a_countys_and_a_citys_follow_ups_are_read_as_a_districts():
    # 县 and 市 for 区: the government, the standing committee, 我县; the place before the term left out of the meeting.
    heard = parse_followup("县人大常委会召开第十次会议",
                           "会议听取了县人民政府关于我县生活垃圾分类工作情况审议意见落实情况的报告，测评结果为满意。")
    assert (heard.kind, heard.subjects, heard.vote) == ("hearing", ("生活垃圾分类",), "满意")
    assert normalise_subject("市政府落实市人大常委会垃圾分类工作审议意见情况") == normalise_subject("我市垃圾分类工作情况")
    assert meeting_key("仙居县第十七届人大常委会第十次会议") == meeting_key("县十七届人大常委会第十次会议") == "十七届第十次"
    assert meeting_key("台州市椒江区十一届人大常委会第五次会议") == meeting_key("区十一届人大常委会第五次会议") == "十一届第五次"


def opinion(id_, signed, meeting=None):
    return {"id": id_, "subject_key": "安全生产", "meeting_key": meeting, "signed": signed, "addressee": "区人民政府"}


def page(published, meeting=None, cited=()):
    return {"id": 100, "published": published, "kind": "report", "subjects": ("安全生产",), "cited": cited,
            "addressee": "区人大常委会", "meeting_key": meeting, "vote": None, "round": 1}


def test_of_opinions_on_the_same_subject_a_report_follows_the_one_its_meeting_or_date_says():
    opinions = [opinion(1, "2013-05-08", "十四届第十一次"), opinion(2, "2017-11-09", "十五届第八次")]
    [nearest] = match(opinions, [page("2018-01-03")])
    [named] = match(opinions, [page("2018-01-03", meeting="十四届第十一次")])
    [only_earlier] = match(opinions, [page("2013-07-02")])
    assert (nearest.opinion_id, nearest.ambiguous) == (2, False) and "nearest" in nearest.evidence
    assert named.opinion_id == 1 and "meeting" in named.evidence and named.score > nearest.score - 0.2
    assert only_earlier.opinion_id == 1 and "dates_in_order" in only_earlier.evidence


def test_a_tie_is_marked_ambiguous_never_guessed():
    links = match([opinion(1, "2021-05-10"), opinion(2, "2021-05-10")], [page("2021-07-01")])
    assert [(link.opinion_id, link.ambiguous) for link in links] == [(1, True), (2, True)]


def test_status_counts_days_after_the_deadline():
    assert status_of("2022-10-02", "2022-12-10", "2022-12-20") == ("late", 69)
    assert status_of("2022-10-02", "2022-10-01", "2022-12-20") == ("met", None)
    assert status_of("2023-01-15", None, "2022-12-20") == ("pending", None)
    assert status_of("2022-10-02", None, "2022-12-20") == ("missing", 79)
    assert status_of(None, "2022-10-01", "2022-12-20") == ("unknown", None)


def test_every_labelled_link_and_status_of_the_replica_is_right():
    score = score_followups()
    assert score["expected"] > 30 and score["right"] == score["links"] == score["expected"]
    assert score["status_right"] == score["opinions"] == 44


def crawl_columns(server):
    return ("--column", f"reports={server.base_url}{server.site.column_path('监督工作')}",
            "--column", f"news={server.base_url}{server.site.column_path('工作动态')}")


def statuses(cli, db, *args):
    rows = json.loads(cli("followups", "--db", str(db), "--format", "json", *args).output)
    return {row["title"]: row for row in rows}


def test_a_refresh_after_the_late_report_moves_its_opinion_from_missing_to_late(tmp_path, crawl, cli, query):
    db = tmp_path / "a.db"
    title = "关于我区招商引资工作情况的审议意见"
    with ReplicaServer(Site()) as server:
        crawl(db, server, *crawl_columns(server))
        before_report = statuses(cli, db, "--as-of", "2022-12-20")[title]
        [late] = server.site.publish_late_report()
        crawl(db, server, "--mode", "refresh", *crawl_columns(server))
    after = statuses(cli, db, "--as-of", "2022-12-20")[title]
    assert (before_report["status"], before_report["days"]) == ("missing", 79)
    assert (after["status"], after["days"], after["first_followup"]) == ("late", 69, late.published[:10])
    events = query(db, "SELECT e.previous_status, e.status, e.days, e.crawl_id FROM followup_events e "
                       "JOIN documents d ON d.id = e.opinion_id WHERE d.title = ? ORDER BY e.id", title)
    assert events == [(None, "missing", events[0][2], 1), ("missing", "late", 69, 2)]
    assert [row["title"] for row in statuses(cli, db, "--status", "late").values()] == \
        ["关于我区优化营商环境工作情况的审议意见", title]
    [(status, days)] = query(db, "SELECT status, days FROM followup_status WHERE title = ?", title)
    assert (status, days) == ("late", 69)  # the Datasette view says the same


def test_an_opinions_follow_ups_are_its_own_sites(tmp_path, cli, npc_archive, query):
    # Counties hear reports on the same subjects: one replica on two hosts, two sites crawled in one run.
    db = tmp_path / "a.db"
    with ReplicaServer(Site(), host="127.0.0.1") as one, ReplicaServer(Site(), host="127.0.0.2") as two:
        for name, server in (("one", one), ("two", two)):
            cli("sites", "add", "--db", db, name, server.base_url + "/", "--column", f"opinions={server.start_url}",
                *crawl_columns(server), "--delay", "0")  # 127.0.0.2 is polite by default
        npc_archive("crawl", "--db", str(db), "--all")
    links = query(db, "SELECT o.site, f.site FROM followups l JOIN documents o ON o.id = l.opinion_id "
                      "JOIN documents f ON f.id = l.followup_id")
    assert {(opinion, report) for opinion, report in links} == {("one", "one"), ("two", "two")}
    linked = [opinion for opinion, _ in links]
    assert linked.count("one") == linked.count("two") > 30  # each site's own, as a crawl of it alone links them
    deadlines = query(db, "SELECT d.site, count(*) FROM followup_deadlines f JOIN documents d ON d.id = f.opinion_id GROUP BY d.site")
    assert len(deadlines) == 2 and deadlines[0][1] == deadlines[1][1] > 0
    statuses = json.loads(cli("followups", "--db", str(db), "--as-of", "2022-12-20", "--format", "json").output)
    of_two = json.loads(cli("followups", "--db", str(db), "--as-of", "2022-12-20", "--site", "two", "--format", "json").output)
    assert of_two == [row for row in statuses if row["site"] == "two"] and 0 < len(of_two) == len(statuses) / 2
    assert cli("followups", "--db", str(db), "--site", "two").output.splitlines()[1].startswith("two ")
    # An analyst's decision on an opinion of one site relinks that site alone: the other's links stay as they were.
    site_links = ("SELECT l.id, o.url, f.url, l.decision FROM followups l JOIN documents o ON o.id = l.opinion_id "
                  "JOIN documents f ON f.id = l.followup_id WHERE o.site = ? ORDER BY l.id")
    two_before = query(db, site_links, "two")
    _, opinion, report, _ = query(db, site_links, "one")[0]
    cli("followups", "reject", "--db", str(db), opinion, report)
    assert [decision for _, o, f, decision in query(db, site_links, "one") if (o, f) == (opinion, report)] == ["reject"]
    assert query(db, site_links, "two") == two_before


def test_an_analysts_link_and_rejection_outlive_reparses_and_crawls(tmp_path, crawl, cli, query):
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as server:
        crawl(db, server, *crawl_columns(server))
        [(never,)] = query(db, "SELECT url FROM documents WHERE title = '台州市椒江区人大常委会关于我区食品安全工作情况的审议意见'")
        [(late, report)] = query(db, "SELECT o.url, f.url FROM followups l JOIN documents o ON o.id = l.opinion_id "
                                     "JOIN documents f ON f.id = l.followup_id WHERE o.title = '关于我区优化营商环境工作情况的审议意见' "
                                     "AND o.signed_date LIKE '2019%'")
        cli("followups", "link", "--db", str(db), never, report)
        cli("followups", "reject", "--db", str(db), late, report)
        cli("reparse", "--db", str(db))
        crawl(db, server, "--mode", "refresh", *crawl_columns(server))
    rows = {row["url"]: row for row in statuses(cli, db, "--as-of", "2022-12-20").values()} | \
        {row["url"]: row for row in json.loads(cli("followups", "--db", str(db), "--format", "json", "--status", "missing",
                                                    "--as-of", "2022-12-20").output)}
    assert (rows[never]["status"], rows[never]["first_followup"]) == ("late", "2019-07-30")  # the analyst's link counts
    assert rows[late]["status"] == "missing"
    export = [json.loads(line) for line in cli("export", "--db", str(db), "--format", "jsonl").output.splitlines()]
    assert {row["followup_status"] for row in export if row["column_kind"] == "opinions"} >= {"met", "missing"}
    assert all(row["followup_status"] is None for row in export if row["column_kind"] != "opinions")


def test_wrong_followups_arguments_are_one_line_errors(tmp_path, cli):
    db = tmp_path / "a.db"
    Archive(db).close()
    for args in (["--status", "overdue"], ["--as-of", "yesterday"]):
        result = cli("followups", "--db", str(db), *args, check=False)
        assert result.returncode == USAGE and "Traceback" not in result.output


@pytest.mark.parametrize("decision", ["link", "reject"])
def test_a_decision_on_a_url_that_is_no_archived_document_is_a_usage_error(tmp_path, cli, query, table_pages, decision):
    db = tmp_path / "a.db"
    body, url, content_type = table_pages.article(table_pages.reference)
    archive = Archive(db)
    try:
        capture_id, _ = archive.add_capture(url=url, status=200, headers=[("Content-Type", content_type)], body=body)
        archive.save_document(parse_article(body, url, content_type).to_dict(), capture_id=capture_id, crawl_id=None)
    finally:
        archive.close()
    unknown = url + "&copy=1"
    for opinion, report in ((url, unknown), (unknown, url)):
        result = cli("followups", decision, "--db", str(db), opinion, report, check=False)
        assert result.returncode == USAGE
        assert result.output.splitlines() == [f"Error: no archived document {unknown} in {db}"]
    assert query(db, "SELECT count(*) FROM followup_decisions") == [(0,)]


def test_an_archive_from_before_followups_upgrades(tmp_path):
    path = tmp_path / "old.db"
    old_archive(path, before("followups")).close()
    archive = Archive(path)
    try:
        assert list(archive.conn.execute("SELECT * FROM followup_status")) == []
        assert "followups" in [name for (name,) in archive.conn.execute("SELECT name FROM _migrations")]
    finally:
        archive.close()


def test_an_archive_from_before_the_followup_status_gave_sites_upgrades_and_gives_them(tmp_path, table_pages):
    path = tmp_path / "old.db"
    conn = old_archive(path, before("followup_status_sites"))
    assert "site" not in [column for (_, column, *_) in conn.execute("PRAGMA table_info(followup_status)")]
    conn.close()
    archive = Archive(path)
    try:
        assert "followup_status_sites" in [name for (name,) in archive.conn.execute("SELECT name FROM _migrations")]
        crawl_id = archive.start_crawl("new", {"start_url": "http://lq.example/list"}, "luqiao")
        capture, _ = archive.add_capture(url="http://lq.example/1", status=200, headers=[], body=b"x", crawl_id=crawl_id)
        record = parse_article(*table_pages.article(table_pages.reference)).to_dict()
        archive.save_document({**record, "url": "http://lq.example/1"}, capture_id=capture, crawl_id=crawl_id)
        assert list(archive.conn.execute("SELECT site, url FROM followup_status")) == [("luqiao", "http://lq.example/1")]
    finally:
        archive.close()
