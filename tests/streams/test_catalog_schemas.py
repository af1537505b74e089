"""Every stream schema against the official Akeneo spec: properties and the spec's own examples.

The spec has no licence and stays out of the repository: it is read from AKENEO_SPEC_PATH
(the fixture skips without it), together with the SaaS copy kept beside it
(``akeneo-web-api*.json`` in the same directory).

- every property the spec defines for a stream's item (list and single GET, nested objects
  whose shape the tap declares) is in the stream's schema;
- every example item the spec embeds, after the tap's own post-processing, validates
  against the stream's schema and has no key the schema lacks (but for the spec's typos,
  listed below with the reason);
- the value rows cut from the spec's product and product-model examples validate against
  the long-format value schemas, with no null in their primary key.
"""

from __future__ import annotations

import copy
import json
import typing as t
from pathlib import Path

import jsonschema
import pytest

from tap_akeneo.tap import TapAkeneo

V1 = "/api/rest/v1"

#: stream -> (list path of the spec, context a child stream gets from its parent)
STREAMS: dict[str, tuple[str, dict[str, str] | None]] = {
    "products": (f"{V1}/products-uuid", None),
    "product_models": (f"{V1}/product-models", None),
    "families": (f"{V1}/families", None),
    "family_variants": (f"{V1}/families/{{family_code}}/variants", {"family": "shoes"}),
    "attributes": (f"{V1}/attributes", None),
    "attribute_options": (f"{V1}/attributes/{{attribute_code}}/options", {"attribute": "color"}),
    "attribute_groups": (f"{V1}/attribute-groups", None),
    "association_types": (f"{V1}/association-types", None),
    "categories": (f"{V1}/categories", None),
    "channels": (f"{V1}/channels", None),
    "locales": (f"{V1}/locales", None),
    "currencies": (f"{V1}/currencies", None),
    "measurement_families": (f"{V1}/measurement-families", None),
    "media_files": (f"{V1}/media-files", None),
    "reference_entities": (f"{V1}/reference-entities", None),
    "reference_entity_attributes": (
        f"{V1}/reference-entities/{{reference_entity_code}}/attributes",
        {"reference_entity": "brands"},
    ),
    "reference_entity_records": (
        f"{V1}/reference-entities/{{reference_entity_code}}/records",
        {"reference_entity": "brands"},
    ),
    "asset_families": (f"{V1}/asset-families", None),
    "asset_family_attributes": (
        f"{V1}/asset-families/{{asset_family_code}}/attributes",
        {"asset_family": "packshots"},
    ),
    "assets": (f"{V1}/asset-families/{{asset_family_code}}/assets", {"asset_family": "packshots"}),
}
#: The identifier-based products listing (before 7.0) feeds the same `products` stream.
EXTRA_PATHS = {"products": [f"{V1}/products"]}

#: Keys of the spec's example items that are not Akeneo's, with the reason.
EXAMPLE_TYPOS = {
    "\u201cnaming_convention\u201d": "asset family examples wrap the key in curly quotes",
}
#: Object properties whose spec "properties" are placeholders of a map's keys.
MAP_PLACEHOLDERS = {
    "localeCode",
    "channelCode",
    "attributeCode",
    "unitCode",
    "associationTypeCode",
    "quantifiedAssociationTypeCode",
    "attributeCode|attributeUuid|channelCode|localeCode",
}


# ----------------------------------------------------------------------------- the spec
@pytest.fixture(scope="module", params=["main", "saas"])
def spec(request: pytest.FixtureRequest, spec_path: Path) -> dict[str, t.Any]:
    """The spec AKENEO_SPEC_PATH names, and the SaaS copy beside it (if there)."""
    if request.param == "main":
        return t.cast(dict[str, t.Any], json.loads(spec_path.read_text()))
    siblings = sorted(p for p in spec_path.parent.glob("akeneo-web-api*saas*.json") if p != spec_path)
    if not siblings:
        pytest.skip(f"no SaaS copy of the spec beside {spec_path}")
    return t.cast(dict[str, t.Any], json.loads(siblings[-1].read_text()))


def resolve(node: t.Any, spec: dict[str, t.Any], depth: int = 0) -> t.Any:
    if depth > 60:
        raise RecursionError("$ref cycle")
    if isinstance(node, dict):
        if "$ref" in node:
            target: t.Any = spec
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            return resolve(target, spec, depth + 1)
        return {k: resolve(v, spec, depth + 1) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve(v, spec, depth + 1) for v in node]
    return node


def merged_properties(schema: t.Any) -> dict[str, t.Any]:
    """Properties of a schema, its ``allOf`` parts merged."""
    if not isinstance(schema, dict):
        return {}
    props: dict[str, t.Any] = {}
    for part in schema.get("allOf", []):
        props.update(merged_properties(part))
    props.update(schema.get("properties", {}))
    return props


def item_schema(response_schema: dict[str, t.Any]) -> dict[str, t.Any]:
    """The item schema of a list (``_embedded.items``, the spec's ``_items`` typo, or a
    plain array) or of a single GET."""
    if response_schema.get("type") == "array":
        return t.cast(dict[str, t.Any], response_schema["items"])
    props = merged_properties(response_schema)
    if "_embedded" in props:
        embedded = props["_embedded"]["properties"]
        return t.cast(dict[str, t.Any], (embedded.get("items") or embedded["_items"])["items"])
    return response_schema


