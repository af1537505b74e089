"""The reconcile job: deletions reach PostgreSQL, and a failed reconcile changes nothing."""

from __future__ import annotations

import signal
import subprocess
import threading
import time
import typing as t

import pytest

from tap_akeneo.demo.pim import PimClient

pytestmark = pytest.mark.e2e

PRODUCTS = 120
MODELS = 24
#: The failure tests time their faults by request counts: products and models only.
PRODUCT_STREAMS = ["products.*", "product_models.*"]


def _victims(sandbox: t.Any) -> tuple[list[str], str, set[str]]:
    """Three simple products, and one root model with the products below it."""
    catalog = sandbox.catalog
    simple = sorted(uuid for uuid, p in catalog.products.items() if not p.get("parent"))[:3]
    models = catalog.product_models
    root = next(
        code
        for code in sorted(models)
        if not models[code].get("parent")
        and any(p.get("parent") for p in catalog.products.values())
        and _below(catalog, code)
    )
    return simple, root, _below(catalog, root)


def _below(catalog: t.Any, root: str) -> set[str]:
    sub = {code for code, m in catalog.product_models.items() if m.get("parent") == root}
    return {uuid for uuid, p in catalog.products.items() if p.get("parent") in sub | {root}}


def _submodels(catalog: t.Any, root: str) -> set[str]:
    return {code for code, m in catalog.product_models.items() if m.get("parent") == root}


def _snapshot(warehouse: t.Any) -> dict[str, list[tuple[t.Any, ...]]]:
    return {
        "products": sorted(
            warehouse.query("select uuid, _sdc_deleted_at, values::text from {schema}.products")
        ),
        "product_models": sorted(
            warehouse.query("select code, _sdc_deleted_at, values::text from {schema}.product_models")
        ),
    }


@pytest.mark.parametrize("hard_delete", [False, True], ids=["soft", "hard"])
def test_reconcile_marks_exactly_what_was_deleted(
    sandbox_factory: t.Any, pipeline: t.Any, hard_delete: bool
) -> None:
    sandbox = sandbox_factory(products=PRODUCTS, product_models=MODELS, seed=11)
    project, warehouse = pipeline(sandbox, page_size=50)
    if hard_delete:
        project.env["TARGET_POSTGRES_HARD_DELETE"] = "true"
    project.run("run", "sync")
    assert warehouse.count("products") == PRODUCTS

    simple, root, below = _victims(sandbox)
    gone_models = {root} | _submodels(sandbox.catalog, root)
    pim = PimClient(sandbox.base_url, sandbox.credentials)
    for uuid in simple:
        pim.delete_product(uuid)
    pim.delete_product_model(root)  # Akeneo removes its sub-models and variants with it
    assert not below & set(sandbox.catalog.products)

    project.run("run", "reconcile")
    gone_products = set(simple) | below
    if hard_delete:
        assert warehouse.keys("products", "uuid") == set(sandbox.catalog.products)
        assert warehouse.keys("product_models", "code") == set(sandbox.catalog.product_models)
    else:
        assert warehouse.keys("products", "uuid", "_sdc_deleted_at is not null") == gone_products
        assert warehouse.keys("products", "uuid", "_sdc_deleted_at is null") == set(sandbox.catalog.products)
        assert warehouse.keys("product_models", "code", "_sdc_deleted_at is not null") == gone_models
        assert warehouse.count("products") == PRODUCTS

    # sync after reconcile extracts only what changed, and does not undo the deletions
    changed = sorted(sandbox.catalog.products)[0]
    pim.patch_product(changed, {"enabled": False})
    result = project.run("run", "sync")
    assert "Summary of 'products'" in result.stderr
    assert warehouse.keys("products", "uuid", "_sdc_deleted_at is null") == set(sandbox.catalog.products)
    if not hard_delete:
        assert warehouse.keys("products", "uuid", "_sdc_deleted_at is not null") == gone_products


def test_recreated_product_is_live_after_next_reconcile(sandbox_factory: t.Any, pipeline: t.Any) -> None:
    sandbox = sandbox_factory(products=60, product_models=10, seed=12)
    project, warehouse = pipeline(sandbox)
    project.run("run", "sync")
    pim = PimClient(sandbox.base_url, sandbox.credentials)
    uuid = sorted(u for u, p in sandbox.catalog.products.items() if not p.get("parent"))[0]
    body = {
        k: v for k, v in sandbox.catalog.products[uuid].items() if k not in ("created", "updated", "metadata")
    }
    pim.delete_product(uuid)
    project.run("run", "reconcile")
    assert warehouse.keys("products", "uuid", "_sdc_deleted_at is not null") == {uuid}
    assert pim.create_product(body) == uuid
    project.run("run", "reconcile")
    assert warehouse.count("products", "_sdc_deleted_at is not null") == 0
    assert uuid in warehouse.keys("products", "uuid")


