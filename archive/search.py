"""Full-text search over documents' titles and bodies, Chinese words of any length included.

The ``search_index`` FTS5 table (rowid = documents.id) holds each document's tokens from
:mod:`archive.tokens`, which FTS5's ``ascii`` tokenizer only has to split at the spaces.
It is written in the same transaction as the document (:func:`index_document`), and
:func:`rebuild_index` rebuilds it from the documents table.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .tokens import Phrase, index_text, query_phrases

TITLE_WEIGHT, BODY_WEIGHT = 5.0, 1.0  # BM25 weights: a match in the title counts as five in the body
SNIPPET_CHARS = 80
HIGHLIGHT = ("[", "]")


def _add(conn: sqlite3.Connection, document_id: int, title: str, body_text: str) -> None:
    conn.execute("INSERT INTO search_index (rowid, title, body) VALUES (?, ?, ?)",
                 (document_id, index_text(title), index_text(body_text)))


def index_document(conn: sqlite3.Connection, document_id: int, title: str, body_text: str) -> None:
    """(Re)index one document; call it in the transaction that writes the document."""
    conn.execute("DELETE FROM search_index WHERE rowid = ?", (document_id,))
    _add(conn, document_id, title, body_text)


def rebuild_index(conn: sqlite3.Connection) -> int:
    """Index every document afresh (run inside a transaction); returns how many."""
    conn.execute("DELETE FROM search_index")
    count = 0
    for document_id, title, body_text in conn.execute("SELECT id, title, body_text FROM documents"):
        _add(conn, document_id, title, body_text)
        count += 1
    return count


def match_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for a user's query, or None when it has nothing to search for."""
    phrases = query_phrases(query)
    return " AND ".join(phrase.fts5() for phrase in phrases) or None


NOTHING = '""'  # an FTS5 expression that matches no document


def sql_match(query: str | None) -> str:
    """``npc_match(:q)`` in SQL: the MATCH expression ``search`` uses, or one that matches nothing."""
    return match_expression(query or "") or NOTHING


def sql_snippet(text: str | None, query: str | None) -> str:
    """``npc_snippet(text, :q)`` in SQL: the snippet ``search`` shows, matches in [brackets]."""
    return snippet(text or "", query_phrases(query or ""))


SQL_FUNCTIONS = {"npc_match": (1, sql_match), "npc_snippet": (2, sql_snippet)}


def register_functions(conn: sqlite3.Connection) -> None:
    """Make the search's SQL functions available on ``conn`` (Datasette's canned search query calls them)."""
    for name, (arity, function) in SQL_FUNCTIONS.items():
        conn.create_function(name, arity, function, deterministic=True)


@dataclass
class Hit:
    id: int
    url: str
    title: str
    published_at: str | None
    source: str | None
    score: float
    snippet: str

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class SearchResults:
    query: str
    total: int
    hits: list[Hit]


def search(conn: sqlite3.Connection, query: str, limit: int = 20, highlight: tuple[str, str] = HIGHLIGHT,
           site: str | None = None) -> SearchResults:
    """Documents containing every term of ``query`` (of the site named ``site`` only, if given),
    best first (BM25, titles weigh more)."""
    expression = match_expression(query)
    if expression is None:
        return SearchResults(query, 0, [])
    of_site, site_params = ("AND rowid IN (SELECT id FROM documents WHERE site = ?)", (site,)) if site is not None else ("", ())
    total = conn.execute(f"SELECT count(*) FROM search_index WHERE search_index MATCH ? {of_site}",
                         (expression, *site_params)).fetchone()[0]
    rows = conn.execute(
        f"""
        WITH hits AS (SELECT rowid, bm25(search_index, ?, ?) AS rank FROM search_index WHERE search_index MATCH ? {of_site}
                      ORDER BY rank LIMIT ?)
        SELECT d.id, d.url, d.title, d.published_at, d.source, -hits.rank, d.body_text
        FROM hits JOIN documents d ON d.id = hits.rowid ORDER BY hits.rank
        """,
        (TITLE_WEIGHT, BODY_WEIGHT, expression, *site_params, limit),
    ).fetchall()
    phrases = query_phrases(query)
    hits = [Hit(*row[:5], score=round(row[5], 3), snippet=snippet(row[6], phrases, highlight) or snippet(row[2], phrases, highlight))
            for row in rows]
    return SearchResults(query, total, hits)


def snippet(text: str, phrases: list[Phrase], highlight: tuple[str, str] = HIGHLIGHT, width: int = SNIPPET_CHARS) -> str:
    """About ``width`` characters of ``text`` around its first match, matches marked; '' if none."""
    spans = sorted(span for phrase in phrases for span in phrase.spans(text))
    if not spans:
        return ""
    start = max(0, spans[0][0] - width // 4)
    end = min(len(text), start + width)
    pieces, cursor = [], start
    for span_start, span_end in _merge(spans):
        if span_start >= end:
            break
        span_start, span_end = max(span_start, cursor), min(span_end, end)
        pieces += [text[cursor:span_start], highlight[0], text[span_start:span_end], highlight[1]]
        cursor = span_end
    pieces.append(text[cursor:end])
    body = " ".join("".join(pieces).split())  # one line, whatever the text's line breaks
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
