"""The archive writer (pipelines/writer.py, ARCHIVE_WRITER): a writer process archives what an
inline crawl archives; its death fails the run with WRITE_FAILED and the next run completes the
archive; it does not outlive a killed crawl and lives through Ctrl-C until the crawl ends; one
writer serves every site of a run. And the writes it runs (pipelines/writes.py), its loop
(``serve``) and WriterProcess's channels, without a crawl."""

from __future__ import annotations

import io
import os
import pickle
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
from w3lib.url import canonicalize_url

from archive import Archive
from npc_archive.exit_codes import UNFINISHED, WRITE_FAILED
from parsers import parse_article
from pipelines.writer_process import serve
from pipelines.writes import ArchiveWrites
from replica.server import ReplicaServer
from replica.site import Site
from replica.truth import family_truth
from spiders.items import DocumentItem, FailureItem
from spiders.reading import ArticleReading

MID_CRAWL = 10  # documents of the replica's 45 opinions
PROJECT = Path(__file__).resolve().parent.parent


# Helpers ------------------------------------------------------------------------------------

def writer_processes(db) -> list[int]:
    """The pids of the running archive writers of ``db`` (``python -m pipelines.writer_process DB ...``).
    Matched on the archive's path, so that writers of other archives on this machine are left alone."""
    key = str(Path(db).resolve()).encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            arguments = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # ended meanwhile
        if arguments[1:4] == [b"-m", b"pipelines.writer_process", key] and running(int(entry.name)):
            pids.append(int(entry.name))
    return pids


def running(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie has ended: it only waits for its parent to reap it)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


class AfterDocuments(threading.Thread):
    """Calls ``action`` once, as soon as the archive holds ``count`` documents: mid-crawl."""

    def __init__(self, db, count: int, action, documents_in) -> None:
        super().__init__(name="after-documents", daemon=True)
        self.db, self.count, self.action, self.documents_in = db, count, action, documents_in
        self.done, self.stopping = threading.Event(), threading.Event()
        self.start()

    def run(self) -> None:
        while not self.stopping.is_set():
            if self.documents_in(self.db) >= self.count:
                self.action()
                self.done.set()
                return
            time.sleep(0.02)

    def stop(self) -> None:
        self.stopping.set()
        self.join()


def every_opinion(server: ReplicaServer) -> set[str]:
    return {f"{server.base_url}/ShowArticle.asp?ArticleID={article.id}" for article in server.site.opinions()}


def archived(query, db) -> set[str]:
    return {url for (url,) in query(db, "SELECT url FROM documents")}


def archive_contents(query, db, base_url: str) -> dict[str, list]:
    """What a crawl archived, as SQL gives it, its URLs relative to the replica."""
    def rows(sql: str) -> list[tuple]:
        return sorted(tuple(value.replace(base_url, "") if isinstance(value, str) else value for value in row)
                      for row in query(db, sql))
    return {
        "documents": rows("SELECT url, title, body_text, paragraphs, published_at, source, view_count, view_count_source, "
                          "view_count_includes_own_fetch, attachments, images, column_kind, content_hash, revision, site "
                          "FROM documents"),
        "sections": rows("SELECT d.url, s.position, s.kind, s.heading, s.text FROM sections s "
                         "JOIN documents d ON d.id = s.document_id"),
        "captures": rows("SELECT u.url, c.method, c.status, lower(hex(c.sha256)), c.size, c.site FROM captures c "
                         "JOIN urls u ON u.id = c.url_id"),
        "failures": rows("SELECT url, reason, detail, attempts, page_kind, column_kind FROM failures"),
        "listed_gone": rows("SELECT url, reason, list_title, listed_at, column_kind FROM listed_gone"),
        "files": rows("SELECT document_url, url, kind, name FROM document_files"),
        "view_counts": rows("SELECT d.url, v.count, v.source FROM view_counts v JOIN documents d ON d.id = v.document_id"),
        "crawls": rows("SELECT status, requests, responses_by_status, documents_new, documents_changed, documents_unchanged, "
                       "documents_removed, documents_restored, failures, bytes_fetched FROM crawls"),
    }


