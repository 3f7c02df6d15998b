"""Choosing a capture by time and undoing Content-Encoding, without a crawl."""

from __future__ import annotations

import gzip
import zlib

import pytest

from archive import Archive
from archive.captures import CaptureNotFound, Moment, decode_content, find_capture, moment

PAGE = "<html>审议意见</html>".encode("gbk")


def headers(*encodings: str) -> list[tuple[str, str]]:
    return [("Content-Encoding", encoding) for encoding in encodings]


@pytest.mark.parametrize("body, encoded_headers", [
    (gzip.compress(PAGE), headers("gzip")),
    (zlib.compress(PAGE), headers("deflate")),
    (zlib.compress(PAGE)[2:-4], headers("deflate")),  # raw deflate, as some servers send it
    (zlib.compress(gzip.compress(PAGE)), headers("gzip, deflate")),
    (zlib.compress(gzip.compress(PAGE)), headers("gzip", "deflate")),
    (PAGE, headers("identity")),
    (PAGE, []),
])
def test_content_encodings_are_undone_in_reverse_order(body, encoded_headers):
    assert decode_content(body, encoded_headers) == PAGE


def test_unknown_content_encoding_is_an_error():
    with pytest.raises(ValueError, match="'br'"):
        decode_content(b"x", headers("br"))


def test_moment_reads_dates_as_whole_utc_days_and_times_with_offsets():
    assert moment("2022-11-15") == ("<", "2022-11-16")
    assert moment("2022-11-15T08:30:00+08:00") == ("<=", "2022-11-15T00:30:00.000Z")
    assert moment("2022-11-15T00:30:00Z") == moment("2022-11-15T00:30:00") == ("<=", "2022-11-15T00:30:00.000Z")
    with pytest.raises(ValueError, match="not a date"):
        moment("last week")


def test_moment_bound_for_utc_columns_is_in_their_own_form():
    assert Moment.parse("2026-11-28T05:31:30+08:00").utc() == "2026-11-27T21:31:30.000Z"
    assert Moment.parse("2026-11-27T21:31:30.0004").utc() == "2026-11-27T21:31:30.001Z"  # rounded up: >= stays right
    assert Moment.parse("2026-11-27").utc() == "2026-11-27"
    assert "2026-11-27T21:31:35.120Z" >= Moment.parse("2026-11-28T05:31:30+08:00").utc()


@pytest.mark.parametrize("since, published, included", [
    ("2022-11-15T09:21:00Z", "2022-11-15T17:21+08:00", True),  # a time shown without seconds
    ("2022-11-15T17:21:00+08:00", "2022-11-15T17:21:00+08:00", True),
    ("2022-11-15T17:21:01+08:00", "2022-11-15T17:21+08:00", False),
    ("2022-11-15T17:21:30+08:00", "2022-11-15T17:22+08:00", True),
    ("2022-11-15T17:21:10.5+08:00", "2022-11-15T17:21:10+08:00", False),
    ("2022-11-15", "2022-11-15", True),  # a publish date, and a China date
    ("2022-11-15", "2022-11-14T23:59:59+08:00", False),
    ("2022-11-15T16:00:00Z", "2022-11-16", True),  # 00:00 China time on the 16th
])
def test_moment_bound_for_publish_times_compares_china_clock_times(since, published, included):
    assert (published >= Moment.parse(since).china()) is included


def test_find_capture_takes_the_latest_at_or_before(tmp_path):
    archive = Archive(tmp_path / "c.db")
    try:
        url = "http://jjrd.example/list.asp?ClassID=5"
        ids = [archive.add_capture(url=url, status=200, headers=[], body=body, fetched_at=at)[0]
               for body, at in [(b"one", "2022-11-15T10:00:00.000Z"), (b"two", "2022-11-16T10:00:00.000Z")]]
        assert find_capture(archive, url)["id"] == ids[1]
        assert find_capture(archive, url, "2022-11-15")["id"] == ids[0]
        assert find_capture(archive, url, "2022-11-16T10:00:00Z")["id"] == ids[1]
        assert find_capture(archive, url, "2022-11-16T17:59:59+08:00")["id"] == ids[0]
        with pytest.raises(CaptureNotFound, match="first capture: 2022-11-15T10:00:00.000Z"):
            find_capture(archive, url, "2022-11-14")
    finally:
        archive.close()
