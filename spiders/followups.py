"""Link the archive's opinions to their follow-ups: the opinions' deadlines (parsers/deadlines.py)
and the follow-up pages' facts (parsers/followups.py) handed to archive/followups.py, which
links and stores them. Run at the end of every crawl, by ``reparse`` and after an analyst's decision."""

from __future__ import annotations

from dataclasses import asdict

from archive import Archive
from archive.followups import linking_inputs, match, record_status_events, store_links
from archive.sites import document_sites
from parsers.deadlines import opinion_deadline
from parsers.followups import meeting_key, normalise_subject, parse_followup


def relink(archive: Archive, crawl_id: int | None = None, site: str | None = None) -> int:
    """Make the links again, site by site (an opinion's follow-ups are its own site's: counties
    hear reports on the same subjects); with ``site``, that site's only (a crawl's close, which
    then costs what its site holds, not the archive). With a ``crawl_id``, record the statuses
    that changed. Returns the links made."""
    sites = [site] if site is not None else document_sites(archive)
    return sum(_relink_site(archive, crawl_id, name) for name in sites)


def _relink_site(archive: Archive, crawl_id: int | None, site: str) -> int:
    opinions, documents = linking_inputs(archive, site)
    facts, deadlines = [], {}
    for opinion in opinions:
        deadline = opinion_deadline(opinion["closing"] or "", opinion["signed_date"])
        deadlines[opinion["id"]] = {**asdict(deadline), "start_stated": int(deadline.start_stated)} if deadline else None
        facts.append({"id": opinion["id"], "subject_key": normalise_subject(opinion["subject"] or "") or None,
                      "meeting_key": meeting_key(opinion["meeting"]), "signed": opinion["signed_date"],
                      "addressee": opinion["addressee"]})
    opinion_ids = {opinion["id"] for opinion in opinions}
    pages = []
    for document in documents:
        page = parse_followup(document["title"], document["body_text"]) if document["id"] not in opinion_ids else None
        if page is not None:
            pages.append({**asdict(page), "id": document["id"], "published": document["published"],
                          "meeting_key": meeting_key(page.meeting)})
    count = store_links(archive, match(facts, pages), deadlines, site)
    if crawl_id is not None:
        record_status_events(archive, crawl_id, site=site)
    return count
