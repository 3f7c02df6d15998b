"""What the crawl writes to the archive, in whichever process writes it: captures, and the items
the spider yields (documents, removals, files, failures).

A write the archive refuses (disk full, a lock held past the busy timeout, a value SQLite
cannot hold) is a failure of its page, recorded if the archive still takes that, and counted
in any case as a lost write (the run exits WRITE_FAILED). The page stays unarchived, so the
next run fetches it. Every write is its own transaction (in the writer process, a savepoint of
a batch's transaction): a kill loses at most the writes not yet committed, which were not
acknowledged either.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field

from archive import Archive
from archive.revisions import content_hash, revision_record
from parsers import DocumentRecord, join_parts
from spiders.items import DocumentItem, FailureItem, FileItem, RemovalItem, error_text
from spiders.reading import UNREADABLE_CAPTURE, ArticleReading, read_archived, read_article_page

Item = DocumentItem | RemovalItem | FileItem | FailureItem


@dataclass
class Figures:
    """What writes did to a crawl's stats: counts to add, and the writes that were lost (what, why)."""

    counts: Counter = field(default_factory=Counter)
    lost: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: Figures) -> None:
        self.counts.update(other.counts)
        self.lost.extend(other.lost)

    def __bool__(self) -> bool:
        return bool(self.counts or self.lost)


@dataclass
class StoredCapture:
    """The answer to a capture: its id and the bytes it took, or why it was not stored."""

    capture_id: int | None
    stored: int = 0
    error: str | None = None


