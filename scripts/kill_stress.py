"""Kill stress: SIGKILL the commands that write at random moments, rerun them, and check the archive.

    python scripts/kill_stress.py [--phases crawl,refresh,reparse,warc,migration] [--kills N | --kills PHASE=N ...]
                                  [--articles 1000] [--migration-captures 8000] [--seed N] [--keep DIR]

Serves a replica with ``--articles`` synthetic opinions on 127.0.0.1 and crawls it once without
interruption (the reference crawl, the starting point of every phase after the first). Then, in
each phase, it runs one command uninterrupted (the reference) and the same command on a copy of
the same archive, killed with SIGKILL at random moments:

- crawl: ``crawl`` (mode new, as cron runs it) into a fresh archive, from a second replica;
- refresh: ``crawl --mode refresh`` of the crawled archive, after the replica has changed
  (opinions edited, added and taken down, every view count raised);
- reparse: ``reparse``, after some documents were made stale as an older parser left them;
- warc: ``warc OUT`` over an OUT written before, which must stay as it was;
- migration: ``crawls`` or ``export`` on the archive rebuilt at schema 5 (before the search
  index; padded to ``--migration-captures`` captures as years of refreshes leave it), killed
  during its upgrade, each kill on a fresh copy.

In crawl, refresh and reparse the command is rerun after each kill and killed again. After
every kill: ``PRAGMA integrity_check`` and ``foreign_key_check``; no half-written document (each
has its current revision, a 'new' event and its capture; a reparse has rewritten a document
whole or not at all); every capture's blob exists and every blob rebuilds to its SHA-256 and
size; the WARC's old file is intact and no partial file has its name; a migration has left the
old archive as it was or the new one whole. A last run completes the work, and its result must
equal the reference's: documents with their files, sections, revisions and events (rows
without ids, times or capture ids), the WARC's records, the upgraded archive row for row and
the command's output. Exits 1 if any check fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator

from archive import Archive
from archive.fixity import Audit, verify
from replica.server import ReplicaServer
from replica.site import Site

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.old_archives import before, old_archive  # noqa: E402 (the tests' builder of old archives)

PHASES = ("crawl", "refresh", "reparse", "warc", "migration")
DEFAULT_KILLS = {"crawl": 20, "refresh": 8, "reparse": 8, "warc": 8, "migration": 8}
OK = "integrity ok, no half-written document, blobs verified"
# content_hash is left out: it hashes attachment URLs, which name each replica's port.
DOCUMENT_COLUMNS = ("url", "title", "published_at", "source", "body_text", "paragraphs", "prev_url", "next_url",
                    "attachments", "images", "column_name", "list_title", "revision", "issuer", "meeting_date",
                    "signed_date")
# The documents the reparse phase makes stale, and the content_hash it gives them.
STALE_DOCUMENTS, STALE = "id % 10 = 0", "from an older parser"
OLD_SCHEMA = "search"  # the migration phase's archive has every migration before this one
RENAMED_COLUMNS = {"snapshot_id": "capture_id", "removed_snapshot_id": "removed_capture_id"}  # old name -> current


@dataclass
class Outcome:
    """What a phase found: kills that landed, and what failed."""

    kills: int
    survived: int = 0
    failures: list[str] = field(default_factory=list)


def npc_archive(*args: str) -> list[str]:
    return [sys.executable, "-m", "npc_archive", *args]


def crawl_command(db: Path, server: ReplicaServer, *args: str) -> list[str]:
    return npc_archive("crawl", "--db", str(db), "--start-url", server.start_url, "--quiet", *args)


def row_count(db: Path, table: str, where: str = "") -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute(f"SELECT count(*) FROM {table} {where}").fetchone()[0]
    except sqlite3.Error:  # not created yet, or its schema is being written
        return 0


def problems(db: Path) -> tuple[list[str], dict]:
    """What is wrong with the archive (nothing, we hope) and a few counts."""
    found = []
    conn = sqlite3.connect(db)
    try:
        if (result := conn.execute("PRAGMA integrity_check").fetchone()[0]) != "ok":
            found.append(f"integrity_check: {result}")
        if violations := conn.execute("PRAGMA foreign_key_check").fetchall():
            found.append(f"foreign keys: {violations[:3]}")
        half_written = conn.execute(
            "SELECT url FROM documents d WHERE NOT EXISTS (SELECT 1 FROM revisions r WHERE r.document_id = d.id "
            "AND r.number = d.revision) OR NOT EXISTS (SELECT 1 FROM events e WHERE e.document_id = d.id AND e.kind = 'new') "
            "OR NOT EXISTS (SELECT 1 FROM captures c WHERE c.id = d.capture_id)").fetchall()
        if half_written:
            found.append(f"{len(half_written)} half-written documents, e.g. {half_written[0][0]}")
        # A stale document is reparsed whole or not at all: its old text without sections, or
        # its new text with them (in the other phases it has its sections).
        half_reparsed = conn.execute(
            f"SELECT url FROM documents d WHERE {STALE_DOCUMENTS} AND (content_hash = ?) = "
            "EXISTS (SELECT 1 FROM sections s WHERE s.document_id = d.id)", (STALE,)).fetchall()
        if half_reparsed:
            found.append(f"{len(half_reparsed)} half-reparsed documents, e.g. {half_reparsed[0][0]}")
        orphans = conn.execute("SELECT count(*) FROM snapshots s LEFT JOIN blobs b ON b.sha256 = s.sha256 "
                               "WHERE b.sha256 IS NULL").fetchone()[0]
        if orphans:
            found.append(f"{orphans} captures without their blob")
        audit = verified(db)
        blobs = audit.checked
        if not audit.ok:
            found.append(f"verify: {audit.failed} of {blobs} blobs do not rebuild to their SHA-256 and size, "
                         f"{audit.missing} missing")
        running = conn.execute("SELECT count(*) FROM crawls WHERE status = 'running'").fetchone()[0]
        if running > 1:
            found.append(f"{running} crawls still 'running'")
        counts = {"documents": conn.execute("SELECT count(*) FROM documents").fetchone()[0],
                  "captures": conn.execute("SELECT count(*) FROM captures").fetchone()[0], "blobs": blobs}
    except sqlite3.Error as error:  # a kill before the schema exists leaves nothing to check
        if "no such table" not in str(error):
            found.append(f"unreadable archive: {error}")
        counts = {"documents": 0, "captures": 0, "blobs": 0}
    finally:
        conn.close()
    return found, counts


def verified(db: Path) -> Audit:
    """npc-archive's own fixity audit (``verify``): every blob rebuilt and re-hashed."""
    archive = Archive(db)
    try:
        return verify(archive)
    finally:
        archive.close()


