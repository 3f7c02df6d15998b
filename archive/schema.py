"""Schema of the archive and its migrations.

``PRAGMA user_version`` holds the schema version. Each migration brings an archive from
version N-1 to N; an archive written by any earlier release opens and is upgraded in place,
inside one transaction per step. A step is SQL, or a function of the connection for steps
that need Python (such as filling the search index).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from .search import rebuild_index


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


MIGRATIONS: list[str | Callable[[sqlite3.Connection], None]] = [
    # 1: crawls, raw snapshots (content-addressed blobs), documents, failures.
    """
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
    """,
    # 2: full-text search index (filled from the documents), analysts' views, fixity audits.
    add_search_views_and_audits,
]

SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the archive to SCHEMA_VERSION; returns the version it had before."""
    before = schema_version(conn)
    if before > SCHEMA_VERSION:
        raise RuntimeError(f"archive schema {before} is newer than this npc-archive ({SCHEMA_VERSION}): upgrade npc-archive")
    for version in range(before + 1, SCHEMA_VERSION + 1):
        step = MIGRATIONS[version - 1]
        # executescript() commits first, so run each step as one explicit transaction.
        try:
            if callable(step):
                conn.execute("BEGIN IMMEDIATE")
                step(conn)
                conn.execute(f"PRAGMA user_version = {version}")
                conn.execute("COMMIT")
            else:
                conn.executescript(f"BEGIN IMMEDIATE;\n{step}\nPRAGMA user_version = {version};\nCOMMIT;")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return before
