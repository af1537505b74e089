"""The performance harness: ``python -m benchmarks.run`` (``--quick`` for a smoke run).

Starts the sandbox PIM in this process with 100,000 products and 20,000 product models of
its default profile (every item serialized once beforehand, so that serving a page costs
the sandbox only joining cached bytes), with a latency added to every API call (default
100 ms), then measures, in this order:

1. the full export of the tap as shipped (``max_concurrency`` 4), output to /dev/null;
2. the same export with the SDK's defaults (sequential, RECURSIVE type conformance, the
   SDK's default writer, json parsing): the baseline;
3. the full export end to end, the tap piped into target-postgres (as Meltano runs them),
   loading an embedded PostgreSQL (``fsync=off``) or the one in TAP_AKENEO_TEST_PG_*;
4. an incremental run from the bookmark of run 3, after 500 products changed;
5. the full export of a catalog three times larger (300,000 products), for peak RSS.

For every run: wall time, CPU time (user + sys) and peak RSS of the tap process (measured
through :mod:`benchmarks.measure`), the requests the sandbox answered (token included) and
the sandbox's own CPU. The floor is ``pages / 4 x latency``. Prints a table with ratios to
the floor and to the baseline, checks the targets of the performance issue, and writes
everything as JSON to benchmarks/results/ (``--out``).

The full run takes about 10 minutes on a 2-core machine (most of it the sequential
baseline, 1,200 pages one after the other, and the 300k-product export).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import typing as t
from pathlib import Path

from benchmarks.common import (
    RESULTS,
    ROOT,
    Run,
    Sandbox,
    catalog_file,
    fmt_table,
    machine,
    measured,
    run_tap,
    tap_command,
    usage,
    write_json,
)
from benchmarks.variant import BASELINE

QUICK = {"products": 2_000, "product_models": 400, "latency": 0.01, "changed": 50, "rss_factor": 3}
FULL = {"products": 100_000, "product_models": 20_000, "latency": 0.1, "changed": 500, "rss_factor": 3}


def say(text: str) -> None:
    print(f"==> {text}", flush=True)


# -- end to end ------------------------------------------------------------------------------


class Warehouse:
    """PostgreSQL and target-postgres for the end-to-end run."""

    def __init__(self, workdir: Path) -> None:
        from tap_akeneo.demo.postgres import EmbeddedPostgres, PostgresInfo

        self.server: EmbeddedPostgres | None = None
        host = os.environ.get("TAP_AKENEO_TEST_PG_HOST")
        if host:
            self.info = PostgresInfo(
                host=host,
                port=int(os.environ.get("TAP_AKENEO_TEST_PG_PORT", "5432")),
                user=os.environ.get("TAP_AKENEO_TEST_PG_USER", "postgres"),
                password=os.environ.get("TAP_AKENEO_TEST_PG_PASSWORD", ""),
                database=os.environ.get("TAP_AKENEO_TEST_PG_DATABASE", "postgres"),
            )
        else:
            self.server = EmbeddedPostgres(workdir / "pg")
            self.info = self.server.start()
        self.target = target_postgres(self.info, workdir)

    def count(self, schema: str, table: str) -> int:
        import psycopg2

        with psycopg2.connect(self.info.dsn()) as conn, conn.cursor() as cur:
            cur.execute(f'select count(*) from "{schema}"."{table}"')
            return int(cur.fetchone()[0])  # type: ignore[index]

    def drop(self, schema: str) -> None:
        import psycopg2

        with psycopg2.connect(self.info.dsn()) as conn, conn.cursor() as cur:
            cur.execute(f'drop schema if exists "{schema}" cascade')

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


def target_postgres(info: t.Any, workdir: Path) -> str:
    """The target-postgres executable Meltano installs for this project (installed if needed)."""
    exe = ROOT / ".meltano" / "loaders" / "target-postgres" / "venv" / "bin" / "target-postgres"
    if not exe.exists():
        from tap_akeneo.demo.meltano import MeltanoProject

        say("installing target-postgres with meltano (once)")
        MeltanoProject(workdir / "meltano", tap_config={"base_url": "http://127.0.0.1:9"}, postgres=info).run(
            "install", "loader", "target-postgres", timeout=900
        )
    return str(exe)


def loader_config() -> dict[str, t.Any]:
    """target-postgres's settings in this project's meltano.yml (what `meltano run` uses)."""
    import yaml

    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    loader = next(p for p in project["plugins"]["loaders"] if p["name"] == "target-postgres")
    return dict(loader.get("config") or {})


def run_pipeline(
    name: str, sandbox: Sandbox, config: dict[str, t.Any], warehouse: Warehouse, schema: str, workdir: Path
) -> tuple[Run, dict[str, t.Any] | None]:
    """tap | target-postgres, as Meltano pipes them; returns the run and the target's last STATE."""
    target_config = {**loader_config(), **warehouse.info.target_config(), "default_target_schema": schema}
    tap_cmd, tap_report = measured(
        [
            *tap_command(),
            "--config",
            str(write_json(config, workdir)),
            "--catalog",
            str(catalog_file(workdir)),
        ],
        workdir,
    )
    target_cmd, target_report = measured(
        [warehouse.target, "--config", str(write_json(target_config, workdir, "target"))], workdir
    )
    stats = sandbox.server.stats
    stats.reset()
    cpu0 = time.process_time()
    started = time.perf_counter()
    with open(workdir / "tap-e2e.log", "wb") as tap_log, open(workdir / "target.log", "wb") as target_log:
        tap = subprocess.Popen(tap_cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=tap_log)
        target = subprocess.Popen(
            target_cmd, cwd=ROOT, stdin=tap.stdout, stdout=subprocess.PIPE, stderr=target_log
        )
        assert tap.stdout is not None
        tap.stdout.close()
        out, _ = target.communicate()
        tap_code = tap.wait()
    wall = time.perf_counter() - started
    if tap_code != 0 or target.returncode != 0:
        raise RuntimeError(
            f"{name}: tap {tap_code}, target {target.returncode}\n"
            + (workdir / "target.log").read_text()[-2000:]
        )
    tap_used, target_used = usage(tap_report), usage(target_report)
    snapshot = stats.snapshot()
    states = [line for line in out.splitlines() if line.strip()]
    state = json.loads(states[-1]) if states else None
    run = Run(
        name=name,
        wall=wall,
        cpu=tap_used["cpu"],
        rss_mb=tap_used["rss_mb"],
        requests=snapshot["total"],
        sandbox_cpu=time.process_time() - cpu0,
        max_in_flight=snapshot["max_concurrency_per_token"],
        extra={"target_cpu": target_used["cpu"], "target_rss_mb": target_used["rss_mb"]},
    )
    return run, state


