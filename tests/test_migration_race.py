"""Processes that open one old archive at the same moment wait for each other's upgrade
instead of running it twice (which crashed: `captures already exists`)."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from archive.schema import MIGRATIONS
from tests.old_archives import before, old_archive

CAPTURES = 20_000  # enough that the upgrade takes long enough for every process to meet it
BODY = b"<html>page</html>"


def schema_6_archive(path) -> None:
    """An archive as schema 6 wrote it (snapshots a table with whole headers), with captures."""
    conn = old_archive(path, before("narrow_captures"))
    conn.execute("PRAGMA journal_mode = WAL")
    sha256 = hashlib.sha256(BODY).hexdigest()
    conn.execute("INSERT INTO blobs (sha256, size, compression, stored_size, data) VALUES (?, ?, 'none', ?, ?)",
                 (sha256, len(BODY), len(BODY), BODY))
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
        "INSERT INTO snapshots (url, fetched_at, status, headers, content_type, sha256, size) "
        "SELECT 'http://jjrd.example/ShowArticle.asp?ArticleID=' || i, '2020-01-01T00:00:00.000Z', 200, "
        "json_array(json_array('Content-Type', 'text/html'), json_array('Date', 'day ' || i)), 'text/html', ?, ? FROM n",
        (CAPTURES, sha256, len(BODY)))
    conn.close()


def test_crawls_and_exports_started_together_on_an_old_archive_all_succeed(tmp_path, query):
    db = tmp_path / "old.db"
    schema_6_archive(db)
    commands = [["crawls"], ["export"]] * 3
    processes = [subprocess.Popen([sys.executable, "-m", "npc_archive", *command, "--db", str(db)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for command in commands]
    errors = [(process.communicate(timeout=300)[1], process.returncode)[::-1] for process in processes]
    assert errors == [(0, "")] * len(commands)
    assert [name for (name,) in query(db, "SELECT name FROM _migrations ORDER BY rowid")] == [m.name for m in MIGRATIONS]
    assert query(db, "SELECT count(*), count(DISTINCT url) FROM snapshots") == [(CAPTURES, CAPTURES)]
