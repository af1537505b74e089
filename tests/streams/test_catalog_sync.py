"""How the catalog streams sync: reconcile messages, bookmarks, upgrades, settings.

Against the sandbox PIM over HTTP, with the tap run in-process (tests/streams/runner.py).
"""

from __future__ import annotations

import typing as t

import pytest
import responses

from tap_akeneo import versions
from tap_akeneo.passthrough import query_params
from tap_akeneo.tap import TapAkeneo
from tests.conftest import tap_config
from tests.streams.runner import ALL, Run, run_tap

PARENTS = {
    "families": ["family_variants"],
    "attributes": ["attribute_options"],
    "products": ["product_values"],
    "product_models": ["product_model_values"],
    "reference_entities": ["reference_entity_attributes", "reference_entity_records"],
    "asset_families": ["asset_family_attributes", "assets"],
}
SMALL = {"products": 30, "product_models": 8, "records_per_entity": 5, "assets_per_family": 4}


def last_index(run: Run, kind: str, stream: str) -> int:
    return max(i for i, m in enumerate(run.messages) if m["type"] == kind and m.get("stream") == stream)


# ----------------------------------------------------------------------------- reconcile
def test_reconcile_writes_one_activate_version_per_stream_after_its_last_record(
    sandbox_factory: t.Any,
) -> None:
    sandbox = sandbox_factory(seed=4, **SMALL)
    run = run_tap(
        tap_config(sandbox, emit_activate_version_messages=True, page_size=5), ALL, full_table=True
    )
    for parent, children in PARENTS.items():
        for stream in [parent, *children]:
            # Records, then exactly one ACTIVATE_VERSION: never before or between records.
            assert run.sequence(stream) == ["RECORD", "ACTIVATE_VERSION"], stream
            (activate,) = run.of_type("ACTIVATE_VERSION", stream)
            assert {m["version"] for m in run.of_type("RECORD", stream)} == {activate["version"]}
        for child in children:
            # A child's comes after its last parent record (so after every child record).
            assert last_index(run, "ACTIVATE_VERSION", child) > last_index(run, "RECORD", parent)
    for stream in ("categories", "channels", "media_files", "measurement_families"):
        assert run.sequence(stream) == ["RECORD", "ACTIVATE_VERSION"], stream


def test_children_of_an_incremental_read_never_reconcile(sandbox_factory: t.Any) -> None:
    """emit_activate_version_messages on an incremental run: the value rows of the
    products read since the bookmark are not the whole table, so no ACTIVATE_VERSION."""
    sandbox = sandbox_factory(seed=4, **SMALL)
    run = run_tap(tap_config(sandbox, emit_activate_version_messages=True), ALL)
    for stream in ("products", "product_values", "product_models", "product_model_values"):
        assert run.of_type("RECORD", stream)
        assert not run.of_type("ACTIVATE_VERSION", stream), stream
    assert not run.of_type("ACTIVATE_VERSION", "reference_entity_records")  # incremental too
    assert run.sequence("family_variants") == ["RECORD", "ACTIVATE_VERSION"]


def test_no_activate_version_for_enterprise_streams_a_community_pim_lacks(
    sandbox_factory: t.Any,
) -> None:
    sandbox = sandbox_factory(seed=4, edition="ce", **SMALL)
    run = run_tap(tap_config(sandbox, emit_activate_version_messages=True), ALL, full_table=True)
    for stream in ("reference_entities", "reference_entity_records", "asset_families", "assets"):
        assert not run.of_type("ACTIVATE_VERSION", stream), stream
        assert not run.of_type("RECORD", stream), stream
    assert run.sequence("attribute_options") == ["RECORD", "ACTIVATE_VERSION"]


# ----------------------------------------------------------------------------- bookmarks
def test_records_and_assets_are_incremental_per_parent(sandbox_factory: t.Any) -> None:
    sandbox = sandbox_factory(seed=6, **SMALL)
    config = tap_config(sandbox, overlap_seconds=0)
    select = ["reference_entities", "reference_entity_records", "asset_families", "assets"]
    first = run_tap(config, select)
    assert len(first.records("reference_entity_records")) == 3 * 5
    assert len(first.records("assets")) == 2 * 4
    bookmarks = first.state["bookmarks"]["reference_entity_records"]["partitions"]
    assert {p["context"]["reference_entity"] for p in bookmarks} == {"brands", "designers", "fabrics"}
    assert all(p["replication_key_value"].endswith("+00:00") for p in bookmarks)

    sandbox.set_clock_offset(120)  # the edits come after the first run, by the PIM's clock
    record = sandbox.catalog.records["designers"][2]["code"]
    asset = sandbox.catalog.assets["user_guides"][1]["code"]
    sandbox.catalog.touch_record("designers", record)
    sandbox.catalog.touch_asset("user_guides", asset)

    second = run_tap(config, select, state=first.state)
    assert [(r["reference_entity"], r["code"]) for r in second.records("reference_entity_records")] == [
        ("designers", record)
    ]
    assert [(a["asset_family"], a["code"]) for a in second.records("assets")] == [("user_guides", asset)]
    # Structure is full table: every entity again.
    assert len(second.records("reference_entities")) == 3


