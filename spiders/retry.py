"""Retries that give a struggling server time to recover.

Scrapy's RetryMiddleware sends a retry straight back to the scheduler: against a server
that answers 503 because it is overloaded, all attempts land within a second. This one
waits before each retry: RETRY_BACKOFF_BASE seconds, doubled at each attempt, or the
server's Retry-After if that is longer; never more than RETRY_BACKOFF_MAX. The wait is an
asynchronous sleep of that one request: other downloads go on meanwhile.
"""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import ResponseDataLossError
from scrapy.http import Response
from scrapy.settings import BaseSettings
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater

DELAY_KEY = "retry_delay"


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delay-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - (now or datetime.now(timezone.utc))).total_seconds())


def backoff_delay(retry_number: int, retry_after: float | None, base: float, cap: float) -> float:
    """Seconds to wait before retry ``retry_number`` (1 for the first retry)."""
    exponential = base * 2 ** (retry_number - 1)
    return min(cap, max(exponential, retry_after or 0.0))


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX")

    async def process_request(self, request: Request) -> None:
        delay = request.meta.pop(DELAY_KEY, 0)
        if delay:
            from twisted.internet import reactor  # the one Scrapy installed: importing it earlier would install another

            await maybe_deferred_to_future(deferLater(reactor, delay))

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if "dataloss" in response.flags and not request.meta.get("dont_retry"):
            return self._retry_truncated(request, response)
        result = super().process_response(request, response)
        if isinstance(result, Request):
            self._schedule(result, retry_after_seconds(response.headers.get("Retry-After")))
        return result

    def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            self._schedule(result, None)
        return result

    def _retry_truncated(self, request: Request, response: Response) -> Request:
        """A body shorter than its Content-Length (DOWNLOAD_FAIL_ON_DATALOSS is off, so that its
        capture keeps what came): retried like a cut connection, then a ``truncated`` failure."""
        # response.body is inflated by now: the capture has the bytes that came.
        declared = (response.headers.get("Content-Length") or b"?").decode("latin-1")
        detail = f"the body ended before its Content-Length ({declared} bytes)"
        retry = self._retry(request, "truncated")
        if retry is None:
            raise ResponseDataLossError(detail)
        self._schedule(retry, None)
        return retry

    def _schedule(self, retry: Request, retry_after: float | None) -> None:
        retry.meta[DELAY_KEY] = backoff_delay(retry.meta["retry_times"], retry_after, self.base, self.cap)
        self.crawler.stats.inc_value("retry/backoff_seconds", retry.meta[DELAY_KEY])
