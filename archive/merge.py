"""Fold archives written elsewhere (the archives of Scrapyd nodes) into this one.

Every row of a source archive is matched to the central archive by its natural key, never by
its id (ids are each file's own): a crawl by its start time and arguments (start URL, mode), a
URL by its text, a header set or a blob by its SHA-256, a capture by (URL, method, fetch time,
body SHA-256), a document by its URL, a revision by (document, content hash, observation
time), an event by (document, observation time, what it says), a view count by (document,
time, count), a failure by (crawl, URL, time, reason), a listed-gone URL and a document's file by
their URLs. A row already there is not added again, so merging an archive twice changes
nothing; references (``REFERENCES`` in schema.sql) are translated to the central ids. Blobs
are content-addressed: a body already stored is not stored again, and a delta's base is
copied before it (by depth).

A document that both archives hold gets one history, as one archive crawling in both places
would have written it: the revisions of both in time order, an observation of the content
the document already had dropped (it is no revision), the events replayed in time order
(``new`` for the first content, ``changed`` for a new one, ``removed`` and ``restored`` only
where the state changes), and the document's row from the archive that saw it last.

Each source archive is merged in one transaction: a merge killed at any moment leaves the
central archive as it was before that source, and running it again completes it. A table
this module does not know (a schema newer than the merge) is refused, not skipped.
"""

from __future__ import annotations

import bisect
import itertools
import os
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from .lock import CrawlLock
from .search import index_document
from .store import Archive

# Tables copied row by row, in the order their references need (a table after those it refers to),
# with each row's natural key and the source's time order: those the documents refer to, copied
# before them, then those that refer to the documents.
COPIED_BEFORE_DOCUMENTS = {
    "sites": (("name",), "added_at, name"),
    "site_columns": (("site", "position"), "site, position"),
    "crawls": (("started_at", "arguments"), "started_at, id"),
    "urls": (("url",), "id"),
    "header_sets": (("sha256",), "id"),
    "blobs": (("sha256",), "depth, rowid"),
    "captures": (("url_id", "method", "fetched_at", "sha256"), "fetched_at, id"),
}
COPIED_AFTER_DOCUMENTS = {
    "failures": (("crawl_id", "url", "failed_at", "reason"), "failed_at, id"),
    "listed_gone": (("url",), "first_seen_at, url"),
    "document_files": (("document_url", "url"), "document_url, url"),
    "followup_decisions": (("opinion_url", "followup_url"), "decided_at, opinion_url, followup_url"),
    "followup_events": (("opinion_id", "observed_at", "status"), "observed_at, id"),
}
COPIED = {**COPIED_BEFORE_DOCUMENTS, **COPIED_AFTER_DOCUMENTS}
# A document's own rows, merged with the document (see _merge_document).
DOCUMENT_TABLES = ("documents", "revisions", "events", "view_counts", "sections", "items")
# Tables not merged, and why.
NOT_MERGED = {
    "_migrations": "each archive records its own; the source is upgraded first",
    "audits": "a fixity audit is of the file it checked, not of the central archive",
    "search_index": "rebuilt for the documents merged",
    "followups": "made again from the merged documents and decisions (spiders/followups.py: relink)",
    "followup_deadlines": "made again with the links",
}
FTS_SHADOWS = tuple(f"search_index_{part}" for part in ("data", "idx", "content", "docsize", "config"))
# Revisions copied beside a document's own are numbered from here down (negative) until _replay numbers them all.
TEMPORARY_NUMBERS = 10**9
# Order of events observed at the same moment (a restored document that also changed: restored first).
EVENT_ORDER = {"restored": 0, "new": 1, "changed": 2, "removed": 3}


class MergeError(Exception):
    """A source archive that cannot be merged: its schema is unknown here, or it is damaged."""


@dataclass
class MergeResult:
    """What one source added: rows per table, net (0 everywhere when it was merged before)."""

    source: str
    added: Counter = field(default_factory=Counter)
    documents_updated: int = 0

    @property
    def total(self) -> int:
        return sum(self.added.values()) + self.documents_updated


