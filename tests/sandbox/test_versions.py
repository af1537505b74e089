"""Akeneo versions (5.0, 6.0, 7.0, SaaS) and editions (EE, CE)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from tap_akeneo.sandbox import SandboxServer

from .conftest import Client, akeneo_date, search

VERSIONS = ["5.0", "6.0", "7.0", "saas"]


def next_token(page: dict) -> str:
    return dict(parse_qsl(urlsplit(page["_links"]["next"]["href"]).query))["search_after"]


@pytest.mark.parametrize("version", VERSIONS)
def test_products_endpoints_per_version(make_sandbox, version: str) -> None:  # type: ignore[no-untyped-def]
    sb = make_sandbox(akeneo_version=version, products=30, product_models=6)
    c = Client(sb)
    uuid_route = c.get("/products-uuid")
    page = c.get_json("/products", {"pagination_type": "search_after", "limit": 10})
    item = page["_embedded"]["items"][0]
    assert "identifier" in item
    items = c.walk("/products", {"pagination_type": "search_after", "limit": 7})
    assert len(items) == 30
    if version in ("5.0", "6.0"):
        assert uuid_route.status_code == 404
        assert "uuid" not in item
        # ordered by internal id, with an opaque cursor
        assert next_token(page) != page["_embedded"]["items"][-1]["identifier"]
        cat = sb.catalog
        seqs = [cat.get_product_by_identifier(i["identifier"]).seq for i in items]  # type: ignore[union-attr]
        assert seqs == sorted(seqs)
    else:
        assert uuid_route.status_code == 200
        assert "uuid" in item
        assert next_token(page) == page["_embedded"]["items"][-1]["identifier"]
        idents = [i["identifier"] for i in items]
        assert idents == sorted(idents, key=str.lower)
    single = c.get_json(f"/products/{item['identifier']}")
    assert single["identifier"] == item["identifier"]


@pytest.mark.parametrize("version", VERSIONS)
def test_system_information_and_categories_updated(make_sandbox, version: str) -> None:  # type: ignore[no-untyped-def]
    sb = make_sandbox(akeneo_version=version, products=5, product_models=1)
    c = Client(sb)
    info = c.get("/system-information")
    cats = c.get_json("/categories")["_embedded"]["items"]
    flt = search(updated=[{"operator": ">", "value": "2000-01-01T00:00:00Z"}])
    filtered = c.get("/categories", {"search": flt})
    if version == "5.0":
        assert info.status_code == 404
        assert all("updated" not in cat for cat in cats)
        assert filtered.status_code == 422
    else:
        assert info.status_code == 200
        expected = {"6.0": {"version": "6.0.58", "edition": "EE"},
                    "7.0": {"version": "7.0.42", "edition": "EE"},
                    "saas": {"version": "20251119120000", "edition": "Serenity"}}[version]
        assert info.json() == expected
        assert all("updated" in cat for cat in cats)
        assert filtered.status_code == 200


def test_saas_extras(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    sb = make_sandbox(akeneo_version="saas", products=30, product_models=6)
    c = Client(sb)
    items = c.walk("/products-uuid", {"with_root_parent": "true", "limit": 50})
    variants = [i for i in items if i["parent"]]
    assert variants and all(i["root_parent"] for i in variants)
    assert all(i["root_parent"] is None for i in items if not i["parent"])
    sku = c.get_json("/attributes/sku")
    assert sku["is_main_identifier"] is True
    assert c.get_json("/families/clothing")["parent"] is None
    assert c.get_json("/system-information")["edition"] == "Serenity"


def test_community_edition(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    sb = make_sandbox(edition="ce", products=10, product_models=2)
    c = Client(sb)
    assert c.get_json("/system-information") == {"version": "7.0.42", "edition": "CE"}
    for path in ("/products-uuid", "/product-models", "/products"):
        for item in c.walk(path, {"limit": 100}):
            assert "metadata" not in item
    assert c.get("/reference-entities").status_code == 404


def test_identifier_items_before_7_have_no_uuid_and_identifier_associations(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    sb = make_sandbox(akeneo_version="6.0", products=60, product_models=10)
    c = Client(sb)
    items = c.walk("/products", {"limit": 100})
    idents = {i["identifier"] for i in items}
    linked = [p for i in items for p in i["associations"]["X_SELL"]["products"]]
    assert linked and set(linked) <= idents


def test_filters_on_identifier_endpoint(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    sb = make_sandbox(akeneo_version="5.0", products=30, product_models=6)
    c = Client(sb)
    ident = c.walk("/products")[0]["identifier"]
    uid = sb.catalog.get_product_by_identifier(ident).uuid  # type: ignore[union-attr]
    sb.set_clock_offset(600)
    sb.catalog.update_product(uid, {"enabled": False})
    t = int(sb.clock.time())
    got = c.walk("/products", {"search": search(updated=[{"operator": ">",
                                                          "value": akeneo_date(t - 1)}])})
    assert [i["identifier"] for i in got] == [ident]


def test_invalid_version_and_edition_are_rejected() -> None:
    with pytest.raises(ValueError):
        SandboxServer(products=1, product_models=0, akeneo_version="4.0")
    with pytest.raises(ValueError):
        SandboxServer(products=1, product_models=0, edition="growth")
