"""Documents a column publishes as a file alone: the list's link leads to a PDF, a Word or an
OFD file, with no article page. What a reader knows of such a document is what the list's row
shows (its title and date); its record is made from that, and the file is its capture."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from .facts import document_facts
from .record import DocumentRecord

# The first bytes of the files government sites publish: a body that opens so is a file,
# whatever its Content-Type says (a download script may serve a PDF as text/html).
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", "application/zip"),  # DOCX, XLSX, OFD and WPS's newer files are ZIP archives
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword"),  # an OLE file: DOC, XLS, WPS, ET
    (b"{\\rtf", "application/rtf"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"\xff\xd8\xff", "image/jpeg"),  # a scanned page
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF8", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)
# Media types that hold a page, a script or data, never a document's file.
_TEXT_TYPES = ("text/", "application/xhtml", "application/xml", "application/json", "application/javascript",
               "application/x-javascript", "application/ecmascript")


def file_type(body: bytes, content_type: str | None) -> str | None:
    """The media type of ``body`` if it is a file rather than a page: by its first bytes, else by
    a Content-Type that is no text's for a body that opens with no markup. None for a page."""
    for signature, media_type in SIGNATURES:
        if body.startswith(signature):
            return media_type
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    if not declared or declared.startswith(_TEXT_TYPES) or "/" not in declared:
        return None
    # A page served under a file's type (application/octet-stream) opens with its markup.
    opens_with_markup = body[:1024].removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<")
    return None if opens_with_markup or not body else declared


def file_record(url: str, title: str | None, published_at: str | None, title_cut: bool = False) -> DocumentRecord:
    """The record of the document published as the file at ``url``, from the list row that links
    it: its ``title`` (None where no list has shown it: the file's name stands for it; one the
    list cut short, ``title_cut``, ends with … as the reader saw it) and its date. The file is
    its one attachment; it has no text of its own to read."""
    title = (title + "…" if title and title_cut else title) or unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or url
    return DocumentRecord(
        url=url, title=title, published_at=published_at, published_at_source="list" if published_at else None,
        source=None, view_count=None, view_count_url=None, view_count_source=None, view_count_includes_own_fetch=None,
        view_count_approximate=None, body_text="", paragraphs=[], prev=None, next=None,
        attachments=[{"name": title, "url": url}], images=[], column=None, encoding="", sections=[],
        facts=document_facts([], title), parts=[])
