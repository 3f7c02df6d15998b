"""``npc-archive``: crawl, inspect and export the archive. Each command lives in the module of
its group; this file only gathers them."""

from __future__ import annotations

import click

from . import analyst, archivist, crawling, discover, evaluate, exit_codes, followups, history, parsing, report, scaleout, sites
from .options import CommandError


class Commands(click.Group):
    """The commands, with a one-line error for a file they cannot write (a read-only file or
    folder): every other mistake is caught where it is made."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (PermissionError, IsADirectoryError, FileNotFoundError) as error:
            raise CommandError(f"cannot write {error.filename}: {error.strerror}", exit_codes.CANNOT_WRITE) from None


@click.group(cls=Commands)
@click.version_option(package_name="npc-archive")
def main() -> None:
    """Archive the 审议意见 column of 椒江人大网 into SQLite."""


for command in (
    crawling.crawl, crawling.demo, discover.discover, sites.sites,
    history.crawls, history.changes, history.diff, history.failures,
    parsing.parse, evaluate.evaluate,
    analyst.export, analyst.search_command, analyst.reindex, analyst.datasette_metadata_command, report.report,
    archivist.verify_command, archivist.warc, archivist.wacz, archivist.capture, archivist.snapshot, archivist.serve,
    archivist.reparse, scaleout.merge, scaleout.schedule, followups.followups,
):
    main.add_command(command)
