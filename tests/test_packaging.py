"""A wheel built from the repository works in a fresh virtual environment; one version; a changelog."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import typing as t
import venv
from pathlib import Path

import pytest

import tap_akeneo
from tap_akeneo import meltanohub
from tests.conftest import tap_config

ROOT = Path(__file__).resolve().parents[1]


def _pyproject_version() -> str:
    found = re.search(r'^version = "([^"]+)"$', (ROOT / "pyproject.toml").read_text(), flags=re.M)
    assert found, "pyproject.toml has no static version"
    return found.group(1)


def _run(*args: str, timeout: float = 300, **kw: t.Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, **kw)
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def wheel_venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`pip wheel . --no-deps`, then a new venv with only that wheel (and its dependencies,
    from PyPI or pip's cache). About 10 s with a warm cache."""
    out = tmp_path_factory.mktemp("wheel")
    _run(sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(out))
    wheels = list(out.glob("tap_akeneo-*.whl"))
    assert [w.name for w in wheels] == [f"tap_akeneo-{_pyproject_version()}-py3-none-any.whl"]
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    _run(str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", str(wheels[0]), timeout=600)
    return env_dir / "bin"


def test_wheel_runs_about_from_a_fresh_venv(wheel_venv: Path) -> None:
    about = json.loads(_run(str(wheel_venv / "tap-akeneo"), "--about", "--format=json").stdout)
    assert about["version"] == _pyproject_version()
    assert about == meltanohub.about_json()
    # it runs from the venv, not from this checkout
    where = _run(str(wheel_venv / "python"), "-c", "import tap_akeneo; print(tap_akeneo.__file__)", cwd="/")
    assert str(wheel_venv.parent) in where.stdout
    # the Hub definition in the repository is the one the installed package generates
    hub = _run(str(wheel_venv / "python"), "-m", "tap_akeneo.meltanohub", "--print-hub", cwd="/").stdout
    assert hub == (ROOT / meltanohub.HUB_FILE).read_text()


def test_wheel_connects_to_a_pim(wheel_venv: Path, sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(products=20, product_models=3, seed=1)
    config = tmp_path / "config.json"
    config.write_text(json.dumps(tap_config(sandbox)))
    result = _run(str(wheel_venv / "tap-akeneo"), "--config", str(config), "--test", cwd="/")
    assert "Connection test passed" in result.stderr.strip().splitlines()[-1]


def test_one_version_everywhere() -> None:
    version = _pyproject_version()
    assert tap_akeneo.__version__ == version, "reinstall (pip install -e .) after changing the version"
    printed = _run(str(Path(sys.executable).with_name("tap-akeneo")), "--version").stdout
    assert f"v{version}" in printed


def test_changelog_keeps_a_changelog() -> None:
    text = (ROOT / "CHANGELOG.md").read_text()
    assert text.startswith("# Changelog\n")
    assert "https://keepachangelog.com/en/1.1.0/" in text
    sections = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", text, flags=re.M)
    assert sections and sections[0] == ("Unreleased", "")
    assert (_pyproject_version(), sections[1][1]) in sections[1:], "the current version has a dated section"
    for heading in re.findall(r"^### (.+)$", text, flags=re.M):
        assert heading in {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}, heading
    for name, _ in sections:
        assert re.search(rf"^\[{re.escape(name)}\]: ", text, flags=re.M), f"no link for [{name}]"
    for link in re.findall(r"^\[[^\]]+\]: (\S+)$", text, flags=re.M):
        assert link.startswith(meltanohub.REPOSITORY + "/"), "links follow pyproject's Repository URL"
