"""`tap-akeneo --test`: a working connection confirmed in seconds, or one line naming what is wrong."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import typing as t
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from tests.conftest import tap_config

TAP = str(Path(sys.executable).with_name("tap-akeneo"))


def run_test(config: dict[str, t.Any], tmp_path: Path) -> tuple[int, str, str, float]:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config))
    started = time.monotonic()
    result = subprocess.run(
        [TAP, "--config", str(path), "--test"], capture_output=True, text=True, timeout=60
    )
    return result.returncode, result.stdout, result.stderr, time.monotonic() - started


def last_line(stderr: str) -> str:
    return stderr.strip().splitlines()[-1]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def html_server() -> t.Iterator[str]:
    """Not an Akeneo PIM: a web server answering every request with an HTML page."""

    class Handler(BaseHTTPRequestHandler):
        def _page(self) -> None:
            body = b"<html><body>Welcome to our shop</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _page

        def log_message(self, *args: t.Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_working_connection(sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(products=140, product_models=25, seed=4)
    code, stdout, stderr, seconds = run_test(tap_config(sandbox), tmp_path)
    assert code == 0, stderr
    assert seconds < 15
    assert last_line(stderr).endswith(
        f"Connection test passed in {last_line(stderr).split(' in ')[1].split(' s:')[0]} s: "
        f"{sandbox.base_url}, password grant as admin; product_models: 25 items, products: 140 items"
    )
    assert "ERROR" not in stderr
    records = [json.loads(line) for line in stdout.splitlines() if '"RECORD"' in line]
    streams = [r["stream"] for r in records]
    assert {"products", "product_models"} <= set(streams)
    assert len(streams) == len(set(streams))  # one record from each stream


def test_working_connected_app_token(sandbox_factory: t.Any, tmp_path: Path) -> None:
    sandbox = sandbox_factory(products=10, product_models=2, seed=4)
    token = requests.post(
        sandbox.token_url,
        json={"grant_type": "password", "username": "admin", "password": "admin"},
        auth=(sandbox.credentials["client_id"], sandbox.credentials["client_secret"]),
        timeout=10,
    ).json()["access_token"]
    code, _, stderr, _ = run_test({"base_url": sandbox.base_url, "access_token": token}, tmp_path)
    assert code == 0, stderr
    assert "Connected App access_token; product_models: 2 items, products: 10 items" in last_line(stderr)


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        (
            "bad_password",
            "connection test failed: Akeneo refused the password grant (422): No user found for the "
            "given username and password (check username and password)",
        ),
        ("bad_client", "connection test failed: Akeneo refused the password grant (422)"),
        ("wrong_path", "connection test failed: no Akeneo token endpoint at {base}/pim/api/oauth/v1/token (404)"),
        ("unreachable", "connection test failed: cannot reach the Akeneo token endpoint"),
        ("unreachable_token", "connection test failed: cannot reach http://127.0.0.1:{port}: Connection refused"),
        ("bad_token", "connection test failed: Akeneo rejected the configured access_token"),
        ("missing", "connection test failed: missing setting(s) client_secret, password"),
        ("not_a_url", "connection test failed: base_url 'pim.example.com' is not an http(s) URL"),
    ],
)
def test_what_is_wrong_in_one_line(
    sandbox_factory: t.Any, tmp_path: Path, case: str, expected: str
) -> None:
    sandbox = sandbox_factory(products=5, product_models=1, seed=4)
    port = closed_port()
    good = tap_config(sandbox)
    config = {
        "bad_password": {**good, "password": "wrong"},
        "bad_client": {**good, "client_secret": "wrong"},
        "wrong_path": {**good, "base_url": sandbox.base_url + "/pim"},
        "unreachable": {**good, "base_url": f"http://127.0.0.1:{port}"},
        "unreachable_token": {"base_url": f"http://127.0.0.1:{port}", "access_token": "t"},
        "bad_token": {"base_url": sandbox.base_url, "access_token": "not-a-token"},
        "missing": {k: v for k, v in good.items() if k not in ("client_secret", "password")},
        "not_a_url": {**good, "base_url": "pim.example.com"},
    }[case]
    code, stdout, stderr, seconds = run_test(config, tmp_path)
    assert code == 1
    assert seconds < 15
    line = last_line(stderr)
    assert f"tap-akeneo: {expected.format(base=sandbox.base_url, port=port)}" in line
    assert "Traceback" not in stderr
    assert '"RECORD"' not in stdout
    for secret in ("sandbox_secret", "not-a-token", "wrong"):
        if secret not in expected:
            assert secret not in stderr


@pytest.mark.parametrize("host", ["dns", "refused"])
def test_default_retry_settings_still_answer_in_seconds(tmp_path: Path, host: str) -> None:
    """With the settings' defaults (8 retries, up to 60 s apart) --test retries at most once."""
    base = "http://pim.invalid" if host == "dns" else f"http://127.0.0.1:{closed_port()}"
    creds = {"client_id": "c", "client_secret": "s", "username": "u", "password": "p"}
    for config in ({"base_url": base, **creds}, {"base_url": base, "access_token": "t"}):
        code, _, stderr, seconds = run_test(config, tmp_path)
        assert code == 1
        assert seconds < 10, stderr
        assert "connection test failed: cannot reach" in last_line(stderr)


@pytest.mark.parametrize("auth", ["password", "access_token"])
def test_not_an_akeneo_server(html_server: str, tmp_path: Path, auth: str) -> None:
    config: dict[str, t.Any] = {"base_url": html_server}
    if auth == "password":
        config.update(client_id="c", client_secret="s", username="u", password="p")
    else:
        config["access_token"] = "t"
    code, _, stderr, _ = run_test(config, tmp_path)
    assert code == 1
    line = last_line(stderr)
    assert "connection test failed:" in line
    assert "text/html" in line and "Akeneo" in line
