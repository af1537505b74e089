"""Every stream against the sandbox PIM, on each Akeneo version and edition.

One full run per (version, edition), every stream selected (the long-format value streams
too), checked against the sandbox's own catalog: record counts, keys, child streams,
value rows, the products endpoint fallback before 7.0, the Enterprise skip on a
Community Edition, and every record against its stream schema.
"""

from __future__ import annotations

import typing as t
from collections import Counter

import jsonschema
import pytest

from tap_akeneo.sandbox import SandboxServer
from tap_akeneo.sandbox import structure as st
from tap_akeneo.versions import synthetic_uuid
from tests.conftest import tap_config
from tests.streams.runner import ALL, Run, run_tap

PRODUCTS = 40
MODELS = 10
RECORDS = 105  # more than one search_after page (Akeneo's default page is 100)
ASSETS = 4
PAGE = 7  # small pages: every offset list pages several times

EE_STREAMS = {
    "reference_entities",
    "reference_entity_attributes",
    "reference_entity_records",
    "asset_families",
    "asset_family_attributes",
    "assets",
}
SELECT_TYPES = ("pim_catalog_simpleselect", "pim_catalog_multiselect")
COMBOS = [("5.0", "ee"), ("6.0", "ee"), ("7.0", "ee"), ("saas", "ee"), ("7.0", "ce"), ("saas", "ce")]


class Result(t.NamedTuple):
    version: str
    edition: str
    sandbox: SandboxServer
    run: Run
    unmapped: list[tuple[str, tuple[str, ...]]]


@pytest.fixture(scope="module", params=COMBOS, ids=[f"{v}-{e}" for v, e in COMBOS])
def result(request: pytest.FixtureRequest) -> t.Iterator[Result]:
    version, edition = request.param
    sandbox = SandboxServer(
        products=PRODUCTS,
        product_models=MODELS,
        seed=21,
        port=0,
        akeneo_version=version,
        edition=edition,
        records_per_entity=RECORDS,
        assets_per_family=ASSETS,
    )
    sandbox.start()
    unmapped: list[tuple[str, tuple[str, ...]]] = []
    try:
        with pytest.MonkeyPatch.context() as mp:
            # The SDK warns (once per process) about record fields its schema lacks.
            mp.setattr(
                "singer_sdk.helpers._typing._warn_unmapped_properties",
                lambda stream, props, logger: unmapped.append((stream, props)),
            )
            run = run_tap(tap_config(sandbox, page_size=PAGE), ALL)
        yield Result(version, edition, sandbox, run, unmapped)
    finally:
        sandbox.stop()


def expected_counts(sandbox: SandboxServer, edition: str) -> dict[str, int]:
    catalog = sandbox.catalog
    counts = {
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
        "products": len(catalog.products),
        "product_models": len(catalog.product_models),
        "product_values": sum(len(e) for p in catalog.products.values() for e in p["values"].values()),
        "product_model_values": sum(
            len(e) for m in catalog.product_models.values() for e in m["values"].values()
        ),
    }
    if edition == "ee":
        counts.update(
            {
                "reference_entities": len(st.REFERENCE_ENTITIES),
                "reference_entity_attributes": (
                    len(st.REFERENCE_ENTITIES) * len(st.REFERENCE_ENTITY_ATTRIBUTES)
                ),
                "reference_entity_records": sum(len(r) for r in catalog.records.values()),
                "asset_families": len(st.ASSET_FAMILIES),
                "asset_family_attributes": len(st.ASSET_FAMILIES) * len(st.ASSET_ATTRIBUTES),
                "assets": sum(len(a) for a in catalog.assets.values()),
            }
        )
    return counts


def test_every_stream_reads_the_whole_catalog(result: Result) -> None:
    run = result.run
    got = Counter(m["stream"] for m in run.of_type("RECORD"))
    assert dict(got) == expected_counts(result.sandbox, result.edition)


def test_records_match_their_stream_schema(result: Result) -> None:
    schemas = {m["stream"]: m["schema"] for m in result.run.of_type("SCHEMA")}
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    for stream in result.run.streams():
        validator = jsonschema.Draft7Validator(schemas[stream], format_checker=checker)
        for record in result.run.records(stream):
            errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(record)]
            assert not errors, (stream, record, errors)
    # No field of the sandbox's answers is missing from a schema (the SDK would drop it).
    assert result.unmapped == []


