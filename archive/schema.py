"""Schema of the archive and its named migrations.

The current schema is one text, ``schema.sql``: a new archive is created from it. An archive
written by an earlier release reaches the same schema through the migrations below, each
with a stable name; an upgrade applies the missing ones in order, in one transaction (a
migration is SQL, or a function of the connection for steps that need Python, such as
filling the search index). The names applied are recorded in ``_migrations``. Archives from before that table existed recorded
only a number in ``PRAGMA user_version``, and that number was reused (7 meant
``view_count_url`` on one line of history, compact captures on another), so what they hold
decides which migrations they already have. ``user_version`` still counts the migrations,
so that releases from before named migrations refuse an archive newer than they are.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files

from .headers import content_type, split_headers
from .revisions import content_hash, revision_record
from .search import rebuild_index


def _backfill_revisions(conn: sqlite3.Connection) -> None:
    """Documents archived before revisions existed become revision 1, first seen as 'new'."""
    rows = conn.execute(
        "SELECT id, url, title, published_at, source, body_text, attachments, snapshot_id, first_seen_crawl, "
        "first_seen_at, view_count, last_seen_crawl, last_seen_at FROM documents"
    ).fetchall()
    for (doc_id, _url, title, published_at, source, body_text, attachments, snapshot_id, crawl_id, seen_at,
         views, last_crawl, last_seen) in rows:
        record = revision_record({"title": title, "published_at": published_at, "source": source,
                                  "body_text": body_text, "attachments": json.loads(attachments)})
        digest = content_hash(record)
        conn.execute("UPDATE documents SET content_hash = ?, revision = 1 WHERE id = ?", (digest, doc_id))
        conn.execute("INSERT INTO revisions (document_id, number, content_hash, record, snapshot_id, crawl_id, observed_at) "
                     "VALUES (?, 1, ?, ?, ?, ?, ?)", (doc_id, digest, json.dumps(record, ensure_ascii=False), snapshot_id, crawl_id, seen_at))
        conn.execute("INSERT INTO events (document_id, kind, revision, snapshot_id, crawl_id, observed_at) "
                     "VALUES (?, 'new', 1, ?, ?, ?)", (doc_id, snapshot_id, crawl_id, seen_at))
        if views is not None:
            conn.execute("INSERT INTO view_counts (document_id, observed_at, count, crawl_id, snapshot_id) VALUES (?, ?, ?, ?, ?)",
                         (doc_id, last_seen, views, last_crawl, snapshot_id))


def header_set_key(headers_json: str) -> str:
    return hashlib.sha256(headers_json.encode("utf-8")).hexdigest()


def _move_request_headers(conn: sqlite3.Connection) -> None:
    for (headers,) in conn.execute("SELECT DISTINCT request_headers FROM snapshots").fetchall():
        conn.execute("INSERT OR IGNORE INTO header_sets (sha256, headers) VALUES (?, ?)", (header_set_key(headers), headers))
    conn.execute("UPDATE snapshots SET request_header_set = (SELECT id FROM header_sets h WHERE h.headers = "
                 "snapshots.request_headers), request_headers = ''")


def execute_statements(conn: sqlite3.Connection, script: str) -> None:
    """Run each statement of ``script`` in the current transaction (executescript() would commit)."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement: {statement.strip()[:60]}")


SEARCH_VIEWS_AND_AUDITS = """
-- Tokens from archive/tokens.py, split at spaces; prefix index for one-character queries.
CREATE VIRTUAL TABLE search_index USING fts5(title, body, tokenize = 'ascii', prefix = '1');
CREATE VIEW documents_overview AS
    SELECT id, substr(published_at, 1, 4) AS year, substr(published_at, 1, 10) AS published_on, title, source,
           view_count, length(body_text) AS characters, url
    FROM documents;
CREATE VIEW documents_by_year AS
    SELECT substr(published_at, 1, 4) AS year, count(*) AS documents, sum(view_count) AS views,
           sum(length(body_text)) AS characters
    FROM documents GROUP BY year ORDER BY year;
CREATE VIEW documents_by_source AS
    SELECT source, count(*) AS documents, min(published_at) AS first_published, max(published_at) AS last_published
    FROM documents GROUP BY source ORDER BY documents DESC;
CREATE TABLE audits (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    checked INTEGER NOT NULL,
    failed INTEGER NOT NULL,
    missing INTEGER NOT NULL,
    problems TEXT NOT NULL DEFAULT '[]'
);
"""


