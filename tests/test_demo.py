"""`npc-archive demo`: a fresh archive of the replica, never at the cost of a real archive."""

from __future__ import annotations

import json
import sqlite3

from archive import Archive
from archive.lock import CrawlLock
from npc_archive.exit_codes import LOCKED as EXIT_LOCKED
from replica.site import Site

# The demo crawls the opinions, the reports on them and the news column.
DEMO_DOCUMENTS = len([article for article in Site().articles if article.column in ("审议意见", "监督工作", "工作动态")])


def documents(db) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]


def test_demo_crawls_the_replica_into_a_fresh_archive_unless_a_crawl_holds_it(tmp_path, npc_archive):
    db = tmp_path / "demo.db"
    first = npc_archive("demo", "--db", str(db))
    second = npc_archive("demo", "--db", str(db))
    assert first.returncode == second.returncode == 0
    assert "Archive " in second.stdout and documents(db) == DEMO_DOCUMENTS
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM crawls").fetchone()[0] == 1  # started afresh
    with CrawlLock(db):
        busy = npc_archive("demo", "--db", str(db), check=False)
    assert busy.returncode == EXIT_LOCKED and "another crawl is writing to this archive" in busy.stderr
    assert documents(db) == DEMO_DOCUMENTS  # nothing deleted


def test_demo_refuses_to_delete_an_archive_of_a_real_site(tmp_path, npc_archive):
    db = tmp_path / "archive.db"
    archive = Archive(db)
    archive.conn.execute("INSERT INTO crawls (started_at, mode, arguments, status) VALUES ('2026-01-01T00:00:00Z', 'new', ?, 'finished')",
                         (json.dumps({"start_url": "http://www.jjrd.gov.cn/list.asp?ClassID=5"}),))
    archive.close()
    result = npc_archive("demo", "--db", str(db), check=False)
    assert result.returncode == 2
    assert "holds crawls of http://www.jjrd.gov.cn/list.asp?ClassID=5" in result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM crawls").fetchone()[0] == 1



def test_demo_keeps_an_archive_with_history_unless_forced(tmp_path, npc_archive):
    db = tmp_path / "demo.db"
    npc_archive("demo", "--db", str(db))
    npc_archive("demo", "--db", str(db), "--keep")
    refused = npc_archive("demo", "--db", str(db), check=False)
    assert refused.returncode == 2 and f"{db} holds 2 crawls (their change history): the demo would delete them" in refused.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM crawls").fetchone()[0] == 2
    npc_archive("demo", "--db", str(db), "--force")
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM crawls").fetchone()[0] == 1
