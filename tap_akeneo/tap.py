"""TapAkeneo: settings and the list of streams."""

from __future__ import annotations

import datetime as dt
import logging
import sys
import typing as t
from functools import cached_property
from urllib.parse import urlparse

import click
import requests
from singer_sdk import Tap
from singer_sdk import typing as th
from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.exceptions import ConfigValidationError
from singer_sdk.singerlib import ActivateVersionMessage
from singer_sdk.tap_base import CliTestOptionValue

from tap_akeneo import __version__
from tap_akeneo.auth import AkeneoAuthenticator
from tap_akeneo.connection import echo_plain_error
from tap_akeneo.errors import AkeneoConfigError, AkeneoError
from tap_akeneo.passthrough import locales_setting
from tap_akeneo.progress import RunProgress
from tap_akeneo.runlock import RunLock, lock_path
from tap_akeneo.stats import RunStats
from tap_akeneo.streams.enterprise import ENTERPRISE_STREAMS
from tap_akeneo.streams.products import ProductModelsStream, ProductsStream
from tap_akeneo.streams.structure import STRUCTURE_STREAMS
from tap_akeneo.streams.value_rows import AttributeTypes
from tap_akeneo.streams.values import VALUE_STREAMS
from tap_akeneo.timestamps import parse_timestamp, utc_now, zone
from tap_akeneo.versions import ProductEndpoint

if t.TYPE_CHECKING:
    from tap_akeneo.client import AkeneoStream

STREAM_TYPES: list[type[AkeneoStream]] = [
    ProductsStream,
    ProductModelsStream,
    *VALUE_STREAMS,
    *STRUCTURE_STREAMS,
    *ENTERPRISE_STREAMS,
]


def _setting(name: str, kind: t.Any, title: str, description: str, **kw: t.Any) -> th.Property:
    return th.Property(name, kind, title=title, description=description, **kw)


