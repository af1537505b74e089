"""`meltano run tap-akeneo target-postgres` into real PostgreSQL against the sandbox."""

from __future__ import annotations

import datetime as dt
import json
import time
import typing as t

import pytest

from tap_akeneo.demo.pim import PimClient

pytestmark = pytest.mark.e2e

PRODUCTS = 230
MODELS = 45
OVERLAP = 60


def _now_sql() -> dt.datetime:
    # target-postgres stores timestamps without zone, in UTC
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _bookmark(project: t.Any, stream: str) -> dt.datetime:
    state = json.loads(project.run("state", "get", "dev:tap-akeneo-to-target-postgres").stdout)
    value = state["singer_state"]["bookmarks"][stream]["replication_key_value"]
    return dt.datetime.fromisoformat(value)


def _in_overlap(sandbox: t.Any, uuid: str, since: dt.datetime) -> bool:
    """Whether a product is legitimately re-read: it, or an ancestor model, was updated
    after ``since`` (Akeneo returns variants whose parent changed)."""
    catalog = sandbox.catalog
    product = catalog.products[uuid]
    stamps = [product["updated"]]
    parent = product.get("parent")
    while parent:
        model = catalog.product_models[parent]
        stamps.append(model["updated"])
        parent = model.get("parent")
    return any(dt.datetime.fromisoformat(s) > since for s in stamps)


def test_full_export_then_only_changes(sandbox_factory: t.Any, pipeline: t.Any) -> None:
    sandbox = sandbox_factory(products=PRODUCTS, product_models=MODELS, seed=7)
    # page_size 25: several pages of both streams
    project, warehouse = pipeline(sandbox, page_size=25, overlap_seconds=OVERLAP)

    project.run("run", "tap-akeneo", "target-postgres")
    assert warehouse.count("products") == PRODUCTS == len(sandbox.catalog.products)
    assert warehouse.count("product_models") == MODELS == len(sandbox.catalog.product_models)
    assert warehouse.keys("products", "uuid") == set(sandbox.catalog.products)
    assert warehouse.keys("product_models", "code") == set(sandbox.catalog.product_models)
    requests_full = sandbox.stats.total

    # An Akeneo user edits 5 products and creates one, through the API.
    bookmark = _bookmark(project, "products")
    pim = PimClient(sandbox.base_url, sandbox.credentials)
    changed = sorted(sandbox.catalog.products)[10:15]
    for n, uuid in enumerate(changed):
        pim.patch_product(
            uuid,
            {
                "enabled": False,
                "values": {"name": [{"locale": "en_US", "scope": None, "data": f"edited {n}"}]},
            },
        )
    created = pim.create_product(
        {"values": {"sku": [{"locale": None, "scope": None, "data": "NEW-SKU-1"}]}, "family": None}
    )
    time.sleep(1.1)  # the run starts in a later second than the edits

    started = _now_sql()
    project.run("run", "tap-akeneo", "target-postgres")
    fetched = warehouse.keys("products", "uuid", f"_sdc_extracted_at >= '{started.isoformat()}'")
    assert set(changed) | {created} <= fetched
    since = bookmark - dt.timedelta(seconds=OVERLAP)
    assert all(_in_overlap(sandbox, uuid, since) for uuid in fetched - set(changed) - {created})
    assert warehouse.count("products") == PRODUCTS + 1
    rows = warehouse.query(
        "select uuid, enabled, values->'name' from {schema}.products where uuid = any(%s)", changed
    )
    english = {r[0]: (r[1], next(v["data"] for v in r[2] if v["locale"] == "en_US")) for r in rows}
    assert english == {uuid: (False, f"edited {n}") for n, uuid in enumerate(changed)}
    assert sandbox.stats.total - requests_full < requests_full

    # No changes: the next run extracts nothing outside the overlap window.
    bookmark = _bookmark(project, "products")
    time.sleep(1.1)
    started = _now_sql()
    project.run("run", "tap-akeneo", "target-postgres")
    fetched = warehouse.keys("products", "uuid", f"_sdc_extracted_at >= '{started.isoformat()}'")
    since = bookmark - dt.timedelta(seconds=OVERLAP)
    assert all(_in_overlap(sandbox, uuid, since) for uuid in fetched)
    assert warehouse.count("products") == PRODUCTS + 1
