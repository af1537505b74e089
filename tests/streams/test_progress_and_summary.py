"""Progress lines (totals from a with_count probe) and the end-of-run summary, against the sandbox."""

from __future__ import annotations

import logging
import math
import re
import typing as t

import pytest

from tap_akeneo import progress
from tap_akeneo.demo.pim import PimClient
from tap_akeneo.errors import AkeneoError
from tap_akeneo.tap import TapAkeneo
from tests.conftest import tap_config
from tests.streams.runner import catalog

PRODUCTS_ROUTE = ("GET", "/api/rest/v1/products-uuid")
MODELS_ROUTE = ("GET", "/api/rest/v1/product-models")
SUMMARY = re.compile(r"Summary of '(\w+)': (\d+) records, (\d+) requests, (\d+) retries, [\d.]+ s")
RUN_SUMMARY = re.compile(r"Run summary: (\d+) records, (\d+) requests \(\+(\d+) token\), (\d+) retries")


def _sync(config: dict[str, t.Any], capfd: pytest.CaptureFixture[str], state: dict | None = None) -> TapAkeneo:
    """A run of the two product-like streams (the ones with a count probe)."""
    selected = catalog(config, ["products", "product_models"])
    tap = TapAkeneo(config=config, catalog=selected, state=state, setup_mapper=True)
    try:
        tap.sync_all()
    finally:
        capfd.readouterr()  # the Singer messages
    return tap


def _messages(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records]


@pytest.fixture
def every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(progress, "LOG_EVERY_PAGES", 1)


def test_progress_lines_carry_totals_and_percentages(
    sandbox_factory: t.Any, caplog: pytest.LogCaptureFixture, capfd: t.Any, every_page: None
) -> None:
    sandbox = sandbox_factory(products=230, product_models=40, seed=5)
    caplog.set_level(logging.INFO)
    _sync(tap_config(sandbox, page_size=50), capfd)
    lines = _messages(caplog)

    assert "Reading 'products': 230 items to read" in lines
    assert "Reading 'product_models': 40 items to read" in lines
    progress_lines = [line for line in lines if line.startswith("Progress of 'products'")]
    # one line per full page (50, 100, 150, 200), with the total, the share and a rate
    assert [re.match(r"Progress of 'products': ([\d,]+) of 230 \((\d+)%\)", line).groups() for line in progress_lines] == [  # type: ignore[union-attr]
        ("50", "22"),
        ("100", "43"),
        ("150", "65"),
        ("200", "87"),
    ]
    assert all("items/s" in line for line in progress_lines)
    assert "left" in progress_lines[0]


def test_probe_is_one_counted_request_with_the_same_filter(
    sandbox_factory: t.Any, caplog: pytest.LogCaptureFixture, capfd: t.Any
) -> None:
    sandbox = sandbox_factory(products=230, product_models=40, seed=5)
    caplog.set_level(logging.INFO)
    # The sequential read (the concurrent one counts with its first page: tests/perf).
    tap = _sync(tap_config(sandbox, page_size=50, max_concurrency=1), capfd)

    # search_after pages: ceil(230/50) = 5 (the last one short, so no empty page), the
    # count probe, and the endpoint probe of tap_akeneo.versions (limit=1, no count)
    assert sandbox.stats.count(*PRODUCTS_ROUTE) == math.ceil(230 / 50) + 2
    assert sandbox.stats.count(*MODELS_ROUTE) == 1 + 1
    assert tap.stats.streams["products"].requests == sandbox.stats.count(*PRODUCTS_ROUTE)
    assert tap.stats.streams["product_models"].requests == sandbox.stats.count(*MODELS_ROUTE)

    # An incremental run: the probe counts what the run will read, not the whole catalog.
    since = sandbox.now().replace(microsecond=0)
    sandbox.set_clock_offset(60)  # the edits below happen a minute after the bookmark
    pim = PimClient(sandbox.base_url, sandbox.credentials)
    for n, uuid in enumerate(sorted(sandbox.catalog.products)[:7]):
        pim.patch_product(uuid, {"values": {"name": [{"locale": "en_US", "scope": None, "data": f"x{n}"}]}})
    caplog.clear()
    before = sandbox.stats.count(*PRODUCTS_ROUTE)
    state = {"bookmarks": {"products": {"replication_key": "updated", "replication_key_value": since.isoformat()}}}
    tap = _sync(tap_config(sandbox, page_size=50, overlap_seconds=0, max_concurrency=1), capfd, state=state)
    assert tap.stats.streams["products"].records == 7
    assert "Reading 'products': 7 items to read" in _messages(caplog)
    assert sandbox.stats.count(*PRODUCTS_ROUTE) - before == 3  # endpoint probe, count probe, a page


def test_summary_matches_what_the_server_saw_under_faults(
    sandbox_factory: t.Any, caplog: pytest.LogCaptureFixture, capfd: t.Any
) -> None:
    sandbox = sandbox_factory(products=300, product_models=60, seed=9)
    sandbox.faults.set(rate_429=0.08, rate_5xx=0.08, rate_drop=0.05, rate_truncate=0.05)
    caplog.set_level(logging.INFO)
    _sync(tap_config(sandbox, page_size=20, max_retries=12), capfd)

    summaries = {m.group(1): m.groups()[1:] for m in map(SUMMARY.search, _messages(caplog)) if m}
    assert set(summaries) == {"products", "product_models"}
    faults = sum(sandbox.stats.faults.values())
    assert faults > 0
    for stream, route, size in (("products", PRODUCTS_ROUTE, 300), ("product_models", MODELS_ROUTE, 60)):
        records, requests_, _ = (int(x) for x in summaries[stream])
        assert records == size
        assert requests_ == sandbox.stats.count(*route), stream  # every attempt, dropped ones too
    total_retries = sum(int(s[2]) for s in summaries.values())
    assert total_retries == faults  # each fault cost exactly one retry
    run = next(m for m in map(RUN_SUMMARY.search, _messages(caplog)) if m)
    assert run.groups() == (
        "360",
        str(sandbox.stats.count(*PRODUCTS_ROUTE) + sandbox.stats.count(*MODELS_ROUTE)),
        str(sandbox.stats.tokens_issued),
        str(total_retries),
    )


def test_a_failed_run_still_ends_with_its_summary(
    sandbox_factory: t.Any, caplog: pytest.LogCaptureFixture, capfd: t.Any
) -> None:
    sandbox = sandbox_factory(products=120, product_models=10, seed=2)
    sandbox.faults.set(fail_after_requests=4)
    caplog.set_level(logging.INFO)
    with pytest.raises(AkeneoError):
        _sync(tap_config(sandbox, page_size=20, max_retries=1), capfd)
    lines = _messages(caplog)
    assert any(SUMMARY.search(line) for line in lines)
    assert any(RUN_SUMMARY.search(line) and line.endswith(", FAILED") for line in lines)
