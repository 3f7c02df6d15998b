"""Faults the replica serves instead of a healthy page, chosen per URL.

``Site.faults`` maps a request target (``/ShowArticle.asp?ArticleID=1040``, compared without
case) to a ``Fault``; ``npc-replica --fault 'TARGET=KIND'`` sets one, ``KIND:N`` makes it
transient (the first N requests fail, later ones get the page). Faults that change what is
sent are applied here to the healthy reply; those that misbehave on the wire (``stall``,
``reset``, ``short``, ``cut_length``) are carried out by the server through ``deliver``.
"""

from __future__ import annotations

import base64
import functools
import random
import re
import socket
import struct
import threading
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import quote

KINDS = {
    "500": "HTTP 500 with an error page",
    "503": "HTTP 503 with Retry-After",
    "stall": "half the body, then silence past any download timeout",
    "reset": "half the body, then a TCP reset",
    "short": "fewer bytes than Content-Length, then the connection closes",
    "cut_length": "a Content-Length of half the body, which ends mid-article (the whole body is sent)",
    "wrong_charset": "the page's GBK bytes under a header that declares utf-8",
    "gzip_bomb": "a small gzip body that inflates to 2 GiB",
    "redirect_loop": "302 to itself",
    "login_redirect": "302 to a login page",
    "huge": "the page padded to 10 MB by an inline image",
    "empty": "200 with an empty body",
    "soft_404": "200 with 该信息不存在或已被删除",
    "malformed": "the page with unclosed tags and nested tables",
    "bot_check": "HTTP 412 with a bot check's script page (瑞数's) in place of the page",
    "bot_block": "200 with a bot check's block page (安全狗's) in place of the page",
}
TRANSPORT_FAULTS = ("stall", "reset", "short", "cut_length")
LOGIN_PATH = "/login.asp"
BOMB_SIZE = 2 * 1024 ** 3
HUGE_SIZE = 10 * 1024 ** 2
_CHUNK = 1024 ** 2


@dataclass
class Fault:
    kind: str
    times: int | None = None  # transient: fail this many requests, then serve the page
    fired_at: list[float] = field(default_factory=list)  # time.monotonic() of each request it answered

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; choose one of {', '.join(KINDS)}")
        if self.kind in _PREPARED:
            _PREPARED[self.kind]()  # build the big body now: on the first request it would cost a timeout

    def fires(self) -> bool:
        """Count a request; whether this one gets the fault."""
        self.fired_at.append(time.monotonic())
        return self.times is None or len(self.fired_at) <= self.times


def parse_fault(spec: str) -> tuple[str, Fault]:
    """``TARGET=KIND`` or ``TARGET=KIND:N`` (the target may hold '=' itself)."""
    target, separator, kind = spec.rpartition("=")
    if not separator or not target.startswith("/"):
        raise ValueError(f"expected TARGET=KIND[:N] with TARGET starting with '/', got {spec!r}")
    kind, _, times = kind.partition(":")
    return target, Fault(kind, int(times) if times else None)


def fault_for(faults: dict[str, Fault], target: str) -> Fault | None:
    """The fault this request gets, if any (counts the request)."""
    wanted = target.lower()
    fault = next((f for key, f in faults.items() if key.lower() == wanted), None)
    return fault if fault is not None and fault.fires() else None


def apply(fault: Fault, reply, target: str, retry_after: int, error_page: str) -> None:
    """Turn the healthy ``reply`` (a ``site.Reply``) into the faulty one, in place."""
    kind = fault.kind
    if kind in TRANSPORT_FAULTS:
        reply.transport = kind
    elif kind in ("500", "503"):
        reply.status, reply.body = int(kind), _error_page(kind)
        reply.headers = [("Content-Type", "text/html"), *([("Retry-After", str(retry_after))] if kind == "503" else [])]
    elif kind == "wrong_charset":
        reply.headers = [(n, re.sub(r"charset=[\w-]+", "charset=utf-8", v) if n == "Content-Type" else v) for n, v in reply.headers]
    elif kind == "gzip_bomb":
        reply.body = gzip_bomb(BOMB_SIZE)
        reply.headers = [("Content-Type", "text/html; charset=gb2312"), ("Content-Encoding", "gzip")]
    elif kind in ("redirect_loop", "login_redirect"):
        location = target if kind == "redirect_loop" else f"{LOGIN_PATH}?ReturnUrl={quote(target, safe='')}"
        reply.status, reply.headers, reply.body = 302, [("Location", location), ("Content-Type", "text/html")], b""
    elif kind == "huge":
        reply.body = _with_inline_image(reply.body, HUGE_SIZE)
    elif kind == "empty":
        reply.status, reply.body = 200, b""
    elif kind == "soft_404":
        reply.status, reply.body = 200, error_page.encode("gbk")
        reply.headers = [("Content-Type", "text/html; charset=gb2312")]
    elif kind == "malformed":
        reply.body = malformed(reply.body)
    elif kind in ("bot_check", "bot_block"):
        reply.status, reply.body = (412, BOT_CHECK_PAGE) if kind == "bot_check" else (200, BOT_BLOCK_PAGE.encode("gbk"))
        reply.headers = [("Content-Type", "text/html" if kind == "bot_check" else "text/html; charset=gbk")]


