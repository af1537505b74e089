"""Authentication against Akeneo's token endpoint, shared by all streams.

Akeneo's "connection" flow is an OAuth2 password grant on ``/api/oauth/v1/token``
with HTTP Basic ``client_id:client_secret`` and a JSON body. Tokens live one hour;
every token response carries a new refresh token (the old one is then spent). Token
endpoint errors are 422 with ``{code, message}``; an expired bearer is a 401.

This extends the SDK's :class:`OAuthAuthenticator` with what Akeneo needs and the SDK
lacks: a refresh-token grant (falling back to the password grant), renewal shortly
before expiry, a forced renewal after a 401, thread safety (one token is shared by
concurrent requests), and a fixed-token mode for Connected Apps.
"""

from __future__ import annotations

import base64
import datetime as dt
import threading
import time
import typing as t

import requests
import requests.adapters
from singer_sdk.authenticators import OAuthAuthenticator
from singer_sdk.exceptions import RetriableAPIError

from tap_akeneo.errors import AkeneoAuthError
from tap_akeneo.retries import is_retriable_status, retry_wait
from tap_akeneo.timestamps import parse_http_date, utc_now

TOKEN_PATH = "/api/oauth/v1/token"
#: Renew this long before the announced expiry (or a tenth of the lifetime, if shorter).
RENEW_MARGIN_SECONDS = 60


class AkeneoAuthenticator(OAuthAuthenticator):
    """Password grant with refresh-token rotation; one instance per tap run."""

    def __init__(
        self,
        *,
        base_url: str,
        client_id: str | None,
        client_secret: str | None,
        username: str | None,
        password: str | None,
        access_token: str | None = None,
        timeout: float = 60,
        user_agent: str | None = None,
        verify: bool = True,
        max_retries: int = 8,
        backoff_base: float = 1,
        backoff_max: float = 60,
    ) -> None:
        super().__init__(
            auth_endpoint=base_url + TOKEN_PATH,
            client_id=client_id,
            client_secret=client_secret,
            default_expiration=3600,
        )
        self._username = username
        self._password = password
        self._timeout = timeout
        self._max_retries = max_retries
        self._backoff = (backoff_base, backoff_max)
        self._lock = threading.RLock()
        self._fixed_token = access_token
        # The SDK mounts urllib3 retries (10 tries, with backoff) for https token requests;
        # ours are bounded by the tap's own retry settings instead (see _post).
        self._session.mount("https://", requests.adapters.HTTPAdapter(max_retries=0))
        self._session.verify = verify
        if user_agent:
            self._session.headers["User-Agent"] = user_agent
        #: The server's clock (HTTP Date) at the first token response, if it sent one.
        self.server_date: dt.datetime | None = None
        #: Access tokens the API accepted at least once (a later 401 with one of them means
        #: it expired since, not that it never worked).
        self.accepted: set[str] = set()
        #: Token requests made, by grant type (for the run summary).
        self.grants: dict[str, int] = {"password": 0, "refresh_token": 0}
        if access_token:
            self.access_token = access_token
            self.last_refreshed = utc_now()
            self.expires_in = None

    # -- the SDK's hooks -------------------------------------------------------------

    def is_token_valid(self) -> bool:
        if self.access_token is None or self.last_refreshed is None:
            return False
        if not self.expires_in:
            return True
        margin = min(RENEW_MARGIN_SECONDS, self.expires_in / 10)
        age = (utc_now() - self.last_refreshed).total_seconds()
        return age < self.expires_in - margin

    def authenticate_request(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.current_token()}"
        return request

    def update_access_token(self) -> None:
        """Renew the token: refresh grant when we hold a refresh token, else password."""
        with self._lock:
            if self._fixed_token:
                raise AkeneoAuthError(
                    "Akeneo rejected the configured access_token (401): the Connected App "
                    "token is invalid or the app was disconnected from the PIM"
                )
            if self.refresh_token:
                try:
                    self._grant({"grant_type": "refresh_token", "refresh_token": self.refresh_token})
                    return
                except AkeneoAuthError:
                    # A spent or expired refresh token: start over with the password.
                    self.logger.info("Refresh token refused; requesting a new token by password")
                    self.refresh_token = None
            self._grant({"grant_type": "password", "username": self._username, "password": self._password})

    # -- tap-akeneo's additions --------------------------------------------------------

    def current_token(self) -> str:
        """Return a valid access token, renewing it first when needed (thread-safe)."""
        with self._lock:
            if not self.is_token_valid():
                self.update_access_token()
            assert self.access_token is not None
            return self.access_token

    def invalidate(self, token: str | None) -> None:
        """Forget ``token`` after the API answered 401 with it (no-op if already renewed)."""
        with self._lock:
            if token is not None and token == self.access_token and not self._fixed_token:
                self.last_refreshed = None

    def _basic_header(self) -> str:
        raw = f"{self.client_id or ''}:{self.client_secret or ''}".encode()
        return "Basic " + base64.b64encode(raw).decode("ascii")

    def _post(self, body: dict[str, t.Any]) -> requests.Response:
        """POST to the token endpoint, retrying transient failures like any API call."""
        attempt = 0
        while True:
            attempt += 1
            failure: BaseException
            try:
                response = self._session.post(
                    self.auth_endpoint,
                    json=body,
                    headers={"Authorization": self._basic_header(), "Accept": "application/json"},
                    timeout=self._timeout,
                    allow_redirects=False,
                )
            except requests.exceptions.SSLError as exc:
                raise AkeneoAuthError(
                    f"TLS handshake with {self.auth_endpoint} failed: {_short_reason(exc)}; check "
                    "that base_url uses the scheme the PIM serves (http or https) and that its "
                    "certificate is valid"
                ) from None
            except requests.exceptions.RequestException as exc:
                # A name that does not resolve stays so: say it now, as API requests do.
                if attempt > self._max_retries or _is_unrecoverable_connection_error(exc):
                    raise AkeneoAuthError(
                        f"cannot reach the Akeneo token endpoint {self.auth_endpoint} after "
                        f"{attempt} attempt{'s' if attempt > 1 else ''}: {_short_reason(exc)}; check base_url"
                    ) from None
                failure = exc
            else:
                if not is_retriable_status(response.status_code):
                    return response
                if attempt > self._max_retries:
                    return response
                failure = RetriableAPIError(str(response.status_code), response)
            wait = retry_wait(failure, attempt, base=self._backoff[0], cap=self._backoff[1])
            self.logger.warning(
                "Retrying the token request in %.1f s (attempt %d failed: %s)",
                wait,
                attempt,
                type(failure).__name__
                if not isinstance(failure, RetriableAPIError)
                else f"status {failure}",
            )
            time.sleep(wait)

    def _grant(self, body: dict[str, t.Any]) -> None:
        grant = body["grant_type"]
        self.logger.info("Requesting an Akeneo access token (%s grant)", grant)
        self.grants[grant] = self.grants.get(grant, 0) + 1
        request_time = utc_now()
        response = self._post(body)

        if self.server_date is None and "Date" in response.headers:
            self.server_date = parse_http_date(response.headers["Date"])

        if response.is_redirect:
            location = response.headers.get("Location", "?")
            raise AkeneoAuthError(
                f"the token endpoint {self.auth_endpoint} redirects to {location}: "
                "set base_url to the PIM's root URL as it is served (http vs https?)"
            )
        payload = _json_or_none(response)
        if response.status_code != 200 or not isinstance(payload, dict):
            raise AkeneoAuthError(_token_error_message(self.auth_endpoint, grant, response, payload))
        token = payload.get("access_token")
        if not token:
            raise AkeneoAuthError(f"the token endpoint {self.auth_endpoint} answered without an access_token")
        self.access_token = token
        self.refresh_token = payload.get("refresh_token") or None
        expires = payload.get("expires_in", self._default_expiration)
        self.expires_in = int(expires) if expires else None
        self.last_refreshed = request_time


