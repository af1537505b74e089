"""The whole catalog into PostgreSQL: every stream, long-format values, and a reconcile that
marks a deleted attribute option, family variant and record, and a stale value row."""

from __future__ import annotations

import dataclasses
import time
import typing as t

import pytest

from tap_akeneo.demo.pim import PimClient
from tap_akeneo.sandbox import structure as st

pytestmark = pytest.mark.e2e

SELECT_TYPES = ("pim_catalog_simpleselect", "pim_catalog_multiselect")

#: The README's rule: a value row is current when it carries its owner's `updated`...
STALE_VALUE_ROWS = """
    select v.product_uuid, v.attribute, v.locale, v.scope
    from {schema}.product_values v join {schema}.products p on p.uuid = v.product_uuid
    where v.updated < p.updated and v._sdc_deleted_at is null
"""
#: ... and, exactly, when it was written by the same run as its owner row.
STALE_BY_VERSION = """
    select v.product_uuid, v.attribute, v.locale, v.scope
    from {schema}.product_values v join {schema}.products p on p.uuid = v.product_uuid
    where v._sdc_table_version < p._sdc_table_version and v._sdc_deleted_at is null
"""


def _counts(sandbox: t.Any) -> dict[str, int]:
    catalog = sandbox.catalog
    return {
        "products": len(catalog.products),
        "product_models": len(catalog.product_models),
        "product_values": sum(len(e) for p in catalog.products.values() for e in p["values"].values()),
        "product_model_values": sum(
            len(e) for m in catalog.product_models.values() for e in m["values"].values()
        ),
        "families": len(st.FAMILIES),
        "family_variants": sum(len(f.variants) for f in st.FAMILIES),
        "attributes": len(st.ATTRIBUTES),
        "attribute_options": sum(len(a.options) for a in st.ATTRIBUTES if a.type in SELECT_TYPES),
        "attribute_groups": len(st.ATTRIBUTE_GROUPS),
        "association_types": len(st.ASSOCIATION_TYPES),
        "categories": len(st.CATEGORIES),
        "channels": len(st.CHANNELS),
        "locales": len(st.LOCALES_ALL),
        "currencies": len(st.CURRENCIES),
        "measurement_families": len(st.MEASUREMENT_FAMILIES),
        "media_files": len(catalog.media_files()),
        "reference_entities": len(st.REFERENCE_ENTITIES),
        "reference_entity_attributes": len(st.REFERENCE_ENTITIES) * len(st.REFERENCE_ENTITY_ATTRIBUTES),
        "reference_entity_records": sum(len(r) for r in catalog.records.values()),
        "asset_families": len(st.ASSET_FAMILIES),
        "asset_family_attributes": len(st.ASSET_FAMILIES) * len(st.ASSET_ATTRIBUTES),
        "assets": sum(len(a) for a in catalog.assets.values()),
    }


def test_whole_catalog_into_postgres_and_reconcile(
    sandbox_factory: t.Any, pipeline: t.Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    sandbox = sandbox_factory(
        products=40, product_models=10, seed=31, records_per_entity=6, assets_per_family=3
    )
    # Every stream, the long-format value streams (off by default) too.
    project, warehouse = pipeline(sandbox, select=["*.*"], page_size=20)
    project.run("run", "sync")
    expected = _counts(sandbox)
    assert {table: warehouse.count(table) for table in expected} == expected
    column_types = dict(
        warehouse.query(
            "select column_name, data_type from information_schema.columns "
            "where table_schema = '{schema}' and table_name = 'product_values'"
        )
    )
    assert column_types["data"] == "jsonb" and column_types["locale"] == "text"
    # Values are queryable: a metric's amount, a price's currency, a select's code.
    metric = warehouse.query(
        "select data->>'unit' from {schema}.product_values where attribute = 'weight' limit 1"
    )
    assert metric and metric[0][0]
    assert warehouse.count("product_values", "locale = '' and scope = ''") > 0

    # An Akeneo user removes a value from a product; an option, a family variant and a
    # record are deleted (the sandbox has no delete routes for these: its static structure
    # is patched for this test, and restored after).
    pim = PimClient(sandbox.base_url, sandbox.credentials)
    owner = next(
        uuid
        for uuid, p in sorted(sandbox.catalog.products.items())
        if not p.get("parent") and any(e["locale"] == "fr_FR" for e in p["values"].get("name", []))
    )
    pim.patch_product(owner, {"values": {"name": [{"locale": "fr_FR", "scope": None, "data": None}]}})
    color = st.ATTRIBUTES_BY_CODE["color"]
    gone_option = color.options[-1][0]
    fewer_options = dataclasses.replace(color, options=color.options[:-1])
    monkeypatch.setitem(st.ATTRIBUTES_BY_CODE, "color", fewer_options)
    shoes = st.FAMILIES_BY_CODE["shoes"]
    gone_variant = shoes.variants[-1].code
    fewer_variants = dataclasses.replace(shoes, variants=shoes.variants[:-1])
    monkeypatch.setitem(st.FAMILIES_BY_CODE, "shoes", fewer_variants)
    with sandbox.catalog.lock:
        gone_record = sandbox.catalog.records["brands"].pop(0)["code"]
    time.sleep(1.1)  # the next run starts in a later second than the edit

    # The hourly sync: the product is read again; its removed value leaves a stale row,
    # which the README's rule tells apart.
    project.run("run", "sync")
    assert warehouse.query(STALE_VALUE_ROWS) == [(owner, "name", "fr_FR", "")]
    assert warehouse.query(STALE_BY_VERSION) == [(owner, "name", "fr_FR", "")]

    # The reconcile marks exactly what is gone.
    project.run("run", "reconcile")
    deleted = {
        "attribute_options": warehouse.query(
            "select attribute, code from {schema}.attribute_options where _sdc_deleted_at is not null"
        ),
        "family_variants": warehouse.query(
            "select family, code from {schema}.family_variants where _sdc_deleted_at is not null"
        ),
        "reference_entity_records": warehouse.query(
            "select reference_entity, code from {schema}.reference_entity_records "
            "where _sdc_deleted_at is not null"
        ),
        "product_values": warehouse.query(
            "select product_uuid, attribute, locale, scope from {schema}.product_values "
            "where _sdc_deleted_at is not null"
        ),
    }
    assert deleted == {
        "attribute_options": [("color", gone_option)],
        "family_variants": [("shoes", gone_variant)],
        "reference_entity_records": [("brands", gone_record)],
        "product_values": [(owner, "name", "fr_FR", "")],
    }
    for table in set(expected) - set(deleted):
        assert warehouse.count(table, "_sdc_deleted_at is not null") == 0, table
    assert warehouse.query(STALE_VALUE_ROWS) == warehouse.query(STALE_BY_VERSION) == []
