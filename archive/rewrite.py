"""Links in replayed pages and stylesheets rewritten to stay inside the archive.

An archived page links its stylesheet, banner, list pages and neighbouring opinions by the
live site's addresses. Replayed as a memento of time T, each link becomes
``/web/T/ABSOLUTE-URL`` on the replay server, which answers with that URL's capture nearest T,
so a reader moves from page to page in the archive and the browser never asks the live site.
Bytes in, bytes out: the page is not decoded, so its charset (GBK on the live site) is kept;
an attribute only counts after whitespace, which no byte of a GBK character is.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

_ATTRIBUTE = re.compile(rb"""(\s(?:href|src|background)\s*=\s*)("[^"]*"|'[^']*'|[^\s>"']+)""", re.I)
_CSS_URL = re.compile(rb"""(url\(\s*)("[^"]*"|'[^']*'|[^)"'\s]*)(\s*\))""", re.I)
_BASE = re.compile(rb"""<base\s[^>]*href\s*=\s*["']?([^"'\s>]+)""", re.I)
_BODY = re.compile(rb"<body[^>]*>", re.I)


def archive_url(prefix: str, base: str, reference: str) -> str | None:
    """``reference`` (as written in a page at ``base``) as an address in the archive, or None to leave it."""
    reference = reference.strip()
    if not reference or reference.startswith(("#", "data:", "javascript:", "mailto:")):
        return None
    try:
        url = urljoin(base, reference)
    except ValueError:
        return None
    if urlsplit(url).scheme not in ("http", "https"):
        return None
    return prefix + url


def _replace(value: bytes, prefix: str, base: str) -> bytes:
    quote = value[:1] if value[:1] in (b'"', b"'") else b""
    inner = value[1:-1] if quote else value
    target = archive_url(prefix, base, inner.decode("latin-1"))
    return value if target is None else quote + target.encode("latin-1") + quote


def rewrite_html(body: bytes, url: str, prefix: str) -> bytes:
    """``href``, ``src`` and ``background`` attributes and inline CSS ``url()``s pointed at ``prefix`` + URL."""
    base_match = _BASE.search(body)
    base = urljoin(url, base_match.group(1).decode("latin-1")) if base_match else url
    body = _ATTRIBUTE.sub(lambda m: m.group(1) + _replace(m.group(2), prefix, base), body)
    return rewrite_css(body, base, prefix)


def rewrite_css(body: bytes, url: str, prefix: str) -> bytes:
    return _CSS_URL.sub(lambda m: m.group(1) + _replace(m.group(2), prefix, url) + m.group(3), body)


def insert_banner(body: bytes, banner_html: str) -> bytes:
    """``banner_html`` right after ``<body>`` (at the start when there is none), written with
    character references only, so it reads the same in any charset the page has."""
    banner = banner_html.encode("ascii", "xmlcharrefreplace")
    found = _BODY.search(body)
    at = found.end() if found else 0
    return body[:at] + banner + body[at:]
