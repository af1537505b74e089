"""The tap's HTTP behaviour on canned responses: links, tokens, retries, errors."""

from __future__ import annotations

import json
import typing as t

import pytest
import responses

from tap_akeneo.errors import AkeneoAPIError, AkeneoAuthError, AkeneoConfigError
from tap_akeneo.tap import TapAkeneo

BASE = "https://pim.example.com"
TOKEN_URL = f"{BASE}/api/oauth/v1/token"
PRODUCTS_URL = f"{BASE}/api/rest/v1/products-uuid"
CONFIG = {
    "base_url": BASE,
    "client_id": "cid",
    "client_secret": "csecret",
    "username": "api",
    "password": "pw",
    "backoff_base_seconds": 0,
    "backoff_max_seconds": 0,
    # These canned exchanges are the sequential read's; the concurrent one is tested
    # against the sandbox (tests/perf).
    "max_concurrency": 1,
}


def token_body(n: int, expires_in: int = 3600) -> dict[str, t.Any]:
    return {
        "access_token": f"access-{n}",
        "expires_in": expires_in,
        "token_type": "bearer",
        "scope": None,
        "refresh_token": f"refresh-{n}",
    }


def product(uuid: str, updated: str = "2024-05-01T10:00:00+02:00") -> dict[str, t.Any]:
    return {
        "uuid": uuid,
        "enabled": True,
        "family": "shoes",
        "categories": [],
        "groups": [],
        "parent": None,
        "values": [],
        "associations": [],
        "quantified_associations": [],
        "created": "2024-01-01T00:00:00+00:00",
        "updated": updated,
        "_links": {"self": {"href": f"{PRODUCTS_URL}/{uuid}"}},
    }


def page(items: list[dict], next_href: str | None) -> dict[str, t.Any]:
    links: dict[str, t.Any] = {"self": {"href": "x"}, "first": {"href": "x"}}
    if next_href:
        links["next"] = {"href": next_href}
    return {"_links": links, "_embedded": {"items": items}}


def products_stream(config: dict[str, t.Any] | None = None) -> t.Any:
    tap = TapAkeneo(config={**CONFIG, **(config or {})}, setup_mapper=False)
    return tap.streams["products"]


@responses.activate
def test_follows_absolute_and_relative_next_links_verbatim() -> None:
    responses.post(TOKEN_URL, json=token_body(1))
    first = responses.get(PRODUCTS_URL, json=page([product("a")], f"{PRODUCTS_URL}?x=1&search_after=a"))
    responses.get(
        f"{PRODUCTS_URL}?x=1&search_after=a",
        json=page([product("b")], "/api/rest/v1/products-uuid?x=2&search_after=b"),
    )
    responses.get(f"{PRODUCTS_URL}?x=2&search_after=b", json=page([], None))
    records = list(products_stream().get_records(None))
    assert [r["uuid"] for r in records] == ["a", "b"]
    # calls: token, the products-uuid probe (limit=1, see tap_akeneo.versions), the count
    # probe (with_count, see tap_akeneo.progress), the pages
    assert first.calls[0].request.url == f"{PRODUCTS_URL}?limit=1"
    assert "with_count=true" in first.calls[1].request.url
    sent = first.calls[2].request
    assert "pagination_type=search_after" in sent.url and "limit=100" in sent.url
    assert responses.calls[4].request.url == f"{PRODUCTS_URL}?x=1&search_after=a"
    assert responses.calls[5].request.url == f"{PRODUCTS_URL}?x=2&search_after=b"


@responses.activate
def test_password_grant_is_json_with_basic_auth() -> None:
    token = responses.post(TOKEN_URL, json=token_body(1))
    responses.get(PRODUCTS_URL, json=page([], None))
    list(products_stream().get_records(None))
    request = token.calls[0].request
    assert request.headers["Authorization"] == "Basic Y2lkOmNzZWNyZXQ="  # cid:csecret
    assert json.loads(request.body) == {"grant_type": "password", "username": "api", "password": "pw"}
    assert responses.calls[1].request.headers["Authorization"] == "Bearer access-1"


@responses.activate
def test_401_renews_with_refresh_grant_and_replays_once() -> None:
    responses.post(TOKEN_URL, json=token_body(1))
    responses.post(TOKEN_URL, json=token_body(2))
    responses.get(
        PRODUCTS_URL, status=401, json={"code": 401, "message": "The access token provided has expired."}
    )
    responses.get(PRODUCTS_URL, json=page([product("a")], None))
    records = list(products_stream().get_records(None))
    assert [r["uuid"] for r in records] == ["a"]
    token_bodies = [json.loads(c.request.body) for c in responses.calls if c.request.url == TOKEN_URL]
    assert token_bodies[1] == {"grant_type": "refresh_token", "refresh_token": "refresh-1"}
    assert responses.calls[3].request.headers["Authorization"] == "Bearer access-2"


