"""`npc-archive reparse`: records refreshed from the stored bytes after a parser upgrade, fetching nothing."""

from __future__ import annotations

import sqlite3

from archive import Archive
from archive.lock import CrawlLock
from npc_archive.exit_codes import LOCKED as EXIT_LOCKED
from replica.server import ReplicaServer
from replica.site import Site
from tests.old_archives import unapply_last_migrations

RECORD = "SELECT title, body_text, issuer, images, view_count, content_hash FROM documents ORDER BY id"
SECTIONS = "SELECT document_id, position, kind, text FROM sections ORDER BY document_id, position"


def test_reparse_of_an_up_to_date_archive_changes_nothing(recrawled_copy, cli, query):
    copy = recrawled_copy
    before = query(copy, RECORD), query(copy, SECTIONS), query(copy, "SELECT count(*) FROM revisions")
    result = cli("reparse", "--db", str(copy))
    assert "Reparsed 45 documents: 0 changed, 45 unchanged, 0 failed" in result.output
    assert (query(copy, RECORD), query(copy, SECTIONS), query(copy, "SELECT count(*) FROM revisions")) == before


def test_reparse_restores_what_an_older_parser_got_wrong_without_inventing_a_site_change(tmp_path, cli, crawl, query):
    db = tmp_path / "a.db"
    with ReplicaServer(Site()) as server:
        crawl(db, server)
        expected = query(db, RECORD), query(db, SECTIONS)
        # What an older parser left: a body cut short, facts and sections missing, images unknown.
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE documents SET body_text = substr(body_text, 1, 20), issuer = NULL, images = NULL, "
                         "content_hash = 'from an older parser' WHERE id <= 3")
            conn.execute("DELETE FROM items WHERE document_id <= 3")
            conn.execute("DELETE FROM sections WHERE document_id <= 3")
        result = cli("reparse", "--db", str(db))
        assert "Reparsed 45 documents: 3 changed, 42 unchanged, 0 failed" in result.output
        assert (query(db, RECORD), query(db, SECTIONS)) == expected
        # A revision without a crawl, and no change event: the site did not change.
        assert query(db, "SELECT count(*) FROM revisions WHERE crawl_id IS NULL") == [(3,)]
        assert query(db, "SELECT kind, count(*) FROM events GROUP BY kind") == [("new", 45)]
        crawl(db, server, "--mode", "refresh")
    assert query(db, "SELECT documents_changed, documents_unchanged FROM crawls ORDER BY id DESC LIMIT 1") == [(0, 45)]


def test_a_refresh_after_an_upgrade_tells_the_parser_s_changes_from_the_site_s(tmp_path, crawl, query):
    # Without `reparse` after an upgrade, a refresh re-reads what an older parser left from the
    # archived capture first: the upgrade makes revisions without a crawl and no event, and only
    # the opinion the site edited meanwhile is a change.
    db = tmp_path / "a.db"
    site = Site()
    edited = "ArticleID=1040"
    with ReplicaServer(site) as server:
        crawl(db, server)
        stale = f"SELECT id FROM documents WHERE url NOT LIKE '%{edited}' ORDER BY id LIMIT 3"
        expected = query(db, f"{RECORD.replace(' ORDER BY id', '')} WHERE id IN ({stale}) ORDER BY id")
        with sqlite3.connect(db) as conn:
            conn.execute("UPDATE documents SET body_text = substr(body_text, 1, 20), issuer = NULL, images = NULL, "
                         f"content_hash = 'from an older parser' WHERE id IN ({stale})")
            conn.execute(f"DELETE FROM items WHERE document_id IN ({stale})")
            conn.execute(f"DELETE FROM sections WHERE document_id IN ({stale})")
        site.edit_opinion(1040)
        result = crawl(db, server, "--mode", "refresh")
    assert query(db, f"{RECORD.replace(' ORDER BY id', '')} WHERE id IN ({stale}) ORDER BY id") == expected
    assert query(db, "SELECT documents_changed, documents_unchanged FROM crawls ORDER BY id DESC LIMIT 1") == [(1, 44)]
    assert query(db, "SELECT count(*) FROM revisions WHERE crawl_id IS NULL") == [(3,)]
    assert query(db, "SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind") == [("changed", 1), ("new", 45)]
    assert query(db, "SELECT url FROM documents d JOIN events e ON e.document_id = d.id WHERE e.kind = 'changed'")[0][0].endswith(edited)
    assert "3 documents archived by an older parser were read again from their captures first" in result.stdout


def test_a_page_that_no_longer_parses_is_left_as_it_was_and_named(recrawled_copy, cli, query):
    copy = recrawled_copy
    archive = Archive(copy)
    try:
        other_id, _ = archive.add_capture(url="http://jjrd.example/error", status=200,
                                          headers=[("Content-Type", "text/html")], body=b"<html><body>500</body></html>")
    finally:
        archive.close()
    with sqlite3.connect(copy) as conn:
        url = conn.execute("SELECT url FROM documents ORDER BY id LIMIT 1").fetchone()[0]
        conn.execute("UPDATE documents SET capture_id = ? WHERE url = ?", (other_id, url))
    before = query(copy, RECORD)
    result = cli("reparse", "--db", str(copy), check=False)
    assert result.returncode == 1
    assert f"FAILED {url}: " in result.output and "44 unchanged, 1 failed" in result.output
    assert query(copy, RECORD) == before


def test_reparse_waits_for_no_crawl(recrawled_copy, cli):
    copy = recrawled_copy
    with CrawlLock(copy):
        result = cli("reparse", "--db", str(copy), check=False)
    assert result.returncode == EXIT_LOCKED


def _archive_from_before(db, crawl, migrations: list[str]) -> None:
    """A crawl of the replica, left as the release before the last ``migrations`` would have, then
    opened, upgraded."""
    with ReplicaServer(Site()) as server:
        crawl(db, server)
    unapply_last_migrations(db, migrations)
    Archive(db).close()


def test_an_archive_from_before_publish_time_sources_upgrades_and_reparse_tells_them(tmp_path, cli, crawl, query):
    db = tmp_path / "a.db"
    _archive_from_before(db, crawl, ["published_at_sources", "article_parts", "view_count_approximate"])
    assert query(db, "SELECT published_at_source, count(*) FROM documents GROUP BY 1") == [(None, 45)]  # unknown, not guessed
    assert "published_at_sources" in [name for (name,) in query(db, "SELECT name FROM _migrations")]
    result = cli("reparse", "--db", str(db))
    # Read again from the stored pages, which show their dates; no content changed.
    assert "Reparsed 45 documents: 0 changed, 45 unchanged, 0 failed" in result.output
    assert query(db, "SELECT published_at_source, count(*) FROM documents GROUP BY 1") == [("page", 45)]


def test_an_archive_from_before_article_parts_upgrades_and_reparse_reads_every_document_as_one_page(tmp_path, cli, crawl, query):
    db = tmp_path / "a.db"
    _archive_from_before(db, crawl, ["article_parts", "view_count_approximate"])
    assert query(db, "SELECT parts, count(*) FROM documents GROUP BY 1") == [(None, 45)]  # unknown until read again
    assert "article_parts" in [name for (name,) in query(db, "SELECT name FROM _migrations")]
    result = cli("reparse", "--db", str(db))
    assert "Reparsed 45 documents: 0 changed, 45 unchanged, 0 failed" in result.output
    assert query(db, "SELECT parts, count(*) FROM documents GROUP BY 1") == [("[]", 45)]  # none of them paged
