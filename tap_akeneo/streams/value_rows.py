"""What products and product models do for their long-format value streams.

Kept apart from :mod:`tap_akeneo.streams.values` (which defines the value streams as
children of the product streams) so that the product streams can use it.
"""

from __future__ import annotations

import threading
import typing as t

from tap_akeneo.client import AkeneoStream
from tap_akeneo.errors import AkeneoAPIError

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

#: Owners per child sync: bounds memory, and keeps the SDK's per-sync overhead (a few log
#: lines and one STATE message) small next to the rows.
VALUE_BATCH = 50


class AttributeTypes:
    """Attribute code -> type, for value rows whose entry does not say (all but SaaS).

    Filled by the `attributes` stream when it runs (it sorts before the products), else
    read from `/attributes` on the first value that needs it. An attribute created during
    the run causes one more read at most; after that an unknown attribute has no type.
    """

    #: Complete listings of `/attributes` per run, at most.
    MAX_READS = 2

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._types: dict[str, str | None] = {}
        #: Complete listings read during this run (by the stream or for a lookup).
        self.reads = 0

    def note(self, code: t.Any, kind: t.Any) -> None:
        if isinstance(code, str):
            self._types[code] = kind if isinstance(kind, str) else None

    def listing_read(self) -> None:
        self.reads += 1

    def get(self, code: str, tap: t.Any) -> str | None:
        if code in self._types:
            return self._types[code]
        with self._lock:
            if code not in self._types and self.reads < self.MAX_READS:
                attributes = tap.streams["attributes"]
                try:
                    # request_records() notes every type, and the listing at its end.
                    for _ in attributes.request_records(None):
                        pass
                except AkeneoAPIError as exc:
                    # e.g. a connection without the catalog-structure permission: the
                    # values are still worth having, without their type.
                    self.reads = self.MAX_READS
                    attributes.logger.warning(
                        "Cannot read the attribute types (%s): attribute_type stays empty", exc
                    )
            return self._types.get(code)


class ValueRowsParent(AkeneoStream):
    """Mixin for products and product models: feed the value stream, a batch at a time."""

    @property
    def value_stream(self) -> t.Any:
        """The selected long-format value stream among this stream's children, if any."""
        for child in self.child_streams:
            if getattr(child, "is_value_stream", False) and child.selected:
                return child
        return None

    def generate_child_contexts(
        self, record: dict, context: Context | None
    ) -> t.Iterable[dict | None]:
        child = self.value_stream
        if child is None or not self.stream_maps[0].get_filter_result(record):
            return
        child.collect(record)
        if child.owners_pending >= VALUE_BATCH:
            yield child.next_batch()

    def request_records(self, context: Context | None) -> t.Iterable[dict]:
        yield from super().request_records(context)
        # Resumed after the last record was processed: hand over the rest.
        child = self.value_stream
        if child is not None and child.owners_pending:
            self._sync_children(child.next_batch())