CONFIG_SCHEMA = th.PropertiesList(
    _setting(
        "base_url",
        th.StringType,
        "Base URL",
        "Root URL of the Akeneo PIM, e.g. https://my-company.cloud.akeneo.com (without /api/...).",
        required=True,
    ),
    _setting(
        "client_id",
        th.StringType,
        "Client ID",
        "Client ID of the API connection created in the PIM (Connect > Connection settings).",
    ),
    _setting(
        "client_secret",
        th.StringType,
        "Client Secret",
        "Secret of the API connection.",
        secret=True,
    ),
    _setting(
        "username",
        th.StringType,
        "Username",
        "Username of the connection's API user (shown with the connection's credentials).",
    ),
    _setting(
        "password",
        th.StringType,
        "Password",
        "Password of the connection's API user.",
        secret=True,
    ),
    _setting(
        "access_token",
        th.StringType,
        "Access Token (Connected App)",
        "A fixed access token, as an Akeneo Connected App receives; replaces the four "
        "password-grant credentials. App tokens do not expire but can be revoked.",
        secret=True,
    ),
    _setting(
        "start_date",
        th.DateTimeType,
        "Start Date",
        "Only items updated after this moment (ISO 8601) are read on the first run of the "
        "incremental streams (products, product models, reference-entity records, assets). "
        "Without it the first run is a full export.",
    ),
    _setting(
        "scope",
        th.StringType,
        "Channel (scope)",
        "Only this channel's values, sent as `scope` to products and product models (which "
        "also keeps only products classified in the channel's category tree) and as "
        "`channel` to reference-entity records and assets. Empty: every channel.",
    ),
    _setting(
        "locales",
        th.ArrayType(th.StringType),
        "Locales",
        "Only values in these locales (and non-localizable ones), sent as `locales` to "
        "products, product models, records and assets. Empty: every locale.",
    ),
    _setting(
        "with_attribute_options",
        th.BooleanType,
        "With Attribute Options",
        "Ask products and product models for the labels of their select options "
        "(`linked_data` in each value; Akeneo 5.0+).",
        default=False,
    ),
    _setting(
        "with_quality_scores",
        th.BooleanType,
        "With Quality Scores",
        "Ask products and product models for their quality scores per channel and locale "
        "(`quality_scores`; Akeneo 5.0+).",
        default=False,
    ),
    _setting(
        "with_completenesses",
        th.BooleanType,
        "With Completenesses",
        "Ask products for their completeness per channel and locale (`completenesses`; "
        "Akeneo 6.0+).",
        default=False,
    ),
    _setting(
        "page_size",
        th.IntegerType(minimum=1, maximum=100),
        "Page Size",
        "Items per API page, 1 to 100 (Akeneo's maximum, and the fastest).",
        default=100,
    ),
    _setting(
        "max_concurrency",
        th.IntegerType(minimum=1, maximum=4),
        "Max Concurrent Requests",
        "API requests in flight at once, 1 to 4 (Akeneo allows 4 concurrent calls per "
        "connection). Above 1, products and product models are read as windows of `updated` "
        "fetched concurrently; 1 reads each stream as one sequential chain of pages.",
        default=4,
    ),
    _setting(
        "server_timezone",
        th.StringType,
        "Server Time Zone",
        "Time zone in which the PIM reads the `updated` filter of products and product "
        "models: UTC on Akeneo SaaS; on premise, PHP's date.timezone (an IANA name such as "
        "Europe/Paris).",
        default="UTC",
    ),
    _setting(
        "overlap_seconds",
        th.IntegerType(minimum=0),
        "Overlap Window (seconds)",
        "Each incremental run re-reads items updated this many seconds before the bookmark, "
        "to catch saves in the same second, late search indexing and clock skew. The "
        "target's upsert absorbs the repeats.",
        default=300,
    ),
    _setting(
        "emit_activate_version_messages",
        th.BooleanType,
        "Emit ACTIVATE_VERSION (reconcile)",
        "On full-table streams, write ACTIVATE_VERSION after the last record of a complete "
        "read, so the target marks (or deletes) rows that disappeared from Akeneo. Used by "
        "the reconcile job (tap-akeneo-full); never sent when a read fails.",
        default=False,
    ),
    _setting(
        "run_lock_wait_seconds",
        th.IntegerType(minimum=0),
        "Run Lock Wait (seconds)",
        "Runs against the same PIM connection on one machine never overlap (sync and "
        "reconcile): a run waits this long for the previous one, then stops with an error.",
        default=7200,
    ),
    _setting(
        "request_timeout",
        th.IntegerType(minimum=1),
        "Request Timeout (seconds)",
        "Seconds to wait for one HTTP response before retrying.",
        default=60,
    ),
    _setting(
        "max_retries",
        th.IntegerType(minimum=0),
        "Max Retries",
        "Retries of one request after 408, 429, 5xx, dropped connections or broken bodies.",
        default=8,
    ),
    _setting(
        "backoff_base_seconds",
        th.IntegerType(minimum=0),
        "Backoff Base (seconds)",
        "First retry waits about this long (whole seconds; 0 retries at once); each further "
        "retry doubles it, with jitter.",
        default=1,
    ),
    _setting(
        "backoff_max_seconds",
        th.IntegerType(minimum=0),
        "Backoff Max (seconds)",
        "Upper bound of one backoff wait (a 429's Retry-After is honoured as given).",
        default=60,
    ),
    _setting(
        "retry_max_elapsed_seconds",
        th.IntegerType(minimum=0),
        "Retry Time Budget (seconds)",
        "Total time one request may spend retrying before the run stops.",
        default=600,
    ),
    _setting(
        "user_agent",
        th.StringType,
        "User Agent",
        # No schema default: it would carry the version into every generated doc.
        "User-Agent header sent to the PIM; tap-akeneo/<version> when not set.",
    ),
).to_dict()


