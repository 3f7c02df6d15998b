"""Kill stress: SIGKILL a crawl at random moments, rerun it each time, and check the archive.

    python scripts/kill_stress.py [--kills 20] [--articles 1000] [--seed N] [--keep DIR]

Serves a replica with ``--articles`` synthetic opinions on 127.0.0.1, crawls it once without
interruption (the reference), then crawls a second replica into a fresh archive, killing the
crawl (``npc-archive crawl``, mode new, as cron runs it) with SIGKILL at ``--kills`` moments
spread at random over the work, rerunning it after each kill. After every kill it checks:

- ``PRAGMA integrity_check`` and ``foreign_key_check``;
- no half-written document: each has its current revision, a 'new' event and its capture;
- every capture's blob exists, and every blob's bytes hash to its SHA-256 and size.

A last run completes the crawl; its documents and their stored files must equal the
reference's, compared as rows without ids, crawl ids, times or capture ids. Exits 1 if any check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from archive import Archive
from archive.fixity import Audit, verify
from replica.server import ReplicaServer
from replica.site import Site

# content_hash is left out: it hashes attachment URLs, which name each replica's port.
DOCUMENT_COLUMNS = ("url", "title", "published_at", "source", "body_text", "paragraphs", "prev_url", "next_url",
                    "attachments", "column_name", "list_title", "revision", "removed_at")


def crawl_command(db: Path, server: ReplicaServer) -> list[str]:
    return [sys.executable, "-m", "npc_archive", "crawl", "--db", str(db), "--start-url", server.start_url, "--quiet"]


def row_count(db: Path, table: str) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
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
    """Documents keyed by path, as comparable rows (with their stored files): no ids, crawl
    ids, times or capture ids."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        rows = {}
        for row in conn.execute(f"SELECT id, view_count, {', '.join(DOCUMENT_COLUMNS)} FROM documents"):
            events = [tuple(e) for e in conn.execute(
                "SELECT kind, revision FROM events WHERE document_id = ? ORDER BY id", (row["id"],))]
            files = [url for (url,) in conn.execute(
                "SELECT url FROM document_files WHERE document_url = ? ORDER BY url", (row["url"],))]
            record = {column: row[column] for column in DOCUMENT_COLUMNS}
            record |= {"events": events, "files": files, "view_count": row["view_count"]}
            text = json.dumps(record, ensure_ascii=False).replace(base_url, "")
            rows[row["url"].removeprefix(base_url)] = json.loads(text)
        return rows
    finally:
        conn.close()


def compare(reference: dict[str, dict], stressed: dict[str, dict], site: Site) -> list[str]:
    differences = []
    if set(reference) != set(stressed):
        differences.append(f"documents differ: {len(set(reference) - set(stressed))} missing, "
                           f"{len(set(stressed) - set(reference))} extra")
    counters = {f"/ShowArticle.asp?ArticleID={a.id}" for a in site.articles if a.counter_script}
    for path in sorted(set(reference) & set(stressed)):
        expected, actual = dict(reference[path]), dict(stressed[path])
        if path in counters:
            # A kill between the counter script's fetch and the save makes the rerun fetch it
            # again, and each fetch counts a view on the site: the counts may differ.
            expected.pop("view_count"), actual.pop("view_count")
        if expected != actual:
            differing = sorted(key for key in expected if expected[key] != actual.get(key))
            differences.append(f"{path}: {', '.join(differing)} differ")
    return differences


def run(kills: int, articles: int, seed: int, workdir: Path) -> bool:
    rng = random.Random(seed)
    print(f"kill stress: replica with {articles} synthetic opinions, {kills} kills, seed {seed}, in {workdir}")
    reference_db, stressed_db = workdir / "reference.db", workdir / "stressed.db"
    with ReplicaServer(Site(synthetic=articles)) as server:
        started = time.monotonic()
        result = subprocess.run(crawl_command(reference_db, server), capture_output=True, text=True)
        reference_seconds = time.monotonic() - started
        reference = normalized_documents(reference_db, server.base_url)
        print(f"reference crawl: exit {result.returncode}, {len(reference)} documents in {reference_seconds:.1f} s")
        if result.returncode != 0:
            print(result.stderr)
            return False
    failures, survived, attempts = [], 0, 0
    # The moments: random points of the work, as a number of archived documents, plus a
    # random delay after it (which also puts some kills in start-up and in the list walk).
    targets = sorted(rng.randrange(len(reference)) for _ in range(kills))
    with ReplicaServer(Site(synthetic=articles)) as server:
        while survived < kills and attempts < kills * 3:
            attempts += 1
            target, delay = targets[survived], rng.uniform(0, 0.5)
            crawls_before = row_count(stressed_db, "crawls")
            process = subprocess.Popen(crawl_command(stressed_db, server), start_new_session=True,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            started = time.monotonic()
            while process.poll() is None and row_count(stressed_db, "documents") < target:
                time.sleep(0.02)
            time.sleep(delay)
            if process.poll() is not None:
                print(f"  run {attempts}: finished (exit {process.returncode}) before its kill; not counted")
                continue
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            survived += 1
            found, counts = problems(stressed_db)
            status = "; ".join(found) if found else "integrity ok, no half-written document, blobs verified"
            phase = "mid-crawl" if row_count(stressed_db, "crawls") > crawls_before else "in start-up"
            print(f"kill {survived:2d} at {time.monotonic() - started:5.2f} s {phase:11s} (target {target} documents): "
                  f"{counts['documents']} documents, {counts['captures']} captures, {counts['blobs']} blobs: {status}")
            failures += [f"kill {survived}: {problem}" for problem in found]
        started = time.monotonic()
        result = subprocess.run(crawl_command(stressed_db, server), capture_output=True, text=True)
        found, counts = problems(stressed_db)
        print(f"final run: exit {result.returncode} in {time.monotonic() - started:.1f} s, {counts['documents']} documents, "
              f"{counts['blobs']} blobs: {'; '.join(found) or 'integrity ok, no half-written document, blobs verified'}")
        failures += [f"final run: {problem}" for problem in found]
        if result.returncode != 0:
            failures.append(f"final run exited {result.returncode}: {result.stderr.strip()}")
        differences = compare(reference, normalized_documents(stressed_db, server.base_url), server.site)
        with sqlite3.connect(stressed_db) as conn:
            statuses = dict(conn.execute("SELECT status, count(*) FROM crawls GROUP BY status").fetchall())
    print(f"crawl runs recorded: {statuses}")
    if differences:
        failures += differences[:10] + ([f"... {len(differences) - 10} more"] if len(differences) > 10 else [])
    else:
        print(f"documents and their files equal the uninterrupted crawl's: {len(reference)} of {len(reference)} "
              "(view counts written by counter scripts not compared)")
    if survived < kills:
        failures.append(f"only {survived} of {kills} kills landed before the crawl finished")
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"{'PASS' if not failures else 'FAIL'}: {survived}/{kills} kills survived, "
          f"{'final archive equals the reference' if not differences else 'final archive differs'}")
    return not failures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", type=Path, help="keep the archives in this folder")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(1_000_000)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        ok = run(args.kills, args.articles, seed, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="kill-stress-") as folder:
            ok = run(args.kills, args.articles, seed, Path(folder))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
