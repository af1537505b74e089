"""Record clean-up driven by the stream schema, for what PHP serialises loosely."""

from __future__ import annotations

import typing as t


def _types(schema: t.Mapping[str, t.Any]) -> set[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return {kind}
    return set(kind or ())


def conform_to_schema(row: dict[str, t.Any], schema: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """Fix the top-level values PHP renders ambiguously, by the schema's declared type.

    - an empty map comes as ``[]`` and an empty list as ``{}`` (PHP's one empty array):
      each becomes what the schema declares;
    - a digit string where the schema says integer becomes an integer (Akeneo's
      documentation shows ``"max_characters": "50"``; the API answers integers).
    """
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
