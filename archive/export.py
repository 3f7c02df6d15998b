"""Exports of the archive's documents with stable column names."""

from __future__ import annotations

import csv
import json
from typing import IO

from .store import Archive

EXPORT_COLUMNS = (
    "url", "title", "published_at", "source", "view_count", "body_text", "paragraphs",
    "prev_url", "next_url", "attachments", "column_name", "snapshot_id", "first_seen_at", "last_seen_at",
)
JSON_COLUMNS = ("paragraphs", "attachments")


def export_rows(archive: Archive, since: str | None = None):
    for document in archive.documents(since):
        row = {column: document[column] for column in EXPORT_COLUMNS}
        for column in JSON_COLUMNS:
            row[column] = json.loads(row[column])
        yield row


def write_export(archive: Archive, stream: IO[str], fmt: str, since: str | None = None) -> int:
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=EXPORT_COLUMNS)
        writer.writeheader()
        for row in export_rows(archive, since):
            writer.writerow({k: json.dumps(v, ensure_ascii=False) if k in JSON_COLUMNS else v for k, v in row.items()})
            count += 1
    else:
        for row in export_rows(archive, since):
            stream.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    return count
