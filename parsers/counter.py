"""The view-counter script some pages load (``<script src="count.asp?id=…">``)."""

from __future__ import annotations

import re

_WRITTEN_NUMBER = re.compile(r"document\.write(?:ln)?\s*\(\s*['\"]?(?:[^'\"\d]*?)(\d[\d,]*)")
_ANY_NUMBER = re.compile(r"(\d[\d,]*)")


def parse_counter_script(body: bytes) -> int | None:
    """The number the script writes into the page, or None if it writes none."""
    text = body.decode("utf-8", errors="replace")
    match = _WRITTEN_NUMBER.search(text) or _ANY_NUMBER.search(text)
    return int(match.group(1).replace(",", "")) if match else None
