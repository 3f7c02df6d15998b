"""Exports of the archive's tables as CSV or JSON Lines, with stable column names.

Each exportable table is one :class:`TableExport` entry in ``EXPORTS``; the columns listed
there are the export's contract with its users (new ones are only ever appended).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from typing import IO

from .store import Archive


@dataclass(frozen=True)
class TableExport:
    table: str
    columns: tuple[str, ...]
    order_by: str
    since_column: str  # what --since compares with
    json_columns: tuple[str, ...] = ()  # JSON text in the archive: nested in JSON Lines, JSON text in CSV

    def rows(self, archive: Archive, since: str | None = None):
        where, params = (f"WHERE {self.since_column} >= ?", [since]) if since else ("", [])
        cursor = archive.conn.execute(f"SELECT {', '.join(self.columns)} FROM {self.table} {where} ORDER BY {self.order_by}", params)
        for values in cursor:
            row = dict(zip(self.columns, values))
            for column in self.json_columns:
                row[column] = json.loads(row[column])
            yield row


EXPORTS = {
    "documents": TableExport(
        "documents",
        ("url", "title", "published_at", "source", "view_count", "body_text", "paragraphs", "prev_url", "next_url",
         "attachments", "column_name", "snapshot_id", "first_seen_at", "last_seen_at"),
        order_by="published_at DESC, id", since_column="published_at", json_columns=("paragraphs", "attachments"),
    ),
    "snapshots": TableExport(
        "snapshots",
        ("id", "url", "method", "fetched_at", "status", "content_type", "size", "sha256", "headers", "request_headers", "crawl_id"),
        order_by="fetched_at, id", since_column="fetched_at", json_columns=("headers", "request_headers"),
    ),
}


def write_export(archive: Archive, stream: IO[str], fmt: str, since: str | None = None, table: str = "documents") -> int:
    """Write ``table`` to ``stream`` as "csv" or "jsonl"; returns the number of rows."""
    export = EXPORTS[table]
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=export.columns)
        writer.writeheader()
        for row in export.rows(archive, since):
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if k in export.json_columns else v for k, v in row.items()})
            count += 1
    else:
        for row in export.rows(archive, since):
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count
