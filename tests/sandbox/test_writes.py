"""Single-item GET and writes (PATCH/POST/DELETE) over HTTP, system information, 404s."""

from __future__ import annotations

import time
import uuid as uuidlib
from email.utils import parsedate_to_datetime

from tap_akeneo.sandbox import SandboxServer

from .conftest import Client, parse_ts


def test_get_single_product_and_model(client: Client, sandbox: SandboxServer) -> None:
    uid = next(iter(sandbox.catalog.products))
    r = client.get(f"/products-uuid/{uid}")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json"
    body = r.json()
    assert "_links" not in body
    assert body == sandbox.catalog.products[uid]
    code = next(iter(sandbox.catalog.product_models))
    assert client.get_json(f"/product-models/{code}") == sandbox.catalog.product_models[code]
    ident = body["values"]["sku"][0]["data"]
    by_ident = client.get_json(f"/products/{ident}")
    assert by_ident["identifier"] == ident and by_ident["uuid"] == uid


def test_404_messages(client: Client) -> None:
    missing = str(uuidlib.uuid4())
    r = client.get(f"/products-uuid/{missing}")
    assert r.status_code == 404
    assert r.json() == {"code": 404, "message": f'Product "{missing}" does not exist or you do '
                                                "not have permission to access it."}
    r = client.get("/product-models/nope")
    assert r.json() == {"code": 404, "message": 'Product model "nope" does not exist or you do '
                                                "not have permission to access it."}
    r = client.get("/nothing-here")
    assert r.status_code == 404
    assert r.json()["code"] == 404
    r = client.request("PUT", "/products-uuid")
    assert r.status_code == 405


def test_patch_product_merges_and_bumps_updated(client: Client, sandbox: SandboxServer) -> None:
    cat = sandbox.catalog
    uid = next(u for u in cat.products if cat.products[u]["parent"] is None)
    before = client.get_json(f"/products-uuid/{uid}")
    sandbox.set_clock_offset(1800)
    r = client.request("PATCH", f"/products-uuid/{uid}", {
        "enabled": False,
        "values": {"name": [{"locale": "en_US", "scope": None, "data": "Patched"}]},
    })
    assert r.status_code == 204, r.text
    assert r.headers["Location"].endswith(f"/api/rest/v1/products-uuid/{uid}")
    after = client.get_json(f"/products-uuid/{uid}")
    assert after["enabled"] is False
    names = {e["locale"]: e["data"] for e in after["values"]["name"]}
    assert names["en_US"] == "Patched"
    assert names["fr_FR"] == {e["locale"]: e["data"] for e in before["values"]["name"]}["fr_FR"]
    assert abs(parse_ts(after["updated"]) - (time.time() + 1800)) < 5
    assert after["created"] == before["created"]


def test_patch_errors(client: Client, sandbox: SandboxServer) -> None:
    uid = next(iter(sandbox.catalog.products))
    r = client.session.patch(client.url(f"/products-uuid/{uid}"), data=b"{nope",
                             headers=client.headers(), timeout=5)
    assert r.status_code == 400
    r = client.request("PATCH", f"/products-uuid/{uid}", {"colour": "red"})
    assert r.status_code == 422
    assert r.json()["message"].startswith('Property "colour" does not exist.')
    r = client.request("PATCH", f"/products-uuid/{uid}", {"uuid": str(uuidlib.uuid4())})
    assert r.status_code == 422


def test_patch_unknown_uuid_creates(client: Client, sandbox: SandboxServer) -> None:
    uid = str(uuidlib.uuid4())
    r = client.request("PATCH", f"/products-uuid/{uid}", {
        "values": {"sku": [{"locale": None, "scope": None, "data": "upserted"}]}})
    assert r.status_code == 201
    assert uid in sandbox.catalog.products


def test_post_then_delete_product(client: Client, sandbox: SandboxServer) -> None:
    r = client.request("POST", "/products-uuid", {
        "family": "accessories",
        "values": {"sku": [{"locale": None, "scope": None, "data": "posted-1"}]},
    })
    assert r.status_code == 201, r.text
    assert r.content == b""
    location = r.headers["Location"]
    uid = location.rsplit("/", 1)[1]
    created = client.get_json(location)
    assert created["uuid"] == uid
    assert created["family"] == "accessories"
    assert created["created"] == created["updated"]
    listed = {i["uuid"] for i in client.walk("/products-uuid", {"limit": 100})}
    assert uid in listed
    r = client.request("DELETE", f"/products-uuid/{uid}")
    assert r.status_code == 204
    assert r.content == b""
    assert client.get(location).status_code == 404
    assert client.request("DELETE", f"/products-uuid/{uid}").status_code == 404
    assert uid not in {i["uuid"] for i in client.walk("/products-uuid", {"limit": 100})}


def test_identifier_endpoint_writes(client: Client, sandbox: SandboxServer) -> None:
    r = client.request("PATCH", "/products/brand-new", {"family": "shoes"})
    assert r.status_code == 201
    item = client.get_json("/products/brand-new")
    assert item["identifier"] == "brand-new"
    assert item["values"]["sku"][0]["data"] == "brand-new"
    r = client.request("PATCH", "/products/brand-new", {"enabled": False})
    assert r.status_code == 204
    assert client.get_json("/products/brand-new")["enabled"] is False
    r = client.request("POST", "/products", {"identifier": "posted-2"})
    assert r.status_code == 201
    assert r.headers["Location"].endswith("/api/rest/v1/products/posted-2")
    assert client.request("DELETE", "/products/posted-2").status_code == 204
    assert client.get("/products/posted-2").status_code == 404


def test_product_model_writes(client: Client, sandbox: SandboxServer) -> None:
    cat = sandbox.catalog
    root = next(c for c in cat.product_models if cat.get_model(c).child_products)  # type: ignore[union-attr]
    kids = list(cat.get_model(root).child_products)  # type: ignore[union-attr]
    sandbox.set_clock_offset(1800)
    r = client.request("PATCH", f"/product-models/{root}",
                       {"values": {"name": [{"locale": "de_DE", "scope": None,
                                             "data": "Neu"}]}})
    assert r.status_code == 204, r.text
    model = client.get_json(f"/product-models/{root}")
    assert abs(parse_ts(model["updated"]) - (time.time() + 1800)) < 5
    # the variants see the new inherited value but keep their own updated
    kid = client.get_json(f"/products-uuid/{kids[0]}")
    assert {e["locale"]: e["data"] for e in kid["values"]["name"]}["de_DE"] == "Neu"
    assert parse_ts(kid["updated"]) < time.time()
    r = client.request("POST", "/product-models", {"code": "fresh_model",
                                                   "family_variant": "clothing_size"})
    assert r.status_code == 201, r.text
    assert client.get_json("/product-models/fresh_model")["parent"] is None
    assert client.request("DELETE", f"/product-models/{root}").status_code == 204
    assert client.get(f"/products-uuid/{kids[0]}").status_code == 404


def test_system_information_and_date_header(client: Client, sandbox: SandboxServer) -> None:
    r = client.get("/system-information")
    assert r.json() == {"version": "7.0.42", "edition": "EE"}
    sandbox.set_clock_offset(86400)
    r = client.get("/products-uuid", {"limit": 1})
    server_date = parsedate_to_datetime(r.headers["Date"]).timestamp()
    assert abs(server_date - (time.time() + 86400)) < 5
    assert abs(sandbox.now().timestamp() - (time.time() + 86400)) < 5
