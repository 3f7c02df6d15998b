"""``npc-archive failures``: the URLs a crawl could not archive, why, and after how many attempts."""

from __future__ import annotations

import click

from .cli import _open_existing, _print_rows, db_option, format_option
from .history import crawl_failures


@click.command()
@db_option
@click.option("--crawl", "crawl_id", type=int, help="a crawl's id (default: the latest crawl)")
@format_option
def failures(db_path: str, crawl_id: int | None, fmt: str) -> None:
    """List the URLs a crawl could not archive (they are retried by the next run)."""
    archive = _open_existing(db_path)
    try:
        _print_rows(crawl_failures(archive, crawl_id), fmt)
    finally:
        archive.close()
