"""`npc-archive merge`: archives crawled apart, folded into one, equal the archive one crawl of it all
writes; merging again changes nothing; a merge killed midway and run again gives the same archive."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from archive import Archive, merge
from archive import sites as registry
from archive.followups import decide
from archive.lock import CrawlLock
from archive.merge import archive_contents, merge_archive
from archive.schema import MIGRATIONS
from npc_archive import exit_codes
from replica.server import ReplicaServer
from replica.site import Site
from tests.old_archives import before, old_archive

EDITED, REMOVED = 1040, 1030


def _copy(source, target) -> None:
    with sqlite3.connect(source) as conn, sqlite3.connect(target) as copy:
        conn.backup(copy)


def _contents(db) -> dict:
    conn = sqlite3.connect(db)
    try:
        return archive_contents(conn)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def split(tmp_path_factory, crawl, replica):
    """``first``: a crawl of the replica; ``whole``: a copy of it refreshed after an edit and a removal
    (the one archive of both crawls); ``fresh``: a new archive's crawl after the edit (a node's own job)."""
    folder = tmp_path_factory.mktemp("split")
    first, whole, fresh = folder / "first.db", folder / "whole.db", folder / "fresh.db"
    crawl(first, replica)
    _copy(first, whole)
    replica.site.edit_opinion(EDITED)
    replica.site.remove_opinion(REMOVED, 404)
    crawl(whole, replica, "--mode", "refresh", check=False)
    crawl(fresh, replica, check=False)
    return first, whole, fresh


@pytest.fixture(scope="module")
def replica():
    """The replica these archives crawl, changed between their crawls."""
    with ReplicaServer(Site(markup="table")) as server:
        yield server


@pytest.fixture(scope="module")
def restored(split, replica, crawl, tmp_path_factory):
    """After ``split``, the removed opinion back: ``whole`` refreshed again (``restored``), and a new
    archive's crawl of the site then (``back``)."""
    _, whole, _ = split
    folder = tmp_path_factory.mktemp("restored")
    restored, back = folder / "restored.db", folder / "back.db"
    _copy(whole, restored)
    replica.site.restore_opinion(REMOVED)
    crawl(restored, replica, "--mode", "refresh")
    crawl(back, replica)
    return whole, restored, back


def test_the_two_halves_merged_equal_the_whole(split, cli, tmp_path):
    first, whole, _ = split
    for order in ((first, whole), (whole, first)):
        merged = tmp_path / f"merged-{order[0].stem}.db"
        cli("merge", "--db", merged, *order)
        assert _contents(merged) == _contents(whole)


def test_merging_again_changes_nothing(split, cli, tmp_path):
    first, whole, _ = split
    merged = tmp_path / "merged.db"
    cli("merge", "--db", merged, first, whole)
    before = _contents(merged)
    result = cli("merge", "--db", merged, first, whole)
    assert result.output.count("nothing new (merged before)") == 2, result.output
    assert _contents(merged) == before


def test_a_node_s_fresh_crawl_continues_the_history(split, cli, query, tmp_path):
    """A node that crawled into an archive of its own saw every opinion as new: merged after the first
    crawl, only the edited opinion has a second revision, as in the archive of both crawls."""
    first, whole, fresh = split
    merged, late = tmp_path / "merged.db", tmp_path / "late.db"
    cli("merge", "--db", merged, fresh, first)
    central = Archive(late)  # the older archive merged last: it arrived late
    for source in (fresh, first):
        merge_archive(central, source)
    central.close()
    history = ("SELECT d.url, r.number, r.content_hash FROM revisions r JOIN documents d ON d.id = r.document_id "
               "ORDER BY d.url, r.number")
    events = ("SELECT d.url, e.kind, e.revision FROM events e JOIN documents d ON d.id = e.document_id "
              "WHERE e.kind IN ('new', 'changed') ORDER BY d.url, e.observed_at")
    documents = "SELECT url, title, body_text, revision, content_hash FROM documents ORDER BY url"
    for sql in (history, events, documents):
        assert query(merged, sql) == query(whole, sql) == query(late, sql)
    edited = [url for url, number, _ in query(merged, history) if number == 2]
    assert len(edited) == 1 and edited[0].endswith(f"ArticleID={EDITED}")
    # Every body once, however many archives hold it.
    assert query(merged, "SELECT count(*) FROM blobs") == query(merged, "SELECT count(DISTINCT sha256) FROM captures")


def test_a_document_seen_again_after_its_removal_is_restored(restored, cli, query, tmp_path):
    """A node's new archive saw the removed opinion again, unchanged: merged after the archive that saw
    it go, it is restored (no second revision, no 'new'), as the archive refreshed once more says."""
    whole, restored, back = restored
    merged = tmp_path / "merged.db"
    cli("merge", "--db", merged, whole, back)
    events = ("SELECT d.url, e.kind, e.revision FROM events e JOIN documents d ON d.id = e.document_id "
              "ORDER BY d.url, e.observed_at, e.id")
    documents = "SELECT url, revision, content_hash, removed_at IS NULL, removed_capture_id IS NULL FROM documents ORDER BY url"
    for sql in (events, documents):
        assert query(merged, sql) == query(restored, sql)
    assert [kind for url, kind, _ in query(merged, events) if url.endswith(f"={REMOVED}")] == ["new", "removed", "restored"]


