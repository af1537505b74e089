"""What the tap's CPU goes to: type conformance level, message writer, parsing, messages.

``python -m benchmarks.choices [--products 20000] [--product-models 4000] [--repeat 3]``

Each variant is the tap with some choices undone (:mod:`benchmarks.variant`), run as its
own process against the same prepared sandbox with no latency and ``max_concurrency: 1``
(nothing to wait for: the run is CPU), output to /dev/null. Reported: median CPU time
(user + sys) of the tap process, microseconds per record, and the CPU scaled to 100,000
records. Results are also written to benchmarks/results/choices-<time>.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import typing as t
from pathlib import Path

from benchmarks.common import RESULTS, Sandbox, fmt_table, machine, run_tap

SDK = {"writer": "sdk", "conformance": "recursive", "parse": "json", "messages": "sdk"}
VARIANTS: list[tuple[str, dict[str, str]]] = [
    ("SDK defaults: RECURSIVE, SingerWriter", SDK),
    ("ROOT_ONLY, SingerWriter", {**SDK, "conformance": "root_only"}),
    ("NONE, SingerWriter", {**SDK, "conformance": "none"}),
    ("RECURSIVE, MsgSpecWriter", {**SDK, "writer": "msgspec"}),
    ("ROOT_ONLY, MsgSpecWriter", {**SDK, "writer": "msgspec", "conformance": "root_only"}),
    ("NONE, MsgSpecWriter", {**SDK, "writer": "msgspec", "conformance": "none"}),
    (
        " + msgspec parsing",
        {**SDK, "writer": "msgspec", "conformance": "none", "parse": "msgspec"},
    ),
    (
        " + plain RECORD messages",
        {"writer": "msgspec", "conformance": "none", "parse": "msgspec", "messages": "plain"},
    ),
    (" + raw values (the tap)", {}),
]


def variant_args(choice: dict[str, str]) -> list[str] | None:
    if not choice:
        return None
    args: list[str] = []
    for key, value in choice.items():
        args += [f"--{key}", value]
    return args


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--product-models", type=int, default=4_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    sandbox = Sandbox(args.products, args.product_models, latency=0.0)
    records = args.products + args.product_models
    workdir = Path(tempfile.mkdtemp(prefix="tap-akeneo-choices-"))
    rows: list[list[str]] = []
    results: list[dict[str, t.Any]] = []
    sdk_cpu = 0.0
    try:
        for label, choice in VARIANTS:
            cpus, walls = [], []
            for _ in range(args.repeat):
                run, _ = run_tap(
                    label,
                    sandbox,
                    sandbox.tap_config(max_concurrency=1),
                    variant=variant_args(choice),
                    workdir=workdir,
                    log=workdir / "tap.log",
                )
                cpus.append(run.cpu)
                walls.append(run.wall)
            cpu = statistics.median(cpus)
            sdk_cpu = sdk_cpu or cpu
            results.append({"variant": label, "choice": choice, "cpu": cpus, "wall": walls})
            rows.append(
                [
                    label,
                    f"{cpu:.2f}",
                    f"{cpu / records * 1e6:.1f}",
                    f"{cpu / records * 100_000:.1f}",
                    f"{cpu / sdk_cpu:.2f}",
                ]
            )
            print(f"{label}: {', '.join(f'{c:.2f}' for c in cpus)} s", flush=True)
    finally:
        sandbox.stop()
    table = fmt_table(rows, ["variant", "CPU s", "us/record", "s per 100k", "x SDK"])
    print(
        f"\nTap CPU (user+sys, median of {args.repeat}) for {args.products:,} products and "
        f"{args.product_models:,} product models, no latency, sequential, output to /dev/null:\n"
    )
    print(table)
    report = {
        "machine": machine(),
        "products": args.products,
        "product_models": args.product_models,
        "repeat": args.repeat,
        "results": results,
        "table": table,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"choices-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2))
    print(f"\nwritten to {path}")
    return report


if __name__ == "__main__":
    main()
