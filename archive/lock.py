"""One crawl at a time per archive: an advisory lock beside the archive file.

flock() locks vanish with the process that holds them, so a crawl killed with SIGKILL
never leaves a stale lock behind."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class ArchiveLocked(RuntimeError):
    pass


class CrawlLock:
    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.path = Path(f"{db_path}.lock")
        self._file = None

    def acquire(self) -> CrawlLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise ArchiveLocked(f"another crawl is writing to this archive ({holder}); try again when it has finished") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self._file = handle
        return self

    def release(self) -> None:
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    def __enter__(self) -> CrawlLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
