"""AkeneoStream: the base stream every tap-akeneo stream derives from.

What lives here, once for all streams:

- records at ``_embedded.items``; pagination by following ``_links.next.href``
  verbatim (absolute or relative), with the SDK's HATEOAS paginator;
- retries with exponential backoff and jitter on 408, 429, 5xx, dropped connections,
  timeouts, truncated and non-JSON bodies, honouring ``Retry-After`` (seconds or an
  HTTP date), bounded in attempts and in total time; when retries run out the run
  stops with one line naming the endpoint and the last status;
- a 401 renews the shared token and replays the request once;
- record clean-up before the SDK sees a record: ``created``/``updated`` normalised to
  UTC, ``[]`` turned into ``{}`` where Akeneo's PHP serialises an empty map;
- the table version for reconcile runs, with ACTIVATE_VERSION written only after the
  stream's last record (see :mod:`tap_akeneo.reconcile`).
"""

from __future__ import annotations

import functools
import logging
import sys
import typing as t
from functools import cached_property
from urllib.parse import urljoin, urlparse

import backoff
import requests
from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.exceptions import RetriableAPIError
from singer_sdk.helpers.conform import TypeConformanceLevel
from singer_sdk.pagination import BaseHATEOASPaginator
from singer_sdk.singerlib import RecordMessage
from singer_sdk.streams import RESTStream

from tap_akeneo import payloads, progress
from tap_akeneo.errors import AkeneoAPIError, AkeneoError, EndpointNotFoundError
from tap_akeneo.messages import plain_records
from tap_akeneo.retries import TokenRejected, retry_wait
from tap_akeneo.timestamps import to_utc_iso, utc_now, zone

if t.TYPE_CHECKING:
    from singer_sdk.helpers.types import Context
    from singer_sdk.streams.rest import HTTPRequest, PageContext

    from tap_akeneo.auth import AkeneoAuthenticator
    from tap_akeneo.tap import TapAkeneo

API_PREFIX = "/api/rest/v1"
#: Attribute set on a response once its body has been parsed (parsed once, used twice).
_PARSED = "_akeneo_payload"
#: Keys whose empty value PHP may render as ``[]`` instead of ``{}``.
MAP_KEYS = ("values", "associations", "quantified_associations", "labels", "metadata")


class NotJSONError(RetriableAPIError):
    """A 2xx whose body is not JSON (truncated, or a proxy's HTML page)."""


class AkeneoLinkPaginator(BaseHATEOASPaginator):
    """Follow ``_links.next.href`` exactly as the server wrote it."""

    def get_next_url(self, response: requests.Response) -> str | None:
        payload = parsed_payload(response)
        if not isinstance(payload, dict):
            return None
        links = payload.get("_links") or {}
        href = (links.get("next") or {}).get("href") if isinstance(links, dict) else None
        if not href:
            return None
        # A relative link is resolved against the URL that returned it.
        return urljoin(response.url, href)


def parsed_payload(response: requests.Response) -> t.Any:
    """The JSON body of a response, parsed once (``validate_response`` parses it)."""
    payload = getattr(response, _PARSED, None)
    if payload is None:
        payload = payloads.decode(response.content)
        setattr(response, _PARSED, payload)
    return payload


