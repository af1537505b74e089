"""Shared fixtures: the sandbox PIM, a real PostgreSQL, the Meltano project."""

from __future__ import annotations

import os
import typing as t
from pathlib import Path

import pytest

from tap_akeneo.demo.postgres import EmbeddedPostgres, PostgresInfo


@pytest.fixture(scope="session")
def spec_path() -> Path:
    """The official Akeneo spec; not in the repo (no licence): .ci/run points at it."""
    raw = os.environ.get("AKENEO_SPEC_PATH", "")
    if not raw:
        pytest.skip("AKENEO_SPEC_PATH is not set: the official Akeneo spec is not available")
    path = Path(raw)
    if not path.is_file():
        pytest.skip(f"AKENEO_SPEC_PATH={raw} does not exist: the official spec is not available")
    return path


@pytest.fixture
def sandbox_factory() -> t.Iterator[t.Callable[..., t.Any]]:
    """Start sandboxes on free ports; every one is stopped at teardown."""
    from tap_akeneo.sandbox import SandboxServer

    started: list[t.Any] = []

    def start(**kwargs: t.Any) -> t.Any:
        kwargs.setdefault("port", 0)
        server = SandboxServer(**kwargs)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def tap_config(sandbox: t.Any, **extra: t.Any) -> dict[str, t.Any]:
    """The five connection settings for a sandbox, plus fast retries for tests."""
    config: dict[str, t.Any] = {"base_url": sandbox.base_url, **sandbox.credentials}
    config.update({"backoff_base_seconds": 0, "backoff_max_seconds": 0})
    config.update(extra)
    return config


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> t.Iterator[PostgresInfo]:
    """A real PostgreSQL: TAP_AKENEO_TEST_PG_* from the environment, else an embedded one."""
    host = os.environ.get("TAP_AKENEO_TEST_PG_HOST")
    if host:
        yield PostgresInfo(
            host=host,
            port=int(os.environ.get("TAP_AKENEO_TEST_PG_PORT", "5432")),
            user=os.environ.get("TAP_AKENEO_TEST_PG_USER", "postgres"),
            password=os.environ.get("TAP_AKENEO_TEST_PG_PASSWORD", ""),
            database=os.environ.get("TAP_AKENEO_TEST_PG_DATABASE", "postgres"),
        )
        return
    server = EmbeddedPostgres(tmp_path_factory.mktemp("pg"))
    info = server.start()
    try:
        yield info
    finally:
        server.stop()
