"""``tap-akeneo --test``: a working connection confirmed in seconds, or one line on what is wrong.

The test runs in this order and stops at the first failure, which becomes the run's only
error line (``tap-akeneo: connection test failed: ...``, exit status 1):

1. the settings (missing credentials, a base_url that is not an http(s) URL, ...);
2. the token: one password grant (a 422 names the refused credential), unless a Connected
   App ``access_token`` is configured;
3. one request per product-like stream, sent once with no retries, with ``limit=1`` and
   ``with_count=true``: it proves the API user may read the endpoint and says how many
   items there are (an unreachable host, a proxy's HTML page, a 401/403/404 all end here);
4. the SDK's connection test: one record read from every stream, through the same code as a
   run, written to stdout as the SDK's ``--test`` promises.

Whatever the retry settings, ``--test`` retries a request at most once, after at most 2 s
(:data:`TEST_RETRY_LIMITS`), so that it answers in seconds even when the PIM does not.

Then one line says what was found::

    Connection test passed in 0.4 s: https://pim.example.com, password grant as api_user;
    products: 12,345 items, product_models: 678 items

``meltano config test tap-akeneo`` runs the tap normally and stops at its first RECORD;
there the first failing request gives the same one-line errors (from a run's code path).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
import typing as t

import requests
from singer_sdk.exceptions import RetriableAPIError

from tap_akeneo.client import TokenRejected
from tap_akeneo.errors import AkeneoError, EndpointNotFoundError
from tap_akeneo.progress import counts_total, probe_total

if t.TYPE_CHECKING:
    import click

    from tap_akeneo.client import AkeneoStream
    from tap_akeneo.tap import TapAkeneo

#: The SDK logs this when its one-record test stops a stream on purpose; not an error here.
_SDK_ABORT_MESSAGE = "An unhandled error occurred while syncing"


class ConnectionTestFailed(AkeneoError):
    """What is wrong, in one line."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"connection test failed: {detail}")


#: ``--test`` answers in seconds: whatever the settings say, it retries at most once, briefly.
TEST_RETRY_LIMITS = {"max_retries": 1, "backoff_max_seconds": 2, "retry_max_elapsed_seconds": 10}


def cli_test(tap_class: type[TapAkeneo], ctx: click.Context) -> t.NoReturn:
    """The ``--test`` callback: build the tap like the SDK does, test, exit 0 (or raise)."""
    config = ctx.params.get("config")
    tap = tap_class(
        config=getattr(config, "config", None) or {},
        parse_env_config=bool(getattr(config, "parse_env", False)),
        validate_config=True,
    )
    tap = tap_class(config=quick_config(tap.config), validate_config=True)
    tap.logger.info("%s", run_connection_test(tap))
    ctx.exit(0)


def quick_config(config: t.Mapping[str, t.Any]) -> dict[str, t.Any]:
    """The settings with retries bounded by :data:`TEST_RETRY_LIMITS`."""
    quick = dict(config)
    for key, limit in TEST_RETRY_LIMITS.items():
        value = quick.get(key)
        quick[key] = limit if not isinstance(value, int) else min(value, limit)
    return quick


def run_connection_test(tap: TapAkeneo) -> str:
    """Test the connection; return the success line or raise :class:`ConnectionTestFailed`."""
    started = time.monotonic()
    try:
        tap.check_config()
        base_url = tap.base_url
        if tap.config.get("access_token"):
            how = "Connected App access_token"
        else:
            how = f"password grant as {tap.config.get('username')}"
            tap.authenticator.current_token()
        totals: list[str] = []
        for stream in _top_level_streams(tap):
            if counts_total(stream):
                total = _probe_once(stream)
                totals.append(f"{stream.name}: {'?' if total is None else f'{total:,}'} items")
        with _sdk_abort_lines_silenced(tap):
            tap.run_connection_test()
    except ConnectionTestFailed:
        raise
    except AkeneoError as exc:
        raise ConnectionTestFailed(str(exc)) from None
    seconds = time.monotonic() - started
    found = "; " + ", ".join(totals) if totals else ""
    return f"Connection test passed in {seconds:.2f} s: {base_url}, {how}{found}"


def _top_level_streams(tap: TapAkeneo) -> list[AkeneoStream]:
    return [s for s in tap.streams.values() if s.parent_stream_type is None]  # type: ignore[misc]


def _probe_once(stream: AkeneoStream) -> int | None:
    """One count request, no retries; every failure becomes one plain sentence."""
    base_url = stream.url_base
    try:
        return probe_total(stream, None, retry=False)
    except TokenRejected:
        if stream.config.get("access_token"):
            raise ConnectionTestFailed(
                f"Akeneo rejected the configured access_token on GET {stream.path} (401): the "
                "Connected App's token is invalid or the app was disconnected"
            ) from None
        raise ConnectionTestFailed(
            f"Akeneo answered 401 on GET {stream.path} with a token it had just issued"
        ) from None
    except RetriableAPIError as exc:
        raise ConnectionTestFailed(f"{exc}") from None
    except EndpointNotFoundError as exc:
        raise ConnectionTestFailed(
            f"{exc}: check that base_url is the PIM's root URL and the PIM's version has this endpoint"
        ) from None
    except requests.exceptions.Timeout:
        raise ConnectionTestFailed(
            f"no answer from {base_url} within request_timeout ({stream.timeout} s)"
        ) from None
    except requests.exceptions.SSLError as exc:
        raise ConnectionTestFailed(
            f"TLS failed for {base_url}: {_reason(exc)}; check http vs https in base_url"
        ) from None
    except requests.exceptions.RequestException as exc:
        raise ConnectionTestFailed(f"cannot reach {base_url}: {_reason(exc)}; check base_url") from None


def echo_plain_error(line: str) -> None:
    """Repeat an error line in plain text where it would otherwise only exist as JSON.

    ``meltano config test`` shows the last line the tap wrote, with stdout and stderr in one
    pipe; Meltano also switches the SDK's logging to JSON (structured logging), so that last
    line would be a JSON object. There, and only there (one pipe for both, JSON logging),
    the line is written once more as it reads. ``meltano run`` keeps stdout and stderr apart
    and parses the JSON itself, so it gets no duplicate.
    """
    if not _structured_logging():
        return
    try:
        same = os.path.samestat(os.fstat(1), os.fstat(2))
    except OSError:
        return
    if same:
        sys.stdout.flush()
        print(line, file=sys.stderr, flush=True)


def _structured_logging() -> bool:
    handlers = logging.getLogger().handlers
    return any(type(h.formatter).__name__ == "StructuredFormatter" for h in handlers if h.formatter)


def _reason(exc: BaseException) -> str:
    """The end of a requests/urllib3 message, which names the cause (e.g. Connection refused)."""
    text = str(exc) or type(exc).__name__
    if "] " in text:
        text = text.rsplit("] ", 1)[-1]
    return text.rstrip(")'\"")[:200]


class _DropSdkAbortLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(_SDK_ABORT_MESSAGE)


@contextlib.contextmanager
def _sdk_abort_lines_silenced(tap: TapAkeneo) -> t.Iterator[None]:
    """The SDK stops each stream after one record by raising, and logs that as an ERROR;
    a real failure still ends the test with its own one-line error."""
    loggers = {stream.logger for stream in tap.streams.values()}
    only = _DropSdkAbortLine()
    for logger in loggers:
        logger.addFilter(only)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(only)
