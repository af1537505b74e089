"""Retry decisions: Retry-After in both forms, exponential backoff with jitter."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

import requests
from singer_sdk.exceptions import RetriableAPIError

from tap_akeneo.retries import TokenRejected, retry_after_seconds, retry_wait


def _response(status: int, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.headers.update(headers or {})
    return response


def test_retry_after_seconds_and_http_date() -> None:
    assert retry_after_seconds("15") == 15.0
    assert retry_after_seconds(" 0 ") == 0.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    future = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=30)
    waited = retry_after_seconds(format_datetime(future, usegmt=True))
    assert waited is not None and 28 <= waited <= 30
    past = dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=30)
    assert retry_after_seconds(format_datetime(past, usegmt=True)) == 0.0


def test_429_waits_exactly_retry_after() -> None:
    exc = RetriableAPIError("429", _response(429, {"Retry-After": "7"}))
    assert retry_wait(exc, 1, base=1, cap=60) == 7.0
    # even above the backoff cap: the server said so
    assert retry_wait(exc, 1, base=1, cap=2) == 7.0


def test_429_without_retry_after_backs_off_exponentially() -> None:
    exc = RetriableAPIError("429", _response(429))
    for attempt, ceiling in [(1, 1), (2, 2), (3, 4), (4, 8), (10, 60)]:
        wait = retry_wait(exc, attempt, base=1, cap=60)
        assert ceiling / 2 <= wait <= ceiling


def test_backoff_has_jitter() -> None:
    exc = RetriableAPIError("503", _response(503))
    waits = {retry_wait(exc, 5, base=1, cap=60) for _ in range(20)}
    assert len(waits) > 1


def test_token_rejection_replays_at_once() -> None:
    assert retry_wait(TokenRejected("401", _response(401)), 1, base=5, cap=60) == 0.0


def test_connection_errors_back_off() -> None:
    wait = retry_wait(requests.exceptions.ConnectionError("reset"), 2, base=0.5, cap=60)
    assert 0.5 <= wait <= 1.0
