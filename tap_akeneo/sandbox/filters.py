"""The ``search`` query parameter: parsing, validation and predicates (Akeneo semantics).

Products and product models take ``created``/``updated`` values exactly as
``YYYY-MM-DD HH:MM:SS`` in the server time zone; the catalog-structure and Enterprise endpoints
take ISO 8601 instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from . import structure as st

if TYPE_CHECKING:
    from .catalog import Catalog

Pred = Callable[[Any], bool]

PRODUCT_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")
ISO_RE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6})\d*)?(Z|[+-]\d{2}:?\d{2})?"
)
DATE_OPERATORS = ("=", "!=", "<", ">", "BETWEEN", "NOT BETWEEN", "SINCE LAST N DAYS")


class ApiError(Exception):
    """An error response ``{"code": status, "message": message, **extra}``."""

    def __init__(self, status: int, message: str, extra: dict[str, Any] | None = None,
                 headers: list[tuple[str, str]] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra or {}
        self.headers = headers or []


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "NULL"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value)


def unsupported(prop: str, op: Any) -> ApiError:
    return ApiError(
        422, f'Filter on property "{prop}" is not supported or does not support operator "{op}"'
    )


def parse_search(raw: str | None) -> dict[str, list[dict[str, Any]]]:
    """Decode and structurally validate the ``search`` parameter."""
    if raw is None:
        return {}
    try:
        obj = json.loads(raw)
    except ValueError:
        raise ApiError(400, "Search query parameter should be valid JSON.") from None
    if obj == [] or obj == {}:
        return {}
    if not isinstance(obj, dict):
        raise ApiError(400, "Search query parameter should be valid JSON.")
    for prop, filters in obj.items():
        if not isinstance(filters, list) or not filters or \
                not all(isinstance(f, dict) for f in filters):
            raise ApiError(
                422,
                f'Structure of filter "{prop}" should respect this structure: '
                f'{{"{prop}":[{{"operator": "my_operator", "value": "my_value"}}]}}',
            )
        for f in filters:
            if "operator" not in f:
                raise ApiError(422, f'Operator is missing for the property "{prop}".')
    return obj


def reemit_search(search: dict[str, Any]) -> str:
    """The search as the PIM re-encodes it in links (PHP json_encode: compact, ``\\/``)."""
    return json.dumps(search, separators=(",", ":")).replace("/", "\\/")


# ---------------------------------------------------------------- product date values
def parse_product_date(prop: str, value: Any, tz: Any) -> int:
    """``YYYY-MM-DD HH:MM:SS`` in the server zone -> epoch seconds (422 otherwise)."""
    msg = (f'Property "{prop}" expects a string with the format "yyyy-mm-dd H:i:s" as data, '
           f'"{_shown(value)}" given.')
    if not isinstance(value, str) or not PRODUCT_DATE_RE.fullmatch(value):
        raise ApiError(422, msg)
    try:
        naive = datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        raise ApiError(422, msg) from None
    return int(naive.replace(tzinfo=tz).timestamp())


def parse_iso_date(prop: str, value: Any, tz: Any) -> int:
    """ISO 8601 date-time -> epoch seconds; values without offset are in the server zone."""
    m = ISO_RE.fullmatch(value) if isinstance(value, str) else None
    if m is None:
        raise ApiError(
            422,
            f'Property "{prop}" expects a string with the ISO 8601 format as data, '
            f'"{_shown(value)}" given.',
        )
    y, mo, d, h, mi, s, _frac, off = m.groups()
    try:
        dt = datetime(int(y), int(mo), int(d), int(h), int(mi), int(s))
    except ValueError:
        raise ApiError(
            422,
            f'Property "{prop}" expects a string with the ISO 8601 format as data, '
            f'"{_shown(value)}" given.',
        ) from None
    if off is None:
        return int(dt.replace(tzinfo=tz).timestamp())
    if off == "Z":
        return int(dt.replace(tzinfo=timezone.utc).timestamp())
    sign = 1 if off[0] == "+" else -1
    hh, mm = int(off[1:3]), int(off[-2:])
    return int(dt.replace(tzinfo=timezone.utc).timestamp()) - sign * (hh * 3600 + mm * 60)


def date_check(prop: str, f: dict[str, Any], parse: Callable[[str, Any], int],
               now_s: int, allowed: tuple[str, ...] = DATE_OPERATORS) -> Callable[[int], bool]:
    """A test on epoch seconds for one ``{"operator", "value"}`` filter on a date property."""
    op = f["operator"]
    value = f.get("value")
    if op not in allowed:
        raise unsupported(prop, op)
    if op in ("BETWEEN", "NOT BETWEEN"):
        if not isinstance(value, list) or len(value) != 2:
            raise ApiError(
                422,
                f'Property "{prop}" expects an array with valid data, should contain 2 '
                f'dates, "{_shown(value)}" given.',
            )
        lo, hi = parse(prop, value[0]), parse(prop, value[1])
        if op == "BETWEEN":
            return lambda ts: lo <= ts <= hi
        return lambda ts: ts < lo or ts > hi
    if op == "SINCE LAST N DAYS":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ApiError(422, f'Property "{prop}" expects a numeric as data, '
                                f'"{_shown(value)}" given.')
        limit = now_s - value * 86400
        return lambda ts: ts >= limit
    t = parse(prop, value)
    if op == "=":
        return lambda ts: ts == t
    if op == "!=":
        return lambda ts: ts != t
    if op == "<":
        return lambda ts: ts < t
    return lambda ts: ts > t


def _str_list(prop: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError(422, f'Property "{prop}" expects an array as data, "{_shown(value)}" '
                            "given.")
    return value


def _category_descendants(codes: list[str]) -> set[str]:
    out = set(codes)
    changed = True
    while changed:
        changed = False
        for code, parent in st.CATEGORY_PARENT.items():
            if parent in out and code not in out:
                out.add(code)
                changed = True
    return out


def product_predicate(search: dict[str, list[dict[str, Any]]], catalog: Catalog,
                      kind: str) -> Pred | None:
    """Compile a validated search into a predicate on ProductRec (kind "product") or ModelRec."""
    checks: list[Pred] = []
    now_s = catalog.now_s()
    tz = catalog.tz
    # Bounds of `updated` while every filter is an `updated` range (None once one is not):
    # the catalog then answers from an index of integers instead of testing each item.
    bounds: list[int] | None = [-(2**62), 2**62]

    def pdate(prop: str, value: Any) -> int:
        return parse_product_date(prop, value, tz)

    for prop, filters in search.items():
        for f in filters:
            op = f["operator"]
            value = f.get("value")
            if prop != "updated":
                bounds = None
            if prop == "updated":
                checks.append(_on_ts(date_check(prop, f, pdate, now_s),
                                     catalog.effective_updated))
                bounds = _narrow(bounds, op, value, pdate, now_s)  # after validation
            elif prop == "created":
                checks.append(_on_ts(date_check(prop, f, pdate, now_s), _created))
            elif prop == "uuid" and kind == "product":
                if op not in ("IN", "NOT IN"):
                    raise unsupported(prop, op)
                wanted = {v.lower() for v in _str_list(prop, value)}
                checks.append(_membership(lambda r: r.uuid, wanted, op == "IN"))
            elif prop == "parent":
                checks.append(_parent_check(catalog, kind, op, value))
            elif prop == "family":
                if op in ("EMPTY", "NOT EMPTY"):
                    if kind == "model":
                        raise unsupported(prop, op)
                    checks.append(_membership(lambda r: r.family, {None}, op == "EMPTY"))
                elif op in ("IN", "NOT IN"):
                    fams: set[str | None] = set(_str_list(prop, value))
                    checks.append(_membership(lambda r: r.family, fams, op == "IN"))
                else:
                    raise unsupported(prop, op)
            elif prop == "enabled" and kind == "product":
                if op not in ("=", "!="):
                    raise unsupported(prop, op)
                if not isinstance(value, bool):
                    raise ApiError(422, f'Property "enabled" expects a boolean as data, '
                                        f'"{_shown(value)}" given.')
                want = value if op == "=" else not value
                checks.append(_membership(lambda r: r.enabled, {want}, True))
            elif prop == "categories":
                checks.append(_category_check(catalog, op, value))
            else:
                raise unsupported(prop, op)
    if not checks:
        return None
    pred = checks[0] if len(checks) == 1 else (lambda r: all(c(r) for c in checks))
    if bounds is not None:
        pred = _RangePredicate(pred, (bounds[0], bounds[1]))
    return pred


class _RangePredicate:
    """A predicate that is only an inclusive range of effective `updated` seconds."""

    def __init__(self, pred: Pred, bounds: tuple[int, int]) -> None:
        self._pred = pred
        self.updated_bounds = bounds

    def __call__(self, rec: Any) -> bool:
        return self._pred(rec)


def _narrow(bounds: list[int] | None, op: str, value: Any, parse: Callable[[str, Any], int],
            now_s: int) -> list[int] | None:
    """Intersect ``bounds`` with one (already validated) `updated` filter, if it is a range."""
    if bounds is None:
        return None
    lo, hi = bounds
    if op == ">":
        lo = max(lo, parse("updated", value) + 1)
    elif op == "<":
        hi = min(hi, parse("updated", value) - 1)
    elif op == "=":
        ts = parse("updated", value)
        lo, hi = max(lo, ts), min(hi, ts)
    elif op == "BETWEEN":
        lo = max(lo, parse("updated", value[0]))
        hi = min(hi, parse("updated", value[1]))
    elif op == "SINCE LAST N DAYS":
        lo = max(lo, now_s - value * 86400)
    else:
        return None
    return [lo, hi]


def _created(rec: Any) -> int:
    return int(rec.created)


def _on_ts(test: Callable[[int], bool], get: Callable[[Any], int]) -> Pred:
    return lambda r: test(get(r))


def _membership(get: Callable[[Any], Any], values: set[Any], inside: bool) -> Pred:
    if inside:
        return lambda r: get(r) in values
    return lambda r: get(r) not in values


def _parent_check(catalog: Catalog, kind: str, op: str, value: Any) -> Pred:
    if op == "EMPTY":
        return lambda r: r.parent is None
    if op == "NOT EMPTY":
        return lambda r: r.parent is not None
    if op == "=":
        if not isinstance(value, str):
            raise ApiError(422, f'Property "parent" expects a string as data, '
                                f'"{_shown(value)}" given.')
        codes = {value}
    elif op == "IN":
        codes = set(_str_list("parent", value))
    else:
        raise unsupported("parent", op)
    for code in codes:
        if not catalog.model_exists(code):
            raise ApiError(422, f'Property "parent" expects a valid product model code. The '
                                f'product model does not exist, "{code}" given.')
    if kind == "model":
        return lambda r: r.parent in codes

    def check(r: Any) -> bool:
        parent = r.parent
        while parent is not None:
            if parent in codes:
                return True
            m = catalog.get_model(parent)
            parent = m.parent if m is not None else None
        return False

    return check


def _category_check(catalog: Catalog, op: str, value: Any) -> Pred:
    if op == "UNCLASSIFIED":
        return lambda r: not catalog.effective_categories(r)
    if op not in ("IN", "NOT IN", "IN OR UNCLASSIFIED", "IN CHILDREN", "NOT IN CHILDREN"):
        raise unsupported("categories", op)
    codes = _str_list("categories", value)
    for c in codes:
        if c not in st.CATEGORY_PARENT:
            raise ApiError(422, f'Category "{c}" does not exist.')
    wanted = set(codes)
    if op in ("IN CHILDREN", "NOT IN CHILDREN"):
        wanted = _category_descendants(codes)
    if op in ("IN", "IN CHILDREN"):
        return lambda r: not wanted.isdisjoint(catalog.effective_categories(r))
    if op == "IN OR UNCLASSIFIED":
        return lambda r: (not catalog.effective_categories(r)
                          or not wanted.isdisjoint(catalog.effective_categories(r)))
    return lambda r: wanted.isdisjoint(catalog.effective_categories(r))


def channel_tree_check(catalog: Catalog, channel: str) -> Pred:
    """With ``scope``, the PIM restricts products to the channel's category tree."""
    root = st.CHANNELS_BY_CODE[channel].category_tree
    tree = _category_descendants([root])
    return lambda r: not tree.isdisjoint(catalog.effective_categories(r))
