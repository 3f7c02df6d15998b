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

import os
import pickle
import queue
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from weakref import WeakKeyDictionary

from scrapy.crawler import Crawler
from twisted.internet.defer import Deferred, succeed

from archive import Archive
from pipelines.writes import ArchiveWrites, Figures, Item, StoredCapture, page_url
from spiders.reading import ArticleReading, Reading
from spiders.session import ArchiveSession

PROCESS, INLINE = "process", "inline"
WRITER_MODES = (PROCESS, INLINE)
PIPE_BUFFER = 1 << 16

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
    its stdout, each read by a thread of its own so that Scrapy's thread never waits on the pipe."""

    def __init__(self, db: str, busy_timeout: float) -> None:
        # The child imports our packages from where this process found them (an egg on Scrapyd, a checkout).
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)}
        self.process = subprocess.Popen([sys.executable, "-m", "pipelines.writer_process", db, str(busy_timeout)],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=PIPE_BUFFER, env=environment)
        self.outbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()
        self.channels: dict[int, Apply] = {}
        self.closed_channels: set[int] = set()
        self.next_channel = 0
        self.sent = 0
        # A capture's, a reading's or a flush's number -> its Deferred, what to make of the answer
        # and what to fire the Deferred with if the writer stops first.
        self.waiting: dict[int, tuple[Deferred, Callable[[object], object], Callable[[str], object]]] = {}
        self.unacknowledged: deque[tuple[int, int, Item]] = deque()  # items sent, not yet known written
        self.closing = False
        self.stopped: str | None = None  # why the writer is gone
        self.ended = Deferred()
        threading.Thread(target=self._send, name="archive-writer-send", daemon=True).start()
        self.inbox: queue.SimpleQueue[tuple] = queue.SimpleQueue()
        self.receiver = threading.Thread(target=self._receive, name="archive-writer-receive", daemon=True)
        self.receiver.start()

    def open_channel(self, apply: Apply) -> int:
        self.next_channel += 1
        self.channels[self.next_channel] = apply
        return self.next_channel

    def _post(self, kind: str, *payload: object) -> int:
        number = self.sent
        self.sent += 1
        self.outbox.put(pickle.dumps((kind, number, *payload), protocol=pickle.HIGHEST_PROTOCOL))
        return number

    def capture(self, channel: int, crawl_id: int | None, fields: dict, then: Callable[[StoredCapture], None]) -> int:
        """The capture's token: the number the writer knows it by, until it has its id."""
        if self.stopped:
            then(StoredCapture(None, error=self.stopped))
            self.sent += 1  # a token nothing will resolve: the items naming it are lost writes
            return self.sent - 1
        token = self._post("capture", channel, crawl_id, fields)
        self.waiting[token] = (Deferred(), then, lambda why: then(StoredCapture(None, error=why)))
        return token

    def read(self, token: int | None, body: bytes, url: str, content_type: str | None) -> Deferred:
        """The reading of an article page; the writer keeps its record for the page's item."""
        if self.stopped:
            return succeed(_unread(self.stopped))
        answered = Deferred()
        self.waiting[self._post("read", token, body, url, content_type)] = (
            answered, lambda reading: (reading, None), _unread)
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
        self.waiting[self._post("flush")] = (flushed, lambda _: None, lambda _: None)
        return flushed

    def close_channel(self, channel: int) -> Deferred:
        """Fires once the channel's writes are in the archive; its figures are applied until then."""
        self.closed_channels.add(channel)
        if not set(self.channels) <= self.closed_channels:
            return self.flush().addCallback(lambda _: self.channels.pop(channel, None))
        self.closing = True  # a crawler starting later gets a writer of its own
        self.outbox.put(None)  # the last channel: the writer finishes and exits
        return self.ended

    # Threads --------------------------------------------------------------------------------

    def _send(self) -> None:
        pipe = self.process.stdin
        try:
            while (message := self.outbox.get()) is not None:
                pipe.write(message)
                if self.outbox.empty():
                    pipe.flush()
            pipe.close()
        except OSError:
            pass  # the writer is gone: _receive says so

    def _receive(self) -> None:
        # Imported here: importing the reactor installs one, and Scrapy installs its own first.
        from twisted.internet import reactor

        answers = self.process.stdout
        try:
            while True:
                self.inbox.put(pickle.load(answers))
                reactor.callFromThread(self.deliver)
        except (EOFError, OSError, pickle.UnpicklingError):
            pass
        status = self.process.wait()
        self.inbox.put(("stopped", f"the archive writer stopped (exit status {status})"))
        reactor.callFromThread(self.deliver)

    # On Scrapy's thread (or the main thread once the reactor has stopped) ---------------------

    def deliver(self) -> None:
        """Act on the answers received so far, in order."""
        while True:
            try:
                answer = self.inbox.get_nowait()
            except queue.Empty:
                return
            if answer[0] == "stopped":
                self._stop(answer[1])
            else:
                self._answer(answer)

    def finish(self, given_up: Callable[[], bool]) -> None:
        """With the reactor stopped (Scrapy stops it early when Ctrl-C comes while a crawl
        closes): let the writer write what it was sent and apply its answers here, so that the
        crawl row counts them; ``given_up`` (a second Ctrl-C) stops the wait."""
        if not self.closing:
            self.closing = True
            self.outbox.put(None)
        while self.receiver.is_alive() and not given_up():
            self.receiver.join(0.1)
        self.deliver()

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
        answered, on_answer, _ = self.waiting.pop(number)
        if isinstance(result, Exception):  # the parser's own fault, raised in the spider as it would be inline
            answered.errback(result)
        else:
            answered.callback(on_answer(result))

    def _stop(self, why: str) -> None:
        if self.stopped:
            return
        self.stopped = why
        for answered, _, on_stop in self.waiting.values():
            answered.callback(on_stop(why))
        self.waiting.clear()
        for _, channel, item in self.unacknowledged:
            if channel in self.channels:
                self.channels[channel](Figures(lost=[(page_url(item), why)]))
        self.unacknowledged.clear()
        self.ended.callback(None)


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
