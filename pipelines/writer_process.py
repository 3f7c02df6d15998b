"""The writer process itself: ``python -m pipelines.writer_process DB BUSY_TIMEOUT``, started by
pipelines/writer.py's WriterProcess, which pickles the crawl's captures, pages to read and
items onto its stdin and reads the answers on its stdout.

It imports nothing of Scrapy's or Twisted's: importing them would cost the writer almost a
second of CPU at every crawl's start, on a machine the crawl keeps busy.
"""

from __future__ import annotations

import io
import pickle
import select
import signal
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from typing import BinaryIO

from archive import Archive
from pipelines.writes import ArchiveWrites, Figures, StoredCapture
from spiders.items import DocumentItem, FailureItem, error_text
from spiders.reading import ArticleReading

NO_CAPTURE = StoredCapture(None)
UNKNOWN_CAPTURE = StoredCapture(None, error="the capture is unknown to the writer")


def unstored(error: str) -> ArticleReading:
    """The reading of a page whose capture was not stored: a write failure, as UnstoredCaptures makes it inline."""
    return ArticleReading(error=("write_failed", f"the capture could not be written: {error}"))


# A batch of writes is committed when the crawl has sent nothing more yet, or at this size or
# age: a commit costs more CPU than most writes (its pages written out, the search index's
# segment merged), and committing once for many writes cut the writer's CPU by a fifth.
BATCH_WRITES = 64
BATCH_SECONDS = 0.25


def serve(db: str, busy_timeout: float, requests: BinaryIO, answers: BinaryIO) -> None:
    """Write what comes in on ``requests`` until it ends. Readings are answered at once; captures
    and flushes once their batch is committed, in order, each answer preceded by the figures of
    the items before it: an answer acknowledges every write sent before it."""
    archive = Archive(db, busy_timeout=busy_timeout, batched=True)
    writes = ArchiveWrites(archive)
    captures: dict[int, StoredCapture] = {}  # token -> what became of the capture
    batch: list[tuple] = []  # since the last commit: ("capture", token) and ("item", number, channel, crawl_id, item, figures)
    started = 0.0  # when the batch's first write came
    written: deque[tuple[int, int, Figures]] = deque()  # (number, channel, figures) of items committed, not yet acknowledged
    answering = True
    waiting = _waiting(requests)

    def answer(*message: object) -> None:
        """Send an answer; but for a reading, after the figures of the committed items it
        acknowledges (those sent before it; all, for 'ended')."""
        nonlocal answering
        acknowledged: dict[int, Figures] = {}
        while message[0] != "read" and written and (len(message) == 1 or written[0][0] < message[1]):
            _, channel, figures = written.popleft()
            acknowledged.setdefault(channel, Figures()).add(figures)
        if not answering:
            return
        try:
            for channel, figures in acknowledged.items():
                if figures:
                    pickle.dump(("figures", channel, figures), answers, protocol=pickle.HIGHEST_PROTOCOL)
            pickle.dump(message, answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()
        except BrokenPipeError:
            answering = False  # the crawl process is gone: write what it sent, with nobody left to tell

    def commit() -> None:
        try:
            archive.commit()
        except Exception as error:  # noqa: BLE001 (the batch is lost: each of its writes is counted)
            lose(error)
            return
        settle()

    def settle() -> None:
        """The batch is committed, or lost and counted: answer its captures, and its items' figures
        go with the answers after them."""
        done = batch[:]
        batch.clear()
        written.extend((write[1], write[2], write[5]) for write in done if write[0] == "item")
        for write in done:
            if write[0] == "capture":
                answer("captured", write[1], captures[write[1]])

    def lose(error: BaseException) -> None:
        """The batch was rolled back: what it stored is gone, each of its writes counted as lost,
        its items recorded as their pages' failures if the archive takes that."""
        archive.rollback()
        lost_ids = set()
        for write in batch:
            if write[0] == "capture" and captures[write[1]].capture_id is not None:
                lost_ids.add(captures[write[1]].capture_id)
                writes.records.pop(captures[write[1]].capture_id, None)  # an id the next capture may take
                captures[write[1]] = StoredCapture(None, error=error_text(error))
        for position, write in enumerate(batch):
            if write[0] == "item":
                _, number, channel, crawl_id, item, _ = write
                if item.capture_id in lost_ids:
                    item = replace(item, capture_id=None)
                figures = writes.item(crawl_id, item) if isinstance(item, FailureItem) else writes.lost(crawl_id, item, error)
                batch[position] = ("item", number, channel, crawl_id, item, figures)
        try:
            archive.commit()
        except Exception:  # noqa: BLE001 (the failures are not recorded; the losses are counted all the same)
            archive.rollback()
        settle()

    try:
        while True:
            if batch and (not waiting() or len(batch) >= BATCH_WRITES or time.monotonic() - started > BATCH_SECONDS):
                commit()
            try:
                kind, number, *payload = pickle.load(requests)
            except (EOFError, pickle.UnpicklingError):  # the end, or a message cut short by a kill
                commit()
                answer("ended")  # everything sent is written
                break
            if not batch:
                started = time.monotonic()
            if kind == "capture":
                _, crawl_id, fields = payload
                captures[number] = writes.capture(crawl_id, fields)
                batch.append(("capture", number))
            elif kind == "read":
                token, *page = payload
                stored = captures.get(token, UNKNOWN_CAPTURE)
                try:
                    reading = writes.read(stored.capture_id, *page) if stored.error is None else unstored(stored.error)
                except Exception as error:  # noqa: BLE001 (a parser fault is the spider's error, as inline)
                    reading = error
                answer("read", number, reading)  # at once, the spider waits for it; it acknowledges nothing
            elif kind == "item":
                channel, crawl_id, item = payload
                stored = captures.get(item.capture_id, NO_CAPTURE) if item.capture_id is not None else NO_CAPTURE
                item = replace(item, capture_id=stored.capture_id)
                if isinstance(item, (DocumentItem, FailureItem)) and item.part_capture_ids:  # a paged article's pages
                    parts = [captures.get(token, NO_CAPTURE) if token is not None else NO_CAPTURE for token in item.part_capture_ids]
                    item = replace(item, part_capture_ids=[part.capture_id for part in parts])
                    stored = next((part for part in [stored, *parts] if part.error is not None), stored)
                if stored.error is not None:
                    item = writes.failure_of_unstored(item, stored.error)
                batch.append(("item", number, channel, crawl_id, item, writes.item(crawl_id, item)))
            elif kind == "flush":
                commit()
                answer("flushed", number, None)
            if archive.batch_lost:
                lose(archive.batch_lost)
    finally:
        archive.close()


def _waiting(requests: BinaryIO) -> Callable[[], bool]:
    """Whether the crawl has sent more already (a pipe with bytes in it; anything else is all there)."""
    try:
        pipe = requests.fileno()
    except (AttributeError, OSError, io.UnsupportedOperation):
        return lambda: True
    return lambda: bool(select.select([pipe], [], [], 0)[0])


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
