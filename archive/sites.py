"""The registry of sites an archive crawls: each site's home page, columns, politeness (delay,
concurrency) and cadence, and which sites are due for a crawl.

Rows written by a crawl carry the site of that crawl. An archive from before the registry, and
a crawl made without a site (``npc-archive crawl --start-url``), belong to ``DEFAULT_SITE``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .schema import DEFAULT_SITE
from .store import utc_now

__all__ = ["DEFAULT_SITE", "Site", "SiteError", "add_site", "cadence_hours", "change_site", "due_sites", "get_site", "list_sites",
           "remove_site"]
# What a cadence may be given as besides a number of hours.
CADENCES = {"daily": 24.0, "weekly": 168.0}
DEFAULT_DELAY = 2.0
DEFAULT_CONCURRENCY = 1
DEFAULT_CADENCE_HOURS = CADENCES["daily"]
# A site's name is a word of a command line and of a file name: lower case, digits, - and _.
SITE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
# Crawls that ran to their end having read a list page: the cadence counts from the last of
# them. An interrupted crawl (a kill, Ctrl-C), one whose writes failed, or one that could read
# no list page (the site down) leaves the site due at once.
ENDED_STATUSES = ("finished", "incomplete")


class SiteError(ValueError):
    """A site that cannot be added (a bad or taken name) or is not registered."""


@dataclass(frozen=True)
class Site:
    """A registered site. ``columns``: the ``{kind, url}`` the crawl walks, in order (the COLUMNS setting)."""

    name: str
    home_url: str
    columns: list[dict] = field(default_factory=list)
    family: str | None = None
    delay: float = DEFAULT_DELAY
    concurrency: int = DEFAULT_CONCURRENCY
    cadence_hours: float = DEFAULT_CADENCE_HOURS
    added_at: str | None = None
    last_crawl: dict | None = None  # the site's latest crawl row: id, started_at, finished_at, status

    def due(self, now: datetime) -> bool:
        """No crawl of it ran to its end (see ENDED_STATUSES), or the last that did started a cadence or more before ``now``."""
        ended = self.last_crawl and self.last_crawl.get("last_ended_at")
        return not ended or _moment(ended) + timedelta(hours=self.cadence_hours) <= now

    def as_dict(self) -> dict:
        return {"name": self.name, "home_url": self.home_url, "family": self.family, "columns": self.columns,
                "delay": self.delay, "concurrency": self.concurrency, "cadence_hours": self.cadence_hours,
                "added_at": self.added_at}


def cadence_hours(value: str) -> float:
    """``daily``, ``weekly`` or a number of hours (more than 0); ValueError otherwise."""
    if value in CADENCES:
        return CADENCES[value]
    hours = float(value)
    if not hours > 0:
        raise ValueError(f"a cadence is daily, weekly or a number of hours above 0, not {value!r}")
    return hours


def site_name_problem(name: str) -> str | None:
    """Why ``name`` is not a site's name, or None when it is one."""
    if SITE_NAME.fullmatch(name):
        return None
    return f"{name!r} is not a site name (lower-case letters, digits, - and _, at most 64)"


def add_site(archive, site: Site) -> Site:
    """Register ``site`` (SiteError if its name is not one or is taken)."""
    if problem := site_name_problem(site.name):
        raise SiteError(problem)
    if not site.columns:
        raise SiteError(f"site {site.name} has no column to crawl")
    with archive._transaction():
        if archive.conn.execute("SELECT 1 FROM sites WHERE name = ?", (site.name,)).fetchone():
            raise SiteError(f"a site named {site.name} is registered already (sites remove it first)")
        archive._insert("sites", {"name": site.name, "home_url": site.home_url, "family": site.family, "delay": site.delay,
                                  "concurrency": site.concurrency, "cadence_hours": site.cadence_hours,
                                  "added_at": site.added_at or utc_now()})
        for position, column in enumerate(site.columns):
            archive._insert("site_columns", {"site": site.name, "position": position, "kind": column["kind"], "url": column["url"]})
    return get_site(archive, site.name)


# What change_site may change of a registered site: all but its name and when it was added.
CHANGEABLE = ("home_url", "columns", "family", "delay", "concurrency", "cadence_hours")


