"""conform_to_schema works out its fixes once per schema: same results as per record."""

from __future__ import annotations

import copy
import random
import typing as t

from tap_akeneo.records import _types, conform_to_schema
from tap_akeneo.schemas import structure
from tap_akeneo.schemas.products import PRODUCT, PRODUCT_MODEL


def _per_record(row: dict[str, t.Any], schema: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """The rule, read from the schema for every value (the former implementation)."""
    properties = schema.get("properties", {})
    for key, value in row.items():
        prop = properties.get(key)
        if prop is None:
            continue
        kinds = _types(prop)
        if value == [] and "object" in kinds and "array" not in kinds:
            row[key] = {}
        elif value == {} and "array" in kinds and "object" not in kinds:
            row[key] = []
        elif isinstance(value, str) and value.isdigit() and "integer" in kinds and "string" not in kinds:
            row[key] = int(value)
    return row


def test_same_fixes_as_reading_the_schema_for_every_value() -> None:
    schemas = [PRODUCT, PRODUCT_MODEL] + [
        v for v in vars(structure).values() if isinstance(v, dict) and "properties" in v
    ]
    rng = random.Random(1)
    values: list[t.Any] = [[], {}, "12", "x", 3, None, [1], {"a": 1}, "007"]
    for schema in schemas:
        keys = [*schema["properties"], "unknown"]
        for _ in range(200):
            row = {k: rng.choice(values) for k in rng.sample(keys, rng.randint(0, len(keys)))}
            want = _per_record(copy.deepcopy(row), schema)
            got = conform_to_schema(copy.deepcopy(row), schema)
            assert got == want and all(type(got[k]) is type(want[k]) for k in got), row
