"""Catalog-structure endpoints: offset lists, single GETs, ISO ``updated`` filters, media files."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest

from tap_akeneo.sandbox import SandboxServer

from .conftest import Client, search

LISTS = ["/families", "/attributes", "/attribute-groups", "/association-types", "/categories",
         "/channels", "/locales", "/currencies", "/media-files", "/families/clothing/variants",
         "/attributes/color/options"]


@pytest.mark.parametrize("path", LISTS)
def test_offset_lists_envelope_links_and_single_get(client: Client, sandbox: SandboxServer,
                                                    path: str) -> None:
    first = client.get_json(path, {"limit": 2, "with_count": "true"})
    assert list(first) == ["_links", "current_page", "items_count", "_embedded"]
    base = f"{sandbox.base_url}/api/rest/v1{path}"
    assert first["_links"]["self"]["href"] == f"{base}?page=1&limit=2&with_count=true"
    items = client.walk(path, {"limit": 2})
    assert len(items) == first["items_count"]
    codes = [i["code"] for i in items]
    assert len(set(codes)) == len(codes)
    if path != "/categories":  # categories come in tree order (root, left)
        assert codes == sorted(codes)
    for item in items:
        href = item["_links"]["self"]["href"]
        assert href == f"{base}/{item['code']}"
        single = client.get_json(href)
        expected = {k: v for k, v in item.items() if k != "_links"}
        got = {k: v for k, v in single.items() if k != "_links"}
        assert got == expected
    missing = client.get(f"{path}/does_not_exist")
    assert missing.status_code == 404
    assert "does not exist" in missing.json()["message"]


def test_structure_lists_refuse_search_after(client: Client) -> None:
    r = client.get("/families", {"pagination_type": "search_after"})
    assert r.json() == {"code": 422, "message": "Pagination type is not supported."}
    assert client.get("/attributes", {"limit": 101}).status_code == 422


def test_structure_links_keep_extra_params_after_page_limit_with_count(client: Client) -> None:
    flt = search(code=[{"operator": "IN", "value": ["sku", "name", "price"]}])
    page = client.get_json("/attributes", {"search": flt, "limit": 2})
    q = parse_qsl(urlsplit(page["_links"]["next"]["href"]).query)
    assert [k for k, _ in q] == ["page", "limit", "with_count", "search"]
    assert dict(q)["search"] == flt
    codes = [i["code"] for i in client.walk("/attributes", {"search": flt, "limit": 2})]
    assert codes == ["name", "price", "sku"]


def test_family_and_variant_shapes(client: Client) -> None:
    fam = client.get_json("/families/clothing")
    assert set(fam) == {"code", "attributes", "attribute_as_label", "attribute_as_image",
                        "attribute_requirements", "labels"}
    assert set(fam["attribute_requirements"]) == {"ecommerce", "mobile", "print"}
    variant = client.get_json("/families/clothing/variants/clothing_color_size")
    assert [s["level"] for s in variant["variant_attribute_sets"]] == [1, 2]
    assert variant["variant_attribute_sets"][0]["axes"] == ["color"]
    assert client.get("/families/nope/variants").status_code == 404


def test_attribute_shapes_and_type_filter(client: Client) -> None:
    sku = client.get_json("/attributes/sku")
    assert sku["type"] == "pim_catalog_identifier" and sku["unique"] is True
    assert sku["group_labels"]["en_US"] == "Other"
    selects = client.walk("/attributes", {"search": search(type=[{
        "operator": "IN", "value": ["pim_catalog_simpleselect", "pim_catalog_multiselect"]}])})
    assert {a["code"] for a in selects} == {"brand", "color", "size", "material", "season"}
    weight = client.get_json("/attributes/weight")
    assert weight["metric_family"] == "Weight" and weight["default_metric_unit"] == "KILOGRAM"
    r = client.get("/attributes/sku/options")
    assert r.status_code == 404
    option = client.get_json("/attributes/color/options/red")
    assert option == {"code": "red", "attribute": "color", "sort_order": 5,
                      "labels": {"en_US": "Red", "fr_FR": "Rouge", "de_DE": "Rot"}}


@pytest.mark.parametrize("path", ["/families", "/attributes", "/attribute-groups", "/categories"])
def test_updated_filter_takes_iso_8601_only(client: Client, sandbox: SandboxServer,
                                            path: str) -> None:
    kind = {"/families": "family", "/attributes": "attribute",
            "/attribute-groups": "attribute_group", "/categories": "category"}[path]
    code = next(c for (k, c) in sandbox.catalog.structure_updated if k == kind)
    sandbox.set_clock_offset(600)
    sandbox.catalog.touch_structure(kind, code)
    sandbox.set_clock_offset(0)
    for value in ("2099-01-01T00:00:00Z", "2099-01-01T00:00:00+02:00"):
        assert client.walk(path, {"search": search(updated=[{"operator": ">",
                                                             "value": value}])}) == []
    now_iso = sandbox.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    got = client.walk(path, {"search": search(updated=[{"operator": ">", "value": now_iso}])})
    assert [i["code"] for i in got] == [code]
    r = client.get(path, {"search": search(updated=[{"operator": ">",
                                                     "value": "2020-01-01 00:00:00"}])})
    assert r.status_code == 422
    assert r.json()["message"] == ('Property "updated" expects a string with the ISO 8601 '
                                   'format as data, "2020-01-01 00:00:00" given.')
    r = client.get(path, {"search": search(updated=[{"operator": "<", "value": now_iso}])})
    assert r.status_code == 422


def test_categories_carry_updated_and_position(client: Client, sandbox: SandboxServer) -> None:
    cats = client.walk("/categories", {"limit": 100})
    assert cats[0]["code"] == "master" and cats[0]["parent"] is None
    assert all("updated" in c for c in cats)
    assert all("position" not in c for c in cats)
    with_pos = client.walk("/categories", {"limit": 100, "with_position": "true"})
    assert all(isinstance(c["position"], int) for c in with_pos)
    roots = client.walk("/categories", {"search": search(is_root=[{"operator": "=",
                                                                   "value": True}])})
    assert [c["code"] for c in roots] == ["master", "print_catalog"]
    kids = client.walk("/categories", {"search": search(parent=[{"operator": "=",
                                                                 "value": "shoes"}])})
    assert {c["code"] for c in kids} == {"shoes_running", "shoes_city"}


def test_locales_currencies_channels(client: Client) -> None:
    enabled = client.walk("/locales", {"search": search(enabled=[{"operator": "=",
                                                                  "value": True}])})
    assert {loc["code"] for loc in enabled} == {"en_US", "fr_FR", "de_DE"}
    assert len(client.walk("/locales")) > len(enabled)  # a disabled locale exists
    assert client.get_json("/currencies/JPY") == {"code": "JPY", "enabled": False,
                                                  "label": "Japanese yen"}
    ch = client.get_json("/channels/print")
    assert ch["category_tree"] == "print_catalog"
    assert ch["conversion_units"] == {"weight": "KILOGRAM"}


def test_measurement_families_is_a_plain_array(client: Client) -> None:
    body = client.get_json("/measurement-families")
    assert isinstance(body, list)
    weight = next(f for f in body if f["code"] == "Weight")
    assert weight["standard_unit_code"] == "KILOGRAM"
    assert weight["units"]["GRAM"]["convert_from_standard"] == [{"operator": "mul",
                                                                 "value": "0.001"}]


def test_media_files_metadata_and_download(client: Client, sandbox: SandboxServer) -> None:
    items = client.walk("/media-files", {"limit": 50})
    assert items
    used = {e["data"] for u in sandbox.catalog.products
            for e in sandbox.catalog.products[u]["values"].get("main_image", [])}
    assert used <= {i["code"] for i in items}
    item = items[0]
    assert set(item) == {"_links", "code", "original_filename", "mime_type", "size",
                         "extension"}
    r = client.get(item["_links"]["download"]["href"])
    assert r.status_code == 200
    assert r.headers["Content-Type"] == item["mime_type"]
    single = client.get_json(f"/media-files/{item['code']}")
    assert single["_links"]["download"] == item["_links"]["download"]


def test_association_types(client: Client) -> None:
    types = {t["code"]: t for t in client.walk("/association-types")}
    assert types["PRODUCT_SET"]["is_quantified"] is True
    assert types["X_SELL"]["is_two_way"] is True
    assert json.dumps(types["UPSELL"]["labels"])