def add_search_views_and_audits(conn: sqlite3.Connection) -> None:
    execute_statements(conn, SEARCH_VIEWS_AND_AUDITS)
    rebuild_index(conn)


def header_set_id(conn: sqlite3.Connection, headers_json: str) -> int:
    key = header_set_key(headers_json)
    conn.execute("INSERT OR IGNORE INTO header_sets (sha256, headers, content_type) VALUES (?, ?, ?)",
                 (key, headers_json, content_type(json.loads(headers_json))))
    return conn.execute("SELECT id FROM header_sets WHERE sha256 = ?", (key,)).fetchone()[0]


# The shape snapshots had as a table (up to schema 6), for analysts' queries and the readers
# of single columns; the archive's own code writes the captures table. A body's SHA-256 is
# stored as its 32 bytes (as text only for a capture of an old archive that named its body
# otherwise).
SNAPSHOTS_VIEW = """
CREATE VIEW snapshots AS
    SELECT c.id, c.crawl_id, u.url, c.method, c.fetched_at, c.protocol, c.status,
           (SELECT json_group_array(json_array(t.value ->> 0, coalesce(t.value ->> 1, c.header_values ->> (
                        SELECT count(*) FROM json_each(h.headers) p WHERE p.key < t.key AND p.value ->> 1 IS NULL))))
            FROM json_each(h.headers) t) AS headers,
           coalesce(r.headers, '[]') AS request_headers, h.content_type,
           CASE typeof(c.sha256) WHEN 'blob' THEN lower(hex(c.sha256)) ELSE c.sha256 END AS sha256,
           c.size, c.request_header_set
    FROM captures c JOIN urls u ON u.id = c.url_id JOIN header_sets h ON h.id = c.header_set
    LEFT JOIN header_sets r ON r.id = c.request_header_set;
"""


def digest_bytes(sha256: str) -> bytes | str:
    try:
        return bytes.fromhex(sha256) if len(sha256) == 64 else sha256
    except ValueError:
        return sha256


def _copy_captures(conn: sqlite3.Connection) -> None:
    for set_id, headers in conn.execute("SELECT id, headers FROM header_sets").fetchall():
        conn.execute("UPDATE header_sets SET content_type = ? WHERE id = ?", (content_type(json.loads(headers)), set_id))
    rows = conn.execute("SELECT c.id, c.crawl_id, u.id, c.method, c.fetched_at, c.protocol, c.status, c.headers, "
                        "c.request_header_set, c.sha256, c.size FROM captures c JOIN urls u ON u.url = c.url").fetchall()
    for capture_id, crawl_id, url_id, method, fetched_at, protocol, status, headers, request_set, sha256, size in rows:
        template, varying = split_headers(json.loads(headers))
        conn.execute("INSERT INTO captures_new (id, crawl_id, url_id, method, fetched_at, protocol, status, header_set, "
                     "header_values, request_header_set, sha256, size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (capture_id, crawl_id, url_id, method, fetched_at, protocol, status, header_set_id(conn, template),
                      varying, request_set, digest_bytes(sha256), size))


