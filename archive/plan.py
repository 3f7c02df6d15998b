"""What a crawl must fetch, given its mode and what the archive already holds."""

from __future__ import annotations

from dataclasses import dataclass

from .store import Archive

MODES = ("new", "refresh", "full")


@dataclass(frozen=True)
class CrawlPlan:
    """``known``: archived and not removed, or listed and found gone. ``revisit``: article URLs fetched whatever the lists
    say. ``stop_at_known_page``: stop walking the lists at the first page holding only known
    articles (safe only after an earlier walk of this column finished). ``unfinished``:
    archived articles missing a view count or a file, fetched again with what they miss.
    ``stored_requisites``: stylesheets and images already captured, not fetched again (a
    ``refresh`` run revisits each once)."""

    mode: str
    known: frozenset[str]
    revisit: tuple[str, ...]
    stop_at_known_page: bool
    stored_files: frozenset[str] = frozenset()
    unfinished: frozenset[str] = frozenset()
    stored_requisites: frozenset[str] = frozenset()

    def wants(self, url: str) -> bool:
        return self.mode != "new" or url not in self.known


def crawl_plan(archive: Archive, mode: str, start_url: str) -> CrawlPlan:
    if mode not in MODES:
        raise ValueError(f"unknown crawl mode {mode!r}; choose one of {', '.join(MODES)}")
    gone = archive.listed_gone_urls()
    # A listed article found gone counts as known: `new` runs neither refetch it nor walk on for it.
    known = frozenset(archive.known_urls(include_removed=False) | gone)
    pending = archive.pending_urls()
    files = frozenset(archive.stored_file_urls())
    unfinished = frozenset(archive.unfinished_urls())
    captured = frozenset(archive.captured_urls())
    if mode == "new":
        last = archive.last_crawl(start_url)
        complete = last is not None and last["status"] == "finished" and not archive.failed_list_pages(last["id"])
        return CrawlPlan(mode, known, tuple(sorted(pending | unfinished)), stop_at_known_page=complete,
                         stored_files=files, unfinished=unfinished, stored_requisites=captured)
    if mode == "refresh":
        # Every archived document, removed ones too: edits, removals and returns show there.
        return CrawlPlan(mode, known, tuple(sorted(archive.known_urls() | pending | gone)), stop_at_known_page=False,
                         stored_files=files, unfinished=unfinished)
    return CrawlPlan(mode, known, (), stop_at_known_page=False, stored_requisites=captured)
