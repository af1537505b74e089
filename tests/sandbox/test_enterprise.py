"""Enterprise endpoints: reference entities, records, asset families, assets (search_after only)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from tap_akeneo.sandbox import SandboxServer

from .conftest import Client, search

RECORDS = "/reference-entities/brands/records"
ASSETS = "/asset-families/packshots/assets"


@pytest.fixture
def ee(make_sandbox) -> SandboxServer:  # type: ignore[no-untyped-def]
    return make_sandbox(products=10, product_models=2, records_per_entity=25,
                        assets_per_family=12)


def test_reference_entities_list_and_single(ee: SandboxServer) -> None:
    c = Client(ee)
    page = c.get_json("/reference-entities")
    assert list(page) == ["_links", "_embedded"]
    assert page["_links"]["self"]["href"] == f"{ee.base_url}/api/rest/v1/reference-entities"
    codes = [i["code"] for i in page["_embedded"]["items"]]
    assert codes == ["brands", "designers", "fabrics"]
    assert "next" not in page["_links"]  # fewer than a page
    brands = page["_embedded"]["items"][0]
    assert brands["_links"]["image_download"]["href"].endswith(brands["image"])
    single = c.get_json("/reference-entities/brands")
    assert single["code"] == "brands" and single["_links"]["self"]
    assert c.get("/reference-entities/nope").status_code == 404
    attrs = c.get_json("/reference-entities/brands/attributes")
    assert isinstance(attrs, list)
    assert {a["code"] for a in attrs} == {"label", "image", "description", "country"}


@pytest.mark.parametrize("path", [RECORDS, ASSETS])
def test_search_after_only_with_opaque_cursor(ee: SandboxServer, path: str) -> None:
    c = Client(ee)
    first = c.get_json(path, {"limit": 10})
    assert set(first["_links"]) == {"self", "first", "next"}
    token = dict(parse_qsl(urlsplit(first["_links"]["next"]["href"]).query))["search_after"]
    assert token not in {i["code"] for i in first["_embedded"]["items"]}
    items = c.walk(path, {"limit": 10})
    codes = [i["code"] for i in items]
    total = 25 if path == RECORDS else 12
    assert len(codes) == total and codes == sorted(codes)
    default = c.get_json(path)  # default page size is 100
    assert len(default["_embedded"]["items"]) == total
    for item in items[:3]:
        assert set(item) == {"_links", "code", "values", "created", "updated"}
        single = c.get_json(item["_links"]["self"]["href"])
        assert single == {k: v for k, v in item.items() if k != "_links"}
    bad = c.get(path, {"search_after": "%%%"})
    assert bad.status_code == 422


@pytest.mark.parametrize(("path", "kind"), [(RECORDS, "record"), (ASSETS, "asset")])
def test_updated_filter_iso_8601(ee: SandboxServer, path: str, kind: str) -> None:
    c = Client(ee)
    cat = ee.catalog
    items = cat.records["brands"] if kind == "record" else cat.assets["packshots"]
    code = items[3]["code"]
    ee.set_clock_offset(300)
    if kind == "record":
        cat.touch_record("brands", code)
    else:
        cat.touch_asset("packshots", code)
    ee.set_clock_offset(0)
    now = ee.now().strftime("%Y-%m-%dT%H:%M:%S+00:00")
    got = c.walk(path, {"search": search(updated=[{"operator": ">", "value": now}])})
    assert [i["code"] for i in got] == [code]
    older = c.walk(path, {"search": search(updated=[{"operator": "<", "value": now}])})
    assert code not in {i["code"] for i in older} and len(older) == len(items) - 1
    r = c.get(path, {"search": search(updated=[{"operator": ">",
                                                "value": "2024-01-01 00:00:00"}])})
    assert r.status_code == 422
    picked = c.walk(path, {"search": search(code=[{"operator": "IN", "value": [code]}])})
    assert [i["code"] for i in picked] == [code]


def test_record_values_channel_and_locales(ee: SandboxServer) -> None:
    c = Client(ee)
    items = c.walk(RECORDS, {"locales": "fr_FR"})
    for item in items:
        assert {e["locale"] for e in item["values"]["label"]} == {"fr_FR"}
        assert all("channel" in e for entries in item["values"].values() for e in entries)
    page = c.get_json(RECORDS, {"locales": "fr_FR", "limit": 5})
    q = dict(parse_qsl(urlsplit(page["_links"]["next"]["href"]).query))
    assert q["locales"] == "fr_FR" and q["limit"] == "5"


def test_asset_families_attributes_and_media_links(ee: SandboxServer) -> None:
    c = Client(ee)
    fams = c.walk("/asset-families")
    assert [f["code"] for f in fams] == ["packshots", "user_guides"]
    assert fams[0]["attribute_as_main_media"] == "media"
    attrs = c.get_json("/asset-families/packshots/attributes")
    media = next(a for a in attrs if a["code"] == "media")
    assert media["type"] == "media_file" and media["media_type"] == "image"
    asset = c.walk(ASSETS)[0]
    link = asset["values"]["media"][0]["_links"]["download"]["href"]
    assert link.endswith(asset["values"]["media"][0]["data"])
    assert c.get("/asset-families/nope/assets").status_code == 404


def test_community_edition_has_no_enterprise_routes(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    sb = make_sandbox(edition="ce", products=5, product_models=1)
    c = Client(sb)
    for path in ("/reference-entities", RECORDS, "/asset-families", ASSETS):
        r = c.get(path)
        assert r.status_code == 404, path
    item = c.get_json("/products-uuid")["_embedded"]["items"][0]
    assert "metadata" not in item
