"""Exports of the archive's documents with stable column names."""

from __future__ import annotations

import csv
import json
from typing import IO

from .store import FACT_COLUMNS, Archive

EXPORT_COLUMNS = (
    "url", "title", "published_at", "source", "view_count", "body_text", "paragraphs",
    "prev_url", "next_url", "attachments", "column_name", "snapshot_id", "first_seen_at", "last_seen_at",
    *FACT_COLUMNS, "sections",
)
JSON_COLUMNS = ("paragraphs", "attachments", "sections")


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


def export_rows(archive: Archive, since: str | None = None):
    for document in archive.documents(since):
        row = {column: document[column] for column in EXPORT_COLUMNS if column != "sections"}
        row["sections"] = document_sections(archive, document["id"])
        for column in ("paragraphs", "attachments"):
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
