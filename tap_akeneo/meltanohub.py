"""Settings docs that cannot drift: generated from ``tap-akeneo --about --format=json``.

Three files describe the tap's settings; all three are written from the tap's own ``--about``
(the settings schema in :mod:`tap_akeneo.tap`, plus the SDK's built-in settings):

- ``plugins/meltanohub/extractors/tap-akeneo.yml``: the MeltanoHub plugin definition;
- ``README.md``: the settings table, between ``<!-- settings:start -->`` and
  ``<!-- settings:end -->``;
- ``meltano.yml``: tap-akeneo's ``capabilities``, ``settings_group_validation`` and
  ``settings``, between ``# settings:start`` and ``# settings:end``.

After adding or changing a setting (or merging a branch that did)::

    python -m tap_akeneo.meltanohub --write     # rewrite the three files
    python -m tap_akeneo.meltanohub --check     # exit 1 with a diff if any file is stale

``tests/test_meltanohub.py`` runs the check, so CI fails when a file drifts.

What ``--about`` cannot say lives here: the Hub's metadata (:data:`HUB`) and the groups of
settings that make a complete configuration (:data:`SETTINGS_GROUP_VALIDATION`: the password
grant's four credentials, or a Connected App's access token).

Kinds: string → ``string`` (``password`` when secret, ``date_iso8601`` for date-times,
``options`` for enums), integer → ``integer``, boolean, array, object. A setting typed
``number`` is refused: Meltano 4.4.1 cannot pass a decimal value from an environment variable
(it fails serialising the Decimal), so the tap's numeric settings are integers.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
import typing as t
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
HUB_FILE = Path("plugins/meltanohub/extractors/tap-akeneo.yml")
README_FILE = Path("README.md")
MELTANO_FILE = Path("meltano.yml")
COMMAND = "python -m tap_akeneo.meltanohub --write"

README_START = "<!-- settings:start -->"
README_END = "<!-- settings:end -->"
MELTANO_START = "# settings:start"
MELTANO_END = "# settings:end"


class GeneratorError(Exception):
    """The settings schema cannot be expressed for Meltano as it stands."""


def _repository() -> str:
    """``[project.urls] Repository`` of pyproject.toml, from the installed package's metadata."""
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        for entry in metadata("tap-akeneo").get_all("Project-URL") or []:
            label, _, url = entry.partition(",")
            if label.strip().lower() == "repository":
                return url.strip()
    except PackageNotFoundError:  # pragma: no cover - not installed
        pass
    raise GeneratorError("pyproject.toml names no [project.urls] Repository (or tap-akeneo is not installed)")


#: The Hub's own fields, which ``--about`` does not carry (the URLs come from pyproject.toml).
REPOSITORY = _repository()
HUB: dict[str, t.Any] = {
    "name": "tap-akeneo",
    "namespace": "tap_akeneo",
    "variant": REPOSITORY.rstrip("/").split("/")[-2],
    "label": "Akeneo PIM",
    "description": "Akeneo PIM products, product models and catalog structure, incrementally",
    "domain_url": "https://www.akeneo.com",
    "docs": f"{REPOSITORY}#readme",
    "repo": REPOSITORY,
    "pip_url": f"git+{REPOSITORY}.git",
    "executable": "tap-akeneo",
    "maintenance_status": "active",
    "keywords": ["meltano_sdk", "akeneo", "pim", "ecommerce", "api"],
    "usage": (
        "Incremental runs read what changed since the last run. Akeneo's API has no "
        "tombstones: to learn about deleted products, add a second extractor that inherits "
        "from tap-akeneo with `emit_activate_version_messages: true` and every stream forced "
        "to `FULL_TABLE`, and run it weekly into a target that honours ACTIVATE_VERSION "
        "(e.g. target-postgres). See the README."
    ),
}

#: Complete configurations: the password grant, or a Connected App's fixed token.
SETTINGS_GROUP_VALIDATION: list[list[str]] = [
    ["base_url", "client_id", "client_secret", "username", "password"],
    ["base_url", "access_token"],
]

#: Kinds the generator writes (a subset of MeltanoHub's and Meltano's setting kinds).
KINDS = ("string", "password", "date_iso8601", "options", "integer", "boolean", "array", "object")


# -- the source: --about -------------------------------------------------------------------


def about_json() -> dict[str, t.Any]:
    """What ``tap-akeneo --about --format=json`` prints, computed in-process."""
    from singer_sdk.about import AboutFormatter

    from tap_akeneo.tap import TapAkeneo

    text = AboutFormatter.get_formatter("json").format_about(TapAkeneo._get_about_info())
    return t.cast("dict[str, t.Any]", json.loads(text))


def builtin_names() -> set[str]:
    """Top-level names of the settings the SDK adds to every tap of this kind."""
    from singer_sdk import typing as th

    from tap_akeneo.tap import TapAkeneo

    schema = th.PropertiesList().to_dict()
    TapAkeneo.append_builtin_config(schema)
    return set(schema.get("properties", {}))


