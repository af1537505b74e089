"""Latency and fault injection, deterministic under the seed, changeable at runtime.

Set at construction (``SandboxServer(rate_429=0.1, ...)``) or later (``sb.faults.rate_429 = 0.1``;
``sb.faults.clear()`` switches everything off). Faults apply to ``/api/rest/...`` requests, and
to the token endpoint only when ``faults_on_token`` is true.

Random faults are drawn with one number per request from a ``random.Random(seed)``: the bands
``rate_429``, ``rate_5xx``, ``rate_drop``, ``rate_truncate`` and ``rate_html`` are consecutive
slices of [0, 1), so their sum should not exceed 1. A single-threaded client sees the same fault
sequence for the same seed and request sequence.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field, fields
from typing import Any

FAULT_FIELDS = (
    "latency",
    "rate_429",
    "retry_after",
    "rate_5xx",
    "rate_drop",
    "rate_truncate",
    "rate_html",
    "fail_after_requests",
    "fail_mode",
    "token_expire_every",
    "edit_during_sync",
    "faults_on_token",
)


@dataclass
class Decision:
    """What the API does with a request: ``kind`` is None (serve normally) or a fault name."""

    kind: str | None = None
    status: int = 0
    retry_after: int | str | None = None


@dataclass
class FaultSettings:
    """Mutable fault knobs (see module docstring)."""

    latency: float = 0.0
    """Seconds slept by every API request (inside the in-flight window)."""
    rate_429: float = 0.0
    """Fraction of requests answered 429 ``{"code":429,"message":...}``."""
    retry_after: int | str | None = None
    """Retry-After of injected 429s: None (no header), int seconds or "date" (HTTP-date)."""
    rate_5xx: float = 0.0
    """Fraction answered 500 (JSON body), 502 or 503 (HTML body, like a proxy)."""
    rate_drop: float = 0.0
    """Fraction where the connection is closed without any response."""
    rate_truncate: float = 0.0
    """Fraction answered 200 with the full Content-Length but only part of the body."""
    rate_html: float = 0.0
    """Fraction answered 200 text/html (a proxy/captive-portal error page)."""
    fail_after_requests: int | None = None
    """After this many API requests (counted from when it is set), every request fails."""
    fail_mode: str = "500"
    """How requests fail after ``fail_after_requests``: "500" or "drop"."""
    token_expire_every: int | None = None
    """Expire the access token used by every N-th authenticated request (next call -> 401)."""
    edit_during_sync: int = 0
    """Each list request first edits this many random products (bumps their ``updated``)."""
    faults_on_token: bool = False
    """Also apply latency and faults to ``POST /api/oauth/v1/token``."""
    seed: int = 1
    _rng: random.Random = field(default_factory=random.Random, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _counter: int = field(default=0, repr=False)
    _auth_counter: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        self._validate_mode(self.fail_mode)
        self.reseed(self.seed)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "fail_mode":
            self._validate_mode(value)
        if name == "retry_after" and value is not None and value != "date" \
                and not isinstance(value, int):
            raise ValueError('retry_after must be None, an int (seconds) or "date"')
        object.__setattr__(self, name, value)
        if name == "fail_after_requests":
            object.__setattr__(self, "_counter", 0)
        if name == "token_expire_every":
            object.__setattr__(self, "_auth_counter", 0)

    @staticmethod
    def _validate_mode(mode: str) -> None:
        if mode not in ("500", "drop"):
            raise ValueError('fail_mode must be "500" or "drop"')

    def reseed(self, seed: int) -> None:
        self.seed = seed
        self._rng = random.Random(f"sandbox-faults-{seed}")

    def set(self, **kwargs: Any) -> None:
        """Set several knobs at once; unknown names raise TypeError."""
        for key, value in kwargs.items():
            if key not in FAULT_FIELDS:
                raise TypeError(f"unknown fault setting {key!r}")
            setattr(self, key, value)

    def clear(self) -> None:
        """Switch every fault off (latency 0, rates 0, counters reset)."""
        defaults = FaultSettings.__dataclass_fields__
        for f in fields(self):
            if f.name in FAULT_FIELDS:
                setattr(self, f.name, defaults[f.name].default)

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FAULT_FIELDS}

    @property
    def rng(self) -> random.Random:
        return self._rng

    # ------------------------------------------------------------------ decisions
    def decide(self) -> Decision:
        """Draw the fault for one request (called once per faultable request)."""
        with self._lock:
            self._counter += 1
            if self.fail_after_requests is not None and self._counter > self.fail_after_requests:
                if self.fail_mode == "drop":
                    return Decision("drop")
                return Decision("5xx", 500)
            u = self._rng.random()
            edge = 0.0
            for kind, rate in (
                ("429", self.rate_429),
                ("5xx", self.rate_5xx),
                ("drop", self.rate_drop),
                ("truncate", self.rate_truncate),
                ("html", self.rate_html),
            ):
                edge += rate
                if u < edge:
                    if kind == "429":
                        return Decision("429", 429, self.retry_after)
                    if kind == "5xx":
                        return Decision("5xx", self._rng.choice((500, 502, 503)))
                    return Decision(kind, 200)
            return Decision()

    def count_authenticated(self) -> bool:
        """Count one authenticated request; True when its token must now expire."""
        every = self.token_expire_every
        if not every:
            return False
        with self._lock:
            self._auth_counter += 1
            return self._auth_counter % every == 0
