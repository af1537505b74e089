"""Long-format values: one row per (owner, attribute, locale, scope).

Akeneo writes a null locale for values of non-localizable attributes and a null scope for
non-scopable ones. Both are part of the primary key here, and a target's upsert never
matches a null key (target-postgres would add the row again on every run), so a null
locale or scope is written as the empty string ``""``.
"""

from __future__ import annotations

from tap_akeneo.schemas.common import DATETIME, JSON_VALUE, NULLABLE_STRING, STRING, Schema, object_schema

#: Columns shared by product and product-model value rows, after the owner's key.
_VALUE_COLUMNS: dict[str, Schema] = {
    "attribute": STRING,
    "locale": STRING,  # "" when the attribute is not localizable
    "scope": STRING,  # "" when the attribute is not scopable
    "attribute_type": NULLABLE_STRING,  # pim_catalog_text, pim_catalog_metric, ...
    "data": JSON_VALUE,
    "linked_data": JSON_VALUE,  # option labels, with with_attribute_options
    "updated": DATETIME,  # the owner's `updated` when the row was read
}

PRODUCT_VALUE = object_schema(
    {"product_uuid": STRING, **_VALUE_COLUMNS},
    required=["product_uuid", "attribute", "locale", "scope"],
)

PRODUCT_MODEL_VALUE = object_schema(
    {"product_model_code": STRING, **_VALUE_COLUMNS},
    required=["product_model_code", "attribute", "locale", "scope"],
)