# What a site behind 瑞数's protection answers a client that has not run its script (the script's
# names shortened), and 安全狗's page for a request it blocks.
BOT_CHECK_PAGE = (b'<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
                  b'<meta id="9DhefwqGPrzGxEp9hPaoag" content="Kq0Yxz" r="m"><script type="text/javascript" r="m">'
                  b"$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=37589;$_ts.cd=\"qxrrrqfmcapr\";</script>"
                  b'<script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVIc/c.FxJzG50F.1b2c3.js" r="m"></script>'
                  b"</head><body></body></html>")
BOT_BLOCK_PAGE = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>网站防火墙</title></head>'
                  '<body><h3>您的请求带有不合法参数，已被网站管理员设置拦截！</h3><p>可能原因：您提交的内容包含危险的攻击请求</p>'
                  '<p><a href="http://www.safedog.cn/">网站防火墙 安全狗</a></p></body></html>')


def _error_page(status: str) -> bytes:
    title = {"500": "500 - Internal server error.", "503": "Service Unavailable"}[status]
    return (f"<html><head><title>{title}</title></head><body><h2>{title}</h2>"
            "<p>Microsoft VBScript runtime error '800a01a8'</p></body></html>").encode("ascii")


def login_page() -> str:
    return ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312" />'
            "<title>用户登录-椒江人大网</title></head><body><form method=\"post\" action=\"/login.asp\">"
            '<p>用户名:<input type="text" name="username" /></p><p>密 码:<input type="PASSWORD" name="password" /></p>'
            '<p><input type="submit" value="登录" /></p></form></body></html>')


@functools.lru_cache(maxsize=2)
def gzip_bomb(size: int) -> bytes:
    """A valid gzip stream of ``size`` zero bytes (a multiple of 1 MiB), built without ever
    holding them: after a full flush, deflate's output for a chunk does not depend on what
    came before, so one compressed chunk repeats."""
    zeros = bytes(_CHUNK)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(size // _CHUNK):
        crc = zlib.crc32(zeros, crc)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"
    return header + block * (size // _CHUNK) + compressor.flush() + struct.pack("<II", crc, size & 0xFFFFFFFF)


@functools.lru_cache(maxsize=1)
def _inline_image(size: int) -> bytes:
    data = random.Random(size).randbytes(size * 3 // 4)
    return b'<p align="center"><img src="data:image/jpeg;base64,' + base64.b64encode(data) + b'" /></p>'


def _with_inline_image(page: bytes, size: int) -> bytes:
    """The page with a pasted image of about ``size`` bytes at the top of its content, as
    editors that inline images as data: URIs make."""
    image = _inline_image(size)
    anchor = re.search(rb'class="content"[^>]*>', page)
    return page[:anchor.end()] + image + page[anchor.end():] if anchor else page + image


def malformed(page: bytes) -> bytes:
    """The page as a careless editor leaves it: closing tags of paragraphs, cells and rows
    dropped, stray closing tags, and the whole body wrapped in unclosed nested tables."""
    page = re.sub(rb"</(p|td|tr|li|span|font|b)>", b"", page)
    page = page.replace(b"<body>", b"<body><table><tr><td><table><tr><td></div></font>", 1)
    return page.replace(b"</body>", b"<table><tr><td></body>", 1)


_PREPARED = {"gzip_bomb": lambda: gzip_bomb(BOMB_SIZE), "huge": lambda: _inline_image(HUGE_SIZE)}


def content_length(body: bytes, transport: str | None) -> int:
    """The Content-Length the server declares for ``body``."""
    return len(body) // 2 if transport == "cut_length" else len(body)


def deliver(handler, body: bytes, transport: str, stopping: threading.Event, stall_seconds: float) -> None:
    """Send ``body`` the faulty way, on a connection whose headers promised all of it (or,
    for ``cut_length``, half of it)."""
    handler.close_connection = True
    if transport == "cut_length":
        handler.wfile.write(body)
        return
    cut = len(body) // 2 if transport != "short" else len(body) * 2 // 3
    handler.wfile.write(body[:cut])
    handler.wfile.flush()
    if transport == "stall":
        stopping.wait(stall_seconds)
        handler.wfile.write(body[cut:])
    elif transport == "reset":
        # Linger 0: close() sends RST instead of FIN. The socket closes only once rfile
        # (a file made from it) is closed too.
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.rfile.close()
        handler.connection.close()