class ArchiveWrites:
    """The crawl's writes to one archive."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.records: dict[int, DocumentRecord] = {}  # capture id -> the record read from it, until its item comes

    def read(self, capture_id: int, body: bytes, url: str, content_type: str | None) -> ArticleReading:
        """Read an article page for the spider, keeping its record for the item that will name the capture."""
        reading, record = read_article_page(body, url, content_type)
        if record is not None:
            self.records[capture_id] = record
        return reading

    def capture(self, crawl_id: int | None, fields: dict) -> StoredCapture:
        try:
            capture_id, stored = self.archive.add_capture(**fields, crawl_id=crawl_id)
        except Exception as error:  # noqa: BLE001 (any lost write is counted, never dropped)
            return StoredCapture(None, error=error_text(error))
        return StoredCapture(capture_id, stored)

    def item(self, crawl_id: int | None, item: Item) -> Figures:
        figures = Figures()
        if isinstance(item, FailureItem):
            self._failure(crawl_id, item, figures)
            return figures
        try:
            self._store(crawl_id, item, figures)
        except Exception as error:  # noqa: BLE001 (any lost write is counted, never dropped)
            figures.add(self.lost(crawl_id, item, error))
        return figures

    def lost(self, crawl_id: int | None, item: DocumentItem | RemovalItem | FileItem, error: BaseException) -> Figures:
        """The figures of a write that failed: counted as lost, and recorded as its page's failure
        if the archive still takes that."""
        figures = Figures()
        url, page_kind = _page_of(item)
        figures.lost.append((url, error_text(error)))
        self._failure(crawl_id, FailureItem(url=url, reason=write_failure_reason(error), detail=error_text(error),
                                            capture_id=item.capture_id, page_kind=page_kind,
                                            column_kind=getattr(item, "column_kind", None),
                                            column_url=getattr(item, "column_url", None)), figures)
        return figures

    def failure_of_unstored(self, item: Item, error: str) -> FailureItem:
        """What an item whose capture was not stored becomes: its page's write failure (a failure
        keeps its own reason, without the capture)."""
        if isinstance(item, FailureItem):
            return item
        url, page_kind = _page_of(item)
        return FailureItem(url=url, reason="write_failed", detail=f"the capture could not be written: {error}",
                           page_kind=page_kind, column_kind=getattr(item, "column_kind", None),
                           column_url=getattr(item, "column_url", None))

    def _store(self, crawl_id: int | None, item: DocumentItem | RemovalItem | FileItem, figures: Figures) -> None:
        archive = self.archive
        if isinstance(item, DocumentItem):
            pages = [item.record, *item.part_records] if item.record is not None else \
                [self.records.pop(capture_id, None) for capture_id in (item.capture_id, *item.part_capture_ids)]
            if None in pages:
                raise LookupError(f"no record was read from capture {item.capture_id}")
            record = join_parts(pages)
            if item.read_elsewhere:
                record = {**record, **item.read_elsewhere}
            record = archive.with_listed_date(record)  # as it is saved: compared with the archived one as that
            if self._reread_with_this_parser(record):
                figures.counts["npc/documents/reread"] += 1
            outcome = archive.save_document(record, capture_id=item.capture_id, crawl_id=crawl_id,
                                            list_title=item.list_title, column_kind=item.column_kind, column_url=item.column_url)
            figures.counts[f"npc/documents/{outcome}"] += 1
        elif isinstance(item, RemovalItem):
            outcome = archive.mark_removed(item.url, capture_id=item.capture_id, crawl_id=crawl_id)
            if outcome is None:  # never archived: a listed link that leads nowhere, reported once
                first = archive.record_listed_gone(item.url, reason=item.reason, list_title=item.list_title,
                                                   listed_at=item.listed_at, capture_id=item.capture_id, crawl_id=crawl_id,
                                                   column_kind=item.column_kind, column_url=item.column_url)
                if first:
                    listed = f"listed as {item.list_title!r} ({item.listed_at or 'no date'}); " if item.list_title else ""
                    self._failure(crawl_id, FailureItem(url=item.url, reason=item.reason,
                                                        detail=f"{listed}{item.detail}".strip("; "),
                                                        capture_id=item.capture_id, page_kind="article",
                                                        column_kind=item.column_kind, column_url=item.column_url), figures)
            else:
                figures.counts[f"npc/documents/{outcome}"] += 1
        elif isinstance(item, FileItem):
            archive.link_file(crawl_id=crawl_id, **asdict(item))
            figures.counts[f"npc/files/{item.kind}"] += 1

    def _reread_with_this_parser(self, record: DocumentRecord) -> bool:
        """Before a record that differs from the archived one is saved, re-read the archived
        capture with this parser, as ``reparse`` does (a revision without a crawl, no event):
        what an upgrade reads differently in the same bytes is no edit of the site, and only
        what the site changed becomes a change. True if the archived record was re-read so."""
        archived = self.archive.parsed_document(record["url"])
        if archived is None or archived[0] == content_hash(revision_record(record)):
            return False
        try:
            reread = read_archived(self.archive, record["url"], archived[1])
        except UNREADABLE_CAPTURE:
            return False  # the new record is compared with the archived one as it stands
        return reread is not None and self.archive.reparse_document(reread, capture_id=archived[1])

    def _failure(self, crawl_id: int | None, item: FailureItem, figures: Figures) -> None:
        for capture_id in (item.capture_id, *item.part_capture_ids):
            self.records.pop(capture_id, None)  # the page read was not archived (another column, cut short)
        if item.page_kind == "counter" and item.reason == "robots_forbidden":
            # The site's policy, not a failure (DedeCMS's robots.txt forbids its /plus/count.php):
            # recorded, so that no later run asks again, and told apart in the run's summary.
            figures.counts["npc/counters_forbidden"] += 1
        else:
            figures.counts[f"npc/failures/{item.reason}"] += 1
            figures.counts["npc/failures"] += 1
        try:
            self.archive.record_failure(crawl_id=crawl_id, **{name: value for name, value in asdict(item).items()
                                                              if name != "part_capture_ids"})
        except Exception as error:  # noqa: BLE001
            # Nothing more to write it to: the count fails the run, and what the page would
            # have stored is unknown to the archive, so the next run fetches it.
            figures.lost.append((f"the failure of {item.url} ({item.reason})", error_text(error)))


def write_failure_reason(error: BaseException) -> str:
    """Why a write to the archive failed: a value SQLite cannot hold, or the write itself
    (disk full, a lock held past the busy timeout, an I/O error)."""
    return "value_out_of_range" if isinstance(error, OverflowError) else "write_failed"


def page_url(item: Item) -> str:
    """The URL of the page whose write ``item`` is: what the next run fetches if it is lost."""
    return item.url if isinstance(item, FailureItem) else _page_of(item)[0]


def _page_of(item: DocumentItem | RemovalItem | FileItem) -> tuple[str, str]:
    """The URL and page kind a lost write leaves to fetch again."""
    if isinstance(item, DocumentItem):
        return item.url or item.record["url"], "article"
    if isinstance(item, RemovalItem):
        return item.url, "article"
    return item.url, item.kind
