"""A reply of the replica: status, headers and the bytes of the body."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes
    transport: str | None = None  # a wire fault the server carries out (faults.TRANSPORT_FAULTS)


def codec(charset: str) -> str:
    """The codec that writes a declared charset as real servers do: gb2312 pages hold GBK bytes."""
    return "gbk" if charset.lower() in ("gb2312", "gbk") else charset


def page(html: str, charset: str, headers: list[tuple[str, str]], status: int = 200) -> Reply:
    return Reply(status, list(headers), html.encode(codec(charset)))
