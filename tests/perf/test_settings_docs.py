"""Every tap setting is declared in meltano.yml and listed in the README's settings table."""

from __future__ import annotations

import re

import yaml

from tap_akeneo.tap import CONFIG_SCHEMA
from tests.reliability.helpers import ROOT

#: Settings every SDK tap has (the SDK adds them to the schema); documented by `--about`.
SDK_BUILTIN = {
    "stream_maps",
    "stream_map_config",
    "faker_config",
    "flattening_enabled",
    "flattening_max_depth",
    "flattening_max_key_length",
    "flattening_separator",
    "batch_config",
}


def test_settings_are_in_meltano_yml_and_the_readme() -> None:
    names = set(CONFIG_SCHEMA["properties"]) - SDK_BUILTIN
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    tap = next(p for p in project["plugins"]["extractors"] if p["name"] == "tap-akeneo")
    declared = {s["name"]: s for s in tap["settings"]}
    assert names <= set(declared), names - set(declared)
    for name in names:
        assert declared[name].get("label") and declared[name].get("description"), name
    readme = set(re.findall(r"^\| `([a-z_]+)`", (ROOT / "README.md").read_text(), flags=re.M))
    assert names <= readme, names - readme
    setting = declared["max_concurrency"]
    assert setting["kind"] == "integer" and setting["value"] == 4
    assert CONFIG_SCHEMA["properties"]["max_concurrency"]["default"] == 4