NARROW_CAPTURES = (
    # Renamed first, so that the other tables' foreign keys follow to captures; then rebuilt
    # (migrate() turns foreign keys off for that).
    """
    ALTER TABLE snapshots RENAME TO captures;
    CREATE TABLE urls (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE
    );
    INSERT INTO urls (url) SELECT url FROM captures GROUP BY url ORDER BY min(id);
    ALTER TABLE header_sets ADD COLUMN content_type TEXT;
    CREATE TABLE captures_new (
        id INTEGER PRIMARY KEY,
        crawl_id INTEGER REFERENCES crawls(id),
        url_id INTEGER NOT NULL REFERENCES urls(id),
        method TEXT NOT NULL DEFAULT 'GET',
        fetched_at TEXT NOT NULL,
        protocol TEXT,
        status INTEGER NOT NULL,
        header_set INTEGER NOT NULL REFERENCES header_sets(id),
        header_values TEXT,
        request_header_set INTEGER REFERENCES header_sets(id),
        sha256 BLOB NOT NULL,
        size INTEGER NOT NULL
    );
    """,
    _copy_captures,
    """
    DROP TABLE captures;
    ALTER TABLE captures_new RENAME TO captures;
    CREATE INDEX captures_url ON captures(url_id);
    DROP INDEX view_counts_document;
    CREATE INDEX view_counts_document ON view_counts(document_id);
    """,
    SNAPSHOTS_VIEW,
)


# The site of rows written without one: every row of an archive from before sites, and of a
# crawl made without --site (archive/sites.py).
DEFAULT_SITE = "default"

Step = str | Callable[[sqlite3.Connection], None]


@dataclass(frozen=True)
class Migration:
    name: str
    # Whether an archive from before named migrations already has this one.
    found: Callable[[sqlite3.Connection], bool]
    steps: tuple[Step, ...]

    def run(self, conn: sqlite3.Connection) -> None:
        """Run the steps in the current transaction (recording the name is migrate()'s job)."""
        for step in self.steps:
            if callable(step):
                step(conn)
            else:
                execute_statements(conn, step)


def has_table(name: str) -> Callable[[sqlite3.Connection], bool]:
    return lambda conn: conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def has_column(table: str, column: str) -> Callable[[sqlite3.Connection], bool]:
    return lambda conn: conn.execute("SELECT 1 FROM pragma_table_info(?) WHERE name = ?", (table, column)).fetchone() is not None


FOLLOWUPS = """
CREATE TABLE followups (
    id INTEGER PRIMARY KEY,
    opinion_id INTEGER NOT NULL REFERENCES documents(id),
    followup_id INTEGER NOT NULL REFERENCES documents(id),
    kind TEXT NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL DEFAULT '[]',
    ambiguous INTEGER NOT NULL DEFAULT 0,
    decision TEXT,
    vote TEXT,
    round INTEGER NOT NULL DEFAULT 1,
    UNIQUE (opinion_id, followup_id)
);
CREATE TABLE followup_decisions (
    opinion_url TEXT NOT NULL,
    followup_url TEXT NOT NULL,
    decision TEXT NOT NULL CHECK (decision IN ('link', 'reject')),
    decided_at TEXT NOT NULL,
    PRIMARY KEY (opinion_url, followup_url)
);
CREATE TABLE followup_deadlines (
    opinion_id INTEGER PRIMARY KEY REFERENCES documents(id),
    phrase TEXT NOT NULL,
    counted_from TEXT NOT NULL,
    start TEXT,
    start_stated INTEGER NOT NULL,
    due TEXT
);
CREATE TABLE followup_events (
    id INTEGER PRIMARY KEY,
    opinion_id INTEGER NOT NULL REFERENCES documents(id),
    status TEXT NOT NULL,
    days INTEGER,
    previous_status TEXT,
    crawl_id INTEGER REFERENCES crawls(id),
    observed_at TEXT NOT NULL
);
CREATE VIEW followup_status AS
    SELECT o.id AS opinion_id, o.url, o.title, o.signed_date, d.phrase AS deadline, d.counted_from, d.start, d.due,
           f.first_followup,
           CASE WHEN d.due IS NULL THEN 'unknown'
                WHEN f.first_followup IS NOT NULL AND f.first_followup <= d.due THEN 'met'
                WHEN f.first_followup IS NOT NULL THEN 'late'
                WHEN date('now') <= d.due THEN 'pending' ELSE 'missing' END AS status,
           CASE WHEN d.due IS NULL THEN NULL
                WHEN f.first_followup IS NOT NULL AND f.first_followup > d.due
                    THEN CAST(julianday(f.first_followup) - julianday(d.due) AS INTEGER)
                WHEN f.first_followup IS NULL AND date('now') > d.due THEN CAST(julianday(date('now')) - julianday(d.due) AS INTEGER)
                END AS days,
           f.followups
    FROM documents o LEFT JOIN followup_deadlines d ON d.opinion_id = o.id
    LEFT JOIN (SELECT l.opinion_id, min(substr(r.published_at, 1, 10)) AS first_followup, count(*) AS followups
               FROM followups l JOIN documents r ON r.id = l.followup_id
               WHERE coalesce(l.decision, CASE WHEN l.ambiguous THEN 'reject' ELSE 'link' END) = 'link'
               GROUP BY l.opinion_id) f ON f.opinion_id = o.id
    WHERE coalesce(o.column_kind, 'opinions') = 'opinions' AND o.removed_at IS NULL;
"""


