"""Run the tap's real CLI and judge its output the way a user would."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import typing as t
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_tap(
    config: dict[str, t.Any],
    tmp_path: Path,
    *args: str,
    env: dict[str, str] | None = None,
    state: dict[str, t.Any] | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    config_file = tmp_path / "config.json"
    config_file.write_text(json.dumps(config))
    command = [sys.executable, "-m", "tap_akeneo.tap", "--config", str(config_file), *args]
    if state is not None:
        state_file = tmp_path / "state.json"
        state_file.write_text(json.dumps(state))
        command += ["--state", str(state_file)]
    import os

    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TAP_AKENEO")}
    full_env.update(env or {})
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, env=full_env)


def messages(stdout: str) -> list[dict[str, t.Any]]:
    return [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]


def assert_one_line_error(
    result: subprocess.CompletedProcess[str], *needles: str, failed_stream: str | None = None
) -> str:
    """Non-zero exit, no traceback, exactly one ERROR line naming the problem, and no STATE
    (or, with ``failed_stream``, no bookmark for the stream that failed)."""
    assert result.returncode != 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    errors = [line for line in result.stderr.splitlines() if "| ERROR" in line or "ERROR " in line]
    assert len(errors) == 1, "\n".join(errors) or result.stderr[-2000:]
    line = errors[0]
    for needle in needles:
        assert needle.lower() in line.lower(), line
    states = [m for m in messages(result.stdout) if m["type"] == "STATE"]
    if failed_stream is None:
        assert not states, "state was written"
    else:
        assert not [m for m in states if failed_stream in m["value"].get("bookmarks", {})], states
    return line


class FakePim:
    """A minimal HTTP server answering canned responses, for cases the sandbox is not."""

    def __init__(
        self, handler: t.Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]
    ) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                status, headers, body = handler(self)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                outer.requests.append(f"{self.command} {self.path}")

            do_GET = do_POST = _answer

            def log_message(self, *args: t.Any) -> None:
                pass

        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakePim:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join()


TOKEN = json.dumps(
    {"access_token": "tok", "expires_in": 3600, "token_type": "bearer", "scope": None, "refresh_token": "r"}
).encode()


def product_streams_only(tmp_path: Path) -> list[str]:
    """CLI arguments selecting only products and product models (the streams these tests
    time their faults by), as a catalog file."""
    from tests.streams.runner import catalog

    path = tmp_path / "products-catalog.json"
    config = {"base_url": "http://127.0.0.1:9", "access_token": "-"}
    path.write_text(json.dumps(catalog(config, ["products", "product_models"])))
    return ["--catalog", str(path)]
