"""The tap with some of its performance choices undone, for measurements.

``python -m benchmarks.variant [--writer sdk|msgspec] [--conformance recursive|root_only|none]
[--parse json|msgspec|lazy] [--messages sdk|plain] --config ... [tap options]``

Everything not named keeps the tap's own choice. The harness's baseline, "the SDK's
defaults", is ``--writer sdk --conformance recursive --parse json --messages sdk`` with
``max_concurrency: 1`` in the config: a sequential read, records conformed recursively,
selection walked, written by the SDK's default simplejson writer with a flush per line.
"""

from __future__ import annotations

import argparse
import decimal
import json
import sys
import typing as t

BASELINE = ["--writer", "sdk", "--conformance", "recursive", "--parse", "json", "--messages", "sdk"]


def apply(writer: str | None, conformance: str | None, parse: str | None, messages: str | None) -> None:
    """Patch the tap's classes in this process."""
    from singer_sdk.contrib.msgspec import MsgSpecWriter
    from singer_sdk.helpers.conform import TypeConformanceLevel
    from singer_sdk.io_base import SingerWriter

    from tap_akeneo import client, payloads
    from tap_akeneo.tap import TapAkeneo

    writers: dict[str, t.Any] = {"sdk": SingerWriter, "msgspec": MsgSpecWriter}
    if writer in writers:
        TapAkeneo.message_writer_class = writers[writer]
    if conformance:
        client.AkeneoStream.TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel[conformance.upper()]
    if parse in ("json", "msgspec"):
        client.AkeneoStream.raw_keys = frozenset()
        from tap_akeneo.streams import products

        products.CatalogItemStream.raw_keys = frozenset()
        if parse == "json":
            payloads.decode = lambda content: json.loads(content, parse_float=decimal.Decimal)  # type: ignore[assignment]
    if messages == "sdk":
        client.AkeneoStream.plain_records = property(lambda self: False)  # type: ignore[assignment,misc]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--writer", choices=("sdk", "msgspec"))
    parser.add_argument("--conformance", choices=("recursive", "root_only", "none"))
    parser.add_argument("--parse", choices=("json", "msgspec", "lazy"))
    parser.add_argument("--messages", choices=("sdk", "plain"))
    args, rest = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    apply(args.writer, args.conformance, args.parse, args.messages)
    from tap_akeneo.tap import TapAkeneo

    TapAkeneo.cli(rest)


if __name__ == "__main__":
    main()
