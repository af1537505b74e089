"""Token endpoint (password and refresh grants) and bearer authentication."""

from __future__ import annotations

from urllib.parse import urlencode

import requests

from tap_akeneo.sandbox import SandboxServer

from .conftest import Client

PASSWORD_MSG = 'Parameter "grant_type", "username" or "password" is missing, empty or invalid'
CLIENT_MSG = ('Parameter "client_id" is missing or does not match any client, or secret is '
              "invalid")


def test_password_grant_response_shape(client: Client, sandbox: SandboxServer) -> None:
    r = client.token_request()
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/json"
    body = r.json()
    assert set(body) == {"access_token", "expires_in", "token_type", "scope", "refresh_token"}
    assert body["expires_in"] == 3600
    assert body["token_type"] == "bearer"
    assert body["scope"] is None
    assert body["access_token"] != body["refresh_token"]


def test_form_encoded_body_is_accepted(client: Client, sandbox: SandboxServer) -> None:
    form = urlencode({"grant_type": "password", "username": "admin", "password": "admin"})
    r = client.token_request(raw=form.encode(), content_type="application/x-www-form-urlencoded")
    assert r.status_code == 200, r.text


def test_token_errors_are_422_with_akeneo_messages(client: Client) -> None:
    cases = [
        ({"username": "admin", "password": "admin"}, None, PASSWORD_MSG),
        ({"grant_type": "password", "username": "admin"}, None, PASSWORD_MSG),
        ({"grant_type": "password", "username": "admin", "password": "nope"}, None,
         "No user found for the given username and password"),
        ({"grant_type": "password", "username": "admin", "password": "admin"},
         ("sandbox_client", "wrong"), CLIENT_MSG),
        ({"grant_type": "refresh_token"}, None,
         'Parameter "grant_type" or "refresh_token" is missing or empty'),
        ({"grant_type": "refresh_token", "refresh_token": "bogus"}, None,
         "Refresh token is invalid or has expired"),
        ({"grant_type": "client_credentials"}, None,
         "This grant type is not authorized for this client"),
    ]
    for body, auth, message in cases:
        r = client.token_request(body, auth=auth)
        assert r.status_code == 422, (body, r.text)
        assert r.json() == {"code": 422, "message": message}


def test_missing_basic_auth_is_422(sandbox: SandboxServer) -> None:
    r = requests.post(sandbox.token_url, json={"grant_type": "password", "username": "admin",
                                               "password": "admin"}, timeout=5)
    assert r.status_code == 422
    assert r.json()["message"] == CLIENT_MSG


def test_body_over_200_bytes_is_422(client: Client) -> None:
    r = client.token_request({"grant_type": "password", "username": "admin",
                              "password": "x" * 200})
    assert r.status_code == 422
    assert r.json() == {"code": 422, "message": "The request content size is too large"}


def test_refresh_rotates_both_tokens(client: Client) -> None:
    client.login()
    old_access, old_refresh = client.token, client.refresh_token
    r = client.token_request({"grant_type": "refresh_token", "refresh_token": old_refresh})
    assert r.status_code == 200, r.text
    new = r.json()
    assert new["access_token"] != old_access
    assert new["refresh_token"] != old_refresh
    # the old refresh token is spent
    again = client.token_request({"grant_type": "refresh_token", "refresh_token": old_refresh})
    assert again.status_code == 422
    assert again.json()["message"] == "Refresh token is invalid or has expired"
    # the new access token works
    client.token = new["access_token"]
    assert client.get("/products-uuid").status_code == 200


def test_bearer_errors_are_401(client: Client, sandbox: SandboxServer) -> None:
    url = f"{sandbox.base_url}/api/rest/v1/products-uuid"
    r = requests.get(url, timeout=5)
    assert r.status_code == 401
    assert r.json() == {"code": 401, "message": "Authentication is required"}
    r = requests.get(url, headers={"Authorization": "Bearer nope"}, timeout=5)
    assert r.json() == {"code": 401, "message": "The access token provided is invalid."}


def test_access_token_expires_after_ttl(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    sb = make_sandbox(token_ttl=60)
    c = Client(sb)
    c.login()
    assert c.get("/products-uuid").status_code == 200
    sb.set_clock_offset(61)
    r = c.get("/products-uuid")
    assert r.status_code == 401
    assert r.json() == {"code": 401, "message": "The access token provided has expired."}
    # the refresh token (14 days) still works and yields a valid access token
    r = c.token_request({"grant_type": "refresh_token", "refresh_token": c.refresh_token})
    assert r.status_code == 200
    c.token = r.json()["access_token"]
    assert c.get("/products-uuid").status_code == 200
    sb.set_clock_offset(15 * 86400)
    r = c.token_request({"grant_type": "refresh_token", "refresh_token": r.json()["refresh_token"]})
    assert r.status_code == 422


def test_unauthenticated_endpoint_list(sandbox: SandboxServer) -> None:
    r = requests.get(f"{sandbox.base_url}/api/rest/v1", timeout=5)
    assert r.status_code == 200
    body = r.json()
    assert body["authentication"]["fos_oauth_server_token"]["route"] == "/api/oauth/v1/token"
    routes = {v["route"] for v in body["routes"].values()}
    assert "/api/rest/v1/products-uuid" in routes
    assert "/api/rest/v1/product-models/{code}" in routes


def test_custom_credentials(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    sb = make_sandbox(client_id="cid", client_secret="sec", username="julia", password="pw")
    c = Client(sb)
    assert c.token_request().status_code == 200
    assert sb.credentials == {"client_id": "cid", "client_secret": "sec", "username": "julia",
                              "password": "pw"}
