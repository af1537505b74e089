"""Errors that end a run with one clear line (no traceback)."""

from __future__ import annotations


class AkeneoError(Exception):
    """An error the user can act on; its message is printed as one line."""


class AkeneoConfigError(AkeneoError):
    """A setting is missing or invalid."""


class AkeneoAuthError(AkeneoError):
    """The token endpoint refused the credentials or the token."""


class AkeneoAPIError(AkeneoError):
    """The API answered with an error that retrying cannot fix, or retries ran out."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class EndpointNotFoundError(AkeneoAPIError):
    """The PIM has no such endpoint (404 on a listing route)."""
