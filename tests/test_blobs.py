"""Snapshot bodies stored as deltas: exact bytes back, few bytes stored."""

from __future__ import annotations

import gzip
import io
import random

import pytest

from archive import Archive
from archive.blobs import MAX_DEPTH, body_from_content, pack, stored_content, unpack_content
from tests.old_archives import old_archive

PAGE = ("<html><body>" + "审议意见，会议认为区政府高度重视。" * 300 + "查看次数:{views}</body></html>")


def page(views: int) -> bytes:
    return PAGE.format(views=views).encode("gbk")


def add(archive, body, url="http://jjrd.example/ShowArticle.asp?ArticleID=1", content_type="text/html"):
    capture_id, stored = archive.add_capture(url=url, status=200, headers=[("Content-Type", content_type)], body=body)
    return capture_id, stored


@pytest.fixture
def archive(tmp_path):
    archive = Archive(tmp_path / "a.db")
    yield archive
    archive.close()


def test_a_changed_view_count_costs_a_few_bytes(archive):
    first, first_size = add(archive, page(100))
    second, second_size = add(archive, page(101))
    assert second_size < 64 < first_size
    assert archive.capture_body(first) == page(100) and archive.capture_body(second) == page(101)


def test_gzip_bodies_are_rebuilt_byte_for_byte(archive):
    bodies = [gzip.compress(page(n), compresslevel=level, mtime=0) for n, level in ((1, 9), (2, 6), (3, 1))]
    ids = [add(archive, body)[0] for body in bodies]
    assert [archive.capture_body(i) for i in ids] == bodies
    params = [row[0] for row in archive.conn.execute("SELECT params FROM blobs ORDER BY rowid")]
    assert all(p is not None for p in params)  # stored as content, so deltas work on them
    assert archive.conn.execute("SELECT max(stored_size) FROM blobs WHERE depth > 0").fetchone()[0] < 200


@pytest.mark.parametrize("level", range(1, 10))
def test_large_gzip_bodies_of_every_deflate_level_are_stored_as_their_content(level):
    content = b"".join(page(n) for n in range(40))  # well past the probe that rules levels out
    body = gzip.compress(content, compresslevel=level, mtime=0)
    stored, params = stored_content(body)
    assert stored == content
    assert body_from_content(stored, params) == body


def test_gzip_we_cannot_rebuild_is_kept_as_is(archive):
    buffer = io.BytesIO()
    with gzip.GzipFile(filename="page.html", mode="wb", fileobj=buffer, mtime=7) as stream:  # FNAME flag set
        stream.write(page(5))
    body = buffer.getvalue()
    assert stored_content(body) == (body, None)
    capture_id, _ = add(archive, body)
    assert archive.capture_body(capture_id) == body


def test_recaptures_of_a_page_stay_one_delta_from_a_stored_body(archive):
    for views in range(MAX_DEPTH + 3):
        add(archive, page(views))
    depths = [row[0] for row in archive.conn.execute("SELECT depth FROM blobs ORDER BY rowid")]
    assert depths == [0] + [1] * (MAX_DEPTH + 2)


def test_delta_chains_across_pages_stop_at_max_depth(archive):
    for views in range(MAX_DEPTH + 3):
        add(archive, page(views), url=f"http://jjrd.example/ShowArticle.asp?ArticleID={views}")
    depths = [row[0] for row in archive.conn.execute("SELECT depth FROM blobs ORDER BY rowid")]
    assert max(depths) == MAX_DEPTH and depths[MAX_DEPTH + 1] == 0
    fresh = Archive(archive.path)  # no cached contents: rebuild through the chain
    try:
        last = fresh.conn.execute("SELECT max(id) FROM snapshots").fetchone()[0]
        assert fresh.capture_body(last) == page(MAX_DEPTH + 2)
    finally:
        fresh.close()


def test_other_urls_of_the_same_type_serve_as_base(archive):
    add(archive, page(1), url="http://jjrd.example/a")
    _, stored = add(archive, page(2).replace("区政府".encode("gbk"), "区法院".encode("gbk")), url="http://jjrd.example/b")
    assert stored < len(pack(page(2)).data)


def test_incompressible_bodies_are_stored_raw():
    body = random.Random(1).randbytes(512)
    packed = pack(body)
    assert packed.compression == "none" and body_from_content(unpack_content("none", packed.data, None), packed.params) == body


def test_blobs_of_an_old_archive_still_read(tmp_path):
    import zlib

    db = tmp_path / "old.db"
    conn = old_archive(db, ["initial"])
    data = page(9)
    conn.execute("INSERT INTO blobs VALUES ('old', ?, 'zlib', 10, ?)", (len(data), zlib.compress(data)))
    conn.execute("INSERT INTO snapshots (url, fetched_at, status, headers, sha256, size) VALUES ('u', 't', 200, '[]', 'old', 1)")
    conn.close()
    archive = Archive(db)
    try:
        assert archive.capture_body(1) == data
    finally:
        archive.close()


def test_a_gzip_bomb_is_stored_as_received_without_inflating_it(archive):
    from replica.faults import gzip_bomb

    bomb = gzip_bomb(256 * 1024 * 1024)  # inflates to 256 MiB, past MAX_CONTENT
    assert stored_content(bomb) == (bomb, None)
    capture_id, _ = add(archive, bomb, url="http://jjrd.example/bomb")
    assert archive.capture_body(capture_id) == bomb