def unknown_tables(conn: sqlite3.Connection) -> list[str]:
    """Tables of an archive that the merge does not know."""
    known = {*COPIED, *DOCUMENT_TABLES, *NOT_MERGED, *FTS_SHADOWS}
    return [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                                             "ORDER BY name") if name not in known]


def merge_archive(central: Archive, source_path: str | os.PathLike[str]) -> MergeResult:
    """Merge the archive at ``source_path`` into ``central``, in one transaction. The source is
    upgraded to the current schema first and locked while it is read (ArchiveLocked if a crawl
    is writing it); a crawl it records as running was killed, and is marked interrupted first."""
    source_path = Path(source_path)
    if source_path.resolve() == central.path.resolve():
        raise MergeError(f"{source_path} is the central archive itself")
    with CrawlLock(source_path):
        source = Archive(source_path)  # upgrades it with the named migrations of archive/schema.py
        try:
            source.mark_interrupted_crawls()  # under its lock, a crawl still 'running' was killed
        finally:
            source.close()
        source = sqlite3.connect(f"{source_path.absolute().as_uri()}?mode=ro", uri=True)
        source.row_factory = sqlite3.Row
        try:
            return _Merge(central, source, str(source_path)).run()
        finally:
            source.close()


class _Merge:
    def __init__(self, central: Archive, source: sqlite3.Connection, name: str) -> None:
        self.conn, self.source = central.conn, source
        self.result = MergeResult(name)
        self.ids: dict[str, dict[int, int]] = {}  # table -> source id -> central id
        self.references = {table: self._references(table) for table in (*COPIED, *DOCUMENT_TABLES)}
        # Tables whose rows others may refer to by id: their source ids are mapped to the central ones.
        self.with_id = {table for table in COPIED if "id" in _columns(self.conn, table)}
        self.unnumbered = itertools.count(TEMPORARY_NUMBERS)

    def run(self) -> MergeResult:
        for conn, which in ((self.source, "it"), (self.conn, "the central archive")):
            if unknown := unknown_tables(conn):
                raise MergeError(f"{which} has tables the merge does not know: {', '.join(unknown)} (from a newer npc-archive?)")
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            before = self._counts()
            self.registered = {name for (name,) in self.conn.execute("SELECT name FROM sites")}
            for table in COPIED_BEFORE_DOCUMENTS:
                self._copy_table(table)
            documents = {url: document_id for url, document_id in self.conn.execute("SELECT url, id FROM documents")}
            for row in self.source.execute("SELECT * FROM documents ORDER BY id"):
                self._merge_document(dict(row), documents.get(row["url"]))
            for table in COPIED_AFTER_DOCUMENTS:
                self._copy_table(table)
            self.result.added.update({table: count - before[table] for table, count in self._counts().items()})
            self.conn.execute("COMMIT")
        except sqlite3.IntegrityError as error:
            self.conn.execute("ROLLBACK")
            raise MergeError(f"cannot be merged: {error} (npc-archive verify --db {self.result.source} says more)") from None
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        return self.result

    def _counts(self) -> dict[str, int]:
        return {table: self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in (*COPIED, *DOCUMENT_TABLES)}

    # Rows in general ---------------------------------------------------------------------

    def _references(self, table: str) -> dict[str, str]:
        """Columns holding another table's id: column -> that table."""
        return {row[3]: row[2] for row in self.conn.execute(f"PRAGMA foreign_key_list({table})") if row[4] in (None, "id")}

    def _translated(self, table: str, row: dict) -> dict:
        """The source row with its references as central ids, without its own id."""
        row = {column: value for column, value in row.items() if column != "id"}
        for column, target in self.references[table].items():
            if row.get(column) is not None:
                try:
                    row[column] = self.ids[target][row[column]]
                except KeyError:
                    raise MergeError(f"{table}.{column} refers to {target} {row[column]}, which it does not hold") from None
        return row

    def _insert(self, table: str, row: dict) -> int:
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        return self.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values())).lastrowid

    def _copy_table(self, table: str) -> None:
        key, order = COPIED[table]
        # Looked up row by row (each key leads with an indexed column), not held in memory: a central
        # archive of many sites holds millions of captures.
        lookup = f"SELECT rowid FROM {table} WHERE {' AND '.join(f'{column} IS ?' for column in key)}"
        ids = self.ids.setdefault(table, {})
        for source_row in self.source.execute(f"SELECT * FROM {table} ORDER BY {order}"):
            if table == "site_columns" and source_row["site"] in self.registered:
                continue  # a site the central registry holds keeps its own columns
            row = self._translated(table, dict(source_row))
            found = self.conn.execute(lookup, [row[column] for column in key]).fetchone()
            if found:
                central_id = found[0]
                self._reconcile(table, central_id, row)
            else:
                central_id = self._insert(table, row)
            if table in self.with_id:
                ids[source_row["id"]] = central_id

    def _reconcile(self, table: str, rowid: int, row: dict) -> None:
        """A row both archives hold: what one archive seeing both would keep."""
        if table == "listed_gone":  # first seen the earliest, last checked the latest, with its reason
            self.conn.execute(
                "UPDATE listed_gone SET reason = CASE WHEN ? > last_checked_at THEN ? ELSE reason END, "
                "last_checked_at = max(last_checked_at, ?), first_seen_at = min(first_seen_at, ?) WHERE rowid = ?",
                (row["last_checked_at"], row["reason"], row["last_checked_at"], row["first_seen_at"], rowid))
        elif table == "document_files":  # the first capture stays linked, as Archive.link_file keeps it
            self.conn.execute("UPDATE document_files SET capture_id = coalesce(capture_id, ?) WHERE rowid = ?",
                              (row["capture_id"], rowid))
        elif table == "followup_decisions":  # an analyst's latest word on a link stands
            self.conn.execute("UPDATE followup_decisions SET decision = ?, decided_at = ? WHERE rowid = ? AND decided_at < ?",
                              (row["decision"], row["decided_at"], rowid, row["decided_at"]))
        # A site both hold keeps the central registry's politeness and columns: it is the one crawls are planned from.

    def _copy_rows(self, table: str, rows: Iterable[sqlite3.Row], existing: set[tuple] | None = None,
                   key: Callable[[dict], tuple] | None = None, **values: object) -> bool:
        """Copy a document's rows of ``table``, those whose ``key`` is not in ``existing`` if given; True if any was."""
        ids = self.ids.setdefault(table, {})
        copied = False
        for source_row in rows:
            row = {**self._translated(table, dict(source_row)), **values}
            if existing is not None:
                natural = key(row)
                if natural in existing:
                    continue
                existing.add(natural)
            if table == "revisions" and existing is not None:
                row["number"] = -next(self.unnumbered)  # numbered by _replay, apart from every number it gives
            ids[source_row["id"]] = self._insert(table, row)
            copied = True
        return copied

    # Documents ---------------------------------------------------------------------------

    def _document_rows(self, table: str, source_id: int) -> list[sqlite3.Row]:
        order = "observed_at, id" if table in ("revisions", "events", "view_counts") else "id"
        return self.source.execute(f"SELECT * FROM {table} WHERE document_id = ? ORDER BY {order}", (source_id,)).fetchall()

    def _merge_document(self, source_row: dict, central_id: int | None) -> None:
        source_id = source_row["id"]
        ids = self.ids.setdefault("documents", {})
        if central_id is None:  # only the source has it: its history as it is
            central_id = ids[source_id] = self._insert("documents", self._translated("documents", source_row))
            for table in ("revisions", "events", "view_counts"):
                self._copy_rows(table, self._document_rows(table, source_id), document_id=central_id)
            self._copy_sections(source_id, central_id)
            index_document(self.conn, central_id, source_row["title"], source_row["body_text"])
            return
        ids[source_id] = central_id
        new_history = self._copy_rows(
            "revisions", self._document_rows("revisions", source_id), self._keys("revisions", central_id, "content_hash, observed_at"),
            itemgetter("content_hash", "observed_at"), document_id=central_id)
        new_history |= self._copy_rows(
            "events", self._document_rows("events", source_id), self._event_keys(central_id),
            _event_key, document_id=central_id)
        self._copy_rows("view_counts", self._document_rows("view_counts", source_id),
                        self._keys("view_counts", central_id, "observed_at, count"), itemgetter("observed_at", "count"),
                        document_id=central_id)
        central = self.conn.execute("SELECT last_seen_at, first_seen_at, title, body_text FROM documents WHERE id = ?",
                                    (central_id,)).fetchone()
        if source_row["last_seen_at"] > central[0]:  # the source saw it last: its row and sections
            row = self._translated("documents", source_row)
            if central[1] <= row["first_seen_at"]:
                del row["first_seen_at"], row["first_seen_crawl"]
            self.conn.execute(f"UPDATE documents SET {', '.join(f'{column} = ?' for column in row)} WHERE id = ?",
                              (*row.values(), central_id))
            self.conn.execute("DELETE FROM items WHERE document_id = ?", (central_id,))
            self.conn.execute("DELETE FROM sections WHERE document_id = ?", (central_id,))
            self._copy_sections(source_id, central_id)
            if (central[2], central[3]) != (row["title"], row["body_text"]):
                index_document(self.conn, central_id, row["title"], row["body_text"])
            self.result.documents_updated += 1
            new_history = True
        elif source_row["first_seen_at"] < central[1]:
            self.conn.execute("UPDATE documents SET first_seen_at = ?, first_seen_crawl = ? WHERE id = ?",
                              (source_row["first_seen_at"], self._translated("documents", source_row)["first_seen_crawl"],
                               central_id))
            new_history = True
        if new_history:
            self._replay(central_id)

    def _keys(self, table: str, document_id: int, columns: str) -> set[tuple]:
        return {tuple(row) for row in self.conn.execute(f"SELECT {columns} FROM {table} WHERE document_id = ?", (document_id,))}

    def _event_keys(self, document_id: int) -> set[tuple]:
        """Events by (time, what they say): new and changed both say 'content seen', as the replay may turn one into the other."""
        return {_event_key({"observed_at": at, "kind": kind}) for at, kind in self.conn.execute(
            "SELECT observed_at, kind FROM events WHERE document_id = ?", (document_id,))}

    def _copy_sections(self, source_id: int, central_id: int) -> None:
        self._copy_rows("sections", self._document_rows("sections", source_id), document_id=central_id)
        self._copy_rows("items", self._document_rows("items", source_id), document_id=central_id)

    def _replay(self, document_id: int) -> None:
        """One history for the document from the revisions and events of both archives, in time order."""
        kept: list[tuple[int, str, str]] = []  # (id, content hash, observed_at) of the revisions that stay
        number_at: dict[str, int | None] = {}  # observation time -> its revision's number (None: no new content)
        for revision_id, digest, observed_at in self.conn.execute(
                "SELECT id, content_hash, observed_at FROM revisions WHERE document_id = ? ORDER BY observed_at, id",
                (document_id,)).fetchall():
            if kept and kept[-1][1] == digest:
                self.conn.execute("DELETE FROM revisions WHERE id = ?", (revision_id,))
                number_at.setdefault(observed_at, None)
            else:
                kept.append((revision_id, digest, observed_at))
                number_at[observed_at] = len(kept)
        # Negative first (the copied ones are below -TEMPORARY_NUMBERS): UNIQUE (document_id, number) holds at every step.
        for number, (revision_id, _, _) in enumerate(kept, start=1):
            self.conn.execute("UPDATE revisions SET number = ? WHERE id = ?", (-number, revision_id))
        self.conn.execute("UPDATE revisions SET number = -number WHERE document_id = ?", (document_id,))
        times = [observed_at for _, _, observed_at in kept]
        removed = None  # the event that removed the document, while it stays removed
        number = 0
        events = self.conn.execute("SELECT id, kind, observed_at, capture_id, crawl_id FROM events WHERE document_id = ?",
                                   (document_id,)).fetchall()
        for event_id, kind, observed_at, capture_id, crawl_id in sorted(events, key=lambda e: (e[2], EVENT_ORDER[e[1]], e[0])):
            # The number before any revision of this same moment (a restored document that also changed).
            current = bisect.bisect_left(times, observed_at)
            if kind in ("new", "changed"):
                if removed is not None:  # seen again after its removal, as a crawl in one archive would have said
                    self._insert("events", {"document_id": document_id, "kind": "restored", "revision": current,
                                            "capture_id": capture_id, "crawl_id": crawl_id, "observed_at": observed_at})
                    removed = None
                seen = number_at.get(observed_at)
                if seen is None or seen <= number:
                    self.conn.execute("DELETE FROM events WHERE id = ?", (event_id,))
                else:
                    number = seen
                    self.conn.execute("UPDATE events SET kind = ?, revision = ? WHERE id = ?",
                                      ("new" if seen == 1 else "changed", seen, event_id))
            elif (kind == "removed") == (removed is None):
                removed = (observed_at, capture_id) if kind == "removed" else None
                self.conn.execute("UPDATE events SET revision = ? WHERE id = ?", (current, event_id))
            else:  # removed while removed, restored while present: nothing happened
                self.conn.execute("DELETE FROM events WHERE id = ?", (event_id,))
        self.conn.execute("UPDATE documents SET revision = ?, content_hash = ?, removed_at = ?, removed_capture_id = ? WHERE id = ?",
                          (len(kept), kept[-1][1] if kept else None, *(removed or (None, None)), document_id))


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [column[1] for column in conn.execute(f"PRAGMA table_info({table})")]