class AkeneoStream(RESTStream[t.Any]):
    """Base stream: one Akeneo listing endpoint."""

    _tap: TapAkeneo

    #: Retry these besides 5xx.
    extra_retry_statuses = [408, 429]
    #: Records are plain JSON from the API: nothing to conform (measured: conformance was
    #: most of the tap's CPU). ``post_process`` drops root keys the schema lacks, the one
    #: thing ROOT_ONLY did for these records.
    TYPE_CONFORMANCE_LEVEL = TypeConformanceLevel.NONE
    #: Keys removed from every record (HAL links are not data).
    drop_keys: t.ClassVar[tuple[str, ...]] = ("_links",)
    #: Timestamp fields normalised to UTC ISO 8601.
    timestamp_keys: t.ClassVar[tuple[str, ...]] = ("created", "updated")
    #: Whether this endpoint paginates (False: one plain response).
    paginated: t.ClassVar[bool] = True
    #: ``search_after`` or ``page`` (offset); products and models use search_after.
    pagination_type: t.ClassVar[str | None] = None
    #: Root keys whose values may pass through as raw JSON (see :mod:`tap_akeneo.payloads`).
    raw_keys: t.ClassVar[frozenset[str]] = frozenset()

    # -- connection ----------------------------------------------------------------------

    @property
    def url_base(self) -> str:
        return self._tap.base_url

    @property
    def authenticator(self) -> AkeneoAuthenticator:  # type: ignore[override]
        return self._tap.authenticator

    @property
    def requests_session(self) -> requests.Session:
        return self._tap.requests_session

    @property
    def timeout(self) -> int:  # type: ignore[override]
        return int(self.config.get("request_timeout", 60))

    @property
    def http_headers(self) -> dict:
        return {"Accept": "application/json"}

    @cached_property
    def user_agent(self) -> str:  # type: ignore[override]
        return self._tap.user_agent

    @cached_property
    def server_tz(self) -> t.Any:
        return zone(self.config.get("server_timezone") or "UTC")

    # -- requests and pages ----------------------------------------------------------------

    def get_new_paginator(self) -> AkeneoLinkPaginator | None:
        return AkeneoLinkPaginator() if self.paginated else None

    def get_url_params(self, context: Context | None, next_page_token: t.Any) -> dict[str, t.Any]:
        params: dict[str, t.Any] = {}
        if self.paginated:
            params["limit"] = self.page_size
            if self.pagination_type:
                params["pagination_type"] = self.pagination_type
        return params

    @property
    def page_size(self) -> int:
        return int(self.config.get("page_size", 100))

    def get_http_request(self, *, page: PageContext) -> HTTPRequest:
        request = super().get_http_request(page=page)
        if page.next_page_token is not None:
            # Follow the server's link verbatim: its query carries the cursor and every
            # parameter of the first request, in the server's own encoding.
            request.url = page.next_page_token.geturl()
            request.params = {}
        return request

    def parse_response(self, response: requests.Response) -> t.Iterable[dict]:
        payload = parsed_payload(response)
        if isinstance(payload, list):  # unpaged endpoints answer a plain array
            yield from payload
            return
        embedded = payload.get("_embedded") if isinstance(payload, dict) else None
        items = embedded.get("items") if isinstance(embedded, dict) else None
        if items is None:
            raise AkeneoAPIError(f"unexpected answer from {self.path}: no _embedded.items in the JSON body")
        yield from items

    def parse_body(self, response: requests.Response) -> t.Any:
        """Parse the body once (lazily for list pages when ``lazy_records``)."""
        payload = getattr(response, _PARSED, None)
        if payload is None:
            content = response.content
            pages = self.lazy_pages
            if pages is None:
                payload = payloads.decode(content)
            else:
                if not self._keys_checked:
                    self._keys_checked = True
                    unknown = tuple(sorted(pages.unknown_keys(content) - set(self.drop_keys)))
                    if unknown:
                        _warn_unknown_keys(self.name, unknown, self.logger)
                payload = pages.decode(content)
            setattr(response, _PARSED, payload)
        return payload

    _keys_checked = False

    @cached_property
    def lazy_pages(self) -> payloads.LazyPages | None:
        """The page decoder that keeps ``raw_keys`` raw, when ``lazy_records``."""
        if not self.lazy_records:
            return None
        return payloads.LazyPages(self.schema.get("properties") or (), self.raw_keys, MAP_KEYS)

    @cached_property
    def plain_records(self) -> bool:
        """The SDK's field selection, conformance and stream maps leave records as is."""
        return plain_records(self)

    @cached_property
    def lazy_records(self) -> bool:
        """Whether ``raw_keys`` may stay raw JSON up to the writer.

        Only when nothing between here and the writer looks inside them (see
        ``plain_records``; no selected child stream), the writer is msgspec's (it copies
        raw JSON verbatim) and no BATCH files are written (their encoder would not).
        """
        return (
            bool(self.raw_keys)
            and self.plain_records
            and isinstance(self._tap.message_writer, MsgSpecWriter)
            and not self.config.get("batch_config")
            and not any(child.selected for child in self.child_streams)  # they read records
        )

    # -- errors, retries, token renewal -----------------------------------------------------

    def _request(
        self, prepared_request: requests.PreparedRequest, context: Context | None
    ) -> requests.Response:
        # Counted when sent: a dropped connection or a truncated body is an attempt too.
        self._tap.stats.request(self.name)
        return super()._request(prepared_request, context)

    def validate_response(self, response: requests.Response) -> None:
        status = response.status_code
        request = response.request
        token = (request.headers.get("Authorization") or "").removeprefix("Bearer ")
        if status == 401:
            # A request is replayed once with a renewed token; again only when its new token
            # had been accepted before and expired meanwhile (concurrent requests share one).
            first = getattr(request, "_akeneo_replayed", None)
            if first is not None and (token == first or token not in self.authenticator.accepted):
                raise AkeneoAPIError(
                    f"Akeneo answered 401 on {self._endpoint(response)} again after the access "
                    "token was renewed: the API user lacks access or the token is revoked",
                    status,
                )
            request._akeneo_replayed = token  # type: ignore[union-attr,attr-defined]
            self.authenticator.invalidate(token or None)
            raise TokenRejected(f"401 on {self._endpoint(response)}", response)
        if status < 300 and token:
            self.authenticator.accepted.add(token)
        if status in self.extra_retry_statuses or status >= 500:
            raise RetriableAPIError(self.response_error_message(response), response)
        if status == 404:
            raise EndpointNotFoundError(
                f"{self._endpoint(response)} does not exist on this PIM (404): its Akeneo version "
                "or edition lacks this endpoint, or base_url is not the PIM's root URL",
                status,
            )
        if 400 <= status < 500:
            raise AkeneoAPIError(self.response_error_message(response), status)
        if status >= 300:
            raise AkeneoAPIError(
                f"{self._endpoint(response)} redirected ({status}) to "
                f"{response.headers.get('Location', '?')}: set base_url to the URL the PIM "
                "is served at (http vs https?)",
                status,
            )
        try:
            self.parse_body(response)
        except ValueError:
            content_type = response.headers.get("Content-Type", "?").split(";")[0]
            raise NotJSONError(
                f"{self._endpoint(response)} answered {status} with a body that is not JSON "
                f"({content_type}, {len(response.content)} bytes): is base_url an Akeneo PIM?",
                response,
            ) from None

    def _endpoint(self, response: requests.Response | None) -> str:
        if response is not None and response.request is not None and response.request.url:
            return f"{response.request.method} {urlparse(response.request.url).path}"
        return f"GET {API_PREFIX}{self.path}" if not self.path.startswith("/api") else self.path

    def response_error_message(self, response: requests.Response) -> str:
        """``<status> from <METHOD path>: <Akeneo's message>`` — never headers or tokens."""
        detail = ""
        try:
            payload = parsed_payload(response)
        except ValueError:
            payload = None
        if isinstance(payload, dict):
            detail = str(payload.get("message") or "")
            errors = payload.get("errors")
            if isinstance(errors, list) and errors:
                first = errors[0]
                if isinstance(first, dict):
                    detail += f" ({first.get('property', '')}: {first.get('message', '')})"
        elif response.content:
            content_type = response.headers.get("Content-Type", "?").split(";")[0]
            detail = f"{content_type} body of {len(response.content)} bytes"
        message = f"{response.status_code} {response.reason or ''}".rstrip()
        return f"{message} from {self._endpoint(response)}" + (f": {detail}" if detail else "")

    def request_decorator(self, func: t.Callable) -> t.Callable:
        """The SDK's backoff, bounded in tries *and* total time, with clean give-up errors."""
        decorated = backoff.on_exception(
            self.backoff_wait_generator,
            (
                ConnectionResetError,
                RetriableAPIError,
                requests.exceptions.Timeout,
                requests.exceptions.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
                requests.exceptions.ContentDecodingError,
            ),
            max_tries=self.backoff_max_tries,
            max_time=float(self.config.get("retry_max_elapsed_seconds", 600)),
            on_backoff=self.backoff_handler,
            jitter=None,  # applied in the wait generator, never to Retry-After
            logger=None,
            giveup=_is_unrecoverable_connection_error,
        )(_replaying_expired_tokens(func))

        def call(*args: t.Any, **kwargs: t.Any) -> t.Any:
            try:
                return decorated(*args, **kwargs)
            except RetriableAPIError as exc:
                if isinstance(exc, TokenRejected):
                    raise AkeneoAPIError(f"Akeneo kept answering 401 on {self.path}", 401) from None
                raise AkeneoAPIError(
                    f"giving up on {self._endpoint(exc.response)} after "
                    f"{self.backoff_max_tries()} attempts: last answer {exc}",
                    exc.response.status_code if exc.response is not None else None,
                ) from None
            except requests.exceptions.SSLError as exc:
                raise AkeneoAPIError(
                    f"TLS failed for {self.url_base}: {_reason(exc)}; check http vs https in "
                    "base_url and the PIM's certificate"
                ) from None
            except requests.exceptions.RequestException as exc:
                raise AkeneoAPIError(
                    f"giving up on GET {self.path} after {self.backoff_max_tries()} attempts: "
                    f"{type(exc).__name__}: {_reason(exc)}"
                ) from None

        return call

    def backoff_max_tries(self) -> int:
        return int(self.config.get("max_retries", 8)) + 1

    def backoff_wait_generator(self) -> t.Generator[float, t.Any, None]:  # type: ignore[override]
        base = float(self.config.get("backoff_base_seconds", 1.0))
        cap = float(self.config.get("backoff_max_seconds", 60.0))

        def waits() -> t.Generator[float, t.Any, None]:
            attempt = 0
            exc = yield 0.0
            while True:
                attempt += 1
                exc = yield retry_wait(exc, attempt, base=base, cap=cap)

        return waits()

    def backoff_handler(self, details: t.Any) -> None:
        exc = details.get("exception")
        what = str(exc) if isinstance(exc, RetriableAPIError) else f"{type(exc).__name__}"
        self._tap.stats.retry(self.name)
        self.logger.warning(
            "Retrying %s in %.1f s (attempt %d failed: %s)",
            self.path,
            details.get("wait", 0.0),
            details.get("tries", 0),
            what[:300],
        )

    def log(self, message: str, *args: t.Any, level: int = logging.INFO, **kwargs: t.Any) -> None:
        # The SDK logs "An unhandled error occurred while syncing" before re-raising; for
        # our own errors the CLI prints one line that already says it all.
        if message.startswith("An unhandled error occurred") and isinstance(
            sys.exc_info()[1], AkeneoError
        ):
            return
        super().log(message, *args, level=level, **kwargs)

    # -- records -------------------------------------------------------------------------

    @cached_property
    def _schema_keys(self) -> frozenset[str]:
        return frozenset(self.schema.get("properties") or ())

    def post_process(self, row: dict, context: Context | None = None) -> dict | None:
        for key in self.drop_keys:
            row.pop(key, None)
        if not row.keys() <= self._schema_keys:
            # What ROOT_ONLY conformance did: keys the schema lacks are dropped (warned once).
            unknown = tuple(sorted(row.keys() - self._schema_keys))
            for key in unknown:
                del row[key]
            _warn_unknown_keys(self.name, unknown, self.logger)
        for key in MAP_KEYS:
            if row.get(key) == []:
                row[key] = {}
        for key in self.timestamp_keys:
            value = row.get(key)
            if value:
                row[key] = to_utc_iso(value, self.server_tz)
        return row

    def _generate_record_messages(self, record: dict) -> t.Generator[RecordMessage, None, None]:
        """The SDK's RECORD messages, without its per-record no-ops when ``plain_records``."""
        if not self.plain_records:
            yield from super()._generate_record_messages(record)
            return
        yield RecordMessage(
            stream=self.stream_maps[0].stream_alias,
            record=record,
            version=self._stream_version,
            time_extracted=utc_now(),
        )

    # -- table versions and ACTIVATE_VERSION ------------------------------------------------

    @property
    def emit_activate_version_messages(self) -> bool:
        """Never let the SDK write ACTIVATE_VERSION before the records (see reconcile)."""
        return False

    @property
    def reconciling(self) -> bool:
        """A full-table read that ends with ACTIVATE_VERSION.

        A child stream reconciles only when its parent does: a child of an incremental
        read (product values of the products changed since the bookmark) never saw the
        whole table.
        """
        if not self.config.get("emit_activate_version_messages"):
            return False
        if self.replication_method != "FULL_TABLE":
            return False
        parent = self.parent_stream
        return parent is None or parent.reconciling

    @property
    def parent_stream(self) -> AkeneoStream | None:
        """The parent stream instance of a child stream (None for a top-level stream)."""
        if self.parent_stream_type is None:
            return None
        for stream in self._tap.streams.values():
            if self in stream.child_streams and isinstance(stream, AkeneoStream):
                return stream
        return None

    #: Set when the PIM lacks this stream's endpoint (an Enterprise stream on a Community
    #: Edition): the stream was skipped, which is not a complete read.
    unavailable: bool = False

    def get_records(self, context: Context | None) -> t.Iterable[dict[str, t.Any]]:
        self._stream_version = self._tap.record_version(reconcile=self.reconciling)
        yield from self.request_records(context)
        # Resumed only after the SDK wrote the last record (and synced its children).
        if self.reconciling and self.parent_stream_type is None and not self.unavailable:
            self._tap.activate_versions(self)

    def request_records(self, context: Context | None) -> t.Iterable[dict]:
        stats = self._tap.stats
        with stats.timed(self.name):
            tracker = progress.start(self, context)  # count probe + progress lines
            for record in super().request_records(context):
                stats.record(self.name)
                tracker.advance()
                yield record