def normalized_documents(db: Path, base_url: str) -> dict[str, dict]:
    """Documents keyed by path, as comparable rows with their stored files, sections, revisions
    and events: no ids, crawl ids, times or capture ids."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        rows = {}
        for row in conn.execute(f"SELECT id, view_count, removed_at, {', '.join(DOCUMENT_COLUMNS)} FROM documents"):
            record = {column: row[column] for column in DOCUMENT_COLUMNS}
            record["removed"] = row["removed_at"] is not None
            record["events"] = [list(e) for e in conn.execute(
                "SELECT kind, revision FROM events WHERE document_id = ? ORDER BY id", (row["id"],))]
            record["revisions"] = [n for (n,) in conn.execute(
                "SELECT number FROM revisions WHERE document_id = ? ORDER BY number", (row["id"],))]
            record["sections"] = [list(s) for s in conn.execute(
                "SELECT s.position, s.kind, s.heading, s.text, (SELECT json_group_array(json_array(i.ordinal, i.text)) "
                "FROM items i WHERE i.section_id = s.id) FROM sections s WHERE s.document_id = ? ORDER BY s.position",
                (row["id"],))]
            record["files"] = [url for (url,) in conn.execute(
                "SELECT url FROM document_files WHERE document_url = ? ORDER BY url", (row["url"],))]
            record["view_count"] = row["view_count"]
            text = json.dumps(record, ensure_ascii=False).replace(base_url, "")
            rows[row["url"].removeprefix(base_url)] = json.loads(text)
        return rows
    finally:
        conn.close()


def compare(reference: dict[str, dict], stressed: dict[str, dict], site: Site | None) -> list[str]:
    differences = []
    if set(reference) != set(stressed):
        differences.append(f"documents differ: {len(set(reference) - set(stressed))} missing, "
                           f"{len(set(stressed) - set(reference))} extra")
    # A kill between a counter script's fetch and the save makes the rerun fetch it again, and
    # each fetch counts a view on the site: the counts of those documents may differ.
    counters = {f"/ShowArticle.asp?ArticleID={a.id}" for a in site.articles if a.counter_script} if site else set()
    for path in sorted(set(reference) & set(stressed)):
        expected, actual = dict(reference[path]), dict(stressed[path])
        if path in counters:
            expected.pop("view_count"), actual.pop("view_count")
        if expected != actual:
            differing = sorted(key for key in expected if expected[key] != actual.get(key))
            differences.append(f"{path}: {', '.join(differing)} differ")
    return differences


def listed(differences: list[str]) -> list[str]:
    return differences[:10] + ([f"... {len(differences) - 10} more"] if len(differences) > 10 else [])


def kill(process: subprocess.Popen, started: float) -> float | None:
    """SIGKILL the command and its children: the seconds since ``started``, None if it had finished first."""
    if process.poll() is not None:
        return None
    os.killpg(process.pid, signal.SIGKILL)
    killed_at = time.monotonic() - started
    process.wait()
    return killed_at


def start(command: list[str], stdout=subprocess.DEVNULL) -> subprocess.Popen:
    return subprocess.Popen(command, start_new_session=True, stdout=stdout, stderr=subprocess.DEVNULL)


def timed(command: list[str]) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = subprocess.run(command, capture_output=True)
    return result, time.monotonic() - started


def state(db: Path) -> tuple[list[str], str]:
    found, counts = problems(db)
    return found, (f"{counts['documents']} documents, {counts['captures']} captures, {counts['blobs']} blobs: "
                   f"{'; '.join(found) or OK}")


# A moment waits, once the command has started, for the point of its work to kill it at, and
# returns what that point was.
Moment = Callable[[subprocess.Popen, float], str]


def kill_and_rerun(outcome: Outcome, command: list[str], db: Path, moments: list[Moment]) -> None:
    """Run ``command`` again and again, killing it at each moment in turn; check ``db`` after each kill."""
    attempts = 0
    while outcome.survived < outcome.kills and attempts < outcome.kills * 3:
        attempts += 1
        process, started = start(command), time.monotonic()
        where = moments[outcome.survived](process, started)
        if (killed_at := kill(process, started)) is None:
            print(f"  run {attempts}: finished (exit {process.returncode}) before its kill; not counted")
            continue
        outcome.survived += 1
        found, summary = state(db)
        print(f"kill {outcome.survived:2d} at {killed_at:5.2f} s {where}: {summary}")
        outcome.failures += [f"kill {outcome.survived}: {problem}" for problem in found]


def final_run(outcome: Outcome, command: list[str], db: Path) -> None:
    result, seconds = timed(command)
    found, summary = state(db)
    print(f"final run: exit {result.returncode} in {seconds:.1f} s, {summary}")
    outcome.failures += [f"final run: {problem}" for problem in found]
    if result.returncode != 0:
        outcome.failures.append(f"final run exited {result.returncode}: {result.stderr.decode(errors='replace').strip()}")


def reference_run(outcome: Outcome, what: str, command: list[str]) -> float | None:
    result, seconds = timed(command)
    print(f"reference {what}: exit {result.returncode} in {seconds:.1f} s")
    if result.returncode != 0:
        outcome.failures.append(f"reference {what} exited {result.returncode}: {result.stderr.decode(errors='replace').strip()}")
        return None
    return seconds


def after_documents(db: Path, target: int, delay: float, where: str = "", what: str = "documents",
                    during: Callable[[], str] | None = None) -> Moment:
    """Once ``target`` documents (``where`` they are so) are in the archive, and ``delay`` seconds
    after; ``during`` says where the run was (by default: whether it had recorded its crawl)."""
    def moment(process: subprocess.Popen, started: float) -> str:
        crawls_before = row_count(db, "crawls")
        while process.poll() is None and row_count(db, "documents", where) < target:
            time.sleep(0.02)
        time.sleep(delay)
        phase = during() if during else "mid-crawl  " if row_count(db, "crawls") > crawls_before else "in start-up"
        return f"{phase} (target {target} {what})"
    return moment


# Phases -------------------------------------------------------------------------------------

def crawl_phase(outcome: Outcome, workdir: Path, reference_db: Path, base_url: str, articles: int,
                rng: random.Random) -> None:
    print(f"== crawl: {outcome.kills} kills of `crawl` (mode new) into a fresh archive, from a second replica")
    with ReplicaServer(Site(synthetic=articles)) as server:
        reference = normalized_documents(reference_db, base_url)
        stressed_db = workdir / "crawl.db"
        # The moments: random points of the work, as a number of archived documents, plus a
        # random delay after it (which also puts some kills in start-up and in the list walk).
        targets = sorted(rng.randrange(len(reference)) for _ in range(outcome.kills))
        command = crawl_command(stressed_db, server)
        kill_and_rerun(outcome, command, stressed_db, [after_documents(stressed_db, t, rng.uniform(0, 0.5)) for t in targets])
        final_run(outcome, command, stressed_db)
        report_documents(outcome, "crawl", reference, normalized_documents(stressed_db, server.base_url), server.site)
        with sqlite3.connect(stressed_db) as conn:
            print(f"crawl runs recorded: {dict(conn.execute('SELECT status, count(*) FROM crawls GROUP BY status'))}")


def change_site(site: Site) -> str:
    """What a site does between two crawls: edits, new opinions, take-downs, views."""
    opinions = [article.id for article in site.opinions()]
    edited, removed = opinions[::50], opinions[7::97]
    for article_id in edited:
        site.edit_opinion(article_id)
    for n, article_id in enumerate(removed):
        site.remove_opinion(article_id, (404, 200)[n % 2])
    added = site.add_opinions(3)
    site.bump_views(3)
    return f"{len(edited)} opinions edited, {len(added)} added, {len(removed)} taken down, every view count +3"


def refresh_phase(outcome: Outcome, workdir: Path, crawled_db: Path, server: ReplicaServer, rng: random.Random) -> Path:
    print(f"== refresh: {outcome.kills} kills of `crawl --mode refresh` of the crawled archive, "
          f"the replica changed: {change_site(server.site)}")
    reference_db, stressed_db = workdir / "refreshed.db", workdir / "refresh.db"
    copy_archive(crawled_db, reference_db)
    copy_archive(crawled_db, stressed_db)
    refreshed = f"WHERE last_seen_crawl > {row_count(crawled_db, 'crawls')}"
    if reference_run(outcome, "refresh", crawl_command(reference_db, server, "--mode", "refresh")) is None:
        return crawled_db
    command = crawl_command(stressed_db, server, "--mode", "refresh")
    # The moments: a number of documents seen again by a refresh (this run or one killed before
    # it; a rerun refreshes every document again), and a random delay.
    moments = [after_documents(stressed_db, target, rng.uniform(0, 0.5), refreshed, "documents refreshed")
               for target in sorted(rng.randrange(row_count(reference_db, "documents", refreshed)) for _ in range(outcome.kills))]
    kill_and_rerun(outcome, command, stressed_db, moments)
    final_run(outcome, command, stressed_db)
    report_documents(outcome, "refresh", normalized_documents(reference_db, server.base_url),
                     normalized_documents(stressed_db, server.base_url), server.site)
    with sqlite3.connect(stressed_db) as conn:
        events = dict(conn.execute("SELECT kind, count(*) FROM events GROUP BY kind"))
    print(f"events recorded: {events}")
    return reference_db


def make_stale(db: Path) -> int:
    """What an older parser left on every tenth document: a body cut short, facts and sections missing."""
    with sqlite3.connect(db) as conn:
        stale = f"WHERE {STALE_DOCUMENTS}"
        conn.execute(f"UPDATE documents SET body_text = substr(body_text, 1, 20), issuer = NULL, images = NULL, "
                     f"content_hash = ? {stale}", (STALE,))
        conn.execute(f"DELETE FROM items WHERE document_id IN (SELECT id FROM documents {stale})")
        conn.execute(f"DELETE FROM sections WHERE document_id IN (SELECT id FROM documents {stale})")
        return conn.execute(f"SELECT count(*) FROM documents {stale}").fetchone()[0]


def reparse_phase(outcome: Outcome, workdir: Path, base_db: Path, base_url: str, rng: random.Random) -> None:
    reference_db, stressed_db = workdir / "reparsed.db", workdir / "reparse.db"
    copy_archive(base_db, reference_db)
    stale = make_stale(reference_db)
    copy_archive(reference_db, stressed_db)
    print(f"== reparse: {outcome.kills} kills of `reparse`, {stale} documents made stale as an older parser left them")
    if reference_run(outcome, "reparse", npc_archive("reparse", "--db", str(reference_db))) is None:
        return
    reparsed = f"WHERE {STALE_DOCUMENTS} AND content_hash != '{STALE}'"

    def during() -> str:
        return f"{row_count(stressed_db, 'documents', reparsed):3d} of {stale} reparsed"
    # The moments: a number of stale documents reparsed (by this run or one killed before it),
    # and a random delay.
    moments = [after_documents(stressed_db, target, rng.uniform(0, 0.3), reparsed, "stale documents reparsed", during)
               for target in sorted(rng.randrange(stale) for _ in range(outcome.kills))]
    command = npc_archive("reparse", "--db", str(stressed_db))
    kill_and_rerun(outcome, command, stressed_db, moments)
    final_run(outcome, command, stressed_db)
    report_documents(outcome, "reparse", normalized_documents(reference_db, base_url),
                     normalized_documents(stressed_db, base_url), None)


def warc_records(path: Path) -> list[tuple]:
    """The WARC's records as comparable tuples: without record ids (new in each run) and the
    warcinfo record's date."""
    records = []
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            headers = record.rec_headers
            date = None if record.rec_type == "warcinfo" else headers.get_header("WARC-Date")
            http = record.http_headers.to_str() if record.http_headers else ""
            body = hashlib.sha256(record.content_stream().read()).hexdigest()
            records.append((record.rec_type, headers.get_header("WARC-Target-URI"), date,
                            headers.get_header("WARC-Payload-Digest"), http, body))
    return records


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def partial_files(out: Path) -> set[Path]:
    """The temporary files a ``warc`` run writes OUT under before renaming it."""
    return set(out.parent.glob(f".{out.name}.*.part"))


