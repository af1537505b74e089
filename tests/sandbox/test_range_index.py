"""The sandbox answers `updated`-only searches from an integer index: same answers, cheaper."""

from __future__ import annotations

import random
from datetime import datetime, timezone

from tap_akeneo.sandbox.catalog import Catalog
from tap_akeneo.sandbox.filters import product_predicate


def _fmt(ts: int) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _generic(pred):  # the same test, without the range shortcut
    return lambda rec: pred(rec)


def _searches(cat: Catalog) -> list[dict]:
    stamps = sorted(cat.effective_updated(r) for r in cat._products.values())
    a, b = stamps[len(stamps) // 5], stamps[len(stamps) * 3 // 5]
    return [
        {"updated": [{"operator": ">", "value": _fmt(a)}]},
        {"updated": [{"operator": "<", "value": _fmt(b)}]},
        {"updated": [{"operator": "BETWEEN", "value": [_fmt(a), _fmt(b)]}]},
        {"updated": [{"operator": ">", "value": _fmt(a)}, {"operator": "<", "value": _fmt(b)}]},
        {"updated": [{"operator": "=", "value": _fmt(stamps[7])}]},
        {"updated": [{"operator": "SINCE LAST N DAYS", "value": 30}]},
        # not a pure range: answered the generic way
        {"updated": [{"operator": "NOT BETWEEN", "value": [_fmt(a), _fmt(b)]}]},
        {
            "updated": [{"operator": ">", "value": _fmt(a)}],
            "family": [{"operator": "IN", "value": ["clothing", "shoes"]}],
        },
    ]


def _check(cat: Catalog) -> None:
    for kind, index in (("product", "uuid"), ("product", "seq"), ("model", "model")):
        for search in _searches(cat):
            pred = product_predicate(search, cat, kind)
            assert pred is not None
            slow = _generic(pred)
            keys = cat._index(index)[0]
            assert cat.count(index, pred) == cat.count(index, slow), search
            for after in (None, keys[len(keys) // 3]):
                for offset in (0, 7):
                    got = cat.select(index, pred, after=after, offset=offset, limit=50)
                    want = cat.select(index, slow, after=after, offset=offset, limit=50)
                    assert got == want, (search, after, offset)


def test_range_answers_match_the_generic_scan() -> None:
    cat = Catalog(600, 120, seed=3)
    assert getattr(product_predicate(_searches(cat)[0], cat, "product"), "updated_bounds", None)
    assert not hasattr(product_predicate(_searches(cat)[-1], cat, "product"), "updated_bounds")
    _check(cat)
    assert cat.prerender() == 720
    # Writes drop the index: edits, a model edit (moves its variants), creation, deletion.
    rng = random.Random(1)
    cat.clock.offset = 86400
    for uid in rng.sample(list(cat._products), 20):
        cat.update_product(uid, {"enabled": False})
    cat.update_product_model(next(iter(cat._models)), {"categories": []})
    cat.create_product({"values": {"sku": [{"locale": None, "scope": None, "data": "new-1"}]}})
    cat.delete_product(next(iter(cat._products)))
    _check(cat)