# The followup_status view as the followups migration made it, with each opinion's site after its id
# (tests/test_schema.py checks that it is the view of schema.sql).
_FOLLOWUP_STATUS = FOLLOWUPS[FOLLOWUPS.index("CREATE VIEW followup_status AS"):]
FOLLOWUP_STATUS_WITH_SITES = _FOLLOWUP_STATUS.replace("SELECT o.id AS opinion_id, o.url,", "SELECT o.id AS opinion_id, o.site, o.url,", 1)

# Names are stable and order is history: a new migration is added at the end, never renumbered.
MIGRATIONS: tuple[Migration, ...] = (
    # crawls, raw snapshots (content-addressed blobs), documents, failures.
    Migration("initial", has_table("crawls"), ("""
    CREATE TABLE crawls (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        mode TEXT NOT NULL,
        arguments TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL DEFAULT 'running',
        stats TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TABLE blobs (
        sha256 TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        compression TEXT NOT NULL,
        stored_size INTEGER NOT NULL,
        data BLOB NOT NULL
    );
    CREATE TABLE snapshots (
        id INTEGER PRIMARY KEY,
        crawl_id INTEGER REFERENCES crawls(id),
        url TEXT NOT NULL,
        method TEXT NOT NULL DEFAULT 'GET',
        fetched_at TEXT NOT NULL,
        protocol TEXT,
        status INTEGER NOT NULL,
        headers TEXT NOT NULL,
        request_headers TEXT NOT NULL DEFAULT '[]',
        content_type TEXT,
        sha256 TEXT NOT NULL REFERENCES blobs(sha256),
        size INTEGER NOT NULL
    );
    CREATE INDEX snapshots_url ON snapshots(url);
    CREATE INDEX snapshots_sha256 ON snapshots(sha256);
    CREATE TABLE documents (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        published_at TEXT,
        source TEXT,
        view_count INTEGER,
        body_text TEXT NOT NULL,
        paragraphs TEXT NOT NULL,
        prev_url TEXT,
        next_url TEXT,
        attachments TEXT NOT NULL DEFAULT '[]',
        column_name TEXT,
        list_title TEXT,
        snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
        first_seen_crawl INTEGER REFERENCES crawls(id),
        last_seen_crawl INTEGER REFERENCES crawls(id),
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL
    );
    CREATE INDEX documents_published_at ON documents(published_at);
    CREATE TABLE failures (
        id INTEGER PRIMARY KEY,
        crawl_id INTEGER REFERENCES crawls(id),
        url TEXT NOT NULL,
        reason TEXT NOT NULL,
        detail TEXT,
        attempts INTEGER NOT NULL DEFAULT 1,
        snapshot_id INTEGER REFERENCES snapshots(id),
        failed_at TEXT NOT NULL
    );
    CREATE INDEX failures_crawl ON failures(crawl_id);
    """,)),
    # revisions, change events, removals, view-count series, crawl figures.
    Migration("revisions", has_table("revisions"), (
        """
        ALTER TABLE documents ADD COLUMN content_hash TEXT;
        ALTER TABLE documents ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE documents ADD COLUMN removed_at TEXT;
        ALTER TABLE documents ADD COLUMN removed_snapshot_id INTEGER REFERENCES snapshots(id);
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            number INTEGER NOT NULL,
            content_hash TEXT NOT NULL,
            record TEXT NOT NULL,
            snapshot_id INTEGER REFERENCES snapshots(id),
            crawl_id INTEGER REFERENCES crawls(id),
            observed_at TEXT NOT NULL,
            UNIQUE (document_id, number)
        );
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            kind TEXT NOT NULL CHECK (kind IN ('new', 'changed', 'removed', 'restored')),
            revision INTEGER,
            snapshot_id INTEGER REFERENCES snapshots(id),
            crawl_id INTEGER REFERENCES crawls(id),
            observed_at TEXT NOT NULL
        );
        CREATE INDEX events_observed_at ON events(observed_at);
        CREATE TABLE view_counts (
            id INTEGER PRIMARY KEY,
            document_id INTEGER NOT NULL REFERENCES documents(id),
            observed_at TEXT NOT NULL,
            count INTEGER NOT NULL,
            crawl_id INTEGER REFERENCES crawls(id),
            snapshot_id INTEGER REFERENCES snapshots(id)
        );
        CREATE INDEX view_counts_document ON view_counts(document_id, observed_at);
        ALTER TABLE failures ADD COLUMN page_kind TEXT;
        ALTER TABLE crawls ADD COLUMN requests INTEGER;
        ALTER TABLE crawls ADD COLUMN responses_by_status TEXT;
        ALTER TABLE crawls ADD COLUMN documents_new INTEGER;
        ALTER TABLE crawls ADD COLUMN documents_changed INTEGER;
        ALTER TABLE crawls ADD COLUMN documents_unchanged INTEGER;
        ALTER TABLE crawls ADD COLUMN documents_removed INTEGER;
        ALTER TABLE crawls ADD COLUMN documents_restored INTEGER;
        ALTER TABLE crawls ADD COLUMN failures INTEGER;
        ALTER TABLE crawls ADD COLUMN bytes_fetched INTEGER;
        ALTER TABLE crawls ADD COLUMN bytes_stored INTEGER;
        """,
        _backfill_revisions,
    )),
    # attachments and body images, fetched once and linked to their documents.
    Migration("document_files", has_table("document_files"), ("""
    CREATE TABLE document_files (
        document_url TEXT NOT NULL,
        url TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('attachment', 'image')),
        name TEXT,
        snapshot_id INTEGER REFERENCES snapshots(id),
        crawl_id INTEGER REFERENCES crawls(id),
        PRIMARY KEY (document_url, url)
    );
    CREATE INDEX document_files_url ON document_files(url);
    """,)),
    # blobs stored as zstd deltas against similar blobs (see archive/blobs.py); request
    # headers, the same for nearly every request, stored once per distinct set.
    Migration("blob_deltas", has_table("header_sets"), (
        """
        ALTER TABLE blobs ADD COLUMN params TEXT;
        ALTER TABLE blobs ADD COLUMN base_sha256 TEXT REFERENCES blobs(sha256);
        ALTER TABLE blobs ADD COLUMN depth INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE header_sets (
            id INTEGER PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            headers TEXT NOT NULL
        );
        ALTER TABLE snapshots ADD COLUMN request_header_set INTEGER REFERENCES header_sets(id);
        """,
        _move_request_headers,
    )),
    # an opinion's structure: its facts on the document row, its sections in order and their
    # numbered items, each linked to the snapshot it was parsed from.
    Migration("sections", has_table("sections"), ("""
    ALTER TABLE documents ADD COLUMN issuer TEXT;
    ALTER TABLE documents ADD COLUMN addressee TEXT;
    ALTER TABLE documents ADD COLUMN subject TEXT;
    ALTER TABLE documents ADD COLUMN meeting TEXT;
    ALTER TABLE documents ADD COLUMN meeting_date TEXT;
    ALTER TABLE documents ADD COLUMN signed_date TEXT;
    ALTER TABLE documents ADD COLUMN report_deadline TEXT;
    ALTER TABLE documents ADD COLUMN report_due TEXT;
    CREATE TABLE sections (
        id INTEGER PRIMARY KEY,
        document_id INTEGER NOT NULL REFERENCES documents(id),
        snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        heading TEXT,
        text TEXT NOT NULL,
        UNIQUE (document_id, position)
    );
    CREATE INDEX sections_kind ON sections(kind);
    CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        section_id INTEGER NOT NULL REFERENCES sections(id),
        document_id INTEGER NOT NULL REFERENCES documents(id),
        ordinal INTEGER NOT NULL,
        heading TEXT,
        text TEXT NOT NULL,
        UNIQUE (section_id, ordinal)
    );
    CREATE INDEX items_document ON items(document_id);
    """,)),
    # full-text search index (filled from the documents), analysts' views, fixity audits.
    Migration("search", has_table("search_index"), (add_search_views_and_audits,)),
    # what each capture costs, cut: response headers stored once per distinct template with
    # the values that change on every response apart (archive/headers.py), its content type
    # with it, URLs stored once, the body's SHA-256 as 32 bytes and not indexed (fixity audits
    # read every row anyway), view counts indexed by document only (a document's few rows
    # sort fast). The captures table holds the rows; snapshots is a view of the old shape.
    Migration("narrow_captures", has_table("captures"), NARROW_CAPTURES),
    # what a document needs besides its page (the counter script of its view count, its
    # body images), so that a run can tell a document left unfinished and complete it. NULL
    # on documents archived before: unknown, not missing.
    Migration("document_needs", has_column("documents", "view_count_url"), ("""
    ALTER TABLE documents ADD COLUMN view_count_url TEXT;
    ALTER TABLE documents ADD COLUMN images TEXT;
    """,)),
    # one noun for a stored response: the columns that point to one are capture ids (the
    # snapshots view keeps its shape for the queries of its users).
    Migration("capture_ids", has_column("documents", "capture_id"), ("""
    ALTER TABLE documents RENAME COLUMN snapshot_id TO capture_id;
    ALTER TABLE documents RENAME COLUMN removed_snapshot_id TO removed_capture_id;
    ALTER TABLE failures RENAME COLUMN snapshot_id TO capture_id;
    ALTER TABLE revisions RENAME COLUMN snapshot_id TO capture_id;
    ALTER TABLE events RENAME COLUMN snapshot_id TO capture_id;
    ALTER TABLE view_counts RENAME COLUMN snapshot_id TO capture_id;
    ALTER TABLE sections RENAME COLUMN snapshot_id TO capture_id;
    ALTER TABLE document_files RENAME COLUMN snapshot_id TO capture_id;
    """,)),
    # where a view count was read (page, counter or list) and whether it includes the view our
    # own fetch added (a dynamic page or a counter script counts it), per observation and on the
    # document. NULL on counts observed before: unknown.
    Migration("view_count_sources", has_column("documents", "view_count_source"), ("""
    ALTER TABLE documents ADD COLUMN view_count_source TEXT;
    ALTER TABLE documents ADD COLUMN view_count_includes_own_fetch INTEGER;
    ALTER TABLE view_counts ADD COLUMN source TEXT;
    ALTER TABLE view_counts ADD COLUMN includes_own_fetch INTEGER;
    """,)),
    # the body of a request that had one (a POST of Hanweb's dataproxy.jsp: the page asked for
    # is in its form), kept with the capture and written as the WARC request's payload; and the
    # listed articles that answered 404/410 or a soft 404 before they were archived.
    Migration("request_bodies_and_listed_gone", has_column("captures", "request_body"), ("""
    ALTER TABLE captures ADD COLUMN request_body BLOB;
    CREATE TABLE listed_gone (
        url TEXT PRIMARY KEY,
        list_title TEXT,
        listed_at TEXT,
        reason TEXT NOT NULL,
        capture_id INTEGER REFERENCES captures(id),
        crawl_id INTEGER REFERENCES crawls(id),
        first_seen_at TEXT NOT NULL,
        last_checked_at TEXT NOT NULL
    );
    """,)),
    # more than one column per site: what each document, failure and gone listing was listed in
    # (its column's kind and first list page). Archives from before held the 审议意见 column
    # only: their documents are opinions, of the column their first crawl started at.
    Migration("columns", has_column("documents", "column_kind"), ("""
    ALTER TABLE documents ADD COLUMN column_kind TEXT;
    ALTER TABLE documents ADD COLUMN column_url TEXT;
    ALTER TABLE failures ADD COLUMN column_kind TEXT;
    ALTER TABLE failures ADD COLUMN column_url TEXT;
    ALTER TABLE listed_gone ADD COLUMN column_kind TEXT;
    ALTER TABLE listed_gone ADD COLUMN column_url TEXT;
    UPDATE documents SET column_kind = 'opinions',
        column_url = (SELECT json_extract(c.arguments, '$.start_url') FROM crawls c WHERE c.id = documents.first_seen_crawl);
    """,)),
    # follow-ups: opinions linked to the reports and hearings on them, analysts' decisions,
    # deadlines, status events and the followup_status view (filled by the next crawl or reparse).
    Migration("followups", has_table("followups"), (FOLLOWUPS,)),
    # many sites in one archive: the registry of sites (their politeness, cadence and columns),
    # and the site of every crawl, capture, document, failure and gone listing, the site of the
    # crawl that wrote it. Archives from before held one site: its rows belong to the site
    # named 'default' (archive/sites.py: DEFAULT_SITE), as do crawls made without --site.
    Migration("sites", has_table("sites"), ("""
    CREATE TABLE sites (
        name TEXT PRIMARY KEY,
        home_url TEXT NOT NULL,
        family TEXT,
        delay REAL NOT NULL,
        concurrency INTEGER NOT NULL,
        cadence_hours REAL NOT NULL,
        added_at TEXT NOT NULL
    );
    CREATE TABLE site_columns (
        site TEXT NOT NULL REFERENCES sites(name) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        url TEXT NOT NULL,
        PRIMARY KEY (site, position)
    );
    ALTER TABLE crawls ADD COLUMN site TEXT NOT NULL DEFAULT 'default';
    ALTER TABLE captures ADD COLUMN site TEXT NOT NULL DEFAULT 'default';
    ALTER TABLE documents ADD COLUMN site TEXT NOT NULL DEFAULT 'default';
    ALTER TABLE failures ADD COLUMN site TEXT NOT NULL DEFAULT 'default';
    ALTER TABLE listed_gone ADD COLUMN site TEXT NOT NULL DEFAULT 'default';
    CREATE INDEX crawls_site ON crawls(site);
    CREATE INDEX documents_site ON documents(site);
    """,)),
    # where a document's publish time was read: a date its page shows ('page') or the page's
    # metadata (<meta name="PubDate">, 'meta'), for templates that show none. NULL on documents
    # parsed before: unknown until a refresh or `npc-archive reparse` reads their page again.
    Migration("published_at_sources", has_column("documents", "published_at_source"), ("""
    ALTER TABLE documents ADD COLUMN published_at_source TEXT;
    """,)),
    # the URLs of a document's later pages, where the site pages it (共3页 上一页 1 2 3 下一页): its
    # record joins them all. NULL on documents parsed before, which were archived as their first
    # page's part alone, until a refresh or `npc-archive reparse` reads them again.
    Migration("article_parts", has_column("documents", "parts"), ("""
    ALTER TABLE documents ADD COLUMN parts TEXT;
    """,)),
    # the followup_status view gives each opinion's site, so that Datasette and SQL select a
    # site's opinions (a view holds no data: it is made anew).
    Migration("followup_status_sites", has_column("followup_status", "site"), (
        "DROP VIEW followup_status;\n" + FOLLOWUP_STATUS_WITH_SITES,)),
    # whether a view count is written rounded (1.2万, about 12,000) or as a floor (10万+), per
    # observation and on the document. NULL on counts observed before: unknown until a crawl
    # observes the document's count again.
    Migration("view_count_approximate", has_column("documents", "view_count_approximate"), ("""
    ALTER TABLE documents ADD COLUMN view_count_approximate INTEGER;
    ALTER TABLE view_counts ADD COLUMN approximate INTEGER;
    """,)),
)