# -- settings ------------------------------------------------------------------------------


def _types(prop: dict[str, t.Any]) -> list[str]:
    found: list[str] = []
    raw = prop.get("type")
    for each in raw if isinstance(raw, list) else [raw]:
        if isinstance(each, str) and each != "null" and each not in found:
            found.append(each)
    for key in ("anyOf", "oneOf"):
        for member in prop.get(key) or []:
            if isinstance(member, dict):
                found += [kind for kind in _types(member) if kind not in found]
    return found


def _label(name: str) -> str:
    words = re.split(r"[._\s-]+", name)
    small = {"id": "ID", "url": "URL", "api": "API"}
    return " ".join(small.get(w.lower(), w.capitalize()) for w in words if w)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _kind(name: str, prop: dict[str, t.Any]) -> tuple[str, list[dict[str, str]] | None]:
    types = _types(prop)
    if types == ["number"]:
        raise GeneratorError(
            f"setting {name!r} is a number: Meltano 4.4.1 cannot pass decimal values from "
            "environment variables, so declare it with th.IntegerType"
        )
    if len(types) == 1:
        kind = types[0]
    elif "array" in types:
        kind = "array"
    else:
        kind = "string"
    if kind == "string":
        if prop.get("secret") or prop.get("writeOnly"):
            return "password", None
        if prop.get("format") in ("date-time", "date"):
            return "date_iso8601", None
        if prop.get("enum"):
            return "options", [{"label": _label(str(v)), "value": str(v)} for v in prop["enum"]]
        return "string", None
    if kind in KINDS:
        return kind, None
    raise GeneratorError(f"setting {name!r} has a type Meltano cannot take: {types!r}")


def _flatten(properties: dict[str, t.Any], prefix: str = "") -> t.Iterator[tuple[str, dict[str, t.Any]]]:
    """Settings as Meltano names them: nested objects with fixed properties become dotted
    names (``batch_config.encoding.format``); free-form maps (``stream_maps``) stay objects."""
    for key, prop in properties.items():
        name = f"{prefix}{key}"
        children = prop.get("properties") or {}
        free_form = isinstance(prop.get("additionalProperties"), dict)
        if "object" in _types(prop) and children and not free_form:
            yield from _flatten(children, f"{name}.")
        else:
            yield name, prop


def settings(about: dict[str, t.Any]) -> list[dict[str, t.Any]]:
    """Meltano setting definitions, in the order ``--about`` lists them."""
    result = []
    for name, prop in _flatten(about["settings"].get("properties", {})):
        kind, options = _kind(name, prop)
        entry: dict[str, t.Any] = {"name": name, "kind": kind, "label": prop.get("title") or _label(name)}
        description = _clean(prop.get("description"))
        if description:
            entry["description"] = description
        if options:
            entry["options"] = options
        if kind == "password":
            entry["sensitive"] = True
        default = prop.get("default")
        if default is not None and kind != "date_iso8601":
            entry["value"] = default
        result.append(entry)
    return result


def hub_definition(about: dict[str, t.Any]) -> dict[str, t.Any]:
    """The MeltanoHub plugin definition (the Hub's YAML layout: keys in alphabetical order)."""
    definition = dict(HUB)
    definition["capabilities"] = sorted(about["capabilities"])
    definition["settings_group_validation"] = _groups()
    definition["settings"] = sorted(settings(about), key=lambda s: s["name"])
    return definition


# -- the three files -----------------------------------------------------------------------


