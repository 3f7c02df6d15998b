"""Writing to and reading from the archive. Every write is one transaction, so a crawl
killed at any moment leaves no half-written capture or document. A batched archive (the
crawl's writer process) lets writes share one transaction until ``commit``, each write a
savepoint of it, so that a failed write still undoes only itself."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path

from .blobs import UnreadableBlob, body_from_content, pack, unpack_content
from .headers import content_type, join_headers, split_headers
from .revisions import content_hash, revision_record
from .schema import DEFAULT_SITE, header_set_id, migrate
from .search import index_document, rebuild_index

DEFAULT_DB = "data/archive.db"
# Crawls in which a document's counter script or file may fail before later runs stop asking for it.
MAX_TRIES = 3
CRAWL_FIGURES = (
    "requests", "responses_by_status", "documents_new", "documents_changed", "documents_unchanged",
    "documents_removed", "documents_restored", "failures", "bytes_fetched", "bytes_stored",
)
FACT_COLUMNS = ("issuer", "addressee", "subject", "meeting", "meeting_date", "signed_date", "report_deadline", "report_due")


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Stored contents recently used as delta bases: a crawl stores pages one after another.
CONTENT_CACHE_SIZE = 64
# Seconds a write waits for another connection's write lock before 'database is locked'.
BUSY_TIMEOUT = 30.0


class Archive:
    """An archive file. ``Archive(path)`` creates or upgrades it as needed; with
    ``read_only`` it opens an existing archive as it is (sqlite3.OperationalError if there
    is none) and can write nothing. With ``batched``, writes are durable only once
    ``commit`` returns: committing every write costs more than the write itself."""

    def __init__(self, path: str | os.PathLike[str] = DEFAULT_DB, read_only: bool = False,
                 busy_timeout: float = BUSY_TIMEOUT, batched: bool = False) -> None:
        self.path = Path(path)
        if read_only:
            conn = sqlite3.connect(f"{self.path.absolute().as_uri()}?mode=ro", uri=True, timeout=busy_timeout,
                                   isolation_level=None, check_same_thread=False)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            migrate(conn)
        self.conn = conn
        self._contents: OrderedDict[str, bytes] = OrderedDict()
        self._header_sets: dict[str, int] = {}
        self._crawl_sites: dict[int, str] = {}
        self.batched = batched
        self._batch_open = False
        self._batch_error: BaseException | None = None  # what made SQLite roll the open batch back

    @cached_property
    def db(self):
        """sqlite-utils over the archive's connection, for queries. Imported at first use: the
        crawl's writer process never queries this way, and importing it costs a tenth of a second."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        self.conn.close()

    def _transaction(self) -> _Transaction | _BatchedWrite:
        return _BatchedWrite(self) if self.batched else _Transaction(self.conn)

    def commit(self) -> None:
        """Make the writes batched so far durable. If that fails they are rolled back (all of
        them) and the error raised."""
        if not self._batch_open:
            return
        try:
            self.conn.execute("COMMIT")
        except BaseException:
            self.rollback()
            raise
        self._batch_open = False

    @property
    def batch_lost(self) -> BaseException | None:
        """Why SQLite rolled the open batch back on its own, as it may on a full disk or an I/O
        error (every write since the last commit is gone); None while it holds."""
        if not self._batch_open or self.conn.in_transaction:
            return None
        return self._batch_error or sqlite3.OperationalError("the batch of writes was rolled back")

    def rollback(self) -> None:
        """Undo every write batched since the last commit."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self._batch_open, self._batch_error = False, None
        self._header_sets.clear()  # ids cached in a rolled-back transaction do not exist

    def _insert(self, table: str, row: dict) -> int:
        # Plain SQL: sqlite-utils' writes commit on their own, which would split our transactions.
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        return self.conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values())).lastrowid

    def _update(self, table: str, row_id: int, row: dict) -> None:
        assignments = ", ".join(f"{column} = ?" for column in row)
        self.conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", [*row.values(), row_id])

    # Crawls ----------------------------------------------------------------------------

    def start_crawl(self, mode: str, arguments: dict, site: str = DEFAULT_SITE) -> int:
        """A crawl of ``site``: what it writes with its id (captures, documents, failures) is that site's."""
        with self._transaction():
            crawl_id = self._insert("crawls", {"started_at": utc_now(), "mode": mode, "site": site,
                                               "arguments": json.dumps(arguments, ensure_ascii=False), "status": "running"})
        self._crawl_sites[crawl_id] = site
        return crawl_id

    def _site_of(self, crawl_id: int | None) -> str:
        """The site of a crawl's rows (of rows written outside a crawl: the default site)."""
        if crawl_id is None:
            return DEFAULT_SITE
        if crawl_id not in self._crawl_sites:
            row = self.conn.execute("SELECT site FROM crawls WHERE id = ?", (crawl_id,)).fetchone()
            self._crawl_sites[crawl_id] = row[0] if row else DEFAULT_SITE
        return self._crawl_sites[crawl_id]

    def finish_crawl(self, crawl_id: int, status: str, stats: dict, figures: dict | None = None) -> None:
        row = {"finished_at": utc_now(), "status": status, "stats": json.dumps(stats, ensure_ascii=False, sort_keys=True)}
        row.update({name: value for name, value in (figures or {}).items() if name in CRAWL_FIGURES})
        with self._transaction():
            self._update("crawls", crawl_id, row)

    def mark_interrupted_crawls(self, site: str | None = None) -> int:
        """Crawls still 'running' when no crawl holds the lock were killed: say so. With ``site``,
        that site's only: a crawl of many sites starts one crawl row per site, one after another."""
        where, params = ("AND site = ?", (site,)) if site is not None else ("", ())
        with self._transaction():
            return self.conn.execute(f"UPDATE crawls SET status = 'interrupted' WHERE status = 'running' {where}", params).rowcount

    def last_crawl(self, start_url: str | None = None) -> dict | None:
        """The last crawl that ended, or the last that walked the column at ``start_url``."""
        rows = self.db.query(
            "SELECT * FROM crawls WHERE status != 'running' ORDER BY id DESC"
        )
        for row in rows:
            arguments = json.loads(row["arguments"])
            walked = {arguments.get("start_url")} | {column.get("url") for column in arguments.get("columns") or ()}
            if start_url is None or start_url in walked:
                return row
        return None

    # Captures --------------------------------------------------------------------------

    def add_capture(self, *, url: str, status: int, headers: list[tuple[str, str]], body: bytes,
                    request_headers: Iterable[tuple[str, str]] = (), method: str = "GET",
                    request_body: bytes | None = None, protocol: str | None = None, crawl_id: int | None = None,
                    fetched_at: str | None = None) -> tuple[int, int]:
        """Store the bytes as received (content-addressed, compressed) and the capture's facts.

        Returns the capture's id and the bytes its body added to storage (0 when an identical
        body was already stored)."""
        digest = sha256_hex(body)
        added = 0
        try:
            with self._transaction():
                if not self.conn.execute("SELECT 1 FROM blobs WHERE sha256 = ?", (digest,)).fetchone():
                    packed = pack(body, self._delta_base(url, content_type(headers)))
                    added = len(packed.data)
                    self._insert("blobs", {"sha256": digest, "size": len(body), "compression": packed.compression,
                                           "stored_size": added, "data": packed.data, "params": packed.params,
                                           "base_sha256": packed.base_sha256, "depth": packed.depth})
                    # The next page of its type is packed against it: kept, it need not be unpacked.
                    self._remember(digest, packed.content)
                request_header_set = self._header_set(json.dumps(list(map(list, request_headers)), ensure_ascii=False))
                template, varying = split_headers(headers)
                capture_id = self._insert("captures", {
                    "crawl_id": crawl_id, "url_id": self._url_id(url), "method": method, "fetched_at": fetched_at or utc_now(),
                    "protocol": protocol, "status": status, "header_set": self._header_set(template), "header_values": varying,
                    "request_header_set": request_header_set, "request_body": request_body or None,
                    "sha256": bytes.fromhex(digest), "size": len(body), "site": self._site_of(crawl_id),
                })
        except BaseException:
            self._header_sets.clear()  # ids cached in a rolled-back transaction do not exist
            raise
        return capture_id, added

    def _header_set(self, headers_json: str) -> int:
        if headers_json not in self._header_sets:
            self._header_sets[headers_json] = header_set_id(self.conn, headers_json)
        return self._header_sets[headers_json]

    def _url_id(self, url: str) -> int:
        self.conn.execute("INSERT OR IGNORE INTO urls (url) VALUES (?)", (url,))
        return self.conn.execute("SELECT id FROM urls WHERE url = ?", (url,)).fetchone()[0]

    def capture(self, capture_id: int) -> dict:
        """A capture's facts, its headers and request headers as lists of (name, value)."""
        rows = list(self.db.query(
            "SELECT s.*, c.header_values, c.request_body, h.headers AS template FROM snapshots s JOIN captures c ON c.id = s.id "
            "JOIN header_sets h ON h.id = c.header_set WHERE s.id = ?", [capture_id]))
        if not rows:
            raise KeyError(capture_id)
        row = rows[0]
        row["headers"] = join_headers(row.pop("template"), row.pop("header_values"))
        row["request_headers"] = [tuple(pair) for pair in json.loads(row["request_headers"])]
        return row

    def capture_body(self, capture_id: int) -> bytes:
        """The exact bytes the server sent for a capture."""
        row = self.conn.execute("SELECT sha256 FROM snapshots WHERE id = ?", (capture_id,)).fetchone()
        if row is None:
            raise KeyError(capture_id)
        return self.blob_bytes(row[0])

    def blob_bytes(self, sha256: str) -> bytes:
        """A stored body, rebuilt from its packed form (not re-hashed here: see ``verify``).
        UnreadableBlob if it is missing or cannot be rebuilt."""
        params = self.conn.execute("SELECT params FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        if params is None:
            raise UnreadableBlob(f"no stored body {sha256}")
        return body_from_content(self._stored_content(sha256), params[0])

    def _stored_content(self, sha256: str) -> bytes:
        if sha256 in self._contents:
            self._contents.move_to_end(sha256)
            return self._contents[sha256]
        row = self.conn.execute("SELECT compression, data, base_sha256 FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
        if row is None:  # only a delta's base can be missing here: blob_bytes checked the blob itself
            raise UnreadableBlob(f"its delta base {sha256} is missing")
        compression, data, base = row
        content = unpack_content(compression, data, lambda: self._stored_content(base))
        self._remember(sha256, content)
        return content

    def _remember(self, sha256: str, content: bytes) -> None:
        # Kept by digest: the content of a blob rolled back with its write is the same if stored again.
        self._contents[sha256] = content
        if len(self._contents) > CONTENT_CACHE_SIZE:
            self._contents.popitem(last=False)

    def _delta_base(self, url: str, content_type: str | None) -> tuple[str, bytes, int] | None:
        """The blob a new body is most likely to resemble: this URL's last capture, else the
        last stored body of the same content type."""
        # Of this URL's recent captures the shallowest: deltas stay one step deep as a page drifts.
        row = self.conn.execute(
            "SELECT sha256, depth FROM (SELECT b.sha256, b.depth, s.id FROM snapshots s JOIN blobs b ON b.sha256 = s.sha256 "
            "WHERE s.url = ? ORDER BY s.id DESC LIMIT 16) ORDER BY depth, id DESC LIMIT 1", (url,)).fetchone() or self.conn.execute(
            "SELECT b.sha256, b.depth FROM snapshots s JOIN blobs b ON b.sha256 = s.sha256 WHERE s.content_type IS ? "
            "ORDER BY s.id DESC LIMIT 1", (content_type,)).fetchone()
        if row is None:
            return None
        return row[0], self._stored_content(row[0]), row[1]

    # Documents and failures ------------------------------------------------------------

    def save_document(self, record: Mapping, *, capture_id: int, crawl_id: int | None, list_title: str | None = None,
                      column_kind: str | None = None, column_url: str | None = None) -> str:
        """Insert or update the document for ``record['url']``, keeping every revision, with its
        facts and sections (replacing those of an earlier capture). ``record`` has the shape of
        ``parsers.record.DocumentRecord`` (the archive imports no parser: it takes a Mapping).

        Returns what this capture showed: 'new', 'changed', 'unchanged' or 'restored' (a
        removed document is back). A view count of None (not observed) keeps the last one;
        a ``column_kind`` of None (not known to the crawl) keeps the document's column."""
        now = utc_now()
        record = self.with_listed_date(record)
        revision = revision_record(record)
        digest = content_hash(revision)
        row = {**_page_columns(record, capture_id), "last_seen_crawl": crawl_id, "last_seen_at": now, "content_hash": digest}
        observed = {"source": record.get("view_count_source"), "includes_own_fetch": record.get("view_count_includes_own_fetch"),
                    "approximate": record.get("view_count_approximate")}
        if record.get("view_count") is not None:
            row.update(view_count=record["view_count"], view_count_source=observed["source"],
                       view_count_includes_own_fetch=observed["includes_own_fetch"], view_count_approximate=observed["approximate"])
        if list_title is not None:
            row["list_title"] = list_title
        if column_kind is not None:
            row.update(column_kind=column_kind, column_url=column_url)
        with self._transaction():
            existing = self.conn.execute(
                "SELECT id, content_hash, revision, removed_at FROM documents WHERE url = ?", (record["url"],)
            ).fetchone()
            if existing is None:
                document_id = self._insert("documents", {**row, "revision": 1, "first_seen_crawl": crawl_id, "first_seen_at": now,
                                                         "site": self._site_of(crawl_id)})
                number, outcome, content_changed = 1, "new", True
                self._add_revision(document_id, 1, digest, revision, capture_id, crawl_id, now)
                self._add_event(document_id, "new", 1, capture_id, crawl_id, now)
            else:
                document_id, old_digest, number, removed_at = existing
                outcome, content_changed = "unchanged", digest != old_digest
                if removed_at is not None:
                    row.update(removed_at=None, removed_capture_id=None)
                    self._add_event(document_id, "restored", number, capture_id, crawl_id, now)
                    outcome = "restored"
                if content_changed:
                    number += 1
                    self._add_revision(document_id, number, digest, revision, capture_id, crawl_id, now)
                    self._add_event(document_id, "changed", number, capture_id, crawl_id, now)
                    outcome = "changed" if outcome == "unchanged" else outcome
                self._update("documents", document_id, {**row, "revision": number})
            self._replace_sections(document_id, capture_id, record.get("sections") or [])
            if content_changed:
                # Re-indexing unchanged text would only pile up FTS5 tombstones.
                index_document(self.conn, document_id, row["title"], row["body_text"])
            if record.get("view_count") is not None:
                self._insert("view_counts", {"document_id": document_id, "observed_at": now, "count": record["view_count"], **observed,
                                             "crawl_id": crawl_id, "capture_id": capture_id})
        return outcome

    def reparse_document(self, record: Mapping, *, capture_id: int) -> bool:
        """Apply a new parse of an archived capture of the document (after a parser upgrade):
        its fields, facts and sections, and a revision without a crawl if its content now
        differs. No event: the site did not change. Returns whether the content changed."""
        record = self.with_listed_date(record)
        revision = revision_record(record)
        digest = content_hash(revision)
        with self._transaction():
            document_id, old_digest, number = self.conn.execute(
                "SELECT id, content_hash, revision FROM documents WHERE url = ?", (record["url"],)).fetchone()
            changed = digest != old_digest
            if changed:
                number += 1
                self._add_revision(document_id, number, digest, revision, capture_id, None, utc_now())
                index_document(self.conn, document_id, record["title"], record["body_text"])
            self._update("documents", document_id, {**_page_columns(record, capture_id), "content_hash": digest, "revision": number})
            self._replace_sections(document_id, capture_id, record.get("sections") or [])
        return changed

    def with_listed_date(self, record: Mapping) -> Mapping:
        """``record``, or where its page leaves it undated, with the date the column's list gave the
        document before: a refresh or a reparse reads the page alone, which will not give it again."""
        if record.get("published_at") is not None:
            return record
        row = self.conn.execute("SELECT published_at FROM documents WHERE url = ? AND published_at_source = 'list'",
                                (record["url"],)).fetchone()
        return {**record, "published_at": row[0], "published_at_source": "list"} if row else record

    def _replace_sections(self, document_id: int, capture_id: int, sections: list[dict]) -> None:
        self.conn.execute("DELETE FROM items WHERE document_id = ?", (document_id,))
        self.conn.execute("DELETE FROM sections WHERE document_id = ?", (document_id,))
        for position, section in enumerate(sections):
            section_id = self._insert("sections", {
                "document_id": document_id, "capture_id": capture_id, "position": position,
                "kind": section["kind"], "heading": section["heading"], "text": section["text"],
            })
            for item in section["items"]:
                self._insert("items", {"section_id": section_id, "document_id": document_id, "ordinal": item["ordinal"],
                                       "heading": item["heading"], "text": item["text"]})

    def mark_removed(self, url: str, *, capture_id: int | None, crawl_id: int | None) -> str | None:
        """Record that ``url`` now answers 404/410 or a soft 404. Nothing is deleted.

        Returns 'removed', 'still_removed', or None when no such document is archived."""
        now = utc_now()
        with self._transaction():
            existing = self.conn.execute("SELECT id, revision, removed_at FROM documents WHERE url = ?", (url,)).fetchone()
            if existing is None:
                return None
            document_id, number, removed_at = existing
            if removed_at is not None:
                return "still_removed"
            self._update("documents", document_id, {"removed_at": now, "removed_capture_id": capture_id,
                                                    "last_seen_crawl": crawl_id, "last_seen_at": now})
            self._add_event(document_id, "removed", number, capture_id, crawl_id, now)
        return "removed"

    def record_listed_gone(self, url: str, *, reason: str, list_title: str | None, listed_at: str | None,
                           capture_id: int | None, crawl_id: int | None, column_kind: str | None = None,
                           column_url: str | None = None) -> bool:
        """A listed article that answers 404/410 or a soft 404 and was never archived. True the
        first time (a failure to report); later checks only note when it was last seen gone."""
        now = utc_now()
        with self._transaction():
            updated = self.conn.execute("UPDATE listed_gone SET last_checked_at = ?, reason = ? WHERE url = ?",
                                        (now, reason, url)).rowcount
            if updated:
                return False
            self._insert("listed_gone", {"url": url, "list_title": list_title, "listed_at": listed_at, "reason": reason,
                                         "capture_id": capture_id, "crawl_id": crawl_id, "first_seen_at": now,
                                         "last_checked_at": now, "column_kind": column_kind, "column_url": column_url,
                                         "site": self._site_of(crawl_id)})
        return True

    def listed_gone_urls(self) -> set[str]:
        """Listed articles gone before they could be archived (and not archived since)."""
        return {row[0] for row in self.conn.execute(
            "SELECT url FROM listed_gone WHERE url NOT IN (SELECT url FROM documents)")}

    def _add_revision(self, document_id: int, number: int, digest: str, revision: dict,
                      capture_id: int | None, crawl_id: int | None, now: str) -> None:
        self._insert("revisions", {"document_id": document_id, "number": number, "content_hash": digest,
                                   "record": json.dumps(revision, ensure_ascii=False), "capture_id": capture_id,
                                   "crawl_id": crawl_id, "observed_at": now})

    def _add_event(self, document_id: int, kind: str, revision: int, capture_id: int | None,
                   crawl_id: int | None, now: str) -> None:
        self._insert("events", {"document_id": document_id, "kind": kind, "revision": revision,
                                "capture_id": capture_id, "crawl_id": crawl_id, "observed_at": now})

    def record_failure(self, *, url: str, reason: str, detail: str = "", attempts: int = 1, page_kind: str | None = None,
                       crawl_id: int | None = None, capture_id: int | None = None, column_kind: str | None = None,
                       column_url: str | None = None) -> int:
        with self._transaction():
            return self._insert("failures", {
                "crawl_id": crawl_id, "url": url, "reason": reason, "detail": detail, "attempts": attempts,
                "page_kind": page_kind,
                "capture_id": capture_id, "failed_at": utc_now(), "column_kind": column_kind, "column_url": column_url,
                "site": self._site_of(crawl_id),
            })

    def link_file(self, *, document_url: str, url: str, kind: str, name: str | None,
                  capture_id: int | None, crawl_id: int | None) -> None:
        """Link an attachment or body image to its document (the first capture stays linked)."""
        with self._transaction():
            self.conn.execute(
                "INSERT INTO document_files (document_url, url, kind, name, capture_id, crawl_id) VALUES (?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (document_url, url) DO UPDATE SET capture_id = coalesce(capture_id, excluded.capture_id)",
                (document_url, url, kind, name, capture_id, crawl_id))

    def file_document_titles(self) -> dict[str, str]:
        """The titles of documents published as a file alone (the file at the document's own URL
        is its file): only a list shows them, and a revisit reads the file alone."""
        return dict(self.conn.execute(
            "SELECT d.url, d.title FROM documents d JOIN document_files f ON f.document_url = d.url AND f.url = d.url"))

    def stored_file_urls(self) -> set[str]:
        """Attachment and image URLs already captured with a 2xx answer: not fetched again."""
        return {row[0] for row in self.conn.execute(
            "SELECT DISTINCT f.url FROM document_files f JOIN captures s ON s.id = f.capture_id WHERE s.status BETWEEN 200 AND 299")}

    def capture_after(self, url: str, capture_id: int) -> int | None:
        """The first 2xx capture of ``url`` after capture ``capture_id``: a paged article's later
        page, fetched after its first page in the same crawl."""
        row = self.conn.execute(
            "SELECT c.id FROM captures c JOIN urls u ON u.id = c.url_id WHERE u.url = ? AND c.id > ? "
            "AND c.status BETWEEN 200 AND 299 ORDER BY c.id LIMIT 1", (url, capture_id)).fetchone()
        return row[0] if row else None

    def captured_urls(self) -> set[str]:
        """Every URL with a capture, whatever its status: a page requisite among them is not fetched again."""
        return {row[0] for row in self.conn.execute("SELECT url FROM urls WHERE id IN (SELECT url_id FROM captures)")}

    def documents(self, since: str | None = None) -> Iterable[dict]:
        """Documents, newest first; ``since`` keeps those published on or after a date."""
        where, params = ("WHERE published_at >= ?", [since]) if since else ("", [])
        yield from self.db.query(f"SELECT * FROM documents {where} ORDER BY published_at DESC, id", params)

    def record_audit(self, audit: dict) -> int:
        with self._transaction():
            return self._insert("audits", audit)

    def reindex(self) -> int:
        """Rebuild the search index from the documents; returns how many were indexed."""
        with self._transaction():
            return rebuild_index(self.conn)

    def parsed_documents(self) -> list[tuple[str, int]]:
        """Every archived document's URL (removed ones included) and the capture it was parsed from."""
        return self.conn.execute("SELECT url, capture_id FROM documents ORDER BY id").fetchall()

    def parsed_document(self, url: str) -> tuple[str, int] | None:
        """The content hash of the document archived at ``url`` and the capture it was parsed
        from; None if no document is archived there."""
        return self.conn.execute("SELECT content_hash, capture_id FROM documents WHERE url = ?", (url,)).fetchone()

    def known_urls(self, include_removed: bool = True) -> set[str]:
        where = "" if include_removed else " WHERE removed_at IS NULL"
        return {row[0] for row in self.conn.execute(f"SELECT url FROM documents{where}")}

    def url_columns(self, site: str | None = None) -> dict[str, str | None]:
        """The column kind of every article URL the archive knows (a document, a failed article,
        a listed article found gone), of ``site`` only if given; None where it was recorded
        before columns had kinds."""
        where, params = ("AND site = ?", (site,) * 3) if site is not None else ("", ())
        found = {}
        for url, kind in self.conn.execute(
                f"SELECT url, column_kind FROM failures WHERE page_kind = 'article' {where} UNION ALL "
                f"SELECT url, column_kind FROM listed_gone WHERE 1 {where} UNION ALL "
                f"SELECT url, column_kind FROM documents WHERE 1 {where}", params):
            found[url] = kind if kind is not None or url not in found else found[url]
        return found

    def failed_list_pages(self, crawl_id: int) -> int:
        return self.conn.execute("SELECT count(*) FROM failures WHERE crawl_id = ? AND page_kind = 'list'",
                                 (crawl_id,)).fetchone()[0]

    def unfinished_urls(self) -> set[str]:
        """Archived documents still missing something besides their page: a view count their
        counter script never gave, or an attachment or image not stored (it failed, or the
        crawl was killed before it came, or its write failed). A counter or file that the site
        failed in MAX_TRIES crawls is given up (it stays in ``failures``): a broken link must not fail every cron run;
        one that robots.txt forbids, at once: the site's policy does not change from one run to the next."""
        return {row[0] for row in self.conn.execute(
            """
            WITH tried AS (SELECT url, CASE WHEN max(reason = 'robots_forbidden') THEN ? ELSE count(DISTINCT crawl_id) END AS crawls
                           FROM failures
                           WHERE page_kind IN ('counter', 'attachment', 'image')
                             AND reason NOT IN ('write_failed', 'value_out_of_range') GROUP BY url)
            SELECT url FROM documents d WHERE removed_at IS NULL AND (
                (view_count IS NULL AND view_count_url IS NOT NULL
                 AND coalesce((SELECT crawls FROM tried WHERE tried.url = d.view_count_url), 0) < ?)
                OR EXISTS (
                    SELECT 1 FROM (SELECT json_extract(value, '$.url') AS url FROM json_each(d.attachments)
                                   UNION SELECT value FROM json_each(d.images)) AS wanted
                    WHERE wanted.url NOT IN (SELECT url FROM document_files WHERE document_url = d.url)
                      AND coalesce((SELECT crawls FROM tried WHERE tried.url = wanted.url), 0) < ?))
            """, (MAX_TRIES, MAX_TRIES, MAX_TRIES)
        )}

    def incomplete_page_details(self) -> dict[str, str]:
        """Each URL's latest ``incomplete_page`` failure detail: where its text stopped last time."""
        return dict(self.conn.execute(
            "SELECT url, detail FROM failures WHERE id IN "
            "(SELECT max(id) FROM failures WHERE reason = 'incomplete_page' GROUP BY url)"
        ).fetchall())

    def pending_urls(self) -> set[str]:
        """URLs that failed in earlier crawls and still have no document: retried next time
        (a listed article found gone is not: refresh runs recheck it)."""
        return {row[0] for row in self.conn.execute(
            "SELECT DISTINCT url FROM failures WHERE page_kind = 'article' AND reason != 'other_column' "
            "AND url NOT IN (SELECT url FROM documents) AND url NOT IN (SELECT url FROM listed_gone)"
        )}


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any exception."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb) -> None:
        self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")


class _BatchedWrite:
    """A write of a batched archive: a savepoint of the batch's transaction, which the batch's
    first write begins (so a write lock held elsewhere fails that write, as unbatched)."""

    def __init__(self, archive: Archive) -> None:
        self.archive, self.conn = archive, archive.conn

    def __enter__(self) -> None:
        if self.archive.batch_lost:
            # A savepoint outside a transaction would begin one: the lost batch must be seen first.
            raise self.archive.batch_lost
        if not self.archive._batch_open:
            self.conn.execute("BEGIN IMMEDIATE")
            self.archive._batch_open = True
        self.conn.execute("SAVEPOINT write")

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.conn.execute("RELEASE write")
        elif self.conn.in_transaction:
            self.conn.execute("ROLLBACK TO write")
            self.conn.execute("RELEASE write")
        else:  # SQLite rolled the whole batch back: batch_lost says why
            self.archive._batch_error = self.archive._batch_error or exc


def _page_columns(record: Mapping, capture_id: int) -> dict:
    """The documents columns a parse of the page gives (not the crawl's, not the view count):
    the fields of a ``parsers.record.DocumentRecord``, its facts one column each."""
    facts = record.get("facts") or {}
    return {
        "url": record["url"], "title": record["title"], "published_at": record["published_at"],
        "published_at_source": record.get("published_at_source"),
        "parts": json.dumps(record.get("parts", []), ensure_ascii=False),
        "source": record["source"], "body_text": record["body_text"],
        "paragraphs": json.dumps(record["paragraphs"], ensure_ascii=False),
        "prev_url": (record.get("prev") or {}).get("url"), "next_url": (record.get("next") or {}).get("url"),
        "attachments": json.dumps(record.get("attachments") or [], ensure_ascii=False),
        "images": json.dumps(record.get("images") or [], ensure_ascii=False),
        "view_count_url": record.get("view_count_url"),
        "column_name": record.get("column"), "capture_id": capture_id,
        **{column: facts.get(column) for column in FACT_COLUMNS},
    }
