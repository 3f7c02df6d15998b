"""Whether a crawl saw the whole column: what its list pages said of it (共N条, 共N页,
totalRecord, countPage, the page number) against what the walk through them found."""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers import ListPage


@dataclass
class ColumnWalk:
    entries: set[str] = field(default_factory=set)
    claimed_entries: int | None = None
    claimed_entries_on: str | None = None
    last: ListPage | None = None
    stopped_early: bool = False
    incomplete: str | None = None

    def read(self, page: ListPage, entries: set[str]) -> None:
        self.entries |= entries
        self.last = page
        if page.total_entries is not None and page.total_entries > (self.claimed_entries or 0):
            self.claimed_entries, self.claimed_entries_on = page.total_entries, page.url

    def end(self, failed: str | None = None, repeated: str | None = None) -> str | None:
        """The walk ended (no later page, a page that repeats an earlier one, or a list page
        that ``failed``): why the column was not seen whole, or None if it was."""
        if self.stopped_early or self.incomplete:
            return self.incomplete
        last = self.last
        if last is None:
            return None  # no list page read at all: the run's outcome says so, not this
        if failed:
            self.incomplete = failed
        elif last.unreadable_pager:
            self.incomplete = f"{last.url}: {last.unreadable_pager}"
        elif last.page and last.total_pages and last.page < last.total_pages:
            where = f"leads back to {repeated}" if repeated else "leads to no later page"
            self.incomplete = f"{last.url} says page {last.page} of {last.total_pages}, but its pager {where}"
        elif self.claimed_entries is not None and len(self.entries) < self.claimed_entries:
            self.incomplete = (f"{self.claimed_entries_on} says the column holds {self.claimed_entries} entries; "
                               f"its list pages gave {len(self.entries)}")
        return self.incomplete
