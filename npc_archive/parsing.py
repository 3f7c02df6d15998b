"""``npc-archive parse``: one saved article page as its record, with no archive."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import click

from parsers import ParseError, parse_article

from .outline import outline as outline_lines

GZIP_MAGIC = b"\x1f\x8b"


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--url", required=True, help="the URL the page was fetched from (resolves its links)")
@click.option("--content-type", help="the Content-Type header it came with, if known")
@click.option("--outline", is_flag=True, help="print the sections, items and facts as a short outline instead of JSON")
def parse(file: str, url: str, content_type: str | None, outline: bool) -> None:
    """Parse one saved article page and print its record as JSON. FILE may be gzip-encoded, as
    the server sent it (`snapshot -o` writes it so)."""
    body = Path(file).read_bytes()
    if body.startswith(GZIP_MAGIC):  # as the server sent it, and as `snapshot -o` writes it
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError, zlib.error) as error:
            raise click.ClickException(f"{file} is gzip-encoded but cannot be decompressed: {error}") from error
    try:
        article = parse_article(body, url, content_type)
    except ParseError as error:
        raise click.ClickException(f"not an article: {error}") from error
    if outline:
        click.echo("\n".join(outline_lines(article.to_dict())))
    else:
        click.echo(json.dumps(article.to_dict(), ensure_ascii=False, indent=2))
