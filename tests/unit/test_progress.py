"""Progress lines: cadence (pages or seconds), totals, percentages, and the probe's query."""

from __future__ import annotations

import logging
import typing as t

import pytest

from tap_akeneo import progress
from tap_akeneo.progress import StreamProgress, counts_total, probe_params
from tap_akeneo.tap import TapAkeneo

CONFIG = {
    "base_url": "https://pim.example.com",
    "client_id": "c",
    "client_secret": "s",
    "username": "u",
    "password": "p",
}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _tracker(caplog: pytest.LogCaptureFixture, **kw: t.Any) -> tuple[StreamProgress, Clock]:
    clock = Clock()
    caplog.set_level(logging.INFO, logger="test-progress")
    return StreamProgress("products", logging.getLogger("test-progress"), clock=clock, **kw), clock


def test_a_line_every_n_pages(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "LOG_EVERY_PAGES", 3)
    tracker, clock = _tracker(caplog, page_size=10)
    tracker.add_total(100)
    for _ in range(95):
        clock.now += 0.01
        tracker.advance()
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0] == "Reading 'products': 100 items to read"
    assert [line.split(",")[0] for line in lines[1:]] == [
        "Progress of 'products': 30 of 100 (30%)",
        "Progress of 'products': 60 of 100 (60%)",
        "Progress of 'products': 90 of 100 (90%)",
    ]
    assert lines[1].endswith("100 items/s, about 1 s left")


def test_a_line_every_few_seconds(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "LOG_EVERY_PAGES", 10_000)
    monkeypatch.setattr(progress, "LOG_EVERY_SECONDS", 10.0)
    tracker, clock = _tracker(caplog, page_size=100)
    tracker.add_total(200_000)
    for _ in range(250):  # 250 pages, 2 s each: a line every 5 pages
        clock.now += 2.0
        tracker.advance(100)
    lines = [r.getMessage() for r in caplog.records][1:]
    assert len(lines) == 50
    assert lines[0] == "Progress of 'products': 500 of 200,000 (0%), 50 items/s, about 66 min left"
    assert lines[-1].startswith("Progress of 'products': 25,000 of 200,000 (12%)")


def test_without_total_and_past_it(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "LOG_EVERY_PAGES", 1)
    tracker, clock = _tracker(caplog, page_size=5)
    clock.now += 1
    tracker.advance(5)
    assert caplog.records[-1].getMessage() == "Progress of 'products': 5, 5 items/s"
    tracker.add_total(3)  # created while reading: done passes the count taken at the start
    tracker.add_total(None)
    tracker.advance(5)
    assert caplog.records[-1].getMessage().startswith("Progress of 'products': 10 of 3 (100%)")
    assert "left" not in caplog.records[-1].getMessage()


def test_partitions_add_up_their_totals(caplog: pytest.LogCaptureFixture) -> None:
    tracker, _ = _tracker(caplog)
    tracker.add_total(40)
    tracker.add_total(60)
    assert tracker.total == 100


def test_probe_keeps_the_filter_and_asks_for_a_count() -> None:
    tap = TapAkeneo(config={**CONFIG, "start_date": "2024-05-01T00:00:00Z"}, setup_mapper=False)
    stream = tap.streams["product_models"]  # (products would first probe for its endpoint)
    stream._write_starting_replication_value(None)
    params = probe_params(stream, None)
    assert params["limit"] == 1 and params["pagination_type"] == "page" and params["with_count"] == "true"
    assert params["search"] == stream.get_url_params(None, None)["search"]
    assert '"updated"' in params["search"]
    assert counts_total(stream) and counts_total(tap.streams["product_models"])
