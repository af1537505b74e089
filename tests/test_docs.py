"""The README's two commands are what CI and users run; keep them from drifting."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```bash\n(.+?)\n```", text, flags=re.S)[:2]


def test_readme_starts_with_demo_and_test_commands() -> None:
    demo, tests = _readme_commands()
    assert demo.endswith("-m tap_akeneo.demo")
    assert tests.endswith("-m pytest")
    assert demo.startswith("python3 -m venv .venv") and tests.startswith("python3 -m venv .venv")


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    _, tests = _readme_commands()
    ci = (ROOT / ".ci" / "run").read_text().splitlines()
    assert tests in ci
    assert "exit 1" in (ROOT / ".ci" / "run").read_text().split('"$rc" -eq 5', 1)[1][:200]
