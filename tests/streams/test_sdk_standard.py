"""The SDK's standard tap tests (`get_tap_test_class`) against the sandbox PIM."""

from __future__ import annotations

import typing as t

import pytest
from singer_sdk.testing import SuiteConfig, get_tap_test_class

from tap_akeneo.tap import TapAkeneo
from tests.streams.runner import ALL, catalog

# Filled in by the class fixture below once the sandbox is up; the SDK builds its test
# class at import time and keeps a reference to this very dict.
CONFIG: dict[str, t.Any] = {
    "base_url": "http://127.0.0.1:9",
    "client_id": "-",
    "client_secret": "-",
    "username": "-",
    "password": "-",
}

_Standard = get_tap_test_class(
    tap_class=TapAkeneo,
    config=CONFIG,
    suite_config=SuiteConfig(max_records_limit=60),
    # Every stream selected, the long-format value streams (deselected by default) too.
    catalog=catalog(CONFIG, ALL),
)


class TestTapAkeneoStandard(_Standard):  # type: ignore[valid-type,misc]
    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def _sandbox(cls) -> t.Iterator[None]:
        from tap_akeneo.sandbox import SandboxServer

        server = SandboxServer(products=150, product_models=30, seed=3, port=0)
        server.start()
        CONFIG.update({"base_url": server.base_url, **server.credentials})
        try:
            yield
        finally:
            server.stop()
