"""Files the commands write (``warc``, ``export -o``, ``capture -o``): whole or not at all.

A file is written under a temporary name beside its target and renamed over it only when
complete and on disk, so a run that fails or is killed leaves the old file as it was and
never a partial file under the final name (only, after a kill, a ``.NAME.*.part`` file).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import click

from . import exit_codes


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


def _fsync_directory(directory: Path) -> None:
    """Make the rename itself durable."""
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