@pytest.mark.parametrize("failure", ["drop", "500", "kill"])
def test_failed_reconcile_changes_nothing(sandbox_factory: t.Any, pipeline: t.Any, failure: str) -> None:
    sandbox = sandbox_factory(products=PRODUCTS, product_models=MODELS, seed=13)
    project, warehouse = pipeline(sandbox, select=PRODUCT_STREAMS, page_size=20, max_retries=2)
    project.run("run", "sync")
    pim = PimClient(sandbox.base_url, sandbox.credentials)
    for uuid in sorted(u for u, p in sandbox.catalog.products.items() if not p.get("parent"))[:3]:
        pim.delete_product(uuid)
    before = _snapshot(warehouse)

    if failure == "kill":
        sandbox.faults.latency = 0.2
        sandbox.stats.reset()
        proc = _popen(project, "run", "reconcile")
        _wait_for(lambda: sandbox.stats.total > 6, timeout=60)
        _kill_tap(proc)
        proc.wait(timeout=60)
        sandbox.faults.latency = 0.0
    else:
        sandbox.faults.fail_after_requests = 4  # a few pages in, then every request fails
        sandbox.faults.fail_mode = failure
        result = project.run("run", "reconcile", check=False)
        assert result.returncode != 0
        assert "giving up" in result.stderr
        sandbox.faults.fail_after_requests = None

    assert _snapshot(warehouse) == before
    assert warehouse.count("products", "_sdc_deleted_at is not null") == 0


def _popen(project: t.Any, *args: str) -> subprocess.Popen[bytes]:
    from tap_akeneo.demo.meltano import meltano_executable

    return subprocess.Popen(
        [meltano_executable(), *args],
        cwd=project.root,
        env=project.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_for(condition: t.Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def _kill_tap(meltano: subprocess.Popen[bytes]) -> None:
    """kill -9 the tap process that this `meltano run` started."""
    import psutil

    for child in psutil.Process(meltano.pid).children(recursive=True):
        if "tap-akeneo" in " ".join(child.cmdline()):
            child.send_signal(signal.SIGKILL)
            return
    raise AssertionError("no tap process found")


def test_sync_during_reconcile_waits_and_never_marks_live_rows(
    sandbox_factory: t.Any, pipeline: t.Any
) -> None:
    sandbox = sandbox_factory(products=PRODUCTS, product_models=MODELS, seed=14)
    project, warehouse = pipeline(sandbox, select=PRODUCT_STREAMS, page_size=10)
    project.run("run", "sync")
    pim = PimClient(sandbox.base_url, sandbox.credentials)
    deleted = sorted(u for u, p in sandbox.catalog.products.items() if not p.get("parent"))[0]
    pim.delete_product(deleted)

    sandbox.faults.latency = 0.4  # the reconcile takes several seconds
    sandbox.stats.reset()
    reconcile = _popen(project, "run", "reconcile")
    _wait_for(lambda: sandbox.stats.total > 3, timeout=60)
    # While the reconcile runs, a user edits a product and the hourly sync fires.
    edited = sorted(u for u in sandbox.catalog.products if u != deleted)[5]
    pim.patch_product(edited, {"enabled": False})
    sync_result: dict[str, t.Any] = {}
    sync = threading.Thread(target=lambda: sync_result.update(r=project.run("run", "sync", check=False)))
    sync.start()
    assert reconcile.wait(timeout=300) == 0
    sync.join(timeout=300)
    assert sync_result["r"].returncode == 0, sync_result["r"].stderr[-2000:]
    assert "waiting for it to finish" in sync_result["r"].stderr

    assert sandbox.stats.max_in_flight <= 4
    assert warehouse.keys("products", "uuid", "_sdc_deleted_at is not null") == {deleted}
    assert warehouse.keys("products", "uuid", "_sdc_deleted_at is null") == set(sandbox.catalog.products)
    rows = warehouse.query("select enabled from {schema}.products where uuid = %s", edited)
    assert rows == [(False,)]
