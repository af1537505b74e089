"""Bad input ends with one line naming the problem, a non-zero exit, nothing in state."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import ssl
import subprocess
import threading
import typing as t
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tap_akeneo.demo.postgres import free_port
from tests.conftest import tap_config
from tests.reliability.helpers import TOKEN, FakePim, assert_one_line_error, product_streams_only, run_tap

FAST = {"max_retries": 1, "backoff_base_seconds": 0, "backoff_max_seconds": 0, "request_timeout": 5}
CREDS = {"client_id": "c", "client_secret": "s", "username": "u", "password": "p"}


@pytest.fixture
def sandbox(sandbox_factory: t.Any) -> t.Any:
    return sandbox_factory(products=30, product_models=5, seed=5)


def test_unreachable_base_url(tmp_path: Path) -> None:
    config = {"base_url": f"http://127.0.0.1:{free_port()}", **CREDS, **FAST}
    assert_one_line_error(run_tap(config, tmp_path), "cannot reach", "base_url")


@pytest.mark.parametrize("url", ["pim.example.com", "ftp://pim.example.com", "https://"])
def test_malformed_base_url(tmp_path: Path, url: str) -> None:
    assert_one_line_error(run_tap({"base_url": url, **CREDS}, tmp_path), "base_url", "not an http")


def test_https_against_an_http_pim(tmp_path: Path, sandbox: t.Any) -> None:
    config = tap_config(sandbox, **FAST)
    config["base_url"] = sandbox.base_url.replace("http://", "https://")
    assert_one_line_error(run_tap(config, tmp_path), "TLS", "http or https")


def test_http_against_a_pim_that_redirects_to_https(tmp_path: Path) -> None:
    def handler(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        return 301, {"Location": "https://pim.example.com" + request.path}, b""

    with FakePim(handler) as pim:
        result = run_tap({"base_url": pim.base_url, **CREDS, **FAST}, tmp_path)
    assert_one_line_error(result, "redirects to https://pim.example.com")


def test_wrong_client_id_or_secret(tmp_path: Path, sandbox: t.Any) -> None:
    config = tap_config(sandbox, client_secret="wrong", **FAST)
    assert_one_line_error(run_tap(config, tmp_path), "422", "client_id and client_secret")


def test_wrong_username_or_password(tmp_path: Path, sandbox: t.Any) -> None:
    config = tap_config(sandbox, password="wrong", **FAST)
    line = assert_one_line_error(run_tap(config, tmp_path), "422", "username and password")
    assert "wrong" not in line


def test_an_html_site_instead_of_the_pim(tmp_path: Path) -> None:
    page = b"<html><body>Welcome to our shop</body></html>"
    with FakePim(lambda r: (200, {"Content-Type": "text/html"}, page)) as site:
        result = run_tap({"base_url": site.base_url, **CREDS, **FAST}, tmp_path)
    assert_one_line_error(result, "text/html", "Akeneo")


def test_html_on_an_api_route(tmp_path: Path) -> None:
    def handler(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        if request.path.startswith("/api/oauth"):
            return 200, {"Content-Type": "application/json"}, TOKEN
        return 200, {"Content-Type": "text/html"}, b"<html>maintenance</html>"

    with FakePim(handler) as pim:
        result = run_tap({"base_url": pim.base_url, **CREDS, **FAST}, tmp_path)
    assert_one_line_error(result, "giving up", "not JSON", "/api/rest/v1/")


def test_404_when_the_pim_lacks_an_endpoint(tmp_path: Path) -> None:
    def handler(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        if request.path.startswith("/api/oauth"):
            return 200, {"Content-Type": "application/json"}, TOKEN
        body = json.dumps({"code": 404, "message": "Resource not found"}).encode()
        return 404, {"Content-Type": "application/json"}, body

    with FakePim(handler) as pim:
        result = run_tap({"base_url": pim.base_url, **CREDS, **FAST}, tmp_path, *product_streams_only(tmp_path))
    assert_one_line_error(result, "404", "/api/rest/v1/")


def test_422_from_the_api(tmp_path: Path) -> None:
    message = 'Property "updated" expects a string with the format "yyyy-mm-dd H:i:s" as data'

    def handler(request: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        if request.path.startswith("/api/oauth"):
            return 200, {"Content-Type": "application/json"}, TOKEN
        return (
            422,
            {"Content-Type": "application/json"},
            json.dumps({"code": 422, "message": message}).encode(),
        )

    with FakePim(handler) as pim:
        result = run_tap({"base_url": pim.base_url, **CREDS, **FAST}, tmp_path)
        assert len(pim.requests) == 2  # a 422 is not retried
    assert_one_line_error(result, "422", "yyyy-mm-dd")


@pytest.mark.parametrize("size", [0, 101, -5])
def test_page_size_out_of_range(tmp_path: Path, sandbox: t.Any, size: int) -> None:
    assert_one_line_error(run_tap(tap_config(sandbox, page_size=size), tmp_path), "page_size")
    assert sandbox.stats.total == 0


@pytest.mark.parametrize("value", ["yesterday", "2024-13-45T00:00:00Z", "31/01/2024"])
def test_unparsable_start_date(tmp_path: Path, sandbox: t.Any, value: str) -> None:
    assert_one_line_error(run_tap(tap_config(sandbox, start_date=value), tmp_path), "start_date")
    assert sandbox.stats.total == 0


def test_start_date_in_the_future(tmp_path: Path, sandbox: t.Any) -> None:
    future = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert_one_line_error(run_tap(tap_config(sandbox, start_date=future), tmp_path), "start_date", "future")
    assert sandbox.stats.total == 0


def test_missing_credentials(tmp_path: Path, sandbox: t.Any) -> None:
    result = run_tap({"base_url": sandbox.base_url, "client_id": "x"}, tmp_path)
    assert_one_line_error(result, "missing setting", "password")


@pytest.mark.skipif(
    shutil.which("openssl") is None, reason="needs the openssl command for a test certificate"
)
def test_tls_certificates_are_verified_by_default(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(TOKEN)))
            self.end_headers()
            self.wfile.write(TOKEN)

        def log_message(self, *args: t.Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        config = {"base_url": f"https://127.0.0.1:{server.server_address[1]}", **CREDS, **FAST}
        assert_one_line_error(run_tap(config, tmp_path), "TLS", "certificate")
    finally:
        server.shutdown()
        server.server_close()
