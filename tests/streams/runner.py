"""Run the tap in-process against a sandbox and collect its Singer messages."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import io
import json
import logging
import typing as t

from tap_akeneo.tap import TapAkeneo

ALL = "*"


@dataclasses.dataclass
class Run:
    messages: list[dict[str, t.Any]]
    logs: list[str]

    def of_type(self, kind: str, stream: str | None = None) -> list[dict[str, t.Any]]:
        return [
            m for m in self.messages if m["type"] == kind and (stream is None or m.get("stream") == stream)
        ]

    def records(self, stream: str) -> list[dict[str, t.Any]]:
        return [m["record"] for m in self.of_type("RECORD", stream)]

    def streams(self) -> set[str]:
        return {m["stream"] for m in self.of_type("RECORD")}

    @property
    def state(self) -> dict[str, t.Any]:
        states = self.of_type("STATE")
        return states[-1]["value"] if states else {}

    def sequence(self, stream: str) -> list[str]:
        """RECORD/ACTIVATE_VERSION of one stream in order, runs of records collapsed."""
        out: list[str] = []
        for m in self.messages:
            if m.get("stream") != stream or m["type"] not in ("RECORD", "ACTIVATE_VERSION"):
                continue
            if not out or out[-1] != m["type"]:
                out.append(m["type"])
        return out


def catalog(
    config: dict[str, t.Any], select: t.Iterable[str] | str, *, full_table: bool = False
) -> dict[str, t.Any]:
    """The discovered catalog with exactly the ``select``ed streams selected; with
    ``full_table``, every stream forced to FULL_TABLE (what tap-akeneo-full does)."""
    tap = TapAkeneo(config=config, setup_mapper=False)
    cat = copy.deepcopy(tap.catalog_dict)
    names = set(tap.streams) if select == ALL else set(select)
    for entry in cat["streams"]:
        if full_table:
            entry["replication_method"] = "FULL_TABLE"
        for md in entry["metadata"]:
            if md["breadcrumb"] == []:
                md["metadata"]["selected"] = entry["tap_stream_id"] in names
    return cat


def run_tap(
    config: dict[str, t.Any],
    select: t.Iterable[str] | str = ALL,
    state: dict[str, t.Any] | None = None,
    *,
    full_table: bool = False,
) -> Run:
    cat = catalog(config, select, full_table=full_table)
    tap = TapAkeneo(config=config, catalog=cat, state=state or {})
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    handler = _ListHandler()
    root = logging.getLogger()
    root.addHandler(handler)
    previous = root.level
    root.setLevel(logging.INFO)
    try:
        with contextlib.redirect_stdout(out):
            tap.sync_all()
            out.flush()
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)
    out.seek(0)
    messages = [json.loads(line) for line in out.read().splitlines() if line.strip()]
    return Run(messages, handler.lines)


class _ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
