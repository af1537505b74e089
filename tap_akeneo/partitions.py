"""Windows of `updated` that split one filtered listing into disjoint parts.

A listing ``updated > since`` (or the whole catalog) is cut at whole seconds into windows
``lo < updated < hi``; their union is exactly the original result set, and no item is in
two of them. Each window is an ordinary Akeneo search, read with search_after by following
its ``next`` links, so windows can be read concurrently.

The last window, ``updated >= run start``, is the *tail*: items saved while the run is
under way move there (their `updated` only grows), so it is read after every other window
has been read completely. An item edited mid-run is then read by its old window, or by the
tail, or both (a newer copy after an older one), never by neither.

Cut points are formatted in the server's time zone (Akeneo reads the filter there); a cut
is only placed where that zone's offset is constant for hours around it, so both strings of
a cut (``< c`` and ``> c - 1``) name the instants meant, even across daylight-saving changes.

Everything here is pure (no I/O): planning only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import typing as t

from tap_akeneo.timestamps import UTC, filter_value, parse_timestamp

#: A cut is only placed where the zone's UTC offset is the same this long before and after.
DST_MARGIN = 3 * 3600
#: Unbounded-below windows are split at first as if they began this long before their end.
DEFAULT_SPAN = 86400


@dataclasses.dataclass(frozen=True)
class Window:
    """``lo < updated < hi`` in whole epoch seconds; ``None`` is unbounded."""

    lo: int | None
    hi: int | None
    #: A finite stand-in for ``lo`` when it is None (where to split an open window).
    floor_guess: int | None = None
    #: The tail window (read last).
    tail: bool = False

    def filters(self, server_tz: dt.tzinfo) -> list[dict[str, t.Any]]:
        """The ``updated`` entries of an Akeneo search for this window (ANDed)."""
        entries: list[dict[str, t.Any]] = []
        if self.lo is not None:
            entries.append({"operator": ">", "value": format_second(self.lo, server_tz)})
        if self.hi is not None:
            entries.append({"operator": "<", "value": format_second(self.hi, server_tz)})
        return entries

    def search(self, base: dict[str, t.Any], server_tz: dt.tzinfo) -> dict[str, t.Any]:
        """``base`` (the stream's search) with its `updated` filter replaced by this window."""
        search = {key: value for key, value in base.items() if key != "updated"}
        entries = self.filters(server_tz)
        if entries:
            search["updated"] = entries
        return search

    def split(self, server_tz: dt.tzinfo) -> tuple[Window, Window] | None:
        """Two windows covering exactly this one, cut near its middle.

        None when it cannot be cut: less than two seconds wide, or the tail. A window open
        below is cut as if it began at ``floor_guess``; each cut of its lower half then
        reaches four times as far back as the one before, so a few cuts reach items of any age.
        """
        if self.hi is None or self.tail:
            return None
        lo = self.lo
        if lo is None:
            lo = self.floor_guess if self.floor_guess is not None else self.hi - DEFAULT_SPAN
            if lo > self.hi - 3:
                lo = self.hi - DEFAULT_SPAN
        middle = (lo + self.hi + 1) // 2
        while not safe_cut(middle, server_tz) and middle > lo + 2:
            middle -= DST_MARGIN
        # Items lo+1 .. hi-1 become lo+1 .. middle-1 and middle .. hi-1.
        if not (lo + 2 <= middle <= self.hi - 1):
            return None
        guess = None if self.lo is not None else middle - 8 * (self.hi - middle)
        return Window(self.lo, middle, floor_guess=guess), Window(middle - 1, self.hi)


def format_second(epoch: int, server_tz: dt.tzinfo) -> str:
    return filter_value(dt.datetime.fromtimestamp(epoch, UTC), server_tz)


def safe_cut(epoch: int, server_tz: dt.tzinfo) -> bool:
    """Whether ``epoch`` and ``epoch - 1`` have unambiguous local names in ``server_tz``."""
    if server_tz is UTC:
        return True
    before = dt.datetime.fromtimestamp(epoch - DST_MARGIN, UTC).astimezone(server_tz).utcoffset()
    after = dt.datetime.fromtimestamp(epoch + DST_MARGIN, UTC).astimezone(server_tz).utcoffset()
    return before == after


def epoch_seconds(value: str) -> int | None:
    """Epoch seconds of a record's `updated` (None when missing or unreadable)."""
    try:
        return math.floor(parse_timestamp(value).timestamp())
    except (TypeError, ValueError):
        return None


def tail_start(run_start: dt.datetime, server_tz: dt.tzinfo) -> int:
    """First second of the tail window: the run's start, moved earlier to a safe cut."""
    start = math.floor(run_start.timestamp())
    while not safe_cut(start, server_tz):
        start -= DST_MARGIN
    return start


def plan(
    *,
    lo: int | None,
    tail: int,
    samples: t.Iterable[int],
    shares: t.Sequence[float],
    server_tz: dt.tzinfo,
) -> list[Window]:
    """Cut ``lo < updated`` into windows holding about ``shares`` of it, plus the tail window.

    Cuts fall on quantiles of ``samples`` (the `updated` seconds of some items of the
    result set), so the windows hold about the wanted shares when the sample is fair;
    counting each window then corrects the rest. Returns the history windows (in time
    order) followed by the tail window ``tail - 1 < updated``.
    """
    floor = lo if lo is not None else -(2**62)
    points = sorted(s for s in samples if floor + 1 < s < tail)
    cuts: list[int] = []
    if points and len(shares) > 1:
        total, position = sum(shares), 0.0
        for share in shares[:-1]:
            position += share / total
            cut = points[min(len(points) - 1, int(position * len(points)))]
            while not safe_cut(cut, server_tz) and cut > floor + 2:
                cut -= DST_MARGIN
            if cut <= floor + 1 or cut >= tail or (cuts and cut <= cuts[-1]):
                continue
            cuts.append(cut)
    guess = (points[0] - 1) if points else None
    history: list[Window] = []
    previous: int | None = lo
    for i, cut in enumerate([*cuts, tail]):
        history.append(Window(previous, cut, floor_guess=guess if (i == 0 and lo is None) else None))
        previous = cut - 1
    return [*history, Window(tail - 1, None, tail=True)]


def shares(pages: int, workers: int) -> list[float]:
    """Planned sizes of the windows of a read of ``pages`` pages, as fractions, largest first.

    Each window costs about 1.5 requests more than its pages (a count probe, a partial last
    page) and the read ends when its last window does. A simulation of the reader (sampled
    cuts, counting, largest first) put the best count near ``sqrt(pages / 2)``, never below
    two per worker; sizes shrink threefold from the first to the last, so the read ends on
    small windows.
    """
    count = max(2 * workers, min(48, round(math.sqrt(pages / 2))))
    count = max(1, min(count, pages // 2))
    ratio = (1 / 3) ** (1 / max(1, count - 1))
    sizes = [ratio**i for i in range(count)]
    total = sum(sizes)
    return [size / total for size in sizes]


def covering(windows: t.Sequence[Window], second: int) -> list[Window]:
    """The windows that hold an item updated at ``second`` (exactly one, for a valid plan)."""
    return [w for w in windows if (w.lo is None or w.lo < second) and (w.hi is None or second < w.hi)]
