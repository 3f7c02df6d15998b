"""The view-counter script some pages load (``<script src="count.asp?id=…">``)."""

from __future__ import annotations

import re

from .errors import ParseError

# The argument of document.write: a quoted string (markup allowed) or a bare number.
_WRITE = re.compile(r"""document\.write(?:ln)?\s*\(\s*(?:(['"])(.*?)(?<!\\)\1|(\d+))\s*\)""", re.S)
_TAG = re.compile(r"<[^>]*>")
_NUMBER = re.compile(r"\d[\d,]*")


def parse_counter_script(body: bytes) -> int:
    """The number the script writes into the page.

    Raises ParseError("no_count") for anything else: an error or login page served in the
    script's place holds numbers too (a year, a status code, "gb2312"), and none of them is
    a view count."""
    text = body.decode("utf-8", errors="replace").strip()
    if text.startswith("<"):
        raise ParseError("no_count", "the counter answered with a page, not a script")
    for match in _WRITE.finditer(text):
        written = match.group(3) or _TAG.sub("", match.group(2))
        number = _NUMBER.search(written)
        if number:
            return int(number.group().replace(",", ""))
    raise ParseError("no_count", "the counter script writes no number")
