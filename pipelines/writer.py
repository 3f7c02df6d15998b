"""Who writes the crawl's captures and items to the archive: this process, or one writer
process beside it (setting ARCHIVE_WRITER, ``process`` or ``inline``).

With many sites the crawl is bound by the one thread Scrapy runs on; packing and writing a
capture or a document costs that thread as much as Scrapy's own work for the page. The writer
process takes it onto another core: the crawl process pickles what it would have written onto
a pipe and goes on downloading. One writer serves every crawler of the process that writes to
the same archive (``crawl --all``), so the archive keeps one writer; each crawler is a channel
of it, whose figures come back to that crawler's stats.

The crawl process names a capture by a token, the number of its message, and goes on; the
writer maps tokens to the archive's ids, and turns an item whose capture it could not store
into that page's write failure, so that no document is archived without its bytes. It also
reads the article pages (spiders/reading.py), keeping each record until its item comes. It
writes in the order it is sent, in batches (pipelines/writer_process.py), ignores Ctrl-C (the crawl
process ends the run and then closes the pipe) and, when the crawl process dies, finishes what
it was sent and exits on the pipe's end. If the writer dies, what it had not acknowledged is
counted as lost writes: the run exits WRITE_FAILED and the next run fetches those pages.
"""

from __future__ import annotations

import fcntl
import io
import os
import pickle
import select
import subprocess
import sys
from collections import deque
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import BinaryIO
from weakref import WeakKeyDictionary

from scrapy.crawler import Crawler
from twisted.internet.defer import Deferred, succeed

from archive import Archive
from pipelines.writes import ArchiveWrites, Figures, Item, StoredCapture, page_url
from spiders.reading import ArticleReading, Reading
from spiders.session import WRITER_MODES, ArchiveSession

PROCESS, INLINE = WRITER_MODES
PIPE_BUFFER = 1 << 16
# Linux's fcntl to size a pipe (Python 3.10 names it fcntl.F_SETPIPE_SZ), and the size asked for.
F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", 1031)
PIPE_SIZE = 1 << 20
WRITE_BATCH = 512  # messages a write takes at most (Linux's IOV_MAX is 1024)

Apply = Callable[[Figures], None]


class InlineWriter:
    """Writes in the crawl process, on Scrapy's thread, through the session's own archive."""

    def __init__(self, archive: Archive, crawl_id: int | None, apply: Apply) -> None:
        self.writes, self.crawl_id, self.apply = ArchiveWrites(archive), crawl_id, apply

    def capture(self, fields: dict, then: Callable[[StoredCapture], None]) -> StoredCapture:
        """Stored at once: the capture's id, or why it was not stored."""
        stored = self.writes.capture(self.crawl_id, fields)
        then(stored)
        return stored

    def item(self, item: Item) -> None:
        self.apply(self.writes.item(self.crawl_id, item))

    def close(self) -> Deferred:
        return succeed(None)


