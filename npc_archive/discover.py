"""``npc-archive discover HOME_URL``: find the 审议意见 column and the site's CMS family from its
home page, by the visible link text. One plain, polite request (robots.txt obeyed, the crawler's
User-Agent), nothing written."""

from __future__ import annotations

import gzip
import http.client
import queue
import ssl
import sys
import threading
import urllib.error
import urllib.request
import urllib.robotparser
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import click

from parsers import ParseError
from parsers.lines import Page, page_lines
from parsers.pages import COLUMN, PageKind, classify_page, column_link, sent_on
from spiders.session import unusable_url
from spiders.settings import DOWNLOAD_TIMEOUT, USER_AGENT

from . import exit_codes

# https as the crawl reads it (Scrapy checks no certificate): an expired or self-signed one is
# common on county sites, and their pages are public.
ANY_CERTIFICATE = ssl.create_default_context()
ANY_CERTIFICATE.check_hostname = False
ANY_CERTIFICATE.verify_mode = ssl.CERT_NONE


def fetch_page(url: str, robots: urllib.robotparser.RobotFileParser) -> tuple[bytes, str, str | None]:
    """(body, final URL, Content-Type) of one GET that ``robots`` (the site's robots.txt) allows;
    OSError when it cannot be had."""
    if not robots.can_fetch(USER_AGENT, url):
        raise PermissionError(f"robots.txt of the site disallows {url}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT, context=ANY_CERTIFICATE) as response:
        return _body(response), response.geturl(), response.headers.get("Content-Type")


def _body(response: http.client.HTTPResponse) -> bytes:
    """A response's body, uncompressed where the server compressed it unasked (some IIS sites gzip
    every page); OSError, saying so, when it is not what its Content-Encoding says."""
    body, encoding = response.read(), (response.headers.get("Content-Encoding") or "").strip().lower()
    try:
        if encoding in ("gzip", "x-gzip"):
            return gzip.decompress(body)
        if encoding == "deflate":  # zlib-wrapped, as the standard says, or raw, as IIS sends it
            return zlib.decompress(body) if body[:1] == b"\x78" else zlib.decompress(body, -zlib.MAX_WBITS)
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise OSError(f"its {encoding} body cannot be read: {error}") from None
    return body


def site_robots(url: str) -> urllib.robotparser.RobotFileParser:
    """The robots.txt of ``url``'s site, asked for as the crawl asks (its User-Agent, its download
    timeout: robotparser's own read() waits for ever on a server that never answers). None to be
    read (missing, a server error, no answer) disallows nothing, as in Scrapy; a 401 or 403
    everything, as robotparser reads them."""
    robots = urllib.robotparser.RobotFileParser(urljoin(url, "/robots.txt"))
    request = urllib.request.Request(robots.url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT, context=ANY_CERTIFICATE) as response:
            robots.parse(_body(response).decode("utf-8", errors="replace").splitlines())
    except urllib.error.HTTPError as error:
        robots.disallow_all = error.code in (401, 403)
        robots.allow_all = not robots.disallow_all
    except (OSError, ValueError):  # no answer, a timeout, a broken reply
        robots.allow_all = True
    return robots


# The columns found besides the 审议意见 one, by the link texts a home page shows for them, the
# first it links of each: the government's reports on the opinions (a column of their own, else
# 监督工作) and the news of the meetings (工作动态).
OTHER_COLUMNS = (("reports", ("审议意见落实情况", "审议意见办理情况", "监督工作")), ("news", ("工作动态",)))


class NotDiscovered(Exception):
    """The home page could not be read, or names no such column: the message says which."""


# Where a site keeps the column when its home page does not link to it: under one of these
# (监督工作 › 审议意见), whose page does. At most PARENT_TRIES of them are asked.
PARENT_COLUMNS = ("监督工作", "常委会工作", "依法监督", "人大监督", "监督纵横", "常委会会议")
PARENT_TRIES = 3
# A home page that sends its reader on (a splash page, a frameset) is followed this many pages
# on, trying up to SENT_ON_TRIES of the pages (frames) each sends to.
SENT_ON_HOPS = 2
SENT_ON_TRIES = 4


def discover_site(home_url: str, column: str = COLUMN) -> tuple[list[dict], str | None]:
    """The columns of the site at ``home_url`` as the crawl's COLUMNS (``{kind, url}``: the opinions
    column first, then those of OTHER_COLUMNS its home page links to) and its CMS family (None:
    not recognised), from one request, or a few more where the home page sends its reader on (a
    splash page, a frameset) or the column is linked from a PARENT_COLUMNS page only.
    NotDiscovered when the page cannot be read or no page names ``column``."""
    robots: dict[str, urllib.robotparser.RobotFileParser] = {}  # each host's, asked once
    try:
        body, url, content_type = fetch_page(home_url, _robots_of(home_url, robots))
        kind = classify_page(body, url, content_type, column)
    except (OSError, ParseError) as error:
        raise NotDiscovered(f"cannot read {home_url}: {error}") from None
    page = page_lines(body, url, content_type)
    for _ in range(SENT_ON_HOPS):
        if kind.kind == "column" or kind.column_url:
            break
        onward = _page_sent_to(page, column, robots)
        if onward is None:
            break
        url, kind, page = onward
    found = url if kind.kind == "column" else kind.column_url or _under_parent(page, column, robots)
    if not found:
        raise NotDiscovered(f"no link named {column} on {url}, nor on the pages of {', '.join(PARENT_COLUMNS)} it links to")
    others = [{"kind": other, "url": link} for other, names in OTHER_COLUMNS if (link := _first_link(page, names))]
    return [{"kind": "opinions", "url": found}, *others], kind.family


def _robots_of(url: str, robots: dict[str, urllib.robotparser.RobotFileParser]) -> urllib.robotparser.RobotFileParser:
    """The robots.txt of ``url``'s host, from ``robots`` (the hosts' read so far) or read now and kept there."""
    host = urlsplit(url).netloc
    if host not in robots:
        robots[host] = site_robots(url)
    return robots[host]


def _page_sent_to(page: Page, column: str, robots: dict[str, urllib.robotparser.RobotFileParser]) -> tuple[str, PageKind, Page] | None:
    """The page that ``page`` sends its reader on to (parsers.pages.sent_on: a splash page's
    refresh or script, a frameset's frames), as (URL, kind, page): the first that names the column
    or links to it, else the first that can be read; None for a page of its own. ``robots``: each
    host's robots.txt, asked once (_robots_of)."""
    read = []
    for target in sent_on(page)[:SENT_ON_TRIES]:
        try:
            body, url, content_type = fetch_page(target, _robots_of(target, robots))
            kind = classify_page(body, url, content_type, column)
        except (OSError, ParseError):
            continue
        read.append((url, kind, page_lines(body, url, content_type)))
        if kind.kind == "column" or kind.column_url:
            return read[-1]
    return next(iter(read), None)


def _first_link(page: Page, names: Sequence[str]) -> str | None:
    """The link named by the first of ``names`` the page has one of."""
    return next(filter(None, (column_link(page, name) for name in names)), None)


def _under_parent(home: Page, column: str, robots: dict[str, urllib.robotparser.RobotFileParser]) -> str | None:
    """The link named ``column`` on the first page of the home page's PARENT_COLUMNS links that has
    one (``robots``: each host's robots.txt, asked once, _robots_of)."""
    parents = list(dict.fromkeys(link for name in PARENT_COLUMNS if (link := column_link(home, name))))
    for parent in parents[:PARENT_TRIES]:
        try:
            body, url, content_type = fetch_page(parent, _robots_of(parent, robots))
            found = column_link(page_lines(body, url, content_type), column)
        except (OSError, ParseError):
            continue  # the parent's page cannot be read: another may say
        if found:
            return found
    return None


@dataclass
class Discovery:
    """What discovering one home page found: its columns and family, or the problem (NotDiscovered's message)."""

    home_url: str
    columns: list[dict] | None = None
    family: str | None = None
    problem: str | None = None


class Discoveries:
    """The columns of many sites' home pages, ``jobs`` asked at once but never two of one host
    (in the order given, host by host): ``for found in Discoveries(urls, 4)`` yields each
    Discovery as it is made. The threads are daemons: Ctrl-C stops the caller at once, and
    ``asking`` says which home pages were being asked then."""

    def __init__(self, home_urls: Sequence[str], jobs: int) -> None:
        self.count = len(home_urls)
        by_host: dict[str, list[str]] = {}
        for url in home_urls:
            by_host.setdefault(urlsplit(url).hostname or url, []).append(url)
        self._hosts: queue.SimpleQueue[list[str]] = queue.SimpleQueue()
        for urls in by_host.values():
            self._hosts.put(urls)
        self._found: queue.SimpleQueue[Discovery | BaseException] = queue.SimpleQueue()
        self.asking: dict[int, str] = {}  # thread id -> the home page it is asking
        self._workers = [threading.Thread(target=self._work, daemon=True) for _ in range(min(jobs, len(by_host)))]

    def __iter__(self) -> Iterator[Discovery]:
        for worker in self._workers:
            worker.start()
        for _ in range(self.count):
            found = self._found.get()
            if isinstance(found, BaseException):
                raise found  # not a site's problem: a bug, raised where it can be seen
            yield found

    def _work(self) -> None:
        while True:
            try:
                urls = self._hosts.get_nowait()
            except queue.Empty:
                return
            for url in urls:
                self.asking[threading.get_ident()] = url
                try:
                    columns, family = discover_site(url)
                    self._found.put(Discovery(url, columns, family))
                except NotDiscovered as error:
                    self._found.put(Discovery(url, problem=str(error)))
                except BaseException as error:
                    self._found.put(error)
                    return
                finally:
                    self.asking.pop(threading.get_ident(), None)


def home_url_argument(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Refused as a usage error before anything is fetched, as `crawl --start-url` is."""
    if problem := unusable_url(value, "home URL"):
        raise click.BadParameter(problem, ctx, param)
    return value.strip()


@click.command()
@click.argument("home_url", callback=home_url_argument)
@click.option("--column", default=COLUMN, show_default=True, help="the column's name as its link shows it")
def discover(home_url: str, column: str) -> None:
    """Find the column's first list page (and the CMS family) from the site's home page."""
    try:
        columns, family = discover_site(home_url, column)
    except NotDiscovered as error:
        click.echo(f"npc-archive: {error}", err=True)
        sys.exit(exit_codes.FAILED)
    found, others = columns[0]["url"], columns[1:]
    click.echo(f"{column}: {found}")
    click.echo(f"CMS family: {family or 'not recognised'}")
    if others:  # the government's reports on the opinions, the news of their hearings
        click.echo("Its other columns: " + ", ".join(f"{other['kind']} {other['url']}" for other in others))
    click.echo(f"Crawl it: npc-archive crawl --start-url '{found}'" + "".join(f" --column {other['kind']}='{other['url']}'" for other in others))
