"""Filter formatting and UTC normalisation: the two halves of a correct bookmark."""

from __future__ import annotations

import datetime as dt

import pytest

from tap_akeneo.timestamps import (
    UTC,
    filter_value,
    parse_http_date,
    parse_timestamp,
    to_utc_iso,
    zone,
)


def test_filter_value_is_akeneos_exact_format_in_utc() -> None:
    moment = dt.datetime(2024, 5, 1, 10, 30, 59, 999999, tzinfo=UTC)
    assert filter_value(moment, UTC) == "2024-05-01 10:30:59"


def test_filter_value_uses_the_server_zone() -> None:
    moment = dt.datetime(2024, 1, 15, 12, 0, 0, tzinfo=UTC)
    assert filter_value(moment, zone("Europe/Paris")) == "2024-01-15 13:00:00"  # CET
    summer = dt.datetime(2024, 7, 15, 12, 0, 0, tzinfo=UTC)
    assert filter_value(summer, zone("Europe/Paris")) == "2024-07-15 14:00:00"  # CEST
    assert filter_value(moment, zone("America/Los_Angeles")) == "2024-01-15 04:00:00"


def test_filter_value_treats_naive_as_utc() -> None:
    assert filter_value(dt.datetime(2024, 1, 1, 0, 0, 1), UTC) == "2024-01-01 00:00:01"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2016-06-25T17:56:12+02:00", "2016-06-25T15:56:12+00:00"),
        ("2016-06-25T15:56:12+00:00", "2016-06-25T15:56:12+00:00"),
        ("2016-06-25T15:56:12Z", "2016-06-25T15:56:12+00:00"),
        ("2016-06-25T10:56:12-05:00", "2016-06-25T15:56:12+00:00"),
        ("2016-06-25T15:56:12.250000+00:00", "2016-06-25T15:56:12.250000+00:00"),
        ("2016-06-26T01:26:12+09:30", "2016-06-25T15:56:12+00:00"),
    ],
)
def test_to_utc_iso_normalises_any_offset(raw: str, expected: str) -> None:
    assert to_utc_iso(raw) == expected


def test_to_utc_iso_reads_naive_values_in_the_server_zone() -> None:
    assert to_utc_iso("2024-01-15 13:00:00", zone("Europe/Paris")) == "2024-01-15T12:00:00+00:00"


def test_normalised_strings_sort_in_time_order() -> None:
    """The SDK keeps the max by string comparison: the normal form must sort like time."""
    raws = [
        "2024-05-01T01:00:00+02:00",  # 2024-04-30T23:00Z
        "2024-04-30T23:30:00+00:00",
        "2024-04-30T23:00:00.500000+00:00",
        "2024-04-30T22:00:00-01:30",  # 23:30Z
    ]
    by_time = sorted(raws, key=lambda r: parse_timestamp(r))
    by_string = sorted(raws, key=to_utc_iso)
    assert [parse_timestamp(r) for r in by_string] == [parse_timestamp(r) for r in by_time]


def test_unknown_zone_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        zone("Mars/Olympus_Mons")


def test_parse_http_date() -> None:
    assert parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT") == dt.datetime(2015, 10, 21, 7, 28, tzinfo=UTC)
    assert parse_http_date("not a date") is None
