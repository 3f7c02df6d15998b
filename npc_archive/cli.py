"""``npc-archive``: crawl, inspect and export the archive. Each command lives in the module of
its group; this file only gathers them."""

from __future__ import annotations

import importlib

import click

from . import exit_codes
from .options import CommandError

# Each command and where it lives: a command's module is imported only when it runs (or help
# lists it), so that `crawl` does not load the report's word segmenter or the archivist's WARC
# tools: a cron run starts in a third of the time.
COMMANDS = {
    "crawl": "crawling:crawl", "demo": "crawling:demo", "discover": "discover:discover", "sites": "sites:sites",
    "crawls": "history:crawls", "changes": "history:changes", "diff": "history:diff", "failures": "history:failures",
    "parse": "parsing:parse", "evaluate": "evaluate:evaluate",
    "export": "analyst:export", "search": "analyst:search_command", "reindex": "analyst:reindex",
    "datasette-metadata": "analyst:datasette_metadata_command", "report": "report:report",
    "verify": "archivist:verify_command", "warc": "archivist:warc", "wacz": "archivist:wacz",
    "capture": "archivist:capture", "snapshot": "archivist:snapshot", "serve": "archivist:serve",
    "reparse": "archivist:reparse", "merge": "scaleout:merge", "schedule": "scaleout:schedule",
    "followups": "followups:followups",
}


class Commands(click.Group):
    """The commands, loaded when asked for, with a one-line error for a file they cannot write
    (a read-only file or folder): every other mistake is caught where it is made."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name].split(":")
        return getattr(importlib.import_module(f"{__package__}.{module}"), attribute)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (PermissionError, IsADirectoryError, FileNotFoundError) as error:
            raise CommandError(f"cannot write {error.filename}: {error.strerror}", exit_codes.CANNOT_WRITE) from None


@click.group(cls=Commands)
@click.version_option(package_name="npc-archive")
def main() -> None:
    """Archive the 审议意见 column of 椒江人大网 into SQLite."""