class _Flow(list):  # type: ignore[type-arg]
    """A list written on one line: ``[base_url, access_token]``."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_Flow, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True))


def _groups() -> list[_Flow]:
    return [_Flow(group) for group in SETTINGS_GROUP_VALIDATION]


def _dump(data: t.Any, *, sort_keys: bool) -> str:
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=sort_keys,
        allow_unicode=True,
        width=1_000_000,
        default_flow_style=False,
    )


def _either(groups: list[list[str]]) -> str:
    def words(names: list[str]) -> str:
        quoted = [f"`{n}`" for n in names]
        return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]

    if len(groups) == 1:
        return words(groups[0])
    return "either " + "; or ".join(words(g) for g in groups)


def _md(text: str) -> str:
    """Table-cell text: pipes escaped, ``<...>`` kept visible (not taken for an HTML tag)."""
    return text.replace("|", "\\|").replace("<", "&lt;")


def render_hub(about: dict[str, t.Any]) -> str:
    header = (
        f"# MeltanoHub definition of tap-akeneo, generated by `{COMMAND}`\n"
        "# from `tap-akeneo --about --format=json`: edit tap_akeneo/tap.py or tap_akeneo/meltanohub.py.\n"
    )
    return header + _dump(hub_definition(about), sort_keys=True)


def _cell(value: t.Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def render_readme_block(about: dict[str, t.Any]) -> str:
    """The settings table: the tap's own settings, then the SDK's built-ins by name."""
    required = set(about["settings"].get("required", []))
    builtins = builtin_names()
    lines = [
        README_START,
        f"<!-- generated by `{COMMAND}` from `tap-akeneo --about`: edit tap_akeneo/tap.py -->",
        "| Setting | Kind | Default | Description |",
        "|:--|:--|:--|:--|",
    ]
    extra: list[str] = []
    for entry in settings(about):
        name = entry["name"]
        if name.split(".")[0] in builtins:
            extra.append(f"`{name}`")
            continue
        marks = " (required)" if name in required else ""
        marks += " (secret)" if entry.get("sensitive") else ""
        description = _md(entry.get("description", ""))
        lines.append(f"| `{name}`{marks} | {entry['kind']} | {_cell(entry.get('value'))} | {description} |")
    lines += ["", f"Required: {_either(SETTINGS_GROUP_VALIDATION)}."]
    if extra:
        lines += [
            "",
            "The Meltano SDK's own settings work as in any SDK tap: " + ", ".join(extra) + ".",
        ]
    lines.append(README_END)
    return "\n".join(lines)


def render_meltano_block(about: dict[str, t.Any], indent: str) -> str:
    body = {
        "capabilities": sorted(about["capabilities"]),
        "settings_group_validation": _groups(),
        "settings": settings(about),
    }
    lines = [
        f"{MELTANO_START} - generated by `{COMMAND}` from `tap-akeneo --about`; edit tap_akeneo/tap.py",
        *_dump(body, sort_keys=False).splitlines(),
        MELTANO_END,
    ]
    return "\n".join(f"{indent}{line}" if line else line for line in lines)


def _replace_block(text: str, start: str, end: str, render: t.Callable[[str], str], path: Path) -> str:
    """Replace the lines from the one holding ``start`` to the one holding ``end``."""
    lines = text.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if line.strip().startswith(start)), None)
    last = next((i for i, line in enumerate(lines) if line.strip() == end), None)
    if first is None or last is None or last < first:
        raise GeneratorError(f"{path}: markers {start!r} ... {end!r} not found (one line each)")
    indent = lines[first][: len(lines[first]) - len(lines[first].lstrip())]
    return "".join(lines[:first]) + render(indent) + "\n" + "".join(lines[last + 1 :])


def outputs(root: Path = ROOT, about: dict[str, t.Any] | None = None) -> dict[Path, str]:
    """The three files as they should be, by path relative to ``root``."""
    about = about or about_json()
    readme = (root / README_FILE).read_text()
    meltano = (root / MELTANO_FILE).read_text()
    return {
        HUB_FILE: render_hub(about),
        README_FILE: _replace_block(
            readme, README_START, README_END, lambda _indent: render_readme_block(about), README_FILE
        ),
        MELTANO_FILE: _replace_block(
            meltano,
            MELTANO_START,
            MELTANO_END,
            lambda indent: render_meltano_block(about, indent),
            MELTANO_FILE,
        ),
    }


def stale(root: Path = ROOT, about: dict[str, t.Any] | None = None) -> dict[Path, str]:
    """Files that differ from what ``--about`` gives: path -> unified diff."""
    found = {}
    for path, wanted in outputs(root, about).items():
        current = (root / path).read_text() if (root / path).exists() else ""
        if current != wanted:
            diff = difflib.unified_diff(
                current.splitlines(keepends=True),
                wanted.splitlines(keepends=True),
                f"{path} (in the repository)",
                f"{path} (from tap-akeneo --about)",
            )
            found[path] = "".join(diff)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tap_akeneo.meltanohub", description=(__doc__ or "").split("\n\n")[0]
    )
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--write", action="store_true", help="rewrite the files that drifted")
    action.add_argument("--check", action="store_true", help="exit 1 if a file drifted (the default)")
    action.add_argument("--print-hub", action="store_true", help="print the Hub definition")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository (default: this checkout)")
    args = parser.parse_args(argv)
    if args.print_hub:
        sys.stdout.write(render_hub(about_json()))
        return 0
    root = args.root
    if not (root / MELTANO_FILE).exists() or not (root / README_FILE).exists():
        parser.error(f"{root} is not a tap-akeneo source checkout (no meltano.yml / README.md)")
    try:
        drift = stale(root)
    except GeneratorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.write:
        wanted = outputs(root)
        for path in drift:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(wanted[path])
            print(f"wrote {path}")
        if not drift:
            print("up to date")
        return 0
    for path, diff in drift.items():
        sys.stdout.write(diff)
        print(f"{path} is out of date: run `{COMMAND}`", file=sys.stderr)
    return 1 if drift else 0


if __name__ == "__main__":
    sys.exit(main())