def free_port() -> int:
    with ReplicaServer(Site()) as server:
        return server.httpd.server_address[1]


# 1. The writer process archives what the inline writer archives ------------------------------

def opinion_paths(site: Site) -> list[str]:
    """The paths of the site's opinions, as its lists link them."""
    if site.family:
        return [record["path"] for record in family_truth(site)]
    return [f"/ShowArticle.asp?ArticleID={article.id}" for article in site.opinions()]


# Pages that fail, each its own way: a server error, a page that says it is gone, an empty page.
FAULTS = {3: ("500", "http_500"), 5: ("soft_404", "soft_404"), 7: ("empty", "empty")}


@pytest.mark.parametrize("markup", ["table", "phpcms"])
def test_the_writer_process_and_the_inline_writer_archive_the_same(tmp_path, markup, crawl, query):
    # Each crawl gets a fresh replica (its view counts as new) on the same port, so URLs and bytes compare.
    port = free_port()
    contents = {}
    for mode in ("process", "inline"):
        db = tmp_path / f"{mode}.db"
        site = Site(markup=markup)
        paths = opinion_paths(site)
        with ReplicaServer(site, port=port) as server:
            for index, (kind, _) in FAULTS.items():
                # A refresh run asks again for a page it found gone by its canonical URL.
                canonical = canonicalize_url(server.base_url + paths[index]).removeprefix(server.base_url)
                for target in {paths[index], canonical}:
                    site.add_fault(target, kind)
            result = crawl(db, server, "-s", f"ARCHIVE_WRITER={mode}", "-s", "RETRY_TIMES=0", check=False)
            assert result.returncode == 1, result.stderr  # finished, with the failed pages
            # Then the site edits one opinion and takes another down, and a refresh run sees both.
            site.edit_opinion(site.opinions()[1].id)
            site.remove_opinion(site.opinions()[2].id, 404)
            refreshed = crawl(db, server, "--mode", "refresh", "-s", f"ARCHIVE_WRITER={mode}", "-s", "RETRY_TIMES=0",
                              check=False)
            assert refreshed.returncode == 1, refreshed.stderr
        contents[mode] = archive_contents(query, db, server.base_url)
    process, inline = contents["process"], contents["inline"]
    failed = {paths[index] for index in FAULTS}
    assert {canonicalize_url(url) for url in archived(query, tmp_path / "process.db")} == {
        canonicalize_url(server.base_url + path) for path in paths if path not in failed}
    assert {(canonicalize_url(server.base_url + url), reason) for url, reason, *_ in process["failures"]} == {
        (canonicalize_url(server.base_url + paths[index]), reason) for index, (_, reason) in FAULTS.items()}
    assert process["sections"] and process["captures"]
    assert [crawl[0] for crawl in process["crawls"]] == ["finished", "finished"]
    # The refresh run's figures: one document changed, one removed (and the rest unchanged).
    assert sorted(crawl[4:7] for crawl in process["crawls"])[1:] == [(1, len(paths) - len(FAULTS) - 2, 1)]
    for table in process:
        assert process[table] == inline[table], table
    # The bytes stored depend on the order pages came in (a body is packed as a delta of the one
    # before it): each crawl's figure is what its blobs take.
    for mode in contents:
        assert query(tmp_path / f"{mode}.db", "SELECT sum(bytes_stored) FROM crawls") == query(
            tmp_path / f"{mode}.db", "SELECT sum(stored_size) FROM blobs"), mode


# 2. The writer dies mid-crawl ----------------------------------------------------------------