def test_upgrade_from_6_0_to_7_0_rereads_every_product_under_its_uuid(sandbox_factory: t.Any) -> None:
    old = sandbox_factory(seed=8, akeneo_version="6.0", **SMALL)
    select = ["products", "product_values"]
    first = run_tap(tap_config(old, overlap_seconds=0), select)
    state = first.state
    assert state["bookmarks"]["products"][versions.ENDPOINT_STATE_KEY] == versions.IDENTIFIER_PATH
    assert all(p["uuid"] == versions.synthetic_uuid(p["identifier"]) for p in first.records("products"))

    # Same PIM on 6.0 again: incremental, nothing changed.
    again = run_tap(tap_config(old, overlap_seconds=0), select, state=state)
    assert again.records("products") == []

    # The PIM upgraded to 7.0 (same catalog): the bookmark is set aside, all read again.
    new = sandbox_factory(seed=8, akeneo_version="7.0", **SMALL)
    upgraded = run_tap(tap_config(new, overlap_seconds=0, page_size=7), select, state=state)
    products = upgraded.records("products")
    assert {p["uuid"] for p in products} == set(new.catalog.products)
    assert {r["product_uuid"] for r in upgraded.records("product_values")} == set(new.catalog.products)
    assert len([line for line in upgraded.logs if "reading every product again" in line]) == 1
    assert upgraded.state["bookmarks"]["products"][versions.ENDPOINT_STATE_KEY] == versions.UUID_PATH

    # From then on, incremental again.
    after = run_tap(tap_config(new, overlap_seconds=0), select, state=upgraded.state)
    assert after.records("products") == []
    assert not any("reading every product again" in line for line in after.logs)


# ----------------------------------------------------------------------------- settings
def test_settings_are_passed_only_where_the_endpoint_has_them() -> None:
    config = {
        "base_url": "http://127.0.0.1:9",
        "access_token": "-",
        "scope": "mobile",
        "locales": ["en_US", "fr_FR"],
        "with_attribute_options": True,
        "with_quality_scores": True,
        "with_completenesses": True,
    }
    tap = TapAkeneo(config=config, setup_mapper=False)
    flags = {"with_attribute_options": "true", "with_quality_scores": "true"}
    filters = {"scope": "mobile", "locales": "en_US,fr_FR"}
    assert query_params(tap.config, tap.streams["products"].passthrough) == {
        **filters,
        **flags,
        "with_completenesses": "true",
    }
    assert query_params(tap.config, tap.streams["product_models"].passthrough) == {**filters, **flags}
    for name in ("reference_entity_records", "assets"):
        params = tap.streams[name].get_url_params({"reference_entity": "x", "asset_family": "y"}, None)
        assert params == {"channel": "mobile", "locales": "en_US,fr_FR"}, name
    for name in ("families", "attributes", "categories", "media_files", "reference_entities"):
        params = tap.streams[name].get_url_params(None, None)
        assert not set(params) & {"scope", "channel", "locales", *flags, "with_completenesses"}, name


def test_flags_and_filters_reach_the_pim(sandbox_factory: t.Any) -> None:
    sandbox = sandbox_factory(seed=9, **SMALL)
    config = tap_config(
        sandbox,
        scope="print",
        locales=["de_DE"],
        with_attribute_options=True,
        with_quality_scores=True,
        with_completenesses=True,
    )
    run = run_tap(config, ["products", "product_models", "product_values", "reference_entities",
                           "reference_entity_records"])
    products = run.records("products")
    assert products and all(p["quality_scores"] and p["completenesses"] for p in products)
    assert all(m["quality_scores"] for m in run.records("product_models"))
    rows = run.records("product_values")
    assert {r["scope"] for r in rows} <= {"", "print"}
    assert {r["locale"] for r in rows} <= {"", "de_DE"}
    selects = [r for r in rows if r["attribute_type"] == "pim_catalog_simpleselect"]
    assert selects and all(r["linked_data"]["code"] == r["data"] for r in selects)
    labels = [
        e for r in run.records("reference_entity_records") for e in r["values"].get("label", [])
    ]
    assert labels and {e["locale"] for e in labels} == {"de_DE"}