class TapAkeneo(Tap):
    """Singer tap for the Akeneo PIM REST API."""

    name = "tap-akeneo"
    config_jsonschema = CONFIG_SCHEMA
    message_writer_class = MsgSpecWriter

    def __init__(self, *args: t.Any, **kwargs: t.Any) -> None:
        self.stats = RunStats()
        self.progress = RunProgress()
        self._local_start = utc_now().replace(microsecond=0)
        super().__init__(*args, **kwargs)

    def discover_streams(self) -> list[AkeneoStream]:
        return [stream_type(tap=self) for stream_type in STREAM_TYPES]

    # -- settings ------------------------------------------------------------------------

    @cached_property
    def base_url(self) -> str:
        raw = str(self.config.get("base_url") or "").strip()
        parsed = urlparse(raw)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise AkeneoConfigError(
                f"base_url {raw!r} is not an http(s) URL: give the PIM's root URL, e.g. "
                "https://my-company.cloud.akeneo.com"
            )
        path = parsed.path.rstrip("/")
        for suffix in ("/api/rest/v1", "/api/oauth/v1/token", "/api"):
            if path.endswith(suffix):
                path = path[: -len(suffix)]
                break
        return f"{parsed.scheme}://{parsed.netloc}{path}"

    @property
    def user_agent(self) -> str:
        return str(self.config.get("user_agent") or f"tap-akeneo/{__version__}")

    def check_config(self) -> None:
        """Checks the JSON schema cannot express; raise one clear error."""
        _ = self.base_url
        token = self.config.get("access_token")
        if not token:
            missing = [
                key
                for key in ("client_id", "client_secret", "username", "password")
                if not self.config.get(key)
            ]
            if missing:
                raise AkeneoConfigError(
                    "missing setting(s) " + ", ".join(missing) + ": give the API connection's "
                    "client_id, client_secret, username and password (or an access_token)"
                )
        try:
            zone(str(self.config.get("server_timezone") or "UTC"))
        except ValueError as exc:
            raise AkeneoConfigError(f"server_timezone: {exc}") from None
        start = self.config.get("start_date")
        if start:
            try:
                start_at = parse_timestamp(str(start))
            except ValueError:
                raise AkeneoConfigError(
                    f"start_date {start!r} is not an ISO 8601 date-time (e.g. 2024-01-31T00:00:00Z)"
                ) from None
            if start_at > utc_now() + dt.timedelta(minutes=5):
                raise AkeneoConfigError(
                    f"start_date {start} is in the future: nothing would ever be extracted"
                )
        workers = self.config.get("max_concurrency", 4)
        if not isinstance(workers, int) or not 1 <= workers <= 4:
            raise AkeneoConfigError(
                f"max_concurrency must be 1 to 4 (Akeneo's limit per connection), not {workers!r}"
            )
        locales = self.config.get("locales")
        if locales is not None and not isinstance(locales, (list, str)):
            raise AkeneoConfigError(f"locales must be a list of locale codes, not {locales!r}")
        if any(" " in code for code in locales_setting(locales)):
            raise AkeneoConfigError(f"locales must be locale codes such as en_US, not {locales!r}")
        size = self.config.get("page_size", 100)
        if not isinstance(size, int) or not 1 <= size <= 100:
            raise AkeneoConfigError(f"page_size must be 1 to 100 (Akeneo's limit), not {size!r}")

    # -- shared per run ------------------------------------------------------------------

    @cached_property
    def product_endpoint(self) -> ProductEndpoint:
        """``/products-uuid`` or, before Akeneo 7.0, ``/products`` (probed once)."""
        return ProductEndpoint()

    @cached_property
    def attribute_types(self) -> AttributeTypes:
        """Attribute code -> type, for the long-format value streams."""
        return AttributeTypes()

    # -- shared connection ---------------------------------------------------------------

    @cached_property
    def authenticator(self) -> AkeneoAuthenticator:
        return AkeneoAuthenticator(
            base_url=self.base_url,
            client_id=self.config.get("client_id"),
            client_secret=self.config.get("client_secret"),
            username=self.config.get("username"),
            password=self.config.get("password"),
            access_token=self.config.get("access_token"),
            timeout=float(self.config.get("request_timeout", 60)),
            user_agent=self.user_agent,
            max_retries=int(self.config.get("max_retries", 8)),
            backoff_base=float(self.config.get("backoff_base_seconds", 1)),
            backoff_max=float(self.config.get("backoff_max_seconds", 60)),
        )

    @cached_property
    def requests_session(self) -> requests.Session:
        session = requests.Session()
        session.headers["User-Agent"] = self.user_agent
        # Every request goes to one host: resolve the proxy settings of the environment
        # (HTTPS_PROXY, NO_PROXY, ...) once, instead of on every request (it showed in a
        # profile: a scan of the whole environment, three times per request).
        proxies = requests.utils.get_environ_proxies(self.base_url)
        session.proxies.update({scheme: url for scheme, url in proxies.items() if scheme != "no"})
        session.trust_env = False
        return session

    @cached_property
    def run_started_at(self) -> dt.datetime:
        """When this run started, by the PIM's clock where it tells (HTTP Date).

        The bookmark never moves past it. The earlier of the local start and the PIM's
        clock at the first token response is used, so clock skew can only make the next
        run re-read more, never skip an edit.
        """
        if not self.config.get("access_token"):
            self.authenticator.current_token()
        server = self.authenticator.server_date
        started = self._local_start if server is None else min(self._local_start, server)
        return started.replace(microsecond=0)

    # -- versions for reconcile ------------------------------------------------------------

    def record_version(self, *, reconcile: bool) -> int:
        """The table version written on every RECORD of this run (epoch milliseconds).

        Incremental runs carry it too: a row they write while a reconcile is under way
        then holds a version no older than that reconcile's, instead of NULL (which
        target-postgres would mark deleted).
        """
        return int(self.run_started_at.timestamp() * 1000)

    def activate_versions(self, stream: AkeneoStream) -> None:
        """Write ACTIVATE_VERSION for ``stream`` and its reconciling children, once each."""
        for each in [stream, *stream.child_streams]:
            if each.selected and getattr(each, "reconciling", False):
                version = each._stream_version or self.record_version(reconcile=True)
                for stream_map in each.stream_maps:
                    self.write_message(
                        ActivateVersionMessage(stream=stream_map.stream_alias, version=version)
                    )
                self.logger.info("Complete read of '%s': ACTIVATE_VERSION %s written", each.name, version)

    # -- run ---------------------------------------------------------------------------

    def sync_all(self) -> None:  # type: ignore[misc]
        self.check_config()
        lock = RunLock(
            lock_path(self.base_url, self.config.get("client_id") or self.config.get("username")),
            wait_seconds=float(self.config.get("run_lock_wait_seconds", 7200)),
            logger=self.logger,
        )
        try:
            with lock:
                super().sync_all()
        finally:
            # Also after a failure (before the one-line error, which stays the last line).
            auth = self.__dict__.get("authenticator")
            self.stats.log_summary(
                self.logger,
                token_requests=sum(auth.grants.values()) if auth is not None else 0,
                failed=sys.exc_info()[0] is not None,
            )

    @classmethod
    def cb_test(cls, ctx: click.Context, param: click.Option, value: str) -> None:
        """``--test``: tap_akeneo.connection's quick check, with one clear line either way."""
        if value != CliTestOptionValue.All.value:
            return super().cb_test(ctx, param, value)
        from tap_akeneo.connection import cli_test

        cli_test(cls, ctx)

    @classmethod
    def invoke(cls, *args: t.Any, **kwargs: t.Any) -> None:  # type: ignore[override]
        try:
            super().invoke(*args, **kwargs)
        except ConfigValidationError as exc:
            details = "; ".join(str(e) for e in exc.errors) or str(exc)
            raise AkeneoConfigError(f"invalid settings: {details}") from None

    @classmethod
    def get_singer_command(cls) -> click.Command:
        command = super().get_singer_command()
        original_main = command.main

        def main(*args: t.Any, **kwargs: t.Any) -> t.Any:
            try:
                return original_main(*args, **kwargs)
            except AkeneoError as exc:
                _fail(cls.logger, str(exc))
            except ConfigValidationError as exc:
                details = "; ".join(str(e) for e in exc.errors) or str(exc)
                _fail(cls.logger, f"invalid settings: {details}")

        command.main = main  # type: ignore[method-assign]
        return command


def _fail(logger: logging.Logger, message: str) -> t.NoReturn:
    logger.error("tap-akeneo: %s", message)
    echo_plain_error(f"tap-akeneo: {message}")  # the plain last line `meltano config test` shows
    sys.exit(1)


if __name__ == "__main__":
    TapAkeneo.cli()
