"""The file of sites that ``sites import`` reads: CSV with a header row, a site a row (as
``sites list --format csv`` writes it), or the JSON that ``sites list --format json`` writes
(so that a registry moves from one archive to another, a central one to its worker nodes, or
is kept as a spreadsheet).

CSV fields: ``name`` and ``home_url``; then, each optional, a column for each kind of column
to crawl holding its list page's URL (``opinions``, ``reports``, ``news``: none found, the
columns are discovered from the home page), ``delay``, ``concurrency`` and ``cadence``
(``daily``, ``weekly`` or hours). An empty cell takes the default, as the options of ``sites
add`` do. JSON gives the columns as ``sites list`` does (``[{"kind", "url"}]``) and may give
``cadence_hours`` and ``family``; what else ``sites list`` writes of a site (its last crawl,
whether it is due) is the archive's, not the site's, and is not read."""

from __future__ import annotations

import csv
import io
import json
import math
import sys
from collections.abc import Iterator
from pathlib import Path

from archive.sites import DEFAULT_CADENCE_HOURS, DEFAULT_CONCURRENCY, DEFAULT_DELAY, Site, cadence_hours, site_name_problem
from spiders.column import COLUMN_KINDS
from spiders.session import unusable_url

from .crawling import column_entry

SITE_FIELDS = ("name", "home_url", *COLUMN_KINDS, "columns", "family", "delay", "concurrency", "cadence", "cadence_hours")
# A CSV gives each column in a cell of its kind: a cell holds no list of columns.
CSV_FIELDS = tuple(field for field in SITE_FIELDS if field != "columns")
# What `sites list --format json` writes of a site besides the site itself.
LISTED_ONLY = frozenset(("added_at", "last_crawl", "last_status", "due"))


class SiteFileError(ValueError):
    """A file that is not a list of sites, or an entry that is not a site: the message says where and why."""


def read_site_file(path: str) -> list[Site]:
    """The sites ``path`` (- for stdin) lists, in its order, each checked as ``sites add`` checks
    its arguments (a site with no columns is one to discover). SiteFileError if any is not a site:
    the first's problem, and where the others are, so that a long file is mended in one go."""
    text = _decoded(sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes())
    entries = _json_entries(text) if text.lstrip().startswith(("[", "{")) else _csv_entries(text)
    sites: list[Site] = []
    where_named: dict[str, str] = {}
    problems: list[tuple[str, str]] = []  # (where, why) of each entry that is not a site
    for where, entry in entries:
        try:
            site = _site(entry)
        except ValueError as error:
            problems.append((where, str(error)))
            continue
        if site.name in where_named:
            problems.append((where, f"the site {site.name} is on {where_named[site.name]} already"))
            continue
        where_named[site.name] = where
        sites.append(site)
    if problems:
        (where, why), others = problems[0], [where for where, _ in problems[1:]]
        raise SiteFileError(f"{where}: {why}" + (f" (and {len(others)} more entries that are not sites: {_listed(others)})"
                                                  if others else ""))
    if not sites:
        raise SiteFileError("it lists no sites (a CSV needs a header row of name,home_url and a row a site)")
    return sites


# The fields `sites list --format csv` writes: a site's own, each column in the cell of its kind.
WRITTEN_FIELDS = ("name", "home_url", *COLUMN_KINDS, "family", "delay", "concurrency", "cadence_hours")


def site_rows(sites: list[Site]) -> list[dict]:
    """The sites as rows of WRITTEN_FIELDS, which read_site_file reads back; SiteFileError for a
    site that crawls two columns of one kind (a row has one cell a kind: JSON gives them all)."""
    rows = []
    for site in sites:
        cells = {kind: [column["url"] for column in site.columns if column["kind"] == kind] for kind in COLUMN_KINDS}
        if crowded := next((kind for kind, urls in cells.items() if len(urls) > 1), None):
            raise SiteFileError(f"site {site.name} crawls {len(cells[crowded])} {crowded} columns, which a row of "
                                f"one cell a kind cannot hold (use --format json)")
        rows.append({"name": site.name, "home_url": site.home_url, **{kind: urls[0] if urls else "" for kind, urls in cells.items()},
                     "family": site.family or "", "delay": site.delay, "concurrency": site.concurrency,
                     "cadence_hours": site.cadence_hours})
    return rows


