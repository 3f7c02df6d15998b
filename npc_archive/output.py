"""Files the commands write (``warc``, ``export -o``, ``capture -o``): whole or not at all.

A file is written under a temporary name beside its target and renamed over it only when
complete and on disk, so a run that fails or is killed leaves the old file as it was and
never a partial file under the final name. A kill leaves its ``.NAME.*.part`` file behind;
the next write of the same name removes it, knowing its writer is gone because nobody holds the
lock every writer keeps on its temporary file.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from glob import escape as glob_escape
from pathlib import Path
from typing import IO

import click

from . import exit_codes

# A temporary file younger than this is left alone even when unlocked: its writer may not have
# taken the lock yet.
ABANDONED_AFTER_SECONDS = 10


class CannotWrite(click.ClickException):
    exit_code = exit_codes.CANNOT_WRITE


def _mode_for(target: Path) -> int:
    """The permissions of the file replaced, else those a plain open() would give."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


@contextmanager
def replacing(path: str | os.PathLike[str], mode: str = "wb", encoding: str | None = None,
              newline: str | None = None) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it becomes ``path`` (fsync, rename).
    An OSError (no such folder, a full disk) is a one-line CannotWrite. A symbolic link is
    followed; what is not a regular file (a pipe, /dev/stdout) is written as it is."""
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file():
        try:
            with open(target, mode, encoding=encoding, newline=newline) as stream:
                yield stream
        except OSError as error:
            raise CannotWrite(f"cannot write {path}: {error.strerror or error}") from error
        return
    try:
        descriptor, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as error:
        raise CannotWrite(f"cannot write {path}: {error.strerror or error}") from error
    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    _remove_abandoned(target, keep=Path(temporary))
    try:
        with open(descriptor, mode, encoding=encoding, newline=newline) as stream:
            yield stream
            stream.flush()
            os.fchmod(stream.fileno(), _mode_for(target))
            os.fsync(stream.fileno())
        os.replace(temporary, target)
        _fsync_directory(target.parent)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise CannotWrite(f"cannot write {path}: {error.strerror or error}") from error
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove_abandoned(target: Path, keep: Path) -> None:
    """Remove the temporary files of earlier writes of ``target`` that were killed."""
    for temporary in target.parent.glob(f".{glob_escape(target.name)}.*.part"):
        if temporary == keep:
            continue
        try:
            descriptor = os.open(temporary, os.O_RDONLY)
        except OSError:
            continue  # gone already, or not ours to read
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if time.time() - os.fstat(descriptor).st_mtime >= ABANDONED_AFTER_SECONDS:
                temporary.unlink(missing_ok=True)
        except OSError:
            pass  # locked: another write of the same name is under way
        finally:
            os.close(descriptor)


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
