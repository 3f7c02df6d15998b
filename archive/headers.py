"""Response headers stored once per distinct set, with what changes on every response kept
apart per capture.

A capture's header list becomes a template, the list with the value of each varying header
(Date, Content-Length, ...) replaced by null, shared by every capture that has the same
template, and the varying values, keyed by their position in the list. Joining them gives
back the exact list: names, order, values and duplicates.
"""

from __future__ import annotations

import json

# Headers whose value changes from one response to the next even when the page does not,
# and Content-Length, which changes with every view count shown on the page: without it the
# pages of a site share a handful of templates.
VARYING_HEADERS = frozenset({"date", "expires", "age", "set-cookie", "content-length"})


def split_headers(headers: list[tuple[str, str]] | list[list[str]]) -> tuple[str, str | None]:
    """The template (JSON) and the varying values (JSON object, None when there are none)."""
    template, values = [], {}
    for position, (name, value) in enumerate(headers):
        if name.lower() in VARYING_HEADERS:
            template.append([name, None])
            values[str(position)] = value
        else:
            template.append([name, value])
    varying = json.dumps(values, ensure_ascii=False, separators=(",", ":")) if values else None
    return json.dumps(template, ensure_ascii=False), varying


def join_headers(template: str, varying: str | None) -> list[tuple[str, str]]:
    values = json.loads(varying) if varying else {}
    return [(name, values[str(position)] if value is None else value)
            for position, (name, value) in enumerate(json.loads(template))]


def content_type(headers: list[tuple[str, str]] | list[list[str]]) -> str | None:
    return next((value for name, value in headers if name.lower() == "content-type"), None)
