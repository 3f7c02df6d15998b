"""`npc-archive serve` as a Memento archive (RFC 7089): every capture at /web/TIMESTAMP/URL,
TimeGates, TimeMaps, and a removed opinion read as its last good capture."""

from __future__ import annotations

import gzip
import html
import re
import urllib.error
import urllib.request
from email.utils import format_datetime

import pytest

from archive import Archive
from archive.memento_replay import memento_answer
from archive.mementos import Memento, mementos, nearest, parse_timestamp
from archive.replay import SANDBOX, ReplayServer


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}), NoRedirects)


def get(url: str, headers: dict[str, str] | None = None):
    """Status, headers and body of a GET, redirects not followed."""
    try:
        with DIRECT.open(urllib.request.Request(url, headers=headers or {})) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def served(refreshed_after_changes):
    with ReplayServer(refreshed_after_changes.db, port=0) as server:
        yield server, refreshed_after_changes


def text_of(headers, body: bytes) -> str:
    if headers["Content-Encoding"] == "gzip":  # a capture as stored
        body = gzip.decompress(body)
    charset = headers.get_content_charset() or "utf-8"
    return body.decode("gb18030" if charset.lower() in ("gb2312", "gbk") else charset)


def captures_of(db, url: str):
    archive = Archive(db, read_only=True)
    try:
        return mementos(archive, url)
    finally:
        archive.close()


def test_a_timestamp_redirects_to_the_nearest_capture_s_own_timestamp(served):
    server, site = served
    first, second = captures_of(site.db, site.edited_url)
    status, headers, _ = get(f"{server.base_url}/web/{first.timestamp[:8]}/{site.edited_url}")
    assert status == 302 and headers["Location"] == f"/web/{first.timestamp}/{site.edited_url}"
    status, headers, _ = get(f"{server.base_url}/web/2099/{site.edited_url}")
    assert status == 302 and headers["Location"] == f"/web/{second.timestamp}/{site.edited_url}"
    assert "sandbox" in headers["Content-Security-Policy"]


def test_each_capture_of_an_edited_opinion_is_its_own_memento(served):
    server, site = served
    first, second = captures_of(site.db, site.edited_url)
    sentence = "区政府要定期向区人大常委会报告工作进展。"
    pages = {}
    for memento in (first, second):
        status, headers, body = get(f"{server.base_url}/web/{memento.timestamp}/{site.edited_url}")
        assert status == 200 and headers["Memento-Datetime"] == format_datetime(memento.datetime, usegmt=True)
        assert headers["Content-Security-Policy"] == SANDBOX  # scripts stay blocked
        assert f'<{site.edited_url}>; rel="original"' in headers["Link"]
        assert 'rel="timegate"' in headers["Link"] and 'rel="timemap"; type="application/link-format"' in headers["Link"]
        pages[memento] = text_of(headers, body)
    assert sentence not in pages[first] and sentence in pages[second]


def test_links_in_a_memento_stay_inside_the_archive(served):
    server, site = served
    memento = captures_of(site.db, site.edited_url)[-1]
    _, _, body = get(f"{server.base_url}/web/{memento.timestamp}/{site.edited_url}")
    origin = site.server.base_url
    assert f'href="/web/{memento.timestamp}/{origin}/css/style.css"'.encode() in body
    assert f'src="/web/{memento.timestamp}/{origin}/images/banner.jpg"'.encode() in body
    links = re.findall(rb'\s(?:href|src)="([^"#]+)"', body)
    assert links and all(link.startswith(b"/web/") or link.startswith(b"javascript:") for link in links)
    # A link followed lands on an archived page: the stylesheet, then an image it names.
    status, headers, css = get(f"{server.base_url}/web/{memento.timestamp}/{origin}/css/style.css")
    if status == 302:  # captured in another second than the page
        status, headers, css = get(server.base_url + headers["Location"])
    assert status == 200 and headers["Content-Type"] == "text/css"
    assert b"url(/web/" in css and b"/images/menu_bg.gif)" in css


def test_a_removed_opinion_shows_its_last_good_capture_with_a_banner(served):
    server, site = served
    good, removal = captures_of(site.db, site.removed_url)
    assert (good.removal, removal.removal) == (False, True)
    # The capture of the removal page sends the reader to the last good capture.
    status, headers, _ = get(f"{server.base_url}/web/{removal.timestamp}/{site.removed_url}")
    assert status == 302 and headers["Location"] == f"/web/{good.timestamp}/{site.removed_url}"
    status, headers, body = get(f"{server.base_url}/web/{good.timestamp}/{site.removed_url}")
    assert status == 200 and headers["Memento-Datetime"] == format_datetime(good.datetime, usegmt=True)
    text = html.unescape(text_of(headers, body))  # the banner is written in character references
    assert "该信息不存在或已被删除" not in text
    assert "关于" in text and "The site removed this page on" in text and "该信息已被网站删除" in text
    assert f"This is its last capture before the removal, of {good.datetime:%Y-%m-%d %H:%M} UTC" in text
    # The removal page itself is still there, as stored.
    status, headers, stored = get(f"{server.base_url}/web/{removal.timestamp}id_/{site.removed_url}")
    assert status == 200 and "该信息不存在或已被删除" in text_of(headers, stored)


