"""The Hub definition, the README's settings table and meltano.yml agree with `tap-akeneo --about`.

All comparisons are with the *current* tap's --about: a setting added to tap_akeneo/tap.py makes
these tests fail until `python -m tap_akeneo.meltanohub --write` has rewritten the three files.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import typing as t
from pathlib import Path

import pytest
import yaml

from tap_akeneo import meltanohub
from tap_akeneo.meltanohub import COMMAND, GeneratorError

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def about() -> dict[str, t.Any]:
    return meltanohub.about_json()


def _own(about: dict[str, t.Any]) -> dict[str, dict[str, t.Any]]:
    """The tap's own settings (not the SDK's built-ins), by name, from --about."""
    builtins = meltanohub.builtin_names()
    return {k: v for k, v in about["settings"]["properties"].items() if k not in builtins}


def _expected_kind(prop: dict[str, t.Any]) -> str:
    """An independent reading of --about: what Meltano kind each of the tap's settings needs."""
    types = [x for x in prop["type"] if x != "null"]
    assert len(types) == 1
    if types[0] == "string":
        if prop.get("secret"):
            return "password"
        return "date_iso8601" if prop.get("format") == "date-time" else "string"
    return {"integer": "integer", "boolean": "boolean", "array": "array", "object": "object"}[types[0]]


def test_the_three_files_match_about(about: dict[str, t.Any]) -> None:
    drift = meltanohub.stale(ROOT, about)
    assert not drift, (
        f"{', '.join(map(str, drift))} drifted from `tap-akeneo --about`: run `{COMMAND}`\n\n"
        + "\n".join(drift.values())[:6000]
    )


