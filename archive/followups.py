"""Follow-ups: each opinion linked to the government's reports on it and the meetings that
heard them, with the evidence and a score, and its deadline status as of a date.

The archive imports no parser: the caller (spiders/followups.py) gives the opinions' facts and
the follow-up pages' facts as mappings. Links are made again on every crawl and reparse; an
analyst's link or rejection (``followup_decisions``, by URL) outlives them. A page whose best
candidates tie is linked to each, marked ``ambiguous``, and counts for no status until an
analyst decides."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from .store import Archive, utc_now

STATUSES = ("met", "late", "pending", "missing", "unknown")
# Evidence and what it adds to a link's score; the subject (after normalising both titles) and
# dates in order (the page after the opinion) are required.
WEIGHTS = {"subject": 0.4, "dates_in_order": 0.0, "reference": 0.3, "meeting": 0.3, "other_meeting": -0.3,
           "addressee": 0.1, "nearest": 0.2, "analyst": 1.0}


@dataclass(frozen=True)
class Link:
    opinion_id: int
    followup_id: int
    kind: str
    score: float
    evidence: tuple[str, ...]
    ambiguous: bool
    vote: str | None
    round: int


def match(opinions: list[Mapping], pages: Iterable[Mapping]) -> list[Link]:
    """Links of ``pages`` (id, published, kind, subjects, cited, addressee, meeting_key, vote,
    round) to ``opinions`` (id, subject_key, meeting_key, signed, addressee)."""
    links = []
    for page in pages:
        for subject in dict.fromkeys([*page["subjects"], *page["cited"]]):
            candidates = [o for o in opinions if o["subject_key"] == subject and o["signed"] and page["published"]
                          and o["signed"] <= page["published"]]
            if not candidates:
                continue
            nearest = max(o["signed"] for o in candidates)
            scored = []
            for opinion in candidates:
                evidence = ["subject", "dates_in_order"]
                if subject in page["cited"]:
                    evidence.append("reference")
                if page.get("meeting_key") and opinion.get("meeting_key"):
                    evidence.append("meeting" if page["meeting_key"] == opinion["meeting_key"] else "other_meeting")
                if "人大" in (page.get("addressee") or "") and "政府" in (opinion.get("addressee") or ""):
                    evidence.append("addressee")
                if opinion["signed"] == nearest:
                    evidence.append("nearest")
                scored.append((round(sum(WEIGHTS[e] for e in evidence), 2), opinion, evidence))
            best = max(score for score, _, _ in scored)
            chosen = [(score, opinion, evidence) for score, opinion, evidence in scored if score == best]
            for score, opinion, evidence in chosen:
                links.append(Link(opinion["id"], page["id"], page["kind"], score, tuple(evidence), len(chosen) > 1,
                                  page.get("vote"), page.get("round") or 1))
    return links


def store_links(archive: Archive, links: Iterable[Link], deadlines: Mapping[int, Mapping | None], site: str) -> int:
    """Replace the automatic links and the deadlines of ``site``'s opinions; analysts' decisions are applied on top."""
    with archive._transaction():
        for table in ("followups", "followup_deadlines"):
            archive.conn.execute(f"DELETE FROM {table} WHERE opinion_id IN (SELECT id FROM documents WHERE site = ?)", (site,))
        seen = set()
        for link in links:
            if (link.opinion_id, link.followup_id) in seen:
                continue
            seen.add((link.opinion_id, link.followup_id))
            archive._insert("followups", {"opinion_id": link.opinion_id, "followup_id": link.followup_id, "kind": link.kind,
                                          "score": link.score, "evidence": json.dumps(list(link.evidence)),
                                          "ambiguous": int(link.ambiguous), "vote": link.vote, "round": link.round})
        for opinion_id, deadline in deadlines.items():
            if deadline:
                archive._insert("followup_deadlines", {"opinion_id": opinion_id, **deadline})
        _apply_decisions(archive)
    return len(seen)


def _apply_decisions(archive: Archive) -> None:
    rows = archive.conn.execute(
        "SELECT o.id, f.id, d.decision FROM followup_decisions d JOIN documents o ON o.url = d.opinion_url "
        "JOIN documents f ON f.url = d.followup_url").fetchall()
    for opinion_id, followup_id, decision in rows:
        updated = archive.conn.execute("UPDATE followups SET decision = ? WHERE opinion_id = ? AND followup_id = ?",
                                       (decision, opinion_id, followup_id)).rowcount
        if not updated and decision == "link":
            kind = "report" if "报告" in (archive.conn.execute("SELECT title FROM documents WHERE id = ?",
                                                                (followup_id,)).fetchone()[0]) else "hearing"
            archive._insert("followups", {"opinion_id": opinion_id, "followup_id": followup_id, "kind": kind,
                                          "score": WEIGHTS["analyst"], "evidence": json.dumps(["analyst"]), "ambiguous": 0,
                                          "decision": "link"})


def decide(archive: Archive, opinion_url: str, followup_url: str, decision: str) -> str:
    """An analyst's link or rejection of a follow-up, kept by URL across crawls and reparses.
    Returns the opinion's site, whose links it changes. KeyError if either URL is no archived document."""
    opinion = archive.conn.execute("SELECT site FROM documents WHERE url = ?", (opinion_url,)).fetchone()
    if opinion is None:
        raise KeyError(opinion_url)
    if archive.conn.execute("SELECT 1 FROM documents WHERE url = ?", (followup_url,)).fetchone() is None:
        raise KeyError(followup_url)
    with archive._transaction():
        archive.conn.execute("INSERT INTO followup_decisions (opinion_url, followup_url, decision, decided_at) VALUES (?, ?, ?, ?) "
                             "ON CONFLICT (opinion_url, followup_url) DO UPDATE SET decision = excluded.decision, "
                             "decided_at = excluded.decided_at", (opinion_url, followup_url, decision, utc_now()))
        _apply_decisions(archive)
    return opinion[0]


