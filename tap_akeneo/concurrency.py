"""Concurrent, partitioned reading of one stream; records handed to the main thread.

How one read goes (``max_concurrency`` worker threads, at most one request each, so never
more requests in flight than that, token requests included: a token is renewed inside a
worker's call):

1. One *probe* asks for the whole result set in page mode with ``with_count=true`` and a
   full page: the count, and a sample of items. Up to one page of results: that page is
   the answer (one request, as the sequential read). Up to a few pages: one search_after
   chain over the whole result set, exactly as the sequential read.
2. Otherwise the result set is cut into windows of `updated` (:mod:`tap_akeneo.partitions`)
   at quantiles of the sample, each window is counted (a probe with ``limit=1``), windows
   far larger than planned are cut again, empty ones are skipped, and the windows are read,
   largest first, each as its own search_after chain following ``next`` links verbatim.
3. The tail window (``updated >=`` run start) is read once every other window is complete.

Workers put whole pages of parsed records on a bounded queue; the main thread takes them
and emits them, so memory stays flat (a few pages) and the SDK's writer and state are only
touched by the main thread. The first error stops every worker and is raised in the main
thread once the pages read before it are emitted, so a failed read never completes.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import heapq
import itertools
import json
import math
import queue
import threading
import time
import typing as t

from tap_akeneo import memory
from tap_akeneo.partitions import Window, epoch_seconds, plan, shares

if t.TYPE_CHECKING:
    import requests

    from tap_akeneo.client import AkeneoStream

#: Result sets of at most this many pages per worker are read as one chain.
CHAIN_PAGES_PER_WORKER = 3
#: A counted window more than this many times its planned size is cut again.
SPLIT_FACTOR = 2.0
#: Pages waiting for the main thread, per worker.
QUEUE_PAGES_PER_WORKER = 2
#: How long a stopped read waits for its workers' last requests.
JOIN_SECONDS = 30.0


@dataclasses.dataclass
class ReadSummary:
    """What a read did (for logs and tests)."""

    mode: str = ""
    count: int | None = None
    windows: int = 0
    splits: int = 0
    skipped: int = 0
    requests: int = 0
    probes: int = 0


@dataclasses.dataclass(order=True)
class _Task:
    priority: tuple[int, ...]
    kind: str = dataclasses.field(compare=False)
    window: Window | None = dataclasses.field(compare=False, default=None)
    halves: tuple[Window, Window] | None = dataclasses.field(compare=False, default=None)
    parent_count: int = dataclasses.field(compare=False, default=0)


class _Stop(Exception):
    """Raised inside a worker when the read was stopped."""


class PartitionedRead:
    """One concurrent read of a search_after stream, iterated from the main thread."""

    def __init__(
        self,
        stream: AkeneoStream,
        *,
        workers: int,
        base_params: dict[str, t.Any],
        base_search: dict[str, t.Any],
        lo: int | None,
        tail: int,
        on_count: t.Callable[[int | None], None] | None = None,
    ) -> None:
        self.stream = stream
        self.workers = max(1, workers)
        self.base_params = {k: v for k, v in base_params.items() if k != "search"}
        self.base_search = base_search
        self.lo = lo
        self.tail_second = tail
        self.on_count = on_count
        self.page_size = stream.page_size
        self.summary = ReadSummary()
        self._send = stream.request_decorator(self._request)
        self._url = stream.get_url(None)
        self._out: queue.Queue[tuple[str, t.Any]] = queue.Queue(QUEUE_PAGES_PER_WORKER * self.workers)
        self._cond = threading.Condition()
        self._probes: collections.deque[_Task] = collections.deque()
        self._ready: list[_Task] = []
        self._order = itertools.count()
        self._unfinished = 0  # windows not yet read to the end (tail excluded)
        self._tail: Window | None = None
        self._busy = 0
        self._stopped = False  # no further task starts
        self._halted = False  # the main thread stopped taking pages
        self._error: BaseException | None = None
        self._target_pages = 1
        self._threads: list[threading.Thread] = []

    # -- main thread -----------------------------------------------------------------------

    def records(self) -> t.Iterator[dict]:
        """Every record of the read, in the main thread; raises the first worker error."""
        with self._cond:
            self._probes.append(_Task((0,), "probe0"))
        for n in range(self.workers):
            thread = threading.Thread(
                target=self._work, name=f"{self.stream.name}-reader-{n + 1}", daemon=True
            )
            self._threads.append(thread)
            thread.start()
        pages = 0
        try:
            while True:
                kind, value = self._out.get()
                if kind == "page":
                    yield from value
                    pages += 1
                    if pages % memory.EVERY_PAGES == 0:
                        memory.release()  # flat memory over long reads
                elif kind == "error":
                    assert self._error is not None
                    raise self._error
                else:
                    break
        finally:
            # Stopped early (an error, or a record limit as in --test): requests still in
            # flight finish before the next stream starts its own, within the limit of 4.
            # (After a worker's error the run ends: nothing to wait for.)
            self._halt()
            deadline = time.monotonic() + (0.0 if self._error is not None else JOIN_SECONDS)
            for thread in self._threads:
                thread.join(max(0.0, deadline - time.monotonic()))

    def _halt(self) -> None:
        with self._cond:
            self._stopped = self._halted = True
            self._cond.notify_all()

    # -- workers ---------------------------------------------------------------------------

    def _work(self) -> None:
        while True:
            task = self._take()
            if task is None:
                return
            if task.kind == "done":
                with contextlib.suppress(_Stop):
                    self._emit("done", None)
                return
            try:
                self._run(task)
            except _Stop:
                return
            except BaseException as exc:  # handed to the main thread, which raises it
                self._fail(exc)
                return
            self._task_done()

    def _take(self) -> _Task | None:
        with self._cond:
            while True:
                if self._stopped:
                    return None
                task = self._next_task()
                if task is not None:
                    self._busy += 1
                    return task
                if self._busy == 0:  # nothing running, nothing left: the read is complete
                    self._stopped = True
                    self._cond.notify_all()
                    return _Task((), "done")
                self._cond.wait()

    def _next_task(self) -> _Task | None:
        if self._probes:
            return self._probes.popleft()
        if self._ready:
            return heapq.heappop(self._ready)
        if self._unfinished == 0 and self._tail is not None and self._busy == 0:
            tail, self._tail = self._tail, None
            return _Task((2,), "read", tail)
        return None

    def _task_done(self) -> None:
        with self._cond:
            self._busy -= 1
            self._cond.notify_all()

    def _fail(self, exc: BaseException) -> None:
        with self._cond:
            if self._stopped:
                return
            self._error = exc
            self._stopped = True
            self._cond.notify_all()
        with contextlib.suppress(_Stop):
            self._emit("error", None)  # wakes the main thread, which raises the error

    def _emit(self, kind: str, value: t.Any) -> None:
        """Hand something to the main thread; gives up once it stopped taking."""
        while not self._halted:
            try:
                self._out.put((kind, value), timeout=0.2)
                return
            except queue.Full:
                continue
        raise _Stop

    def _check(self) -> None:
        if self._stopped:
            raise _Stop

    def _request(self, prepared: requests.PreparedRequest, context: t.Any) -> requests.Response:
        """The stream's request, not retried once the read stopped."""
        self._check()
        return self.stream._request(prepared, context)

    # -- tasks -----------------------------------------------------------------------------

    def _run(self, task: _Task) -> None:
        if task.kind == "probe0":
            self._probe0()
        elif task.kind == "count":
            assert task.window is not None
            count = self._count(task.window)
            with self._cond:
                self._place(task.window, count, measured=True)
        elif task.kind == "split":
            assert task.halves is not None
            lower, upper = task.halves
            count = self._count(lower)
            with self._cond:
                self._place(lower, count, measured=True)
                rest = None if count is None else max(0, task.parent_count - count)
                self._place(upper, rest, measured=False)
        else:
            assert task.window is not None
            self._read(task.window)
            if not task.window.tail:
                with self._cond:
                    self._unfinished -= 1

    def _get(self, params: dict[str, t.Any] | None, url: str | None = None) -> requests.Response:
        self._check()
        stream = self.stream
        prepared = stream.build_prepared_request(
            method="GET",
            url=url or self._url,
            params=params or {},
            headers=stream.http_headers,
        )
        response = self._send(prepared, None)
        with self._cond:
            self.summary.requests += 1
        return response

    def _search_param(self, window: Window | None) -> dict[str, str]:
        search = (
            self.base_search if window is None else window.search(self.base_search, self.stream.server_tz)
        )
        return {"search": json.dumps(search, separators=(",", ":"))} if search else {}

    def _page_probe(self, window: Window | None, limit: int) -> requests.Response:
        # The read's own parameters (scope, locales, ...), in page mode, with a count.
        params = {k: v for k, v in self.base_params.items() if k not in ("pagination_type", "limit")}
        params.update({"pagination_type": "page", "with_count": "true", "limit": limit})
        params.update(self._search_param(window))
        with self._cond:
            self.summary.probes += 1
        return self._get(params)

    def _count(self, window: Window) -> int | None:
        from tap_akeneo.client import parsed_payload

        payload = parsed_payload(self._page_probe(window, 1))
        count = payload.get("items_count") if isinstance(payload, dict) else None
        return count if isinstance(count, int) else None

    def _probe0(self) -> None:
        from tap_akeneo.client import parsed_payload

        stream = self.stream
        response = self._page_probe(None, self.page_size)
        payload = parsed_payload(response)
        count = payload.get("items_count") if isinstance(payload, dict) else None
        records = list(stream.parse_response(response))
        self.summary.count = count if isinstance(count, int) and not isinstance(count, bool) else None
        if self.on_count is not None:
            self.on_count(self.summary.count)
        if isinstance(count, int) and count <= self.page_size and len(records) >= count:
            self.summary.mode = "one page"
            self._emit("page", records)
            return
        pages = math.ceil(count / self.page_size) if isinstance(count, int) else 0
        whole = Window(self.lo, None)
        if pages <= CHAIN_PAGES_PER_WORKER * self.workers:
            self.summary.mode = "one chain"
            with self._cond:
                self._unfinished += 1
                heapq.heappush(self._ready, _Task((1, 0, next(self._order)), "read", whole))
            return
        wanted = shares(pages, self.workers)
        samples = [s for s in (epoch_seconds(r.get(stream.replication_key) or "") for r in records) if s]
        windows = plan(
            lo=self.lo, tail=self.tail_second, samples=samples, shares=wanted, server_tz=stream.server_tz
        )
        history, tail = windows[:-1], windows[-1]
        self._target_pages = max(1, math.ceil(pages * wanted[0]))
        self.summary.mode = "windows"
        self.summary.windows = len(history)
        stream.logger.info(
            "Reading '%s' (%d items, %d pages) in %d windows of `updated`, %d requests at a time",
            stream.name,
            count,
            pages,
            len(history),
            self.workers,
        )
        with self._cond:
            self._tail = tail
            self._unfinished += len(history)
            for window in history:
                self._probes.append(_Task((0,), "count", window))
            self._cond.notify_all()

    def _place(self, window: Window, count: int | None, *, measured: bool) -> None:
        """Decide what to do with a counted window (lock held)."""
        if count is not None and measured and count == 0 and window.hi != self.tail_second:
            self.summary.skipped += 1
            self._unfinished -= 1
            return
        pages = math.ceil((count or 0) / self.page_size)
        if count is not None and pages > SPLIT_FACTOR * self._target_pages:
            halves = window.split(self.stream.server_tz)
            if halves is not None:
                self.summary.splits += 1
                self._unfinished += 1
                self._probes.append(_Task((0,), "split", halves=halves, parent_count=count))
                self._cond.notify_all()
                return
        # Largest first: the read ends with the small windows.
        heapq.heappush(self._ready, _Task((1, -(count or 0), next(self._order)), "read", window))
        self._cond.notify_all()

    def _read(self, window: Window) -> None:
        """One search_after chain over ``window``, every page handed to the main thread."""
        stream = self.stream
        paginator = stream.get_new_paginator()
        assert paginator is not None
        params = {**self.base_params, **self._search_param(window)}
        response = self._get(params)
        while True:
            records = list(stream.parse_response(response))
            self._emit("page", records)
            if not records:
                return
            paginator.advance(response)
            if paginator.finished:
                return
            self._run_pending_probes()
            link = paginator.current_value
            assert link is not None
            response = self._get(None, url=link.geturl())

    def _run_pending_probes(self) -> None:
        """Counting goes first: it decides what the other workers read next."""
        while True:
            with self._cond:
                if not self._probes or self._stopped:
                    return
                task = self._probes.popleft()
            self._run(task)