def operations(spec: dict[str, t.Any], stream: str) -> list[dict[str, t.Any]]:
    """The resolved 200 responses of the stream's list path and its single-item path."""
    list_path, _ = STREAMS[stream]
    paths = [list_path, *EXTRA_PATHS.get(stream, [])]
    found = []
    for path in paths:
        singles = [
            p
            for p in spec["paths"]
            if p.startswith(path + "/{") and p.count("/") == path.count("/") + 1 and p.endswith("}")
        ]
        for each in [path, *singles]:
            op = spec["paths"].get(each, {}).get("get")
            if op and "200" in op["responses"]:
                found.append(resolve(op["responses"]["200"], spec))
    return found


def example_items(response: dict[str, t.Any]) -> t.Iterator[dict[str, t.Any]]:
    bodies: list[t.Any] = []
    for key in ("examples", "x-examples"):
        if key in response:
            bodies.append(response[key])
    per_version = response.get("x-examples-per-version")
    if isinstance(per_version, list):
        bodies.extend(e.get("x-example") for e in per_version)
    elif isinstance(per_version, dict):
        bodies.extend(per_version.values())
    for body in bodies:
        if isinstance(body, list):
            yield from (i for i in body if isinstance(i, dict))
        elif isinstance(body, dict) and isinstance(body.get("_embedded"), dict):
            embedded = body["_embedded"]
            yield from embedded.get("items") or embedded.get("_items") or []
        elif isinstance(body, dict):
            yield body


# ----------------------------------------------------------------------------- the tap
@pytest.fixture(scope="module")
def tap() -> TapAkeneo:
    tap = TapAkeneo(config={"base_url": "http://127.0.0.1:9", "access_token": "-"}, setup_mapper=False)
    tap.attribute_types.reads = tap.attribute_types.MAX_READS  # never ask the (absent) PIM
    return tap


def missing_properties(spec_props: dict[str, t.Any], ours: dict[str, t.Any], where: str) -> list[str]:
    """Spec properties absent from our schema, recursing where both declare a shape."""
    missing = []
    for name, sub in spec_props.items():
        if name == "_links" or name in MAP_PLACEHOLDERS:
            continue
        if name not in ours:
            missing.append(f"{where}{name}")
            continue
        mine = ours[name]
        if mine.get("properties"):
            missing += missing_properties(merged_properties(sub), mine["properties"], f"{where}{name}.")
        items = mine.get("items")
        if isinstance(items, dict) and items.get("properties") and isinstance(sub.get("items"), dict):
            missing += missing_properties(
                merged_properties(sub["items"]), items["properties"], f"{where}{name}[]."
            )
    return missing


@pytest.mark.parametrize("stream_name", sorted(STREAMS))
def test_schema_has_every_property_the_spec_defines(
    spec: dict[str, t.Any], tap: TapAkeneo, stream_name: str
) -> None:
    responses = operations(spec, stream_name)
    if not responses:
        pytest.skip(f"this copy of the spec has no {STREAMS[stream_name][0]}")
    ours = tap.streams[stream_name].schema["properties"]
    missing: list[str] = []
    for response in responses:
        props = merged_properties(item_schema(response["schema"]))
        assert props, f"no item properties found for {stream_name}"
        missing += missing_properties(props, ours, "")
    assert not sorted(set(missing)), f"{stream_name}: spec properties missing from the schema"


@pytest.mark.parametrize("stream_name", sorted(STREAMS))
def test_spec_examples_parse_into_the_stream_schema(
    spec: dict[str, t.Any], tap: TapAkeneo, stream_name: str
) -> None:
    stream = tap.streams[stream_name]
    _, context = STREAMS[stream_name]
    validator = jsonschema.Draft7Validator(stream.schema)
    items = [i for r in operations(spec, stream_name) for i in example_items(r)]
    if not items:
        pytest.skip(f"the spec embeds no example for {stream_name}")
    for item in items:
        record = stream.post_process(copy.deepcopy(item), context)
        assert record is not None
        errors = [
            f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(record)
        ]
        assert not errors, f"{stream_name} example {item.get('code') or item.get('uuid')}: {errors}"
        unknown = set(record) - set(stream.schema["properties"]) - set(EXAMPLE_TYPOS)
        assert not unknown, f"{stream_name}: example keys missing from the schema: {unknown}"
        for key in stream.primary_keys:
            assert record.get(key) is not None, (stream_name, key, item)


@pytest.mark.parametrize(
    ("owner", "values_stream"),
    [("products", "product_values"), ("product_models", "product_model_values")],
)
def test_value_rows_of_the_spec_examples(
    spec: dict[str, t.Any], tap: TapAkeneo, owner: str, values_stream: str
) -> None:
    parent = tap.streams[owner]
    child = tap.streams[values_stream]
    validator = jsonschema.Draft7Validator(child.schema)
    owners = [
        parent.post_process(copy.deepcopy(i), None)
        for r in operations(spec, owner)
        for i in example_items(r)
    ]
    entries = 0
    for record in owners:
        assert record is not None
        child.collect(record)
        entries += sum(len(v) for v in (record.get("values") or {}).values())
    rows = list(child.request_records(None))
    assert rows and len(rows) == entries
    for row in rows:
        assert not list(validator.iter_errors(row)), row
        assert all(row[key] is not None for key in child.primary_keys), row
    keys = [tuple(row[k] for k in child.primary_keys) for row in rows]
    assert len(set(keys)) == len(keys) or owner == "products"  # the spec reuses example uuids
