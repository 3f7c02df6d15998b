"""``npc-archive discover HOME_URL``: find the 审议意见 column and the site's CMS family from its
home page, by the visible link text. One plain, polite request (robots.txt obeyed, the crawler's
User-Agent), nothing written."""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
import urllib.robotparser
from urllib.parse import urljoin

import click

from parsers import ParseError
from parsers.pages import COLUMN, classify_page
from spiders.session import unusable_url
from spiders.settings import DOWNLOAD_TIMEOUT, USER_AGENT

from . import exit_codes


def fetch_page(url: str) -> tuple[bytes, str, str | None]:
    """(body, final URL, Content-Type) of one GET that robots.txt allows; OSError when it cannot be had."""
    robots = urllib.robotparser.RobotFileParser(urljoin(url, "/robots.txt"))
    try:
        robots.read()
    except (OSError, UnicodeDecodeError):
        robots.allow_all = True  # no robots.txt to be read: as Scrapy, nothing is disallowed
    if not robots.can_fetch(USER_AGENT, url):
        raise PermissionError(f"robots.txt of the site disallows {url}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT) as response:
        return response.read(), response.geturl(), response.headers.get("Content-Type")


def _home_url(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Refused as a usage error before anything is fetched, as `crawl --start-url` is."""
    if problem := unusable_url(value, "home URL"):
        raise click.BadParameter(problem, ctx, param)
    return value.strip()


@click.command()
@click.argument("home_url", callback=_home_url)
@click.option("--column", default=COLUMN, show_default=True, help="the column's name as its link shows it")
def discover(home_url: str, column: str) -> None:
    """Find the column's first list page (and the CMS family) from the site's home page."""
    try:
        body, url, content_type = fetch_page(home_url)
        kind = classify_page(body, url, content_type, column)
    except (OSError, ParseError) as error:
        click.echo(f"npc-archive: cannot read {home_url}: {error}", err=True)
        sys.exit(exit_codes.FAILED)
    found = url if kind.kind == "column" else kind.column_url
    if not found:
        click.echo(f"npc-archive: no link named {column} on {url}", err=True)
        sys.exit(exit_codes.FAILED)
    click.echo(f"{column}: {found}")
    click.echo(f"CMS family: {kind.family or 'not recognised'}")
    click.echo(f"Crawl it: npc-archive crawl --start-url '{found}'")
