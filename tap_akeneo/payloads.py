"""Response bodies, parsed once and cheaply.

Parsing JSON into Python objects and encoding them again is most of what a tap spends
its CPU on. Two things keep that low:

- bodies are parsed with msgspec (several times faster than :mod:`json`), decimals as
  :class:`decimal.Decimal` as before; anything msgspec refuses but :mod:`json` reads
  (``NaN``, a BOM, huge integers) falls back to :mod:`json`, so what is accepted and
  how errors read is unchanged;
- a list page can be parsed *lazily*: the envelope and each item's small root fields
  (key, timestamps, family, ...) become Python values, while the large maps (``values``,
  ``associations``, ...) stay :class:`msgspec.Raw`, the item's own JSON bytes, which the
  msgspec message writer copies to the output verbatim. The stream decides when this is
  safe (no stream maps, flattening or nested field selection that would need to look
  inside them); see ``AkeneoStream.lazy_records``.
"""

from __future__ import annotations

import decimal
import json
import typing as t

import msgspec

_decoder = msgspec.json.Decoder(float_hook=decimal.Decimal)
#: ``{}`` as raw JSON: PHP writes an empty map as ``[]``.
EMPTY_OBJECT = msgspec.Raw(b"{}")
_EMPTY_ARRAY = msgspec.Raw(b"[]")


def decode(content: bytes) -> t.Any:
    """Parse a JSON body (decimals as Decimal); raises ValueError when it is not JSON."""
    try:
        return _decoder.decode(content)
    except msgspec.DecodeError:
        return json.loads(content, parse_float=decimal.Decimal)


class LazyPages:
    """A decoder of one stream's list pages that leaves ``raw_keys`` as raw JSON.

    Each item is decoded into a struct of the schema's root properties in one pass (C
    code): small values as Python objects, ``raw_keys`` as :class:`msgspec.Raw`; keys the
    schema lacks (``_links``, anything new) are skipped, as the tap drops them anyway
    (:meth:`unknown_keys` tells which there were, for a warning).
    """

    def __init__(
        self, fields: t.Iterable[str], raw_keys: t.Collection[str], map_keys: t.Collection[str]
    ) -> None:
        self.fields = tuple(fields)
        attributes = [f"f{i}" for i in range(len(self.fields))]
        item = msgspec.defstruct(
            "Item",
            [
                (attr, msgspec.Raw if name in raw_keys else t.Any, msgspec.UNSET)
                for attr, name in zip(attributes, self.fields, strict=True)
            ],
            rename=dict(zip(attributes, self.fields, strict=True)),
        )
        embedded = msgspec.defstruct("Embedded", [("items", list[item])])  # type: ignore[valid-type]
        page = msgspec.defstruct(
            "Page",
            [
                ("links", t.Union[dict[str, t.Any], None], None),  # noqa: UP007
                ("embedded", t.Union[embedded, None], None),  # type: ignore[valid-type]  # noqa: UP007
                ("current_page", t.Union[int, None], None),  # noqa: UP007
                ("items_count", t.Union[int, None], None),  # noqa: UP007
            ],
            rename={"links": "_links", "embedded": "_embedded"},
        )
        self._decoder = msgspec.json.Decoder(page, float_hook=decimal.Decimal)
        self._empty_maps = frozenset(
            i for i, name in enumerate(self.fields) if name in raw_keys and name in map_keys
        )

    def decode(self, content: bytes) -> t.Any:
        """The page as a dict (``_links``, ``_embedded.items`` as records, counts); any
        other body as :func:`decode` parses it."""
        try:
            page: t.Any = self._decoder.decode(content)
        except msgspec.DecodeError:
            return decode(content)
        if page.embedded is None:
            return decode(content)
        fields, empty_maps, unset = self.fields, self._empty_maps, msgspec.UNSET
        astuple = msgspec.structs.astuple
        records = []
        for item in page.embedded.items:
            values = astuple(item)
            record = {name: value for name, value in zip(fields, values, strict=True) if value is not unset}
            for i in empty_maps:  # PHP writes an empty map as []
                if values[i] == _EMPTY_ARRAY:
                    record[fields[i]] = EMPTY_OBJECT
            records.append(record)
        payload: dict[str, t.Any] = {"_embedded": {"items": records}}
        if page.links is not None:
            payload["_links"] = page.links
        if page.current_page is not None:
            payload["current_page"] = page.current_page
        if page.items_count is not None:
            payload["items_count"] = page.items_count
        return payload

    def unknown_keys(self, content: bytes) -> set[str]:
        """Root keys of the page's items that the schema lacks."""
        try:
            page = _keys_decoder.decode(content)
        except msgspec.DecodeError:
            return set()
        known = set(self.fields)
        return {key for item in page.embedded.items for key in item if key not in known}


class _KeysEmbedded(msgspec.Struct):
    items: list[dict[str, msgspec.Raw]]


class _KeysPage(msgspec.Struct):
    embedded: _KeysEmbedded = msgspec.field(name="_embedded")


_keys_decoder = msgspec.json.Decoder(_KeysPage)


def materialize(value: t.Any) -> t.Any:
    """A raw JSON value parsed into Python objects (anything else returned as is)."""
    return _decoder.decode(value) if isinstance(value, msgspec.Raw) else value
