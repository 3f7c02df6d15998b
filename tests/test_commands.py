"""What every command shares: the archive option, its environment variable, the crawl summary."""

from __future__ import annotations

import click

from archive import Archive
from archive.store import DEFAULT_DB
from npc_archive.cli import main
from npc_archive.crawling import print_summary
from spiders import settings

RECORD = {
    "url": "http://jjrd.example/ShowArticle.asp?ArticleID=7", "title": "关于我区河长制工作情况的审议意见",
    "published_at": None, "source": None, "view_count": None, "body_text": "区人民政府:\n会议认为,…",
    "paragraphs": ["区人民政府:", "会议认为,…"], "prev": None, "next": None, "attachments": [], "column": "审议意见",
}


def archive_options() -> dict[str, click.Option]:
    return {name: param for name, command in main.commands.items() for param in command.params if param.name == "db_path"}


def test_every_command_that_opens_an_archive_reads_npc_archive_db_as_the_crawl_setting_does():
    options = archive_options()
    assert {"crawl", "demo", "crawls", "export", "search", "verify", "warc", "serve", "reparse"} <= set(options)
    assert {name for name, option in options.items() if option.envvar != "NPC_ARCHIVE_DB"} == set()
    assert {option.default for option in options.values()} == {DEFAULT_DB}
    assert settings.ARCHIVE_DB == DEFAULT_DB  # no NPC_ARCHIVE_DB in the test environment


def test_the_archive_named_by_npc_archive_db_is_the_one_a_command_reads(tmp_path, cli):
    db = tmp_path / "elsewhere.db"
    Archive(db).close()
    assert cli("reindex", env={"NPC_ARCHIVE_DB": str(db)}).output == "Indexed 0 documents\n"
    missing = cli("reindex", env={"NPC_ARCHIVE_DB": str(tmp_path / "none.db")}, check=False)
    assert missing.exit_code == 1 and "no archive at" in missing.output


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
