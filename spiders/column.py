"""A site's columns and whether a crawl saw each whole: what a column's list pages said of it
(共N条, 共N页, totalRecord, countPage, the page number) against what the walk through them found."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from parsers import ListPage

# What a column holds: the 审议意见 themselves, the government's reports on them (监督工作),
# and the news of the meetings that heard those reports (工作动态).
COLUMN_KINDS = ("opinions", "reports", "news")


@dataclass(frozen=True)
class Column:
    """One column of a site: its kind and its first list page. ``name``: what its breadcrumb must
    say for its articles to be archived (None: any, the list page alone says what it holds).
    ``part_of``: the column whose list linked this one as a part of it (a year it is divided into)."""

    kind: str
    url: str
    name: str | None = None
    part_of: str | None = None

    def as_dict(self) -> dict:
        return {"kind": self.kind, "url": self.url}


def crawl_columns(columns: Sequence[dict] | str | None, start_url: str | None, opinions_name: str | None) -> list[Column]:
    """The columns a crawl walks: the COLUMNS setting (a list of ``{kind, url}``, or that list as
    JSON from ``-s COLUMNS=…``), else START_URL as the one ``opinions`` column. ValueError on a
    column without a url or of an unknown kind."""
    if isinstance(columns, str):
        columns = json.loads(columns) if columns.strip() else []
    if not columns:
        return [Column("opinions", (start_url or "").strip(), opinions_name)]
    found = []
    for entry in columns:
        kind, url = entry.get("kind"), entry.get("url")
        if kind not in COLUMN_KINDS:
            raise ValueError(f"unknown column kind {kind!r}; choose one of {', '.join(COLUMN_KINDS)}")
        found.append(Column(kind, (url or "").strip(), entry.get("name") or (opinions_name if kind == "opinions" else None)))
    return found


@dataclass
class ColumnWalk:
    entries: set[str] = field(default_factory=set)
    claimed_entries: int | None = None
    claimed_entries_on: str | None = None
    last: ListPage | None = None
    stopped_early: bool = False
    incomplete: str | None = None
    over: bool = False  # no further list page of the column will be read

    def read(self, page: ListPage, entries: set[str]) -> None:
        self.entries |= entries
        self.last = page
        if page.total_entries is not None and page.total_entries > (self.claimed_entries or 0):
            self.claimed_entries, self.claimed_entries_on = page.total_entries, page.url

    def end(self, failed: str | None = None, repeated: str | None = None) -> str | None:
        """The walk ended (no later page, a page that repeats an earlier one, or a list page
        that ``failed``): why the column was not seen whole, or None if it was."""
        self.over = True
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
