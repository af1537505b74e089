"""The ``tap-akeneo-sandbox`` command line: startup lines, serving, clean shutdown."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import requests

KEYS = ["base_url", "client_id", "client_secret", "username", "password"]


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tap_akeneo.sandbox", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def read_banner(proc: subprocess.Popen[str]) -> dict[str, str]:
    assert proc.stdout is not None
    lines = [proc.stdout.readline().rstrip("\n") for _ in KEYS]
    pairs = [line.split(": ", 1) for line in lines]
    assert [k for k, _ in pairs] == KEYS, lines
    return dict(pairs)  # type: ignore[arg-type]


def test_cli_prints_five_lines_serves_and_exits_cleanly() -> None:
    proc = start("--products", "30", "--product-models", "6", "--seed", "3")
    try:
        banner = read_banner(proc)
        assert banner["base_url"].startswith("http://127.0.0.1:")
        assert banner["client_id"] == "sandbox_client"
        assert banner["client_secret"] == "sandbox_secret"
        assert (banner["username"], banner["password"]) == ("admin", "admin")
        r = requests.post(f"{banner['base_url']}/api/oauth/v1/token",
                          auth=(banner["client_id"], banner["client_secret"]),
                          json={"grant_type": "password", "username": banner["username"],
                                "password": banner["password"]}, timeout=5)
        token = r.json()["access_token"]
        page = requests.get(f"{banner['base_url']}/api/rest/v1/products-uuid",
                            params={"with_count": "true"},
                            headers={"Authorization": f"Bearer {token}"}, timeout=5).json()
        assert page["items_count"] == 30
    finally:
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=10)
    assert rc == 0


def test_cli_overrides_and_sigint() -> None:
    proc = start("--products", "5", "--product-models", "0", "--client-id", "abc",
                 "--password", "s3cret", "--akeneo-version", "6.0", "--edition", "ce",
                 "--timezone", "Europe/Paris")
    try:
        banner = read_banner(proc)
        assert banner["client_id"] == "abc"
        assert banner["password"] == "s3cret"
        info = requests.get(f"{banner['base_url']}/api/rest/v1", timeout=5)
        assert info.status_code == 200
    finally:
        proc.send_signal(signal.SIGINT)
        rc = proc.wait(timeout=10)
    assert rc == 0