def test_the_timemap_lists_both_captures_of_the_removed_opinion(served):
    server, site = served
    good, removal = captures_of(site.db, site.removed_url)
    status, headers, body = get(f"{server.base_url}/timemap/link/{site.removed_url}")
    assert status == 200 and headers["Content-Type"] == "application/link-format"
    entries = body.decode().split(",\n")
    assert entries[0] == f'<{site.removed_url}>; rel="original"'
    assert entries[1] == f'<{server.base_url}/web/{site.removed_url}>; rel="timegate"'
    assert entries[2].startswith(f'<{server.base_url}/timemap/link/{site.removed_url}>; rel="self"')
    assert entries[3] == (f'<{server.base_url}/web/{good.timestamp}/{site.removed_url}>; rel="first memento"; '
                          f'datetime="{format_datetime(good.datetime, usegmt=True)}"')
    assert entries[4].strip() == (f'<{server.base_url}/web/{removal.timestamp}/{site.removed_url}>; rel="last memento"; '
                                  f'datetime="{format_datetime(removal.datetime, usegmt=True)}"')
    assert len(entries) == 5


def test_the_timegate_negotiates_accept_datetime(served):
    server, site = served
    first, second = captures_of(site.db, site.edited_url)
    status, headers, _ = get(f"{server.base_url}/web/{site.edited_url}",
                             {"Accept-Datetime": format_datetime(first.datetime, usegmt=True)})
    assert status == 302 and headers["Location"] == f"/web/{first.timestamp}/{site.edited_url}"
    assert headers["Vary"] == "accept-datetime"
    assert f'<{site.edited_url}>; rel="original"' in headers["Link"]
    status, headers, _ = get(f"{server.base_url}/web/{site.edited_url}")  # no Accept-Datetime: the latest
    assert status == 302 and headers["Location"] == f"/web/{second.timestamp}/{site.edited_url}"
    status, _, body = get(f"{server.base_url}/web/{site.edited_url}", {"Accept-Datetime": "yesterday"})
    assert status == 400 and b"Accept-Datetime is not an HTTP date" in body


def test_the_capture_list_links_every_capture(served):
    server, site = served
    captures = captures_of(site.db, site.removed_url)
    status, _, body = get(f"{server.base_url}/web/*/{site.removed_url}")
    assert status == 200 and f"{len(captures)} captures of".encode() in body
    for memento in captures:
        assert f'href="/web/{memento.timestamp}/{site.removed_url}"'.encode() in body
    assert b"removal page" in body


def test_the_index_links_a_removed_opinion_to_its_timegate(served):
    server, site = served
    _, _, body = get(server.base_url + "/")
    assert f'href="/web/{site.removed_url}"'.encode() in body
    assert f'href="/web/*/{site.edited_url}"'.encode() in body


@pytest.mark.parametrize("path, status", [
    ("/web/20261/http://127.0.0.1:1/nothing", 404),
    ("/web/20261399999999/{url}", 400),
    ("/timemap/link/http://127.0.0.1:1/nothing", 404),
])
def test_unknown_urls_and_bad_timestamps_are_refused_in_the_sandbox(served, path, status):
    server, site = served
    answer, headers, _ = get(server.base_url + path.format(url=site.edited_url))
    assert answer == status and headers["Content-Security-Policy"] == SANDBOX


def test_a_capture_asked_for_by_its_own_timestamp_is_itself_whatever_its_fractions():
    # 16.9 s is nearer 17 s than 17.2 s is, but /web/…17/ names the capture of 17.2 s.
    first = Memento(1, "http://x.gov.cn/a.html", "2026-12-04T20:58:16.900000Z", 200)
    second = Memento(2, "http://x.gov.cn/a.html", "2026-12-04T20:58:17.200000Z", 200)
    assert nearest([first, second], parse_timestamp(second.timestamp)) is second
    assert nearest([first, second], parse_timestamp(first.timestamp)) is first


def test_two_captures_of_a_url_in_one_second_each_keep_an_address(tmp_path):
    # A refresh run right after a crawl fetches a page again within the second: both captures
    # must be reachable, the second one not hidden behind the first's 14-digit timestamp.
    archive = Archive(tmp_path / "archive.db")
    url = "http://x.gov.cn/a.html"
    headers = [("Content-Type", "text/html; charset=utf-8")]
    for fetched_at, text in (("2026-12-04T20:58:16.250Z", "旧"), ("2026-12-04T20:58:16.750Z", "新")):
        archive.add_capture(url=url, status=200, headers=headers, body=f"<p>{text}</p>".encode(), fetched_at=fetched_at)
    early, late = mementos(archive, url)
    assert (early.timestamp, late.timestamp) == ("20261204205816250", "20261204205816750")
    for memento, text in ((early, "旧"), (late, "新")):
        status, _, body = memento_answer(archive, f"/web/{memento.timestamp}/{url}", "http://replay", None)
        assert status == 200 and text in body.decode()
    # The second alone, as a reader would type it, leads to the earlier of the two.
    status, headers_sent, _ = memento_answer(archive, f"/web/20261204205816/{url}", "http://replay", None)
    assert status == 302 and dict(headers_sent)["Location"] == f"/web/{early.timestamp}/{url}"
    archive.close()
