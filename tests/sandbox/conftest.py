"""Fixtures for the sandbox server tests: a small sandbox on a free port and an HTTP client."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from tap_akeneo.sandbox import SandboxServer

API = "/api/rest/v1"


class Client:
    """A minimal Akeneo client for tests: password grant on first use, bearer on every call."""

    def __init__(self, sb: SandboxServer) -> None:
        self.sb = sb
        self.session = requests.Session()
        self.token: str | None = None
        self.refresh_token: str | None = None

    def token_request(self, body: Any = None, *, auth: tuple[str, str] | None = None,
                      raw: bytes | None = None,
                      content_type: str = "application/json") -> requests.Response:
        creds = self.sb.credentials
        if auth is None:
            auth = (creds["client_id"], creds["client_secret"])
        if body is None and raw is None:
            body = {"grant_type": "password", "username": creds["username"],
                    "password": creds["password"]}
        data = raw if raw is not None else json.dumps(body).encode()
        return self.session.post(self.sb.token_url, data=data, auth=auth,
                                 headers={"Content-Type": content_type}, timeout=10)

    def login(self) -> str:
        r = self.token_request()
        assert r.status_code == 200, r.text
        self.token = r.json()["access_token"]
        self.refresh_token = r.json()["refresh_token"]
        return self.token

    def headers(self) -> dict[str, str]:
        if self.token is None:
            self.login()
        return {"Authorization": f"Bearer {self.token}"}

    def url(self, path: str) -> str:
        if path.startswith("http"):
            return path
        return self.sb.base_url + (path if path.startswith("/api") else API + path)

    def get(self, path: str, params: dict[str, Any] | None = None,
            **kw: Any) -> requests.Response:
        return self.session.get(self.url(path), params=params, headers=self.headers(),
                                timeout=10, **kw)

    def request(self, method: str, path: str, body: Any = None) -> requests.Response:
        return self.session.request(method, self.url(path), headers=self.headers(),
                                    data=None if body is None else json.dumps(body),
                                    timeout=10)

    def get_json(self, path: str, params: dict[str, Any] | None = None) -> Any:
        r = self.get(path, params)
        assert r.status_code == 200, r.text
        return r.json()

    def walk(self, path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Follow ``_links.next`` from the first page; returns every item."""
        items: list[dict[str, Any]] = []
        page = self.get_json(path, params)
        while True:
            items.extend(page["_embedded"]["items"])
            nxt = page["_links"].get("next")
            if nxt is None:
                return items
            page = self.get_json(nxt["href"])


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    """A small sandbox on a free port, stopped at teardown."""
    with SandboxServer(products=60, product_models=12, seed=1, port=0) as sb:
        yield sb


@pytest.fixture
def make_sandbox() -> Iterator[Callable[..., SandboxServer]]:
    """Start sandboxes with custom options; all are stopped at teardown."""
    started: list[SandboxServer] = []

    def make(**kwargs: Any) -> SandboxServer:
        kwargs.setdefault("products", 60)
        kwargs.setdefault("product_models", 12)
        kwargs.setdefault("port", 0)
        sb = SandboxServer(**kwargs)
        sb.start()
        started.append(sb)
        return sb

    yield make
    for sb in started:
        sb.stop()


@pytest.fixture
def client(sandbox: SandboxServer) -> Client:
    return Client(sandbox)


def search(**filters: list[dict[str, Any]]) -> str:
    return json.dumps(filters)


def akeneo_date(ts: float, tz: str = "UTC") -> str:
    """Epoch seconds as the ``YYYY-MM-DD HH:MM:SS`` filter value in a given zone."""
    return datetime.fromtimestamp(ts, ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M:%S")


def parse_ts(value: str) -> float:
    return datetime.fromisoformat(value).astimezone(timezone.utc).timestamp()
