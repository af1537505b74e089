"""``tap-akeneo-sandbox``: run the sandbox PIM until SIGINT/SIGTERM.

Prints ``base_url``, ``client_id``, ``client_secret``, ``username`` and ``password`` as
``key: value`` lines on stdout (flushed) before serving.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

from .server import DEFAULT_CREDENTIALS, EDITIONS, VERSIONS, SandboxServer


def _retry_after(value: str) -> int | str | None:
    if value.lower() == "none":
        return None
    if value == "date":
        return value
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tap-akeneo-sandbox",
        description="Akeneo-compatible sandbox PIM server (for tests, demos and benchmarks).",
    )
    p.add_argument("--port", type=int, default=0, help="TCP port on 127.0.0.1 (0 = a free port)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    p.add_argument("--products", type=int, default=250, help="number of products")
    p.add_argument("--product-models", type=int, default=40, help="number of product models")
    p.add_argument("--seed", type=int, default=1, help="generator and fault seed")
    p.add_argument("--latency", type=float, default=0.0, help="seconds added to each API call")
    p.add_argument("--token-ttl", type=int, default=3600, help="access token lifetime (s)")
    p.add_argument("--timezone", default="UTC", help="server time zone (e.g. Europe/Paris)")
    p.add_argument("--akeneo-version", default="7.0", choices=VERSIONS)
    p.add_argument("--edition", default="ee", choices=EDITIONS)
    p.add_argument("--client-id", default=DEFAULT_CREDENTIALS["client_id"])
    p.add_argument("--client-secret", default=DEFAULT_CREDENTIALS["client_secret"])
    p.add_argument("--username", default=DEFAULT_CREDENTIALS["username"])
    p.add_argument("--password", default=DEFAULT_CREDENTIALS["password"])
    p.add_argument("--max-concurrency", type=int, default=4,
                   help="concurrent requests allowed per access token before 429")
    p.add_argument("--no-cache", action="store_true",
                   help="do not keep serialized items in memory (less RAM, more CPU)")
    faults = p.add_argument_group("faults")
    faults.add_argument("--rate-429", type=float, default=0.0)
    faults.add_argument("--retry-after", type=_retry_after, default=None,
                        help='Retry-After of injected 429s: seconds, "date" or "none"')
    faults.add_argument("--rate-5xx", type=float, default=0.0)
    faults.add_argument("--rate-drop", type=float, default=0.0)
    faults.add_argument("--rate-truncate", type=float, default=0.0)
    faults.add_argument("--rate-html", type=float, default=0.0)
    faults.add_argument("--fail-after-requests", type=int, default=None)
    faults.add_argument("--fail-mode", choices=("500", "drop"), default="500")
    faults.add_argument("--token-expire-every", type=int, default=None)
    faults.add_argument("--edit-during-sync", type=int, default=0)
    faults.add_argument("--faults-on-token", action="store_true")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    fault_kwargs: dict[str, Any] = {
        "rate_429": args.rate_429,
        "retry_after": args.retry_after,
        "rate_5xx": args.rate_5xx,
        "rate_drop": args.rate_drop,
        "rate_truncate": args.rate_truncate,
        "rate_html": args.rate_html,
        "fail_after_requests": args.fail_after_requests,
        "fail_mode": args.fail_mode,
        "token_expire_every": args.token_expire_every,
        "edit_during_sync": args.edit_during_sync,
        "faults_on_token": args.faults_on_token,
    }
    sb = SandboxServer(
        products=args.products,
        product_models=args.product_models,
        seed=args.seed,
        port=args.port,
        token_ttl=args.token_ttl,
        latency=args.latency,
        server_timezone=args.timezone,
        akeneo_version=args.akeneo_version,
        edition=args.edition,
        host=args.host,
        client_id=args.client_id,
        client_secret=args.client_secret,
        username=args.username,
        password=args.password,
        max_concurrency=args.max_concurrency,
        cache=not args.no_cache,
        **fault_kwargs,
    )
    stop = threading.Event()

    def _on_signal(signum: int, frame: Any) -> None:
        stop.set()

    signal.signal(signal.SIGINT, _on_signal)
    signal.signal(signal.SIGTERM, _on_signal)
    sb.start()
    out = sys.stdout
    out.write(f"base_url: {sb.base_url}\n")
    for key in ("client_id", "client_secret", "username", "password"):
        out.write(f"{key}: {sb.credentials[key]}\n")
    out.flush()
    try:
        while not stop.wait(0.5):
            pass
    finally:
        sb.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