def test_a_writer_killed_mid_crawl_fails_the_run_and_the_next_run_completes_the_archive(tmp_path, crawl, query, documents_in):
    db = tmp_path / "archive.db"
    killed: list[int] = []

    def kill_writer() -> None:
        for pid in writer_processes(db):
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    # Large enough that the kill comes mid-crawl: the writer commits its writes in batches.
    with ReplicaServer(Site(synthetic=300)) as server:
        watch = AfterDocuments(db, MID_CRAWL, kill_writer, documents_in)
        try:
            first = crawl(db, server, "--quiet", check=False)  # errors only, as cron runs it
        finally:
            watch.stop()
        first_archived = archived(query, db)
        second = crawl(db, server, check=False)
    assert watch.done.is_set() and len(killed) == 1  # the crawl's one writer
    assert first.returncode == WRITE_FAILED, first.stderr
    assert "Traceback" not in first.stderr
    [said] = first.stderr.splitlines()
    assert said.startswith("npc-archive: ") and "to the archive failed (the archive writer stopped (exit status -9))" in said
    assert len(first_archived) >= MID_CRAWL and first_archived < every_opinion(server)  # killed mid-crawl
    assert query(db, "SELECT status FROM crawls WHERE id = 1") == [("write_failed",)]
    assert second.returncode == 0, second.stderr
    assert archived(query, db) == every_opinion(server)
    assert query(db, "SELECT status FROM crawls WHERE id = 2") == [("finished",)]