def test_in_process_about_is_the_cli_output(about: dict[str, t.Any]) -> None:
    cli = subprocess.run(
        [str(Path(sys.executable).with_name("tap-akeneo")), "--about", "--format=json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert json.loads(cli.stdout) == about


def test_meltano_yml_declares_what_about_says(about: dict[str, t.Any]) -> None:
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    extractors = {p["name"]: p for p in project["plugins"]["extractors"]}
    plugin = extractors["tap-akeneo"]
    declared = {s["name"]: s for s in plugin["settings"]}
    assert len(declared) == len(plugin["settings"]), "a setting is declared twice"
    own = _own(about)
    for name, prop in own.items():
        setting = declared.get(name)
        assert setting is not None, f"{name} is in --about but not in meltano.yml"
        assert setting["kind"] == _expected_kind(prop), name
        assert bool(setting.get("sensitive")) == bool(prop.get("secret")), name
        assert setting.get("value") == prop.get("default"), name
        assert setting.get("label") == prop["title"], name
    names = {n for n, _ in meltanohub._flatten(about["settings"]["properties"])}
    assert set(declared) == names, "meltano.yml declares settings the tap does not have, or misses some"
    # Meltano 4.4.1 cannot pass decimals from the environment: no numbers, ever
    assert not [s for s in declared.values() if s["kind"] == "decimal" or isinstance(s.get("value"), float)]
    assert sorted(plugin["capabilities"]) == sorted(about["capabilities"])
    for group in plugin["settings_group_validation"]:
        assert set(about["settings"]["required"]) <= set(group) <= set(declared)
    for name in ("tap-akeneo", "tap-akeneo-full"):
        for key in extractors[name].get("config") or {}:
            assert key in names, f"{name} sets {key}, which the tap does not have"


def test_readme_table_lists_what_about_says(about: dict[str, t.Any]) -> None:
    text = (ROOT / "README.md").read_text()
    block = text.split(meltanohub.README_START, 1)[1].split(meltanohub.README_END, 1)[0]
    rows = re.findall(r"^\| `([\w.]+)`([^|]*)\| (\w+) \| ([^|]*) \|", block, flags=re.M)
    own = _own(about)
    assert [r[0] for r in rows] == list(own)
    required = set(about["settings"]["required"])
    for name, marks, kind, default in rows:
        prop = own[name]
        assert kind == _expected_kind(prop)
        assert ("(required)" in marks) == (name in required)
        assert ("(secret)" in marks) == bool(prop.get("secret"))
        wanted = prop.get("default")
        shown = default.strip().strip("`")
        assert shown == ("" if wanted is None else str(wanted).lower() if isinstance(wanted, bool) else str(wanted))
    assert f"`{COMMAND}`" in text, "the README names the generator command"


def test_hub_definition(about: dict[str, t.Any]) -> None:
    hub = yaml.safe_load((ROOT / meltanohub.HUB_FILE).read_text())
    for key in ("name", "namespace", "variant", "label", "description", "pip_url", "executable", "repo", "docs"):
        assert isinstance(hub.get(key), str) and hub[key], key
    assert hub["name"] == "tap-akeneo" and hub["namespace"] == "tap_akeneo"
    assert "meltano_sdk" in hub["keywords"]
    assert hub["capabilities"] == sorted(about["capabilities"])
    allowed = {"name", "kind", "label", "description", "sensitive", "value", "options"}
    for setting in hub["settings"]:
        assert set(setting) <= allowed, setting
        assert setting["kind"] in meltanohub.KINDS
        assert setting.get("description"), setting["name"]
        assert setting.get("sensitive", False) == (setting["kind"] == "password")
    assert {s["name"] for s in hub["settings"] if s.get("sensitive")} == {
        n for n, p in about["settings"]["properties"].items() if p.get("secret")
    }
    for group in hub["settings_group_validation"]:
        assert set(about["settings"]["required"]) <= set(group)


def test_a_meltano_project_can_add_the_hub_definition(tmp_path: Path) -> None:
    """What a Hub user gets: `meltano add --from-ref` with our file (no install: the Hub's
    pip_url points at the public repository), then Meltano lists the settings and groups."""
    (tmp_path / "meltano.yml").write_text(
        "default_environment: dev\nproject_id: hub-check\nsend_anonymous_usage_stats: false\n"
        "environments:\n- name: dev\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TAP_AKENEO", "MELTANO_"))}
    env.update(MELTANO_SEND_ANONYMOUS_USAGE_STATS="false", MELTANO_CLI_DISABLE_VERSION_CHECK="true")
    meltano = str(Path(sys.executable).with_name("meltano"))

    def run(*args: str) -> str:
        result = subprocess.run(
            [meltano, *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout + result.stderr

    run("add", "--plugin-type", "extractor", "tap-akeneo", "--from-ref", str(ROOT / meltanohub.HUB_FILE), "--no-install")
    listing = run("config", "list", "tap-akeneo", "--all")
    assert "Group 2: access_token, base_url" in listing
    assert "page_size [env: TAP_AKENEO_PAGE_SIZE] current value: 100 (default)" in listing
    assert "batch_config.encoding.format [env: TAP_AKENEO_BATCH_CONFIG_ENCODING_FORMAT]" in listing


def test_generator_rewrites_only_what_drifted(tmp_path: Path, about: dict[str, t.Any]) -> None:
    for name in ("README.md", "meltano.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / meltanohub.HUB_FILE).parent.mkdir(parents=True)
    (tmp_path / meltanohub.HUB_FILE).write_text("stale\n")
    readme = (tmp_path / "README.md").read_text().replace("| `page_size` |", "| `page_size_old` |")
    (tmp_path / "README.md").write_text(readme)
    assert set(meltanohub.stale(tmp_path, about)) == {meltanohub.HUB_FILE, Path("README.md")}
    assert meltanohub.main(["--check", "--root", str(tmp_path)]) == 1
    assert meltanohub.main(["--write", "--root", str(tmp_path)]) == 0
    assert meltanohub.stale(tmp_path, about) == {}
    for name in ("README.md", "meltano.yml", str(meltanohub.HUB_FILE)):
        assert (tmp_path / name).read_text() == (ROOT / name).read_text()


def test_a_new_setting_reaches_all_three_files(tmp_path: Path, about: dict[str, t.Any]) -> None:
    for name in ("README.md", "meltano.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    grown = json.loads(json.dumps(about))
    grown["settings"]["properties"]["max_concurrency"] = {
        "type": ["integer", "null"],
        "title": "Max Concurrency",
        "default": 2,
        "description": "Requests in flight at once.",
    }
    files = meltanohub.outputs(tmp_path, grown)
    assert "| `max_concurrency` | integer | `2` | Requests in flight at once. |" in files[Path("README.md")]
    assert "    - name: max_concurrency\n      kind: integer\n      label: Max Concurrency\n" in files[Path("meltano.yml")]
    assert "  name: max_concurrency\n  value: 2\n" in files[meltanohub.HUB_FILE]
    # the rest of meltano.yml is left as it was
    rest = (tmp_path / "meltano.yml").read_text()
    assert rest.split(meltanohub.MELTANO_END)[1] == files[Path("meltano.yml")].split(meltanohub.MELTANO_END)[1]


def test_numbers_are_refused_and_objects_flattened() -> None:
    number = {"settings": {"properties": {"ratio": {"type": ["number", "null"]}}}, "capabilities": []}
    with pytest.raises(GeneratorError, match=r"Meltano 4\.4\.1 cannot pass decimal"):
        meltanohub.settings(number)
    nested = {
        "capabilities": [],
        "settings": {
            "properties": {
                "maps": {"type": ["object"], "properties": {"a": {"type": ["string"]}}, "additionalProperties": {"type": "object"}},
                "outer": {"type": ["object", "null"], "properties": {"inner": {"type": ["string"], "enum": ["x", "y_z"]}}},
                "when": {"type": ["string"], "format": "date-time", "default": "2024-01-01T00:00:00Z"},
            }
        },
    }
    got = {s["name"]: s for s in meltanohub.settings(nested)}
    assert got["maps"]["kind"] == "object"
    assert got["outer.inner"]["kind"] == "options"
    assert got["outer.inner"]["options"] == [{"label": "X", "value": "x"}, {"label": "Y Z", "value": "y_z"}]
    assert got["when"]["kind"] == "date_iso8601" and "value" not in got["when"]
