"""Catalog structure streams: small lists, read in full on every run.

Families, attributes and attribute groups accept an `updated >` filter, but their items
carry no `updated` (nothing to bookmark) and option edits never change an attribute's
`updated`. Categories do carry `updated` (6.0+), yet a PIM has hundreds to a few
thousand of them: a full read costs a handful of requests, works on 5.0 too, and a
moved or deleted category needs the reconcile anyway. So every structure stream is
full table; the reconcile job marks what was deleted.
"""

from __future__ import annotations

import typing as t

from tap_akeneo.client import API_PREFIX, AkeneoStream
from tap_akeneo.errors import EndpointNotFoundError
from tap_akeneo.records import conform_to_schema
from tap_akeneo.schemas import structure as schemas

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

#: Attribute types whose options `/attributes/{code}/options` lists.
OPTION_TYPES = ("pim_catalog_simpleselect", "pim_catalog_multiselect")


class CatalogStream(AkeneoStream):
    """A full-table listing keyed by code, read with Akeneo's default (offset) pages."""

    primary_keys: t.ClassVar[tuple[str, ...]] = ("code",)  # type: ignore[misc]
    replication_key: str | None = None

    #: For a child stream: the context key that names its parent (also a record column).
    parent_key: t.ClassVar[str | None] = None
    #: For a parent stream: the context key under which its children get a record's code.
    child_key: t.ClassVar[str | None] = None

    def get_child_context(self, record: dict, context: Context | None) -> t.Mapping[str, t.Any] | None:
        if self.child_key is None:
            return super().get_child_context(record, context)
        return {self.child_key: record["code"]}

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        processed = super().post_process(row, context)
        if processed is None:
            return None
        if self.parent_key and context:
            processed[self.parent_key] = context[self.parent_key]
        return conform_to_schema(processed, self.schema)

    def request_records(self, context: Context | None) -> t.Iterable[dict]:
        try:
            yield from super().request_records(context)
        except EndpointNotFoundError:
            if not context or not self.parent_key:
                raise
            # The parent was listed, then removed before its children were read.
            self.logger.warning(
                "Skipping '%s' of %s %r: it no longer exists on the PIM",
                self.name,
                self.parent_key,
                context[self.parent_key],
            )


class FamiliesStream(CatalogStream):
    name = "families"
    path = f"{API_PREFIX}/families"
    schema = schemas.FAMILY
    child_key = "family"


class FamilyVariantsStream(CatalogStream):
    """Family variants: a child of families, one listing per family."""

    name = "family_variants"
    path = f"{API_PREFIX}/families/{{family}}/variants"
    primary_keys = ("family", "code")
    schema = schemas.FAMILY_VARIANT
    parent_stream_type = FamiliesStream
    parent_key = "family"
    # One state entry for the stream, not one per family: nothing to bookmark.
    state_partitioning_keys = []


class AttributesStream(CatalogStream):
    name = "attributes"
    path = f"{API_PREFIX}/attributes"
    schema = schemas.ATTRIBUTE
    child_key = "attribute"

    def generate_child_contexts(
        self, record: dict, context: Context | None
    ) -> t.Iterable[t.Mapping[str, t.Any] | None]:
        # Only select attributes have options; asking any other answers 404.
        if record.get("type") in OPTION_TYPES:
            yield self.get_child_context(record, context)

    def request_records(self, context: Context | None) -> t.Iterable[dict]:
        types = self._tap.attribute_types
        for item in super().request_records(context):
            types.note(item.get("code"), item.get("type"))
            yield item
        types.listing_read()


class AttributeOptionsStream(CatalogStream):
    """Options of simple and multi select attributes: a child of attributes."""

    name = "attribute_options"
    path = f"{API_PREFIX}/attributes/{{attribute}}/options"
    primary_keys = ("attribute", "code")
    schema = schemas.ATTRIBUTE_OPTION
    parent_stream_type = AttributesStream
    parent_key = "attribute"
    state_partitioning_keys = []


class AttributeGroupsStream(CatalogStream):
    name = "attribute_groups"
    path = f"{API_PREFIX}/attribute-groups"
    schema = schemas.ATTRIBUTE_GROUP


class AssociationTypesStream(CatalogStream):
    name = "association_types"
    path = f"{API_PREFIX}/association-types"
    schema = schemas.ASSOCIATION_TYPE


class CategoriesStream(CatalogStream):
    name = "categories"
    path = f"{API_PREFIX}/categories"
    schema = schemas.CATEGORY


class ChannelsStream(CatalogStream):
    name = "channels"
    path = f"{API_PREFIX}/channels"
    schema = schemas.CHANNEL


class LocalesStream(CatalogStream):
    name = "locales"
    path = f"{API_PREFIX}/locales"
    schema = schemas.LOCALE


class CurrenciesStream(CatalogStream):
    name = "currencies"
    path = f"{API_PREFIX}/currencies"
    schema = schemas.CURRENCY


class MeasurementFamiliesStream(CatalogStream):
    """Measurement families (5.0+): one unpaged JSON array."""

    name = "measurement_families"
    path = f"{API_PREFIX}/measurement-families"
    schema = schemas.MEASUREMENT_FAMILY
    paginated = False


class MediaFilesStream(CatalogStream):
    """Product media files: metadata only (the binary stays behind `/download`)."""

    name = "media_files"
    path = f"{API_PREFIX}/media-files"
    schema = schemas.MEDIA_FILE


STRUCTURE_STREAMS: list[type[AkeneoStream]] = [
    FamiliesStream,
    FamilyVariantsStream,
    AttributesStream,
    AttributeOptionsStream,
    AttributeGroupsStream,
    AssociationTypesStream,
    CategoriesStream,
    ChannelsStream,
    LocalesStream,
    CurrenciesStream,
    MeasurementFamiliesStream,
    MediaFilesStream,
]
