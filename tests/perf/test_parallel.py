"""Parallel extraction against the sandbox: the same records, state and ACTIVATE_VERSION
placement as the sequential read (and as the SDK's defaults), at most 4 requests at once."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import typing as t
from pathlib import Path

import pytest

from benchmarks.variant import BASELINE
from tests.conftest import tap_config
from tests.reliability.helpers import ROOT, assert_one_line_error, messages, product_streams_only

SEQUENTIAL = {"max_concurrency": 1}
PARALLEL = {"max_concurrency": 4}


class Output:
    def __init__(self, result: subprocess.CompletedProcess[str]) -> None:
        assert result.returncode == 0, result.stderr[-3000:]
        self.stderr = result.stderr
        self.messages = messages(result.stdout)

    def records(self, stream: str) -> list[dict[str, t.Any]]:
        return [m["record"] for m in self.messages if m["type"] == "RECORD" and m["stream"] == stream]

    def canonical(self, stream: str) -> list[str]:
        """The stream's records as a sorted list (a multiset: duplicates would show)."""
        return sorted(json.dumps(r, sort_keys=True) for r in self.records(stream))

    @property
    def state(self) -> dict[str, t.Any]:
        return dict([m for m in self.messages if m["type"] == "STATE"][-1]["value"])


def run(
    config: dict[str, t.Any],
    tmp_path: Path,
    *,
    variant: list[str] | None = None,
    state: dict[str, t.Any] | None = None,
    catalog: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(config))
    module = ["-m", "tap_akeneo.tap"] if variant is None else ["-m", "benchmarks.variant", *variant]
    command = [sys.executable, *module, "--config", str(config_file)]
    if catalog is None:  # products and product models only: what this module is about
        command += product_streams_only(tmp_path)
    if state is not None:
        (tmp_path / "state.json").write_text(json.dumps(state))
        command += ["--state", str(tmp_path / "state.json")]
    if catalog is not None:
        command += ["--catalog", str(catalog)]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)


def full_table_catalog(config: dict[str, t.Any], tmp_path: Path) -> Path:
    from tests.streams.test_messages import _full_table_catalog

    return _full_table_catalog(config, tmp_path, streams=["products", "product_models"])


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris"])
def test_full_export_parallel_sequential_and_sdk_defaults_agree(
    sandbox_factory: t.Any, tmp_path: Path, zone: str
) -> None:
    sandbox = sandbox_factory(products=2000, product_models=400, seed=61, server_timezone=zone)
    config = tap_config(sandbox, page_size=20, server_timezone=zone)
    sandbox.stats.reset()
    parallel = Output(run({**config, **PARALLEL}, tmp_path))
    stats = sandbox.stats.snapshot()
    sequential = Output(run({**config, **SEQUENTIAL}, tmp_path))
    sdk = Output(run({**config, **SEQUENTIAL}, tmp_path, variant=BASELINE))
    for stream, count in (("products", 2000), ("product_models", 400)):
        assert len(parallel.records(stream)) == count
        assert parallel.canonical(stream) == sequential.canonical(stream) == sdk.canonical(stream)
    assert parallel.state == sequential.state == sdk.state
    assert re.search(r"Reading 'products' \(2000 items, 100 pages\) in \d+ windows", parallel.stderr)
    assert stats["max_in_flight"] <= 4 and stats["concurrency_rejections"] == 0


