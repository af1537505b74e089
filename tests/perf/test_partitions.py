"""Windows of `updated`: disjoint, covering exactly the result set, safe across DST."""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import pytest

from tap_akeneo.partitions import (
    DST_MARGIN,
    Window,
    covering,
    format_second,
    plan,
    safe_cut,
    shares,
    tail_start,
)
from tap_akeneo.timestamps import UTC

PARIS = ZoneInfo("Europe/Paris")
NOW = 1_796_400_000  # 2026-12-04


def _assert_partition(windows: list[Window], lo: int | None, seconds: list[int]) -> None:
    for second in seconds:
        holders = covering(windows, second)
        if lo is not None and second <= lo:
            assert holders == [], second
        else:
            assert len(holders) == 1, (second, holders)


@pytest.mark.parametrize("lo", [None, NOW - 86400 * 30])
@pytest.mark.parametrize("zone", [UTC, PARIS], ids=["UTC", "Paris"])
def test_plan_cuts_the_range_into_disjoint_windows_and_a_tail(lo: int | None, zone: dt.tzinfo) -> None:
    rng = random.Random(1)
    samples = [NOW - rng.randint(0, 86400 * 400) for _ in range(100)]
    windows = plan(lo=lo, tail=NOW, samples=samples, shares=shares(1000, 4), server_tz=zone)
    assert windows[-1].tail and windows[-1].lo == NOW - 1 and windows[-1].hi is None
    assert windows[0].lo == lo
    history = windows[:-1]
    assert len(history) > 8
    assert all(w.hi is not None for w in history) and history[-1].hi == NOW
    probe = [*samples, NOW - 1, NOW, NOW + 1, NOW + 10**6, 0, (lo or 0) + 1]
    probe += [w.hi for w in history if w.hi] + [w.hi - 1 for w in history if w.hi]
    _assert_partition(windows, lo, probe)
    if zone is PARIS:
        assert all(safe_cut(w.hi, zone) for w in history if w.hi)


def test_plan_without_samples_is_one_window_and_the_tail() -> None:
    windows = plan(lo=None, tail=NOW, samples=[], shares=shares(100, 4), server_tz=UTC)
    assert [(w.lo, w.hi, w.tail) for w in windows] == [(None, NOW, False), (NOW - 1, None, True)]


def test_splits_cover_exactly_their_window_down_to_single_seconds() -> None:
    rng = random.Random(2)
    for window in (Window(NOW - 1000, NOW), Window(None, NOW, floor_guess=NOW - 50), Window(None, NOW)):
        pieces = [window]
        for _ in range(40):
            i = rng.randrange(len(pieces))
            halves = pieces[i].split(UTC)
            if halves is None:
                assert pieces[i].lo is not None and pieces[i].hi - pieces[i].lo - 1 < 2
                continue
            pieces[i : i + 1] = list(halves)
        seconds = [*range(NOW - 3000, NOW + 5), NOW - 10**7, 0]
        _assert_partition(pieces, window.lo, [s for s in seconds if covering([window], s)])
        assert all(not covering(pieces, s) for s in seconds if not covering([window], s))


def test_a_window_open_below_reaches_old_items_in_a_few_cuts() -> None:
    window, cuts = Window(None, NOW, floor_guess=NOW - 60), 0
    while window.hi is not None and window.hi > NOW - 86400 * 365 * 5:
        halves = window.split(UTC)
        assert halves is not None
        window, cuts = halves[0], cuts + 1
    assert window.lo is None and cuts < 16


def test_the_tail_is_never_split() -> None:
    assert Window(NOW - 1, None, tail=True).split(UTC) is None


def test_filters_and_search() -> None:
    window = Window(NOW - 3601, NOW)
    assert window.filters(UTC) == [
        {"operator": ">", "value": "2026-12-04 14:59:59"},
        {"operator": "<", "value": "2026-12-04 16:00:00"},
    ]
    base = {
        "updated": [{"operator": ">", "value": "2000-01-01 00:00:00"}],
        "enabled": [{"operator": "=", "value": True}],
    }
    assert window.search(base, UTC) == {"enabled": base["enabled"], "updated": window.filters(UTC)}
    assert Window(None, None).search(base, UTC) == {"enabled": base["enabled"]}
    # In the server's zone, as Akeneo reads it.
    assert Window(None, NOW).filters(PARIS) == [{"operator": "<", "value": "2026-12-04 17:00:00"}]


def test_cuts_keep_clear_of_daylight_saving_changes() -> None:
    # 2026-10-25 03:00 CEST -> 02:00 CET: local times 02:00-02:59 happen twice.
    change = int(dt.datetime(2026, 10, 25, 1, 0, tzinfo=UTC).timestamp())
    assert not safe_cut(change, PARIS) and not safe_cut(change + 1800, PARIS)
    assert safe_cut(change + DST_MARGIN + 1, PARIS) and safe_cut(change, UTC)
    assert tail_start(dt.datetime.fromtimestamp(change + 60, UTC), PARIS) <= change - DST_MARGIN + 60
    samples = list(range(change - 7200, change + 7200, 60))
    windows = plan(lo=None, tail=change + 86400, samples=samples, shares=shares(400, 4), server_tz=PARIS)
    for w in windows[:-1]:
        assert safe_cut(w.hi, PARIS)
        # Both strings of a cut name the instants meant.
        for second in (w.hi, w.hi - 1):
            local = dt.datetime.strptime(format_second(second, PARIS), "%Y-%m-%d %H:%M:%S")
            assert int(local.replace(tzinfo=PARIS).timestamp()) == second


def test_shares() -> None:
    for pages, workers in ((13, 4), (40, 4), (200, 4), (1000, 4), (3200, 4), (1000, 2)):
        planned = shares(pages, workers)
        assert abs(sum(planned) - 1) < 1e-9
        assert planned == sorted(planned, reverse=True)
        assert len(planned) >= min(2 * workers, pages // 2)
    assert len(shares(1000, 4)) == 22 and len(shares(200, 4)) == 10