#: Immediate replays of a request whose shared token expired meanwhile (one per request
#: that may be in flight with it), before a 401 counts as a failed attempt.
TOKEN_REPLAYS = 4


def _replaying_expired_tokens(func: t.Callable) -> t.Callable:
    """Replay at once, without spending an attempt, after a 401 that renewed the token.

    With concurrent requests one token serves several of them: when it expires, each gets
    its 401, and their replays together may use up the next token too. A 401 that is not
    worth replaying raises AkeneoAPIError instead (see ``validate_response``).
    """

    @functools.wraps(func)
    def call(*args: t.Any, **kwargs: t.Any) -> t.Any:
        for _ in range(TOKEN_REPLAYS):
            try:
                return func(*args, **kwargs)
            except TokenRejected:
                continue
        return func(*args, **kwargs)

    return call


@functools.lru_cache(maxsize=64)
def _warn_unknown_keys(stream: str, keys: tuple[str, ...], logger: t.Any) -> None:
    logger.warning(
        "Properties %s were present in the '%s' stream but not found in catalog schema. Ignoring.",
        keys,
        stream,
    )


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    if "] " in text:
        text = text.rsplit("] ", 1)[-1]
    return text.rstrip(")'\"")[:200]


def _is_unrecoverable_connection_error(exc: Exception) -> bool:
    """Name resolution and TLS failures do not heal by retrying."""
    if isinstance(exc, requests.exceptions.SSLError):
        return True
    text = str(exc)
    return isinstance(exc, requests.exceptions.ConnectionError) and (
        "Name or service not known" in text
        or "nodename nor servname" in text
        or "Temporary failure in name resolution" in text
        or "No address associated" in text
    )