# -- the harness -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> dict[str, t.Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small catalog, 10 ms latency, no PostgreSQL")
    parser.add_argument("--products", type=int)
    parser.add_argument("--product-models", type=int)
    parser.add_argument("--latency", type=float, help="seconds added to every API call")
    parser.add_argument(
        "--e2e",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the end-to-end run into PostgreSQL (default: on, off with --quick)",
    )
    parser.add_argument(
        "--baseline",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="the sequential SDK-defaults run",
    )
    parser.add_argument("--rss-factor", type=int, help="catalog multiple for the RSS run (0: skip)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="directory for the JSON results")
    args = parser.parse_args(argv)

    size = dict(QUICK if args.quick else FULL)
    for key in ("products", "product_models", "latency", "rss_factor"):
        if getattr(args, key) is not None:
            size[key] = getattr(args, key)
    e2e = (not args.quick) if args.e2e is None else args.e2e
    workdir = Path(tempfile.mkdtemp(prefix="tap-akeneo-bench-"))
    report: dict[str, t.Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "command": " ".join([Path(sys.executable).name, "-m", "benchmarks.run", *(argv or sys.argv[1:])]),
        "machine": machine(),
        "settings": {**size, "e2e": e2e, "baseline": args.baseline},
        "runs": {},
    }
    runs: dict[str, Run] = {}
    started = time.perf_counter()

    say(
        f"sandbox: {size['products']:,} products, {size['product_models']:,} product models, "
        f"{size['latency'] * 1000:g} ms per API call"
    )
    sandbox = Sandbox(int(size["products"]), int(size["product_models"]), float(size["latency"]))
    sizes = sandbox.item_sizes()
    report["catalog"] = {
        "products": sandbox.products,
        "product_models": sandbox.product_models,
        "pages": sandbox.pages(),
        "floor_seconds": sandbox.floor(),
        "generate_seconds": sandbox.generate_seconds,
        "prerender_seconds": sandbox.prerender_seconds,
        **sizes,
    }
    say(
        f"items of the default profile: a product {sizes['product_bytes'] / 1024:.1f} KB of JSON, a product "
        f"model {sizes['product_model_bytes'] / 1024:.1f} KB; {sandbox.pages():,} pages of 100, floor "
        f"{sandbox.floor():.1f} s (pages / 4 x latency); catalog serialized in "
        f"{sandbox.prerender_seconds:.1f} s"
    )
    config = sandbox.tap_config()
    warehouse: Warehouse | None = None
    state: dict[str, t.Any] | None = None
    try:
        say("full export, tap -> /dev/null")
        runs["full"], tail = run_tap(
            "full export, tap -> /dev/null",
            sandbox,
            config,
            workdir=workdir,
            log=workdir / "full.log",
            capture=not e2e,
        )
        if tail is not None:
            state = tail.state()
            runs["full"].extra["records"] = tail.records

        if args.baseline:
            say("full export with the SDK's defaults, sequential (baseline)")
            runs["baseline"], _ = run_tap(
                "full export, SDK defaults, sequential",
                sandbox,
                {**config, "max_concurrency": 1},
                variant=BASELINE,
                workdir=workdir,
                log=workdir / "baseline.log",
            )

        if e2e:
            say("full export end to end: tap | target-postgres -> PostgreSQL")
            warehouse = Warehouse(workdir)
            schema = f"bench_{int(time.time())}"
            runs["e2e"], target_state = run_pipeline(
                "full export, tap | target-postgres", sandbox, config, warehouse, schema, workdir
            )
            runs["e2e"].extra["rows"] = {
                table: warehouse.count(schema, table) for table in ("products", "product_models")
            }
            state = target_state
            warehouse.drop(schema)

        changed = int(size["changed"])
        say(f"{changed} products change; incremental run")
        catalog = sandbox.server.catalog
        edited = random.Random(7).sample(list(catalog._uuid_index), changed)
        for uuid in edited:
            catalog.update_product(uuid, {"enabled": True})
        catalog.prerender()
        runs["incremental"], tail = run_tap(
            f"incremental, {changed} products changed",
            sandbox,
            config,
            state=state,
            workdir=workdir,
            log=workdir / "incremental.log",
            capture=True,
        )
        assert tail is not None
        runs["incremental"].extra["records"] = tail.records
        runs["incremental"].extra["requests_by_route"] = runs["incremental"].extra["requests_by_route"]
        report["incremental_state"] = state

        factor = int(size["rss_factor"])
        if factor > 1:
            big = int(size["products"]) * factor
            sandbox.stop()
            say(f"sandbox: {big:,} products for the peak-RSS check")
            sandbox = Sandbox(big, int(size["product_models"]), float(size["latency"]))
            runs["large"], _ = run_tap(
                f"full export, {big:,} products",
                sandbox,
                sandbox.tap_config(),
                workdir=workdir,
                log=workdir / "large.log",
            )
            runs["large"].extra["floor"] = sandbox.floor()
    finally:
        sandbox.stop()
        if warehouse is not None:
            warehouse.stop()

    report["runs"] = {key: run.__dict__ for key, run in runs.items()}
    report["elapsed_seconds"] = time.perf_counter() - started
    table, checks = summarize(report, runs)
    report["table"], report["targets"] = table, checks
    print()
    print(table)
    print()
    if args.quick:
        print("(a quick run: the targets below are for the full run, at 100 ms and 100,000 products)")
    for check in checks:
        print(f"{'met    ' if check['met'] else 'NOT met'}  {check['target']}: {check['measured']}")
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = args.out / f"{'quick' if args.quick else 'run'}-{stamp}.json"
    path.write_text(json.dumps(report, indent=2, default=str))
    shutil.copyfile(path, args.out / f"{'quick' if args.quick else 'run'}-latest.json")
    print(f"\nfigures written to {path} ({report['elapsed_seconds'] / 60:.1f} min)")
    shutil.rmtree(workdir, ignore_errors=True)
    return report


def summarize(report: dict[str, t.Any], runs: dict[str, Run]) -> tuple[str, list[dict[str, t.Any]]]:
    catalog = report["catalog"]
    floor = float(catalog["floor_seconds"])
    base = runs.get("baseline")
    rows = [
        [
            "floor: pages / 4 x latency",
            f"{floor:.1f}",
            "1.00",
            f"{floor / base.wall:.2f}" if base else "",
            "",
            "",
            str(catalog["pages"]),
            "",
        ]
    ]
    for key, run in runs.items():
        own_floor = float(run.extra.get("floor", floor))
        rows.append(
            [
                run.name,
                f"{run.wall:.1f}",
                f"{run.wall / own_floor:.2f}" if own_floor and key != "incremental" else "",
                f"{run.wall / base.wall:.2f}" if base and key in ("full", "baseline", "e2e") else "",
                f"{run.cpu:.1f}",
                f"{run.rss_mb:.0f}",
                str(run.requests),
                f"{run.sandbox_cpu:.1f}",
            ]
        )
    header = [
        "run",
        "wall s",
        "x floor",
        "x baseline",
        "tap CPU s",
        "peak RSS MB",
        "requests",
        "sandbox CPU s",
    ]
    table = fmt_table(rows, header)
    box = report["machine"]
    notes = [
        f"{catalog['products']:,} products (~{catalog['product_bytes'] / 1024:.1f} KB of JSON each) and "
        f"{catalog['product_models']:,} product models (~{catalog['product_model_bytes'] / 1024:.1f} KB), "
        f"{report['settings']['latency'] * 1000:g} ms per API call; machine: {box['cpus']} CPUs "
        f"({box['cpu_model']}), {box['memory_gib']} GiB, load average at start "
        f"{box['load_average_at_start'][0]:.2f}",
    ]
    if "e2e" in runs:
        e = runs["e2e"]
        notes.append(
            f"end to end: target-postgres CPU {e.extra['target_cpu']:.1f} s, peak RSS "
            f"{e.extra['target_rss_mb']:.0f} MB; rows loaded {e.extra.get('rows')}"
        )
    table += "\n" + "\n".join(notes)

    checks: list[dict[str, t.Any]] = []
    per = catalog["products"] / 100_000
    if "full" in runs:
        full = runs["full"]
        checks.append(
            {
                "target": "full export within 1.25 x the floor",
                "met": full.wall <= 1.25 * floor,
                "measured": f"{full.wall / floor:.2f} x ({full.wall:.1f} s vs {floor:.1f} s)",
            }
        )
        checks.append(
            {
                "target": "tap CPU at most 5 s per 100,000 products",
                "met": full.cpu / per <= 5.0,
                "measured": f"{full.cpu / per:.1f} s per 100,000 products ({full.cpu:.1f} s for the "
                f"whole export, product models included)",
            }
        )
        checks.append(
            {
                "target": "never more than 4 requests in flight",
                "met": full.max_in_flight <= 4,
                "measured": f"at most {full.max_in_flight}",
            }
        )
    if "large" in runs and "full" in runs:
        ratio = runs["large"].rss_mb / runs["full"].rss_mb
        checks.append(
            {
                "target": "peak RSS flat in catalog size (within 10%)",
                "met": abs(ratio - 1) <= 0.10,
                "measured": f"{runs['large'].rss_mb:.0f} MB vs {runs['full'].rss_mb:.0f} MB ({ratio:.2f} x)",
            }
        )
    if "incremental" in runs:
        inc = runs["incremental"]
        checks.append(
            {
                "target": "incremental: at most 10 API requests",
                "met": inc.requests <= 10,
                "measured": f"{inc.requests} requests (token included), {inc.extra.get('records')} records",
            }
        )
        limit = 3.0 * report["settings"]["latency"] / 0.1
        checks.append(
            {
                "target": f"incremental: at most {limit:g} s of wall time",
                "met": inc.wall <= limit,
                "measured": f"{inc.wall:.2f} s",
            }
        )
    if "e2e" in runs and "full" in runs:
        ratio = runs["e2e"].wall / runs["full"].wall
        checks.append(
            {
                "target": "end to end into PostgreSQL at most 2 x the tap-only time",
                "met": ratio <= 2.0,
                "measured": f"{ratio:.2f} x ({runs['e2e'].wall:.1f} s)",
            }
        )
    return table, checks


if __name__ == "__main__":
    main()