def followup_statuses(archive: Archive, as_of: str | None = None, site: str | None = None) -> list[dict]:
    """Every opinion's deadline status as of a date (default today): ``met``, ``late`` (``days``
    after the deadline), ``pending``, ``missing`` (``days`` overdue) or ``unknown`` (no deadline
    in its text); the first follow-up counted is the earliest linked, not ambiguous, not rejected,
    published by then. Oldest opinions first; with ``site``, that site's opinions only."""
    as_of = as_of or date.today().isoformat()
    rows = archive.db.query(
        """
        SELECT o.id AS opinion_id, o.site, o.url, o.title, o.signed_date, d.phrase AS deadline, d.counted_from, d.start, d.due,
               (SELECT min(substr(r.published_at, 1, 10)) FROM followups l JOIN documents r ON r.id = l.followup_id
                WHERE l.opinion_id = o.id AND substr(r.published_at, 1, 10) <= :as_of
                  AND coalesce(l.decision, CASE WHEN l.ambiguous THEN 'reject' ELSE 'link' END) = 'link') AS first_followup,
               (SELECT count(*) FROM followups l WHERE l.opinion_id = o.id AND coalesce(l.decision, 'link') = 'link')
                   AS followups,
               (SELECT count(*) FROM followups l WHERE l.opinion_id = o.id AND l.ambiguous AND l.decision IS NULL) AS ambiguous
        FROM documents o LEFT JOIN followup_deadlines d ON d.opinion_id = o.id
        WHERE coalesce(o.column_kind, 'opinions') = 'opinions' AND o.removed_at IS NULL
          AND o.title LIKE '%审议意见%' AND (:site IS NULL OR o.site = :site) ORDER BY o.published_at, o.id
        """, {"as_of": as_of, "site": site})
    found = []
    for row in rows:
        row["status"], row["days"] = status_of(row["due"], row["first_followup"], as_of)
        found.append(row)
    return found


def status_of(due: str | None, first_followup: str | None, as_of: str) -> tuple[str, int | None]:
    if due is None:
        return "unknown", None
    if first_followup is not None:
        late = (date.fromisoformat(first_followup) - date.fromisoformat(due)).days
        return ("late", late) if late > 0 else ("met", None)
    if as_of <= due:
        return "pending", None
    return "missing", (date.fromisoformat(as_of) - date.fromisoformat(due)).days


def record_status_events(archive: Archive, crawl_id: int | None, as_of: str | None = None, site: str | None = None) -> int:
    """A ``followup_events`` row for each opinion (of ``site``) whose status differs from the last one recorded."""
    last = {opinion_id: status for opinion_id, status in archive.conn.execute(
        "SELECT opinion_id, status FROM followup_events e WHERE id = (SELECT max(id) FROM followup_events "
        "WHERE opinion_id = e.opinion_id)")}
    changed = [row for row in followup_statuses(archive, as_of, site) if last.get(row["opinion_id"]) != row["status"]]
    now = utc_now()
    with archive._transaction():
        for row in changed:
            archive._insert("followup_events", {"opinion_id": row["opinion_id"], "status": row["status"], "days": row["days"],
                                                "previous_status": last.get(row["opinion_id"]), "crawl_id": crawl_id,
                                                "observed_at": now})
    return len(changed)


def followup_links(archive: Archive) -> list[dict]:
    """Every link, with both documents' titles and URLs (for ``npc-archive followups --links`` and evaluate)."""
    return list(archive.db.query(
        "SELECT o.url AS opinion_url, o.title AS opinion_title, f.url AS followup_url, f.title AS followup_title, "
        "substr(f.published_at, 1, 10) AS published_on, l.kind, l.score, l.evidence, l.ambiguous, l.decision, l.vote, l.round "
        "FROM followups l JOIN documents o ON o.id = l.opinion_id JOIN documents f ON f.id = l.followup_id "
        "ORDER BY o.published_at, f.published_at"))


def linking_inputs(archive: Archive, site: str) -> tuple[list[dict], list[dict]]:
    """The archived opinions of ``site`` (with their facts and closing text) and its other
    columns' documents (with their title and text), for the caller to parse."""
    opinions = list(archive.db.query(
        "SELECT d.id, d.url, d.title, d.subject, d.meeting, d.signed_date, d.addressee, "
        "(SELECT group_concat(text, '\n') FROM sections s WHERE s.document_id = d.id AND s.kind = 'closing') AS closing "
        "FROM documents d WHERE coalesce(d.column_kind, 'opinions') = 'opinions' AND d.removed_at IS NULL AND d.site = ?", [site]))
    # Reports appear in the opinions' own column too: every document is read as a possible follow-up.
    pages = list(archive.db.query(
        "SELECT id, url, title, body_text, substr(published_at, 1, 10) AS published FROM documents "
        "WHERE removed_at IS NULL AND site = ?", [site]))
    return opinions, pages
