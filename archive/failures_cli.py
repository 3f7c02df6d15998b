"""``npc-archive failures``: the URLs a crawl could not archive, why, and after how many attempts."""

from __future__ import annotations

import click

from .cli_options import db_option, existing_archive, format_option, print_rows
from .history import crawl_failures


@click.command()
@db_option
@click.option("--crawl", "crawl_id", type=int, help="a crawl's id (default: the latest crawl)")
@format_option
def failures(db_path: str, crawl_id: int | None, fmt: str) -> None:
    """List the URLs a crawl could not archive (they are retried by the next run)."""
    with existing_archive(db_path) as archive:
        print_rows(crawl_failures(archive, crawl_id), fmt)
