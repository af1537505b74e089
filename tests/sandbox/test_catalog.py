"""The catalog generator and store: determinism, shapes, timestamps, writes."""

from __future__ import annotations

import json
import re
import time
import uuid as uuidlib
from datetime import datetime

import pytest

from tap_akeneo.sandbox.catalog import Catalog, CatalogError, Clock, NotFound

NOW = 1_780_000_000  # a fixed generation anchor for determinism checks
ISO_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}")


def make(**kw: object) -> Catalog:
    args: dict = {"products": 120, "product_models": 25, "seed": 7, "now": NOW,
                  "base_url": "http://127.0.0.1:1"}
    args.update(kw)
    return Catalog(**args)


def test_generation_is_deterministic_under_the_seed() -> None:
    a, b = make(), make()
    assert list(a.products) == list(b.products)
    assert list(a.product_models) == list(b.product_models)
    assert [a.products[u] for u in a.products] == [b.products[u] for u in b.products]
    assert [a.product_models[c] for c in a.product_models] == \
        [b.product_models[c] for c in b.product_models]
    c = make(seed=8)
    assert list(c.products) != list(a.products)


def test_counts_variants_and_model_levels() -> None:
    cat = make()
    assert len(cat.products) == 120
    assert len(cat.product_models) == 25
    models = [cat.product_models[c] for c in cat.product_models]
    roots = [m for m in models if m["parent"] is None]
    subs = [m for m in models if m["parent"] is not None]
    assert roots and subs, "both root models and sub-models (2-level variants)"
    products = [cat.products[u] for u in cat.products]
    variants = [p for p in products if p["parent"] is not None]
    simple = [p for p in products if p["parent"] is None]
    assert variants and simple
    codes = {m["code"] for m in models}
    assert all(p["parent"] in codes for p in variants)
    # a variant's family is its model's family
    for p in variants:
        assert p["family"] == cat.product_models[p["parent"]]["family"]


def test_product_shape_uuid_and_values() -> None:
    cat = make()
    for uid in list(cat.products)[:40]:
        p = cat.products[uid]
        assert set(p) == {"uuid", "enabled", "family", "categories", "groups", "parent",
                          "values", "created", "updated", "associations",
                          "quantified_associations", "metadata"}
        assert "identifier" not in p
        assert uuidlib.UUID(p["uuid"]).version == 4
        assert p["values"]["sku"][0] == {"locale": None, "scope": None,
                                         "data": p["values"]["sku"][0]["data"]}
        for entries in p["values"].values():
            for e in entries:
                assert {"locale", "scope", "data"} <= set(e)
        assert set(p["associations"]) == {"PACK", "SUBSTITUTION", "UPSELL", "X_SELL"}
        for group in p["associations"].values():
            assert set(group) == {"products", "product_models", "groups"}
        assert p["metadata"] == {"workflow_status": "working_copy"}


def test_realistic_value_types_present() -> None:
    cat = make(products=200)
    types: dict[str, object] = {}
    for uid in cat.products:
        for code, entries in cat.products[uid]["values"].items():
            types.setdefault(code, entries[0])
    assert isinstance(types["price"]["data"], list)  # type: ignore[index]
    assert set(types["weight"]["data"]) == {"amount", "unit"}  # type: ignore[index]
    assert isinstance(types["material"]["data"], list)  # type: ignore[index]
    assert isinstance(types["is_featured"]["data"], bool)  # type: ignore[index]
    assert ISO_RE.fullmatch(types["release_date"]["data"])  # type: ignore[index]
    assert "_links" in types["main_image"]  # type: ignore[operator]
    # localizable + scopable description covers channel/locale pairs
    desc = next(cat.products[u]["values"]["description"] for u in cat.products)
    assert {(e["scope"], e["locale"]) for e in desc} >= {("ecommerce", "en_US"),
                                                         ("mobile", "fr_FR")}


def test_default_profile_payload_size() -> None:
    cat = make(products=300, product_models=60)
    sizes = [len(cat.product_bytes(cat.get_product(u))) for u in cat.products]  # type: ignore[arg-type]
    mean = sum(sizes) / len(sizes)
    assert 2000 <= mean <= 3300, mean


def test_timestamps_past_year_created_before_updated() -> None:
    cat = make()
    for uid in cat.products:
        p = cat.products[uid]
        assert ISO_RE.fullmatch(p["created"]) and p["created"].endswith("+00:00")
        created = datetime.fromisoformat(p["created"]).timestamp()
        updated = datetime.fromisoformat(p["updated"]).timestamp()
        assert NOW - 366 * 86400 <= created <= updated <= NOW


def test_timestamps_rendered_in_server_zone() -> None:
    cat = make(server_timezone="Europe/Paris")
    p = cat.products[next(iter(cat.products))]
    assert p["updated"][-6:] in ("+01:00", "+02:00")


def test_products_ordered_by_uuid_models_by_creation() -> None:
    cat = make()
    uuids = list(cat.products)
    assert uuids == sorted(uuids)
    ids = [cat.get_model(c).id for c in cat.product_models]  # type: ignore[union-attr]
    assert ids == sorted(ids)


def test_variant_values_include_ancestor_values() -> None:
    cat = make()
    variant = next(cat.products[u] for u in cat.products if cat.products[u]["parent"])
    model = cat.product_models[variant["parent"]]
    for code in model["values"]:
        assert code in variant["values"]
    assert set(model["categories"]) <= set(variant["categories"])