def writing(process: subprocess.Popen, out: Path, before: set[Path]) -> float | None:
    """Wait until the run starts writing OUT (a new temporary file); when it did, None if it exited first."""
    while process.poll() is None:
        if partial_files(out) - before:
            return time.monotonic()
        time.sleep(0.002)
    return None


def warc_phase(outcome: Outcome, workdir: Path, base_db: Path, old_db: Path, rng: random.Random) -> None:
    print(f"== warc: {outcome.kills} kills of `warc OUT` while it writes, over an OUT written before (from {old_db.name})")
    reference, out = workdir / "reference.warc.gz", workdir / "out" / "archive.warc.gz"
    out.parent.mkdir(exist_ok=True)
    process = start(npc_archive("warc", "--db", str(base_db), str(reference)))
    began = writing(process, reference, set())
    while partial_files(reference):  # until the rename
        time.sleep(0.002)
    seconds = time.monotonic() - (began or 0)
    process.wait()
    if process.returncode != 0 or began is None:
        outcome.failures.append(f"reference warc: exit {process.returncode}, temporary file seen: {began is not None}")
        return
    print(f"reference warc: exit 0, {seconds:.1f} s from its temporary file to the rename")
    reference_records = warc_records(reference)
    write_old = npc_archive("warc", "--db", str(old_db), str(out))
    subprocess.run(write_old, capture_output=True, check=True)
    old_digest = sha256_of(out)
    command, attempts = npc_archive("warc", "--db", str(base_db), str(out)), 0
    while outcome.survived < outcome.kills and attempts < outcome.kills * 3:
        attempts += 1
        process, where = start(command), "mid-write   "
        if (started := writing(process, out, partial_files(out))) is not None:
            time.sleep(rng.uniform(0, seconds))
        if started is None or (killed_at := kill(process, started)) is None:
            print(f"  run {attempts}: finished (exit {process.returncode}) before its kill; not counted")
            subprocess.run(write_old, capture_output=True, check=True)
            old_digest = sha256_of(out)
            continue
        outcome.survived += 1
        partial = sorted(path.name for path in out.parent.iterdir() if path != out)
        damaged = [f"a file beside OUT: {name}" for name in partial if not name.startswith(f".{out.name}.")]
        if sha256_of(out) == old_digest:
            what = "old OUT intact"
        elif warc_records(out) == reference_records:
            # Killed after the rename, while it exited: OUT is the new WARC, whole. Back to the old one.
            what, where = "OUT replaced whole", "after rename"
            subprocess.run(write_old, capture_output=True, check=True)
            old_digest = sha256_of(out)
        else:
            what = "OUT is neither the old file nor the whole new one"
            damaged.append(what)
        print(f"kill {outcome.survived:2d} {killed_at:4.2f} s into writing, {where}: {'; '.join(dict.fromkeys([what, *damaged]))}, "
              f"{len(partial)} partial file{'s' if len(partial) != 1 else ''} left under temporary names")
        outcome.failures += [f"kill {outcome.survived}: {problem}" for problem in damaged]
    result, seconds = timed(command)
    records = warc_records(out)
    same = records == reference_records
    print(f"final run: exit {result.returncode} in {seconds:.1f} s, {len(records)} records, "
          f"{'equal to' if same else 'DIFFERENT from'} the uninterrupted run's")
    if result.returncode != 0 or not same:
        outcome.failures.append(f"final warc: exit {result.returncode}, records {'equal' if same else 'differ'}")


