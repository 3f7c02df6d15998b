"""Datasette metadata shipped with the project, addressed to the archives Datasette opens."""

from __future__ import annotations

import copy
import functools
from importlib import resources
from pathlib import Path

import yaml

SHIPPED_DATABASE = "archive"  # the name Datasette gives data/archive.db, and the one metadata.yml uses
DASHBOARDS = "datasette-dashboards"


@functools.cache
def _shipped() -> dict:
    text = resources.files("archive").joinpath("datasette", "metadata.yml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def metadata_for(databases: list[str]) -> dict:
    """The shipped metadata with its database entry given to each of ``databases`` (Datasette's names).

    Each gets its dashboard, named after it, its charts reading it."""
    shipped = copy.deepcopy(_shipped())
    entry = shipped.pop("databases")[SHIPPED_DATABASE]
    dashboard = shipped["plugins"][DASHBOARDS].pop("opinions")
    shipped["databases"] = {name: copy.deepcopy(entry) for name in databases}
    for name in databases:
        charts = copy.deepcopy(dashboard)
        for chart in charts["charts"].values():
            chart["db"] = name
        shipped["plugins"][DASHBOARDS][name] = charts
    return shipped


def datasette_metadata(db_path: str | Path) -> dict:
    """The shipped metadata for the one archive at ``db_path`` (Datasette names it after the file's stem)."""
    return metadata_for([Path(db_path).stem])