@pytest.mark.crawl  # merges in subprocesses, killed
def test_a_merge_killed_midway_then_run_again_gives_the_same_archive(split, cli, tmp_path):
    first, whole, fresh = split
    reference = tmp_path / "reference.db"
    cli("merge", "--db", reference, first, whole, fresh)
    def merge_into(db):
        return [sys.executable, "-m", "npc_archive", "merge", "--db", str(db), str(first), str(whole), str(fresh)]
    started = time.monotonic()  # timed into an archive of its own: the killed runs must find work to do
    subprocess.run(merge_into(tmp_path / "timed.db"), check=True, capture_output=True)
    uninterrupted = time.monotonic() - started
    command = merge_into(tmp_path / "killed.db")
    randomness = random.Random(17)
    killed = 0
    for _ in range(4):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(randomness.uniform(0.2, 1.0) * uninterrupted)
        process.send_signal(signal.SIGKILL)
        killed += process.wait() == -signal.SIGKILL
    assert killed, "every merge finished before its kill: nothing was tested"
    subprocess.run(command, check=True, capture_output=True)
    assert _contents(tmp_path / "killed.db") == _contents(reference)


def test_a_table_the_merge_does_not_know_is_refused(split, cli, tmp_path):
    _, whole, _ = split
    newer = tmp_path / "newer.db"
    _copy(whole, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("CREATE TABLE regions (id INTEGER PRIMARY KEY, name TEXT)")
    result = cli("merge", "--db", tmp_path / "merged.db", newer, check=False)
    assert result.returncode == exit_codes.DAMAGED
    assert "has tables the merge does not know: regions" in result.output


def test_a_new_table_needs_only_its_natural_key(tmp_path, monkeypatch):
    """Whether a table's ids are mapped is read off its columns: a table with an id that another
    refers to, and one without an id, merge once they are listed with their keys."""
    monkeypatch.setitem(merge.COPIED_AFTER_DOCUMENTS, "notes", (("text",), "id"))
    monkeypatch.setitem(merge.COPIED_AFTER_DOCUMENTS, "note_tags", (("note_id", "tag"), "note_id, tag"))
    monkeypatch.setattr(merge, "COPIED", {**merge.COPIED_BEFORE_DOCUMENTS, **merge.COPIED_AFTER_DOCUMENTS})
    paths = tmp_path / "central.db", tmp_path / "source.db"
    for path, notes in zip(paths, (["kept"], ["new", "kept"])):
        Archive(path).close()
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)")
            conn.execute("CREATE TABLE note_tags (note_id INTEGER NOT NULL REFERENCES notes(id), tag TEXT NOT NULL, "
                         "UNIQUE (note_id, tag))")
            conn.executemany("INSERT INTO notes (text) VALUES (?)", [(text,) for text in notes])
            conn.execute("INSERT INTO note_tags SELECT id, 'tag of ' || text FROM notes")
    central = Archive(paths[0])
    try:
        assert merge_archive(central, paths[1]).added["notes"] == 1
        tags = central.conn.execute("SELECT n.text, t.tag FROM note_tags t JOIN notes n ON n.id = t.note_id ORDER BY n.text")
        assert tags.fetchall() == [("kept", "tag of kept"), ("new", "tag of new")]
    finally:
        central.close()


def test_an_archive_a_crawl_is_writing_is_not_merged(split, cli, tmp_path):
    _, whole, _ = split
    with CrawlLock(whole):
        result = cli("merge", "--db", tmp_path / "merged.db", whole, check=False)
    assert result.returncode == exit_codes.LOCKED
    assert "another crawl is writing to this archive" in result.output


def test_an_old_archive_is_upgraded_before_it_is_merged(tmp_path, cli, query):
    old = tmp_path / "old.db"
    old_archive(old, before(MIGRATIONS[-1].name)).close()
    cli("merge", "--db", tmp_path / "merged.db", old)
    assert query(old, "SELECT count(*) FROM _migrations") == [(len(MIGRATIONS),)]


def test_the_site_registry_and_the_analysts_decisions_are_merged(split, cli, query, tmp_path):
    first, _, fresh = split
    older, newer, central = tmp_path / "older.db", tmp_path / "newer.db", tmp_path / "central.db"
    _copy(first, older)
    _copy(fresh, newer)
    opinion, report = (url for (url,) in query(older, "SELECT url FROM documents ORDER BY url LIMIT 2"))
    for path, columns, decision in ((older, ["list"], "reject"), (newer, ["other", "news"], "link")):
        archive = Archive(path)
        try:
            registry.add_site(archive, registry.Site("jj", "http://jj.example/", columns=[{"kind": "opinions", "url": f"http://jj.example/{name}"}
                                                                       for name in columns]))
            decide(archive, opinion, report, decision)
        finally:
            archive.close()
        time.sleep(0.01)  # the newer archive's decision is the later one
    archive = Archive(newer)
    try:
        registry.add_site(archive, registry.Site("lq", "http://lq.example/", columns=[{"kind": "opinions", "url": "http://lq.example/list"}]))
    finally:
        archive.close()
    for _ in range(2):  # the second merge changes nothing
        cli("merge", "--db", central, older, newer)
        assert query(central, "SELECT site, url FROM site_columns ORDER BY site, position") == [
            ("jj", "http://jj.example/list"), ("lq", "http://lq.example/list")]  # a site keeps the columns it was merged with first
        assert query(central, "SELECT opinion_url, followup_url, decision FROM followup_decisions") == [(opinion, report, "link")]
        assert query(central, "SELECT count(*) FROM followups WHERE decision = 'link'") == [(1,)]  # made by the relink
