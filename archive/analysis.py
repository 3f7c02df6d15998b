"""Datasette metadata shipped with the project, addressed to a given archive file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

SHIPPED_DATABASE = "archive"  # the name Datasette gives data/archive.db


def datasette_metadata(db_path: str | Path) -> dict:
    """The shipped metadata with its database entry renamed to the one Datasette uses for ``db_path``."""
    text = resources.files("archive").joinpath("datasette", "metadata.yml").read_text(encoding="utf-8")
    metadata = yaml.safe_load(text)
    metadata["databases"] = {Path(db_path).stem: metadata["databases"][SHIPPED_DATABASE]}
    return metadata
