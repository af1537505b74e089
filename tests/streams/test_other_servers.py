"""Another Akeneo-compatible server, with the small differences real PIMs show:
relative `next` links, `[]` for empty maps, optional fields missing, any UTC offset,
no `items_count`, and an empty last page after a full one."""

from __future__ import annotations

import json
import typing as t
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from tests.reliability.helpers import TOKEN, FakePim, messages, product_streams_only, run_tap

OFFSETS = ["+02:00", "-05:00", "Z", "+00:00", "+05:30"]


def _product(n: int) -> dict[str, t.Any]:
    item: dict[str, t.Any] = {
        "_links": {"self": {"href": f"/api/rest/v1/products-uuid/{n:08d}-0000-4000-8000-000000000000"}},
        "uuid": f"{n:08d}-0000-4000-8000-000000000000",
        "enabled": n % 2 == 0,
        "values": [] if n % 3 == 0 else {"sku": [{"locale": None, "scope": None, "data": f"SKU-{n}"}]},
        "created": "2024-01-01T00:00:00" + OFFSETS[n % len(OFFSETS)],
        "updated": f"2024-03-{1 + n % 28:02d}T12:00:00" + OFFSETS[n % len(OFFSETS)],
    }
    if n % 2:  # optional fields sometimes missing altogether
        item.update({"family": "shoes", "categories": [], "groups": [], "parent": None, "associations": []})
    return item


PRODUCTS = [_product(n) for n in range(1, 11)]  # pages of 5: full, full, then empty


def handler(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
    url = urlparse(request.path)
    query = parse_qs(url.query)
    if url.path == "/api/oauth/v1/token":
        return 200, {"Content-Type": "application/json"}, TOKEN
    if url.path == "/api/rest/v1/products-uuid":
        after = query.get("search_after", [""])[0]
        limit = int(query.get("limit", ["10"])[0])
        rest = [p for p in PRODUCTS if p["uuid"] > after][:limit]
        links: dict[str, t.Any] = {"self": {"href": request.path}}
        if len(rest) == limit:  # relative link, as some proxies and older PIMs write them
            links["next"] = {
                "href": f"/api/rest/v1/products-uuid?limit={limit}&pagination_type=search_after&search_after={rest[-1]['uuid']}"
            }
        body = {"_links": links, "_embedded": {"items": rest}}
        return 200, {"Content-Type": "application/json"}, json.dumps(body).encode()
    if url.path == "/api/rest/v1/product-models":
        body = {
            "_links": {},
            "_embedded": {"items": [{"code": "m1", "values": [], "updated": "2024-02-01T01:00:00+01:00"}]},
        }
        return 200, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(body).encode()
    return 404, {"Content-Type": "application/json"}, b'{"code":404,"message":"Not found"}'


def test_another_akeneo_compatible_server(tmp_path: Path) -> None:
    with FakePim(handler) as pim:
        config = {
            "base_url": pim.base_url + "/",
            "client_id": "a",
            "client_secret": "b",
            "username": "c",
            "password": "d",
            "page_size": 5,
        }
        # This server has products and product models only.
        result = run_tap(config, tmp_path, *product_streams_only(tmp_path))
        assert result.returncode == 0, result.stderr[-2000:]
        # the endpoint probe (limit=1), the count probe (with_count; this server gives no
        # count), then pages: full, full, empty
        assert len([r for r in pim.requests if "products-uuid" in r]) == 5
    out = messages(result.stdout)
    products = [m["record"] for m in out if m["type"] == "RECORD" and m["stream"] == "products"]
    assert [p["uuid"] for p in products] == [p["uuid"] for p in PRODUCTS]
    assert all(p["updated"].endswith("+00:00") for p in products)
    assert products[0]["updated"] == "2024-03-02T17:00:00+00:00"  # 12:00-05:00
    assert all(isinstance(p["values"], dict) for p in products)
    models = [m["record"] for m in out if m["type"] == "RECORD" and m["stream"] == "product_models"]
    assert models == [{"code": "m1", "values": {}, "updated": "2024-02-01T00:00:00+00:00"}]
    state = [m for m in out if m["type"] == "STATE"][-1]["value"]["bookmarks"]
    latest = max(p["updated"] for p in products)
    assert state["products"]["replication_key_value"] == latest
