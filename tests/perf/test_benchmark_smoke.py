"""The benchmark harness runs end to end on a small catalog (figures are not judged here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.reliability.helpers import ROOT


def test_quick_benchmark_runs_and_writes_its_figures(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "x floor" in result.stdout and "x baseline" in result.stdout
    report = json.loads((tmp_path / "quick-latest.json").read_text())
    assert set(report["runs"]) == {"full", "baseline", "incremental", "large"}
    for run in report["runs"].values():
        assert run["wall"] > 0 and run["cpu"] > 0 and run["rss_mb"] > 0 and run["requests"] > 0
    assert report["runs"]["incremental"]["extra"]["records"] >= 50
    assert report["catalog"]["pages"] == 24 and report["catalog"]["product_bytes"] > 1000
    assert {check["target"] for check in report["targets"]} >= {"never more than 4 requests in flight"}
