"""What the tap writes: ACTIVATE_VERSION placement, record versions, variants, bookmarks."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import typing as t
from pathlib import Path

from tests.conftest import tap_config
from tests.reliability.helpers import ROOT, messages, run_tap


def _full_table_catalog(
    config: dict[str, t.Any], tmp_path: Path, streams: t.Sequence[str] | None = None, full_table: bool = True
) -> Path:
    """The discovered catalog, every stream (or those named) selected and forced to full table."""
    config_file = tmp_path / "discover.json"
    config_file.write_text(json.dumps(config))
    out = subprocess.run(
        [sys.executable, "-m", "tap_akeneo.tap", "--config", str(config_file), "--discover"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    catalog = json.loads(out)
    for entry in catalog["streams"]:
        if full_table:
            entry["replication_method"] = "FULL_TABLE"
        for meta in entry["metadata"]:
            if meta["breadcrumb"] == []:
                meta["metadata"]["selected"] = streams is None or entry["tap_stream_id"] in streams
                if full_table:
                    meta["metadata"]["forced-replication-method"] = "FULL_TABLE"
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog))
    return path


def test_reconcile_writes_activate_version_once_after_the_last_record(
    sandbox_factory: t.Any, tmp_path: Path
) -> None:
    sandbox = sandbox_factory(products=90, product_models=15, seed=51)
    config = tap_config(sandbox, page_size=20, emit_activate_version_messages=True)
    catalog = _full_table_catalog(config, tmp_path)
    result = run_tap(config, tmp_path, "--catalog", str(catalog))
    assert result.returncode == 0, result.stderr[-2000:]
    out = messages(result.stdout)
    for stream, count in (("products", 90), ("product_models", 15)):
        kinds = [m["type"] for m in out if m.get("stream") == stream]
        assert kinds.count("ACTIVATE_VERSION") == 1
        assert kinds.count("RECORD") == count
        last_record = max(i for i, m in enumerate(out) if m["type"] == "RECORD" and m["stream"] == stream)
        activate = next(
            i for i, m in enumerate(out) if m["type"] == "ACTIVATE_VERSION" and m["stream"] == stream
        )
        assert activate > last_record
        version = out[activate]["version"]
        assert {m["version"] for m in out if m["type"] == "RECORD" and m["stream"] == stream} == {version}


def test_failed_reconcile_writes_no_activate_version(sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(products=90, product_models=15, seed=52)
    config = tap_config(sandbox, page_size=20, emit_activate_version_messages=True, max_retries=1)
    catalog = _full_table_catalog(config, tmp_path, streams=("products", "product_models"))
    # product_models completes (count probe, page), products dies midway (endpoint probe,
    # count probe, first page, then failures)
    sandbox.faults.fail_after_requests = 5
    result = run_tap(config, tmp_path, "--catalog", str(catalog))
    assert result.returncode != 0
    out = messages(result.stdout)
    assert [m["stream"] for m in out if m["type"] == "ACTIVATE_VERSION"] == ["product_models"]
    assert any(m["type"] == "RECORD" and m["stream"] == "products" for m in out)


def test_incremental_records_carry_a_version_and_no_activate_version(
    sandbox_factory: t.Any, tmp_path: Path
) -> None:
    sandbox = sandbox_factory(products=40, product_models=8, seed=53)
    config = tap_config(sandbox, emit_activate_version_messages=True)
    # The incremental streams (full-table structure streams do reconcile, rightly).
    catalog = _full_table_catalog(config, tmp_path, streams=("products", "product_models"), full_table=False)
    result = run_tap(config, tmp_path, "--catalog", str(catalog))
    out = messages(result.stdout)
    assert not [m for m in out if m["type"] == "ACTIVATE_VERSION"]
    versions = {m.get("version") for m in out if m["type"] == "RECORD"}
    assert len(versions) == 1 and isinstance(versions.pop(), int)


def _final_bookmark(out: list[dict[str, t.Any]], stream: str) -> str:
    state = [m for m in out if m["type"] == "STATE"][-1]["value"]
    return str(state["bookmarks"][stream]["replication_key_value"])


def test_variants_of_a_changed_model_are_emitted_and_the_bookmark_holds(
    sandbox_factory: t.Any, tmp_path: Path
) -> None:
    sandbox = sandbox_factory(products=150, product_models=30, seed=54)
    config = tap_config(sandbox, overlap_seconds=0)
    first = messages(run_tap(config, tmp_path).stdout)
    bookmark = _final_bookmark(first, "products")
    state = [m for m in first if m["type"] == "STATE"][-1]["value"]

    catalog = sandbox.catalog
    model = next(
        code
        for code, m in catalog.product_models.items()
        if not m.get("parent") and any(p.get("parent") == code for p in catalog.products.values())
    )
    variants = {u for u, p in catalog.products.items() if p.get("parent") == model}
    sub = {c for c, m in catalog.product_models.items() if m.get("parent") == model}
    variants |= {u for u, p in catalog.products.items() if p.get("parent") in sub}
    import time

    time.sleep(1.1)
    catalog.update_product_model(model, {"categories": ["master"]})
    second = messages(run_tap(config, tmp_path, state=state).stdout)
    got = {
        m["record"]["uuid"]: m["record"]["updated"]
        for m in second
        if m["type"] == "RECORD" and m["stream"] == "products"
    }
    assert variants <= set(got)
    assert any(got[u] < bookmark for u in variants)  # their own, older `updated`
    assert _final_bookmark(second, "products") >= bookmark


def test_bookmark_never_passes_the_run_start(sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(products=30, product_models=5, seed=55)
    # A PIM clock 10 minutes ahead: items saved "now" by its clock are after our start.
    uuid = sorted(sandbox.catalog.products)[0]
    sandbox.set_clock_offset(600)
    sandbox.catalog.update_product(uuid, {"enabled": False})
    sandbox.set_clock_offset(0)
    started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    out = messages(run_tap(tap_config(sandbox), tmp_path).stdout)
    bookmark = dt.datetime.fromisoformat(_final_bookmark(out, "products"))
    assert bookmark <= started + dt.timedelta(seconds=1)
