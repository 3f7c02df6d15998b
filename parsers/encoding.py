"""Decode page bytes to text: BOM, then UTF-8 if the bytes are valid UTF-8, then the
declared charsets (HTTP header, then <meta>), with gb2312/gbk read as GB18030."""

from __future__ import annotations

import codecs
import re

from .errors import DecodeError

_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)
_GB_FAMILY = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936", "ms936", "euc-cn", "gb18030", "hz-gb-2312"}
_SINGLE_BYTE = {"latin_1", "iso8859-1", "cp1252", "ascii"}
# A cut body may end inside a multi-byte character; tolerate that much at the end.
_TRUNCATION_SLACK = 4


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return match.group(1) if match else None


def charset_from_meta(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:4096])
    return match.group(1).decode("ascii") if match else None


def normalize_charset(name: str | None) -> str | None:
    """Python codec name for a declared charset, GB family mapped to GB18030."""
    if not name:
        return None
    label = name.strip().lower()
    if label in _GB_FAMILY:
        return "gb18030"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _try_decode(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except UnicodeDecodeError as error:
        cut_short = error.start >= len(body) - _TRUNCATION_SLACK
        head = _try_decode(body[:error.start], codec) if cut_short else None
        return None if head is None else head + "\ufffd"
    except (UnicodeError, LookupError):  # declared, but not a text encoding: hex, base64, rot13, undefined
        return None


def decode_html(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Return ``(text, codec)`` for a page body.

    Valid UTF-8 wins over any declaration: Chinese text in GBK is practically never
    valid UTF-8, while pages declaring gb2312 over UTF-8 bytes are common. Otherwise the
    declared charsets are tried in order (header first, as browsers do), single-byte ones
    last because they accept any bytes and so can never be proved wrong.
    """
    # The codec names the page's charset: a page opened by UTF-8's BOM is utf-8 (its decoder, utf-8-sig, drops the BOM).
    for bom, decoder, codec in ((codecs.BOM_UTF8, "utf-8-sig", "utf-8"), (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
                                (codecs.BOM_UTF16_BE, "utf-16", "utf-16")):
        if body.startswith(bom):
            return body.decode(decoder, errors="replace"), codec
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = [normalize_charset(charset_from_content_type(content_type)), normalize_charset(charset_from_meta(body))]
    candidates = [c for c in declared if c and c not in _SINGLE_BYTE]
    candidates.append("gb18030")
    candidates += [c for c in declared if c in _SINGLE_BYTE]
    for codec in dict.fromkeys(candidates):
        text = _try_decode(body, codec)
        if text is not None:
            return text, codec
    raise DecodeError("undecodable", f"no charset among {list(dict.fromkeys(candidates))} decodes the page")
