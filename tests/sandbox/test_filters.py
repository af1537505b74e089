"""The ``search`` filter on products and product models, and the value-filtering params."""

from __future__ import annotations

import json
import time

import pytest

from tap_akeneo.sandbox import SandboxServer

from .conftest import Client, akeneo_date, parse_ts, search

P = "/products-uuid"
FUTURE = 10 * 86400  # edits happen on a clock 10 days ahead, after every generated timestamp


def uuids(client: Client, filters: str, path: str = P, **params: str) -> set[str]:
    items = client.walk(path, {"search": filters, "limit": 100,
                               "pagination_type": "search_after", **params})
    return {i["uuid"] if "uuid" in i else i["code"] for i in items}


def edit_at(sb: SandboxServer, uids: list[str], offset: float) -> int:
    """Edit products with the server clock at ``offset``; returns the resulting ``updated``."""
    sb.set_clock_offset(offset)
    for uid in uids:
        sb.catalog.update_product(uid, {"enabled": True})
    return int(sb.clock.time())


def simple_products(sb: SandboxServer) -> list[str]:
    return [u for u in sb.catalog.products if sb.catalog.products[u]["parent"] is None]


def test_updated_rejects_iso_8601(client: Client) -> None:
    for value in ("2024-01-01T00:00:00", "2024-01-01T00:00:00Z", "2024-01-01", "2024-01-01 1:2:3",
                  "2024-01-01 00:00:00+00:00"):
        r = client.get(P, {"search": search(updated=[{"operator": ">", "value": value}])})
        assert r.status_code == 422, value
        assert r.json() == {"code": 422, "message": (
            'Property "updated" expects a string with the format "yyyy-mm-dd H:i:s" as data, '
            f'"{value}" given.')}
    r = client.get("/product-models",
                   {"search": search(created=[{"operator": "<", "value": "2024-01-01T00:00"}])})
    assert r.status_code == 422
    assert r.json()["message"].startswith('Property "created" expects a string with the format')


def test_updated_greater_than_is_strict_and_second_granular(client: Client,
                                                            sandbox: SandboxServer) -> None:
    a, b = simple_products(sandbox)[:2]
    t_a = edit_at(sandbox, [a], FUTURE)
    t_b = edit_at(sandbox, [b], FUTURE + 5)
    assert uuids(client, search(updated=[{"operator": ">", "value": akeneo_date(t_a - 1)}])) \
        == {a, b}
    assert uuids(client, search(updated=[{"operator": ">", "value": akeneo_date(t_a)}])) == {b}
    assert uuids(client, search(updated=[{"operator": "=", "value": akeneo_date(t_b)}])) == {b}
    got = uuids(client, search(updated=[{"operator": "<", "value": akeneo_date(t_b)}]))
    assert a in got and b not in got


def test_between_is_inclusive_and_not_between(client: Client, sandbox: SandboxServer) -> None:
    a, b, c = simple_products(sandbox)[:3]
    t_a = edit_at(sandbox, [a], FUTURE)
    edit_at(sandbox, [b], FUTURE + 10)
    t_c = edit_at(sandbox, [c], FUTURE + 20)
    between = [akeneo_date(t_a), akeneo_date(t_c)]
    assert uuids(client, search(updated=[{"operator": "BETWEEN", "value": between}])) == \
        {a, b, c}
    narrow = [akeneo_date(t_a + 1), akeneo_date(t_c - 1)]
    assert uuids(client, search(updated=[{"operator": "BETWEEN", "value": narrow}])) == {b}
    outside = uuids(client, search(updated=[{"operator": "NOT BETWEEN", "value": narrow}]))
    assert a in outside and c in outside and b not in outside
    r = client.get(P, {"search": search(updated=[{"operator": "BETWEEN",
                                                  "value": akeneo_date(t_a)}])})
    assert r.status_code == 422


def test_filters_are_anded(client: Client, sandbox: SandboxServer) -> None:
    a, b = simple_products(sandbox)[:2]
    t_a = edit_at(sandbox, [a], FUTURE)
    edit_at(sandbox, [b], FUTURE + 10)
    got = uuids(client, search(updated=[{"operator": ">", "value": akeneo_date(t_a - 1)},
                                        {"operator": "<", "value": akeneo_date(t_a + 5)}]))
    assert got == {a}


def test_since_last_n_days(client: Client, sandbox: SandboxServer) -> None:
    cat = sandbox.catalog
    now = time.time()
    expected = {u for u in cat.products if cat.effective_updated(cat.get_product(u)) >= now - 30 * 86400 + 2}  # type: ignore[arg-type]
    got = uuids(client, search(updated=[{"operator": "SINCE LAST N DAYS", "value": 30}]))
    assert expected <= got
    assert all(cat.effective_updated(cat.get_product(u)) >= now - 30 * 86400 - 5 for u in got)  # type: ignore[arg-type]


