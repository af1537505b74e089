"""Products (``/products-uuid``, or ``/products`` before 7.0) and product models."""

from __future__ import annotations

from tap_akeneo.schemas.common import (
    ASSOCIATIONS,
    BOOLEAN,
    DATETIME,
    NULLABLE_STRING,
    OBJECT,
    QUANTIFIED_ASSOCIATIONS,
    SCOPED_SCORES,
    STRING,
    STRING_LIST,
    VALUES,
    object_schema,
)

PRODUCT = object_schema(
    {
        "uuid": STRING,
        # Only `/products` items carry it; on `/products-uuid` it lives in `values`.
        "identifier": NULLABLE_STRING,
        "enabled": BOOLEAN,
        "family": NULLABLE_STRING,
        "categories": STRING_LIST,
        "groups": STRING_LIST,
        "parent": NULLABLE_STRING,
        "root_parent": NULLABLE_STRING,
        "values": VALUES,
        "associations": ASSOCIATIONS,
        "quantified_associations": QUANTIFIED_ASSOCIATIONS,
        "created": DATETIME,
        "updated": DATETIME,
        "metadata": OBJECT,
        "quality_scores": SCOPED_SCORES,
        "completenesses": SCOPED_SCORES,
        "workflow_execution_statuses": {"type": ["array", "null"], "items": OBJECT},
    },
    required=["uuid"],
)

PRODUCT_MODEL = object_schema(
    {
        "code": STRING,
        "family": NULLABLE_STRING,
        "family_variant": NULLABLE_STRING,
        "parent": NULLABLE_STRING,
        "categories": STRING_LIST,
        "values": VALUES,
        "associations": ASSOCIATIONS,
        "quantified_associations": QUANTIFIED_ASSOCIATIONS,
        "created": DATETIME,
        "updated": DATETIME,
        "metadata": OBJECT,
        "quality_scores": SCOPED_SCORES,
        "workflow_execution_statuses": {"type": ["array", "null"], "items": OBJECT},
    },
    required=["code"],
)
