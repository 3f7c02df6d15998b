"""What makes a revision: a document's content without its view count and navigation.

Prev/next links change whenever a newer opinion is published, and view counts change all
the time; neither is an edit of the document, so neither is hashed.
"""

from __future__ import annotations

import difflib
import hashlib
import json

REVISION_FIELDS = ("title", "published_at", "source", "body_text", "attachments")


def revision_record(record: dict) -> dict:
    """The part of a parsed record that a revision keeps."""
    attachments = [{"name": a.get("name"), "url": a.get("url")} for a in record.get("attachments") or []]
    return {**{field: record.get(field) for field in REVISION_FIELDS}, "attachments": attachments}


def content_hash(revision: dict) -> str:
    canonical = json.dumps(revision, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def diff_revisions(old: dict, new: dict, old_label: str, new_label: str) -> str:
    """A readable unified diff: one line per field, the body one line per paragraph."""

    def lines(revision: dict) -> list[str]:
        head = [f"{field}: {revision.get(field)}" for field in ("title", "published_at", "source")]
        attachments = [f"attachment: {a['name']} <{a['url']}>" for a in revision.get("attachments") or []]
        return head + attachments + ["", *(revision.get("body_text") or "").split("\n")]

    return "\n".join(difflib.unified_diff(lines(old), lines(new), old_label, new_label, lineterm=""))