def test_attribute_types_read_once_when_attributes_are_not_selected(sandbox_factory: t.Any) -> None:
    sandbox = sandbox_factory(seed=10, **SMALL)
    run = run_tap(tap_config(sandbox), ["products", "product_values"])
    rows = run.records("product_values")
    assert rows and all(r["attribute_type"] for r in rows)
    assert sandbox.stats.requests[("GET", "/api/rest/v1/attributes")] == 1
    assert not run.records("attributes")


# ----------------------------------------------------------------------------- failures
@responses.activate
def test_a_parent_removed_mid_run_skips_its_children() -> None:
    base = "https://pim.example.com"
    responses.get(
        f"{base}/api/rest/v1/families",
        json={"_links": {}, "_embedded": {"items": [{"code": "gone"}, {"code": "kept"}]}},
    )
    responses.get(
        f"{base}/api/rest/v1/families/gone/variants",
        status=404,
        json={"code": 404, "message": 'Family "gone" does not exist.'},
    )
    responses.get(
        f"{base}/api/rest/v1/families/kept/variants",
        json={"_links": {}, "_embedded": {"items": [{"code": "v1"}]}},
    )
    run = run_tap({"base_url": base, "access_token": "t"}, ["families", "family_variants"])
    assert [r["code"] for r in run.records("families")] == ["gone", "kept"]
    assert run.records("family_variants") == [{"family": "kept", "code": "v1"}]
    assert any("no longer exists" in line for line in run.logs)


@responses.activate
def test_a_structure_endpoint_missing_is_an_error() -> None:
    """Only Enterprise streams are skipped on a 404; a missing structure endpoint is not."""
    base = "https://pim.example.com"
    responses.get(f"{base}/api/rest/v1/channels", status=404, json={"code": 404, "message": "x"})
    with pytest.raises(Exception, match="does not exist on this PIM"):
        run_tap({"base_url": base, "access_token": "t"}, ["channels"])


def _product_page(base: str, values: dict[str, t.Any]) -> dict[str, t.Any]:
    item = {"uuid": "0f0e0d0c-0000-4000-8000-000000000001", "updated": "2024-05-01T10:00:00+02:00", "values": values}
    return {"_links": {}, "_embedded": {"items": [item]}}


@responses.activate
def test_value_rows_without_types_when_attributes_cannot_be_read() -> None:
    base = "https://pim.example.com"
    values = {"name": [{"locale": "en_US", "scope": None, "data": "Shoe"}]}
    responses.get(f"{base}/api/rest/v1/products-uuid", json=_product_page(base, values))
    attributes = responses.get(
        f"{base}/api/rest/v1/attributes", status=403, json={"code": 403, "message": "Access forbidden."}
    )
    run = run_tap({"base_url": base, "access_token": "t"}, ["products", "product_values"])
    assert run.records("product_values") == [
        {
            "product_uuid": "0f0e0d0c-0000-4000-8000-000000000001",
            "attribute": "name",
            "locale": "en_US",
            "scope": "",
            "attribute_type": None,
            "data": "Shoe",
            "linked_data": None,
            "updated": "2024-05-01T08:00:00+00:00",
        }
    ]
    assert any("Cannot read the attribute types" in line for line in run.logs)
    assert attributes.call_count == 1


@responses.activate
def test_value_rows_take_the_type_saas_writes_in_each_value() -> None:
    base = "https://pim.example.com"
    values = {"weight": [{"locale": None, "scope": None, "data": {"amount": "1.5", "unit": "KILOGRAM"},
                          "attribute_type": "pim_catalog_metric"}]}
    responses.get(f"{base}/api/rest/v1/products-uuid", json=_product_page(base, values))
    attributes = responses.get(f"{base}/api/rest/v1/attributes", json={"_links": {}, "_embedded": {"items": []}})
    run = run_tap({"base_url": base, "access_token": "t"}, ["products", "product_values"])
    (row,) = run.records("product_values")
    assert row["attribute_type"] == "pim_catalog_metric"
    assert row["data"] == {"amount": "1.5", "unit": "KILOGRAM"}
    assert (row["locale"], row["scope"]) == ("", "")
    assert attributes.call_count == 0
