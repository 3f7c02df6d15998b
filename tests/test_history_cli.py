"""`crawls`, `changes --since` and `diff` on an archive written without a crawl."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from archive import Archive
from npc_archive.options import print_rows
from spiders.session import crawl_figures

URL = "http://jjrd.example/ShowArticle.asp?ArticleID=1"
START_URL = "http://jjrd.example/list.asp?ClassID=5"


@pytest.fixture
def db(tmp_path):
    """One finished crawl that archived one document in one revision."""
    archive = Archive(tmp_path / "history.db")
    crawl_id = archive.start_crawl("new", {"start_url": START_URL, "mode": "new"})
    capture_id, _ = archive.add_capture(url=URL, status=200, headers=[], body=b"page")
    archive.save_document({"url": URL, "title": "关于教育工作的审议意见", "published_at": "2022-11-15T17:21:10+08:00", "source": "椒江人大网",
                           "view_count": 1,
                           "body_text": "正文", "paragraphs": ["正文"], "attachments": []},
                          capture_id=capture_id, crawl_id=crawl_id)
    stats = {"downloader/request_count": 3, "downloader/response_status_count/200": 2,
             "downloader/response_status_count/404": 1, "npc/documents/new": 1, "npc/list_pages": 1}
    archive.finish_crawl(crawl_id, "finished", stats, crawl_figures(stats))
    archive.close()
    return str(tmp_path / "history.db")


def observed_at(db) -> datetime:
    archive = Archive(db)
    try:
        (text,) = archive.conn.execute("SELECT observed_at FROM events").fetchone()
    finally:
        archive.close()
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_changes_since_a_china_time_compares_the_instant(db, cli):
    event = observed_at(db).astimezone(timezone(timedelta(hours=8)))
    at_event = cli("changes", "--db", db, "--since", event.isoformat(timespec="milliseconds"), "--format", "json")
    assert [change["url"] for change in json.loads(at_event.output)] == [URL]
    later = event + timedelta(milliseconds=1)
    assert json.loads(cli("changes", "--db", db, "--since", later.isoformat(), "--format", "json").output) == []


def test_changes_since_a_utc_date_takes_the_whole_day(db, cli):
    day = observed_at(db).date()
    assert len(json.loads(cli("changes", "--db", db, "--since", day.isoformat(), "--format", "json").output)) == 1
    next_day = (day + timedelta(days=1)).isoformat()
    assert json.loads(cli("changes", "--db", db, "--since", next_day, "--format", "json").output) == []


@pytest.mark.parametrize("since", ["garbage", "2022/01/01", "2022-13-01"])
def test_changes_rejects_a_since_that_is_not_a_date_or_time(db, since, cli):
    result = cli("changes", "--db", db, "--since", since, check=False)
    assert result.exit_code == 2
    assert f"Invalid value for '--since': not a date or time: '{since}'" in result.output


def test_crawls_json_lists_responses_by_status_and_arguments(db, cli):
    (run,) = json.loads(cli("crawls", "--db", db, "--format", "json").output)
    assert run["responses_by_status"] == {"200": 2, "404": 1}
    assert run["arguments"] == {"start_url": START_URL, "mode": "new"}
    assert (run["mode"], run["status"], run["requests"], run["new"]) == ("new", "finished", 3, 1)


def test_crawls_table_shows_responses_and_arguments_as_name_value_pairs(db, cli):
    header, row = cli("crawls", "--db", db).output.splitlines()
    assert header.split()[6:8] == ["requests", "responses_by_status"] and header.split()[-1] == "arguments"
    assert "  200=2 404=1  " in row and row.rstrip().endswith(f"start_url={START_URL} mode=new")


def test_crawls_of_a_crawl_still_running_show_empty_figures(db, cli):
    archive = Archive(db)
    try:
        archive.start_crawl("refresh", {"start_url": START_URL, "mode": "refresh"})
    finally:
        archive.close()
    running, _ = json.loads(cli("crawls", "--db", db, "--format", "json").output)
    assert (running["status"], running["responses_by_status"], running["requests"]) == ("running", {}, None)


def test_diff_of_a_document_with_one_revision_says_so_and_exits_1(db, cli):
    result = cli("diff", "--db", db, URL, check=False)
    assert result.exit_code == 1
    assert result.output == f"Error: only one revision of {URL}: nothing to compare\n"


def test_diff_of_a_revision_that_does_not_exist_is_a_usage_error(db, cli):
    result = cli("diff", "--db", db, URL, "--from", "1", "--to", "3", check=False)
    assert result.exit_code == 2
    assert result.output == f"Error: {URL} has no revision 3 (it has 1 to 1)\n"


def test_tables_align_columns_after_chinese_text(capsys):
    print_rows([{"title": "关于教育工作的审议意见", "crawl_id": 1}, {"title": "abc", "crawl_id": 2}], "table", empty="none")
    lines = capsys.readouterr().out.splitlines()
    # Each Chinese character takes two terminal columns.
    assert lines == ["title                   crawl_id", "关于教育工作的审议意见  1", "abc                     2"]
