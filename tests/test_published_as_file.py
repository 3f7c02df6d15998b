"""Documents a column publishes as a file alone (its list links a PDF or a Word file, no page):
told from pages by their bytes, archived from the list's row with the file as their capture."""

from __future__ import annotations

import hashlib
import json
from typing import get_type_hints

import pytest

from parsers.files import file_record, file_type
from parsers.record import DocumentRecord
from replica import render
from replica.server import ReplicaServer
from replica.site import Site, published_file_bytes

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
PAGE = "<html><head><title>关于…的审议意见</title></head><body><p>正文</p></body></html>".encode()


@pytest.mark.parametrize("body, content_type, expected", [
    (PDF, "application/pdf", "application/pdf"),
    (PDF, "text/html; charset=gbk", "application/pdf"),  # a download script's wrong header
    (PDF, None, "application/pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00\x3e\x00", "application/octet-stream", "application/msword"),
    (b"PK\x03\x04\x14\x00\x06\x00[Content_Types].xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
     "application/zip"),
    (b"\x00\x01binary of no known kind", "application/ofd", "application/ofd"),
    (PAGE, "text/html; charset=utf-8", None),
    (PAGE, "application/octet-stream", None),  # a page under a file's type
    (b"\xef\xbb\xbf" + PAGE, "application/octet-stream", None),
    (b"\xef\xbb\xbf\r\n" + PAGE, "application/octet-stream", None),
    (b"\n\n  " + PAGE, "application/x-download", None),
    (PAGE, None, None),
    (b"document.write('12');", "application/x-javascript", None),
    (b"", "application/pdf", None),
])
def test_a_file_is_told_from_a_page_by_its_bytes_first(body, content_type, expected):
    assert file_type(body, content_type) == expected


def test_a_files_record_is_its_list_rows_with_the_file_as_its_attachment():
    url = "http://rd.example/UploadFiles/202211/P020221115.pdf"
    record = file_record(url, "关于全区教育工作情况报告的审议意见", "2022-11-15")
    assert set(record) == set(get_type_hints(DocumentRecord))
    assert (record["title"], record["published_at"], record["published_at_source"]) == ("关于全区教育工作情况报告的审议意见", "2022-11-15", "list")
    assert record["attachments"] == [{"name": "关于全区教育工作情况报告的审议意见", "url": url}]
    assert (record["body_text"], record["sections"], record["paragraphs"]) == ("", [], [])
    assert record["facts"]["subject"] == "全区教育工作情况报告"  # as the title names it, like a page's


def test_a_files_record_unlisted_is_named_by_the_file():
    record = file_record("http://rd.example/UploadFiles/%E5%AE%A1%E8%AE%AE%E6%84%8F%E8%A7%81.pdf", None, None)
    assert (record["title"], record["published_at"], record["published_at_source"]) == ("审议意见.pdf", None, None)
    assert record["attachments"][0]["name"] == "审议意见.pdf"


def test_a_title_the_list_cut_short_ends_as_the_reader_saw_it():
    assert file_record("http://rd.example/a.pdf", "关于我区2021年财政决算及预算执行", "2022-10-09", title_cut=True)["title"] == \
        "关于我区2021年财政决算及预算执行…"


# The table markup cuts its rows' titles at 32 characters (关于…审计工作 ..) and gives no
# tooltip; the div markup shows them whole in its links' title attribute.
SHOWN_TITLE = {"div": lambda title: title, "table": lambda title: title if len(title) <= 32 else title[:32] + "…"}


@pytest.mark.parametrize("markup", ["div", "table"])
def test_a_column_with_opinions_published_as_files_is_crawled_whole(tmp_path, crawl, npc_archive, query, markup):
    db = tmp_path / "a.db"
    site = Site(markup=markup)
    as_pdf, as_doc = site.opinions()[3], site.opinions()[20]
    site.publish_as_file(as_pdf.id, "pdf")
    site.publish_as_file(as_doc.id, "doc")
    with ReplicaServer(site) as server:
        first = crawl(db, server)
        as_doc.column = "工作动态"  # off the column's lists: a refresh revisits the file alone
        refresh = crawl(db, server, "--mode", "refresh")
        base = server.base_url
    assert first.returncode == 0 and refresh.returncode == 0
    assert "2 documents published as a file alone: archived from their list rows, the file their capture" in first.stdout
    assert query(db, "SELECT count(*), count(DISTINCT url) FROM documents") == [(45, 45)]
    assert query(db, "SELECT reason, url FROM failures") == []
    for article in (as_pdf, as_doc):
        url = base + render.file_url(article)
        ((title, published_at, source, body, attachments, capture_id),) = query(
            db, "SELECT title, published_at, published_at_source, body_text, attachments, capture_id FROM documents WHERE url = ?", url)
        shown = SHOWN_TITLE[markup](article.title)
        # The list's date, as precise as it shows it: the day (div), the second (table).
        listed = article.published[:10] if markup == "div" else article.published.replace(" ", "T") + "+08:00"
        assert (title, published_at, source, body) == (shown, listed, "list", "")
        assert json.loads(attachments) == [{"name": shown, "url": url}]
        # The file is the document's capture and its one file, fetched once a crawl.
        assert query(db, "SELECT kind, capture_id FROM document_files WHERE document_url = ? AND url = ?", url, url) == \
            [("attachment", query(db, "SELECT min(c.id) FROM captures c JOIN urls u ON u.id = c.url_id WHERE u.url = ?", url)[0][0])]
        ((sha256,),) = query(db, "SELECT sha256 FROM captures WHERE id = ?", capture_id)
        assert sha256 == hashlib.sha256(published_file_bytes(article)).digest()
        assert query(db, "SELECT count(*) FROM captures c JOIN urls u ON u.id = c.url_id WHERE u.url = ?", url) == [(2,)]
    ((new, unchanged, changed),) = query(db, "SELECT documents_new, documents_unchanged, documents_changed FROM crawls ORDER BY id DESC LIMIT 1")
    assert (new, unchanged, changed) == (0, 45, 0)
    reparse = npc_archive("reparse", "--db", str(db))
    assert reparse.returncode == 0 and "45 unchanged" in reparse.stdout, reparse.stdout