def test_incremental_parallel_and_sequential_agree(sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(products=1500, product_models=300, seed=62)
    config = tap_config(sandbox, page_size=10)
    state = Output(run({**config, **PARALLEL}, tmp_path)).state
    catalog = sandbox.catalog
    time.sleep(1.1)
    for uuid in sorted(catalog._uuid_index)[::5]:  # 300 products
        catalog.update_product(uuid, {"enabled": False})
    model = next(code for code in catalog._models if catalog._models[code].child_products)
    catalog.update_product_model(model, {"categories": ["master"]})  # its variants come back too
    parallel = Output(run({**config, **PARALLEL}, tmp_path, state=state))
    sequential = Output(run({**config, **SEQUENTIAL}, tmp_path, state=state))
    assert len(parallel.records("products")) >= 300
    for stream in ("products", "product_models"):
        assert parallel.canonical(stream) == sequential.canonical(stream)
    assert parallel.state == sequential.state
    assert (
        parallel.state["bookmarks"]["products"]["replication_key_value"]
        >= (state["bookmarks"]["products"]["replication_key_value"])
    )
    assert "windows of `updated`" in parallel.stderr


def test_reconcile_activate_version_once_after_the_last_record(
    sandbox_factory: t.Any, tmp_path: Path
) -> None:
    sandbox = sandbox_factory(products=1200, product_models=250, seed=63)
    config = tap_config(sandbox, page_size=20, emit_activate_version_messages=True)
    catalog = full_table_catalog(config, tmp_path)
    parallel = Output(run({**config, **PARALLEL}, tmp_path, catalog=catalog))
    sequential = Output(run({**config, **SEQUENTIAL}, tmp_path, catalog=catalog))
    for stream in ("products", "product_models"):
        assert parallel.canonical(stream) == sequential.canonical(stream)
        out = parallel.messages
        kinds = [m["type"] for m in out if m.get("stream") == stream]
        assert kinds.count("ACTIVATE_VERSION") == 1
        last = max(i for i, m in enumerate(out) if m["type"] == "RECORD" and m["stream"] == stream)
        activate = next(
            i for i, m in enumerate(out) if m["type"] == "ACTIVATE_VERSION" and m["stream"] == stream
        )
        assert activate > last
        versions = {m["version"] for m in out if m["type"] == "RECORD" and m["stream"] == stream}
        assert versions == {out[activate]["version"]}
    assert parallel.state == sequential.state


def test_items_saved_during_the_run_are_not_missed(sandbox_factory: t.Any, tmp_path: Path) -> None:
    # Every list request first saves 3 random products: they move to the tail window.
    sandbox = sandbox_factory(products=1500, product_models=100, seed=64, edit_during_sync=3)
    out = Output(run(tap_config(sandbox, page_size=20, **PARALLEL), tmp_path))
    got = {r["uuid"] for r in out.records("products")}
    assert got == set(sandbox.catalog.products)
    assert sandbox.stats.faults["edit"] > 100
    # Edited items may come twice (their old and new version, in that order), nothing else.
    records = out.records("products")
    seen: dict[str, str] = {}
    for record in records:
        if record["uuid"] in seen:
            assert record["updated"] >= seen[record["uuid"]]
        seen[record["uuid"]] = record["updated"]


def test_faults_and_expiring_tokens_never_more_than_4_in_flight(
    sandbox_factory: t.Any, tmp_path: Path
) -> None:
    sandbox = sandbox_factory(
        products=1000,
        product_models=100,
        seed=65,
        rate_429=0.05,
        rate_5xx=0.05,
        rate_drop=0.03,
        token_expire_every=7,
    )
    out = Output(run(tap_config(sandbox, page_size=20, **PARALLEL), tmp_path))
    assert {r["uuid"] for r in out.records("products")} == set(sandbox.catalog.products)
    assert {r["code"] for r in out.records("product_models")} == set(sandbox.catalog.product_models)
    stats = sandbox.stats
    assert stats.max_in_flight <= 4 and stats.concurrency_rejections == 0
    assert stats.statuses.get(401, 0) >= 3 and stats.faults.get("5xx", 0) >= 1


def test_a_failure_midway_stops_every_worker_with_one_line(sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(products=1500, product_models=10, seed=66)
    config = tap_config(sandbox, page_size=20, max_retries=1, emit_activate_version_messages=True, **PARALLEL)
    catalog = full_table_catalog(config, tmp_path)
    sandbox.faults.fail_after_requests = 30  # product models done, products midway
    started = time.monotonic()
    result = run(config, tmp_path, catalog=catalog)
    assert time.monotonic() - started < 60
    assert_one_line_error(result, "giving up", "/api/rest/v1/products-uuid", failed_stream="products")
    out = messages(result.stdout)
    assert [m["stream"] for m in out if m["type"] == "ACTIVATE_VERSION"] == ["product_models"]


def test_max_concurrency_1_is_the_sequential_read(sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(products=95, product_models=5, seed=67)
    out = Output(run(tap_config(sandbox, page_size=10, **SEQUENTIAL), tmp_path))
    assert len(out.records("products")) == 95
    # The endpoint probe (tap_akeneo.versions), the progress count probe, then the 10 pages.
    assert sandbox.stats.count("GET", "/api/rest/v1/products-uuid") == 2 + 10
    assert "Read 'products'" not in out.stderr


@pytest.mark.parametrize("value", [0, 5, "4"])
def test_max_concurrency_out_of_range(sandbox_factory: t.Any, tmp_path: Path, value: t.Any) -> None:
    sandbox = sandbox_factory(products=5, product_models=1, seed=68)
    result = run(tap_config(sandbox, max_concurrency=value), tmp_path)
    assert_one_line_error(result, "max_concurrency")


def test_small_results_cost_one_request(sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(products=60, product_models=8, seed=69)
    out = Output(run(tap_config(sandbox, **PARALLEL), tmp_path))
    assert len(out.records("products")) == 60
    # The endpoint probe (tap_akeneo.versions), then one page with its count: the answer.
    assert sandbox.stats.count("GET", "/api/rest/v1/products-uuid") == 2
    assert sandbox.stats.count("GET", "/api/rest/v1/product-models") == 1
    assert "Reading 'products': 60 items to read" in out.stderr  # the progress total


def test_a_read_stopped_early_finishes_its_requests_first(sandbox_factory: t.Any, tmp_path: Path) -> None:
    # --test reads one record per stream: each stream's read stops at once, and its
    # requests in flight end before the next stream's start (never more than 4 at once).
    sandbox = sandbox_factory(products=3000, product_models=600, seed=70, latency=0.05)
    (tmp_path / "config.json").write_text(json.dumps(tap_config(sandbox, page_size=20, **PARALLEL)))
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "tap_akeneo.tap", "--config", str(tmp_path / "config.json"), "--test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert time.monotonic() - started < 60
    assert sandbox.stats.max_in_flight <= 4 and sandbox.stats.concurrency_rejections == 0


def test_incremental_after_500_changes_takes_at_most_10_requests(
    sandbox_factory: t.Any, tmp_path: Path
) -> None:
    sandbox = sandbox_factory(products=3000, product_models=200, seed=71)
    config = tap_config(sandbox, overlap_seconds=0, **PARALLEL)
    state = Output(run(config, tmp_path)).state
    assert state["bookmarks"]["products"]["akeneo_endpoint"] == "/api/rest/v1/products-uuid"
    time.sleep(1.1)
    for uuid in sorted(sandbox.catalog._uuid_index)[:500]:
        sandbox.catalog.update_product(uuid, {"enabled": True})
    sandbox.stats.reset()
    out = Output(run(config, tmp_path, state=state))
    assert len(out.records("products")) == 500
    # token, products: count probe + 5 full pages + the empty one after them, models: count
    # probe (no endpoint probe: the bookmark says /products-uuid)
    assert sandbox.stats.total == 9, sandbox.stats.snapshot()["requests"]
