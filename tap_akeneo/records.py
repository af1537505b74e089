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

    Runs for every record: what each property needs is worked out once per schema.
    """
    for key, to_map, to_list, to_int in _plan(schema):
        value = row.get(key, _MISSING)
        if value is _MISSING:
            continue
        if to_map and value == []:
            row[key] = {}
        elif to_list and value == {}:
            row[key] = []
        elif to_int and isinstance(value, str) and value.isdigit():
            row[key] = int(value)
    return row


_MISSING = object()
#: Per schema (by identity): the properties that may need a fix, and which fixes.
_PLANS: dict[int, tuple[t.Mapping[str, t.Any], tuple[tuple[str, bool, bool, bool], ...]]] = {}


def _plan(schema: t.Mapping[str, t.Any]) -> tuple[tuple[str, bool, bool, bool], ...]:
    cached = _PLANS.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    steps = []
    for key, prop in (schema.get("properties") or {}).items():
        kinds = _types(prop)
        to_map = "object" in kinds and "array" not in kinds
        to_list = "array" in kinds and "object" not in kinds
        to_int = "integer" in kinds and "string" not in kinds
        if to_map or to_list or to_int:
            steps.append((key, to_map, to_list, to_int))
    plan = tuple(steps)
    _PLANS[id(schema)] = (schema, plan)
    return plan
