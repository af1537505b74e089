"""Products and product models: incremental on `updated`, read with search_after."""

from __future__ import annotations

import datetime as dt
import json
import math
import typing as t

from tap_akeneo import progress, versions
from tap_akeneo.client import AkeneoStream
from tap_akeneo.concurrency import PartitionedRead
from tap_akeneo.partitions import tail_start
from tap_akeneo.passthrough import PRODUCT_MODEL_PARAMS, PRODUCT_PARAMS, query_params
from tap_akeneo.records import conform_to_schema
from tap_akeneo.schemas.products import PRODUCT, PRODUCT_MODEL
from tap_akeneo.streams.value_rows import ValueRowsParent
from tap_akeneo.timestamps import filter_value, parse_timestamp, to_utc_iso

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


class CatalogItemStream(AkeneoStream):
    """A product-like listing filtered by `updated`, whose results are unsorted.

    The bookmark is `since`, the later of the state bookmark and `start_date`. The
    request asks for ``updated > since - overlap`` in the server's own time zone and
    format. Akeneo orders results by uuid or internal id, never by `updated`, so the
    stream is unsorted: the SDK tracks the maximum `updated` seen as a progress marker
    and only promotes it to the bookmark once the whole result set was read, capped at
    the moment the run started (the signpost, taken from the PIM's clock).
    """

    replication_key = "updated"
    is_sorted = False
    pagination_type = "search_after"
    #: Most of an item's bytes: passed through as raw JSON when nothing needs to look inside.
    raw_keys = frozenset(("values", "associations", "quantified_associations"))
    #: Settings passed through as query parameters (see tap_akeneo.passthrough).
    passthrough: t.ClassVar[dict[str, str]] = {}

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        params = super().get_url_params(context, next_page_token)
        search = self.search_filter(context)
        if search:
            params["search"] = json.dumps(search, separators=(",", ":"))
        params.update(query_params(self.config, self.passthrough))
        return params

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        processed = super().post_process(row, context)
        # `quality_scores: {}` (PHP's empty array) where the schema says list, and back.
        return conform_to_schema(processed, self.schema) if processed is not None else None

    def search_filter(self, context: Context | None) -> dict[str, t.Any]:
        after = self.updated_after(context)
        if after is None:
            return {}
        return {"updated": [{"operator": ">", "value": filter_value(after, self.server_tz)}]}

    def updated_after(self, context: Context | None) -> dt.datetime | None:
        """The filter's ``updated >`` moment: the bookmark (or start_date) minus the overlap."""
        since = self.get_starting_timestamp(context)
        if since is None:
            return None
        return since - dt.timedelta(seconds=float(self.config.get("overlap_seconds", 300)))

    @property
    def max_concurrency(self) -> int:
        return min(4, max(1, int(self.config.get("max_concurrency", 4))))

    def request_records(self, context: Context | None) -> t.Iterable[dict]:
        """With ``max_concurrency`` > 1, read windows of `updated` concurrently.

        Same records, bookmark and ACTIVATE_VERSION placement as the sequential read (see
        :mod:`tap_akeneo.concurrency`); records are still emitted by the main thread.
        """
        if self.max_concurrency <= 1 or context is not None:
            yield from super().request_records(context)
            return
        after = self.updated_after(context)
        tracker = progress.start(self, context, probe=False)  # the read's first request counts
        read = PartitionedRead(
            self,
            workers=self.max_concurrency,
            base_params=self.get_url_params(context, None),
            base_search=self.search_filter(context),
            lo=None if after is None else math.floor(after.timestamp()),
            tail=tail_start(self._tap.run_started_at, self.server_tz),
            on_count=tracker.add_total,
        )
        _ = self.lazy_pages, self.plain_records  # decided here, in the main thread
        stats, count = self._tap.stats, 0
        with stats.timed(self.name):
            try:
                for record in read.records():
                    count += 1
                    tracker.advance()
                    yield record
            finally:
                stats.record(self.name, count)
        self.logger.info(
            "Read '%s': %s, %d requests (%d probes, %d windows, %d cut again, %d empty)",
            self.name,
            read.summary.mode,
            read.summary.requests,
            read.summary.probes,
            read.summary.windows,
            read.summary.splits,
            read.summary.skipped,
        )

    def get_replication_key_signpost(self, context: Context | None = None) -> dt.datetime | None:
        return self._tap.run_started_at

    def get_records(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        # The SDK's progress marker starts empty, so a run that only sees items with an
        # older `updated` (variants of a changed model) would move the bookmark back.
        # Seed it with where this run started: the bookmark never goes backwards.
        start = self.get_starting_replication_key_value(context)
        if start and self.replication_key:
            seed = to_utc_iso(str(start), self.server_tz)
            self._increment_stream_state({self.replication_key: seed}, context=context)
        yield from super().get_records(context)


class ProductsStream(ValueRowsParent, CatalogItemStream):
    """Products from ``/api/rest/v1/products-uuid`` (7.0, SaaS), else ``/products``.

    Before 7.0 items carry no uuid: the key is then a uuid5 of the identifier (see
    :mod:`tap_akeneo.versions`). The stream's state remembers which endpoint its
    bookmark came from; when that changes (a PIM upgraded to 7.0), the bookmark is set
    aside and every product is read again, under its real uuid.
    """

    name = "products"
    primary_keys = ("uuid",)
    schema = PRODUCT
    passthrough = PRODUCT_PARAMS

    @property
    def path(self) -> str:  # type: ignore[override]
        return self._tap.product_endpoint.path(self)

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        processed = super().post_process(row, context)
        if processed is not None and not processed.get("uuid") and processed.get("identifier"):
            processed["uuid"] = versions.synthetic_uuid(processed["identifier"])
        return processed

    def get_starting_timestamp(self, context: Context | None) -> dt.datetime | None:
        state = self.get_context_state(context)
        read_from = state.get(versions.ENDPOINT_STATE_KEY, versions.UUID_PATH)
        if read_from != self.path and state.get("replication_key_value"):
            if not getattr(self, "_endpoint_change_logged", False):
                self._endpoint_change_logged = True
                self.logger.warning(
                    "The bookmark of 'products' was taken from %s, this PIM now lists %s (an "
                    "upgrade to Akeneo 7.0?): reading every product again, keyed by its uuid. "
                    "Run the reconcile job afterwards to mark the rows keyed the old way.",
                    read_from,
                    self.path,
                )
            start = self.config.get("start_date")
            return parse_timestamp(str(start)) if start else None
        return super().get_starting_timestamp(context)

    def get_records(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        yield from super().get_records(context)
        # A complete read: its bookmark comes from this endpoint.
        self.get_context_state(context)[versions.ENDPOINT_STATE_KEY] = self.path


class ProductModelsStream(ValueRowsParent, CatalogItemStream):
    """Product models (root and sub-models) from ``/api/rest/v1/product-models``."""

    name = "product_models"
    path = "/api/rest/v1/product-models"
    primary_keys = ("code",)
    schema = PRODUCT_MODEL
    passthrough = PRODUCT_MODEL_PARAMS
