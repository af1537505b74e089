"""List envelopes, links and pagination in both modes; limit/page/with_count validation."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from tap_akeneo.sandbox import SandboxServer

from .conftest import Client

P = "/products-uuid"


def query(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(href).query, keep_blank_values=True)


def test_offset_envelope_and_default_links(client: Client, sandbox: SandboxServer) -> None:
    page = client.get_json(P)
    assert list(page) == ["_links", "current_page", "_embedded"]
    assert page["current_page"] == 1
    assert "items_count" not in page
    base = f"{sandbox.base_url}/api/rest/v1/products-uuid"
    assert page["_links"]["self"]["href"] == \
        f"{base}?page=1&with_count=false&pagination_type=page&limit=10"
    assert page["_links"]["first"]["href"] == page["_links"]["self"]["href"]
    assert "previous" not in page["_links"]
    assert page["_links"]["next"]["href"] == \
        f"{base}?page=2&with_count=false&pagination_type=page&limit=10"
    items = page["_embedded"]["items"]
    assert len(items) == 10
    for item in items:
        assert item["_links"] == {"self": {"href": f"{base}/{item['uuid']}"}}
        assert "identifier" not in item
    uuids = [i["uuid"] for i in items]
    assert uuids == sorted(uuids)


def test_offset_full_last_page_links_to_an_empty_page(client: Client) -> None:
    # 60 products, limit 20: page 3 is full, so it links to an empty page 4
    p3 = client.get_json(P, {"page": 3, "limit": 20, "with_count": "true"})
    assert p3["items_count"] == 60
    assert len(p3["_embedded"]["items"]) == 20
    assert dict(query(p3["_links"]["previous"]["href"]))["page"] == "2"
    p4 = client.get_json(p3["_links"]["next"]["href"])
    assert p4["current_page"] == 4
    assert p4["_embedded"]["items"] == []
    assert "next" not in p4["_links"]
    assert dict(query(p4["_links"]["previous"]["href"]))["page"] == "3"
    assert query(p4["_links"]["self"]["href"]) == [
        ("page", "4"), ("with_count", "true"), ("pagination_type", "page"), ("limit", "20")]


def test_offset_walk_returns_every_product_once(client: Client, sandbox: SandboxServer) -> None:
    items = client.walk(P, {"limit": 7})
    uuids = [i["uuid"] for i in items]
    assert uuids == sorted(sandbox.catalog.products)


def test_search_after_envelope_and_cursor(client: Client, sandbox: SandboxServer) -> None:
    page = client.get_json(P, {"pagination_type": "search_after", "limit": 20})
    assert list(page) == ["_links", "_embedded"]
    links = page["_links"]
    assert set(links) == {"self", "first", "next"}
    base = f"{sandbox.base_url}/api/rest/v1/products-uuid"
    assert links["self"]["href"] == \
        f"{base}?with_count=false&pagination_type=search_after&limit=20"
    last = page["_embedded"]["items"][-1]["uuid"]
    assert links["next"]["href"] == f"{links['self']['href']}&search_after={last}"
    p2 = client.get_json(links["next"]["href"])
    assert p2["_links"]["self"]["href"] == links["next"]["href"]
    assert p2["_links"]["first"]["href"] == links["first"]["href"]
    assert p2["_embedded"]["items"][0]["uuid"] > last


def test_search_after_full_last_page_then_empty(client: Client, sandbox: SandboxServer) -> None:
    pages = []
    page = client.get_json(P, {"pagination_type": "search_after", "limit": 20})
    while True:
        pages.append(page)
        if "next" not in page["_links"]:
            break
        page = client.get_json(page["_links"]["next"]["href"])
    assert [len(p["_embedded"]["items"]) for p in pages] == [20, 20, 20, 0]
    uuids = [i["uuid"] for p in pages for i in p["_embedded"]["items"]]
    assert uuids == sorted(sandbox.catalog.products)


def test_product_models_search_after_token_is_opaque(client: Client,
                                                     sandbox: SandboxServer) -> None:
    first = client.get_json("/product-models", {"pagination_type": "search_after", "limit": 5})
    token = dict(query(first["_links"]["next"]["href"]))["search_after"]
    codes = [i["code"] for i in first["_embedded"]["items"]]
    assert token not in codes
    items = client.walk("/product-models", {"pagination_type": "search_after", "limit": 5})
    assert [i["code"] for i in items] == list(sandbox.catalog.product_models)  # creation order
    for item in items:
        assert item["_links"]["self"]["href"] == \
            f"{sandbox.base_url}/api/rest/v1/product-models/{item['code']}"
    bad = client.get("/product-models", {"pagination_type": "search_after",
                                         "search_after": "not base64!"})
    assert bad.status_code == 422


def test_products_by_identifier_sorted_case_insensitively(client: Client) -> None:
    items = client.walk("/products", {"pagination_type": "search_after", "limit": 25})
    idents = [i["identifier"] for i in items]
    assert len(idents) == 60
    assert idents == sorted(idents, key=str.lower)
    assert any(i != i.lower() for i in idents) and any(i == i.lower() for i in idents)
    page = client.get_json("/products", {"pagination_type": "search_after", "limit": 25})
    token = dict(query(page["_links"]["next"]["href"]))["search_after"]
    assert token == page["_embedded"]["items"][-1]["identifier"]
    item = page["_embedded"]["items"][0]
    assert "uuid" in item and "identifier" in item  # 7.0: both


@pytest.mark.parametrize(("params", "message"), [
    ({"limit": 101}, "You cannot request more than 100 items."),
    ({"limit": "abc"}, '"abc" is not a valid limit number.'),
    ({"limit": 0}, '"0" is not a valid limit number.'),
    ({"limit": "1.5"}, '"1.5" is not a valid limit number.'),
    ({"page": "x"}, '"x" is not a valid page number.'),
    ({"page": 0}, '"0" is not a valid page number.'),
    ({"with_count": "1"}, 'Parameter "with_count" has to be a boolean. Only "true" or "false" '
                          'allowed, "1" given.'),
    ({"pagination_type": "cursor"}, "Pagination type does not exist."),
    ({"pagination_type": "search_after", "limit": 101}, "You cannot request more than 100 items."),
])
def test_pagination_parameter_errors(client: Client, params: dict, message: str) -> None:
    for path in (P, "/product-models"):
        r = client.get(path, params)
        assert r.status_code == 422, r.text
        assert r.json() == {"code": 422, "message": message}


def test_with_count_ignored_in_search_after(client: Client) -> None:
    r = client.get(P, {"pagination_type": "search_after", "with_count": "yes"})
    assert r.status_code == 200
    assert "items_count" not in r.json()


def test_offset_window_of_10000(client: Client) -> None:
    r = client.get(P, {"page": 101, "limit": 100})
    assert r.status_code == 422
    assert r.json() == {
        "code": 422,
        "message": 'You have reached the maximum number of pages you can retrieve with the '
                   '"page" pagination type. Please use the search after pagination type instead',
        "_links": {"documentation": {
            "href": "http://api.akeneo.com/documentation/pagination.html#search-after-type"}},
    }
    ok = client.get(P, {"page": 100, "limit": 100})
    assert ok.status_code == 200
    assert ok.json()["_embedded"]["items"] == []


def test_links_reemit_params_in_akeneo_order(client: Client) -> None:
    search = {"updated": [{"operator": ">", "value": "2000-01-01 00:00:00"}]}
    page = client.get_json(P, {
        "attributes": "sku,name", "locales": "en_US", "scope": "ecommerce",
        "search": json.dumps(search, indent=2), "search_locale": "en_US",
        "with_quality_scores": "true", "limit": 3, "pagination_type": "search_after",
    })
    q = query(page["_links"]["next"]["href"])
    assert [k for k, _ in q] == ["with_count", "pagination_type", "limit", "search", "scope",
                                 "locales", "attributes", "with_quality_scores", "search_after"]
    assert dict(q)["search"] == '{"updated":[{"operator":">","value":"2000-01-01 00:00:00"}]}'
    # the raw next link keeps the search percent-encoded (RFC 3986)
    assert "search=%7B%22updated%22" in page["_links"]["next"]["href"]


def test_empty_catalog_lists(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    sb = make_sandbox(products=0, product_models=0)
    c = Client(sb)
    page = c.get_json(P, {"with_count": "true"})
    assert page["_embedded"]["items"] == []
    assert page["items_count"] == 0
    assert "next" not in page["_links"]