def _is_unrecoverable_connection_error(exc: Exception) -> bool:
    from tap_akeneo.client import _is_unrecoverable_connection_error as unrecoverable

    return unrecoverable(exc)


def _json_or_none(response: requests.Response) -> t.Any:
    try:
        return response.json()
    except ValueError:
        return None


def _short_reason(exc: BaseException) -> str:
    text = str(exc.__context__ or exc) or type(exc).__name__
    # urllib3 nests the cause deeply; keep the end, which names it.
    if "] " in text:
        text = text.rsplit("] ", 1)[-1]
    return text.rstrip(")'\"")[:200]


def _token_error_message(endpoint: str, grant: str, response: requests.Response, payload: t.Any) -> str:
    status = response.status_code
    if status == 404:
        return f"no Akeneo token endpoint at {endpoint} (404): check that base_url is the PIM's root URL"
    if isinstance(payload, dict) and payload.get("message"):
        reason = str(payload["message"])
        hint = ""
        lowered = reason.lower()
        if "client" in lowered:
            hint = " (check client_id and client_secret)"
        elif "username" in lowered or "user" in lowered:
            hint = " (check username and password)"
        return f"Akeneo refused the {grant} grant ({status}): {reason}{hint}"
    content_type = response.headers.get("Content-Type", "?").split(";")[0]
    return (
        f"the token endpoint {endpoint} answered {status} with {content_type} instead of "
        "Akeneo's JSON: check that base_url points at an Akeneo PIM"
    )
