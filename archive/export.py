"""Exports of the archive's tables as CSV or JSON Lines, with stable column names.

Each exportable table is one ``TableExport`` entry in EXPORTS; the columns listed there are
the export's contract with its users (new ones are only ever appended). A documents row
carries every archived field of the parser's record (``parsers.record.DocumentRecord``),
its facts one column each and its sections nested, besides the crawl's own columns.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from .captures import Moment
from .store import FACT_COLUMNS, Archive


@dataclass(frozen=True)
class Since:
    """What --since compares with in a table."""

    sql: str  # an expression; {table} is the table's name
    meaning: str  # for --help
    publish_time: bool = False  # China-time publish dates rather than the archive's UTC times

    def where(self, table: str, since: Moment) -> tuple[str, list[str]]:
        bound = since.china() if self.publish_time else since.utc()
        return f"{self.sql.format(table=table)} >= ?", [bound]


PUBLISHED = Since("published_at", "publish time (China time)", publish_time=True)
# Rows that have no date of their own compare their document's publish time.
DOCUMENT_PUBLISHED = Since("(SELECT published_at FROM documents d WHERE d.id = {table}.document_id)",
                           "their document's publish time (China time)", publish_time=True)
OBSERVED = Since("observed_at", "observation time (UTC)")
FETCHED = Since("fetched_at", "fetch time (UTC)")


def document_sections(archive: Archive, document_id: int) -> list[dict]:
    """A document's sections in order, each with its numbered items."""
    items: dict[int, list[dict]] = {}
    for section_id, ordinal, heading, text in archive.conn.execute(
            "SELECT section_id, ordinal, heading, text FROM items WHERE document_id = ? ORDER BY section_id, ordinal",
            (document_id,)):
        items.setdefault(section_id, []).append({"ordinal": ordinal, "heading": heading, "text": text})
    return [{"kind": kind, "heading": heading, "text": text, "items": items.get(section_id, [])}
            for section_id, kind, heading, text in archive.conn.execute(
                "SELECT id, kind, heading, text FROM sections WHERE document_id = ? ORDER BY position", (document_id,))]


@dataclass(frozen=True)
class TableExport:
    table: str
    columns: tuple[str, ...]  # names, or "SQL expression AS name"
    order_by: str
    since: Since
    # JSON text in the archive: nested in JSON Lines, JSON text in CSV; NULL (unknown, as the
    # images of documents archived before they were recorded) stays null, an empty CSV cell.
    json_columns: tuple[str, ...] = ()
    nested: dict[str, Callable[[Archive, dict], object]] | None = None  # extra columns computed per row
    # Columns appended after the nested ones (the column order is a contract: only ever appended).
    trailing: tuple[str, ...] = ()
    # What --site compares with: the row's site, or its document's (its capture's); {table} is the table's name.
    site: str = "(SELECT site FROM documents d WHERE d.id = {table}.document_id)"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(column.rsplit(" AS ", 1)[-1] for column in self.columns) + tuple(self.nested or ()) + self.trailing

    def rows(self, archive: Archive, since: Moment | str | None = None, site: str | None = None) -> Iterator[dict]:
        """The rows (published, observed or fetched ``since``; of the site named ``site``)."""
        conditions, params = [], []
        if since:
            condition, bounds = self.since.where(self.table, Moment.parse(since))
            conditions.append(condition)
            params += bounds
        if site is not None:
            conditions.append(f"{self.site.format(table=self.table)} = ?")
            params.append(site)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        cursor = archive.conn.execute(
            f"SELECT {', '.join(self.columns + self.trailing)} FROM {self.table} {where} ORDER BY {self.order_by}", params)
        plain = [column.rsplit(" AS ", 1)[-1] for column in self.columns]
        for values in cursor:
            row = dict(zip(plain, values))
            after = dict(zip(self.trailing, values[len(plain):]))
            for cells in (row, after):
                for column in self.json_columns:
                    if cells.get(column) is not None:
                        cells[column] = json.loads(cells[column])
            for name, compute in (self.nested or {}).items():
                row[name] = compute(archive, row)
            yield {**row, **after}


# snapshot_id: a capture's id under its earlier name, kept where readers of the exports
# find it (capture_id is appended).
EXPORTS = {
    "documents": TableExport(
        "documents",
        ("url", "title", "published_at", "source", "view_count", "body_text", "paragraphs", "prev_url", "next_url",
         "attachments", "column_name", "capture_id AS snapshot_id", "first_seen_at", "last_seen_at",
         "id", "revision", "removed_at", *FACT_COLUMNS, "view_count_url", "images", "capture_id",
         "view_count_source", "view_count_includes_own_fetch", "column_kind", "column_url",
         # an opinion's deadline status as of today (the followup_status view; archive/followups.py)
         "(SELECT status FROM followup_status s WHERE s.opinion_id = documents.id) AS followup_status",
         "(SELECT days FROM followup_status s WHERE s.opinion_id = documents.id) AS followup_days"),
        order_by="published_at DESC, id", since=PUBLISHED, json_columns=("paragraphs", "attachments", "images", "sections", "parts"),
        nested={"sections": lambda archive, row: document_sections(archive, row["id"])},
        trailing=("site", "published_at_source", "parts", "view_count_approximate"), site="site",
    ),
    "sections": TableExport(
        "sections", ("id", "document_id", "position", "kind", "heading", "text", "capture_id AS snapshot_id", "capture_id"),
        order_by="document_id, position", since=DOCUMENT_PUBLISHED,
    ),
    "items": TableExport(
        "items", ("id", "section_id", "document_id", "ordinal", "heading", "text"),
        order_by="document_id, section_id, ordinal", since=DOCUMENT_PUBLISHED,
    ),
    "view_counts": TableExport(
        "view_counts",
        ("document_id", "(SELECT url FROM documents d WHERE d.id = document_id) AS url", "observed_at", "count", "crawl_id",
         "source", "includes_own_fetch", "approximate"),
        order_by="observed_at, id", since=OBSERVED,
    ),
    "captures": TableExport(
        "snapshots",  # the view: the captures with their URL and headers as received
        ("id", "url", "method", "fetched_at", "status", "content_type", "size", "sha256", "headers", "request_headers",
         "crawl_id"),
        order_by="fetched_at, id", since=FETCHED, json_columns=("headers", "request_headers"),
        site="(SELECT site FROM captures c WHERE c.id = {table}.id)",
    ),
}


# Names a table had in earlier releases, still accepted.
EXPORT_ALIASES = {"snapshots": "captures"}

# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection"): a title such as
# =HYPERLINK(...) would become a live link, @SUM(...) a calculation.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(value: object) -> object:
    """A cell a spreadsheet shows as the text it is: an apostrophe before a formula's start."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_export(archive: Archive, stream: IO[str], fmt: str, since: Moment | str | None = None, table: str = "documents",
                 for_spreadsheets: bool = False, site: str | None = None) -> int:
    """Write ``table`` to ``stream`` as "csv" or "jsonl"; returns the number of rows. CSV keeps
    every value as stored unless ``for_spreadsheets``, which makes formula-like cells text."""
    export = EXPORTS[EXPORT_ALIASES.get(table, table)]
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=export.names)
        writer.writeheader()
        for row in export.rows(archive, since, site):
            cells = {k: json.dumps(v, ensure_ascii=False) if k in export.json_columns and v is not None else v
                     for k, v in row.items()}
            writer.writerow({k: as_text_cell(v) for k, v in cells.items()} if for_spreadsheets else cells)
            count += 1
    else:
        for row in export.rows(archive, since, site):
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count
