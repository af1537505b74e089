"""Run this repository's Meltano project with a given sandbox and PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import typing as t
from pathlib import Path

from tap_akeneo.demo.postgres import PostgresInfo

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def meltano_executable() -> str:
    """The meltano installed beside this Python (the dev venv), else the one on PATH."""
    beside = Path(sys.executable).with_name("meltano")
    if beside.exists():
        return str(beside)
    found = shutil.which("meltano")
    if not found:
        raise RuntimeError("meltano is not installed: pip install -e '.[dev]'")
    return found


class MeltanoProject:
    """`meltano` commands on the repository's project, isolated by system database."""

    def __init__(
        self,
        state_dir: Path,
        *,
        tap_config: t.Mapping[str, object],
        postgres: PostgresInfo,
        schema: str = "akeneo",
        extra_env: dict[str, str] | None = None,
    ) -> None:
        state_dir.mkdir(parents=True, exist_ok=True)
        self.root = PROJECT_ROOT
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TAP_AKENEO", "TARGET_POSTGRES", "MELTANO_"))
        }
        env.update(
            {
                "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
                "MELTANO_CLI_DISABLE_VERSION_CHECK": "true",
                "MELTANO_PROJECT_ROOT": str(self.root),
                # Each project instance keeps its own state store (bookmarks, runs).
                "MELTANO_DATABASE_URI": f"sqlite:///{state_dir / 'meltano.db'}",
                "TARGET_POSTGRES_DEFAULT_TARGET_SCHEMA": schema,
            }
        )
        for key, value in tap_config.items():
            env[f"TAP_AKENEO_{key.upper()}"] = _env_value(value)
        for key, value in postgres.target_config().items():
            env[f"TARGET_POSTGRES_{key.upper()}"] = _env_value(value)
        env.update(extra_env or {})
        self.env = env
        self.schema = schema

    def run(self, *args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [meltano_executable(), *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"meltano {' '.join(args)} failed ({result.returncode}):\n{result.stderr[-4000:]}"
            )
        return result

    def install(self) -> None:
        self.run("install", timeout=900)


def _env_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
