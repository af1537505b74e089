"""Parsing: msgspec gives what json gave; lazily parsed pages give the same records."""

from __future__ import annotations

import decimal
import io
import json
import math
import sys
import typing as t

import msgspec
import pytest
from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.singerlib import RecordMessage

from tap_akeneo import payloads
from tap_akeneo.client import MAP_KEYS
from tap_akeneo.schemas.products import PRODUCT

ITEMS = [
    {
        "_links": {"self": {"href": "https://pim/api/rest/v1/products-uuid/a"}},
        "uuid": "a",
        "enabled": True,
        "family": None,
        "categories": ["x"],
        "values": {"weight": [{"locale": None, "scope": None, "data": {"amount": 1.25, "unit": "KG"}}]},
        "associations": [],
        "quantified_associations": {},
        "updated": "2024-05-01T10:00:00+02:00",
        "new_field": 1,
    },
    {"uuid": "b", "values": [], "price": 3.5},
]
PAGE = json.dumps({"_links": {"next": {"href": "/x?search_after=b"}}, "_embedded": {"items": ITEMS}}).encode()


def _plain(value: t.Any) -> t.Any:
    """Raw JSON parsed, recursively, for comparison."""
    if isinstance(value, msgspec.Raw):
        return payloads.decode(bytes(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def test_decode_is_json_with_decimals_and_falls_back_to_json() -> None:
    assert payloads.decode(PAGE) == json.loads(PAGE, parse_float=decimal.Decimal)
    assert isinstance(payloads.decode(b'{"a": 1.5}')["a"], decimal.Decimal)
    assert math.isnan(payloads.decode(b'{"a": NaN}')["a"])  # json reads it, msgspec does not
    with pytest.raises(ValueError):
        payloads.decode(b"<html>")


def test_lazy_pages_give_the_records_the_full_parse_gives() -> None:
    pages = payloads.LazyPages(
        PRODUCT["properties"], {"values", "associations", "quantified_associations"}, MAP_KEYS
    )
    payload = pages.decode(PAGE)
    assert payload["_links"] == {"next": {"href": "/x?search_after=b"}}
    records = payload["_embedded"]["items"]
    full = payloads.decode(PAGE)["_embedded"]["items"]
    for lazy, item in zip(records, full, strict=True):
        expected = {k: v for k, v in item.items() if k in PRODUCT["properties"]}
        if expected.get("associations") == []:
            expected["associations"] = {}
        if expected.get("values") == []:
            expected["values"] = {}
        assert _plain(lazy) == expected
    assert isinstance(records[0]["values"], msgspec.Raw) and isinstance(records[0]["uuid"], str)
    assert pages.unknown_keys(PAGE) == {"_links", "new_field", "price"}
    # Anything that is not a list page is parsed as before.
    assert pages.decode(b'{"code": 422, "message": "no"}') == {"code": 422, "message": "no"}
    assert pages.decode(b"[1, 2]") == [1, 2]
    assert pages.decode(
        b'{"_links": {}, "current_page": 1, "items_count": 7, "_embedded": {"items": []}}'
    ) == {
        "_links": {},
        "current_page": 1,
        "items_count": 7,
        "_embedded": {"items": []},
    }


def test_raw_values_are_written_verbatim(monkeypatch: pytest.MonkeyPatch) -> None:
    out = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(out, encoding="utf-8"))
    writer = MsgSpecWriter()
    raw = msgspec.Raw(b'{"sku":[{"locale":null,"scope":null,"data":"caf\\u00e9 1.50"}]}')
    writer.write_message(RecordMessage(stream="products", record={"uuid": "a", "values": raw}))
    line = out.getvalue().splitlines()[0]
    assert b'"values":{"sku":[{"locale":null,"scope":null,"data":"caf\\u00e9 1.50"}]}' in line
    assert json.loads(line)["record"]["values"]["sku"][0]["data"] == "caf\u00e9 1.50"


def test_memory_release_is_harmless() -> None:
    from tap_akeneo import memory

    memory.release()
    memory.release()