def _event_key(event: dict) -> tuple[str, str]:
    return event["observed_at"], "seen" if event["kind"] in ("new", "changed") else event["kind"]


# The natural keys of a document's own rows, for archive_contents.
DOCUMENT_KEYS = {
    "documents": ("url",), "revisions": ("document_id", "content_hash", "observed_at"),
    "events": ("document_id", "observed_at", "kind"), "view_counts": ("document_id", "observed_at", "count"),
    "sections": ("document_id", "position"), "items": ("section_id", "ordinal"),
}


def archive_contents(conn: sqlite3.Connection) -> dict[str, list[tuple]]:
    """Every merged table's rows with ids replaced by what they name (natural keys), sorted:
    two archives holding the same history give the same contents, whatever their ids."""
    order = (*COPIED_BEFORE_DOCUMENTS, *DOCUMENT_TABLES, *COPIED_AFTER_DOCUMENTS)
    keys = {**{table: key for table, (key, _) in COPIED.items()}, **DOCUMENT_KEYS}
    names: dict[str, dict[int, tuple]] = {}
    contents = {}
    for table in order:
        references = {row[3]: row[2] for row in conn.execute(f"PRAGMA foreign_key_list({table})") if row[4] in (None, "id")}
        names[table] = {}
        rows = []
        cursor = conn.execute(f"SELECT * FROM {table}")
        columns = [column[0] for column in cursor.description]
        for values in cursor:
            row = dict(zip(columns, values))
            named = {column: names[references[column]].get(value) if column in references and value is not None else value
                     for column, value in row.items() if column != "id"}
            if "id" in row:
                names[table][row["id"]] = tuple(named[column] for column in keys[table])
            rows.append(tuple(sorted(named.items())))
        contents[table] = sorted(rows, key=repr)
    contents["search_index"] = sorted((names["documents"][rowid], title, body)
                                      for rowid, title, body in conn.execute("SELECT rowid, title, body FROM search_index"))
    return contents


def in_time_order(paths: Iterable[str | os.PathLike[str]]) -> list[str]:
    """Source archives by the start of their first crawl, so that the central archive's rows
    (crawls, captures, ...) follow one another in time as their ids do, merge after merge."""
    def first_crawl(path) -> str:
        conn = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True)
        try:
            return conn.execute("SELECT coalesce(min(started_at), '') FROM crawls").fetchone()[0]
        finally:
            conn.close()
    return sorted(map(str, paths), key=first_crawl)
