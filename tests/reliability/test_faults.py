"""The tap rides through the sandbox's faults, and never shows a secret at any log level."""

from __future__ import annotations

import typing as t
from pathlib import Path

import pytest

from tests.conftest import tap_config
from tests.reliability.helpers import assert_one_line_error, messages, product_streams_only, run_tap


def _records(result: t.Any, stream: str) -> list[dict[str, t.Any]]:
    return [m["record"] for m in messages(result.stdout) if m["type"] == "RECORD" and m["stream"] == stream]


@pytest.mark.parametrize("retry_after", [None, 0, "date"], ids=["no-header", "seconds", "http-date"])
def test_429s_with_and_without_retry_after(
    sandbox_factory: t.Any, tmp_path: Path, retry_after: t.Any
) -> None:
    sandbox = sandbox_factory(products=120, product_models=20, seed=31, rate_429=0.3, retry_after=retry_after)
    result = run_tap(tap_config(sandbox, page_size=20), tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert {r["uuid"] for r in _records(result, "products")} == set(sandbox.catalog.products)
    assert sandbox.stats.statuses.get(429, 0) > 0
    assert "Retrying /api/rest/v1/" in result.stderr


def test_every_fault_kind_and_expiring_tokens(sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(
        products=200,
        product_models=30,
        seed=32,
        rate_429=0.06,
        rate_5xx=0.06,
        rate_drop=0.05,
        rate_truncate=0.05,
        rate_html=0.05,
        token_expire_every=5,
    )
    result = run_tap(tap_config(sandbox, page_size=5), tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert {r["uuid"] for r in _records(result, "products")} == set(sandbox.catalog.products)
    assert {r["code"] for r in _records(result, "product_models")} == set(sandbox.catalog.product_models)
    faults = sandbox.stats.faults
    assert faults.get("token_expired", 0) >= 3 and sandbox.stats.statuses.get(401, 0) >= 3
    assert all(faults.get(kind, 0) >= 1 for kind in ("429", "5xx", "drop", "truncate", "html")), faults


def test_retries_running_out_stop_with_endpoint_and_status(sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(products=50, product_models=5, seed=33, fail_after_requests=2, fail_mode="500")
    result = run_tap(tap_config(sandbox, page_size=10, max_retries=3), tmp_path, *product_streams_only(tmp_path))
    line = assert_one_line_error(
        result, "giving up", "GET /api/rest/v1/products-uuid", "4 attempts", "500", failed_stream="products"
    )
    assert "Traceback" not in line


def test_retry_time_budget_bounds_a_run(sandbox_factory: t.Any, tmp_path: Path) -> None:
    # Requests 1 and 2 (the product_models count probe and page) pass; products' fail.
    sandbox = sandbox_factory(products=50, product_models=5, seed=34, fail_after_requests=2, fail_mode="drop")
    config = tap_config(
        sandbox, max_retries=1000, backoff_base_seconds=1, backoff_max_seconds=1, retry_max_elapsed_seconds=3
    )
    import time

    started = time.monotonic()
    result = run_tap(config, tmp_path, *product_streams_only(tmp_path))
    assert time.monotonic() - started < 30
    assert_one_line_error(result, "giving up", "/api/rest/v1/products-uuid", failed_stream="products")


def test_tokens_expiring_after_every_use_are_renewed_each_time(
    sandbox_factory: t.Any, tmp_path: Path
) -> None:
    sandbox = sandbox_factory(products=30, product_models=5, seed=35, token_expire_every=1)
    result = run_tap(tap_config(sandbox, page_size=10), tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert {r["uuid"] for r in _records(result, "products")} == set(sandbox.catalog.products)
    assert sandbox.stats.statuses.get(401, 0) >= 4


def test_a_revoked_token_stops_after_one_renewal(sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(products=30, product_models=5, seed=35)
    sandbox.app.tokens.check = lambda token: "invalid"  # the PIM revoked the connection
    result = run_tap(tap_config(sandbox), tmp_path)
    assert_one_line_error(result, "401", "again after the access token was renewed")
    assert sandbox.stats.statuses.get(401, 0) == 2


def test_no_secret_in_any_output_at_debug(sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(
        products=120,
        product_models=20,
        seed=36,
        client_secret="Cl13nt-S3cret-zz9",
        password="P4ssw0rd-qq7",
        rate_429=0.05,
        rate_5xx=0.05,
        rate_drop=0.02,
        token_expire_every=4,
        token_ttl=3600,
    )
    issued: list[str] = []
    original = sandbox.app.tokens.issue

    def record() -> tuple[str, str]:
        access, refresh = original()
        issued.extend([access, refresh])
        return access, refresh

    sandbox.app.tokens.issue = record
    result = run_tap(tap_config(sandbox, page_size=20), tmp_path, env={"TAP_AKENEO_LOGLEVEL": "DEBUG"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert " | DEBUG " in result.stderr  # the run really logged at DEBUG
    assert len(issued) >= 6
    output = result.stdout + result.stderr
    for secret in ["Cl13nt-S3cret-zz9", "P4ssw0rd-qq7", *issued]:
        assert secret not in output
    import base64

    basic = base64.b64encode(f"{sandbox.credentials['client_id']}:Cl13nt-S3cret-zz9".encode()).decode()
    assert basic not in output


def test_timeouts_are_retried_then_bounded(sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(products=20, product_models=5, seed=37, latency=2.5)
    result = run_tap(tap_config(sandbox, request_timeout=1, max_retries=1), tmp_path)
    line = assert_one_line_error(result, "giving up", "2 attempts", "timeout")
    assert "/api/rest/v1/" in line
    assert result.stderr.count("Retrying /api/rest/v1/") == 1