class WriterProcess:
    """The crawl process's end of one writer process: messages out on its stdin, answers in on
    its stdout, both pipes non-blocking and served by the reactor on Scrapy's thread. No thread
    of ours shares the GIL with the reactor: every time the reactor released it (a socket's
    read, gunzip), a sender or receiver thread could take it and the reactor waited to get it
    back (7% of the crawl process's samples, BENCHMARKS.md part 2)."""

    def __init__(self, db: str, busy_timeout: float) -> None:
        # Imported here: importing the reactor installs one, and Scrapy installs its own first.
        from twisted.internet import reactor

        self.reactor = reactor
        # The child imports our packages from where this process found them (an egg on Scrapyd, a checkout).
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
        self.process = subprocess.Popen([sys.executable, "-m", "pipelines.writer_process", db, str(busy_timeout)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, env=environment)
        self.channels: dict[int, Apply] = {}
        self.closed_channels: set[int] = set()
        self.next_channel = 0
        self.sent = 0
        # A capture's, a reading's or a flush's number -> what to do with its answer, and what
        # to do instead if the writer stops first.
        self.waiting: dict[int, tuple[Callable[[object], None], Callable[[str], None]]] = {}
        self.unacknowledged: deque[tuple[int, int, Item]] = deque()  # items sent, not yet known written
        self.closing = False
        self.stopped: str | None = None  # why the writer is gone
        self.ended = Deferred()
        self.requests = _Pipe(self.process.stdin, self._write)
        self.answers = _Pipe(self.process.stdout, self._read)
        self.unsent: deque[bytes | memoryview] = deque()  # messages not yet (wholly) written
        self.write_due = False  # a write is scheduled, or waits for the pipe to take more
        self.received = bytearray()  # the start of an answer not wholly received
        reactor.addReader(self.answers)

    def open_channel(self, apply: Apply) -> int:
        self.next_channel += 1
        self.channels[self.next_channel] = apply
        return self.next_channel

    def _post(self, kind: str, *payload: object) -> int:
        number = self.sent
        self.sent += 1
        if self.requests.fd < 0:  # the writer is gone, and _read says so
            return number
        self.unsent.append(pickle.dumps((kind, number, *payload), protocol=pickle.HIGHEST_PROTOCOL))
        if not self.write_due:
            # Written at the reactor's next turn, with whatever else this turn sends: one write
            # wakes the writer for many messages.
            self.write_due = True
            if self.reactor.running:
                self.reactor.callLater(0, self._write)
            else:
                self._write()
        return number

    def capture(self, channel: int, crawl_id: int | None, fields: dict, then: Callable[[StoredCapture], None]) -> int:
        """The capture's token: the number the writer knows it by, until it has its id."""
        if self.stopped:
            then(StoredCapture(None, error=self.stopped))
            self.sent += 1  # a token nothing will resolve: the items naming it are lost writes
            return self.sent - 1
        token = self._post("capture", channel, crawl_id, fields)
        self.waiting[token] = (then, lambda why: then(StoredCapture(None, error=why)))
        return token

    def read(self, token: int | None, body: bytes, url: str, content_type: str | None) -> Deferred:
        """The reading of an article page; the writer keeps its record for the page's item."""
        if self.stopped:
            return succeed(_unread(self.stopped))
        answered = Deferred()

        def on_answer(reading: object) -> None:
            if isinstance(reading, Exception):  # the parser's own fault, raised in the spider as it would be inline
                answered.errback(reading)
            else:
                answered.callback((reading, None))
        self.waiting[self._post("read", token, body, url, content_type)] = (
            on_answer, lambda why: answered.callback(_unread(why)))
        return answered

    def item(self, channel: int, crawl_id: int | None, item: Item) -> None:
        if self.stopped:
            self.channels[channel](Figures(lost=[(page_url(item), self.stopped)]))
            return
        self.unacknowledged.append((self._post("item", channel, crawl_id, item), channel, item))

    def flush(self) -> Deferred:
        """Fires once the writer has written everything sent before."""
        if self.stopped:
            return succeed(None)
        flushed = Deferred()
        self.waiting[self._post("flush")] = (flushed.callback, lambda _: flushed.callback(None))
        return flushed

    def close_channel(self, channel: int) -> Deferred:
        """Fires once the channel's writes are in the archive; its figures are applied until then."""
        self.closed_channels.add(channel)
        if not set(self.channels) <= self.closed_channels:
            return self.flush().addCallback(lambda _: self.channels.pop(channel, None))
        self._close_requests()  # the last channel: the writer finishes and exits
        return self.ended

    # The pipes, on Scrapy's thread (or the main thread once the reactor has stopped) ----------

    def _close_requests(self) -> None:
        self.closing = True  # a crawler starting later gets a writer of its own
        if not self.unsent:
            self.requests.close()  # else once the last message is written

    def _write(self) -> None:
        """Write what the requests pipe takes now; the reactor calls again once it takes more."""
        unsent = self.unsent
        try:
            while unsent:
                batch = list(islice(unsent, WRITE_BATCH))
                written = os.writev(self.requests.fd, batch)
                for message in batch:
                    if written < len(message):
                        unsent[0] = memoryview(message)[written:]
                        break
                    written -= len(message)
                    unsent.popleft()
                else:
                    continue
                break  # the pipe is full
        except BlockingIOError:
            pass
        except OSError:  # the writer is gone: _read says so at the answers' end
            unsent.clear()
            self.closing = True
        self.write_due = bool(unsent)
        if self.write_due != self.requests.watched:
            self.requests.watched = self.write_due
            (self.reactor.addWriter if self.write_due else self.reactor.removeWriter)(self.requests)
        if self.closing and not unsent:
            self.requests.close()

    def _read(self) -> None:
        """Take in what the answers pipe holds, and act on the whole answers in it, in order."""
        ended = False
        while not ended:
            try:
                chunk = os.read(self.answers.fd, PIPE_BUFFER)
            except BlockingIOError:
                break
            except OSError:
                chunk = b""
            self.received += chunk
            ended = not chunk
        answers = io.BytesIO(self.received)
        done = 0
        while done < len(self.received):
            try:
                answer = pickle.load(answers)
            except (EOFError, pickle.UnpicklingError):  # the rest of it is still on its way
                break
            done = answers.tell()
            self._answer(answer)
        del self.received[:done]
        if ended:
            self.reactor.removeReader(self.answers)
            self.answers.close()
            self._reap()

    def _reap(self) -> None:
        """The answers' end: the writer is exiting. Once it has, what it did not answer is lost."""
        status = self.process.poll()
        if status is None and self.reactor.running:
            self.reactor.callLater(0.01, self._reap)
            return
        self._stop(f"the archive writer stopped (exit status {self.process.wait()})")

    def finish(self, given_up: Callable[[], bool]) -> None:
        """With the reactor stopped (Scrapy stops it early when Ctrl-C comes while a crawl
        closes): let the writer write what it was sent and apply its answers here, so that the
        crawl row counts them; ``given_up`` (a second Ctrl-C) stops the wait."""
        if not self.closing:
            self._close_requests()
        while self.answers.fd >= 0 and not given_up():
            pending = [self.requests] if self.unsent and self.requests.fd >= 0 else []
            readable, writable, _ = select.select([self.answers], pending, [], 0.1)
            if writable:
                self._write()
            if readable:
                self._read()

    def _answer(self, answer: tuple) -> None:
        kind = answer[0]
        if kind == "figures":
            _, channel, figures = answer
            if channel in self.channels:
                self.channels[channel](figures)
            return
        if kind == "ended":
            self.unacknowledged.clear()
            return
        _, number, result = answer
        while kind != "read" and self.unacknowledged and self.unacknowledged[0][0] < number:
            self.unacknowledged.popleft()  # written: the writer answers a capture or a flush once it has committed what came before
        on_answer, _ = self.waiting.pop(number)
        on_answer(result)

    def _stop(self, why: str) -> None:
        if self.stopped:
            return
        self.stopped = why
        for _, on_stop in self.waiting.values():
            on_stop(why)
        self.waiting.clear()
        for _, channel, item in self.unacknowledged:
            if channel in self.channels:
                self.channels[channel](Figures(lost=[(page_url(item), why)]))
        self.unacknowledged.clear()
        self.ended.callback(None)


class _Pipe:
    """One end of a pipe to the writer, non-blocking, as the reactor watches it: ``ready`` is
    called when it can be read (or written)."""

    def __init__(self, file: BinaryIO, ready: Callable[[], None]) -> None:
        self.file, self.fd, self.ready = file, file.fileno(), ready
        self.watched = False  # by the reactor, for writing
        os.set_blocking(self.fd, False)
        try:  # a larger pipe: fewer partial writes and wake-ups (Linux; a smaller limit is left as is)
            fcntl.fcntl(self.fd, F_SETPIPE_SZ, PIPE_SIZE)
        except (OSError, AttributeError):
            pass

    def fileno(self) -> int:
        return self.fd

    def doRead(self) -> None:
        self.ready()

    doWrite = doRead

    def close(self) -> None:
        if self.fd >= 0:
            self.fd = -1
            self.file.close()

    def connectionLost(self, reason: object) -> None:
        # The other end closed (Twisted's epoll reactor says so instead of calling doRead):
        # the read or write that follows meets the end, as it would have.
        if self.fd >= 0:
            self.ready()
        self.close()

    def logPrefix(self) -> str:
        return "archive-writer"


def _unread(why: str) -> Reading:
    """A page the writer stopped before reading: the spider records a write failure, counted as a lost write."""
    return ArticleReading(error=("write_failed", f"not read: {why}")), None


class WriterChannel:
    """One crawler's use of the shared writer process."""

    def __init__(self, writer: WriterProcess, crawl_id: int | None, apply: Apply) -> None:
        self.writer, self.crawl_id, self.apply = writer, crawl_id, apply
        self.channel = writer.open_channel(apply)

    def capture(self, fields: dict, then: Callable[[StoredCapture], None]) -> int:
        return self.writer.capture(self.channel, self.crawl_id, fields, then)

    def item(self, item: Item) -> None:
        self.writer.item(self.channel, self.crawl_id, item)

    def read(self, token: int | None, body: bytes, url: str, content_type: str | None) -> Deferred:
        return self.writer.read(token, body, url, content_type)

    def close(self) -> Deferred:
        """Fires once this crawler's writes are in the archive."""
        return self.writer.close_channel(self.channel)


_writers: dict[str, WriterProcess] = {}
_crawl_writers: WeakKeyDictionary[Crawler, InlineWriter | WriterChannel] = WeakKeyDictionary()


def crawl_writer(crawler: Crawler, session: ArchiveSession) -> InlineWriter | WriterChannel:
    """The crawl's writer, made at the first call (the capture recorder's or the pipeline's);
    its figures go to the crawl's stats, its lost writes to the session."""
    writer = _crawl_writers.get(crawler)
    if writer is None:
        settings = crawler.settings
        writer = _crawl_writers[crawler] = open_writer(
            settings.get("ARCHIVE_WRITER") or INLINE, settings.get("ARCHIVE_DB"), settings.getfloat("ARCHIVE_BUSY_TIMEOUT"),
            session.archive, session.crawl_id, lambda figures: _apply(crawler, session, figures))
        if isinstance(writer, WriterChannel):
            session.read_article = writer.read
    return writer


def finish_writes(crawler: Crawler, given_up: Callable[[], bool]) -> None:
    """Wait, outside the reactor, for the writer process to have written the crawl's writes."""
    writer = _crawl_writers.get(crawler)
    if isinstance(writer, WriterChannel):
        writer.writer.finish(given_up)


def _apply(crawler: Crawler, session: ArchiveSession, figures: Figures) -> None:
    for name, count in figures.counts.items():
        crawler.stats.inc_value(name, count)
    for what, error in figures.lost:
        session.write_failed(error, what)


def open_writer(mode: str, db: str, busy_timeout: float, archive: Archive, crawl_id: int | None,
                apply: Apply) -> InlineWriter | WriterChannel:
    """The writer of one crawl: inline, or a channel of the process's writer for ``db``."""
    if mode == INLINE:
        return InlineWriter(archive, crawl_id, apply)
    if mode != PROCESS:
        raise ValueError(f"ARCHIVE_WRITER: {mode!r} is neither {PROCESS!r} nor {INLINE!r}")
    key = str(Path(db).resolve())
    writer = _writers.get(key)
    if writer is None or writer.closing or writer.stopped:
        writer = _writers[key] = WriterProcess(key, busy_timeout)
    return WriterChannel(writer, crawl_id, apply)
