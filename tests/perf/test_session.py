"""The requests session resolves the environment's proxies once, with the same result."""

from __future__ import annotations

import pytest

from tap_akeneo.tap import TapAkeneo


def _session(base_url: str) -> object:
    return TapAkeneo(config={"base_url": base_url, "access_token": "x"}, setup_mapper=False).requests_session


def test_proxies_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    session = _session("https://pim.example.com")
    assert session.proxies == {"https": "http://proxy.example:3128"}  # type: ignore[attr-defined]
    assert session.trust_env is False  # type: ignore[attr-defined]
    assert _session("https://pim.internal.example").proxies == {}  # type: ignore[attr-defined]
