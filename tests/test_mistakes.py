"""Everyday mistakes: each answers with one line naming the problem, its own exit status, no
traceback, and nothing created or changed."""

from __future__ import annotations

import hashlib
import os
import socket
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive import Archive
from archive.lock import CrawlLock
from npc_archive import exit_codes
from npc_archive.cli import main

ROOT = Path(__file__).resolve().parent.parent
URL = "http://jjrd.example/ShowArticle.asp?ArticleID=1"
START = "--start-url=http://127.0.0.1:9/list.asp?ClassID=5"


@pytest.fixture
def folder(tmp_path, monkeypatch) -> Path:
    """A working folder with an archive, a text file, a truncated archive and someone else's SQLite file."""
    monkeypatch.chdir(tmp_path)
    archive = Archive(tmp_path / "archive.db")
    for number in range(40):  # enough pages that cutting the file in half loses some
        archive.add_capture(url=f"{URL}{number}", status=200, headers=[], body=os.urandom(2000))
    archive.close()
    data = (tmp_path / "archive.db").read_bytes()
    (tmp_path / "truncated.db").write_bytes(data[: len(data) // 2])
    (tmp_path / "notes.txt").write_text("not an archive\n")
    conn = sqlite3.connect(tmp_path / "other.sqlite")
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    return tmp_path


def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under ``folder``, with its content's hash."""
    return {str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
            for path in sorted(folder.rglob("*"))}


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def assert_one_line(result, code: int, message: str) -> None:
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.output.splitlines() if line.startswith(("Error:", "npc-archive:"))]
    assert len(errors) == 1 and message in errors[0], result.output


# Every command that reads or writes an archive, with the arguments it needs.
ARCHIVE_COMMANDS = [
    ("crawl", START), ("demo",), ("crawls",), ("changes", "--since", "2020-01-01"), ("diff", URL), ("failures",),
    ("export",), ("search", "教育"), ("reindex",), ("datasette-metadata",), ("verify",), ("warc", "out.warc.gz"),
    ("capture", URL), ("serve", "--port", "0"), ("reparse",),
]


@pytest.mark.parametrize("command", ARCHIVE_COMMANDS, ids=lambda command: command[0])
@pytest.mark.parametrize(("db", "code", "message"), [
    ("notes.txt", exit_codes.DAMAGED, "notes.txt is not an archive (not an SQLite file)"),
    ("truncated.db", exit_codes.DAMAGED, "truncated.db is damaged: shorter than its header says"),
    ("other.sqlite", exit_codes.DAMAGED, "other.sqlite is an SQLite file but not an archive"),
])
def test_a_file_that_is_no_archive_is_named_and_left_alone(folder, command, db, code, message):
    before = tree(folder)
    assert_one_line(run(command[0], "--db", db, *command[1:]), code, message)
    assert tree(folder) == before  # no .lock, no -wal or -shm, no tables added


@pytest.mark.parametrize("command", [command for command in ARCHIVE_COMMANDS if command[0] not in ("crawl", "demo")],
                         ids=lambda command: command[0])
def test_a_typo_in_db_creates_neither_folders_nor_an_archive(folder, command):
    before = tree(folder)
    result = run(command[0], "--db", "archvie/archive.db", *command[1:])
    assert_one_line(result, exit_codes.NO_ARCHIVE, "no archive at archvie/archive.db (check --db or $NPC_ARCHIVE_DB)")
    assert tree(folder) == before


@contextmanager
def read_only(path: Path):
    """A file that cannot be written, even by root (who ignores permissions, but not the immutable flag)."""
    mode = path.stat().st_mode
    path.chmod(0o444)
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(mode)


# (verify still checks a read-only archive, and says it could not record the audit.)
@pytest.mark.parametrize("command", [("crawl", START), ("reindex",)], ids=lambda command: command[0])
def test_a_read_only_archive_is_refused_by_commands_that_write(folder, command):
    with read_only(folder / "archive.db"):
        before = tree(folder)
        result = run(command[0], "--db", "archive.db", *command[1:])
        after = tree(folder)
    assert_one_line(result, exit_codes.CANNOT_WRITE, "cannot write to archive.db")
    assert {name for name in after if name not in before} <= {"archive.db-wal", "archive.db-shm"}  # SQLite's own, when reading
    assert {name: after[name] for name in before} == before


def test_a_read_only_archive_can_still_be_read(folder):
    with read_only(folder / "archive.db"):
        result = run("crawls", "--db", "archive.db")
    assert result.exit_code == 0 and result.output == "No crawls in archive.db yet\n"


def test_a_new_archive_in_a_folder_that_cannot_be_written_is_refused():
    result = run("crawl", "--db", "/proc/npc-archive/archive.db", START)
    assert_one_line(result, exit_codes.CANNOT_WRITE, "cannot write to /proc/npc-archive/archive.db")


@pytest.mark.parametrize(("args", "message"), [
    (["--start-url", "www.jjrd.gov.cn/list.asp?ClassID=5"], "not an http(s) address: 'www.jjrd.gov.cn/list.asp?ClassID=5'"),
    (["--start-url", "not a url"], "not an http(s) address: 'not a url'"),
    (["--start-url", ""], "the start URL is empty (an unset variable?)"),
    (["--start-url", "ftp://127.0.0.1/list.asp"], "not an http(s) address"),
    ([START, "--log-level", "FOO"], "Invalid value for '--log-level': 'FOO' is not one of"),
    ([START, "-s", "DOWNLOAD_TIMEOUT=abc"], "DOWNLOAD_TIMEOUT='abc': expected a number"),
    ([START, "-s", "ROBOTSTXT_OBEY=perhaps"], "ROBOTSTXT_OBEY='perhaps': expected True or False"),
    ([START, "-s", "DOWNLOAD_TIMEOUT"], "expected NAME=VALUE"),
    ([START, "-s", "ARCHIVE_WRITER=threads"], "ARCHIVE_WRITER='threads': expected one of process, inline"),
])
def test_a_crawl_with_a_bad_option_writes_nothing(folder, args, message):
    before = tree(folder)
    assert_one_line(run("crawl", "--db", "new/archive.db", *args), exit_codes.USAGE, message)
    assert tree(folder) == before


def test_an_empty_start_url_variable_never_falls_back_to_the_configured_address(folder):
    # settings.py reads the variable when imported: a fresh process, as cron runs it.
    result = subprocess.run([sys.executable, "-m", "npc_archive", "crawl", "--db", "new.db"], capture_output=True, text=True,
                            cwd=folder, env={**os.environ, "NPC_ARCHIVE_START_URL": "", "PYTHONPATH": str(ROOT)})
    assert result.returncode == exit_codes.USAGE
    assert "$NPC_ARCHIVE_START_URL: the start URL is empty (an unset variable?)" in result.stderr
    assert not (folder / "new.db").exists()


@pytest.mark.parametrize("args", [
    ["export", "-o", "out/documents.jsonl"], ["warc", "out/archive.warc.gz"], ["datasette-metadata", "-o", "out/m.json"],
    ["capture", URL, "-o", "out/page.html"], ["crawl", START, "--log-file", "out/crawl.log"],
], ids=lambda args: args[0])
def test_an_output_into_a_missing_folder_is_refused_before_anything_is_done(folder, args):
    before = tree(folder)
    name = next(arg for arg in args if arg.startswith("out/"))
    assert_one_line(run(args[0], "--db", "archive.db", *args[1:]), exit_codes.CANNOT_WRITE,
                    f"cannot write {name}: No such file or directory")
    assert tree(folder) == before


@pytest.mark.parametrize(("args", "message"), [
    (["capture", URL, "--at", "yesterday"], "Invalid value for '--at': not a date or time: 'yesterday'"),
    (["search", ""], "nothing to search for in ''"),
    (["search", "  ...  "], "nothing to search for in '  ...  '"),
])
def test_bad_values_are_usage_errors(folder, args, message):
    before = tree(folder)
    assert_one_line(run(args[0], "--db", "archive.db", *args[1:]), exit_codes.USAGE, message)
    assert tree(folder) == before


# Every command naming a crawl, a document, a capture or a site: a name the archive does not
# hold is a mistaken argument, as a mistyped URL is (exit 2, nothing done), not a failed check.
@pytest.mark.parametrize(("args", "message"), [
    (["failures", "--crawl", "99"], "no crawl 99 in archive.db (see: npc-archive crawls)"),
    (["diff", URL], f"no archived document at {URL}"),
    (["capture", URL], f"no capture of {URL}"),
    (["capture", f"{URL}0", "--at", "2000-01-01"], f"no capture of {URL}0 at or before 2000-01-01 (first capture: "),
    (["followups", "link", URL, f"{URL}0"], f"no archived document {URL} in archive.db"),
    (["sites", "remove", "nowhere"], "no site named nowhere is registered"),
    (["crawl", "--site", "nowhere"], "no site named nowhere is registered (see: npc-archive sites list)"),
    (["changes", "--since", "2020-01-01", "--site", "nowhere"], "no site named nowhere in archive.db (see: npc-archive sites list)"),
    (["search", "教育", "--site", "nowhere"], "no site named nowhere in archive.db"),
    (["export", "--site", "nowhere"], "no site named nowhere in archive.db"),
], ids=lambda args: " ".join(args[:2]) if isinstance(args, list) else None)
def test_naming_what_the_archive_does_not_hold_is_a_usage_error(folder, args, message):
    before = tree(folder)
    command = args[:2] if args[0] in ("followups", "sites") else args[:1]
    assert_one_line(run(*command, "--db", "archive.db", *args[len(command):]), exit_codes.USAGE, message)
    (folder / "archive.db.lock").unlink(missing_ok=True)  # a crawl's lock file, left beside the archive by every crawl
    assert tree(folder) == before


def test_the_default_site_is_known_to_any_archive(folder):
    assert run("export", "--db", "archive.db", "--site", "default").exit_code == 0


@pytest.fixture
def busy_port():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def test_serve_on_a_busy_port_says_so(folder, busy_port):
    result = run("serve", "--db", "archive.db", "--port", str(busy_port))
    assert_one_line(result, exit_codes.PORT_BUSY, f"cannot serve on 127.0.0.1:{busy_port}: Address already in use")


def test_the_replica_on_a_busy_port_says_so(busy_port):
    result = subprocess.run([sys.executable, "-m", "replica.server", "--port", str(busy_port)], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == exit_codes.PORT_BUSY
    assert result.stderr == f"npc-replica: cannot serve on 127.0.0.1:{busy_port}: Address already in use (try another --port)\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_unreachable_start_page_is_one_line_without_scrapy_tracebacks(tmp_path):
    url = f"http://127.0.0.1:{free_port()}/list.asp?ClassID=5"
    result = subprocess.run([sys.executable, "-m", "npc_archive", "crawl", "--db", str(tmp_path / "a.db"), "--start-url", url,
                             "-s", "RETRY_TIMES=0"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == exit_codes.UNFINISHED
    assert result.stderr.splitlines() == [
        f"npc-archive: creating new archive {tmp_path / 'a.db'}",
        f"npc-archive: the crawl did not finish: no list page could be read (unreachable: {url}: Connection was refused by "
        f"other side: 111: Connection refused.) (see: npc-archive crawls --db {tmp_path / 'a.db'})",
    ]


def scrapy_crawl(folder: Path, *settings: str) -> subprocess.CompletedProcess:
    """Scrapy's own `scrapy crawl opinions` into the folder's archive, as a cron line would run it."""
    return subprocess.run(["scrapy", "crawl", "opinions", "-a", START.replace("--start-url=", "start_url="),
                           "-s", f"ARCHIVE_DB={folder / 'archive.db'}", *(arg for name in settings for arg in ("-s", name))],
                          capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"})


def test_scrapy_crawl_on_a_locked_archive_exits_75_and_writes_nothing(folder):
    before = tree(folder)
    with CrawlLock(folder / "archive.db"):
        locked = tree(folder)
        result = scrapy_crawl(folder)
        assert tree(folder) == locked
    assert result.returncode == exit_codes.LOCKED, result.stderr
    assert "The crawl cannot start:" in result.stderr and "another crawl is writing to this archive" in result.stderr
    assert "Traceback" not in result.stderr
    assert set(tree(folder)) - set(before) == {"archive.db.lock"}  # the lock taken by this test


def test_scrapy_crawl_with_an_unknown_writer_is_one_line_and_exit_2(folder):
    before = tree(folder)
    result = scrapy_crawl(folder, "ARCHIVE_WRITER=bad")
    assert result.returncode == exit_codes.USAGE, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1 and errors[0].endswith(
        "The crawl cannot start: ARCHIVE_WRITER: 'bad' is neither 'process' nor 'inline'"), result.stderr
    assert tree(folder) == before  # refused before the lock and the archive were touched
