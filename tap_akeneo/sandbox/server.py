"""``SandboxServer``: the Akeneo-compatible HTTP server (standard library only)."""

from __future__ import annotations

import contextlib
import socket
import threading
from datetime import datetime
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .api import App, Request, Response, error_response
from .catalog import Catalog, Clock
from .faults import FAULT_FIELDS, FaultSettings
from .stats import Stats

DEFAULT_CREDENTIALS = {
    "client_id": "sandbox_client",
    "client_secret": "sandbox_secret",
    "username": "admin",
    "password": "admin",
}
VERSIONS = ("5.0", "6.0", "7.0", "saas")
EDITIONS = ("ee", "ce")
_REASONS = BaseHTTPRequestHandler.responses


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AkeneoSandbox/1.0"
    sys_version = ""
    timeout = 120  # idle keep-alive connections are closed after this many seconds
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        return

    def date_time_string(self, timestamp: float | None = None) -> str:
        return formatdate(self.server.clock.time() if timestamp is None else timestamp,
                          usegmt=True)

    def _dispatch(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        body = self.rfile.read(length) if length > 0 else b""
        parts = urlsplit(self.path)
        req = Request(
            method=self.command,
            path=parts.path,
            query_pairs=parse_qsl(parts.query, keep_blank_values=True),
            headers=self.headers,  # type: ignore[arg-type]
            body=body,
        )
        try:
            resp = self.server.app.handle(req)
        except Exception as exc:  # pragma: no cover - a bug in the sandbox
            resp = error_response(500, f"Sandbox error: {exc!r}")
        self._send(resp)

    def _send(self, resp: Response) -> None:
        if resp.action == "drop":
            self.close_connection = True
            self._abort()
            return
        reason = _REASONS.get(resp.status, ("Unknown",))[0]
        lines = [
            f"HTTP/1.1 {resp.status} {reason}",
            f"Date: {self.date_time_string()}",
            f"Server: {self.server_version}",
        ]
        if resp.status != 204:
            if resp.content_type is not None:
                lines.append(f"Content-Type: {resp.content_type}")
            lines.append(f"Content-Length: {len(resp.body)}")
        lines.extend(f"{k}: {v}" for k, v in resp.headers)
        if self.close_connection or resp.action == "truncate":
            lines.append("Connection: close")
            self.close_connection = True
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        body = b"" if resp.status == 204 or self.command == "HEAD" else resp.body
        if resp.action == "truncate":
            body = body[: max(1, len(body) // 2)] if body else b""
        try:
            self.wfile.write(head + body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True
            return
        if resp.action == "truncate":
            self._abort()

    def _abort(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    do_GET = _dispatch
    do_POST = _dispatch
    do_PATCH = _dispatch
    do_PUT = _dispatch
    do_DELETE = _dispatch
    do_OPTIONS = _dispatch


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, addr: tuple[str, int], app: App | None, clock: Clock) -> None:
        super().__init__(addr, _Handler)
        self.app: App = app  # type: ignore[assignment]
        self.clock = clock
        self._conns: set[socket.socket] = set()
        self._conn_threads: set[threading.Thread] = set()
        self._conn_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        t = threading.Thread(target=self._serve_conn, args=(request, client_address),
                             daemon=True, name="sandbox-conn")
        with self._conn_lock:
            self._conns.add(request)
            self._conn_threads.add(t)
        t.start()

    def _serve_conn(self, request: Any, client_address: Any) -> None:
        try:
            self.finish_request(request, client_address)
        except Exception:  # pragma: no cover - client went away mid-request
            pass
        finally:
            self.shutdown_request(request)
            with self._conn_lock:
                self._conns.discard(request)
                self._conn_threads.discard(threading.current_thread())

    def close_connections(self, timeout: float = 5.0) -> None:
        with self._conn_lock:
            conns = list(self._conns)
            threads = list(self._conn_threads)
        for c in conns:
            with contextlib.suppress(OSError):
                c.shutdown(socket.SHUT_RDWR)
        for t in threads:
            t.join(timeout)


class SandboxServer:
    """An Akeneo-compatible PIM on ``http://127.0.0.1:<port>``, for tests, demos and benchmarks.

    Usable as a context manager (starts on enter, stops on exit) or with ``start()``/``stop()``.
    The socket is bound at construction, so ``base_url`` is known before ``start()``.
    Extra keyword arguments are fault settings (see :mod:`tap_akeneo.sandbox.faults`).
    """

    def __init__(
        self,
        products: int = 250,
        product_models: int = 40,
        seed: int = 1,
        port: int = 0,
        token_ttl: int = 3600,
        latency: float = 0.0,
        server_timezone: str = "UTC",
        akeneo_version: str = "7.0",
        edition: str = "ee",
        *,
        host: str = "127.0.0.1",
        client_id: str = DEFAULT_CREDENTIALS["client_id"],
        client_secret: str = DEFAULT_CREDENTIALS["client_secret"],
        username: str = DEFAULT_CREDENTIALS["username"],
        password: str = DEFAULT_CREDENTIALS["password"],
        refresh_token_ttl: int = 1_209_600,
        max_concurrency: int = 4,
        records_per_entity: int = 30,
        assets_per_family: int = 30,
        cache: bool = True,
        **fault_settings: Any,
    ) -> None:
        version = str(akeneo_version).lower()
        if version not in VERSIONS:
            raise ValueError(f"akeneo_version must be one of {VERSIONS}, not {akeneo_version!r}")
        if edition.lower() not in EDITIONS:
            raise ValueError(f"edition must be one of {EDITIONS}, not {edition!r}")
        unknown = set(fault_settings) - set(FAULT_FIELDS)
        if unknown:
            raise TypeError(f"unknown SandboxServer arguments: {sorted(unknown)}")
        self.clock = Clock()
        self._httpd = _HTTPServer((host, port), None, self.clock)
        addr = self._httpd.server_address
        self.host, self.port = str(addr[0]), int(addr[1])
        self.base_url = f"http://{self.host}:{self.port}"
        self.credentials = {
            "client_id": client_id,
            "client_secret": client_secret,
            "username": username,
            "password": password,
        }
        try:
            self.catalog = Catalog(
                products,
                product_models,
                seed,
                clock=self.clock,
                server_timezone=server_timezone,
                edition=edition,
                akeneo_version=version,
                base_url=self.base_url,
                records_per_entity=records_per_entity,
                assets_per_family=assets_per_family,
                cache=cache,
            )
        except Exception:
            self._httpd.server_close()
            raise
        self.faults = FaultSettings(seed=seed, latency=latency)
        self.faults.set(**fault_settings)
        self.stats = Stats()
        self.app = App(
            self.catalog,
            clock=self.clock,
            faults=self.faults,
            stats=self.stats,
            credentials=self.credentials,
            base_url=self.base_url,
            token_ttl=token_ttl,
            refresh_token_ttl=refresh_token_ttl,
            max_concurrency=max_concurrency,
        )
        self._httpd.app = self.app
        self._thread: threading.Thread | None = None
        self._closed = False

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> SandboxServer:
        if self._closed:
            raise RuntimeError("SandboxServer was stopped; create a new one")
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, kwargs={"poll_interval": 0.5},
                daemon=True, name="sandbox-server",
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, close every connection and join the server threads."""
        if self._closed:
            return
        self._closed = True
        if self._thread is not None:
            stopper = threading.Thread(target=self._httpd.shutdown, daemon=True)
            stopper.start()
            # wake the accept loop's select() so shutdown does not wait for the poll interval
            while stopper.is_alive():
                with contextlib.suppress(OSError):
                    socket.create_connection((self.host, self.port), timeout=0.5).close()
                stopper.join(0.02)
            self._thread.join()
        self._httpd.server_close()
        self._httpd.close_connections()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    # ------------------------------------------------------------------ clock & helpers
    def now(self) -> datetime:
        """The server clock (UTC, aware)."""
        return self.clock.now()

    def set_clock_offset(self, seconds: float) -> None:
        """Shift the server clock (token expiry, ``updated`` bumps, Date header, filters)."""
        self.clock.offset = float(seconds)

    def expire_tokens(self) -> None:
        """Expire every access token issued so far (the next call gets 401)."""
        self.app.tokens.expire_all()

    @property
    def token_url(self) -> str:
        return f"{self.base_url}/api/oauth/v1/token"

    def __repr__(self) -> str:
        return (f"SandboxServer(base_url={self.base_url!r}, products={len(self.catalog.products)},"
                f" product_models={len(self.catalog.product_models)})")
