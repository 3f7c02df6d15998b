"""Helpers for tests that run real crawls in a subprocess."""

from __future__ import annotations

import sqlite3
import subprocess
import sys


def npc_archive(*args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "npc_archive", *args], capture_output=True, text=True, check=check, timeout=timeout)


def crawl(db, server, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return npc_archive("crawl", "--db", str(db), "--start-url", server.start_url, *args, check=check)


def query(db, sql: str, *params) -> list[tuple]:
    """Rows of one query on an archive, on a connection of its own (closed after)."""
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
