"""Response headers stored once per distinct set, with what changes on every response kept
apart per capture.

A capture's header list becomes a template, the list with the value of each varying header
(Date, Content-Length, ...) replaced by null, shared by every capture that has the same
template, and the varying values in the order of those nulls. Joining them gives back the
exact list: names, order, values and duplicates.
"""

from __future__ import annotations

import json

# Headers whose value changes from one response to the next even when the page does not,
# and Content-Length, which changes with every view count shown on the page: without it the
# pages of a site share a handful of templates.
VARYING_HEADERS = frozenset({"date", "expires", "age", "set-cookie", "content-length"})


def split_headers(headers: list[tuple[str, str]] | list[list[str]]) -> tuple[str, str | None]:
    """The template (JSON) and the varying values (JSON list, None when there are none)."""
    template, values = [], []
    for name, value in headers:
        varies = name.lower() in VARYING_HEADERS
        template.append([name, None if varies else value])
        if varies:
            values.append(value)
    varying = json.dumps(values, ensure_ascii=False, separators=(",", ":")) if values else None
    return json.dumps(template, ensure_ascii=False), varying


def join_headers(template: str, varying: str | None) -> list[tuple[str, str]]:
    values = iter(json.loads(varying) if varying else ())
    return [(name, next(values) if value is None else value) for name, value in json.loads(template)]


def content_type(headers: list[tuple[str, str]] | list[list[str]]) -> str | None:
    return next((value for name, value in headers if name.lower() == "content-type"), None)