def migration_phase(outcome: Outcome, workdir: Path, base_db: Path, captures: int, rng: random.Random) -> None:
    old_db = workdir / "old.db"
    rebuild_at_old_schema(base_db, old_db, captures)
    old_dump = dump(old_db)
    print(f"== migration: {outcome.kills} kills of `crawls` and `export` upgrading the archive at schema "
          f"{len(before(OLD_SCHEMA))} ({row_count(old_db, 'snapshots')} captures, {row_count(old_db, 'documents')} documents)")
    expected = {}
    for name in ("crawls", "export"):
        copy = workdir / f"upgraded-by-{name}.db"
        copy_archive(old_db, copy)
        upgrade = watched(npc_archive(name, "--db", str(copy)), copy, workdir / f"{name}.out")
        if upgrade.returncode != 0 or upgrade.seconds is None:
            outcome.failures.append(f"reference {name}: exit {upgrade.returncode}, upgrade seen: {upgrade.seconds is not None}")
            return
        print(f"reference {name}: exit 0, upgrade held the write lock {upgrade.seconds:.2f} s")
        expected[name] = (upgrade.stdout, dump(copy), upgrade.seconds)
    if expected["crawls"][1] != expected["export"][1]:
        outcome.failures.append("`crawls` and `export` upgrade the archive differently")
    stressed, attempts = workdir / "upgrade.db", 0
    command = {name: npc_archive(name, "--db", str(stressed)) for name in expected}
    while outcome.survived < outcome.kills and attempts < outcome.kills * 3:
        attempts += 1
        name = ("crawls", "export")[outcome.survived % 2]
        copy_archive(old_db, stressed)
        stdout, upgraded, seconds = expected[name]
        process = start(command[name])
        while process.poll() is None and not write_locked(stressed):
            time.sleep(0.001)
        started = time.monotonic()
        time.sleep(rng.uniform(0, seconds))
        if (killed_at := kill(process, started)) is None:
            print(f"  {name}: finished (exit {process.returncode}) before its kill; not counted")
            continue
        outcome.survived += 1
        now = dump(stressed)
        where = "mid-upgrade " if now == old_dump else "after commit" if now == upgraded else "HALF-UPGRADED"
        found = [] if now in (old_dump, upgraded) else ["the archive is neither the old one nor the upgraded one"]
        result = subprocess.run(command[name], capture_output=True)
        if result.returncode != 0 or result.stdout != stdout:
            found.append(f"the next `{name}` exited {result.returncode} and printed "
                         f"{'the same' if result.stdout == stdout else 'something else'}")
        if dump(stressed) != upgraded:  # before the checks: verify records an audit
            found.append("the archive upgraded by the next run differs from the uninterrupted upgrade")
        problems_after, summary = state(stressed)
        found += problems_after
        rerun = "next run: same output, same archive" if not found else "; ".join(found)
        print(f"kill {outcome.survived:2d} {killed_at:4.2f} s into the upgrade by {name:6s} {where}: {summary}; {rerun}")
        outcome.failures += [f"kill {outcome.survived}: {problem}" for problem in found]