def test_update_product_merges_and_bumps_updated() -> None:
    clock = Clock()
    cat = make(clock=clock)
    uid = next(u for u in cat.products if cat.products[u]["parent"] is None)
    before = cat.products[uid]
    clock.offset = 3600
    cat.update_product(uid, {
        "enabled": False,
        "values": {"name": [{"locale": "fr_FR", "scope": None, "data": "Nouveau nom"}]},
    })
    after = cat.products[uid]
    assert after["enabled"] is False
    names = {e["locale"]: e["data"] for e in after["values"]["name"]}
    assert names["fr_FR"] == "Nouveau nom"
    assert names["en_US"] == {e["locale"]: e["data"] for e in before["values"]["name"]}["en_US"]
    assert datetime.fromisoformat(after["updated"]).timestamp() == pytest.approx(
        time.time() + 3600, abs=5)
    assert after["created"] == before["created"]
    # null data removes the value
    cat.update_product(uid, {"values": {"name": [{"locale": "fr_FR", "scope": None,
                                                   "data": None}]}})
    assert "fr_FR" not in {e["locale"] for e in cat.products[uid]["values"]["name"]}


def test_update_product_rejects_unknown_property_and_attribute() -> None:
    cat = make()
    uid = next(iter(cat.products))
    with pytest.raises(CatalogError, match='Property "colour" does not exist'):
        cat.update_product(uid, {"colour": "red"})
    with pytest.raises(CatalogError, match='"nope" attribute does not exist'):
        cat.update_product(uid, {"values": {"nope": []}})
    with pytest.raises(NotFound):
        cat.update_product("00000000-0000-4000-8000-000000000000", {})


def test_create_and_delete_product() -> None:
    cat = make()
    uid = cat.create_product({"values": {"sku": [{"locale": None, "scope": None,
                                                  "data": "new-sku"}]},
                              "family": "accessories", "categories": ["accessories_bags"]})
    assert uid in cat.products
    assert list(cat.products) == sorted(cat.products)
    p = cat.products[uid]
    assert p["created"] == p["updated"]
    assert cat.get_product_by_identifier("NEW-SKU").uuid == uid  # type: ignore[union-attr]
    with pytest.raises(CatalogError):
        cat.create_product({"values": {"sku": [{"locale": None, "scope": None,
                                                "data": "New-Sku"}]}})
    cat.delete_product(uid)
    assert uid not in cat.products
    assert cat.get_product_by_identifier("new-sku") is None
    with pytest.raises(NotFound):
        cat.delete_product(uid)


def test_delete_model_cascades_to_sub_models_and_variants() -> None:
    cat = make()
    root = next(c for c in cat.product_models
                if cat.get_model(c).child_models)  # type: ignore[union-attr]
    subs = list(cat.get_model(root).child_models)  # type: ignore[union-attr]
    doomed = {u for u in cat.products
              if cat.products[u]["parent"] in {root, *subs}}
    assert doomed
    n = len(cat.products)
    cat.delete_product_model(root)
    assert root not in cat.product_models
    assert not any(s in cat.product_models for s in subs)
    assert len(cat.products) == n - len(doomed)
    assert not doomed & set(cat.products)


def test_update_model_invalidates_variant_cache() -> None:
    cat = make()
    variant_uid = next(u for u in cat.products if cat.products[u]["parent"])
    parent = cat.products[variant_uid]["parent"]
    root = cat.get_model(parent)
    assert root is not None
    code = root.code if root.parent is None else root.parent
    cat.update_product_model(code, {"values": {"name": [
        {"locale": "en_US", "scope": None, "data": "Renamed model"}]}})
    names = {e["locale"]: e["data"] for e in cat.products[variant_uid]["values"]["name"]}
    assert names["en_US"] == "Renamed model"


def test_cached_bytes_match_the_dict_view() -> None:
    cat = make()
    for uid in list(cat.products)[:20]:
        rec = cat.get_product(uid)
        assert rec is not None
        assert json.loads(cat.product_bytes(rec)) == cat.products[uid]
        assert cat.product_bytes(rec) is cat.product_bytes(rec)  # cached


def test_large_generation_is_fast() -> None:
    t0 = time.perf_counter()
    cat = Catalog(products=20_000, product_models=4_000, seed=3)
    assert len(cat.products) == 20_000
    assert time.perf_counter() - t0 < 2.0


def test_generated_and_edited_representations_agree() -> None:
    """The fast path (pre-serialized fragments) and the dict path (after an edit) agree."""
    cat = make(products=150, product_models=30)
    uuids = list(cat.products)
    before = {u: cat.products[u] for u in uuids}
    models_before = {c: cat.product_models[c] for c in cat.product_models}
    for code in cat.product_models:
        model = cat.get_model(code)
        assert model is not None
        cat._materialize(model)
        model.cache = None
    for u in uuids:
        rec = cat.get_product(u)
        assert rec is not None
        ident_before = json.loads(cat.product_bytes(rec, "ident"))
        cat._materialize(rec)
        rec.cache = rec.cache_ident = None
        assert cat.products[u] == before[u]
        assert json.loads(cat.product_bytes(rec, "ident")) == ident_before
    assert {c: cat.product_models[c] for c in cat.product_models} == models_before


def test_cache_can_be_disabled() -> None:
    cached, uncached = make(), make(cache=False)
    uid = next(iter(cached.products))
    rec = uncached.get_product(uid)
    assert rec is not None
    assert uncached.product_bytes(rec) == cached.product_bytes(cached.get_product(uid))  # type: ignore[arg-type]
    assert rec.cache is None
