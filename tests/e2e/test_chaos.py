"""Chaos: faults, expiring tokens, edits during runs, and kill -9 at several points.
Afterwards the warehouse equals the sandbox's catalog: 0 missing, 0 extra, 0 stale."""

from __future__ import annotations

import datetime as dt
import json
import typing as t

import pytest

from tests.e2e.test_reconcile import _kill_tap, _popen, _wait_for

pytestmark = pytest.mark.e2e

CHAOS = {
    "rate_429": 0.03,
    "rate_5xx": 0.03,
    "rate_drop": 0.02,
    "rate_truncate": 0.01,
    "rate_html": 0.01,
    "token_expire_every": 7,
}


def _naive_utc(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value).astimezone(dt.timezone.utc).replace(tzinfo=None)


def assert_warehouse_equals_catalog(warehouse: t.Any, sandbox: t.Any) -> None:
    catalog = sandbox.catalog
    rows = {
        r[0]: (r[1], r[2], r[3])
        for r in warehouse.query("select uuid, updated, values, enabled from {schema}.products")
    }
    expected = {uuid: p for uuid, p in catalog.products.items()}
    missing = set(expected) - set(rows)
    extra = set(rows) - set(expected)
    stale = [
        uuid
        for uuid, p in expected.items()
        if uuid in rows
        and (
            rows[uuid][0] != _naive_utc(p["updated"])
            or rows[uuid][1] != json.loads(json.dumps(p["values"]))
            or rows[uuid][2] != p["enabled"]
        )
    ]
    assert (len(missing), len(extra), len(stale)) == (0, 0, 0), (
        sorted(missing)[:3],
        sorted(extra)[:3],
        stale[:3],
    )
    models = {
        r[0]: (r[1], r[2])
        for r in warehouse.query("select code, updated, values from {schema}.product_models")
    }
    assert set(models) == set(catalog.product_models)
    stale_models = [
        code
        for code, m in catalog.product_models.items()
        if models[code] != (_naive_utc(m["updated"]), json.loads(json.dumps(m["values"])))
    ]
    assert stale_models == []


def test_chaos_full_then_incremental_runs(sandbox_factory: t.Any, pipeline: t.Any) -> None:
    sandbox = sandbox_factory(products=400, product_models=60, seed=41, **CHAOS)
    project, warehouse = pipeline(sandbox, page_size=10, overlap_seconds=5)
    sandbox.faults.edit_during_sync = 1  # users keep editing while the runs read
    for _ in range(3):
        result = project.run("run", "sync", check=False)
        assert result.returncode == 0, result.stderr[-3000:]
    faults = dict(sandbox.stats.faults)
    assert faults.get("edit", 0) >= 20 and faults.get("token_expired", 0) >= 3, faults
    assert sum(v for k, v in faults.items() if k not in ("edit", "token_expired")) >= 3, faults
    # The edits stop; the next run delivers everything edited during the previous ones.
    sandbox.faults.edit_during_sync = 0
    result = project.run("run", "sync", check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert_warehouse_equals_catalog(warehouse, sandbox)


def _bookmarks(project: t.Any) -> dict[str, t.Any]:
    result = project.run("state", "get", "dev:tap-akeneo-to-target-postgres", check=False)
    if result.returncode != 0 or not result.stdout.strip():
        return {}
    return json.loads(result.stdout).get("singer_state", {}).get("bookmarks", {})


def test_kill_at_several_points_loses_nothing(sandbox_factory: t.Any, pipeline: t.Any) -> None:
    sandbox = sandbox_factory(products=300, product_models=40, seed=42)
    project, warehouse = pipeline(sandbox, page_size=10, overlap_seconds=5)
    sandbox.faults.latency = 0.05
    # Killed during the first (full) read: in product_models, early and late in products.
    for kill_after in (2, 9, 25):
        before = _bookmarks(project)
        sandbox.stats.reset()
        sandbox.faults.edit_during_sync = 1
        run = _popen(project, "run", "sync")
        _wait_for(lambda n=kill_after: sandbox.stats.total >= n, timeout=60)
        _kill_tap(run)
        assert run.wait(timeout=120) != 0
        after = _bookmarks(project)
        # no bookmark moved for a stream whose read did not complete
        assert after.get("products", {}).get("replication_key_value") == before.get("products", {}).get(
            "replication_key_value"
        )
    sandbox.faults.edit_during_sync = 0
    project.run("run", "sync")
    assert_warehouse_equals_catalog(warehouse, sandbox)

    # Killed during an incremental run over 60 edited products: the bookmark stays, the
    # next run delivers all 60.
    before = _bookmarks(project)["products"]["replication_key_value"]
    for uuid in sorted(sandbox.catalog.products)[:60]:
        sandbox.catalog.update_product(uuid, {"enabled": False})
    sandbox.stats.reset()
    run = _popen(project, "run", "sync")
    _wait_for(lambda: sandbox.stats.total >= 4, timeout=60)
    _kill_tap(run)
    assert run.wait(timeout=120) != 0
    assert _bookmarks(project)["products"]["replication_key_value"] == before
    sandbox.faults.latency = 0.0
    project.run("run", "sync")
    assert_warehouse_equals_catalog(warehouse, sandbox)