# Archives -------------------------------------------------------------------------------------

def copy_archive(source: Path, target: Path) -> None:
    """A consistent copy (SQLite's backup: the WAL included)."""
    target.unlink(missing_ok=True)
    with sqlite3.connect(source) as conn, sqlite3.connect(target) as copy:
        conn.backup(copy)


def rebuild_at_old_schema(source: Path, target: Path, captures: int) -> None:
    """The archive ``source`` as the release before the search index would hold it, with its
    captures repeated (as later refreshes fetching the same bytes) up to ``captures``."""
    target.unlink(missing_ok=True)
    conn = old_archive(target, before(OLD_SCHEMA))
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("ATTACH ? AS source", (str(source),))
    conn.execute("BEGIN")
    tables = [name for (name,) in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table'").fetchall()]
    for table in tables:
        columns = [name for (name,) in conn.execute("SELECT name FROM pragma_table_info(?)", (table,))]
        selected = ", ".join(RENAMED_COLUMNS.get(column, column) for column in columns)
        conn.execute(f"INSERT INTO main.{table} ({', '.join(columns)}) SELECT {selected} FROM source.{table}")
    crawled, last = conn.execute("SELECT count(*), max(id) FROM main.snapshots").fetchone()
    columns = "url, method, fetched_at, protocol, status, headers, request_headers, content_type, sha256, size, request_header_set"
    later = "strftime('%Y-%m-%dT%H:%M:%fZ', fetched_at, ?)"
    for repeat in range(1, -(-captures // crawled)):
        days = f"+{repeat} days"
        crawl_id = conn.execute(f"INSERT INTO main.crawls (started_at, finished_at, mode, status) SELECT "
                                f"{later.replace('fetched_at', 'min(fetched_at)')}, {later.replace('fetched_at', 'max(fetched_at)')}, "
                                "'refresh', 'finished' FROM main.snapshots WHERE crawl_id IS NOT NULL AND id <= ?",
                                (days, days, last)).lastrowid
        conn.execute(f"INSERT INTO main.snapshots (crawl_id, {columns}) SELECT ?, {columns.replace('fetched_at', later)} "
                     "FROM main.snapshots WHERE id <= ? ORDER BY id LIMIT ?", (crawl_id, days, last, captures - repeat * crawled))
    conn.execute("COMMIT")
    conn.execute("DETACH source")
    conn.close()


def dump(db: Path) -> str:
    """A digest of every row of every table and of the schema (the migrations' times left out)."""
    digest = hashlib.sha256()
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        digest.update(repr(conn.execute("PRAGMA user_version").fetchone()).encode())
        for name, sql in conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall():
            digest.update(repr((name, sql)).encode())
            if sql and sql.startswith("CREATE TABLE"):
                rows = conn.execute("SELECT name FROM _migrations ORDER BY rowid") if name == "_migrations" else \
                    conn.execute(f'SELECT * FROM "{name}" ORDER BY 1')
                for row in rows:
                    digest.update(repr(row).encode())
    return digest.hexdigest()


def write_locked(db: Path) -> bool:
    """Whether another connection holds the archive's write lock (an upgrade is under way)."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


@dataclass
class Watched:
    returncode: int
    stdout: bytes
    seconds: float | None  # how long the write lock was held, None if it was never seen


def watched(command: list[str], db: Path, output: Path) -> Watched:
    """Run the command, timing its hold of the write lock."""
    first = last = None
    with open(output, "wb") as stdout:
        process = start(command, stdout)
        while process.poll() is None:
            if write_locked(db):
                last = time.monotonic()
                first = first or last
            time.sleep(0.001)
    return Watched(process.returncode, output.read_bytes(), None if first is None else last - first)


def report_documents(outcome: Outcome, what: str, reference: dict, stressed: dict, site: Site | None) -> None:
    differences = compare(reference, stressed, site)
    if differences:
        outcome.failures += listed(differences)
    else:
        note = " (view counts written by counter scripts not compared)" if site else ""
        print(f"documents, their files, sections, revisions and events equal the uninterrupted {what}'s: "
              f"{len(reference)} of {len(reference)}{note}")


def run(phases: list[str], kills: dict[str, int], articles: int, captures: int, seed: int, workdir: Path) -> bool:
    rng = random.Random(seed)
    print(f"kill stress: phases {', '.join(phases)}; replica with {articles} synthetic opinions, seed {seed}, in {workdir}")
    outcomes = {phase: Outcome(kills[phase]) for phase in phases}
    crawled_db = workdir / "crawled.db"
    started = time.monotonic()
    with ReplicaServer(Site(synthetic=articles)) as server:
        result, seconds = timed(crawl_command(crawled_db, server))
        print(f"reference crawl: exit {result.returncode}, {row_count(crawled_db, 'documents')} documents in {seconds:.1f} s")
        if result.returncode != 0:
            print(result.stderr.decode(errors="replace"))
            return False
        if "crawl" in outcomes:
            crawl_phase(outcomes["crawl"], workdir, crawled_db, server.base_url, articles, rng)
        base_db, base_url = crawled_db, server.base_url
        if "refresh" in outcomes:
            base_db = refresh_phase(outcomes["refresh"], workdir, crawled_db, server, rng)
    if "reparse" in outcomes:
        reparse_phase(outcomes["reparse"], workdir, base_db, base_url, rng)
    if "warc" in outcomes:
        warc_phase(outcomes["warc"], workdir, base_db, crawled_db, rng)
    if "migration" in outcomes:
        migration_phase(outcomes["migration"], workdir, base_db, captures, rng)
    failures = []
    for phase, outcome in outcomes.items():
        if outcome.survived < outcome.kills:
            outcome.failures.append(f"only {outcome.survived} of {outcome.kills} kills landed before the command finished")
        failures += [f"{phase}: {failure}" for failure in outcome.failures]
    for failure in failures:
        print(f"FAIL {failure}")
    survived, planned = sum(o.survived for o in outcomes.values()), sum(o.kills for o in outcomes.values())
    each = ", ".join(f"{phase} {outcome.survived}" for phase, outcome in outcomes.items())
    print(f"{'PASS' if not failures else 'FAIL'}: {survived}/{planned} kills survived ({each}) in "
          f"{time.monotonic() - started:.0f} s; {'every final run equals its uninterrupted run' if not failures else 'see FAIL above'}")
    return not failures


def kill_counts(values: list[str]) -> dict[str, int]:
    """``--kills 3`` for every phase, ``--kills warc=5`` for one; the defaults for the others."""
    counts = dict(DEFAULT_KILLS)
    for value in values:
        phase, _, number = value.rpartition("=")
        if phase and phase not in PHASES:
            raise argparse.ArgumentTypeError(f"unknown phase {phase!r}; choose from {', '.join(PHASES)}")
        if not number.isdigit() or int(number) < 1:
            raise argparse.ArgumentTypeError(f"--kills {value}: give a positive number of kills")
        counts.update({phase: int(number)} if phase else dict.fromkeys(PHASES, int(number)))
    return counts


def phase_list(value: str) -> list[str]:
    phases = [phase.strip() for phase in value.split(",") if phase.strip()]
    if unknown := [phase for phase in phases if phase not in PHASES]:
        raise argparse.ArgumentTypeError(f"unknown phases {', '.join(unknown)}; choose from {', '.join(PHASES)}")
    return [phase for phase in PHASES if phase in phases]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phases", type=phase_list, default=list(PHASES),
                        help=f"which to run, comma-separated (default: all: {','.join(PHASES)})")
    parser.add_argument("--kills", action="append", default=[], metavar="[PHASE=]N",
                        help=f"kills per phase, for all or one phase (repeatable; default: "
                             f"{', '.join(f'{p} {n}' for p, n in DEFAULT_KILLS.items())})")
    parser.add_argument("--articles", type=int, default=1000, help="synthetic opinions on the replica (default: 1000)")
    parser.add_argument("--migration-captures", type=int, default=8000,
                        help="captures in the old archive the migration phase upgrades (default: 8000)")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", type=Path, help="keep the archives in this folder")
    args = parser.parse_args(argv)
    try:
        kills = kill_counts(args.kills)
    except argparse.ArgumentTypeError as error:
        parser.error(str(error))
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        ok = run(args.phases, kills, args.articles, args.migration_captures, seed, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="kill-stress-") as folder:
            ok = run(args.phases, kills, args.articles, args.migration_captures, seed, Path(folder))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
