"""The requisites of a page: the stylesheets and images a browser loads to show it as a reader saw it.

Pure: page (or stylesheet) bytes and URL in, absolute URLs out, each once, in the order the
page names them. Scripts are not requisites: replay never runs them. ``data:`` URLs are in
the page itself and are left out, as is anything but http(s).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from .encoding import decode_html
from .errors import DecodeError
from .lines import absolute_url, parse_html

# url(...) in CSS, quoted or not, and @import "..." without url().
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)


def _kept(base: str, references: list[str]) -> list[str]:
    found: list[str] = []
    for reference in references:
        url = absolute_url(base, reference) if reference and reference.strip() else None
        if url and urlsplit(url).scheme in ("http", "https"):
            url = url.split("#", 1)[0]
            if url not in found:
                found.append(url)
    return found


def page_requisites(body: bytes, url: str, content_type: str | None = None) -> list[str]:
    """The stylesheets (``<link rel=stylesheet>``), images (``<img src>``) and the ``url()``s of
    inline ``<style>`` of an HTML page; none for a page that cannot be read."""
    try:
        root = parse_html(decode_html(body, content_type)[0])
    except DecodeError:
        return []
    return requisites_of(root, url)


def requisites_of(root: etree._Element, url: str) -> list[str]:
    """page_requisites of a page already parsed (``parse_html``)."""
    base_element = root.find(".//base[@href]")
    base = (absolute_url(url, base_element.get("href")) if base_element is not None else None) or url
    references = []
    for element in root.iter("link", "img", "style"):
        if element.tag == "link" and "stylesheet" in (element.get("rel") or "").lower().split():
            references.append(element.get("href") or "")
        elif element.tag == "img":
            references.append(element.get("src") or "")
        elif element.tag == "style":
            references.extend(_css_references(element.text_content()))
    return _kept(base, references)


def stylesheet_requisites(body: bytes, url: str) -> list[str]:
    """The images, fonts and imported stylesheets a stylesheet names (``url()``, ``@import``)."""
    return _kept(url, _css_references(body.decode("utf-8", "replace")))


def _css_references(css: str) -> list[str]:
    return [next(group for group in match.groups() if group is not None) for match in _CSS_URL.finditer(css)]
