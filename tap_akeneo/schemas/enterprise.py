"""Enterprise Edition and SaaS entities: reference entities, their records, asset families,
assets, and the attributes of both.

The parent's code is added to every child item (``reference_entity``, ``asset_family``):
it is part of the key and the API's item does not carry it (or, for assets, not always).
"""

from __future__ import annotations

from tap_akeneo.schemas.common import (
    BOOLEAN,
    DATETIME,
    ENTITY_VALUES,
    INTEGER,
    LABELS,
    NULLABLE_STRING,
    OBJECT,
    OBJECT_LIST,
    STRING,
    STRING_LIST,
    Schema,
    object_schema,
)

REFERENCE_ENTITY = object_schema(
    {
        "code": STRING,
        "labels": LABELS,
        "image": NULLABLE_STRING,  # media file code of the entity's image
    },
    required=["code"],
)

#: What reference-entity and asset-family attributes share.
_ENTITY_ATTRIBUTE: dict[str, Schema] = {
    "code": STRING,
    "labels": LABELS,
    "type": NULLABLE_STRING,
    "value_per_locale": BOOLEAN,
    "value_per_channel": BOOLEAN,
    "is_required_for_completeness": BOOLEAN,
    "max_characters": INTEGER,
    "is_textarea": BOOLEAN,
    "is_rich_text_editor": BOOLEAN,
    "validation_rule": NULLABLE_STRING,
    "validation_regexp": NULLABLE_STRING,
    "allowed_extensions": STRING_LIST,
    "max_file_size": NULLABLE_STRING,
    "decimals_allowed": BOOLEAN,
    "min_value": NULLABLE_STRING,
    "max_value": NULLABLE_STRING,
}

REFERENCE_ENTITY_ATTRIBUTE = object_schema(
    {
        "reference_entity": STRING,
        **_ENTITY_ATTRIBUTE,
        # For record-link attributes: the reference entity the attribute points to.
        "reference_entity_code": NULLABLE_STRING,
        # For asset-collection attributes: the asset family the attribute points to.
        "asset_family_identifier": NULLABLE_STRING,
    },
    required=["reference_entity", "code"],
)

REFERENCE_ENTITY_RECORD = object_schema(
    {
        "reference_entity": STRING,
        "code": STRING,
        "values": ENTITY_VALUES,
        "created": DATETIME,  # 5.0+
        "updated": DATETIME,  # 5.0+
    },
    required=["reference_entity", "code"],
)

ASSET_FAMILY = object_schema(
    {
        "code": STRING,
        "labels": LABELS,
        "attribute_as_main_media": NULLABLE_STRING,
        "naming_convention": OBJECT,
        "product_link_rules": OBJECT_LIST,
        "transformations": OBJECT_LIST,  # 4.0+
        "sharing_enabled": BOOLEAN,  # SaaS
    },
    required=["code"],
)

ASSET_FAMILY_ATTRIBUTE = object_schema(
    {
        "asset_family": STRING,
        **_ENTITY_ATTRIBUTE,
        "is_read_only": BOOLEAN,
        "media_type": NULLABLE_STRING,
        "prefix": NULLABLE_STRING,
        "suffix": NULLABLE_STRING,
        # SaaS: for record-link attributes, the reference entity they point to.
        "reference_entity": NULLABLE_STRING,
    },
    required=["asset_family", "code"],
)

ASSET = object_schema(
    {
        "asset_family": STRING,
        "code": STRING,
        # As the API sends it on single assets; equal to `asset_family`.
        "asset_family_code": NULLABLE_STRING,
        "values": ENTITY_VALUES,
        "created": DATETIME,  # 6.0+
        "updated": DATETIME,  # 6.0+
    },
    required=["asset_family", "code"],
)
