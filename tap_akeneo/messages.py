"""Writing RECORD messages cheaply (the choices are measured by benchmarks/choices.py).

- :class:`AkeneoMessageWriter`: msgspec serialization (as the SDK's ``MsgSpecWriter``),
  without the flush after every RECORD: records leave in 64 KiB writes, and the buffer is
  written out before any other message (SCHEMA, STATE, ACTIVATE_VERSION), so a STATE never
  reaches the target ahead of the records it covers.
- :func:`plain_records`: whether the SDK's per-record steps between ``post_process`` and
  the writer are no-ops for a stream (no field deselected, no type conformance, no stream
  map or flattening); the stream then builds its RECORD messages directly.
"""

from __future__ import annotations

import sys
import typing as t

from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.exceptions import MapperNotInitialized
from singer_sdk.helpers.conform import TypeConformanceLevel
from singer_sdk.mapper import SameRecordTransform
from singer_sdk.singerlib import RecordMessage

if t.TYPE_CHECKING:
    from singer_sdk.streams import Stream

#: Buffered RECORD bytes are written out when they exceed this.
FLUSH_BYTES = 64 * 1024


class AkeneoMessageWriter(MsgSpecWriter):
    """msgspec lines; RECORDs buffered up to 64 KiB, everything else written at once."""

    def __init__(self) -> None:
        super().__init__()
        self._pending = bytearray()

    def write_message(self, message: t.Any) -> None:
        line = self.format_message(message)
        if isinstance(message, RecordMessage):
            self._pending += line
            if len(self._pending) < FLUSH_BYTES:
                return
        else:
            self._pending += line
        self.flush()

    def flush(self) -> None:
        if self._pending:
            sys.stdout.buffer.write(self._pending)
            self._pending.clear()
        sys.stdout.flush()


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
