"""The writer process itself: ``python -m pipelines.writer_process DB BUSY_TIMEOUT``, started by
pipelines/writer.py's WriterProcess, which pickles the crawl's captures, pages to read and
items onto its stdin and reads the answers on its stdout.

It imports nothing of Scrapy's or Twisted's: importing them would cost the writer almost a
second of CPU at every crawl's start, on a machine the crawl keeps busy.
"""

from __future__ import annotations

import pickle
import signal
import sys
from dataclasses import replace
from typing import BinaryIO

from archive import Archive
from pipelines.writes import ArchiveWrites, Figures, StoredCapture
from spiders.reading import ArticleReading

NO_CAPTURE = StoredCapture(None)
UNKNOWN_CAPTURE = StoredCapture(None, error="the capture is unknown to the writer")


def unstored(error: str) -> ArticleReading:
    """The reading of a page whose capture was not stored: a write failure, as UnstoredCaptures makes it inline."""
    return ArticleReading(error=("write_failed", f"the capture could not be written: {error}"))



def serve(db: str, busy_timeout: float, requests: BinaryIO, answers: BinaryIO) -> None:
    """Write what comes in on ``requests`` until it ends; answer captures and flushes in order,
    each answer preceded by the figures of the items written since the last one."""
    archive = Archive(db, busy_timeout=busy_timeout)
    writes = ArchiveWrites(archive)
    figures: dict[int, Figures] = {}
    captures: dict[int, StoredCapture] = {}  # token -> what became of the capture
    answering = True

    def answer(*message: object) -> None:
        nonlocal answering
        if not answering:
            return
        try:
            send(*message)
        except BrokenPipeError:
            answering = False  # the crawl process is gone: write what it sent, with nobody left to tell

    def send(*message: object) -> None:
        for channel, counted in figures.items():
            if counted:
                pickle.dump(("figures", channel, counted), answers, protocol=pickle.HIGHEST_PROTOCOL)
        figures.clear()
        pickle.dump(message, answers, protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()

    try:
        while True:
            try:
                kind, number, *payload = pickle.load(requests)
            except (EOFError, pickle.UnpicklingError):  # the end, or a message cut short by a kill
                answer("ended")  # everything sent is written
                break
            if kind == "capture":
                _, crawl_id, fields = payload
                captures[number] = writes.capture(crawl_id, fields)
                answer("captured", number, captures[number])
            elif kind == "read":
                token, *page = payload
                stored = captures.get(token, UNKNOWN_CAPTURE)
                try:
                    reading = writes.read(stored.capture_id, *page) if stored.error is None else unstored(stored.error)
                except Exception as error:  # noqa: BLE001 (a parser fault is the spider's error, as inline)
                    reading = error
                answer("read", number, reading)
            elif kind == "item":
                channel, crawl_id, item = payload
                stored = captures.get(item.capture_id, NO_CAPTURE) if item.capture_id is not None else NO_CAPTURE
                item = replace(item, capture_id=stored.capture_id)
                if stored.error is not None:
                    item = writes.failure_of_unstored(item, stored.error)
                figures.setdefault(channel, Figures()).add(writes.item(crawl_id, item))
            elif kind == "flush":
                answer("flushed", number, None)
    finally:
        archive.close()


def main() -> None:
    # Ctrl-C reaches the whole process group: the crawl process decides when the run ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    db, busy_timeout = sys.argv[1], float(sys.argv[2])
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but answers on the pipe
    try:
        serve(db, busy_timeout, requests, answers)
    except Exception as error:  # noqa: BLE001 (one line: the crawl counts what was not acknowledged)
        sys.exit(f"npc-archive: the archive writer stopped: {type(error).__name__}: {error}")


if __name__ == "__main__":
    main()