@responses.activate
def test_second_401_stops_clearly() -> None:
    responses.post(TOKEN_URL, json=token_body(1))
    responses.post(TOKEN_URL, json=token_body(2))
    responses.get(PRODUCTS_URL, status=401, json={"code": 401, "message": "revoked"})
    with pytest.raises(AkeneoAPIError, match="401"):
        list(products_stream().get_records(None))


@responses.activate
def test_refused_refresh_falls_back_to_password() -> None:
    stream = products_stream()
    auth = stream.authenticator
    responses.post(TOKEN_URL, json=token_body(1))
    assert auth.current_token() == "access-1"
    auth.invalidate("access-1")
    responses.replace(
        responses.POST,
        TOKEN_URL,
        status=422,
        json={"code": 422, "message": "Refresh token is invalid or has expired"},
    )
    responses.add(responses.POST, TOKEN_URL, json=token_body(3))
    assert auth.current_token() == "access-3"
    bodies = [json.loads(c.request.body)["grant_type"] for c in responses.calls]
    assert bodies == ["password", "refresh_token", "password"]


@responses.activate
def test_token_renewed_before_expiry() -> None:
    stream = products_stream()
    auth = stream.authenticator
    responses.post(TOKEN_URL, json=token_body(1, expires_in=30))  # margin 3 s
    responses.post(TOKEN_URL, json=token_body(2))
    assert auth.current_token() == "access-1"
    import datetime as dt

    assert auth.last_refreshed is not None
    auth.last_refreshed -= dt.timedelta(seconds=28)
    assert auth.current_token() == "access-2"


@responses.activate
def test_wrong_credentials_are_one_clear_error() -> None:
    responses.post(
        TOKEN_URL,
        status=422,
        json={"code": 422, "message": "No user found for the given username and password"},
    )
    with pytest.raises(AkeneoAuthError, match="username and password") as info:
        list(products_stream().get_records(None))
    assert "pw" not in str(info.value) and "csecret" not in str(info.value)


@responses.activate
def test_retries_5xx_429_and_non_json_then_succeeds() -> None:
    responses.post(TOKEN_URL, json=token_body(1))
    responses.get(PRODUCTS_URL, status=503, body="down")
    responses.get(
        PRODUCTS_URL, status=429, headers={"Retry-After": "0"}, json={"code": 429, "message": "slow"}
    )
    responses.get(PRODUCTS_URL, status=200, body="<html>proxy</html>", content_type="text/html")
    responses.get(PRODUCTS_URL, status=408, body="")
    responses.get(PRODUCTS_URL, json=page([product("a")], None))
    stream = products_stream()
    assert [r["uuid"] for r in stream.get_records(None)] == ["a"]
    assert stream._tap.stats.streams["products"].retries == 4


@responses.activate
def test_retries_run_out_with_one_line_naming_endpoint_and_status() -> None:
    responses.post(TOKEN_URL, json=token_body(1))
    responses.get(PRODUCTS_URL, status=502, json={"code": 502, "message": "Bad gateway"})
    with pytest.raises(AkeneoAPIError) as info:
        list(products_stream({"max_retries": 2}).get_records(None))
    message = str(info.value)
    assert "/api/rest/v1/products-uuid" in message and "502" in message and "3 attempts" in message
    assert "\n" not in message
    assert len(responses.calls) == 1 + 3


@responses.activate
def test_422_is_not_retried() -> None:
    responses.post(TOKEN_URL, json=token_body(1))
    responses.get(
        PRODUCTS_URL, status=422, json={"code": 422, "message": "You cannot request more than 100 items."}
    )
    with pytest.raises(AkeneoAPIError, match="more than 100 items"):
        list(products_stream().get_records(None))
    assert len(responses.calls) == 2


@responses.activate
def test_records_are_normalised() -> None:
    responses.post(TOKEN_URL, json=token_body(1))
    responses.get(PRODUCTS_URL, json=page([product("a", "2024-05-01T10:00:00+02:00")], None))
    stream = products_stream()
    record = stream.post_process(next(iter(stream.get_records(None))))
    assert record["updated"] == "2024-05-01T08:00:00+00:00"
    assert record["values"] == {} and record["associations"] == {}
    assert "_links" not in record


def test_base_url_is_normalised_and_checked() -> None:
    for raw in (BASE, BASE + "/", BASE + "/api/rest/v1", BASE + "/api/rest/v1/"):
        assert TapAkeneo(config={**CONFIG, "base_url": raw}, setup_mapper=False).base_url == BASE
    with pytest.raises(AkeneoConfigError, match="not an http"):
        _ = TapAkeneo(config={**CONFIG, "base_url": "pim.example.com"}, setup_mapper=False).base_url
