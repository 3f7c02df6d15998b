"""What every command shares: the archive option, its environment variable, the crawl summary."""

from __future__ import annotations

import gzip
import json

import click
import pytest

from archive import Archive
from archive.store import DEFAULT_DB
from npc_archive.cli import main
from npc_archive.crawling import DEMO_DB, print_summary
from npc_archive.exit_codes import NO_ARCHIVE
from spiders import settings
from tests.test_parsers_parts import PARTS, dede_pager, page

RECORD = {
    "url": "http://jjrd.example/ShowArticle.asp?ArticleID=7", "title": "关于我区河长制工作情况的审议意见",
    "published_at": None, "source": None, "view_count": None, "body_text": "区人民政府:\n会议认为,…",
    "paragraphs": ["区人民政府:", "会议认为,…"], "prev": None, "next": None, "attachments": [], "column": "审议意见",
}


def archive_options() -> dict[str, click.Option]:
    commands = {name: main.get_command(None, name) for name in main.list_commands(None)}
    return {name: param for name, command in commands.items() for param in command.params if param.name == "db_path"}


def test_every_command_that_opens_an_archive_reads_npc_archive_db_as_the_crawl_setting_does():
    options = archive_options()
    demo = options.pop("demo")
    assert {"crawl", "crawls", "export", "search", "verify", "warc", "serve", "reparse"} <= set(options)
    assert {name for name, option in options.items() if option.envvar != "NPC_ARCHIVE_DB"} == set()
    assert {option.default for option in options.values()} == {DEFAULT_DB}
    assert settings.ARCHIVE_DB == DEFAULT_DB  # no NPC_ARCHIVE_DB in the test environment
    # The demo has its own archive, so that it never writes into the one cron crawls.
    assert (demo.default, demo.envvar) == (DEMO_DB, None)


def test_the_archive_named_by_npc_archive_db_is_the_one_a_command_reads(tmp_path, cli):
    db = tmp_path / "elsewhere.db"
    Archive(db).close()
    assert cli("reindex", env={"NPC_ARCHIVE_DB": str(db)}).output == "Indexed 0 documents\n"
    missing = cli("reindex", env={"NPC_ARCHIVE_DB": str(tmp_path / "none.db")}, check=False)
    assert missing.exit_code == NO_ARCHIVE and "no archive at" in missing.output


def test_the_summary_shows_a_document_without_a_publish_time(tmp_path, capsys):
    db = tmp_path / "a.db"
    archive = Archive(db)
    capture_id, _ = archive.add_capture(url=RECORD["url"], status=200, headers=[("Content-Type", "text/html")], body=b"<p>x</p>")
    archive.save_document(RECORD, capture_id=capture_id, crawl_id=None)
    archive.close()
    print_summary(str(db), {"npc/documents/new": 1})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"Archive {db}: 1 documents, 1 captures (")
    assert "By year: ????: 1" in lines
    assert "  ????-??-??  关于我区河长制工作情况的审议意见  (view count unknown)" in lines


def test_parse_reads_a_page_gzip_encoded_as_the_server_sent_it(tmp_path, cli):
    from replica.site import Site

    reply = Site().handle("/ShowArticle.asp?ArticleID=1045", "gzip")
    assert reply.body.startswith(b"\x1f\x8b")
    (tmp_path / "page.html.gz").write_bytes(reply.body)
    result = cli("parse", tmp_path / "page.html.gz", "--url", RECORD["url"], "--outline")
    assert result.output.splitlines()[0] == "关于区十一届人大一次会议代表建议办理情况的审议意见"


def test_parse_reads_the_pages_of_a_paged_article_in_order_as_one_record(tmp_path, cli):
    files = []
    for number, paragraphs in enumerate(PARTS, start=1):
        files.append(tmp_path / f"page{number}.html")
        files[-1].write_bytes(page(paragraphs, dede_pager(number)))
    whole = tmp_path / "whole.html"
    whole.write_bytes(page(sum(PARTS, []), ""))
    record = json.loads(cli("parse", *files, "--url", "http://x.gov.cn/a/12.html").output)
    unpaged = json.loads(cli("parse", whole, "--url", "http://x.gov.cn/a/12.html").output)
    assert record["parts"] == ["http://x.gov.cn/a/12_2.html", "http://x.gov.cn/a/12_3.html"]  # each named by the page before
    assert {key: value for key, value in record.items() if key != "parts"} == \
        {key: value for key, value in unpaged.items() if key != "parts"}
    first_alone = json.loads(cli("parse", files[0], "--url", "http://x.gov.cn/a/12.html").output)
    assert first_alone["parts"] == ["http://x.gov.cn/a/12_2.html"]  # the page it names next
    assert first_alone["paragraphs"] == PARTS[0]


@pytest.mark.parametrize("url, said", [("page1.html", "not an http(s) address: 'page1.html'"), ("", "the page's URL is empty")])
def test_parse_refuses_a_url_the_pages_links_cannot_resolve_against(tmp_path, cli, url, said):
    (tmp_path / "page1.html").write_bytes(page(PARTS[0], dede_pager(1)))
    result = cli("parse", tmp_path / "page1.html", "--url", url, check=False)
    assert result.exit_code == 2
    assert result.output.splitlines()[-1].startswith(f"Error: Invalid value for '--url': {said}")


def test_parse_refuses_a_page_after_the_articles_last(tmp_path, cli):
    last, first = tmp_path / "page3.html", tmp_path / "page1.html"
    last.write_bytes(page(PARTS[2], dede_pager(3)))
    first.write_bytes(page(PARTS[0], dede_pager(1)))
    result = cli("parse", last, first, "--url", "http://x.gov.cn/a/12_3.html", check=False)
    assert result.exit_code == 1
    assert result.output.strip() == (f"Error: {last} is the article's last page (it names no next page), so {first} is no page of it")


def test_list_commands_say_when_they_have_nothing_to_show(tmp_path, cli):
    db = str(tmp_path / "a.db")
    Archive(db).close()
    for args, said in ((["crawls"], f"No crawls in {db} yet"), (["failures"], f"No crawls in {db} yet"),
                       (["changes", "--since", "2020-01-01"], "No changes observed since 2020-01-01")):
        assert cli(*args, "--db", db).output == said + "\n"
    archive = Archive(db)
    crawl_id = archive.start_crawl("new", {"start_url": "http://jjrd.example/list.asp", "mode": "new"})
    archive.finish_crawl(crawl_id, "finished", {})
    archive.close()
    assert cli("failures", "--db", db).output == f"No failures in crawl {crawl_id} (the latest)\n"
    assert cli("failures", "--db", db, "--format", "json").output == "[]\n"
    missing = cli("failures", "--db", db, "--crawl", "99", check=False)
    assert missing.exit_code == 2 and missing.output == f"Error: no crawl 99 in {db} (see: npc-archive crawls)\n"


def test_warc_dash_writes_to_stdout(tmp_path, cli):
    db = str(tmp_path / "a.db")
    archive = Archive(db)
    archive.add_capture(url=RECORD["url"], status=200, headers=[("Content-Type", "text/html")], body=b"<p>x</p>")
    archive.close()
    result = cli("warc", "--db", db, "-")
    assert result.stdout_bytes.startswith(b"\x1f\x8b") and b"WARC/1.1" in gzip.decompress(result.stdout_bytes)
    assert result.stderr == "Wrote -: 1 responses, 0 revisits, 1 requests\n"
    assert not (tmp_path / "-").exists()


def test_every_command_is_listed_under_its_own_name():
    assert {name: main.get_command(None, name).name for name in main.list_commands(None)} == {
        name: name for name in main.list_commands(None)}
