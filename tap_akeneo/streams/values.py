"""Long-format value streams: `product_values` and `product_model_values`.

One row per (owner, attribute, locale, scope), with the attribute's type, `data` as JSON
and the owner's `updated`. They are child streams of products and product models and
cost no request of their own: the rows are cut from the owner records the parent has
just read. The SDK syncs a child once per context, so the parent hands its children a
batch of owners at a time (every ``VALUE_BATCH`` owners, and the rest after its last
record) instead of one sync per product. Being children, they follow their parent's
replication (incremental in `sync`, full in `reconcile`), are deselected by default, and
in a reconcile get their ACTIVATE_VERSION right after the parent's last record, which
removes value rows that no longer exist.

A null locale or scope is written as "" (primary keys must never hold a null).
"""

from __future__ import annotations

import typing as t

from tap_akeneo.client import AkeneoStream
from tap_akeneo.schemas.values import PRODUCT_MODEL_VALUE, PRODUCT_VALUE
from tap_akeneo.streams.products import ProductModelsStream, ProductsStream

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

class ValuesStream(AkeneoStream):
    """Value rows of the owners its parent hands over (no HTTP requests)."""

    is_value_stream = True

    selected_by_default = False
    replication_key = None
    # One state entry for the stream (nothing to bookmark), not one per batch.
    state_partitioning_keys = []
    #: Column holding the owner's key, and the owner record's key field.
    owner_column: t.ClassVar[str]
    owner_key: t.ClassVar[str]

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        super().__init__(*args, **kwargs)
        self._pending: list[dict[str, t.Any]] = []
        self._owners = 0
        self._batches = 0
        self._schema_written = False

    @property
    def path(self) -> str:  # type: ignore[override]
        parent = self.parent_stream
        return parent.path if parent is not None else ""

    # -- fed by the parent ---------------------------------------------------------------

    def collect(self, owner: dict[str, t.Any]) -> None:
        """Cut the value rows of one owner record (already post-processed)."""
        key = owner.get(self.owner_key)
        values = owner.get("values")
        if not key or not isinstance(values, dict):
            return
        updated = owner.get("updated")
        types = self._tap.attribute_types
        for attribute, entries in values.items():
            if not isinstance(entries, list):
                continue
            kind: str | None = None
            for entry in entries:
                if not isinstance(entry, dict):
                    continue
                if kind is None:
                    kind = entry.get("attribute_type") or types.get(attribute, self._tap)
                self._pending.append(
                    {
                        self.owner_column: key,
                        "attribute": attribute,
                        "locale": entry.get("locale") or "",
                        "scope": entry.get("scope") or "",
                        "attribute_type": kind,
                        "data": entry.get("data"),
                        "linked_data": entry.get("linked_data"),
                        "updated": updated,
                    }
                )
        self._owners += 1

    @property
    def owners_pending(self) -> int:
        return self._owners

    def next_batch(self) -> dict[str, int]:
        """The child context for the rows collected so far."""
        self._batches += 1
        self._owners = 0
        return {"batch": self._batches}

    # -- synced as a child -----------------------------------------------------------------

    def request_records(self, context: Context | None) -> t.Iterable[dict]:
        rows, self._pending = self._pending, []
        self._tap.stats.record(self.name, len(rows))
        yield from rows

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        return row  # built by collect(), already clean

    def _write_schema_message(self) -> None:
        # The SDK writes SCHEMA at the start of every child sync: once per run is enough.
        if not self._schema_written:
            super()._write_schema_message()
            self._schema_written = True

    def log(self, message: str, *args: t.Any, level: int = 20, **kwargs: t.Any) -> None:
        # "Beginning sync of ... with context keys: ('batch',)" once per batch is noise.
        if message.startswith("Beginning sync of"):
            level = min(level, 10)
        super().log(message, *args, level=level, **kwargs)


class ProductValuesStream(ValuesStream):
    name = "product_values"
    parent_stream_type = ProductsStream
    primary_keys = ("product_uuid", "attribute", "locale", "scope")
    schema = PRODUCT_VALUE
    owner_column = "product_uuid"
    owner_key = "uuid"


class ProductModelValuesStream(ValuesStream):
    name = "product_model_values"
    parent_stream_type = ProductModelsStream
    primary_keys = ("product_model_code", "attribute", "locale", "scope")
    schema = PRODUCT_MODEL_VALUE
    owner_column = "product_model_code"
    owner_key = "code"


VALUE_STREAMS: list[type[AkeneoStream]] = [ProductValuesStream, ProductModelValuesStream]
