"""``npc-archive parse``: a saved article page as its record, with no archive; the pages of an
article the site pages, in order, as one record."""

from __future__ import annotations

import gzip
import json
import zlib
from pathlib import Path

import click

from parsers import MAX_PARTS, ParseError, join_parts, parse_article
from spiders.session import unusable_url

from .outline import outline as outline_lines

GZIP_MAGIC = b"\x1f\x8b"


def page_url_option(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Refused as a usage error: the links of a page read at no http(s) address resolve to
    nothing, and a paged article's next page would go unseen."""
    if problem := unusable_url(value, "page's URL"):
        raise click.BadParameter(problem, ctx, param)
    return value.strip()


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--url", required=True, callback=page_url_option, help="the URL the (first) page was fetched from (resolves its links)")
@click.option("--content-type", help="the Content-Type header it came with, if known")
@click.option("--outline", is_flag=True, help="print the sections, items and facts as a short outline instead of JSON")
def parse(files: tuple[str, ...], url: str, content_type: str | None, outline: bool) -> None:
    """Parse one saved article page and print its record as JSON. FILE may be gzip-encoded, as
    the server sent it (`snapshot -o` writes it so). Where the site pages the article (共3页
    上一页 1 2 3 下一页), give its pages in order: each later one is read at the URL its page
    before names as the next, and the record is theirs joined, as a crawl archives it."""
    if len(files) > MAX_PARTS:
        raise click.BadParameter(f"{len(files)} pages given; an article is read from at most {MAX_PARTS}", param_hint="FILES")
    records = []
    for file in files:
        if records:
            url = next(iter(records[-1]["parts"]), None)
            if url is None:
                raise click.ClickException(f"{files[len(records) - 1]} is the article's last page (it names no next page), "
                                           f"so {file} is no page of it")
        try:
            records.append(parse_article(_page_bytes(file), url, content_type).to_dict())
        except ParseError as error:
            raise click.ClickException(f"{file}: not an article: {error}" if len(files) > 1 else f"not an article: {error}") from error
    record = join_parts(records) if len(records) > 1 else records[0]
    if outline:
        click.echo("\n".join(outline_lines(record)))
    else:
        click.echo(json.dumps(record, ensure_ascii=False, indent=2))


def _page_bytes(file: str) -> bytes:
    body = Path(file).read_bytes()
    if body.startswith(GZIP_MAGIC):  # as the server sent it, and as `snapshot -o` writes it
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError, zlib.error) as error:
            raise click.ClickException(f"{file} is gzip-encoded but cannot be decompressed: {error}") from error
    return body
