"""Files written by `warc`, `export -o` and `capture -o` appear whole or not at all: a run
killed or failing mid-write leaves the old file as it was and nothing under the final name."""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from random import Random

import pytest
from click.testing import CliRunner

from archive import Archive
from npc_archive import analyst, archivist, exit_codes, output
from npc_archive.cli import main

OLD = b"the previous export, which must survive\n"


@pytest.fixture(scope="module")
def large_archive(tmp_path_factory) -> Path:
    """Captures with incompressible bodies: its WARC takes a second or two to write."""
    db = tmp_path_factory.mktemp("large") / "archive.db"
    archive = Archive(db)
    random = Random(11)
    for number in range(500):
        archive.add_capture(url=f"http://jjrd.example/UploadFiles/{number}.doc", status=200,
                             headers=[("Content-Type", "application/msword")], body=random.randbytes(64 * 1024))
    archive.close()
    return db


def partial_files(folder: Path, name: str) -> list[Path]:
    return sorted(folder.glob(f".{name}.*.part"))


def test_a_warc_killed_mid_write_leaves_the_old_file_intact(large_archive, tmp_path):
    target = tmp_path / "archive.warc.gz"
    target.write_bytes(OLD)
    process = subprocess.Popen([sys.executable, "-m", "npc_archive", "warc", "--db", str(large_archive), str(target)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not any(part.stat().st_size > 1024 * 1024 for part in partial_files(tmp_path, target.name)):
            assert process.poll() is None and time.monotonic() < deadline, "the WARC was never seen half-written"
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert process.returncode == -signal.SIGKILL  # killed while writing, not finished
    assert target.read_bytes() == OLD
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".part")] == [target.name]
    # The next run replaces the old file and removes the partial file the killed one left.
    [left_by_the_kill] = partial_files(tmp_path, target.name)
    aged = time.time() - output.ABANDONED_AFTER_SECONDS - 1
    os.utime(left_by_the_kill, (aged, aged))
    result = CliRunner().invoke(main, ["warc", "--db", str(large_archive), str(target)])
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"\x1f\x8b") and partial_files(tmp_path, target.name) == []


def test_a_write_leaves_the_partial_file_of_a_write_still_under_way(tmp_path):
    target = tmp_path / "export.csv"
    under_way = tmp_path / ".export.csv.abc123.part"
    under_way.write_bytes(b"half")
    aged = time.time() - output.ABANDONED_AFTER_SECONDS - 1
    os.utime(under_way, (aged, aged))
    with open(under_way, "rb") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as its writer holds it
        with output.replacing(target) as stream:
            stream.write(b"whole")
    assert target.read_bytes() == b"whole"
    assert partial_files(tmp_path, target.name) == [under_way]


def test_a_recent_unlocked_partial_file_is_left_alone(tmp_path):
    target = tmp_path / "export.csv"
    just_made = tmp_path / ".export.csv.abc123.part"  # its writer may not have locked it yet
    just_made.write_bytes(b"")
    with output.replacing(target) as stream:
        stream.write(b"whole")
    assert partial_files(tmp_path, target.name) == [just_made]


def full_disk_after(writes: int):
    """A write function that fails as a full disk does after ``writes`` chunks."""
    def write(archive, stream, *args, **kwargs):
        for _ in range(writes):
            stream.write(b"x" * 100 if "b" in stream.mode else "x" * 100)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    return write


@pytest.mark.parametrize("command, module, function", [
    (["warc", "{target}"], archivist, "write_warc"),
    (["export", "-o", "{target}"], analyst, "write_export"),
    (["export", "--excel", "-o", "{target}"], analyst, "write_export"),
])
def test_a_full_disk_is_a_one_line_error_and_the_old_file_survives(large_archive, tmp_path, monkeypatch,
                                                                   command, module, function):
    monkeypatch.setattr(module, function, full_disk_after(3))
    target = tmp_path / "out"
    target.write_bytes(OLD)
    arguments = [argument.format(target=target) for argument in command]
    result = CliRunner().invoke(main, [*arguments, "--db", str(large_archive)])
    assert result.exit_code == exit_codes.CANNOT_WRITE
    assert result.output == f"Error: cannot write {target}: No space left on device\n"
    assert target.read_bytes() == OLD and list(tmp_path.iterdir()) == [target]


def test_an_output_in_a_missing_folder_is_a_one_line_error(large_archive, tmp_path):
    target = tmp_path / "no such folder" / "out.warc.gz"
    result = CliRunner().invoke(main, ["warc", "--db", str(large_archive), str(target)])
    assert result.exit_code == exit_codes.CANNOT_WRITE
    assert result.output == f"Error: cannot write {target}: No such file or directory\n"


def test_a_replaced_file_keeps_its_permissions_and_a_new_one_gets_the_usual_ones(large_archive, tmp_path):
    kept, new = tmp_path / "kept.jsonl", tmp_path / "new.jsonl"
    kept.write_bytes(OLD)
    kept.chmod(0o640)
    for target in (kept, new):
        result = CliRunner().invoke(main, ["export", "--db", str(large_archive), "--table", "captures", "-o", str(target)])
        assert result.exit_code == 0, result.output
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and stat.S_IMODE(new.stat().st_mode) == 0o666 & ~umask
    assert kept.read_text(encoding="utf-8").count("\n") == 500


def test_a_link_is_followed_and_a_pipe_is_written_as_it_is(large_archive, tmp_path):
    real, link, pipe = tmp_path / "real.jsonl", tmp_path / "link.jsonl", tmp_path / "pipe"
    real.write_bytes(OLD)
    link.symlink_to(real)
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    for target in (link, pipe):
        result = CliRunner().invoke(main, ["export", "--db", str(large_archive), "--table", "captures", "-o", str(target)])
        assert result.exit_code == 0, result.output
    reader.join(timeout=60)
    assert link.is_symlink() and real.read_bytes().count(b"\n") == 500
    assert stat.S_ISFIFO(pipe.stat().st_mode) and received == [real.read_bytes()]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.jsonl", "pipe", "real.jsonl"]
