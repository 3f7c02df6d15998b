"""``npc-archive``: crawl, inspect and export the archive. Each command lives in the module of
its group; this file only gathers them."""

from __future__ import annotations

import click

from . import analyst, archivist, crawling, discover, evaluate, history, parsing


@click.group()
@click.version_option(package_name="npc-archive")
def main() -> None:
    """Archive the 审议意见 column of 椒江人大网 into SQLite."""


for command in (
    crawling.crawl, crawling.demo, discover.discover,
    history.crawls, history.changes, history.diff, history.failures,
    parsing.parse, evaluate.evaluate,
    analyst.export, analyst.search_command, analyst.reindex, analyst.datasette_metadata_command,
    archivist.verify_command, archivist.warc, archivist.capture, archivist.snapshot, archivist.serve, archivist.reparse,
):
    main.add_command(command)
