"""What a crawl must fetch, given its mode, its columns and what the archive already holds."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .store import Archive

MODES = ("new", "refresh", "full")


@dataclass(frozen=True)
class CrawlPlan:
    """``known``: archived and not removed, or listed and found gone. ``revisit``: article URLs fetched whatever the lists
    say. ``stop_at_known_page``: stop walking the lists at the first page holding only known
    articles (safe only after an earlier walk of this column finished; ``complete_columns``:
    the column URLs for which that holds, when a crawl walks several). ``unfinished``:
    archived articles missing a view count or a file, fetched again with what they miss.
    ``column_of``: the crawled column each revisited URL belongs to (its kind, on its host).
    ``incomplete_pages``: where the text of pages found cut before their signature stopped last time.
    ``stored_requisites``: stylesheets and images already captured, not fetched again (a
    ``refresh`` run revisits each once). ``file_titles``: the titles of documents published as a
    file alone, which a revisit of the file cannot read."""

    mode: str
    known: frozenset[str]
    revisit: tuple[str, ...]
    stop_at_known_page: bool
    stored_files: frozenset[str] = frozenset()
    unfinished: frozenset[str] = frozenset()
    complete_columns: frozenset[str] = frozenset()
    column_of: Mapping[str, str] = field(default_factory=dict)
    incomplete_pages: Mapping[str, str] = field(default_factory=dict)
    stored_requisites: frozenset[str] = frozenset()
    file_titles: Mapping[str, str] = field(default_factory=dict)

    def wants(self, url: str) -> bool:
        return self.mode != "new" or url not in self.known

    def stops_at_known_page(self, column_url: str) -> bool:
        return self.stop_at_known_page and column_url in self.complete_columns


def crawl_plan(archive: Archive, mode: str, start_url: str, columns: Sequence[tuple[str, str]] = (),
               site: str | None = None) -> CrawlPlan:
    """``columns``: the (kind, url) of each column the crawl walks; none: ``start_url`` as the one
    ``opinions`` column. A refresh revisits the documents of those columns only: a document
    belongs to the crawled column of its kind on its host. With ``site``, the documents (and
    failed or gone articles) of that site only: sites on one host (127.0.0.1) keep apart."""
    if mode not in MODES:
        raise ValueError(f"unknown crawl mode {mode!r}; choose one of {', '.join(MODES)}")
    columns = tuple(columns) or (("opinions", start_url),)
    gone = archive.listed_gone_urls()
    # A listed article found gone counts as known: `new` runs neither refetch it nor walk on for it.
    known = frozenset(archive.known_urls(include_removed=False) | gone)
    pending = archive.pending_urls()
    files = frozenset(archive.stored_file_urls())
    unfinished = frozenset(archive.unfinished_urls())
    incomplete = archive.incomplete_page_details()
    captured = frozenset(archive.captured_urls())
    column_of = _columns_of(archive.url_columns(site), columns)
    ours = frozenset(column_of)
    if mode == "new":
        complete = frozenset(url for _, url in columns if _walked_whole(archive, url))
        return CrawlPlan(mode, known, tuple(sorted((pending | unfinished) & ours)), stop_at_known_page=bool(complete),
                         stored_files=files, unfinished=unfinished, complete_columns=complete, column_of=column_of,
                         incomplete_pages=incomplete, stored_requisites=captured, file_titles=archive.file_document_titles())
    if mode == "refresh":
        # Every archived document, removed ones too: edits, removals and returns show there.
        return CrawlPlan(mode, known, tuple(sorted((archive.known_urls() | pending | gone) & ours)), stop_at_known_page=False,
                         stored_files=files, unfinished=unfinished, column_of=column_of, incomplete_pages=incomplete,
                         file_titles=archive.file_document_titles())
    return CrawlPlan(mode, known, (), stop_at_known_page=False, incomplete_pages=incomplete, stored_requisites=captured)


def _walked_whole(archive: Archive, column_url: str) -> bool:
    last = archive.last_crawl(column_url)
    return last is not None and last["status"] == "finished" and not archive.failed_list_pages(last["id"])


def _columns_of(url_columns: Mapping[str, str | None], columns: Sequence[tuple[str, str]]) -> dict[str, str]:
    """Archived URLs (with their column kind, None before kinds were recorded: an opinion) →
    the crawled column of that kind: the only one, or of several the one on the URL's host."""
    by_kind: dict[str, list[str]] = {}
    for kind, url in columns:
        by_kind.setdefault(kind, []).append(url)
    found = {}
    for url, kind in url_columns.items():
        candidates = by_kind.get(kind or "opinions", [])
        host = urlsplit(url).hostname
        same_host = [column for column in candidates if urlsplit(column).hostname == host]
        if len(candidates) == 1 or same_host:
            found[url] = (same_host or candidates)[0]
    return found
