"""Enterprise Edition and SaaS entities: reference entities and the Asset Manager.

Their listings are search_after only and take no `limit` or `pagination_type`: the tap
asks for the first page and follows `_links.next`. A Community Edition PIM has none of
these routes: a 404 on the top-level listing skips the stream (and its children) with
one informative log line, and no ACTIVATE_VERSION is written for a skipped stream.

Records and assets are incremental on `updated`, with Akeneo's ISO 8601 `updated >`
filter (not the products' ``YYYY-MM-DD HH:MM:SS``), one bookmark per reference entity /
asset family. A record or asset edit does not bump the `updated` of the products that
link to it.
"""

from __future__ import annotations

import datetime as dt
import json
import typing as t

from tap_akeneo.client import API_PREFIX
from tap_akeneo.errors import EndpointNotFoundError
from tap_akeneo.passthrough import ENTITY_PARAMS, query_params
from tap_akeneo.schemas import enterprise as schemas
from tap_akeneo.streams.structure import CatalogStream
from tap_akeneo.timestamps import UTC

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class EnterpriseStream(CatalogStream):
    """An Enterprise listing: search_after only, skipped where the PIM lacks it."""

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        return {}

    def request_records(self, context: Context | None) -> t.Iterable[dict]:
        if self.parent_stream_type is not None:
            yield from super().request_records(context)
            return
        self.unavailable = False
        try:
            yield from super().request_records(context)
        except EndpointNotFoundError:
            self.unavailable = True
            children = ", ".join(child.name for child in self.child_streams)
            self.logger.info(
                "Skipping '%s'%s: this PIM has no %s endpoint (reference entities and the "
                "Asset Manager exist on the Enterprise Edition and SaaS only)",
                self.name,
                f" and its children ({children})" if children else "",
                self.path,
            )


class ReferenceEntitiesStream(EnterpriseStream):
    name = "reference_entities"
    path = f"{API_PREFIX}/reference-entities"
    schema = schemas.REFERENCE_ENTITY
    child_key = "reference_entity"


class ReferenceEntityAttributesStream(EnterpriseStream):
    """Attributes of each reference entity: one unpaged array per entity."""

    name = "reference_entity_attributes"
    path = f"{API_PREFIX}/reference-entities/{{reference_entity}}/attributes"
    primary_keys = ("reference_entity", "code")
    schema = schemas.REFERENCE_ENTITY_ATTRIBUTE
    parent_stream_type = ReferenceEntitiesStream
    parent_key = "reference_entity"
    state_partitioning_keys = []
    paginated = False


class UpdatedEntityStream(EnterpriseStream):
    """Records and assets: incremental on `updated`, one bookmark per parent."""

    replication_key = "updated"
    is_sorted = False

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        params = query_params(self.config, ENTITY_PARAMS)
        since = self.get_starting_timestamp(context)
        if since is not None:
            overlap = dt.timedelta(seconds=float(self.config.get("overlap_seconds", 300)))
            value = (since - overlap).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            params["search"] = json.dumps(
                {"updated": [{"operator": ">", "value": value}]}, separators=(",", ":")
            )
        return params

    def get_replication_key_signpost(self, context: Context | None = None) -> dt.datetime | None:
        return self._tap.run_started_at

    def _increment_stream_state(self, latest_record: dict, *, context: Context | None = None) -> None:
        # Assets before 6.0 carry no `updated`: nothing to bookmark, read in full each run.
        if latest_record.get(self.replication_key or "") is not None:
            super()._increment_stream_state(latest_record, context=context)


class ReferenceEntityRecordsStream(UpdatedEntityStream):
    name = "reference_entity_records"
    path = f"{API_PREFIX}/reference-entities/{{reference_entity}}/records"
    primary_keys = ("reference_entity", "code")
    schema = schemas.REFERENCE_ENTITY_RECORD
    parent_stream_type = ReferenceEntitiesStream
    parent_key = "reference_entity"


class AssetFamiliesStream(EnterpriseStream):
    name = "asset_families"
    path = f"{API_PREFIX}/asset-families"
    schema = schemas.ASSET_FAMILY
    child_key = "asset_family"


class AssetFamilyAttributesStream(EnterpriseStream):
    """Attributes of each asset family: one unpaged array per family."""

    name = "asset_family_attributes"
    path = f"{API_PREFIX}/asset-families/{{asset_family}}/attributes"
    primary_keys = ("asset_family", "code")
    schema = schemas.ASSET_FAMILY_ATTRIBUTE
    parent_stream_type = AssetFamiliesStream
    parent_key = "asset_family"
    state_partitioning_keys = []
    paginated = False


class AssetsStream(UpdatedEntityStream):
    name = "assets"
    path = f"{API_PREFIX}/asset-families/{{asset_family}}/assets"
    primary_keys = ("asset_family", "code")
    schema = schemas.ASSET
    parent_stream_type = AssetFamiliesStream
    parent_key = "asset_family"


ENTERPRISE_STREAMS = [
    ReferenceEntitiesStream,
    ReferenceEntityAttributesStream,
    ReferenceEntityRecordsStream,
    AssetFamiliesStream,
    AssetFamilyAttributesStream,
    AssetsStream,
]