def change_site(archive, name: str, **changes) -> Site:
    """Change the registered site ``name``'s fields of CHANGEABLE to ``changes`` (its columns, in
    their order, as a whole); SiteError if no such site is registered. What it archived stays."""
    if unknown := sorted(set(changes) - set(CHANGEABLE)):
        raise ValueError(f"a site's {unknown[0]} cannot be changed")
    if "columns" in changes and not changes["columns"]:
        raise SiteError(f"site {name} would have no column to crawl")
    fields = {field: value for field, value in changes.items() if field != "columns"}
    with archive._transaction():
        if not archive.conn.execute("SELECT 1 FROM sites WHERE name = ?", (name,)).fetchone():
            raise SiteError(f"no site named {name} is registered (see: npc-archive sites list)")
        if fields:
            archive.conn.execute(f"UPDATE sites SET {', '.join(f'{field} = :{field}' for field in fields)} WHERE name = :name",
                                 {**fields, "name": name})
        if "columns" in changes:
            archive.conn.execute("DELETE FROM site_columns WHERE site = ?", (name,))
            for position, column in enumerate(changes["columns"]):
                archive._insert("site_columns", {"site": name, "position": position, "kind": column["kind"], "url": column["url"]})
    return get_site(archive, name)


def remove_site(archive, name: str) -> None:
    """Forget the site's registry entry (SiteError if there is none). Its crawls, captures and
    documents stay in the archive, under its name."""
    with archive._transaction():
        archive.conn.execute("DELETE FROM site_columns WHERE site = ?", (name,))
        if not archive.conn.execute("DELETE FROM sites WHERE name = ?", (name,)).rowcount:
            raise SiteError(f"no site named {name} is registered")


def list_sites(archive) -> list[Site]:
    """Every registered site, by name, with its columns and its latest crawl."""
    columns: dict[str, list[dict]] = {}
    for site, kind, url in archive.conn.execute("SELECT site, kind, url FROM site_columns ORDER BY site, position"):
        columns.setdefault(site, []).append({"kind": kind, "url": url})
    latest = last_crawls(archive)
    return [Site(name=row["name"], home_url=row["home_url"], columns=columns.get(row["name"], []), family=row["family"],
                 delay=row["delay"], concurrency=row["concurrency"], cadence_hours=row["cadence_hours"],
                 added_at=row["added_at"], last_crawl=latest.get(row["name"]))
            for row in archive.db.query("SELECT * FROM sites ORDER BY name")]


def get_site(archive, name: str) -> Site:
    for site in list_sites(archive):
        if site.name == name:
            return site
    raise SiteError(f"no site named {name} is registered (see: npc-archive sites list)")


def site_known(archive, name: str) -> bool:
    """Does the archive know the site ``name``: registered, or what some crawl or document was
    archived under (a removed or merged site's rows keep its name; 'default' is always known)."""
    return name == "default" or archive.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM sites WHERE name = :name) OR EXISTS (SELECT 1 FROM crawls WHERE site = :name) "
        "OR EXISTS (SELECT 1 FROM documents WHERE site = :name)", {"name": name}).fetchone()[0] == 1


def document_sites(archive) -> list[str]:
    """The sites the archive holds documents of, by name."""
    return [name for (name,) in archive.conn.execute("SELECT DISTINCT site FROM documents ORDER BY site")]


def last_crawls(archive) -> dict[str, dict]:
    """Each site's latest crawl (any status), with ``last_ended_at``: when its latest crawl that
    ran to its end started (None if none did)."""
    marks = ", ".join("?" for _ in ENDED_STATUSES)
    rows = archive.db.query(
        f"""SELECT c.site, c.id, c.started_at, c.finished_at, c.status,
                   (SELECT max(e.started_at) FROM crawls e WHERE e.site = c.site AND e.status IN ({marks})
                    AND json_extract(e.stats, '$."npc/list_pages"') > 0) AS last_ended_at
            FROM crawls c WHERE c.id IN (SELECT max(id) FROM crawls GROUP BY site)""", ENDED_STATUSES)
    return {row.pop("site"): row for row in rows}


def due_sites(archive, now: datetime) -> list[Site]:
    """The registered sites due for a crawl at ``now`` (an aware datetime), each with its columns
    and politeness: what ``crawl --all`` crawls, and what a scheduler sends one job each for."""
    return [site for site in list_sites(archive) if site.due(now)]


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))

