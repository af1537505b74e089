"""HTTP routes of the sandbox with Akeneo's documented semantics, independent of the transport.

``App.handle(Request) -> Response`` does authentication, the per-token concurrency cap, latency
and fault injection, then dispatches to a route handler. ``server.py`` turns the Response into
bytes on the socket (or drops/truncates the connection when a fault says so).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate
from json.encoder import encode_basestring_ascii as _enc  # type: ignore[attr-defined]
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode

from . import structure as st
from .catalog import Catalog, CatalogError, Clock, ModelRec, NotFound, ProductRec, dumps
from .faults import FaultSettings
from .filters import (
    ApiError,
    channel_tree_check,
    parse_search,
    product_predicate,
    reemit_search,
)
from .stats import Stats

API = "/api/rest/v1"
TOKEN_PATH = "/api/oauth/v1/token"
MAX_LIMIT = 100
DEFAULT_LIMIT = 10
OFFSET_WINDOW = 10_000
OFFSET_WINDOW_MESSAGE = (
    'You have reached the maximum number of pages you can retrieve with the "page" pagination '
    "type. Please use the search after pagination type instead"
)
OFFSET_WINDOW_DOC = "http://api.akeneo.com/documentation/pagination.html#search-after-type"

PRODUCT_LINK_PARAMS = ("search", "scope", "search_scope", "locales", "attributes")
WITH_FLAGS = (
    "with_attribute_options",
    "with_asset_share_links",
    "with_quality_scores",
    "with_completenesses",
    "with_root_parent",
    "with_workflow_execution_statuses",
    "convert_measurements",
)

HTML_ERROR_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Service unavailable</title></head>\n"
    b"<body><h1>Service temporarily unavailable</h1>\n"
    b"<p>The upstream server did not answer in time. Please try again later.</p>\n"
    b"<hr><address>edge-proxy</address></body></html>\n"
)


def _html_status_page(status: int) -> bytes:
    reason = {502: "Bad Gateway", 503: "Service Unavailable"}.get(status, "Error")
    return (
        f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    ).encode()


@dataclass
class Request:
    method: str
    path: str
    query_pairs: list[tuple[str, str]] = field(default_factory=list)
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    @property
    def query(self) -> dict[str, str]:
        """Query parameters, the last occurrence winning (like PHP)."""
        return dict(self.query_pairs)

    def header(self, name: str) -> str | None:
        get = getattr(self.headers, "get", None)
        if get is None:
            return None
        value = get(name)
        if value is None and isinstance(self.headers, dict):
            lname = name.lower()
            for k, v in self.headers.items():
                if k.lower() == lname:
                    return v
        return value


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = "application/json"
    headers: list[tuple[str, str]] = field(default_factory=list)
    action: str = "send"  # "send" | "drop" | "truncate"


def json_response(obj: Any, status: int = 200) -> Response:
    return Response(status, dumps(obj))


def error_response(status: int, message: str, extra: dict[str, Any] | None = None,
                   headers: list[tuple[str, str]] | None = None) -> Response:
    body = {"code": status, "message": message}
    if extra:
        body.update(extra)
    return Response(status, dumps(body), headers=list(headers or []))


def _is_integer(value: str) -> bool:
    try:
        return str(int(value)) == value
    except ValueError:
        return False


@dataclass
class Route:
    method: str
    template: str
    handler: Callable[[Request, dict[str, str]], Response]
    auth: bool = True
    available: Callable[[], bool] = lambda: True
    is_list: bool = False
    name: str = ""
    regex: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        pattern = re.escape(self.template)
        pattern = re.sub(r"\\\{(\w+)\\\*\\\}", r"(?P<\1>.+)", pattern)
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", pattern)
        self.regex = re.compile(pattern)
        if not self.name:
            self.name = "pim_api_" + re.sub(r"[^a-z0-9]+", "_",
                                            f"{self.template[len(API):]}_{self.method}".lower()
                                            ).strip("_")


class TokenStore:
    """Access and refresh tokens with expiry on the server clock."""

    def __init__(self, clock: Clock, ttl: int, refresh_ttl: int) -> None:
        self.clock = clock
        self.ttl = ttl
        self.refresh_ttl = refresh_ttl
        self._lock = threading.Lock()
        self._access: dict[str, float] = {}
        self._refresh: dict[str, float] = {}

    def issue(self) -> tuple[str, str]:
        now = self.clock.time()
        access = secrets.token_urlsafe(48)
        refresh = secrets.token_urlsafe(48)
        with self._lock:
            self._access[access] = now + self.ttl
            self._refresh[refresh] = now + self.refresh_ttl
        return access, refresh

    def use_refresh(self, token: str) -> bool:
        """Consume a refresh token (rotation: it can be used once)."""
        with self._lock:
            exp = self._refresh.pop(token, None)
        return exp is not None and exp > self.clock.time()

    def check(self, token: str) -> str:
        """"ok", "expired" or "invalid"."""
        with self._lock:
            exp = self._access.get(token)
        if exp is None:
            return "invalid"
        return "ok" if exp > self.clock.time() else "expired"

    def expire(self, token: str) -> None:
        with self._lock:
            if token in self._access:
                self._access[token] = self.clock.time() - 1

    def expire_all(self) -> None:
        with self._lock:
            past = self.clock.time() - 1
            for k in self._access:
                self._access[k] = past


class App:
    """The sandbox's Akeneo API."""

    def __init__(
        self,
        catalog: Catalog,
        *,
        clock: Clock,
        faults: FaultSettings,
        stats: Stats,
        credentials: dict[str, str],
        base_url: str,
        token_ttl: int = 3600,
        refresh_token_ttl: int = 1_209_600,
        max_concurrency: int = 4,
    ) -> None:
        self.catalog = catalog
        self.clock = clock
        self.faults = faults
        self.stats = stats
        self.credentials = credentials
        self.base_url = base_url
        self.tokens = TokenStore(clock, token_ttl, refresh_token_ttl)
        self.max_concurrency = max_concurrency
        self._inflight: dict[str, int] = {}
        self._inflight_lock = threading.Lock()
        self.routes: list[Route] = []
        self._register_routes()

    # ------------------------------------------------------------------ version helpers
    @property
    def version(self) -> tuple[int, int]:
        return self.catalog.version_tuple

    @property
    def is_saas(self) -> bool:
        return self.catalog.akeneo_version.lower() == "saas"

    def since(self, major: int, minor: int = 0) -> Callable[[], bool]:
        return lambda: self.version >= (major, minor)

    def ee_only(self) -> bool:
        return self.catalog.is_ee

    # ------------------------------------------------------------------ routing
    def add(self, method: str, template: str, handler: Callable[[Request, dict[str, str]],
                                                                 Response], **kw: Any) -> None:
        self.routes.append(Route(method, template, handler, **kw))

    def _register_routes(self) -> None:
        self.add("POST", TOKEN_PATH, self.h_token, auth=False, name="fos_oauth_server_token")
        self.add("GET", API, self.h_endpoints, auth=False, name="pim_api_rest_endpoint_list")
        self.add("GET", f"{API}/system-information", self.h_system_information,
                 available=self.since(6))
        # products by uuid (7.0+)
        v7 = self.since(7)
        self.add("GET", f"{API}/products-uuid", self.h_list_products_uuid, available=v7,
                 is_list=True)
        self.add("POST", f"{API}/products-uuid", self.h_create_product_uuid, available=v7)
        self.add("GET", f"{API}/products-uuid/{{uuid}}", self.h_get_product_uuid, available=v7)
        self.add("PATCH", f"{API}/products-uuid/{{uuid}}", self.h_patch_product_uuid,
                 available=v7)
        self.add("DELETE", f"{API}/products-uuid/{{uuid}}", self.h_delete_product_uuid,
                 available=v7)
        # products by identifier (all versions)
        self.add("GET", f"{API}/products", self.h_list_products_ident, is_list=True)
        self.add("POST", f"{API}/products", self.h_create_product_ident)
        self.add("GET", f"{API}/products/{{code}}", self.h_get_product_ident)
        self.add("PATCH", f"{API}/products/{{code}}", self.h_patch_product_ident)
        self.add("DELETE", f"{API}/products/{{code}}", self.h_delete_product_ident)
        # product models
        self.add("GET", f"{API}/product-models", self.h_list_models, is_list=True)
        self.add("POST", f"{API}/product-models", self.h_create_model)
        self.add("GET", f"{API}/product-models/{{code}}", self.h_get_model)
        self.add("PATCH", f"{API}/product-models/{{code}}", self.h_patch_model)
        self.add("DELETE", f"{API}/product-models/{{code}}", self.h_delete_model)
        self._register_structure_routes()

    def _register_structure_routes(self) -> None:
        """Catalog structure and Enterprise routes."""
        from .structure_api import StructureRoutes

        StructureRoutes(self).register()

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        allowed: list[str] = []
        for route in self.routes:
            m = route.regex.fullmatch(path)
            if m is None or not route.available():
                continue
            if route.method == method:
                return route, {k: unquote(v) for k, v in m.groupdict().items()}
            allowed.append(route.method)
        if allowed:
            raise ApiError(
                405,
                f'No route found for "{method} {path}": Method Not Allowed '
                f"(Allow: {', '.join(allowed)})",
                headers=[("Allow", ", ".join(allowed))],
            )
        raise ApiError(404, f'No route found for "{method} {path}"')

    # ------------------------------------------------------------------ entry point
    def handle(self, req: Request) -> Response:
        try:
            route, params = self.match(req.method, req.path)
        except ApiError as e:
            route, params = None, {}
            routing_error: ApiError | None = e
        else:
            routing_error = None
        template = route.template if route is not None else "<unmatched>"
        self.stats.begin(req.method, template)
        resp: Response | None = None
        token: str | None = None
        counted = False
        try:
            faultable = req.path.startswith("/api/rest/") or (
                req.path == TOKEN_PATH and self.faults.faults_on_token)
            if routing_error is None and route is not None and route.auth:
                token, resp = self._authenticate(req)
            if token is not None:
                counted = True
                resp = self._enter(token)
            if resp is None and faultable:
                if self.faults.latency > 0:
                    time.sleep(self.faults.latency)
                resp = self._injected_fault()
                if resp is not None and resp.action == "truncate":
                    real = self._dispatch(route, req, params, routing_error)
                    real.action = "truncate"
                    real.status = 200
                    resp = real
            elif resp is not None and resp.status == 401 and faultable \
                    and self.faults.latency > 0:
                time.sleep(self.faults.latency)
            if resp is None:
                if route is not None and route.is_list and faultable and \
                        self.faults.edit_during_sync:
                    self._edit_during_sync()
                resp = self._dispatch(route, req, params, routing_error)
            if token is not None and resp.status < 400 and self.faults.count_authenticated():
                self.tokens.expire(token)
                self.stats.fault("token_expired")
            return resp
        finally:
            if counted and token is not None:
                self._leave(token)
            self.stats.end(resp.status if resp is not None else 500,
                           len(resp.body) if resp is not None else 0)

    def _dispatch(self, route: Route | None, req: Request, params: dict[str, str],
                  routing_error: ApiError | None) -> Response:
        try:
            if routing_error is not None:
                raise routing_error
            assert route is not None
            return route.handler(req, params)
        except ApiError as e:
            return error_response(e.status, e.message, e.extra, e.headers)
        except CatalogError as e:
            return error_response(422, str(e))

    # ------------------------------------------------------------------ auth & concurrency
    def _authenticate(self, req: Request) -> tuple[str | None, Response | None]:
        header = req.header("Authorization") or ""
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            return None, error_response(401, "Authentication is required")
        token = value.strip()
        state = self.tokens.check(token)
        if state == "ok":
            return token, None
        if state == "expired":
            return None, error_response(401, "The access token provided has expired.")
        return None, error_response(401, "The access token provided is invalid.")

    def _enter(self, token: str) -> Response | None:
        with self._inflight_lock:
            n = self._inflight.get(token, 0) + 1
            self._inflight[token] = n
        self.stats.token_concurrency(token, n)
        if n > self.max_concurrency:
            self.stats.rejection()
            return error_response(
                429, "You have exceeded the limit of concurrent API requests for this connection.",
                headers=[("Retry-After", "1")],
            )
        return None

    def _leave(self, token: str) -> None:
        with self._inflight_lock:
            n = self._inflight.get(token, 1) - 1
            if n <= 0:
                self._inflight.pop(token, None)
            else:
                self._inflight[token] = n

    # ------------------------------------------------------------------ faults
    def _injected_fault(self) -> Response | None:
        d = self.faults.decide()
        if d.kind is None:
            return None
        self.stats.fault(d.kind)
        if d.kind == "429":
            headers: list[tuple[str, str]] = []
            if d.retry_after == "date":
                headers.append(("Retry-After", formatdate(self.clock.time() + 1, usegmt=True)))
            elif d.retry_after is not None:
                headers.append(("Retry-After", str(d.retry_after)))
            return error_response(
                429, "You have exceeded the limit of API requests per second.", headers=headers)
        if d.kind == "5xx":
            if d.status == 500:
                return error_response(500, "Internal Server Error")
            return Response(d.status, _html_status_page(d.status), "text/html")
        if d.kind == "drop":
            return Response(0, b"", None, action="drop")
        if d.kind == "html":
            return Response(200, HTML_ERROR_PAGE, "text/html; charset=UTF-8")
        return Response(200, b"", action="truncate")

    def _edit_during_sync(self) -> None:
        k = int(self.faults.edit_during_sync)
        with self.faults._lock:
            uuids = self.catalog.random_product_uuids(self.faults.rng, k)
        for uid in uuids:
            try:
                self.catalog.update_product(uid, {"values": {"erp_name": [
                    {"locale": None, "scope": None, "data": f"EDITED {int(self.clock.time())}"}
                ]}})
            except (NotFound, CatalogError):
                continue
            self.stats.fault("edit")

    # ------------------------------------------------------------------ helpers
    def url(self, path: str, params: list[tuple[str, str]] | None = None) -> str:
        if params:
            return f"{self.base_url}{path}?{urlencode(params, quote_via=quote)}"
        return f"{self.base_url}{path}"

    def _json_body(self, req: Request) -> Any:
        try:
            return json.loads(req.body or b"null")
        except ValueError:
            raise ApiError(400, "Invalid json message received") from None

    def _json_object(self, req: Request) -> dict[str, Any]:
        data = self._json_body(req)
        if not isinstance(data, dict):
            raise ApiError(400, "Invalid json message received")
        return data

    @staticmethod
    def _validate_limit(q: Mapping[str, str]) -> int:
        raw = q.get("limit")
        if raw is None:
            return DEFAULT_LIMIT
        if not _is_integer(raw) or int(raw) < 1:
            raise ApiError(422, f'"{raw}" is not a valid limit number.')
        if int(raw) > MAX_LIMIT:
            raise ApiError(422, f"You cannot request more than {MAX_LIMIT} items.")
        return int(raw)

    def validate_pagination(self, q: Mapping[str, str], support_search_after: bool) -> str:
        """PaginationParametersValidator: returns the pagination type."""
        ptype = q.get("pagination_type", "page")
        if ptype == "search_after":
            if not support_search_after:
                raise ApiError(422, "Pagination type is not supported.")
            self._validate_limit(q)
        elif ptype == "page":
            self._validate_limit(q)
            page = q.get("page")
            if page is not None and (not _is_integer(page) or int(page) < 1):
                raise ApiError(422, f'"{page}" is not a valid page number.')
            wc = q.get("with_count")
            if wc is not None and wc not in ("true", "false"):
                raise ApiError(
                    422,
                    'Parameter "with_count" has to be a boolean. Only "true" or "false" '
                    f'allowed, "{wc}" given.',
                )
        else:
            raise ApiError(422, "Pagination type does not exist.")
        return ptype

    def offset_envelope(self, path: str, params: list[tuple[str, str]], page: int, limit: int,
                        items: list[bytes], count: int | None) -> bytes:
        """Offset-paginated HAL envelope; ``params`` are the link params after ``page``."""

        def link(p: int) -> str:
            return self.url(path, [("page", str(p)), *params])

        links: dict[str, Any] = {"self": {"href": link(page)}, "first": {"href": link(1)}}
        if page >= 2:
            links["previous"] = {"href": link(page - 1)}
        if len(items) >= limit:
            links["next"] = {"href": link(page + 1)}
        head: dict[str, Any] = {"_links": links, "current_page": page}
        if count is not None:
            head["items_count"] = count
        return dumps(head)[:-1] + b',"_embedded":{"items":[' + b",".join(items) + b"]}}"

    def search_after_envelope(self, path: str, params: list[tuple[str, str]],
                              self_after: str | None, next_after: str | None,
                              items: list[bytes]) -> bytes:
        links: dict[str, Any] = {
            "self": {"href": self.url(path, params + ([("search_after", self_after)]
                                                       if self_after is not None else []))},
            "first": {"href": self.url(path, params)},
        }
        if next_after is not None:
            links["next"] = {"href": self.url(path, [*params, ("search_after", next_after)])}
        return dumps({"_links": links})[:-1] + b',"_embedded":{"items":[' + \
            b",".join(items) + b"]}}"

    @staticmethod
    def with_links(href: str, body: bytes, extra_links: dict[str, Any] | None = None) -> bytes:
        """Prefix an item's JSON with ``_links`` (self, plus any extra links)."""
        if extra_links:
            links = dumps({"self": {"href": href}, **extra_links})
        else:
            links = b'{"self":{"href":' + _enc(href).encode() + b"}}"
        if body == b"{}":
            return b'{"_links":' + links + b"}"
        return b'{"_links":' + links + b"," + body[1:]

    # ------------------------------------------------------------------ token & misc routes
    def h_token(self, req: Request, _: dict[str, str]) -> Response:
        if len(req.body) > 200:
            raise ApiError(422, "The request content size is too large")
        ctype = (req.header("Content-Type") or "").split(";")[0].strip().lower()
        body: Any
        if ctype == "application/json":
            body = self._json_body(req)
        elif ctype == "application/x-www-form-urlencoded":
            body = dict(parse_qsl(req.body.decode("utf-8", "replace"), keep_blank_values=True))
        elif ctype == "":
            try:
                body = json.loads(req.body or b"{}")
            except ValueError:
                body = dict(parse_qsl(req.body.decode("utf-8", "replace")))
        else:
            raise ApiError(
                415,
                f"\u2018{ctype}\u2019 in \u2018Content-type\u2019 header is not valid.  Only "
                "\u2018application/json\u2019 or \u2018application/x-www-form-urlencoded\u2019 "
                "is allowed.",
            )
        if not isinstance(body, dict):
            body = {}
        grant = body.get("grant_type")
        password_msg = 'Parameter "grant_type", "username" or "password" is missing, empty or invalid'
        if not grant or not isinstance(grant, str):
            raise ApiError(422, password_msg)
        if not self._client_ok(req):
            raise ApiError(
                422,
                'Parameter "client_id" is missing or does not match any client, or secret is '
                "invalid",
            )
        if grant == "password":
            user, pwd = body.get("username"), body.get("password")
            if not user or not pwd or not isinstance(user, str) or not isinstance(pwd, str):
                raise ApiError(422, password_msg)
            if (user, pwd) != (self.credentials["username"], self.credentials["password"]):
                raise ApiError(422, "No user found for the given username and password")
            refresh = False
        elif grant == "refresh_token":
            rt = body.get("refresh_token")
            if not rt or not isinstance(rt, str):
                raise ApiError(422, 'Parameter "grant_type" or "refresh_token" is missing or empty')
            if not self.tokens.use_refresh(rt):
                raise ApiError(422, "Refresh token is invalid or has expired")
            refresh = True
        else:
            raise ApiError(422, "This grant type is not authorized for this client")
        access, refresh_token = self.tokens.issue()
        self.stats.token_issued(refresh)
        return json_response({
            "access_token": access,
            "expires_in": self.tokens.ttl,
            "token_type": "bearer",
            "scope": None,
            "refresh_token": refresh_token,
        })

    def _client_ok(self, req: Request) -> bool:
        header = req.header("Authorization") or ""
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return False
        cid, sep, secret = decoded.partition(":")
        return bool(sep) and (cid, secret) == (self.credentials["client_id"],
                                               self.credentials["client_secret"])

    def h_endpoints(self, req: Request, _: dict[str, str]) -> Response:
        routes: dict[str, Any] = {}
        for r in self.routes:
            if r.template in (TOKEN_PATH, API) or not r.available():
                continue
            routes[r.name] = {"route": r.template, "methods": [r.method]}
        return json_response({
            "host": self.base_url,
            "authentication": {
                "fos_oauth_server_token": {"route": TOKEN_PATH, "methods": ["POST"]}
            },
            "routes": routes,
        })

    def h_system_information(self, req: Request, _: dict[str, str]) -> Response:
        if self.is_saas:
            version = "20251119120000"
            edition = "Serenity" if self.catalog.is_ee else "Growth Edition"
        else:
            version = {"6.0": "6.0.58", "7.0": "7.0.42"}.get(self.catalog.akeneo_version,
                                                             self.catalog.akeneo_version)
            edition = "EE" if self.catalog.is_ee else "CE"
        return json_response({"version": version, "edition": edition})

    # ------------------------------------------------------------------ products & models
    def _value_params(self, q: Mapping[str, str]) -> tuple[str | None, list[str] | None,
                                                             list[str] | None]:
        scope = q.get("scope")
        if scope is not None and scope not in st.CHANNELS_BY_CODE:
            raise ApiError(422, f'Scope "{scope}" does not exist.')
        locales = q["locales"].split(",") if q.get("locales") else None
        if locales:
            bad = [loc for loc in locales if loc not in st.LOCALES_ENABLED]
            if bad:
                if len(bad) == 1:
                    raise ApiError(422, f'Locale "{bad[0]}" does not exist or is not activated.')
                raise ApiError(422, f'Locales "{", ".join(bad)}" do not exist or are not '
                                    "activated.")
        attributes = q["attributes"].split(",") if q.get("attributes") else None
        if attributes:
            bad = [a for a in attributes if a not in st.ATTRIBUTES_BY_CODE]
            if bad:
                if len(bad) == 1:
                    raise ApiError(422, f'Attribute "{bad[0]}" does not exist.')
                raise ApiError(422, f'Attributes "{", ".join(bad)}" do not exist.')
        return scope, locales, attributes

    def _flags(self, q: Mapping[str, str], kind: str) -> set[str]:
        flags = {f for f in WITH_FLAGS if q.get(f) == "true"}
        allowed = set()
        if self.version >= (5, 0):
            allowed |= {"with_attribute_options", "with_quality_scores"}
        if self.version >= (6, 0) and kind != "model":
            allowed.add("with_completenesses")
        if self.is_saas and kind == "uuid":
            allowed.add("with_root_parent")
        return flags & allowed

    def _decorate(self, d: dict[str, Any], rec: ProductRec | ModelRec, kind: str,
                  scope: str | None, locales: list[str] | None,
                  attributes: list[str] | None, flags: set[str]) -> dict[str, Any]:
        if scope is not None or locales is not None or attributes is not None:
            loc_set = set(locales) if locales else (
                set(st.CHANNELS_BY_CODE[scope].locales) if scope else None)
            out: dict[str, list] = {}
            for code, entries in d["values"].items():
                if attributes is not None and code not in attributes:
                    continue
                kept = [e for e in entries
                        if (scope is None or e.get("scope") in (None, scope))
                        and (loc_set is None or e.get("locale") is None
                             or e.get("locale") in loc_set)]
                if kept:
                    out[code] = kept
            d["values"] = out
        if "with_attribute_options" in flags:
            for code, entries in d["values"].items():
                a = st.ATTRIBUTES_BY_CODE.get(code)
                if a is None or not a.options:
                    continue
                labels = dict(a.options)
                for e in entries:
                    if a.type == "pim_catalog_simpleselect" and isinstance(e["data"], str):
                        e["linked_data"] = {"attribute": code, "code": e["data"],
                                            "labels": labels.get(e["data"], {})}
                    elif isinstance(e["data"], list):
                        e["linked_data"] = {
                            opt: {"attribute": code, "code": opt, "labels": labels.get(opt, {})}
                            for opt in e["data"]
                        }
        key = rec.uuid if isinstance(rec, ProductRec) else rec.code
        pairs = [(c, loc) for c, loc in st.CHANNEL_LOCALE_PAIRS
                 if (scope is None or c == scope) and (locales is None or loc in locales)]
        if "with_quality_scores" in flags:
            d["quality_scores"] = [
                {"scope": c, "locale": loc, "data": "ABCDE"[_h(key, c, loc) % 5]}
                for c, loc in pairs
            ]
        if "with_completenesses" in flags:
            d["completenesses"] = [
                {"scope": c, "locale": loc, "data": (_h(key, loc, c) % 11) * 10}
                for c, loc in pairs
            ]
        if "with_root_parent" in flags:
            chain = self.catalog._ancestors(rec.parent)
            d["root_parent"] = chain[0].code if chain else None
        return d

    def _item(self, rec: ProductRec | ModelRec, kind: str, q: Mapping[str, str],
              in_list: bool, vparams: tuple[str | None, list[str] | None, list[str] | None],
              flags: set[str]) -> bytes:
        cat = self.catalog
        if isinstance(rec, ModelRec):
            body = cat.model_bytes(rec)
            href = self.url(f"{API}/product-models/{quote(rec.code, safe='')}")
        elif kind == "uuid":
            body = cat.product_bytes(rec, "uuid")
            href = self.url(f"{API}/products-uuid/{rec.uuid}")
        else:
            body = cat.product_bytes(rec, "ident")
            href = self.url(f"{API}/products/{quote(rec.identifier or '', safe='')}")
        scope, locales, attributes = vparams
        if flags or scope is not None or locales is not None or attributes is not None:
            body = dumps(self._decorate(json.loads(body), rec, kind, scope, locales,
                                        attributes, flags))
        return self.with_links(href, body) if in_list else body

    def _index_kind(self, kind: str) -> str:
        if kind == "uuid":
            return "uuid"
        if kind == "model":
            return "model"
        return "ident" if self.version >= (7, 0) else "seq"

    def _list(self, req: Request, kind: str, path: str) -> Response:
        q = req.query
        cat = self.catalog
        ptype = self.validate_pagination(q, support_search_after=True)
        limit = self._validate_limit(q)
        search = parse_search(q.get("search"))
        vparams = self._value_params(q)
        flags = self._flags(q, kind)
        pred = product_predicate(search, cat, "model" if kind == "model" else "product")
        scope = vparams[0]
        if scope is not None and kind != "model" and "categories" not in search:
            tree = channel_tree_check(cat, scope)
            pred = tree if pred is None else (lambda r, p=pred, t=tree: p(r) and t(r))
        index = self._index_kind(kind)
        params: list[tuple[str, str]] = [
            ("with_count", q.get("with_count", "false")),
            ("pagination_type", ptype),
            ("limit", q.get("limit", str(DEFAULT_LIMIT))),
        ]
        if search:
            params.append(("search", reemit_search(search)))
        for name in PRODUCT_LINK_PARAMS[1:]:
            if name in q:
                params.append((name, q[name]))
        for name in WITH_FLAGS:
            if name in q:
                params.append((name, q[name]))
        if ptype == "page":
            page = int(q.get("page", "1"))
            if page * limit > OFFSET_WINDOW:
                raise ApiError(422, OFFSET_WINDOW_MESSAGE,
                               {"_links": {"documentation": {"href": OFFSET_WINDOW_DOC}}})
            with cat.lock:
                recs = cat.select(index, pred, offset=(page - 1) * limit, limit=limit)
                count = cat.count(index, pred) if q.get("with_count") == "true" else None
                items = [self._item(r, kind, q, True, vparams, flags) for r in recs]
            return Response(200, self.offset_envelope(path, params, page, limit, items, count))
        raw_after = q.get("search_after")
        after = self._decode_cursor(index, raw_after) if raw_after is not None else None
        with cat.lock:
            recs = cat.select(index, pred, after=after, limit=limit)
            items = [self._item(r, kind, q, True, vparams, flags) for r in recs]
            next_after = self._encode_cursor(index, recs[-1]) if len(recs) == limit else None
        return Response(200, self.search_after_envelope(path, params, raw_after, next_after,
                                                        items))

    def _decode_cursor(self, index: str, raw: str) -> Any:
        if index in ("uuid", "ident"):
            return raw.lower()
        decoded = self.catalog.decode_model_cursor(raw)
        if decoded is None:
            raise ApiError(422, f'Parameter "search_after" has an invalid value, "{raw}" given.')
        return decoded

    def _encode_cursor(self, index: str, rec: Any) -> str:
        if index == "uuid":
            return rec.uuid
        if index == "ident":
            return rec.identifier
        if index == "seq":
            return self.catalog.encode_model_cursor(rec.seq)
        return self.catalog.encode_model_cursor(rec.id)

    def h_list_products_uuid(self, req: Request, _: dict[str, str]) -> Response:
        return self._list(req, "uuid", f"{API}/products-uuid")

    def h_list_products_ident(self, req: Request, _: dict[str, str]) -> Response:
        return self._list(req, "ident", f"{API}/products")

    def h_list_models(self, req: Request, _: dict[str, str]) -> Response:
        return self._list(req, "model", f"{API}/product-models")

    # single products ------------------------------------------------------------------------
    @staticmethod
    def _product_404(key: str) -> ApiError:
        return ApiError(404, f'Product "{key}" does not exist or you do not have permission to '
                             "access it.")

    @staticmethod
    def _model_404(key: str) -> ApiError:
        return ApiError(404, f'Product model "{key}" does not exist or you do not have '
                             "permission to access it.")

    def _single(self, req: Request, rec: Any, kind: str) -> Response:
        q = req.query
        flags = self._flags(q, kind)
        with self.catalog.lock:
            body = self._item(rec, kind, q, False, (None, None, None), flags)
        return Response(200, body)

    def h_get_product_uuid(self, req: Request, p: dict[str, str]) -> Response:
        rec = self.catalog.get_product(p["uuid"].lower())
        if rec is None:
            raise self._product_404(p["uuid"])
        return self._single(req, rec, "uuid")

    def h_get_product_ident(self, req: Request, p: dict[str, str]) -> Response:
        rec = self.catalog.get_product_by_identifier(p["code"])
        if rec is None:
            raise self._product_404(p["code"])
        return self._single(req, rec, "ident")

    def h_get_model(self, req: Request, p: dict[str, str]) -> Response:
        rec = self.catalog.get_model(p["code"])
        if rec is None:
            raise self._model_404(p["code"])
        return self._single(req, rec, "model")

    def _created(self, location: str, status: int = 201) -> Response:
        return Response(status, b"", None, headers=[("Location", location)])

    def h_create_product_uuid(self, req: Request, _: dict[str, str]) -> Response:
        data = self._json_object(req)
        uid = self.catalog.create_product(data)
        return self._created(self.url(f"{API}/products-uuid/{uid}"))

    def h_patch_product_uuid(self, req: Request, p: dict[str, str]) -> Response:
        data = self._json_object(req)
        uid = p["uuid"].lower()
        if "uuid" in data and str(data["uuid"]).lower() != uid:
            raise ApiError(422, f'The uuid "{data["uuid"]}" provided in the request body must '
                                f'match the uuid "{p["uuid"]}" provided in the url.')
        location = self.url(f"{API}/products-uuid/{uid}")
        with self.catalog.lock:
            if self.catalog.get_product(uid) is None:
                self.catalog.create_product({**data, "uuid": uid})
                return self._created(location)
            self.catalog.update_product(uid, data)
        return self._created(location, 204)

    def h_delete_product_uuid(self, req: Request, p: dict[str, str]) -> Response:
        try:
            self.catalog.delete_product(p["uuid"].lower())
        except NotFound:
            raise self._product_404(p["uuid"]) from None
        return Response(204, b"", None)

    def _ident_of(self, data: dict[str, Any]) -> str | None:
        ident = data.get("identifier")
        sku = (data.get("values") or {}).get("sku") if isinstance(data.get("values"),
                                                                   dict) else None
        if ident is None and isinstance(sku, list) and sku and isinstance(sku[0], dict):
            ident = sku[0].get("data")
        return ident if isinstance(ident, str) else None

    def h_create_product_ident(self, req: Request, _: dict[str, str]) -> Response:
        data = self._json_object(req)
        ident = self._ident_of(data)
        if not ident:
            raise ApiError(422, 'Validation failed.', {"errors": [
                {"property": "identifier", "message": "This value should not be blank."}]})
        if self.version < (7, 0):
            data.pop("uuid", None)
        uid = self.catalog.create_product(data)
        rec = self.catalog.get_product(uid)
        assert rec is not None
        return self._created(self.url(f"{API}/products/{quote(rec.identifier or '', safe='')}"))

    def h_patch_product_ident(self, req: Request, p: dict[str, str]) -> Response:
        data = self._json_object(req)
        code = p["code"]
        body_ident = self._ident_of(data)
        location = self.url(f"{API}/products/{quote(body_ident or code, safe='')}")
        with self.catalog.lock:
            rec = self.catalog.get_product_by_identifier(code)
            if rec is None:
                if body_ident is not None and body_ident != code:
                    raise ApiError(422, f'The identifier "{body_ident}" provided in the request '
                                        f'body must match the identifier "{code}" provided in '
                                        "the url.")
                data.setdefault("identifier", code)
                if self.version < (7, 0):
                    data.pop("uuid", None)
                self.catalog.create_product(data)
                return self._created(location)
            data.pop("uuid", None)
            self.catalog.update_product(rec.uuid, data)
        return self._created(location, 204)

    def h_delete_product_ident(self, req: Request, p: dict[str, str]) -> Response:
        with self.catalog.lock:
            rec = self.catalog.get_product_by_identifier(p["code"])
            if rec is None:
                raise self._product_404(p["code"])
            self.catalog.delete_product(rec.uuid)
        return Response(204, b"", None)

    def h_create_model(self, req: Request, _: dict[str, str]) -> Response:
        data = self._json_object(req)
        code = self.catalog.create_product_model(data)
        return self._created(self.url(f"{API}/product-models/{quote(code, safe='')}"))

    def h_patch_model(self, req: Request, p: dict[str, str]) -> Response:
        data = self._json_object(req)
        code = p["code"]
        if "code" in data and data["code"] != code:
            raise ApiError(422, f'The code "{data["code"]}" provided in the request body must '
                                f'match the code "{code}" provided in the url.')
        location = self.url(f"{API}/product-models/{quote(code, safe='')}")
        with self.catalog.lock:
            if self.catalog.get_model(code) is None:
                self.catalog.create_product_model({**data, "code": code})
                return self._created(location)
            self.catalog.update_product_model(code, data)
        return self._created(location, 204)

    def h_delete_model(self, req: Request, p: dict[str, str]) -> Response:
        try:
            self.catalog.delete_product_model(p["code"])
        except NotFound:
            raise self._model_404(p["code"]) from None
        return Response(204, b"", None)


def _h(*parts: str) -> int:
    return int.from_bytes(hashlib.blake2b("|".join(parts).encode(), digest_size=4).digest(),
                          "big")
