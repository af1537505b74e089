"""Request statistics of the sandbox (thread-safe)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any


class Stats:
    """Counters a test or benchmark can read: ``sb.stats``.

    - ``requests[(method, path_template)]``: requests per route template,
      e.g. ``("GET", "/api/rest/v1/products-uuid")``; unmatched paths count as "<unmatched>".
    - ``total``: all requests; ``statuses[status]``: responses per status code.
    - ``max_in_flight``: most requests seen in progress at once (all clients).
    - ``max_in_flight_per_token[token]``: most concurrent requests attempted with one access
      token (including the ones refused with 429); ``max_concurrency_per_token`` is their max.
    - ``concurrency_rejections``: requests refused with 429 for exceeding the per-token cap.
    - ``faults[kind]``: injected faults ("429", "5xx", "drop", "truncate", "html",
      "token_expired", "edit").
    - ``tokens_issued``, ``refreshes``: token endpoint successes.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.requests: Counter[tuple[str, str]] = Counter()
            self.statuses: Counter[int] = Counter()
            self.faults: Counter[str] = Counter()
            self.total = 0
            self.in_flight = 0
            self.max_in_flight = 0
            self.max_in_flight_per_token: dict[str, int] = {}
            self.concurrency_rejections = 0
            self.tokens_issued = 0
            self.refreshes = 0
            self.bytes_sent = 0

    # -- recording (used by the API) --------------------------------------------------------
    def begin(self, method: str, template: str) -> None:
        with self._lock:
            self.total += 1
            self.requests[(method, template)] += 1
            self.in_flight += 1
            if self.in_flight > self.max_in_flight:
                self.max_in_flight = self.in_flight

    def end(self, status: int, nbytes: int) -> None:
        with self._lock:
            self.in_flight -= 1
            self.statuses[status] += 1
            self.bytes_sent += nbytes

    def token_concurrency(self, token: str, n: int) -> None:
        with self._lock:
            if n > self.max_in_flight_per_token.get(token, 0):
                self.max_in_flight_per_token[token] = n

    def fault(self, kind: str, n: int = 1) -> None:
        with self._lock:
            self.faults[kind] += n

    def rejection(self) -> None:
        with self._lock:
            self.concurrency_rejections += 1

    def token_issued(self, refresh: bool) -> None:
        with self._lock:
            self.tokens_issued += 1
            if refresh:
                self.refreshes += 1

    # -- reading ------------------------------------------------------------------------------
    @property
    def max_concurrency_per_token(self) -> int:
        with self._lock:
            return max(self.max_in_flight_per_token.values(), default=0)

    def count(self, method: str, template: str) -> int:
        with self._lock:
            return self.requests.get((method, template), 0)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "total": self.total,
                "requests": {f"{m} {t}": n for (m, t), n in sorted(self.requests.items())},
                "statuses": dict(self.statuses),
                "faults": dict(self.faults),
                "max_in_flight": self.max_in_flight,
                "max_concurrency_per_token": max(self.max_in_flight_per_token.values(),
                                                 default=0),
                "concurrency_rejections": self.concurrency_rejections,
                "tokens_issued": self.tokens_issued,
                "refreshes": self.refreshes,
                "bytes_sent": self.bytes_sent,
            }
