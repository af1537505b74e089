"""Per-stream counters for the end-of-run summary: records, requests, retries, time."""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import threading
import time
import typing as t


@dataclasses.dataclass
class StreamStats:
    records: int = 0
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0


class RunStats:
    """Thread-safe counters, one :class:`StreamStats` per stream name."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.streams: dict[str, StreamStats] = {}
        self.started = time.monotonic()

    def _get(self, name: str) -> StreamStats:
        stats = self.streams.get(name)
        if stats is None:
            stats = self.streams[name] = StreamStats()
        return stats

    def request(self, name: str) -> None:
        with self._lock:
            self._get(name).requests += 1

    def retry(self, name: str) -> None:
        with self._lock:
            self._get(name).retries += 1

    def record(self, name: str, count: int = 1) -> None:
        with self._lock:
            self._get(name).records += count

    @contextlib.contextmanager
    def timed(self, name: str) -> t.Iterator[None]:
        start = time.monotonic()
        try:
            yield
        finally:
            with self._lock:
                self._get(name).seconds += time.monotonic() - start

    def log_summary(self, logger: logging.Logger, *, token_requests: int = 0, failed: bool = False) -> None:
        """One line per stream, then one for the run (with the token requests, which
        belong to no stream, and the wall time since the tap started)."""
        with self._lock:
            streams = {name: dataclasses.replace(s) for name, s in self.streams.items()}
        for name, s in streams.items():
            logger.info(
                "Summary of '%s': %d records, %d requests, %d retries, %.1f s",
                name,
                s.records,
                s.requests,
                s.retries,
                s.seconds,
            )
        logger.info(
            "Run summary: %d records, %d requests (+%d token), %d retries, %.1f s%s",
            sum(s.records for s in streams.values()),
            sum(s.requests for s in streams.values()),
            token_requests,
            sum(s.retries for s in streams.values()),
            time.monotonic() - self.started,
            ", FAILED" if failed else "",
        )
