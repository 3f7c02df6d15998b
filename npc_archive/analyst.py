"""``npc-archive search``, ``export``, ``reindex`` and ``datasette-metadata``: the analyst's commands."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import click

from archive.analysis import datasette_metadata
from archive.export import EXPORT_ALIASES, EXPORTS, write_export
from archive.search import HIGHLIGHT, SearchResults, match_expression, search

from .options import (
    EXPORT_SINCE_HELP,
    OUTPUT,
    check_archive,
    db_option,
    existing_archive,
    format_option,
    known_site,
    since_option,
    site_option,
)
from .output import replacing

TERMINAL_HIGHLIGHT = ("\x1b[1;31m", "\x1b[0m")


@click.command("search")
@db_option
@click.argument("query")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1), help="most results to show")
@site_option
@format_option
def search_command(db_path: str, query: str, limit: int, site: str | None, fmt: str) -> None:
    """Search titles and body text; best matches first, with a highlighted snippet.

    QUERY is one or more terms separated by spaces; a document must contain every term. A term
    matches as written, Chinese characters as a substring of any length (教, 教育, 学前教育),
    letters and digits as whole words (V类水 is the word V followed by 类水). Punctuation and
    operators such as AND, * or quotes are not syntax: they are searched as text or ignored.
    """
    if match_expression(query) is None:
        raise click.BadParameter(f"nothing to search for in {query!r}: give a word, a number or Chinese characters",
                                 param_hint="QUERY")
    highlight = TERMINAL_HIGHLIGHT if fmt == "table" and sys.stdout.isatty() else HIGHLIGHT
    with existing_archive(db_path) as archive:
        results = search(archive.conn, query, limit=limit, highlight=highlight, site=known_site(archive, db_path, site))
    if fmt == "json":
        click.echo(json.dumps({"query": results.query, "total": results.total,
                               "hits": [hit.to_dict() for hit in results.hits]}, ensure_ascii=False, indent=2))
    else:
        _print_table(results)


def _print_table(results: SearchResults) -> None:
    shown = f" (showing {len(results.hits)})" if len(results.hits) < results.total else ""
    matches = "1 document matches" if results.total == 1 else f"{results.total} documents match"
    click.echo(f"{matches} {results.query}{shown}")
    for rank, hit in enumerate(results.hits, start=1):
        click.echo(f"{rank:>3}. {(hit.published_at or '')[:10]}  {hit.title}")
        click.echo(f"     {hit.snippet}")
        click.echo(f"     {hit.url}")


@click.command()
@db_option
def reindex(db_path: str) -> None:
    """Rebuild the search index from the documents (after editing them by hand, for instance)."""
    with existing_archive(db_path) as archive:
        count = archive.reindex()
    click.echo(f"Indexed {count} documents")


@click.command("datasette-metadata")
@db_option
@click.option("-o", "--output", type=OUTPUT, default="-", help="write here instead of stdout")
def datasette_metadata_command(db_path: str, output: str) -> None:
    """Print Datasette metadata (descriptions, facets, a Chinese search query) for the archive.

    \b
    npc-archive datasette-metadata --db my.db -o metadata.json
    datasette my.db -m metadata.json
    """
    check_archive(db_path)
    text = json.dumps(datasette_metadata(db_path), ensure_ascii=False, indent=2) + "\n"
    if output == "-":
        click.echo(text, nl=False)
    else:
        Path(output).write_text(text, encoding="utf-8")


class TableChoice(click.Choice):
    """The exported tables; the names they had in earlier releases are still accepted."""

    def convert(self, value, param, ctx):
        return super().convert(EXPORT_ALIASES.get(value, value), param, ctx)


@click.command()
@db_option
@click.option("--table", type=TableChoice(sorted(EXPORTS)), default="documents", show_default=True, help="what to export")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]),
              help="JSON Lines or CSV [default: jsonl, or csv with --excel]; csv keeps every value exactly as stored")
@click.option("--excel", is_flag=True,
              help="CSV for spreadsheets: a byte-order mark, so that Excel reads it as UTF-8, and an apostrophe before "
                   "any cell that starts with = + - @, a tab or a CR, so that none is run as a formula")
@click.option("-o", "--output", type=OUTPUT, help="write here instead of stdout")
@since_option(EXPORT_SINCE_HELP)
@site_option
def export(db_path: str, table: str, fmt: str | None, excel: bool, output: str | None, since: str | None,
           site: str | None) -> None:
    """Export a table as JSON Lines or CSV (UTF-8)."""
    if excel and fmt == "jsonl":
        raise click.UsageError("--excel writes CSV; leave out --format jsonl")
    fmt = "csv" if excel else fmt or "jsonl"
    with existing_archive(db_path) as archive:
        site = known_site(archive, db_path, site)
        if output and output != "-":
            with replacing(output, "w", encoding="utf-8-sig" if excel else "utf-8", newline="") as stream:
                count = write_export(archive, stream, fmt, since, table, for_spreadsheets=excel, site=site)
            click.echo(f"Wrote {count} {table} to {output}", err=True)
        else:
            # UTF-8 whatever the locale, and no newline translation (CSV rows end in CRLF already).
            stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="")
            try:
                stream.write("\ufeff" if excel else "")
                write_export(archive, stream, fmt, since, table, for_spreadsheets=excel, site=site)
            finally:
                stream.flush()
                stream.detach()
