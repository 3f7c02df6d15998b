"""Response headers stored once per template, varying values per capture; the upgrade of
archives that stored them whole on each snapshot row."""

from __future__ import annotations

import gzip
import json
from io import BytesIO

from hypothesis import given
from hypothesis import strategies as st
from warcio.archiveiterator import ArchiveIterator

from archive import Archive
from archive.fixity import verify
from archive.headers import join_headers, split_headers
from archive.schema import header_set_key
from archive.warc import write_warc
from tests.old_archives import before, old_archive

PAGE = gzip.compress("<html><body>关于教育的审议意见</body></html>".encode("gb2312"), mtime=0)
CAPTURES = [  # (url, status, headers, body, request headers)
    ("http://jjrd.example/ShowArticle.asp?ArticleID=1", 200,
     [("Content-Length", str(len(PAGE))), ("Server", "Microsoft-IIS/6.0"), ("Date", "Fri, 27 Nov 2026 21:23:20 GMT"),
      ("Content-Type", "text/html; charset=gb2312"), ("Set-Cookie", "ASPSESSIONIDA=ONE; path=/"),
      ("Set-Cookie", "ASPSESSIONIDB=TWO; path=/"), ("Content-Encoding", "gzip")], PAGE,
     [("Accept", "text/html"), ("Accept-Encoding", "gzip, deflate")]),
    ("http://jjrd.example/ShowArticle.asp?ArticleID=1", 200,
     [("Content-Length", str(len(PAGE))), ("Server", "Microsoft-IIS/6.0"), ("Date", "Sat, 28 Nov 2026 02:00:01 GMT"),
      ("Content-Type", "text/html; charset=gb2312"), ("Set-Cookie", "ASPSESSIONIDA=THREE; path=/"),
      ("Set-Cookie", "ASPSESSIONIDB=FOUR; path=/"), ("Content-Encoding", "gzip")], PAGE,
     [("Accept", "text/html"), ("Accept-Encoding", "gzip, deflate")]),
    ("http://jjrd.example/robots.txt", 404, [("Date", "Sat, 28 Nov 2026 02:00:02 GMT"), ("Content-Length", "0")], b"", []),
    ("http://jjrd.example/count.asp?id=1", 200, [("Content-Type", "application/x-javascript"), ("X-Note", "视图")],
     b"document.write('59870');", [("Referer", "http://jjrd.example/ShowArticle.asp?ArticleID=1")]),
]

names = st.sampled_from(["Date", "date", "Server", "Content-Length", "Set-Cookie", "X-Note", "Vary"])
header_lists = st.lists(st.tuples(names, st.text(max_size=12)), max_size=8)


@given(header_lists)
def test_split_headers_join_back_exactly(headers):
    assert join_headers(*split_headers(headers)) == headers


def test_captures_that_differ_only_by_date_and_cookies_share_one_template(tmp_path):
    archive = Archive(tmp_path / "a.db")
    try:
        first, second = (archive.add_capture(url=url, status=status, headers=headers, body=body, request_headers=sent)[0]
                         for url, status, headers, body, sent in CAPTURES[:2])
        sets = archive.conn.execute("SELECT header_set FROM captures WHERE id IN (?, ?)", (first, second)).fetchall()
        assert sets[0] == sets[1]
        assert archive.capture(second)["headers"] == CAPTURES[1][2]
    finally:
        archive.close()


def warc_records(archive: Archive) -> list[tuple]:
    """Every record of the archive's WARC, without what is new on each export (record ids, warcinfo date)."""
    stream = BytesIO()
    write_warc(archive, stream)
    stream.seek(0)
    return [(record.rec_type, record.rec_headers.get_header("WARC-Target-URI"), record.rec_headers.get_header("WARC-Date"),
             record.rec_headers.get_header("WARC-Payload-Digest"), record.http_headers and record.http_headers.to_str(),
             record.raw_stream.read()) for record in ArchiveIterator(stream) if record.rec_type != "warcinfo"]


def without_set_ids(snapshot: dict) -> dict:
    """A snapshot without its header-set ids, which depend on the order sets were first stored."""
    return {key: value for key, value in snapshot.items() if not key.endswith("header_set")}


def test_archive_with_whole_headers_per_snapshot_upgrades_to_the_same_captures(tmp_path):
    current = Archive(tmp_path / "current.db")
    for number, (url, status, headers, body, sent) in enumerate(CAPTURES):
        current.add_capture(url=url, status=status, headers=headers, body=body, request_headers=sent,
                            fetched_at=f"2026-11-28T02:00:0{number}.000Z")
    conn = old_archive(tmp_path / "old.db", before("narrow_captures"))
    conn.execute("ATTACH ? AS current", (str(tmp_path / "current.db"),))
    conn.execute("INSERT INTO blobs SELECT * FROM current.blobs")
    for capture_id, (_url, _status, headers, _body, sent) in enumerate(CAPTURES, start=1):
        request_set = json.dumps(list(map(list, sent)), ensure_ascii=False)
        conn.execute("INSERT OR IGNORE INTO header_sets (sha256, headers) VALUES (?, ?)",
                     (header_set_key(request_set), request_set))
        conn.execute(
            "INSERT INTO snapshots (id, url, fetched_at, protocol, status, headers, request_header_set, content_type, sha256, size) "
            "SELECT id, url, fetched_at, protocol, status, ?, (SELECT id FROM header_sets WHERE headers = ?), content_type, "
            "sha256, size FROM current.snapshots WHERE id = ?",
            (json.dumps(list(map(list, headers)), ensure_ascii=False), request_set, capture_id))
    conn.execute("DETACH current")
    conn.close()
    upgraded = Archive(tmp_path / "old.db")
    try:
        ids = range(1, len(CAPTURES) + 1)
        assert [without_set_ids(upgraded.capture(i)) for i in ids] == [without_set_ids(current.capture(i)) for i in ids]
        assert [upgraded.capture(i)["headers"] for i in ids] == [headers for _, _, headers, _, _ in CAPTURES]
        assert warc_records(upgraded) == warc_records(current)
        assert verify(upgraded).ok and upgraded.conn.execute("SELECT count(*) FROM blobs").fetchone()[0] == 3
        assert upgraded.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert upgraded.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        details = upgraded.conn.execute("SELECT headers, request_headers FROM snapshots ORDER BY id").fetchall()
        assert [(json.loads(headers), json.loads(sent)) for headers, sent in details] == [
            (list(map(list, headers)), list(map(list, sent))) for _, _, headers, _, sent in CAPTURES]
    finally:
        upgraded.close()
        current.close()
