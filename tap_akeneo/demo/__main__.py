"""The demo: a full export and an incremental run into PostgreSQL, against the sandbox.

    python -m tap_akeneo.demo [--products N] [--product-models M]

Starts the sandbox PIM and, unless TARGET_POSTGRES_HOST points at your own server, an
embedded PostgreSQL; runs `meltano run tap-akeneo target-postgres` (a full export),
changes a few products through the sandbox's API, runs again, and shows that only those
were fetched. Prints row counts per table.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

from tap_akeneo.demo.meltano import MeltanoProject
from tap_akeneo.demo.postgres import EmbeddedPostgres, PostgresInfo


def _say(text: str) -> None:
    print(f"==> {text}", flush=True)


def _summaries(stderr: str) -> dict[str, int]:
    """Records per stream, from the tap's end-of-run summary lines."""
    found: dict[str, int] = {}
    for name, count in re.findall(r"Summary of '([a-z_]+)': (\d+) records", stderr):
        found[name] = int(count)
    return found


def _user_postgres() -> PostgresInfo | None:
    host = os.environ.get("TARGET_POSTGRES_HOST")
    if not host:
        return None
    return PostgresInfo(
        host=host,
        port=int(os.environ.get("TARGET_POSTGRES_PORT", "5432")),
        user=os.environ.get("TARGET_POSTGRES_USER", "postgres"),
        password=os.environ.get("TARGET_POSTGRES_PASSWORD", ""),
        database=os.environ.get("TARGET_POSTGRES_DATABASE", "postgres"),
    )


def _row_counts(info: PostgresInfo, schema: str) -> list[tuple[str, int, int]]:
    with psycopg2.connect(info.dsn()) as conn, conn.cursor() as cur:
        cur.execute(
            "select table_name from information_schema.tables where table_schema = %s order by table_name",
            (schema,),
        )
        tables = [row[0] for row in cur.fetchall()]
        counts = []
        for table in tables:
            cur.execute(
                f"select count(*), count(*) filter (where _sdc_deleted_at is not null) "
                f'from "{schema}"."{table}"'
            )
            total, deleted = cur.fetchone()  # type: ignore[misc]
            counts.append((table, int(total), int(deleted)))
        return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--product-models", type=int, default=300)
    parser.add_argument("--changes", type=int, default=5)
    parser.add_argument("--schema", default="akeneo_demo")
    args = parser.parse_args(argv)

    from tap_akeneo.demo.pim import PimClient
    from tap_akeneo.sandbox import SandboxServer

    work = Path(tempfile.mkdtemp(prefix="tap-akeneo-demo-"))
    sandbox = SandboxServer(products=args.products, product_models=args.product_models, seed=42, port=0)
    sandbox.start()
    embedded = None
    try:
        _say(f"sandbox PIM at {sandbox.base_url}: {args.products} products, {args.product_models} models")
        info = _user_postgres()
        if info is None:
            embedded = EmbeddedPostgres(work)
            info = embedded.start()
            _say(f"embedded PostgreSQL at {info.host}:{info.port}")
        else:
            _say(f"your PostgreSQL at {info.host}:{info.port}")

        config = {"base_url": sandbox.base_url, **sandbox.credentials}
        project = MeltanoProject(work / "meltano", tap_config=config, postgres=info, schema=args.schema)
        with psycopg2.connect(info.dsn()) as conn, conn.cursor() as cur:
            cur.execute(f'drop schema if exists "{args.schema}" cascade')
        _say("meltano install")
        project.install()

        _say("run 1: meltano run tap-akeneo target-postgres (no bookmark yet: full export)")
        started = time.monotonic()
        first = project.run("run", "tap-akeneo", "target-postgres")
        print(f"    fetched {_summaries(first.stderr)} in {time.monotonic() - started:.1f} s")

        pim = PimClient(sandbox.base_url, sandbox.credentials)
        changed = sorted(sandbox.catalog.products)[: args.changes]
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        for uuid in changed:
            pim.patch_product(
                uuid,
                {"values": {"name": [{"locale": "en_US", "scope": None, "data": f"Edited at {stamp}"}]}},
            )
        _say(f"changed {len(changed)} products through the API (PATCH /api/rest/v1/products-uuid/...)")
        time.sleep(1.1)

        _say("run 2: meltano run tap-akeneo target-postgres (incremental from the bookmark)")
        started = time.monotonic()
        second = project.run("run", "tap-akeneo", "target-postgres")
        fetched = _summaries(second.stderr)
        print(f"    fetched {fetched} in {time.monotonic() - started:.1f} s")
        print(
            f"    products: {fetched.get('products', 0)} fetched for {len(changed)} changed "
            "(the rest, if any, fall in the overlap window)"
        )

        _say(f"rows per table in schema {args.schema}")
        print(f"    {'table':<30}{'rows':>8}{'deleted':>9}")
        for table, total, deleted in _row_counts(info, args.schema):
            print(f"    {table:<30}{total:>8}{deleted:>9}")
        ok = fetched.get("products", 0) >= len(changed) and fetched.get("products", 0) < args.products
        _say("done" if ok else "unexpected result")
        return 0 if ok else 1
    finally:
        sandbox.stop()
        if embedded is not None:
            embedded.stop()


if __name__ == "__main__":
    sys.exit(main())
