"""RECORD messages without the SDK's per-record no-ops (measured by benchmarks/choices.py).

:func:`plain_records` tells whether the SDK's per-record steps between ``post_process`` and
the writer leave a stream's records as they are (no field deselected, no type conformance,
no stream map or flattening); the stream then builds its RECORD messages directly. The
SDK's field-selection walk alone visits every nested object of every record.

The writer is the SDK's ``MsgSpecWriter``: measured against the SDK's default writer it
cuts the tap's CPU by a third; holding RECORDs back for fewer, larger writes made no
measurable difference (to /dev/null or through a pipe), so it writes them as they come.
"""

from __future__ import annotations

import typing as t

from singer_sdk.exceptions import MapperNotInitialized
from singer_sdk.helpers.conform import TypeConformanceLevel
from singer_sdk.mapper import SameRecordTransform

if t.TYPE_CHECKING:
    from singer_sdk.streams import Stream


def plain_records(stream: Stream) -> bool:
    """True when the SDK's field selection, conformance and stream maps leave records as is."""
    if stream.TYPE_CONFORMANCE_LEVEL != TypeConformanceLevel.NONE:
        return False
    if not all(stream.mask.values()):
        return False
    try:
        maps = stream.stream_maps
    except MapperNotInitialized:  # a stream used outside a tap run (unit tests)
        return False
    return len(maps) == 1 and type(maps[0]) is SameRecordTransform and not maps[0].flattening_enabled
