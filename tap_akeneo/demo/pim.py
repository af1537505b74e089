"""A tiny Akeneo API client for tests and the demo: change the catalog over HTTP,
the way an Akeneo user or integration would."""

from __future__ import annotations

import typing as t

import requests


class PimClient:
    def __init__(self, base_url: str, credentials: dict[str, str]) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        response = self.session.post(
            f"{self.base_url}/api/oauth/v1/token",
            json={
                "grant_type": "password",
                "username": credentials["username"],
                "password": credentials["password"],
            },
            auth=(credentials["client_id"], credentials["client_secret"]),
            timeout=30,
        )
        response.raise_for_status()
        self.session.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    def _url(self, path: str) -> str:
        return f"{self.base_url}/api/rest/v1/{path}"

    def patch_product(self, uuid: str, body: dict[str, t.Any]) -> None:
        self.session.patch(self._url(f"products-uuid/{uuid}"), json=body, timeout=30).raise_for_status()

    def delete_product(self, uuid: str) -> None:
        self.session.delete(self._url(f"products-uuid/{uuid}"), timeout=30).raise_for_status()

    def create_product(self, body: dict[str, t.Any]) -> str:
        response = self.session.post(self._url("products-uuid"), json=body, timeout=30)
        response.raise_for_status()
        return response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]

    def patch_product_model(self, code: str, body: dict[str, t.Any]) -> None:
        self.session.patch(self._url(f"product-models/{code}"), json=body, timeout=30).raise_for_status()

    def delete_product_model(self, code: str) -> None:
        self.session.delete(self._url(f"product-models/{code}"), timeout=30).raise_for_status()
