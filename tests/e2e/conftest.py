"""End-to-end fixtures: the Meltano project wired to a sandbox and a real PostgreSQL."""

from __future__ import annotations

import itertools
import json
import typing as t
from pathlib import Path

import psycopg2
import pytest

from tap_akeneo.demo.meltano import MeltanoProject
from tap_akeneo.demo.postgres import PostgresInfo
from tests.conftest import tap_config

pytestmark = pytest.mark.e2e
_schemas = itertools.count(1)


@pytest.fixture(scope="session")
def meltano_installed(tmp_path_factory: pytest.TempPathFactory, postgres: PostgresInfo) -> None:
    """`meltano install` once per session: the tap (editable) and target-postgres, offline
    thanks to the lock file under plugins/."""
    MeltanoProject(tmp_path_factory.mktemp("install"), tap_config=_dummy_tap(), postgres=postgres).install()


def _dummy_tap() -> dict[str, t.Any]:
    return {"base_url": "http://127.0.0.1:9"}


class Warehouse:
    """SQL checks against one target schema."""

    def __init__(self, info: PostgresInfo, schema: str) -> None:
        self.info = info
        self.schema = schema

    def query(self, sql: str, *args: t.Any) -> list[tuple[t.Any, ...]]:
        with psycopg2.connect(self.info.dsn()) as conn, conn.cursor() as cur:
            cur.execute(sql.replace("{schema}", self.schema), args)
            return cur.fetchall() if cur.description else []

    def count(self, table: str, where: str = "true") -> int:
        return int(self.query(f"select count(*) from {{schema}}.{table} where {where}")[0][0])

    def keys(self, table: str, key: str, where: str = "true") -> set[str]:
        return {row[0] for row in self.query(f"select {key} from {{schema}}.{table} where {where}")}

    def drop(self) -> None:
        self.query("drop schema if exists {schema} cascade")


@pytest.fixture
def pipeline(
    tmp_path: Path, postgres: PostgresInfo, meltano_installed: None
) -> t.Callable[..., tuple[MeltanoProject, Warehouse]]:
    """Build a Meltano project for a sandbox, with its own state store and schema."""

    def build(
        sandbox: t.Any, select: list[str] | None = None, **settings: t.Any
    ) -> tuple[MeltanoProject, Warehouse]:
        """``select``: Meltano select patterns replacing meltano.yml's (both extractors)."""
        schema = f"e2e_{next(_schemas)}_{tmp_path.name[-12:]}".lower().replace("-", "_")
        config = tap_config(sandbox, **settings)
        project = MeltanoProject(tmp_path / "meltano", tap_config=config, postgres=postgres, schema=schema)
        if select is not None:
            for plugin in ("TAP_AKENEO", "TAP_AKENEO_FULL"):
                project.env[f"{plugin}__SELECT"] = json.dumps(select)
        warehouse = Warehouse(postgres, schema)
        warehouse.drop()
        return project, warehouse

    return build
