"""Catalog structure: families, attributes, categories, channels and the other small lists.

Written from Akeneo's documented item shapes (every property the official spec defines for
the item is here; ``tests/streams/test_catalog_schemas.py`` checks it). Fields that only
some versions send (``x-from-version`` in the spec, or SaaS only) are nullable, so one
schema holds on 5.0, 6.0, 7.0 and SaaS.
"""

from __future__ import annotations

from tap_akeneo.schemas.common import (
    BOOLEAN,
    DATETIME,
    INTEGER,
    LABELS,
    NULLABLE_STRING,
    NUMBER,
    OBJECT,
    OBJECT_LIST,
    STRING,
    STRING_LIST,
    STRING_LIST_MAP,
    STRING_MAP,
    Schema,
    object_schema,
)

FAMILY = object_schema(
    {
        "code": STRING,
        "attribute_as_label": NULLABLE_STRING,
        "attribute_as_image": NULLABLE_STRING,
        "attributes": STRING_LIST,
        "attribute_requirements": STRING_LIST_MAP,
        "labels": LABELS,
        "parent": NULLABLE_STRING,  # SaaS: family hierarchy
    },
    required=["code"],
)

VARIANT_ATTRIBUTE_SET: Schema = {
    "type": ["object"],
    "properties": {
        "level": INTEGER,
        "axes": STRING_LIST,
        "attributes": STRING_LIST,
    },
    "additionalProperties": True,
}

FAMILY_VARIANT = object_schema(
    {
        # The parent family: not in the API's item, added from the request (part of the key).
        "family": STRING,
        "code": STRING,
        "common_attributes": STRING_LIST,
        "variant_attribute_sets": {"type": ["array", "null"], "items": VARIANT_ATTRIBUTE_SET},
        "labels": LABELS,
    },
    required=["family", "code"],
)

TABLE_COLUMN: Schema = {
    "type": ["object"],
    "properties": {
        "code": NULLABLE_STRING,
        "data_type": NULLABLE_STRING,
        "validations": OBJECT,
        "labels": LABELS,
        "is_required_for_completeness": BOOLEAN,
    },
    "additionalProperties": True,
}

ATTRIBUTE = object_schema(
    {
        "code": STRING,
        "type": NULLABLE_STRING,
        "labels": LABELS,
        "group": NULLABLE_STRING,
        "group_labels": LABELS,  # 7.0 and SaaS
        "sort_order": INTEGER,
        "localizable": BOOLEAN,
        "scopable": BOOLEAN,
        "available_locales": STRING_LIST,
        "unique": BOOLEAN,
        "useable_as_grid_filter": BOOLEAN,
        "max_characters": INTEGER,
        "validation_rule": NULLABLE_STRING,
        "validation_regexp": NULLABLE_STRING,
        "wysiwyg_enabled": BOOLEAN,
        # Decimal bounds come as strings ("10.0000"), like every Akeneo decimal.
        "number_min": NULLABLE_STRING,
        "number_max": NULLABLE_STRING,
        "decimals_allowed": BOOLEAN,
        "negative_allowed": BOOLEAN,
        "metric_family": NULLABLE_STRING,
        "default_metric_unit": NULLABLE_STRING,
        "date_min": NULLABLE_STRING,
        "date_max": NULLABLE_STRING,
        "allowed_extensions": STRING_LIST,
        "max_file_size": NULLABLE_STRING,
        "reference_data_name": NULLABLE_STRING,
        "minimum_input_length": INTEGER,  # in Akeneo's answers, not in the spec's schema
        "default_value": BOOLEAN,  # 5.0+, boolean attributes
        "table_configuration": {"type": ["array", "null"], "items": TABLE_COLUMN},
        "is_main_identifier": BOOLEAN,
        "is_mandatory": BOOLEAN,
        "decimal_places_strategy": NULLABLE_STRING,
        "decimal_places": NUMBER,
        "enable_option_creation_during_import": BOOLEAN,  # SaaS
        "max_items_count": NUMBER,  # SaaS
        # In Akeneo's answers (the spec's examples), not in the spec's schema:
        "guidelines": LABELS,  # per locale
        "auto_option_sorting": BOOLEAN,  # select attributes
        "is_read_only": BOOLEAN,
    },
    required=["code"],
)

ATTRIBUTE_OPTION = object_schema(
    {
        "attribute": STRING,
        "code": STRING,
        "sort_order": INTEGER,
        "labels": LABELS,
    },
    required=["attribute", "code"],
)

ATTRIBUTE_GROUP = object_schema(
    {
        "code": STRING,
        "sort_order": INTEGER,
        "attributes": STRING_LIST,
        "labels": LABELS,
    },
    required=["code"],
)

ASSOCIATION_TYPE = object_schema(
    {
        "code": STRING,
        "labels": LABELS,
        "is_quantified": BOOLEAN,
        "is_two_way": BOOLEAN,
    },
    required=["code"],
)

CATEGORY = object_schema(
    {
        "code": STRING,
        "parent": NULLABLE_STRING,
        "updated": DATETIME,  # 6.0+
        "position": INTEGER,  # 7.0+, with with_position
        "labels": LABELS,
        # SaaS enriched categories: "attribute|uuid|channel|locale" -> {data, type, ...}
        "values": OBJECT,
        "channel_requirements": STRING_LIST,
    },
    required=["code"],
)

CHANNEL = object_schema(
    {
        "code": STRING,
        "locales": STRING_LIST,
        "currencies": STRING_LIST,
        "category_tree": NULLABLE_STRING,
        "conversion_units": STRING_MAP,
        "labels": LABELS,
    },
    required=["code"],
)

LOCALE = object_schema({"code": STRING, "enabled": BOOLEAN}, required=["code"])

CURRENCY = object_schema(
    {"code": STRING, "enabled": BOOLEAN, "label": NULLABLE_STRING},
    required=["code"],
)

MEASUREMENT_UNIT: Schema = {
    "type": ["object"],
    "properties": {
        "code": NULLABLE_STRING,
        "labels": LABELS,
        "convert_from_standard": OBJECT_LIST,
        "symbol": NULLABLE_STRING,
    },
    "additionalProperties": True,
}

MEASUREMENT_FAMILY = object_schema(
    {
        "code": STRING,
        "labels": LABELS,
        "standard_unit_code": NULLABLE_STRING,
        # unit code -> {code, labels, convert_from_standard: [{operator, value}], symbol}
        "units": {"type": ["object", "null"], "additionalProperties": MEASUREMENT_UNIT},
    },
    required=["code"],
)

MEDIA_FILE = object_schema(
    {
        "code": STRING,
        "original_filename": NULLABLE_STRING,
        "mime_type": NULLABLE_STRING,
        "size": INTEGER,
        "extension": NULLABLE_STRING,
    },
    required=["code"],
)