def test_server_timezone_interprets_filter_values(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    sb = make_sandbox(server_timezone="America/Los_Angeles")
    c = Client(sb)
    uid = simple_products(sb)[0]
    t = edit_at(sb, [uid], FUTURE)
    item = c.get_json(f"{P}/{uid}")
    assert item["updated"][-6:] in ("-08:00", "-07:00")
    assert parse_ts(item["updated"]) == t
    local = akeneo_date(t - 1, "America/Los_Angeles")
    assert uuids(c, search(updated=[{"operator": ">", "value": local}])) == {uid}
    # the same instant written in UTC reads as a later local time: nothing matches
    utc = akeneo_date(t - 1, "UTC")
    assert uuids(c, search(updated=[{"operator": ">", "value": utc}])) == set()


def test_variant_matches_through_its_ancestor(client: Client, sandbox: SandboxServer) -> None:
    cat = sandbox.catalog
    variant = next(u for u in cat.products
                   if cat.products[u]["parent"] and cat.get_model(cat.products[u]["parent"]).parent)  # type: ignore[union-attr]
    sub = cat.products[variant]["parent"]
    root = cat.get_model(sub).parent  # type: ignore[union-attr]
    own_updated = cat.products[variant]["updated"]
    sandbox.set_clock_offset(FUTURE)
    cat.update_product_model(root, {"categories": ["sales"]})
    t = int(sandbox.clock.time())
    flt = search(updated=[{"operator": ">", "value": akeneo_date(t - 1)}])
    got = uuids(client, flt)
    assert variant in got
    family = {u for u in cat.products if cat.products[u]["parent"] in
              {root, *cat.get_model(root).child_models}}  # type: ignore[union-attr]
    assert got == family
    item = next(i for i in client.walk(P, {"search": flt}) if i["uuid"] == variant)
    assert item["updated"] == own_updated  # keeps its own, older, updated
    models = uuids(client, flt, "/product-models")
    assert root in models and sub in models


def test_uuid_parent_family_enabled_filters(client: Client, sandbox: SandboxServer) -> None:
    cat = sandbox.catalog
    some = list(cat.products)[:3]
    assert uuids(client, search(uuid=[{"operator": "IN", "value": some}])) == set(some)
    variant = next(u for u in cat.products if cat.products[u]["parent"])
    parent = cat.products[variant]["parent"]
    got = uuids(client, search(parent=[{"operator": "=", "value": parent}]))
    assert variant in got
    assert all(cat.products[u]["parent"] == parent for u in got)
    fam = uuids(client, search(family=[{"operator": "IN", "value": ["shoes"]}]))
    assert fam == {u for u in cat.products if cat.products[u]["family"] == "shoes"}
    disabled = uuids(client, search(enabled=[{"operator": "=", "value": False}]))
    assert disabled == {u for u in cat.products if not cat.products[u]["enabled"]}
    roots = uuids(client, search(parent=[{"operator": "EMPTY"}]), "/product-models")
    assert roots == {c for c in cat.product_models if cat.product_models[c]["parent"] is None}


def test_search_errors(client: Client) -> None:
    r = client.get(P, {"search": "{not json"})
    assert r.status_code == 400
    assert r.json() == {"code": 400, "message": "Search query parameter should be valid JSON."}
    r = client.get(P, {"search": json.dumps({"updated": {"operator": ">"}})})
    assert r.status_code == 422
    assert r.json()["message"].startswith('Structure of filter "updated" should respect')
    r = client.get(P, {"search": json.dumps({"updated": [{"value": "x"}]})})
    assert r.json() == {"code": 422, "message": 'Operator is missing for the property "updated".'}
    r = client.get(P, {"search": search(updated=[{"operator": "CONTAINS", "value": "x"}])})
    assert r.json() == {"code": 422, "message":
                        'Filter on property "updated" is not supported or does not support '
                        'operator "CONTAINS"'}
    r = client.get(P, {"search": search(colour=[{"operator": "=", "value": "red"}])})
    assert r.status_code == 422
    r = client.get(P, {"search": search(categories=[{"operator": "IN", "value": ["nope"]}])})
    assert r.json() == {"code": 422, "message": 'Category "nope" does not exist.'}


@pytest.mark.parametrize("path", [P, "/product-models"])
def test_scope_locales_attributes_filter_values(client: Client, path: str) -> None:
    items = client.walk(path, {"scope": "mobile", "locales": "fr_FR", "limit": 50})
    assert items
    for item in items:
        for entries in item["values"].values():
            for e in entries:
                assert e["scope"] in (None, "mobile")
                assert e["locale"] in (None, "fr_FR")
    items = client.walk(path, {"attributes": "name,brand", "limit": 50})
    assert all(set(i["values"]) <= {"name", "brand"} for i in items)
    assert client.get(path, {"scope": "web"}).json() == \
        {"code": 422, "message": 'Scope "web" does not exist.'}
    assert client.get(path, {"locales": "es_ES"}).json()["message"] == \
        'Locale "es_ES" does not exist or is not activated.'
    assert client.get(path, {"attributes": "nope"}).json()["message"] == \
        'Attribute "nope" does not exist.'


def test_scope_restricts_products_to_the_channel_tree(client: Client,
                                                      sandbox: SandboxServer) -> None:
    cat = sandbox.catalog
    printed = {i["uuid"] for i in client.walk(P, {"scope": "print", "limit": 100})}
    expected = {u for u in cat.products
                if any(c.startswith("print") for c in cat.products[u]["categories"])}
    assert printed == expected
    assert printed != set(cat.products)
