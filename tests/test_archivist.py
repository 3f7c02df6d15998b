"""Fixity audits, WARC export and captures out, over two real crawls of the replica."""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive import Archive
from npc_archive import exit_codes

# Fixity -------------------------------------------------------------------------------

def test_verify_passes_and_records_the_audit(recrawled_copy, cli, query):
    db = recrawled_copy
    result = cli("verify", "--db", str(db))
    blobs = query(db, "SELECT count(*) FROM blobs")[0][0]
    assert result.stdout == f"Checked {blobs} stored bodies: 0 failed, 0 missing; database: ok\n"
    assert query(db, "SELECT checked, failed, missing, problems FROM audits") == [(blobs, 0, 0, "[]")]


def flip_one_byte(db: Path, sha256: str) -> None:
    with sqlite3.connect(db) as conn:
        (data,) = conn.execute("SELECT data FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        flipped = bytearray(data)
        flipped[len(flipped) // 2] ^= 0x01
        conn.execute("UPDATE blobs SET data = ? WHERE sha256 = ?", (bytes(flipped), sha256))


def test_one_flipped_byte_is_exactly_one_failure(recrawled_copy, cli, query):
    db = recrawled_copy
    # A body no other body is stored as a delta against (else those fail with it).
    (sha256,), = query(db, "SELECT sha256 FROM blobs WHERE sha256 NOT IN (SELECT base_sha256 FROM blobs "
                           "WHERE base_sha256 IS NOT NULL) ORDER BY sha256 LIMIT 1")
    flip_one_byte(db, sha256)
    result = cli("verify", "--db", str(db), check=False)
    assert result.returncode == 1
    failures = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    assert len(failures) == 1 and failures[0].startswith(f"FAILED {sha256}: ")
    assert result.stdout.splitlines()[-1].endswith(": 1 failed, 0 missing; database: ok")
    (failed, missing, problems), = query(db, "SELECT failed, missing, problems FROM audits")
    assert (failed, missing) == (1, 0) and json.loads(problems)[0]["sha256"] == sha256


def test_a_flipped_byte_in_a_compressed_body_is_a_failure(tmp_path, cli, query):
    archive = Archive(tmp_path / "small.db")
    archive.add_capture(url="http://jjrd.example/a", status=200, headers=[], body="审议意见".encode("gbk") * 100)
    archive.add_capture(url="http://jjrd.example/b", status=200, headers=[], body=b"short")
    archive.close()
    (sha256, compression), = query(tmp_path / "small.db", "SELECT sha256, compression FROM blobs ORDER BY size DESC LIMIT 1")
    assert compression == "zstd"
    flip_one_byte(tmp_path / "small.db", sha256)
    result = cli("verify", "--db", str(tmp_path / "small.db"), check=False)
    assert result.returncode == 1
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [f"FAILED {sha256}", "Checked 2 stored bodies"]
    assert "cannot be read" in result.stdout and "http://jjrd.example/a" in result.stdout


def test_a_missing_body_is_reported(recrawled_copy, cli, query):
    db = recrawled_copy
    (sha256, url), = query(db, "SELECT sha256, url FROM snapshots ORDER BY id LIMIT 1")
    with sqlite3.connect(db) as conn:  # foreign keys are off by default in a plain connection
        conn.execute("DELETE FROM blobs WHERE sha256 = ?", (sha256,))
    result = cli("verify", "--db", str(db), check=False)
    assert result.returncode == 1
    assert f"MISSING {sha256}: no stored body" in result.stdout and url in result.stdout
    assert query(db, "SELECT failed, missing FROM audits") == [(0, 1)]


def test_a_deleted_delta_base_fails_every_delta_on_it(recrawled_copy, tmp_path, cli, query):
    db = recrawled_copy
    (base, deltas), = query(db, "SELECT base_sha256, count(*) FROM blobs WHERE base_sha256 IS NOT NULL "
                               "GROUP BY base_sha256 ORDER BY count(*) DESC LIMIT 1")
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM blobs WHERE sha256 = ?", (base,))
    result = cli("verify", "--db", str(db), check=False)
    assert result.returncode == 1 and result.exception.__class__ is SystemExit
    failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
    assert len(failed) >= deltas
    assert sum(f"stored as a delta against {base}, which is missing" in line for line in failed) == deltas
    (failed_count, problems), = query(db, "SELECT failed, problems FROM audits")
    assert failed_count == len(failed) and {problem["kind"] for problem in json.loads(problems)} <= {"failed", "missing"}


def test_a_body_that_cannot_be_read_stops_warc_and_capture_with_one_line(recrawled, recrawled_copy, tmp_path, cli, query):
    server, _ = recrawled
    db = recrawled_copy
    (sha256,), = query(db, "SELECT sha256 FROM snapshots WHERE url = ? LIMIT 1", server.start_url)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM blobs WHERE sha256 = ?", (sha256,))
    expected = f"Error: {db} is damaged: a stored body cannot be read: no stored body {sha256} (npc-archive verify says more)\n"
    for command in (["warc", str(tmp_path / "out.warc.gz")], ["capture", server.start_url]):
        result = cli(*command, "--db", str(db), check=False)
        assert (result.returncode, result.stderr) == (exit_codes.DAMAGED, expected)
    assert not (tmp_path / "out.warc.gz").exists()


@pytest.mark.parametrize("damage, expected", [
    ("UPDATE blobs SET data = substr(data, 1, length(data) / 2) WHERE sha256 = ?", "cannot be read: zstd data: "),
    ("UPDATE blobs SET data = 'not bytes' WHERE sha256 = ?", "cannot be read: zstd data: "),
    ("UPDATE blobs SET compression = 'brotli' WHERE sha256 = ?", "cannot be read: unknown compression 'brotli'"),
    ("UPDATE blobs SET params = '{\"level\": 6}' WHERE sha256 = ?", "cannot be read: gzip parameters "),
])
def test_an_unreadable_body_is_a_failure_not_a_crash(tmp_path, cli, query, damage, expected):
    db = tmp_path / "small.db"
    archive = Archive(db)
    archive.add_capture(url="http://jjrd.example/a", status=200, headers=[], body=gzip.compress("审议意见".encode("gbk") * 100, mtime=0))
    archive.close()
    (sha256, compression), = query(db, "SELECT sha256, compression FROM blobs")
    assert compression == "zstd"
    with sqlite3.connect(db) as conn:
        conn.execute(damage, (sha256,))
    result = cli("verify", "--db", str(db), check=False)
    assert result.returncode == 1 and result.exception.__class__ is SystemExit
    assert result.stdout.splitlines()[0].startswith(f"FAILED {sha256}: {expected}")
    assert query(db, "SELECT checked, failed, missing FROM audits") == [(1, 1, 0)]


# Where in a b-tree page to write garbage: its header (SQLite's check stops at the page), or
# its cell pointers (the check reports the cells it cannot find).
PAGE_HEADER, CELL_POINTERS = (0, 8), (8, 8)


def corrupt_a_page_of(db: Path, table: str, where: tuple[int, int]) -> int:
    """Overwrite bytes of a leaf page of ``table``'s b-tree (not its root); returns its number."""
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file, none in the WAL
        (page_size,), = conn.execute("PRAGMA page_size")
        (page,), = conn.execute("SELECT max(pageno) FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (table,))
        (root,), = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))
    conn.close()
    assert page != root
    offset, length = where
    with open(db, "r+b") as file:
        file.seek((page - 1) * page_size + offset)
        file.write(b"\xa5" * length)
    return page


@pytest.mark.parametrize("table, where", [("documents", PAGE_HEADER), ("documents", CELL_POINTERS),
                                          ("sections", PAGE_HEADER), ("sections", CELL_POINTERS), ("blobs", PAGE_HEADER)])
def test_a_corrupt_page_of_any_table_is_damage_reported_and_recorded(recrawled_copy, cli, query, table, where):
    db = recrawled_copy
    corrupt_a_page_of(db, table, where)
    result = cli("verify", "--db", str(db), check=False)
    assert result.returncode == 1 and result.exception.__class__ is SystemExit
    damaged = [line for line in result.stdout.splitlines() if line.startswith("DAMAGED")]
    assert damaged and damaged[0].startswith(f"DAMAGED {table}: ")
    assert result.stdout.splitlines()[-1].endswith(f"; database: {len(damaged)} problem" + ("s" if len(damaged) > 1 else ""))
    (failed, problems), = query(db, "SELECT failed, problems FROM audits")
    found = [problem for problem in json.loads(problems) if problem["kind"] == "damaged"]
    assert failed >= len(found) == len(damaged) and {problem["table"] for problem in found} <= {table, ""}


# WARC ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def warc_file(recrawled, tmp_path_factory, cli) -> Path:
    _, db = recrawled
    path = tmp_path_factory.mktemp("warc") / "archive.warc.gz"
    result = cli("warc", "--db", str(db), str(path))
    assert result.stdout.startswith(f"Wrote {path}: ")
    return path


def read_records(path: Path) -> list[dict]:
    records = []
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            records.append({"type": record.rec_type, "warc": dict(record.rec_headers.headers),
                            "http": record.http_headers, "raw": record.raw_stream.read()})
    return records


def test_warcio_check_passes(warc_file):
    warcio = Path(sys.executable).with_name("warcio")
    result = subprocess.run([str(warcio), "check", "-v", str(warc_file)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "digest pass" in result.stdout and "fail" not in result.stdout.lower()


def test_warc_holds_every_capture_with_the_archived_bytes(recrawled, warc_file):
    _, db = recrawled
    records = read_records(warc_file)
    assert records[0]["type"] == "warcinfo" and records[0]["warc"]["WARC-Type"] == "warcinfo"
    assert all(record["warc"].get("WARC-Type") for record in records)
    archive = Archive(db)
    try:
        snapshots = {(row["url"], row["fetched_at"]): row for row in archive.db.query("SELECT * FROM snapshots")}
        captured = [r for r in records if r["type"] in ("response", "revisit")]
        assert len(captured) == len(snapshots) == len([r for r in records if r["type"] == "request"])
        for record in captured:
            snapshot = snapshots[(record["warc"]["WARC-Target-URI"], record["warc"]["WARC-Date"])]
            assert record["http"].get_statuscode() == str(snapshot["status"])
            assert record["http"].headers == [tuple(pair) for pair in json.loads(snapshot["headers"])]
            if record["type"] == "response":
                assert record["raw"] == archive.capture_body(snapshot["id"])
            else:
                assert record["raw"] == b""
    finally:
        archive.close()


def test_query_strings_are_kept_in_target_uris_and_request_lines(recrawled, warc_file):
    server, _ = recrawled
    requests = [r for r in read_records(warc_file) if r["type"] == "request"]
    article = next(r for r in requests if "ArticleID=" in r["warc"]["WARC-Target-URI"])
    uri = article["warc"]["WARC-Target-URI"]
    assert uri.startswith(f"{server.base_url}/ShowArticle.asp?ArticleID=")
    assert article["http"].protocol == "GET" and article["http"].statusline == uri[len(server.base_url):] + " HTTP/1.1"
    assert article["http"].get_header("Host") == server.base_url.removeprefix("http://")


def test_repeated_payloads_are_revisits_of_the_first_capture(recrawled, warc_file, query):
    _, db = recrawled
    records = read_records(warc_file)
    responses = {r["warc"]["WARC-Record-ID"]: r for r in records if r["type"] == "response"}
    revisits = [r for r in records if r["type"] == "revisit"]
    repeated = query(db, "SELECT count(*) - count(DISTINCT sha256) FROM snapshots WHERE size > 0")[0][0]
    assert repeated > 0 and len(revisits) == repeated
    for revisit in revisits:
        headers = revisit["warc"]
        original = responses[headers["WARC-Refers-To"]]
        assert headers["WARC-Profile"] == "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest"
        assert headers["WARC-Payload-Digest"] == original["warc"]["WARC-Payload-Digest"]
        assert headers["WARC-Refers-To-Target-URI"] == original["warc"]["WARC-Target-URI"]
        assert headers["WARC-Refers-To-Date"] == original["warc"]["WARC-Date"] < headers["WARC-Date"]


def test_warc_since_keeps_later_captures_and_makes_them_responses(recrawled, tmp_path, cli, query):
    _, db = recrawled
    (second_crawl_start,), = query(db, "SELECT max(started_at) FROM crawls")
    path = tmp_path / "later.warc.gz"
    cli("warc", "--db", str(db), str(path), "--since", second_crawl_start)
    records = read_records(path)
    later = query(db, "SELECT count(*) FROM snapshots WHERE fetched_at >= ?", second_crawl_start)[0][0]
    assert len([r for r in records if r["type"] == "request"]) == later
    assert not [r for r in records if r["type"] == "revisit"]  # each payload appears once within one crawl


def test_warc_since_a_china_time_compares_the_fetch_instant(recrawled, tmp_path, cli, query):
    _, db = recrawled
    (second_crawl_start,), = query(db, "SELECT max(started_at) FROM crawls")
    china_time = datetime.fromisoformat(second_crawl_start.replace("Z", "+00:00")).astimezone(timezone(timedelta(hours=8)))
    utc_path, china_path = tmp_path / "utc.warc.gz", tmp_path / "china.warc.gz"
    cli("warc", "--db", str(db), str(utc_path), "--since", second_crawl_start)
    cli("warc", "--db", str(db), str(china_path), "--since", china_time.isoformat(timespec="milliseconds"))
    request_uris = [[r["warc"]["WARC-Target-URI"] for r in read_records(path) if r["type"] == "request"]
                    for path in (utc_path, china_path)]
    assert request_uris[0] and request_uris[0] == request_uris[1]


def test_warc_rejects_a_since_that_is_not_a_date_or_time(recrawled, tmp_path, cli):
    _, db = recrawled
    result = cli("warc", "--db", str(db), str(tmp_path / "x.warc.gz"), "--since", "nonsense", check=False)
    assert result.returncode == 2 and "not a date or time: 'nonsense'" in result.stderr
    assert not (tmp_path / "x.warc.gz").exists()


# Captures out -------------------------------------------------------------------------

def test_capture_writes_the_latest_capture_as_received_or_decompressed(recrawled, tmp_path, cli, query):
    server, db = recrawled
    url = server.start_url
    (latest_id,), = query(db, "SELECT max(id) FROM snapshots WHERE url = ?", url)
    archive = Archive(db)
    try:
        stored = archive.capture_body(latest_id)
    finally:
        archive.close()
    out = tmp_path / "list.html"
    result = cli("capture", "--db", str(db), url, "-o", str(out))
    assert out.read_bytes() == stored and stored.startswith(b"\x1f\x8b")
    assert f"Wrote {len(stored)} bytes of {url}" in result.stderr
    decompressed = cli("capture", "--db", str(db), url, "--decompress").stdout_bytes
    assert decompressed == gzip.decompress(stored) and b"<html" in decompressed.lower()


def test_capture_at_a_time_picks_the_capture_then(recrawled, tmp_path, cli, query):
    server, db = recrawled
    url = server.start_url
    (first_id, first_at), _ = query(db, "SELECT id, fetched_at FROM snapshots WHERE url = ? ORDER BY id", url)
    out = tmp_path / "first.html"
    cli("capture", "--db", str(db), url, "--at", first_at, "-o", str(out))
    archive = Archive(db)
    try:
        assert out.read_bytes() == archive.capture_body(first_id)
    finally:
        archive.close()
    too_early = cli("capture", "--db", str(db), url, "--at", "2000-01-01", check=False)
    assert too_early.returncode == 2 and f"at or before 2000-01-01 (first capture: {first_at})" in too_early.stderr
    unknown = cli("capture", "--db", str(db), url + "&x=1", check=False)
    assert unknown.returncode == 2 and "no capture of" in unknown.stderr


def test_the_capture_command_still_answers_to_its_earlier_name(recrawled, cli):
    server, db = recrawled
    url = server.start_url
    assert cli("snapshot", "--db", str(db), url).stdout_bytes == cli("capture", "--db", str(db), url).stdout_bytes
    listed = cli("--help").stdout
    assert "  capture " in listed and "snapshot" not in listed


def test_a_damaged_archive_or_a_file_that_is_none_is_a_one_line_error(recrawled_copy, tmp_path, cli, query):
    db = recrawled_copy
    corrupt_a_page_of(db, "documents", PAGE_HEADER)
    result = cli("export", "--db", str(db), check=False)
    assert result.returncode == exit_codes.DAMAGED and result.exception.__class__ is SystemExit
    assert result.stderr == f"Error: {db} is damaged: database disk image is malformed (npc-archive verify says where)\n"
    not_a_database = tmp_path / "notes.db"
    not_a_database.write_text("not SQLite at all\n" * 20)
    result = cli("verify", "--db", str(not_a_database), check=False)
    assert (result.returncode, result.stderr) == (exit_codes.DAMAGED, f"Error: {not_a_database} is not an archive (not an SQLite file)\n")
