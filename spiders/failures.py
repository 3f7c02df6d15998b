"""Why a request finally failed, as the short reason the ``failures`` table keeps."""

from __future__ import annotations

from functools import lru_cache

from scrapy import Request
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.response import response_status_message
from twisted.internet.defer import CancelledError
from twisted.internet.error import ConnectError, ConnectionDone, ConnectionLost
from twisted.internet.error import TimeoutError as ConnectTimeoutError
from twisted.web.client import ResponseFailed, ResponseNeverReceived

from parsers import ParseError
from parsers.bot_checks import bot_check, bot_check_message
from parsers.encoding import decode_html

# Request meta key: why the capture of this request's response could not be written.
CAPTURE_ERROR = "capture_error"


class CaptureNotStored(IgnoreRequest):
    """The response came, but its capture could not be written: no document is made from it."""


class Refused(IgnoreRequest):
    """A request the crawl will not send (spiders.middlewares.SiteHostsOnly); ``reason`` is
    the failure's reason: ``scheme_refused`` or ``offsite``."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


# IgnoreRequest is raised for several reasons that only its message tells apart.
_IGNORED = (("DOWNLOAD_MAXSIZE", "too_large"), ("max redirections", "redirect_loop"), ("robots.txt", "robots_forbidden"))


@lru_cache(maxsize=16)  # a failure's reason and detail, and a list's end, each ask of the same response
def answered_bot_check(response: Response) -> str | None:
    """The bot protection whose check the site answered with in place of the page (瑞数 answers
    412, 加速乐 521, others 200 or 403), or None."""
    content_type = response.headers.get("Content-Type")
    try:
        text, _ = decode_html(response.body, content_type.decode("latin-1") if content_type else None)
    except ParseError:  # no text in any charset: no bot check's page either
        return None
    return bot_check(text)


def failure_reason(error: BaseException) -> str:
    if isinstance(error, HttpError):
        return "bot_check" if answered_bot_check(error.response) else f"http_{error.response.status}"
    if isinstance(error, (DownloadTimeoutError, ConnectTimeoutError)):
        return "timeout"
    if isinstance(error, ResponseDataLossError):
        # The body ended before its Content-Length (closed early or reset): spiders/retry.py.
        return "truncated"
    if isinstance(error, (DownloadCancelledError, CancelledError)):
        # Scrapy cancels a download only for DOWNLOAD_MAXSIZE (timeouts have their own error).
        return "too_large"
    if isinstance(error, (DownloadConnectionRefusedError, CannotResolveHostError, ConnectError)):
        return "unreachable"
    if isinstance(error, (ResponseNeverReceived, ResponseFailed, ConnectionLost, ConnectionDone)):
        return "connection_lost"
    if isinstance(error, Refused):
        return error.reason
    if isinstance(error, CaptureNotStored):
        return "write_failed"
    if isinstance(error, IgnoreRequest):
        return next((reason for marker, reason in _IGNORED if marker in str(error)), "ignored")
    return type(error).__name__


def failure_detail(error: BaseException) -> str:
    if isinstance(error, HttpError):
        check = answered_bot_check(error.response)
        status = response_status_message(error.response.status)
        return f"{status}: {bot_check_message(check)}" if check else status
    return str(error)[:500]


def first_url(request: Request) -> str:
    """The URL the spider asked for, before any redirect."""
    return (request.meta.get("redirect_urls") or [request.url])[0]


def attempts(request: Request) -> int:
    return request.meta.get("retry_times", 0) + 1
