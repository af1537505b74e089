"""Akeneo versions: which products endpoint a PIM has, and a product key on every version.

Akeneo 7.0 and SaaS list products at ``/products-uuid``; 5.0 and 6.0 only have
``/products``, whose items carry an ``identifier`` and no ``uuid``. Discovery runs without a
connection, so the products stream's key is ``uuid`` everywhere. Where the PIM gives no
uuid, the tap writes a name-based UUID (version 5) of the identifier instead: stable
across runs, a valid UUID, and recognisable (its version digit is 5; Akeneo's are 4).

The endpoint is found by one probe per run: ``GET /products-uuid?limit=1``. A 404 means a
PIM before 7.0, and the products stream reads ``/products``. A run whose bookmark was
taken from ``/products-uuid`` skips the probe (a PIM never loses that endpoint).
"""

from __future__ import annotations

import threading
import typing as t
import uuid

from tap_akeneo.errors import EndpointNotFoundError

if t.TYPE_CHECKING:
    from tap_akeneo.client import AkeneoStream

UUID_PATH = "/api/rest/v1/products-uuid"
IDENTIFIER_PATH = "/api/rest/v1/products"
#: Key in the products stream's state: the endpoint its bookmark was taken from.
ENDPOINT_STATE_KEY = "akeneo_endpoint"
#: Namespace of the synthetic product uuids (fixed: the same identifier always maps to
#: the same uuid, on every machine).
PRODUCT_NAMESPACE = uuid.UUID("5b0a3c4e-9a8d-4c41-8a5e-7a6b2d1f0c93")


def synthetic_uuid(identifier: str) -> str:
    """The key of a product read from ``/products`` (before 7.0): uuid5 of its identifier."""
    return str(uuid.uuid5(PRODUCT_NAMESPACE, identifier))


class ProductEndpoint:
    """Resolves, once per run, whether the PIM lists products by uuid."""

    def __init__(self) -> None:
        # Re-entrant: the probe itself names the stream's path in its logs and errors.
        self._lock = threading.RLock()
        self._path: str | None = None
        self._probing = False

    def path(self, stream: AkeneoStream) -> str:
        with self._lock:
            if self._path is not None:
                return self._path
            if self._probing:
                return UUID_PATH
            if stream.stream_state.get(ENDPOINT_STATE_KEY) == UUID_PATH:
                # The bookmark came from /products-uuid: the PIM has it (no Akeneo goes
                # back to a version without it). Saves an incremental run one request.
                self._path = UUID_PATH
                return self._path
            self._probing = True
            try:
                has_uuid_endpoint = probe(stream, UUID_PATH)
            finally:
                self._probing = False
            self._path = UUID_PATH if has_uuid_endpoint else IDENTIFIER_PATH
            if self._path == IDENTIFIER_PATH:
                stream.logger.info(
                    "This PIM has no %s (Akeneo before 7.0): products are read from %s and "
                    "keyed by a uuid5 of their identifier",
                    UUID_PATH,
                    IDENTIFIER_PATH,
                )
            return self._path


def probe(stream: AkeneoStream, path: str) -> bool:
    """Whether ``GET path?limit=1`` exists on the PIM (False on a 404).

    Sent with the stream's own session, token, retries and error handling.
    """
    request = stream.build_prepared_request(
        method="GET",
        url=stream.url_base + path,
        params={"limit": 1},
        headers=stream.http_headers,
    )
    try:
        stream.request_decorator(stream._request)(request, None)
    except EndpointNotFoundError:
        return False
    return True