def start_crawl(db, server: ReplicaServer) -> subprocess.Popen:
    """``npc-archive crawl`` in a session of its own, as a terminal or cron starts it."""
    command = [sys.executable, "-m", "npc_archive", "crawl", "--db", str(db), "--start-url", server.start_url, "--quiet"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def interrupted(db, process: subprocess.Popen, signal_process, documents_in) -> tuple[list[int], str]:
    """Signal the crawl mid-crawl (``signal_process``); its writers when signalled, and its stderr."""
    writers: list[int] = []

    def signal_it() -> None:
        writers.extend(writer_processes(db))
        signal_process(process)

    watch = AfterDocuments(db, MID_CRAWL, signal_it, documents_in)
    try:
        _, stderr = process.communicate(timeout=120)
    finally:
        watch.stop()
        if process.poll() is None:
            process.kill()
            process.wait()
    assert watch.done.is_set()
    return writers, stderr


def ended_soon(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not running(pid)


# 3. The crawl process is killed: its writer does not outlive it --------------------------------

def test_a_killed_crawl_leaves_no_writer_running_and_an_archive_the_next_run_completes(tmp_path, crawl, npc_archive, query,
                                                                                         documents_in):
    db = tmp_path / "archive.db"
    # Large enough that the kill comes while pages are still being fetched: the writer trails the downloads.
    with ReplicaServer(Site(synthetic=300)) as server:
        process = start_crawl(db, server)
        writers, _ = interrupted(db, process, lambda crawling: crawling.send_signal(signal.SIGKILL), documents_in)
        assert process.returncode == -signal.SIGKILL
        assert len(writers) == 1
        assert ended_soon(writers[0]), "the writer outlived the killed crawl"
        killed_at = archived(query, db)
        conn = sqlite3.connect(db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            conn.close()
        verify = npc_archive("verify", "--db", str(db), check=False)
        second = crawl(db, server, check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert len(killed_at) >= MID_CRAWL and killed_at < every_opinion(server)
    assert query(db, "SELECT status FROM crawls WHERE id = 1") == [("interrupted",)]  # marked by the next run
    assert second.returncode == 0, second.stderr
    assert archived(query, db) == every_opinion(server)


def test_ctrl_c_ends_the_crawl_and_its_writer_without_a_lost_write(tmp_path, crawl, query, documents_in):
    """Ctrl-C reaches the whole process group: the writer ignores it and writes what the crawl
    sends it while finishing the requests in flight, then ends with the crawl."""
    db = tmp_path / "archive.db"
    # Large enough that the kill comes while pages are still being fetched: the writer trails the downloads.
    with ReplicaServer(Site(synthetic=300)) as server:
        process = start_crawl(db, server)
        writers, stderr = interrupted(db, process, lambda crawling: os.killpg(crawling.pid, signal.SIGINT), documents_in)
        assert len(writers) == 1 and not running(writers[0])
        first_archived = archived(query, db)
        second = crawl(db, server, check=False)
    assert process.returncode == UNFINISHED, stderr
    assert "the crawl was interrupted" in stderr and "write" not in stderr and "Traceback" not in stderr
    # Every document the crawl counted is in the archive, and nothing else.
    assert query(db, "SELECT status, documents_new, failures FROM crawls WHERE id = 1") == [
        ("interrupted", len(first_archived), 0)]
    assert len(first_archived) >= MID_CRAWL and first_archived < every_opinion(server)
    assert second.returncode == 0, second.stderr
    assert archived(query, db) == every_opinion(server)


# 4. One writer for every site of a run -------------------------------------------------------

def test_a_run_of_two_sites_has_one_writer_and_each_site_its_own_documents(tmp_path, cli, npc_archive, query):
    db = tmp_path / "two.db"
    seen: set[int] = set()
    families = ("powereasy", "phpcms")
    with ExitStack() as stack:
        servers = {family: stack.enter_context(ReplicaServer(Site(markup=family))) for family in families}
        for family, server in servers.items():
            cli("sites", "add", "--db", db, family, server.base_url + "/", "--column", f"opinions={server.start_url}",
                "--delay", "0")
            healthy = server.site.handle

            def handle(target, *args, healthy=healthy, **kwargs):
                seen.update(writer_processes(db))
                return healthy(target, *args, **kwargs)
            server.site.handle = handle
        result = npc_archive("crawl", "--db", str(db), *(arg for family in families for arg in ("--site", family)),
                             check=False)
    assert result.returncode == 0, result.stderr
    assert len(seen) == 1, seen
    for family, server in servers.items():
        opinions = {canonicalize_url(server.base_url + record["path"]) for record in family_truth(server.site)}
        mine = {canonicalize_url(url) for (url,) in query(db, "SELECT url FROM documents WHERE site = ?", family)}
        assert mine == opinions, family
        port = server.base_url.split("/")[2]
        assert {url.split("/")[2] for (url,) in query(db, "SELECT url FROM documents WHERE site = ?", family)} == {port}
        captured = {url.split("/")[2] for (url,) in query(
            db, "SELECT u.url FROM captures c JOIN urls u ON u.id = c.url_id WHERE c.site = ?", family)}
        assert captured == {port}, family
        # Each crawler's figures came back on its own channel.
        assert query(db, "SELECT status, documents_new FROM crawls WHERE site = ?", family) == [("finished", len(opinions))]


# 5. ArchiveWrites, without a crawl -----------------------------------------------------------

@pytest.fixture
def archive(tmp_path):
    archive = Archive(tmp_path / "writes.db")
    yield archive
    archive.close()


@pytest.fixture
def crawl_id(archive) -> int:
    return archive.start_crawl("new", {})


@pytest.fixture
def writes(archive) -> ArchiveWrites:
    return ArchiveWrites(archive)


def captured(writes: ArchiveWrites, crawl_id: int, table_pages, article) -> tuple[int, bytes, str, str]:
    """A capture of ``article``'s page: its id, body, URL and Content-Type."""
    body, url, content_type = table_pages.article(article)
    stored = writes.capture(crawl_id, {"url": url, "status": 200, "headers": [("Content-Type", content_type)],
                                              "body": body})
    assert stored.error is None
    return stored.capture_id, body, url, content_type


def document_item(capture_id: int, url: str) -> DocumentItem:
    return DocumentItem(record=None, capture_id=capture_id, url=canonicalize_url(url), column_kind="opinions",
                        column_url="http://jjrd.example/list.asp?ClassID=5")


def table_rows(writes: ArchiveWrites, sql: str) -> list[tuple]:
    return writes.archive.conn.execute(sql).fetchall()


def test_a_document_without_its_record_is_stored_from_the_capture_read(writes, crawl_id, table_pages):
    capture_id, body, url, content_type = captured(writes, crawl_id, table_pages, table_pages.reference)
    reading = writes.read(capture_id, body, url, content_type)
    assert isinstance(reading, ArticleReading) and reading.error is None
    figures = writes.item(crawl_id, document_item(capture_id, url))
    assert figures.counts["npc/documents/new"] == 1 and not figures.lost
    title = parse_article(body, canonicalize_url(url), content_type).title
    assert table_rows(writes, "SELECT url, title, capture_id FROM documents") == [(canonicalize_url(url), title, capture_id)]
    assert table_rows(writes, "SELECT count(*) FROM failures") == [(0,)]


def test_a_document_whose_capture_was_never_read_is_a_lost_write_and_a_failure(writes, crawl_id, table_pages):
    capture_id, _, url, _ = captured(writes, crawl_id, table_pages, table_pages.reference)
    figures = writes.item(crawl_id, document_item(capture_id, url))
    assert [what for what, _ in figures.lost] == [canonicalize_url(url)]
    assert f"no record was read from capture {capture_id}" in figures.lost[0][1]
    assert figures.counts["npc/failures"] == 1 and not figures.counts["npc/documents/new"]
    assert table_rows(writes, "SELECT url, reason, capture_id, page_kind FROM failures") == [
        (canonicalize_url(url), "write_failed", capture_id, "article")]
    assert table_rows(writes, "SELECT count(*) FROM documents") == [(0,)]


def test_a_failure_naming_a_read_capture_drops_its_record(writes, crawl_id, table_pages):
    capture_id, body, url, content_type = captured(writes, crawl_id, table_pages, table_pages.reference)
    other_id, other_body, other_url, _ = captured(writes, crawl_id, table_pages, table_pages.site.opinions()[1])
    writes.read(capture_id, body, url, content_type)
    writes.read(other_id, other_body, other_url, content_type)
    figures = writes.item(crawl_id, FailureItem(url=canonicalize_url(url), reason="other_column",
                                                       capture_id=capture_id, page_kind="article"))
    assert figures.counts["npc/failures/other_column"] == 1 and not figures.lost
    # Dropped: a document naming that capture now has no record to store; the other page's record is kept.
    assert writes.item(crawl_id, document_item(capture_id, url)).lost
    assert writes.item(crawl_id, document_item(other_id, other_url)).counts["npc/documents/new"] == 1
    assert table_rows(writes, "SELECT url FROM documents") == [(canonicalize_url(other_url),)]
    assert writes.records == {}


def test_a_failure_of_a_paged_articles_later_page_drops_the_records_of_its_pages_before(writes, crawl_id, table_pages):
    read = []
    for article in table_pages.site.opinions()[:2]:  # as the article's first page and its page 2
        capture_id, body, url, content_type = captured(writes, crawl_id, table_pages, article)
        writes.read(capture_id, body, url, content_type)
        read.append(capture_id)
    failed, *_ = captured(writes, crawl_id, table_pages, table_pages.site.opinions()[2])
    url = canonicalize_url(table_pages.article(table_pages.site.opinions()[0])[1])
    figures = writes.item(crawl_id, FailureItem(url=url, reason="http_404", capture_id=failed, page_kind="article",
                                                part_capture_ids=read))
    assert figures.counts["npc/failures/http_404"] == 1 and not figures.lost
    assert writes.records == {}
    assert table_rows(writes, "SELECT url, reason, capture_id FROM failures") == [(url, "http_404", failed)]


# 6. The writer's loop (serve) and WriterProcess ----------------------------------------------

def messages(*requests: tuple) -> io.BytesIO:
    return io.BytesIO(b"".join(pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL) for request in requests))


def answers_of(stream: io.BytesIO) -> list[tuple]:
    stream.seek(0)
    found = []
    while True:
        try:
            found.append(pickle.load(stream))
        except EOFError:
            return found


def test_serve_answers_readings_at_once_and_captures_and_flushes_once_committed_with_each_channels_figures(
        tmp_path, table_pages, query):
    db = tmp_path / "serve.db"
    archive = Archive(db)
    crawl_id = archive.start_crawl("new", {})
    archive.close()
    body, url, content_type = table_pages.article(table_pages.reference)
    fields = {"url": url, "status": 200, "headers": [("Content-Type", content_type)], "body": body}
    # The crawl process names the capture by its token (the capture message's number, 0) and
    # the writer maps it to the archive's id (1).
    requests = messages(("capture", 0, 7, crawl_id, fields), ("read", 1, 0, body, url, content_type),
                        ("item", 2, 7, crawl_id, document_item(0, url)),
                        ("item", 3, 8, crawl_id, FailureItem(url="http://jjrd.example/x", reason="http_500")),
                        ("flush", 4))
    answers = io.BytesIO()
    serve(str(db), 5.0, requests, answers)
    got = answers_of(answers)
    # The capture waits for its batch's commit (here at the flush): its answer says it is written.
    assert [answer[:2] for answer in got] == [("read", 1), ("captured", 0), ("figures", 7), ("figures", 8), ("flushed", 4),
                                              ("ended",)]
    assert got[1][2].capture_id == 1 and got[0][2].error is None
    assert got[2][2].counts == {"npc/documents/new": 1} and got[3][2].counts == {"npc/failures/http_500": 1, "npc/failures": 1}
    assert query(db, "SELECT url, capture_id FROM documents") == [(canonicalize_url(url), 1)]


def test_serve_writes_what_it_was_sent_when_the_crawl_process_is_gone(tmp_path, table_pages, query):
    """The crawl process died with messages in the pipe: nobody reads the answers any more, and
    the writer still writes everything it was sent (pipelines/writer.py's docstring, architecture.md)."""
    db = tmp_path / "orphan.db"
    archive = Archive(db)
    crawl_id = archive.start_crawl("new", {})
    archive.close()
    first, second = table_pages.reference, table_pages.site.opinions()[1]
    sent = []
    for number, article in enumerate((first, second)):
        body, url, content_type = table_pages.article(article)
        fields = {"url": url, "status": 200, "headers": [("Content-Type", content_type)], "body": body}
        record = parse_article(body, canonicalize_url(url), content_type).to_dict()
        sent += [("capture", 2 * number, 1, crawl_id, fields),
                 ("item", 2 * number + 1, 1, crawl_id, DocumentItem(record=record, capture_id=2 * number, url=record["url"]))]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the crawl process is gone
    with open(write_end, "wb", buffering=0) as answers:  # each answer meets the closed pipe at once
        serve(str(db), 5.0, messages(*sent), answers)
    assert query(db, "SELECT count(*) FROM captures") == [(2,)]
    assert archived(query, db) == {canonicalize_url(table_pages.base + table_pages.article_path(a)) for a in (first, second)}


WRITER_SCRIPT = textwrap.dedent("""
    import sys
    from twisted.internet import defer, reactor
    from pipelines.writer import WriterProcess

    writer = WriterProcess(sys.argv[1], 5.0)
    first, second = writer.open_channel(lambda figures: None), writer.open_channel(lambda figures: None)

    @defer.inlineCallbacks
    def close_one_after_the_other():
        try:
            yield writer.close_channel(first)
            yield writer.close_channel(second)
            print(writer.process.poll(), writer.stopped is not None, flush=True)
        finally:
            writer.process.kill()
            reactor.stop()

    reactor.callWhenRunning(close_one_after_the_other)
    reactor.run()
""")


def test_the_writer_exits_once_its_last_channel_is_closed_after_the_others(tmp_path):
    """Two crawlers of one run end one after the other: closing the last channel ends the writer."""
    script = tmp_path / "writer_channels.py"
    script.write_text(WRITER_SCRIPT)
    result = subprocess.run([sys.executable, str(script), str(tmp_path / "channels.db")], capture_output=True, text=True,
                            timeout=60, cwd=PROJECT, env={**os.environ, "PYTHONPATH": str(PROJECT)})
    assert result.returncode == 0, result.stderr
    # The writer's exit status, and whether the crawl process has seen it end.
    assert result.stdout.split() == ["0", "True"], result.stdout


def test_the_writer_process_imports_neither_scrapy_nor_twisted():
    """Importing them would cost the writer most of a second of CPU at each crawl's start."""
    script = ("import sys, pipelines.writer_process\n"
              "print(sorted({name.split('.')[0] for name in sys.modules} & {'scrapy', 'twisted', 'sqlite_utils'}))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=PROJECT,
                            env={**os.environ, "PYTHONPATH": str(PROJECT)}, check=True)
    assert result.stdout.strip() == "[]"
