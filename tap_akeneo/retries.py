"""Retry decisions shared by API requests and token requests."""

from __future__ import annotations

import random

from singer_sdk.exceptions import RetriableAPIError

from tap_akeneo.timestamps import parse_http_date, utc_now

#: HTTP statuses worth retrying besides 5xx.
RETRY_STATUSES = (408, 429)


class TokenRejected(RetriableAPIError):
    """A 401: the token is renewed and the request replayed once, without waiting."""


def is_retriable_status(status: int) -> bool:
    return status in RETRY_STATUSES or status >= 500


def retry_wait(exc: BaseException | None, attempt: int, *, base: float, cap: float) -> float:
    """Seconds to wait before retry ``attempt`` (1-based) after ``exc``.

    A 401 replays at once; ``Retry-After`` (seconds or HTTP date) is honoured as given;
    anything else waits ``base * 2**(attempt-1)`` capped at ``cap``, with full jitter
    over its upper half.
    """
    if isinstance(exc, TokenRejected):
        return 0.0
    response = getattr(exc, "response", None)
    if response is not None and response.status_code == 429:
        after = retry_after_seconds(response.headers.get("Retry-After"))
        if after is not None:
            return after
    ceiling = min(cap, base * (2 ** (attempt - 1)))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def retry_after_seconds(value: str | None) -> float | None:
    """Parse ``Retry-After``: delta-seconds or an HTTP date. None when absent or invalid."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    when = parse_http_date(value)
    if when is None:
        return None
    return max(0.0, (when - utc_now()).total_seconds())
