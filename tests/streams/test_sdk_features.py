"""What the SDK gives for free keeps working: --about, --discover, --test, stream maps, flattening."""

from __future__ import annotations

import json
import subprocess
import sys
import typing as t
from pathlib import Path

from tests.conftest import tap_config
from tests.reliability.helpers import ROOT, messages, run_tap


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tap_akeneo.tap", *args], cwd=ROOT, capture_output=True, text=True
    )


def test_about_lists_settings_with_titles_and_secrets() -> None:
    about = json.loads(_cli("--about", "--format=json").stdout)
    props = about["settings"]["properties"]
    for name in (
        "base_url",
        "client_id",
        "client_secret",
        "username",
        "password",
        "start_date",
        "page_size",
        "server_timezone",
        "overlap_seconds",
        "emit_activate_version_messages",
    ):
        assert props[name].get("title") and props[name].get("description"), name
    assert props["client_secret"].get("secret") and props["password"].get("secret")
    assert about["settings"]["required"] == ["base_url"]
    assert "activate-version" in about["capabilities"] and "state" in about["capabilities"]


def test_discover_needs_no_connection(tmp_path: Path) -> None:
    (tmp_path / "c.json").write_text(json.dumps({"base_url": "http://127.0.0.1:9"}))
    result = _cli("--config", str(tmp_path / "c.json"), "--discover")
    assert result.returncode == 0, result.stderr[-1000:]
    streams = {s["tap_stream_id"]: s for s in json.loads(result.stdout)["streams"]}
    assert streams["products"]["key_properties"] == ["uuid"]
    assert streams["products"]["replication_key"] == "updated"
    assert streams["product_models"]["key_properties"] == ["code"]


def test_connection_test(sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(products=20, product_models=5, seed=61)
    result = run_tap(tap_config(sandbox), tmp_path, "--test")
    assert result.returncode == 0, result.stderr[-1000:]


def test_stream_maps_and_flattening(sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(products=20, product_models=5, seed=62)
    config = tap_config(
        sandbox,
        stream_maps={"products": {"__alias__": "akeneo_products", "is_on": "str(record['enabled'])"}},
        flattening_enabled=True,
        flattening_max_depth=1,
    )
    result = run_tap(config, tmp_path)
    assert result.returncode == 0, result.stderr[-1000:]
    out = messages(result.stdout)
    records = [m["record"] for m in out if m["type"] == "RECORD" and m["stream"] == "akeneo_products"]
    assert len(records) == 20
    assert all(r["is_on"] in ("True", "False") for r in records)
    schema = next(m for m in out if m["type"] == "SCHEMA" and m["stream"] == "akeneo_products")["schema"]
    # flattened past depth 1: nested objects travel as JSON text
    assert schema["properties"]["values"]["type"] == ["string", "null"]
    assert all(isinstance(json.loads(r["values"]), dict) for r in records)