def _listed(places: list[str], shown: int = 10) -> str:
    """The first ``shown`` of ``places`` (line 9, line 12), and how many more there are."""
    return ", ".join(places[:shown]) + (f" and {len(places) - shown} more" if len(places) > shown else "")


def _decoded(data: bytes) -> str:
    """UTF-8 (with the byte-order mark Excel writes, or without), else GB18030: what Excel on a
    Chinese Windows saves a CSV in."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise SiteFileError("it is neither UTF-8 nor GBK text") from None


def _csv_entries(text: str) -> Iterator[tuple[str, dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    if "name" not in header or "home_url" not in header:
        raise SiteFileError(f"its header row names no name and home_url fields (got {','.join(header) or 'nothing'})")
    if unknown := [name for name in header if name not in CSV_FIELDS]:
        raise SiteFileError(f"line 1: unknown field {unknown[0]!r} (the fields are {', '.join(CSV_FIELDS)})")
    reader.fieldnames = header
    for row in reader:
        if any(value.strip() for value in row.values() if isinstance(value, str)):  # a blank row is no site
            if None in row:
                raise SiteFileError(f"line {reader.line_num}: more cells than the header row names")
            yield f"line {reader.line_num}", {name: value.strip() for name, value in row.items() if value is not None and value.strip()}


def _json_entries(text: str) -> Iterator[tuple[str, dict]]:
    try:
        entries = json.loads(text)
    except ValueError as error:
        raise SiteFileError(f"it is not JSON: {error}") from None
    if not isinstance(entries, list):
        raise SiteFileError("its JSON is not a list of sites (as sites list --format json writes)")
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise SiteFileError(f"entry {number}: not an object of a site's fields")
        yield f"entry {number}", {name: value for name, value in entry.items() if name not in LISTED_ONLY and value is not None}


def _site(entry: dict) -> Site:
    unknown = sorted(set(entry) - set(SITE_FIELDS))
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r} (the fields are {', '.join(SITE_FIELDS)})")
    name, home_url = str(entry.get("name", "")), str(entry.get("home_url", ""))
    if problem := site_name_problem(name):
        raise ValueError(problem)
    if problem := unusable_url(home_url, "home URL"):
        raise ValueError(problem)
    columns = [column_entry(kind, str(entry[kind])) for kind in COLUMN_KINDS if kind in entry]
    if "columns" in entry:
        listed = entry["columns"]
        if not isinstance(listed, list) or not all(isinstance(column, dict) for column in listed):
            raise ValueError('its columns are not a list of {"kind": …, "url": …}')
        columns += [column_entry(str(column.get("kind", "")), str(column.get("url", ""))) for column in listed]
    return Site(name=name, home_url=home_url.strip(), columns=columns, family=entry.get("family") if columns else None,
                delay=_number(entry, "delay", float, DEFAULT_DELAY, 0), concurrency=_number(entry, "concurrency", int, DEFAULT_CONCURRENCY, 1),
                cadence_hours=_cadence(entry))


def _number(entry: dict, name: str, kind: type, default: float, least: float) -> float:
    if name not in entry:
        return default
    try:
        value = kind(str(entry[name]))
    except ValueError:
        raise ValueError(f"its {name} {entry[name]!r} is not a {'whole ' if kind is int else ''}number") from None
    if not value >= least or not math.isfinite(value):
        raise ValueError(f"its {name} {entry[name]!r} is not a number of at least {least}")
    return value


def _cadence(entry: dict) -> float:
    given = entry.get("cadence", entry.get("cadence_hours"))
    if given is None:
        return DEFAULT_CADENCE_HOURS
    try:
        return cadence_hours(str(given))
    except ValueError:
        raise ValueError(f"its cadence {given!r} is not daily, weekly or a number of hours above 0") from None
