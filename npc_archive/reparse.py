"""Parse the archived pages again, without fetching them: after a parser upgrade, so that the
records, sections and facts of every document are what the new parser reads in the bytes
already kept (a crawl does so only for the documents it fetches again)."""

from __future__ import annotations

from dataclasses import dataclass, field

from archive import Archive
from spiders.followups import relink
from spiders.reading import UNREADABLE_CAPTURE, read_archived


@dataclass
class Reparsed:
    unchanged: int = 0
    changed: list[str] = field(default_factory=list)  # URLs whose content now reads differently
    failed: list[tuple[str, str]] = field(default_factory=list)  # (URL, reason): left as they were


def reparse_archive(archive: Archive) -> Reparsed:
    """Re-read every archived document (removed ones included) from the capture it was parsed
    from, and link the follow-ups again."""
    result = Reparsed()
    for url, capture_id in archive.parsed_documents():
        try:
            record = read_archived(archive, url, capture_id)
        except UNREADABLE_CAPTURE as error:
            result.failed.append((url, getattr(error, "reason", None) or str(error)))
            continue
        if record is not None and archive.reparse_document(record, capture_id=capture_id):
            result.changed.append(url)
        else:
            result.unchanged += 1
    relink(archive)  # the follow-ups as the new parser reads them (analysts' decisions kept)
    return result
