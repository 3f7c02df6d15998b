"""The answers of ``npc-archive serve`` under ``/web/`` and ``/timemap/``: Memento (RFC 7089).

- ``/web/TIMESTAMP/URL``: the memento nearest TIMESTAMP (4 to 14 digits, or 17 to the millisecond);
  when that capture's own timestamp differs, a redirect to it, so that every memento has one address.
- ``/web/URL``: the TimeGate; ``Accept-Datetime`` picks the memento (the latest without it).
- ``/web/*/URL``: a page listing the URL's captures.
- ``/timemap/link/URL``: the TimeMap in ``application/link-format``.
- ``/web/TIMESTAMPid_/URL``: the capture exactly as stored (headers that describe the body, gzip and all).

A memento is the page with its links pointed into the archive, decompressed, and
``Memento-Datetime`` and ``Link`` headers. A removal capture of a removed opinion redirects to
its last good capture, which carries a banner saying when the site removed the page.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from email.utils import parsedate_to_datetime

from .captures import decode_content
from .mementos import Memento, last_good_before, mementos, nearest, parse_timestamp, removal
from .rewrite import insert_banner, rewrite_css, rewrite_html
from .store import Archive

Answer = tuple[int, list[tuple[str, str]], bytes]
_MEMENTO = re.compile(r"/web/(\d{4,17})(id_)?/(.+)", re.S)
_TEXT = [("Content-Type", "text/plain; charset=utf-8")]
DESCRIBING_HEADERS = {"content-type", "content-encoding", "last-modified"}
LINK_FORMAT = "application/link-format"


class BadRequest(ValueError):
    """A memento address or Accept-Datetime that cannot be read."""


def _url_part(text: str) -> str:
    # Some clients fold the "//" after the scheme.
    return re.sub(r"^(https?):/(?!/)", r"\1://", text)


def memento_answer(archive: Archive, target: str, base: str, accept_datetime: str | None) -> Answer | None:
    """The answer for ``target`` (a path under /web/ or /timemap/); None when it names no capture."""
    if target.startswith("/timemap/link/"):
        return timemap(archive, _url_part(target.removeprefix("/timemap/link/")), base)
    if target.startswith("/web/*/"):
        return capture_list(archive, _url_part(target.removeprefix("/web/*/")))
    match = _MEMENTO.fullmatch(target)
    if match is None:
        return timegate(archive, _url_part(target.removeprefix("/web/")), base, accept_datetime)
    digits, raw, url = match.group(1), bool(match.group(2)), _url_part(match.group(3))
    try:
        when = parse_timestamp(digits)
    except ValueError:
        raise BadRequest(f"not a timestamp: {digits} (YYYYMMDDhhmmss, 4 to 14 digits, or 17 with milliseconds)") from None
    captures = mementos(archive, url)
    found = nearest(captures, when)
    if found is None:
        return None
    if raw:
        if found.timestamp != digits:
            return _redirect(f"/web/{found.timestamp}id_/{found.url}")
        return _stored(archive, found)
    if found.removal:
        good = last_good_before(captures, found)
        if good is not None:
            return _redirect(f"/web/{good.timestamp}/{good.url}")
    if found.timestamp != digits:
        return _redirect(f"/web/{found.timestamp}/{found.url}")
    return _memento(archive, found, captures, base)


def timegate(archive: Archive, url: str, base: str, accept_datetime: str | None) -> Answer | None:
    captures = mementos(archive, url)
    if not captures:
        return None
    if accept_datetime:
        try:
            when = parsedate_to_datetime(accept_datetime)
        except (TypeError, ValueError):
            raise BadRequest(f"Accept-Datetime is not an HTTP date: {accept_datetime}") from None
        if when.tzinfo is None:
            raise BadRequest(f"Accept-Datetime is not an HTTP date: {accept_datetime}")
        chosen = nearest(captures, when)
    else:
        chosen = captures[-1]
    if chosen.removal:
        chosen = last_good_before(captures, chosen) or chosen
    original = captures[-1].url
    headers = [("Location", f"/web/{chosen.timestamp}/{chosen.url}"), ("Vary", "accept-datetime"),
               ("Link", f'<{original}>; rel="original", <{base}/timemap/link/{original}>; rel="timemap"; type="{LINK_FORMAT}"'),
               ("Content-Type", "text/plain; charset=utf-8")]
    return 302, headers, f"memento of {chosen.http_date}: /web/{chosen.timestamp}/{chosen.url}\n".encode()


def timemap(archive: Archive, url: str, base: str) -> Answer | None:
    captures = mementos(archive, url)
    if not captures:
        return None
    original = captures[-1].url
    lines = [f"<{original}>; rel=\"original\"",
             f"<{base}/web/{original}>; rel=\"timegate\"",
             f"<{base}/timemap/link/{original}>; rel=\"self\"; type=\"{LINK_FORMAT}\"; "
             f"from=\"{captures[0].http_date}\"; until=\"{captures[-1].http_date}\""]
    lines += [_memento_link(base, captures, position) for position in range(len(captures))]
    return 200, [("Content-Type", LINK_FORMAT)], (",\n".join(lines) + "\n").encode("utf-8")


def capture_list(archive: Archive, url: str) -> Answer | None:
    captures = mementos(archive, url)
    if not captures:
        return None
    items = "".join(
        f'<li><a href="{html.escape(f"/web/{m.timestamp}/{m.url}")}">{html.escape(m.fetched_at)}</a> HTTP {m.status}'
        f'{" (the site&#39;s removal page)" if m.removal else ""} '
        f'<a href="{html.escape(f"/web/{m.timestamp}id_/{m.url}")}">as stored</a></li>\n'
        for m in captures)
    page = (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Captures of {html.escape(url)}</title></head><body>'
            f"<h1>{len(captures)} captures of {html.escape(captures[-1].url)}</h1><ul>\n{items}</ul></body></html>")
    return 200, [("Content-Type", "text/html; charset=utf-8")], page.encode("utf-8")


def _redirect(location: str) -> Answer:
    return 302, [("Location", location), ("Content-Type", "text/plain; charset=utf-8")], f"see {location}\n".encode()


def _stored(archive: Archive, memento: Memento) -> Answer:
    capture = archive.capture(memento.capture_id)
    headers = [(name, value) for name, value in capture["headers"] if name.lower() in DESCRIBING_HEADERS]
    return capture["status"], headers + [("Memento-Datetime", memento.http_date)], archive.capture_body(memento.capture_id)


def _memento(archive: Archive, memento: Memento, captures: list[Memento], base: str) -> Answer:
    capture = archive.capture(memento.capture_id)
    body = archive.capture_body(memento.capture_id)
    headers = [(name, value) for name, value in capture["headers"] if name.lower() in ("content-type", "last-modified")]
    content_type = next((value for name, value in headers if name.lower() == "content-type"), "").lower()
    if content_type.startswith(("text/html", "text/css")):
        try:
            body = decode_content(body, capture["headers"])
        except (ValueError, OSError):
            return _stored(archive, memento)
        prefix = f"/web/{memento.timestamp}/"
        if content_type.startswith("text/css"):
            body = rewrite_css(body, memento.url, prefix)
        else:
            body = rewrite_html(body, memento.url, prefix)
            gone = removal(archive, memento.url) if any(m.removal for m in captures) else None
            if gone:
                body = insert_banner(body, _removed_banner(gone.removed_at, memento))
    else:
        headers = [(name, value) for name, value in capture["headers"] if name.lower() in DESCRIBING_HEADERS]
    original = captures[-1].url
    links = [f'<{original}>; rel="original"', f'<{base}/web/{original}>; rel="timegate"',
             f'<{base}/timemap/link/{original}>; rel="timemap"; type="{LINK_FORMAT}"']
    links += [_memento_link(base, captures, position) for position, other in enumerate(captures)
              if other == memento or position in (0, len(captures) - 1)]
    return capture["status"], headers + [("Memento-Datetime", memento.http_date), ("Link", ", ".join(links))], body


def _memento_link(base: str, captures: list[Memento], position: int) -> str:
    """The link-format entry of the memento at ``position``: rel ``first`` and ``last memento`` at the ends."""
    ends = [word for word, wanted in (("first", position == 0), ("last", position == len(captures) - 1)) if wanted]
    memento = captures[position]
    return (f'<{base}/web/{memento.timestamp}/{memento.url}>; rel="{" ".join([*ends, "memento"])}"; '
            f'datetime="{memento.http_date}"')


def _removed_banner(removed_at: str, memento: Memento) -> str:
    removed = datetime.fromisoformat(removed_at.replace("Z", "+00:00")).strftime("%Y-%m-%d %H:%M UTC")
    shown = memento.datetime.strftime("%Y-%m-%d %H:%M UTC")
    return ('<div role="note" style="margin:0;padding:10px 16px;background:#fff3cd;border-bottom:2px solid #c9a227;'
            'color:#5c4400;font:15px/1.6 sans-serif;text-align:center">'
            f"该信息已被网站删除 · The site removed this page on {removed}. "
            f"This is its last capture before the removal, of {shown} (npc-archive).</div>")
