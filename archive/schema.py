"""Schema of the archive and its migrations.

``PRAGMA user_version`` holds the schema version. Each migration brings an archive from
version N-1 to N; an archive written by any earlier release opens and is upgraded in place,
inside one transaction per step.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
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
    # 2: an opinion's structure: its facts on the document row, its sections in order and their
    # numbered items, each linked to the snapshot it was parsed from.
    """
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
    """,
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
        # executescript() commits first, so run each step as one explicit transaction.
        try:
            conn.executescript(f"BEGIN IMMEDIATE;\n{MIGRATIONS[version - 1]}\nPRAGMA user_version = {version};\nCOMMIT;")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return before
