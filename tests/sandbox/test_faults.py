"""Latency, fault injection knobs, the per-token concurrency cap and request statistics."""

from __future__ import annotations

import http.client
import threading
import time
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import pytest
import requests

from tap_akeneo.sandbox import SandboxServer

from .conftest import Client

P = "/products-uuid"


def raw_get(sb: SandboxServer, token: str, path: str = "/api/rest/v1/products-uuid"):  # type: ignore[no-untyped-def]
    conn = http.client.HTTPConnection(urlsplit(sb.base_url).netloc, timeout=5)
    conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
    return conn, conn.getresponse()


def test_latency_applies_to_api_requests(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    sb = make_sandbox(latency=0.25)
    c = Client(sb)
    t0 = time.perf_counter()
    c.login()  # the token endpoint is not slowed down
    assert time.perf_counter() - t0 < 0.2
    t0 = time.perf_counter()
    assert c.get(P).status_code == 200
    assert time.perf_counter() - t0 >= 0.25
    sb.faults.latency = 0
    t0 = time.perf_counter()
    c.get(P)
    assert time.perf_counter() - t0 < 0.2


def test_rate_429_with_and_without_retry_after(client: Client, sandbox: SandboxServer) -> None:
    client.login()
    sandbox.faults.rate_429 = 1.0
    r = client.get(P)
    assert r.status_code == 429
    assert r.json()["code"] == 429
    assert "Retry-After" not in r.headers
    sandbox.faults.retry_after = 7
    assert client.get(P).headers["Retry-After"] == "7"
    sandbox.faults.retry_after = "date"
    when = parsedate_to_datetime(client.get(P).headers["Retry-After"])
    assert 0 <= when.timestamp() - time.time() <= 3
    sandbox.faults.clear()
    assert client.get(P).status_code == 200
    assert sandbox.stats.faults["429"] == 3


def test_rate_5xx(client: Client, sandbox: SandboxServer) -> None:
    client.login()
    sandbox.faults.rate_5xx = 1.0
    statuses = {client.get(P).status_code for _ in range(25)}
    assert statuses <= {500, 502, 503}
    assert len(statuses) >= 2


def test_rate_drop_closes_without_response(client: Client, sandbox: SandboxServer) -> None:
    client.login()
    sandbox.faults.rate_drop = 1.0
    with pytest.raises(requests.ConnectionError):
        client.get(P)
    sandbox.faults.rate_drop = 0
    assert client.get(P).status_code == 200


def test_rate_truncate_sends_partial_body(client: Client, sandbox: SandboxServer) -> None:
    token = client.login()
    sandbox.faults.rate_truncate = 1.0
    conn, resp = raw_get(sandbox, token)
    assert resp.status == 200
    length = int(resp.headers["Content-Length"])
    with pytest.raises(http.client.IncompleteRead) as exc:
        resp.read()
    assert 0 < len(exc.value.partial) < length
    conn.close()
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        client.get(P)


def test_rate_html_returns_a_200_html_page(client: Client, sandbox: SandboxServer) -> None:
    client.login()
    sandbox.faults.rate_html = 1.0
    r = client.get(P)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert r.text.lstrip().startswith("<!DOCTYPE html>")


def test_fail_after_requests_500_until_cleared(client: Client, sandbox: SandboxServer) -> None:
    client.login()
    sandbox.faults.fail_after_requests = 3
    assert [client.get(P).status_code for _ in range(5)] == [200, 200, 200, 500, 500]
    sandbox.faults.fail_after_requests = None
    assert client.get(P).status_code == 200


def test_fail_after_requests_drop_mode(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    sb = make_sandbox(fail_after_requests=1, fail_mode="drop")
    c = Client(sb)
    assert c.get(P).status_code == 200
    with pytest.raises(requests.ConnectionError):
        c.get(P)


def test_token_expire_every(client: Client, sandbox: SandboxServer) -> None:
    client.login()
    sandbox.faults.token_expire_every = 2
    assert client.get(P).status_code == 200
    assert client.get(P).status_code == 200
    r = client.get(P)
    assert r.status_code == 401
    assert r.json()["message"] == "The access token provided has expired."
    client.login()
    assert client.get(P).status_code == 200
    assert sandbox.stats.faults["token_expired"] == 1


def test_edit_during_sync_bumps_products(client: Client, sandbox: SandboxServer) -> None:
    client.login()
    sandbox.set_clock_offset(600)
    sandbox.faults.edit_during_sync = 3
    client.get(P)
    assert sandbox.stats.faults["edit"] == 3
    cat = sandbox.catalog
    recent = [u for u in cat.products
              if cat.get_product(u).updated >= int(time.time()) + 590]  # type: ignore[union-attr]
    assert 1 <= len(recent) <= 3


def test_faults_skip_the_token_endpoint_unless_asked(client: Client,
                                                     sandbox: SandboxServer) -> None:
    sandbox.faults.rate_5xx = 1.0
    assert client.token_request().status_code == 200
    sandbox.faults.faults_on_token = True
    assert client.token_request().status_code in (500, 502, 503)


def test_faults_are_deterministic_under_the_seed(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    def sequence(seed: int) -> list[int]:
        sb = make_sandbox(seed=seed, rate_429=0.3, rate_5xx=0.2)
        c = Client(sb)
        return [c.get(P).status_code for _ in range(20)]

    first = sequence(5)
    assert first == sequence(5)
    assert set(first) & {429, 500, 502, 503} and 200 in first


def test_unknown_fault_argument_is_rejected() -> None:
    with pytest.raises(TypeError):
        SandboxServer(products=1, product_models=0, rate_teapot=1.0)
    with pytest.raises(ValueError):
        SandboxServer(products=1, product_models=0, fail_mode="explode")


def _parallel(sb: SandboxServer, tokens: list[str]) -> list[int]:
    statuses: list[int] = []
    lock = threading.Lock()

    def one(token: str) -> None:
        r = requests.get(f"{sb.base_url}/api/rest/v1/products-uuid",
                         headers={"Authorization": f"Bearer {token}"}, timeout=10)
        with lock:
            statuses.append(r.status_code)

    threads = [threading.Thread(target=one, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def test_more_than_four_concurrent_requests_per_token_get_429(make_sandbox) -> None:  # type: ignore[no-untyped-def]
    sb = make_sandbox(latency=0.4)
    token = Client(sb).login()
    statuses = _parallel(sb, [token] * 7)
    assert statuses.count(200) == 4
    assert statuses.count(429) == 3
    assert sb.stats.concurrency_rejections == 3
    assert sb.stats.max_concurrency_per_token >= 5  # rejected requests leave at once
    assert sb.stats.max_in_flight >= 4
    # different tokens have their own budget
    sb.stats.reset()
    tokens = [Client(sb).login() for _ in range(2)]
    statuses = _parallel(sb, tokens * 4)
    assert statuses == [200] * 8
    assert sb.stats.max_concurrency_per_token == 4
    assert sb.stats.max_in_flight == 8


def test_stats_count_requests_per_route(client: Client, sandbox: SandboxServer) -> None:
    sandbox.stats.reset()
    client.login()
    uid = next(iter(sandbox.catalog.products))
    client.get(P)
    client.get(f"{P}/{uid}")
    client.get(f"{P}/{uid}")
    st = sandbox.stats
    assert st.count("GET", "/api/rest/v1/products-uuid") == 1
    assert st.count("GET", "/api/rest/v1/products-uuid/{uuid}") == 2
    assert st.count("POST", "/api/oauth/v1/token") == 1
    assert st.total == 4
    assert st.statuses[200] == 4
    snap = st.snapshot()
    assert snap["requests"]["GET /api/rest/v1/products-uuid/{uuid}"] == 2