def test_primary_keys_are_unique_and_never_null(result: Result) -> None:
    keys = {m["stream"]: m["key_properties"] for m in result.run.of_type("SCHEMA")}
    for stream in result.run.streams():
        seen = [tuple(r[k] for k in keys[stream]) for r in result.run.records(stream)]
        assert all(v is not None for key in seen for v in key), stream
        assert len(set(seen)) == len(seen), stream


def test_products_keyed_by_uuid_on_every_version(result: Result) -> None:
    catalog = result.sandbox.catalog
    products = result.run.records("products")
    if result.version in ("5.0", "6.0"):
        # /products: no uuid in the items, a uuid5 of the identifier instead.
        identifiers = {catalog.get_product(uuid).identifier for uuid in catalog.products}  # type: ignore[union-attr]
        assert {p["identifier"] for p in products} == identifiers
        assert all(p["uuid"] == synthetic_uuid(p["identifier"]) for p in products)
        assert any("no /api/rest/v1/products-uuid" in line for line in result.run.logs)
    else:
        assert {p["uuid"] for p in products} == set(catalog.products)
        assert all(p.get("identifier") is None for p in products)


def test_child_streams_carry_their_parent(result: Result) -> None:
    run = result.run
    variants = run.records("family_variants")
    assert {(v["family"], v["code"]) for v in variants} == {
        (f.code, v.code) for f in st.FAMILIES for v in f.variants
    }
    options = run.records("attribute_options")
    assert {o["attribute"] for o in options} == {a.code for a in st.ATTRIBUTES if a.type in SELECT_TYPES}
    assert {(o["attribute"], o["code"]) for o in options} == {
        (a.code, code) for a in st.ATTRIBUTES if a.type in SELECT_TYPES for code, _ in a.options
    }
    if result.edition == "ee":
        records = run.records("reference_entity_records")
        assert {(r["reference_entity"], r["code"]) for r in records} == {
            (e, r["code"]) for e, recs in result.sandbox.catalog.records.items() for r in recs
        }
        assets = run.records("assets")
        assert {(a["asset_family"], a["code"]) for a in assets} == {
            (f, a["code"]) for f, items in result.sandbox.catalog.assets.items() for a in items
        }
        attrs = run.records("reference_entity_attributes") + run.records("asset_family_attributes")
        assert all(a.get("reference_entity") or a.get("asset_family") for a in attrs)


def test_enterprise_streams_skipped_on_community_edition(result: Result) -> None:
    skipped = [line for line in result.run.logs if line.startswith("Skipping '")]
    if result.edition == "ee":
        assert not skipped
        return
    assert not EE_STREAMS & result.run.streams()
    # One informative line per top-level Enterprise stream (children included), no error.
    assert len(skipped) == 2, skipped
    assert any("'reference_entities' and its children" in line for line in skipped)
    assert any("'asset_families' and its children" in line for line in skipped)
    assert all("Enterprise Edition" in line for line in skipped)


@pytest.mark.parametrize(
    ("owners", "values", "key", "column"),
    [
        ("products", "product_values", "uuid", "product_uuid"),
        ("product_models", "product_model_values", "code", "product_model_code"),
    ],
)
def test_value_rows_one_per_owner_attribute_locale_scope(
    result: Result, owners: str, values: str, key: str, column: str
) -> None:
    owner_records = {o[key]: o for o in result.run.records(owners)}
    rows = result.run.records(values)
    expected = {
        (k, attribute, e["locale"] or "", e["scope"] or "")
        for k, o in owner_records.items()
        for attribute, entries in o["values"].items()
        for e in entries
    }
    assert {(r[column], r["attribute"], r["locale"], r["scope"]) for r in rows} == expected
    for row in rows:
        owner = owner_records[row[column]]
        entry = next(
            e
            for e in owner["values"][row["attribute"]]
            if (e["locale"] or "", e["scope"] or "") == (row["locale"], row["scope"])
        )
        assert row["data"] == entry["data"]
        assert row["updated"] == owner["updated"]
        assert row["attribute_type"] == st.ATTRIBUTES_BY_CODE[row["attribute"]].type
    # Null locales and scopes are "" in the key, never null.
    assert any(r["locale"] == "" for r in rows) and any(r["scope"] == "" for r in rows)
    assert any(r["locale"] != "" for r in rows)
    # SCHEMA once per run, although the rows come in batches.
    assert len(result.run.of_type("SCHEMA", values)) == 1


def test_categories_carry_updated_from_6_0(result: Result) -> None:
    categories = result.run.records("categories")
    if result.version == "5.0":
        assert all(c.get("updated") is None for c in categories)
    else:
        assert all(c["updated"].endswith("+00:00") for c in categories)
