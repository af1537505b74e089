"""Time handling: Akeneo's filter format and UTC normalisation of record timestamps.

Akeneo's `updated` filter on products and product models takes exactly
``YYYY-MM-DD HH:MM:SS`` in the server's time zone (UTC on SaaS, the PHP zone on
premise). Record timestamps come back as ISO 8601 with an offset. The SDK compares
replication-key values as strings, so every timestamp the SDK sees is normalised to
one UTC ISO 8601 form first.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = dt.timezone.utc
FILTER_FORMAT = "%Y-%m-%d %H:%M:%S"


@lru_cache(maxsize=16)
def zone(name: str) -> dt.tzinfo:
    """Return the tzinfo for an IANA zone name ('UTC', 'Europe/Paris', ...)."""
    if name.upper() in ("UTC", "Z", "ETC/UTC"):
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as 'Europe/Paris')") from exc


def parse_timestamp(value: str, default_tz: dt.tzinfo = UTC) -> dt.datetime:
    """Parse an ISO 8601 timestamp (any offset, 'Z', or none) into an aware datetime.

    A value without an offset is taken to be in ``default_tz``. Accepts the filter
    form ``YYYY-MM-DD HH:MM:SS`` too.
    """
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = dt.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=default_tz)
    return parsed


def to_utc_iso(value: str, default_tz: dt.tzinfo = UTC) -> str:
    """Normalise an ISO 8601 timestamp to UTC: ``YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00``.

    All values the SDK compares are in this one form, so string order is time order.
    """
    # Fast path: already UTC at second precision, as SaaS answers.
    if len(value) == 25 and value.endswith("+00:00") and value[10] == "T":
        return value
    return parse_timestamp(value, default_tz).astimezone(UTC).isoformat()


def filter_value(moment: dt.datetime, server_tz: dt.tzinfo) -> str:
    """Format a moment for Akeneo's product `updated` filter, in the server's zone.

    Seconds are floored, which only widens a `>` filter.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(server_tz).strftime(FILTER_FORMAT)


def parse_http_date(value: str) -> dt.datetime | None:
    """Parse an HTTP date (RFC 7231 IMF-fixdate and the obsolete forms); None if invalid."""
    from email.utils import parsedate_to_datetime

    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


def utc_now() -> dt.datetime:
    return dt.datetime.now(UTC)
