"""Progress of long streams: a total from one cheap count probe, then periodic log lines.

Akeneo's search_after listings (products, product models) never say how many items a
query matches, but its page mode does, with ``with_count=true``. Before the first page of
such a stream, one probe asks for ``limit=1&pagination_type=page&with_count=true`` with the
very same filters (the incremental ``updated`` search included) and reads ``items_count``.
It goes through the stream's own request path, so it is authenticated, retried and counted
in the run summary like any other request. Products and product models are counted (long
runs, where the probe is one request among hundreds); other streams opt in with the class
attribute ``count_total = True``.

While a stream is read, a line is logged every :data:`LOG_EVERY_PAGES` pages or every
:data:`LOG_EVERY_SECONDS` seconds, whichever comes first::

    Progress of 'products': 2,300 of 10,000 (23%), 410 items/s, about 19 s left

A stream read in several partitions (contexts) adds up its partitions' totals. A total is a
count at probe time: items created while the run is under way can take ``done`` past it.
"""

from __future__ import annotations

import threading
import time
import typing as t

if t.TYPE_CHECKING:
    import logging

    from singer_sdk.helpers.types import Context

    from tap_akeneo.client import AkeneoStream

#: Query parameters of the count probe (they replace the stream's own paging parameters).
PROBE_PARAMS: dict[str, t.Any] = {"limit": 1, "pagination_type": "page", "with_count": "true"}
#: Log a progress line after this many pages...
LOG_EVERY_PAGES = 50
#: ... or after this many seconds since the last line, whichever comes first.
LOG_EVERY_SECONDS = 10.0


#: Listings that answer ``pagination_type=page&with_count=true`` (Akeneo's product-like ones;
#: reference entity records and assets, for instance, know search_after only).
COUNTED_PATHS = ("/api/rest/v1/products-uuid", "/api/rest/v1/products", "/api/rest/v1/product-models")


def counts_total(stream: AkeneoStream) -> bool:
    """Whether a total is worth one probe request for this stream: a long, paged, product-like
    listing (or any stream whose class says ``count_total = True``)."""
    explicit = getattr(stream, "count_total", None)
    if explicit is not None:
        return bool(explicit)
    return bool(getattr(stream, "paginated", False)) and stream.path in COUNTED_PATHS


def probe_params(stream: AkeneoStream, context: Context | None) -> dict[str, t.Any]:
    """The stream's first-page parameters, turned into a one-item page-mode count query."""
    params = dict(stream.get_url_params(context, None))
    for key in ("search_after", "page"):
        params.pop(key, None)
    params.update(PROBE_PARAMS)
    return params


def probe_total(stream: AkeneoStream, context: Context | None, *, retry: bool = True) -> int | None:
    """Items the stream's query matches (``items_count``), or None if the PIM does not say.

    With ``retry`` the probe is sent like any page of the stream (authenticated, retried,
    counted); without, it is sent once (the connection test, which must answer quickly).
    Errors are raised: the stream's first page, with the same filters, would meet them too.
    """
    request = stream.build_prepared_request(
        method="GET",
        url=stream.get_url(context),
        params=probe_params(stream, context),
        headers=stream.http_headers,
    )
    send = stream.request_decorator(stream._request) if retry else stream._request
    response = send(request, context)
    from tap_akeneo.client import parsed_payload  # (client imports this module)

    payload = parsed_payload(response)
    count = payload.get("items_count") if isinstance(payload, dict) else None
    return count if isinstance(count, int) and not isinstance(count, bool) else None


class StreamProgress:
    """Counts the items of one stream (all its partitions) and logs progress lines."""

    def __init__(
        self,
        name: str,
        logger: logging.Logger,
        *,
        page_size: int = 100,
        clock: t.Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.logger = logger
        self.page_size = max(1, page_size)
        self.total: int | None = None
        self.done = 0
        self.lines = 0
        self._clock = clock
        self._lock = threading.Lock()
        self._started = clock()
        self._last_log = self._started
        self._pages_since_log = 0
        self._next_page_at = self.page_size

    def add_total(self, count: int | None) -> None:
        if count is None:
            return
        with self._lock:
            self.total = (self.total or 0) + count
            total = self.total
        self.logger.info("Reading '%s': %s items to read", self.name, f"{total:,}")

    def advance(self, count: int = 1) -> None:
        """Called for every item read; checks the clock once per page."""
        with self._lock:
            self.done += count
            if self.done < self._next_page_at:
                return
            self._next_page_at = self.done + self.page_size
            self._pages_since_log += 1
            now = self._clock()
            if self._pages_since_log < LOG_EVERY_PAGES and now - self._last_log < LOG_EVERY_SECONDS:
                return
            self._pages_since_log = 0
            self._last_log = now
            line = self.describe(now)
            self.lines += 1
        self.logger.info("%s", line)

    def describe(self, now: float | None = None) -> str:
        now = self._clock() if now is None else now
        elapsed = max(now - self._started, 1e-9)
        rate = self.done / elapsed
        text = f"Progress of '{self.name}': {self.done:,}"
        if self.total:
            percent = min(100.0, 100.0 * self.done / self.total)
            text += f" of {self.total:,} ({percent:.0f}%)"
        text += f", {rate:,.0f} items/s"
        if self.total and rate > 0 and self.done < self.total:
            text += f", about {_duration((self.total - self.done) / rate)} left"
        return text


class RunProgress:
    """One :class:`StreamProgress` per stream name, for a tap run."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.streams: dict[str, StreamProgress] = {}

    def stream(self, stream: AkeneoStream) -> StreamProgress:
        with self._lock:
            progress = self.streams.get(stream.name)
            if progress is None:
                progress = self.streams[stream.name] = StreamProgress(
                    stream.name, stream.logger, page_size=getattr(stream, "page_size", 100)
                )
            return progress


def start(stream: AkeneoStream, context: Context | None, *, probe: bool = True) -> StreamProgress:
    """The hook the base stream calls before its first page: probe (if worth it), track.

    ``probe=False``: the caller counts the items itself (the concurrent read's first
    request does) and passes the total to :meth:`StreamProgress.add_total`.
    """
    tap = stream._tap
    run = getattr(tap, "progress", None)
    if not isinstance(run, RunProgress):
        run = RunProgress()
        tap.progress = run  # type: ignore[attr-defined]
    progress = run.stream(stream)
    if probe and counts_total(stream):
        progress.add_total(probe_total(stream, context))
    return progress


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
