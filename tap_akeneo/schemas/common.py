"""Building blocks shared by several schemas."""

from __future__ import annotations

import typing as t

Schema = dict[str, t.Any]

STRING: Schema = {"type": ["string"]}
NULLABLE_STRING: Schema = {"type": ["string", "null"]}
BOOLEAN: Schema = {"type": ["boolean", "null"]}
INTEGER: Schema = {"type": ["integer", "null"]}
NUMBER: Schema = {"type": ["number", "null"]}
DATETIME: Schema = {"type": ["string", "null"], "format": "date-time"}
STRING_LIST: Schema = {"type": ["array", "null"], "items": {"type": ["string"]}}
#: Any JSON value: a value's `data` is typed by its attribute, not by the schema.
ANY: Schema = {}
#: A JSON object whose keys are not fixed (labels by locale, associations by type, ...).
OBJECT: Schema = {"type": ["object", "null"], "additionalProperties": True}
LABELS: Schema = {"type": ["object", "null"], "additionalProperties": {"type": ["string", "null"]}}

#: One entry of a product value list: {locale, scope, data, ...}.
VALUE_ENTRY: Schema = {
    "type": ["object"],
    "properties": {
        "locale": NULLABLE_STRING,
        "scope": NULLABLE_STRING,
        "data": ANY,
        "linked_data": ANY,
        "attribute_type": NULLABLE_STRING,
        "reference_data_name": NULLABLE_STRING,
    },
    "additionalProperties": True,
}

# `values`, `associations` and `quantified_associations` are each kept as one JSON object
# (a jsonb column in PostgreSQL), and declared as one: a target validating every entry
# against the shapes above spent three quarters of its time on it (target-postgres, see
# README "Performance"), while an entry's `data` is untyped anyway. Their shape is in the
# descriptions.

#: `values`: attribute code -> list of {locale, scope, data} (VALUE_ENTRY).
VALUES: Schema = {
    "type": ["object", "null"],
    "description": "Attribute code -> list of {locale, scope, data, ...}, as Akeneo writes them.",
}

#: `associations`: association type -> {products, product_models, groups}.
ASSOCIATIONS: Schema = {
    "type": ["object", "null"],
    "description": "Association type -> {products, product_models, groups}: lists of keys.",
}

#: `quantified_associations`: type -> {products: [{uuid|identifier, quantity}], product_models}.
QUANTIFIED_ASSOCIATIONS: Schema = {
    "type": ["object", "null"],
    "description": "Association type -> {products: [{uuid or identifier, quantity}], "
    "product_models: [{code, quantity}]}.",
}

#: `{scope, locale, data}` lists: quality scores and completenesses.
SCOPED_SCORES: Schema = {
    "type": ["array", "null"],
    "items": {
        "type": ["object"],
        "properties": {"scope": NULLABLE_STRING, "locale": NULLABLE_STRING, "data": ANY},
        "additionalProperties": True,
    },
}


def object_schema(properties: dict[str, Schema], required: t.Sequence[str] = ()) -> Schema:
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


#: Any JSON value, for a value's `data` in the long-format value streams. SQL targets read
#: the first branch (target-postgres takes the first non-null branch of `anyOf`): a JSON
#: column (jsonb) that holds strings, numbers, booleans, arrays and objects alike.
JSON_VALUE: Schema = {
    "anyOf": [
        {"type": "object"},
        {"type": "array"},
        {"type": "string"},
        {"type": "number"},
        {"type": "boolean"},
        {"type": "null"},
    ]
}

#: A map of strings by key (a channel's conversion units by attribute, ...).
STRING_MAP: Schema = {"type": ["object", "null"], "additionalProperties": {"type": ["string", "null"]}}

#: A map of string lists by key (a family's attribute requirements by channel).
STRING_LIST_MAP: Schema = {
    "type": ["object", "null"],
    "additionalProperties": {"type": ["array"], "items": {"type": ["string"]}},
}

#: A list of JSON objects whose shape the tap does not fix (rules, transformations, ...).
OBJECT_LIST: Schema = {"type": ["array", "null"], "items": OBJECT}

#: One entry of a reference-entity record's or an asset's values: {locale, channel, data}.
#: Unlike products they say `channel`, not `scope`; asset media carry `_links`.
ENTITY_VALUE_ENTRY: Schema = {
    "type": ["object"],
    "properties": {
        "locale": NULLABLE_STRING,
        "channel": NULLABLE_STRING,
        "data": ANY,
        "linked_data": ANY,
        "_links": ANY,
    },
    "additionalProperties": True,
}

#: Record and asset `values`: attribute code -> list of {locale, channel, data}.
ENTITY_VALUES: Schema = {
    "type": ["object", "null"],
    "additionalProperties": {"type": ["array"], "items": ENTITY_VALUE_ENTRY},
}


def nullable(schema: Schema) -> Schema:
    """``schema`` that also admits null (for nested objects the API may omit or null)."""
    kind = schema.get("type")
    if isinstance(kind, str):
        kind = [kind]
    if kind is None or "null" in kind:
        return schema
    return {**schema, "type": [*kind, "null"]}
