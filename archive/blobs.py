"""How capture bodies are stored: exact bytes back, in as few bytes as we can.

Pages of one site differ in a few bytes (a view count, a side list), so a body is stored as
a zstd delta against a similar body already stored (the same URL's last capture, else the
last page of the same type), up to MAX_DEPTH deltas deep. A gzip body is stored as its
decompressed content when recompressing that content gives back the very same bytes (we
check, and keep the gzip parameters), because deltas between gzip streams are useless.
Whatever the path, the bytes read back are hashed against the capture's SHA-256.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import zstandard

MAX_DEPTH = 8
# Level 6 packs within 2% of level 10 here at under half its cost (BENCHMARKS.md, crawl overhead).
ZSTD_LEVEL = 6
# Gzip bodies that inflate past this are stored as they came: a gzip bomb must not be
# inflated by the archive (Scrapy refuses it at DOWNLOAD_MAXSIZE; its wire bytes are kept).
MAX_CONTENT = 32 * 1024 * 1024
_GZIP_MAGIC = b"\x1f\x8b\x08"
_PROBE = 256 * 1024


@dataclass
class PackedBlob:
    compression: str  # "none" | "zlib" | "zstd" | "zstd-delta"
    data: bytes
    params: str | None = None  # JSON: how to rebuild a gzip stream from the stored content
    base_sha256: str | None = None
    depth: int = 0
    content: bytes = field(default=b"", repr=False)  # what it packs: the next body's delta base, likely


def _gzip_params(body: bytes) -> tuple[bytes, dict] | None:
    """(content, params) when re-gzipping the content rebuilds ``body`` byte for byte."""
    if not body.startswith(_GZIP_MAGIC) or body[3] != 0:  # FLG 0: no name, comment or extra field
        return None
    try:
        decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
        content = decompressor.decompress(body[10:], MAX_CONTENT)
    except zlib.error:
        return None
    if decompressor.unconsumed_tail or not decompressor.eof or len(decompressor.unused_data) != 8:
        return None
    deflated = memoryview(body)[10:]
    for level in _levels_to_try(body[8]):
        params = {"gzip_header": body[:10].hex(), "level": level}
        # Deflate emits the same bytes for the first bytes of content whatever follows, so a
        # level whose output for them differs is ruled out without compressing it all. Not
        # level 0: its stored blocks end where the input given to it ends.
        if level:
            compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
            probe = compressor.compress(content[:_PROBE])
            if deflated[:len(probe)] != probe:
                continue
            if len(content) <= _PROBE:
                # The probe was given the whole content: flushed, it is _regzip's very computation.
                if deflated[:-8] == probe + compressor.flush() and body[-8:] == _trailer(content):
                    return content, params
                continue
        if _regzip(content, params) == body:
            return content, params
    return None


def _levels_to_try(extra_flags: int) -> list[int]:
    """Compression levels, the one the gzip header hints at first (XFL 2: 9, XFL 4: 1)."""
    first = {2: 9, 4: 1}.get(extra_flags, 6)
    return [first, *(level for level in (9, 6, 1, 2, 3, 4, 5, 7, 8, 0) if level != first)]


def _regzip(content: bytes, params: dict) -> bytes:
    compressor = zlib.compressobj(params["level"], zlib.DEFLATED, -zlib.MAX_WBITS)
    deflated = compressor.compress(content) + compressor.flush()
    return bytes.fromhex(params["gzip_header"]) + deflated + _trailer(content)


def _trailer(content: bytes) -> bytes:
    return (zlib.crc32(content) & 0xFFFFFFFF).to_bytes(4, "little") + (len(content) & 0xFFFFFFFF).to_bytes(4, "little")


def stored_content(body: bytes) -> tuple[bytes, str | None]:
    """What is stored for ``body``: its gzip content when rebuildable, else the body itself."""
    found = _gzip_params(body)
    if found:
        return found[0], json.dumps(found[1])
    return body, None


def pack(body: bytes, base: tuple[str, bytes, int] | None = None) -> PackedBlob:
    """Pack ``body``; ``base`` is (sha256, stored content, depth) of a similar stored blob."""
    content, params = stored_content(body)
    standalone = zstandard.ZstdCompressor(level=ZSTD_LEVEL, write_checksum=True).compress(content)
    best = PackedBlob("zstd", standalone, params, content=content)
    if base is not None and base[2] < MAX_DEPTH:
        dictionary = zstandard.ZstdCompressionDict(base[1], dict_type=zstandard.DICT_TYPE_RAWCONTENT)
        delta = zstandard.ZstdCompressor(level=ZSTD_LEVEL, dict_data=dictionary, write_checksum=True).compress(content)
        if len(delta) < len(standalone):
            best = PackedBlob("zstd-delta", delta, params, base[0], base[2] + 1, content)
    if params is None and len(best.data) >= len(body):
        return PackedBlob("none", body, content=body)
    return best


class UnreadableBlob(Exception):
    """A stored body that cannot be rebuilt: damaged data or parameters, or a missing delta base."""


def unpack_content(compression: str, data: bytes, base_content: Callable[[], bytes] | None) -> bytes:
    """The stored content of a blob (before any gzip rebuild)."""
    # A damaged row can hold anything: TypeError is data that is not bytes (NULL, text).
    try:
        if compression == "none":
            return data
        if compression == "zlib":
            return zlib.decompress(data)
        if compression == "zstd":
            return zstandard.ZstdDecompressor().decompress(data)
        if compression == "zstd-delta":
            dictionary = zstandard.ZstdCompressionDict(base_content(), dict_type=zstandard.DICT_TYPE_RAWCONTENT)
            return zstandard.ZstdDecompressor(dict_data=dictionary).decompress(data)
    except (zlib.error, zstandard.ZstdError, TypeError) as error:
        raise UnreadableBlob(f"{compression} data: {error}") from error
    raise UnreadableBlob(f"unknown compression {compression!r}")


def body_from_content(content: bytes, params: str | None) -> bytes:
    if not params:
        return content
    try:
        return _regzip(content, json.loads(params))
    except (ValueError, KeyError, TypeError, zlib.error) as error:
        raise UnreadableBlob(f"gzip parameters {params!r}: {error}") from error
