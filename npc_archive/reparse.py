"""Parse the archived pages again, without fetching them: after a parser upgrade, so that the
records, sections and facts are what the new parser reads in the bytes already kept, and so
that the next crawl does not take the upgrade for an edit of the site."""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from archive import Archive
from archive.captures import decode_content
from parsers import ParseError, parse_article
from spiders.followups import relink


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
        capture = archive.capture(capture_id)
        try:
            body = decode_content(archive.capture_body(capture_id), capture["headers"])
            record = parse_article(body, url, capture["content_type"]).to_dict()
        except (ParseError, ValueError, zlib.error) as error:
            result.failed.append((url, getattr(error, "reason", None) or str(error)))
            continue
        if archive.reparse_document(record, capture_id=capture_id):
            result.changed.append(url)
        else:
            result.unchanged += 1
    relink(archive)  # the follow-ups as the new parser reads them (analysts' decisions kept)
    return result
