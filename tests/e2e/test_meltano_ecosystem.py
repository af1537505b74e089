"""Through Meltano, as a Hub user would: `meltano config test`, and targets other than PostgreSQL."""

from __future__ import annotations

import csv
import json
import socket
import time
import typing as t
from pathlib import Path

import pytest

from tap_akeneo.demo.meltano import MeltanoProject
from tap_akeneo.demo.postgres import PostgresInfo
from tests.conftest import tap_config

pytestmark = pytest.mark.e2e


def _project(tmp_path: Path, postgres: PostgresInfo, config: dict[str, t.Any], **env: str) -> MeltanoProject:
    return MeltanoProject(tmp_path / "meltano", tap_config=config, postgres=postgres, extra_env=env)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- meltano config test tap-akeneo --------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("ok", None),
        (
            "bad_password",
            "tap-akeneo: Akeneo refused the password grant (422): No user found for the given "
            "username and password (check username and password)",
        ),
        ("unreachable", "tap-akeneo: cannot reach the Akeneo token endpoint http://127.0.0.1:{port}/api/oauth/v1/token"),
        ("wrong_url", "tap-akeneo: no Akeneo token endpoint at {base}/akeneo/api/oauth/v1/token (404)"),
        ("missing", "tap-akeneo: missing setting(s) password"),
        # the default retry settings: a name that does not resolve is not retried
        ("dns", "tap-akeneo: cannot reach the Akeneo token endpoint http://pim.invalid/api/oauth/v1/token"),
    ],
)
def test_meltano_config_test(
    sandbox_factory: t.Any,
    postgres: PostgresInfo,
    meltano_installed: None,
    tmp_path: Path,
    case: str,
    expected: str | None,
) -> None:
    sandbox = sandbox_factory(products=60, product_models=10, seed=6)
    port = _closed_port()
    good = tap_config(sandbox)
    config = {
        "ok": good,
        "bad_password": {**good, "password": "nope"},
        "unreachable": {**good, "base_url": f"http://127.0.0.1:{port}"},
        "wrong_url": {**good, "base_url": f"{sandbox.base_url}/akeneo"},
        "missing": {k: v for k, v in good.items() if k != "password"},
        "dns": {"base_url": "http://pim.invalid", **sandbox.credentials},
    }[case]
    project = _project(tmp_path, postgres, config)
    started = time.monotonic()
    result = project.run("config", "test", "tap-akeneo", check=False, timeout=120)
    seconds = time.monotonic() - started
    output = result.stdout + result.stderr
    assert seconds < 30, output
    if expected is None:
        assert result.returncode == 0, output
        assert "Plugin configuration is valid" in output
        return
    assert result.returncode != 0
    assert "Plugin configuration is invalid" in output
    # Meltano shows the tap's last line: the plain sentence, not a JSON log record
    line = next(line for line in output.splitlines() if line.startswith("tap-akeneo: "))
    assert line.startswith(expected.format(port=port, base=sandbox.base_url)), output
    assert "nope" not in output and "sandbox_secret" not in output


# -- any Singer target ----------------------------------------------------------------------


def _read(target: str, directory: Path, stream: str) -> list[dict[str, t.Any]]:
    if target == "target-csv":
        with (directory / f"{stream}.csv").open(newline="") as handle:
            return list(csv.DictReader(handle))
    lines = (directory / f"{stream}.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


@pytest.mark.parametrize("target", ["target-csv", "target-jsonl"])
def test_records_reach_other_singer_targets(
    sandbox_factory: t.Any,
    postgres: PostgresInfo,
    meltano_installed: None,
    tmp_path: Path,
    target: str,
) -> None:
    """target-csv (an SDK target) and target-jsonl (a singer-python one), installed by
    `meltano install` from their lock files under plugins/loaders/: the incremental tap and
    the reconcile twin (whose ACTIVATE_VERSION they ignore) both deliver every record."""
    sandbox = sandbox_factory(products=130, product_models=30, seed=8)
    catalog = sandbox.catalog
    for extractor in ("tap-akeneo", "tap-akeneo-full"):
        out = tmp_path / extractor
        out.mkdir()
        env = {"TARGET_CSV_OUTPUT_PATH": str(out), "TARGET_JSONL_DESTINATION_PATH": str(out)}
        project = _project(tmp_path / extractor, postgres, tap_config(sandbox, page_size=40), **env)
        result = project.run("run", extractor, target)
        products = _read(target, out, "products")
        models = _read(target, out, "product_models")
        assert len(products) == len(catalog.products), extractor
        assert {row["uuid"] for row in products} == set(catalog.products)
        assert {row["code"] for row in models} == set(catalog.product_models)
        assert "Summary of 'products': 130 records" in result.stderr