SCHEMA = files(__package__).joinpath("schema.sql").read_text(encoding="utf-8")
SCHEMA_VERSION = len(MIGRATIONS)
MIGRATIONS_TABLE = """
CREATE TABLE _migrations (
    name TEXT PRIMARY KEY,
    applied_at TEXT
);
"""


class ArchiveTooNew(RuntimeError):
    """The archive has migrations this npc-archive does not know."""


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """The names recorded in ``_migrations``, in the order they were applied."""
    if not has_table("_migrations")(conn):
        return []
    return [name for (name,) in conn.execute("SELECT name FROM _migrations ORDER BY rowid")]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Bring the archive to the current schema; returns the names of the migrations it needed."""
    if not _needs_upgrade(conn):
        return []  # without a write lock: readers open an up-to-date archive during a crawl
    # Off while tables are rebuilt (SQLite's own procedure for schema changes): a table dropped
    # and replaced by a copy with the same ids would otherwise fail its children's keys.
    foreign_keys = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            applied = _upgrade(conn)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.execute(f"PRAGMA foreign_keys = {foreign_keys}")
    return applied


def _check_not_newer(conn: sqlite3.Connection) -> list[str]:
    """The migrations recorded, if this npc-archive knows them all."""
    version, recorded = schema_version(conn), applied_migrations(conn)
    unknown = set(recorded) - {migration.name for migration in MIGRATIONS}
    if unknown or version > SCHEMA_VERSION:
        what = f"migrations {', '.join(sorted(unknown))}" if unknown else f"schema {version}"
        raise ArchiveTooNew(f"archive has {what}, newer than this npc-archive ({SCHEMA_VERSION}): upgrade npc-archive")
    return recorded


def _needs_upgrade(conn: sqlite3.Connection) -> bool:
    recorded = _check_not_newer(conn)
    return not has_table("_migrations")(conn) or any(migration.name not in recorded for migration in MIGRATIONS)


NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"  # the form of the archive's other times


def _upgrade(conn: sqlite3.Connection) -> list[str]:
    """Under the write lock, so decided again: a process that raced this one may have migrated."""
    recorded = _check_not_newer(conn)
    if conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0:
        execute_statements(conn, SCHEMA)
        recorded = [migration.name for migration in MIGRATIONS]
        conn.executemany(f"INSERT INTO _migrations (name, applied_at) VALUES (?, {NOW})", [(name,) for name in recorded])
        return recorded
    if not has_table("_migrations")(conn):
        # An archive from before named migrations: what it holds says which it has had.
        recorded = [migration.name for migration in MIGRATIONS if migration.found(conn)]
        execute_statements(conn, MIGRATIONS_TABLE)
        conn.executemany("INSERT INTO _migrations (name) VALUES (?)", [(name,) for name in recorded])
    pending = [migration for migration in MIGRATIONS if migration.name not in recorded]
    for migration in pending:
        migration.run(conn)
        conn.execute(f"INSERT INTO _migrations (name, applied_at) VALUES (?, {NOW})", (migration.name,))
    return [migration.name for migration in pending]
