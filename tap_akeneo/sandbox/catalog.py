"""Deterministic catalog generator and thread-safe in-memory store of the sandbox PIM.

Memory model: a product is a small ``ProductRec`` (uuid, identifier, family, parent, enabled,
categories, timestamps). Its values, groups and associations are generated lazily from
``(seed, seq)`` when first needed and never stored unless the product is edited (then the own
data is materialised into ``rec.data``). The serialized JSON of each item is cached as bytes on
the record and invalidated on every write, so listing a page is a join of cached bytes.

Timestamps are stored as integer UTC epoch seconds and rendered ISO 8601 with the offset of the
server time zone.
"""

from __future__ import annotations

import base64
import bisect
import copy
import hashlib
import json
import random
import threading
import time
import uuid as uuidlib
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, timedelta, timezone
from json.encoder import encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any
from zoneinfo import ZoneInfo

from . import structure as st

YEAR = 365 * 86400


class CatalogError(ValueError):
    """A write the PIM would refuse (rendered as 422 by the API)."""


class NotFound(KeyError):
    """The item does not exist."""


class Clock:
    """Server clock: wall clock plus an adjustable offset (seconds)."""

    def __init__(self, offset: float = 0.0) -> None:
        self.offset = float(offset)

    def time(self) -> float:
        return time.time() + self.offset

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.time(), timezone.utc)


_enc = encode_basestring_ascii


def dumps(obj: Any) -> bytes:
    """Compact JSON, ASCII-escaped like PHP's json_encode."""
    return json.dumps(obj, separators=(",", ":")).encode()


class ProductRec:
    __slots__ = (
        "axis",
        "cache",
        "cache_ident",
        "categories",
        "created",
        "data",
        "enabled",
        "family",
        "identifier",
        "parent",
        "seq",
        "updated",
        "uuid",
    )

    def __init__(
        self,
        uuid: str,
        seq: int,
        identifier: str | None,
        family: str | None,
        parent: str | None,
        enabled: bool,
        categories: tuple[str, ...],
        created: int,
        updated: int,
        axis: str | None = None,
    ) -> None:
        self.uuid = uuid
        self.seq = seq
        self.identifier = identifier
        self.family = family
        self.parent = parent
        self.enabled = enabled
        self.categories = categories
        self.created = created
        self.updated = updated
        self.axis = axis
        self.data: dict[str, Any] | None = None
        self.cache: bytes | None = None
        self.cache_ident: bytes | None = None


class ModelRec:
    __slots__ = (
        "axis",
        "cache",
        "categories",
        "child_models",
        "child_products",
        "code",
        "created",
        "data",
        "family",
        "family_variant",
        "id",
        "parent",
        "updated",
        "vcache",
    )

    def __init__(
        self,
        id: int,
        code: str,
        family: str,
        family_variant: str,
        parent: str | None,
        categories: tuple[str, ...],
        created: int,
        updated: int,
        axis: str | None = None,
    ) -> None:
        self.id = id
        self.code = code
        self.family = family
        self.family_variant = family_variant
        self.parent = parent
        self.categories = categories
        self.created = created
        self.updated = updated
        self.axis = axis
        self.data: dict[str, Any] | None = None
        self.cache: bytes | None = None
        self.vcache: dict[str, Any] | None = None  # generated parts, kept until edited
        self.child_models: list[str] = []
        self.child_products: list[str] = []


def _variant_level_attrs(fv: st.FamilyVariant, level: int) -> tuple[str, ...]:
    """Attributes owned by a given level (0 = root model: the common attributes)."""
    if level == 0:
        fam = st.FAMILIES_BY_CODE[fv.family]
        taken = {a for lv in fv.levels for a in lv.attributes}
        return tuple(a for a in fam.attributes if a not in taken)
    return fv.levels[level - 1].attributes


def _value_combos(a: st.Attribute) -> list[tuple[str | None, str | None]]:
    """(scope, locale) pairs for which an attribute has values."""
    if a.localizable and a.scopable:
        return [(c, loc) for c, loc in st.CHANNEL_LOCALE_PAIRS]
    if a.localizable:
        return [(None, loc) for loc in st.LOCALES_ENABLED]
    if a.scopable:
        return [(c.code, None) for c in st.CHANNELS]
    return [(None, None)]


def merge_values(base: dict[str, list], patch: Mapping[str, Any]) -> dict[str, list]:
    """Merge values like Akeneo: per attribute, per (locale, scope); data null removes."""
    out = {k: list(v) for k, v in base.items()}
    for attr, entries in patch.items():
        if not isinstance(entries, list):
            raise CatalogError(
                f'Property "{attr}" expects an array of values. '
                "Check the expected format on the API documentation."
            )
        current = out.get(attr, [])
        for entry in entries:
            if not isinstance(entry, dict) or "data" not in entry:
                raise CatalogError(
                    f'Property "values" expects "locale", "scope" and "data" keys for "{attr}". '
                    "Check the expected format on the API documentation."
                )
            loc, scope = entry.get("locale"), entry.get("scope")
            current = [e for e in current if (e.get("locale"), e.get("scope")) != (loc, scope)]
            if entry["data"] is not None and entry["data"] != [] and entry["data"] != "":
                new = {"locale": loc, "scope": scope, "data": copy.deepcopy(entry["data"])}
                current.append(new)
        if current:
            out[attr] = current
        else:
            out.pop(attr, None)
    return out


def _merge_assoc(base: dict[str, Any], patch: Mapping[str, Any], prop: str) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for typ, groups in patch.items():
        if not isinstance(groups, dict):
            raise CatalogError(
                f'Property "{prop}" expects an array as data. '
                "Check the expected format on the API documentation."
            )
        cur = out.setdefault(typ, {})
        for key, lst in groups.items():
            if not isinstance(lst, list):
                raise CatalogError(
                    f'Property "{prop}" expects an array for "{typ}.{key}". '
                    "Check the expected format on the API documentation."
                )
            cur[key] = copy.deepcopy(lst)
    return out


class _ProductsView(Mapping[str, dict]):
    """Read-only mapping uuid -> product dict (products-uuid shape, without _links).

    Each lookup returns a fresh copy; use ``Catalog.update_product`` to change a product.
    """

    def __init__(self, catalog: Catalog) -> None:
        self._c = catalog

    def __getitem__(self, key: str) -> dict:
        with self._c.lock:
            rec = self._c._products.get(key)
            if rec is None:
                raise KeyError(key)
            return json.loads(self._c.product_bytes(rec))

    def __iter__(self) -> Iterator[str]:
        with self._c.lock:
            keys = list(self._c._uuid_index)
        return iter(keys)

    def __len__(self) -> int:
        return len(self._c._products)

    def __contains__(self, key: object) -> bool:
        return key in self._c._products


class _ModelsView(Mapping[str, dict]):
    """Read-only mapping code -> product model dict (without _links), in creation order."""

    def __init__(self, catalog: Catalog) -> None:
        self._c = catalog

    def __getitem__(self, key: str) -> dict:
        with self._c.lock:
            rec = self._c._models.get(key)
            if rec is None:
                raise KeyError(key)
            return json.loads(self._c.model_bytes(rec))

    def __iter__(self) -> Iterator[str]:
        with self._c.lock:
            keys = [self._c._model_by_id[i] for i in self._c._model_ids]
        return iter(keys)

    def __len__(self) -> int:
        return len(self._c._models)

    def __contains__(self, key: object) -> bool:
        return key in self._c._models


class Catalog:
    """The sandbox PIM's data. All public methods are thread-safe (one re-entrant lock)."""

    def __init__(
        self,
        products: int = 250,
        product_models: int = 40,
        seed: int = 1,
        *,
        clock: Clock | None = None,
        server_timezone: str = "UTC",
        edition: str = "ee",
        akeneo_version: str = "7.0",
        base_url: str = "",
        now: float | None = None,
        records_per_entity: int = 30,
        assets_per_family: int = 30,
        cache: bool = True,
    ) -> None:
        if products < 0 or product_models < 0:
            raise ValueError("products and product_models must be >= 0")
        self.lock = threading.RLock()
        self.cache_enabled = cache
        self.seed = seed
        self.clock = clock or Clock()
        self.tz = ZoneInfo(server_timezone)
        self.timezone_name = server_timezone
        self.edition = edition.lower()
        self.akeneo_version = akeneo_version
        self.base_url = base_url
        self._gen_now = int(now if now is not None else self.clock.time())
        self._products: dict[str, ProductRec] = {}
        self._uuid_index: list[str] = []
        self._ident_index: list[str] = []  # lowercased identifiers, sorted
        self._ident_map: dict[str, str] = {}  # lowercased identifier -> uuid
        self._seq_index: list[int] = []
        self._seq_map: dict[int, str] = {}
        self._uuid_by_seq: list[str] = []
        self._models: dict[str, ModelRec] = {}
        self._model_ids: list[int] = []
        self._model_by_id: dict[int, str] = {}
        self._next_seq = 0
        self._next_model_id = 0
        self._write_rng = random.Random(seed * 7919 + 17)
        self._token_key = hashlib.sha256(f"sandbox-cursor-{seed}".encode()).digest()
        self._phrase_pool: dict[str, list[str]] = {}
        self._pools: dict[tuple[str, str], list[str]] = {}
        self._media: list[dict[str, Any]] = []
        self._media_index: dict[str, dict[str, Any]] = {}
        self.structure_updated: dict[tuple[str, str], int] = {}
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.assets: dict[str, list[dict[str, Any]]] = {}
        self._records_per_entity = records_per_entity
        self._assets_per_family = assets_per_family
        self._generate(products, product_models)

    # ------------------------------------------------------------------ properties / helpers
    @property
    def is_ee(self) -> bool:
        return self.edition == "ee"

    @property
    def version_tuple(self) -> tuple[int, int]:
        if self.akeneo_version.lower() == "saas":
            return (99, 0)
        major, _, minor = self.akeneo_version.partition(".")
        return (int(major), int(minor or 0))

    @property
    def products(self) -> _ProductsView:
        return _ProductsView(self)

    @property
    def product_models(self) -> _ModelsView:
        return _ModelsView(self)

    def now_s(self) -> int:
        return int(self.clock.time())

    def fmt(self, ts: int) -> str:
        """Render epoch seconds as ISO 8601 with the server zone's offset."""
        return datetime.fromtimestamp(ts, self.tz).isoformat()

    # ------------------------------------------------------------------ generation
    def _rng(self, kind: int, n: int) -> random.Random:
        return random.Random(((self.seed & 0xFFFFFFFF) << 40) | (kind << 34) | n)

    def _gen_media(self, n: int = 64) -> None:
        rng = self._rng(9, 0)
        kinds = [("jpg", "image/jpeg"), ("png", "image/png"), ("pdf", "application/pdf")]
        for i in range(n):
            ext, mime = kinds[0] if i % 4 else kinds[1]
            if i % 8 == 7:
                ext, mime = kinds[2]
            h = hashlib.sha1(f"{self.seed}-media-{i}".encode()).hexdigest()
            name = f"{'datasheet' if ext == 'pdf' else 'picture'}_{i:03d}.{ext}"
            code = f"{h[0]}/{h[1]}/{h[2]}/{h[3]}/{h}_{name}"
            item = {
                "code": code,
                "original_filename": name,
                "mime_type": mime,
                "size": rng.randint(20_000, 2_000_000),
                "extension": ext,
            }
            self._media.append(item)
            self._media_index[code] = item

    def _gen_ts(self, rng: random.Random) -> tuple[int, int]:
        created = self._gen_now - rng.randint(0, YEAR)
        updated = created + rng.randint(0, self._gen_now - created)
        return created, updated

    def _generate(self, n_products: int, n_models: int) -> None:
        self._gen_media()
        rng = random.Random(self.seed)
        # structure timestamps (families, attributes, groups, categories...)
        for kind, codes in (
            ("attribute", [a.code for a in st.ATTRIBUTES]),
            ("family", [f.code for f in st.FAMILIES]),
            ("attribute_group", list(st.ATTRIBUTE_GROUPS)),
            ("category", [c[0] for c in st.CATEGORIES]),
        ):
            for code in codes:
                self.structure_updated[(kind, code)] = self._gen_now - rng.randint(YEAR, 2 * YEAR)

        variants = [v for f in st.FAMILIES for v in f.variants]
        leaves: list[tuple[ModelRec, st.FamilyVariant, int]] = []  # model, fv, child level
        while len(self._models) < n_models and variants:
            fv = rng.choice(variants)
            idx = len(self._models)
            fam = fv.family
            code = f"{fam}_model_{idx:06d}"
            cats: tuple[str, ...] = (rng.choice(st.FAMILY_CATEGORIES[fam]),)
            if rng.random() < 0.3:
                cats = (*cats, rng.choice(st.PRINT_CATEGORIES))
            created, updated = self._gen_ts(rng)
            root = self._add_model(code, fam, fv.code, None, cats, created, updated)
            if len(fv.levels) == 1:
                leaves.append((root, fv, 1))
                continue
            axis_opts = [o[0] for o in st.ATTRIBUTES_BY_CODE[fv.levels[0].axes[0]].options]
            k = rng.randint(1, 3)
            for j in range(k):
                if len(self._models) >= n_models:
                    break
                c2, u2 = self._gen_ts(rng)
                c2 = max(c2, created)
                u2 = max(u2, c2)
                sub = self._add_model(
                    f"{code}_{axis_opts[j % len(axis_opts)]}",
                    fam,
                    fv.code,
                    code,
                    (),
                    c2,
                    u2,
                    axis=axis_opts[j % len(axis_opts)],
                )
                leaves.append((sub, fv, 2))

        n_variants = min(n_products * 3 // 5, len(leaves) * 6) if leaves else 0
        prefixes = ("sku-", "SKU-", "Sku-", "item-", "ITEM-", "ref_", "REF_")
        for i in range(n_products):
            raw = rng.getrandbits(128)
            uid = str(uuidlib.UUID(int=raw, version=4))
            ident = f"{prefixes[raw % len(prefixes)]}{i:07d}"
            created, updated = self._gen_ts(rng)
            enabled = rng.random() < 0.92
            if i < n_variants:
                model, fv, level = leaves[i % len(leaves)]
                axis_attr = fv.levels[level - 1].axes[0]
                opts = st.ATTRIBUTES_BY_CODE[axis_attr].options
                if axis_attr == "size":
                    opts = st.SHOE_SIZE_OPTIONS if fv.family == "shoes" else st.SIZE_OPTIONS
                axis = opts[(i // len(leaves)) % len(opts)][0]
                cats = ()
                if rng.random() < 0.1:
                    cats = ("sales",)
                created = max(created, model.created)
                updated = max(updated, created)
                rec = ProductRec(uid, i, ident, model.family, model.code, enabled, cats, created,
                                 updated, axis)
                model.child_products.append(uid)
            else:
                fam_code = rng.choice(("accessories", "clothing", "electronics", "shoes"))
                family: str | None = fam_code if rng.random() > 0.03 else None
                r = rng.random()
                if r < 0.04:
                    cats = ()
                else:
                    cats = (rng.choice(st.FAMILY_CATEGORIES[family]),)
                    if r > 0.7:
                        cats = (*cats, rng.choice(st.PRINT_CATEGORIES))
                rec = ProductRec(uid, i, ident, family, None, enabled, cats, created, updated)
            self._products[uid] = rec
            self._uuid_by_seq.append(uid)
        self._next_seq = n_products
        self._uuid_index = sorted(self._products)
        self._seq_index = list(range(n_products))
        self._seq_map = dict(enumerate(self._uuid_by_seq))
        self._ident_map = {r.identifier.lower(): r.uuid for r in self._products.values()
                           if r.identifier}
        self._ident_index = sorted(self._ident_map)
        self._gen_enterprise(rng)

    def _add_model(
        self,
        code: str,
        family: str,
        fv: str,
        parent: str | None,
        cats: tuple[str, ...],
        created: int,
        updated: int,
        axis: str | None = None,
    ) -> ModelRec:
        mid = self._next_model_id
        self._next_model_id += 1
        rec = ModelRec(mid, code, family, fv, parent, cats, created, updated, axis)
        self._models[code] = rec
        self._model_ids.append(mid)
        self._model_by_id[mid] = code
        if parent is not None:
            self._models[parent].child_models.append(code)
        return rec

    def _gen_enterprise(self, rng: random.Random) -> None:
        """Reference-entity records and asset-manager assets (Enterprise)."""
        names = ("alpha", "nova", "atlas", "zenith", "orbit", "vertex", "prism", "ember",
                 "lotus", "quartz", "sierra", "tango", "umbra", "vivid", "willow", "yonder")
        for ent, _labels in st.REFERENCE_ENTITIES:
            recs: list[dict[str, Any]] = []
            for i in range(self._records_per_entity):
                code = f"{names[i % len(names)]}_{ent}_{i:04d}"
                created, updated = self._gen_ts(rng)
                label = f"{names[i % len(names)].title()} {ent[:-1]} {i}"
                recs.append({
                    "code": code,
                    "values": {
                        "label": [
                            {"locale": loc, "channel": None, "data": f"{label} ({loc[:2]})"}
                            for loc in st.LOCALES_ENABLED
                        ],
                        "country": [{"locale": None, "channel": None,
                                     "data": rng.choice(("FR", "DE", "US", "IT", "JP"))}],
                    },
                    "_created": created,
                    "_updated": updated,
                })
            recs.sort(key=lambda r: r["code"])
            self.records[ent] = recs
        for fam, _labels in st.ASSET_FAMILIES:
            assets: list[dict[str, Any]] = []
            for i in range(self._assets_per_family):
                code = f"{fam}_{i:05d}"
                created, updated = self._gen_ts(rng)
                media = self._media[(i * 7) % len(self._media)]
                assets.append({
                    "code": code,
                    "values": {
                        "media": [{"locale": None, "channel": None, "data": media["code"]}],
                        "label": [
                            {"locale": loc, "channel": None, "data": f"{fam} {i} {loc}"}
                            for loc in st.LOCALES_ENABLED
                        ],
                    },
                    "_created": created,
                    "_updated": updated,
                })
            assets.sort(key=lambda r: r["code"])
            self.assets[fam] = assets

    # ------------------------------------------------------------------ lazy content
    # Generated items are assembled from pools of pre-serialized value fragments
    # (b'"attr":[...]'), so building an item costs a few joins, not a JSON encoding.
    _POOL = 64
    _PER_ITEM = ("sku", "name", "ean", "erp_name")
    _ALWAYS = ("sku", "name", "description", "price")

    def _phrases(self, locale: str) -> list[str]:
        """A deterministic pool of short phrases per locale (texts are built from them)."""
        pool = self._phrase_pool.get(locale)
        if pool is None:
            rng = self._rng(8, st.LOCALES_ENABLED.index(locale))
            words = st.WORDS[locale]
            pool = [" ".join(rng.choice(words) for _ in range(rng.randint(5, 8)))
                    for _ in range(256)]
            self._phrase_pool[locale] = pool
        return pool

    def _text(self, rng: random.Random, locale: str, long: bool) -> str:
        pool = self._phrases(locale)
        first = pool[rng.getrandbits(8)]
        out = first[0].upper() + first[1:]
        if long:
            out = f"{out}, {pool[rng.getrandbits(8)]}"
        return out + "."

    def _gen_data(self, a: st.Attribute, rng: random.Random, family: str | None,
                  locale: str | None) -> Any:
        t = a.type
        if t == "pim_catalog_text":
            return self._text(rng, locale or "en_US", False)
        if t == "pim_catalog_textarea":
            return self._text(rng, locale or "en_US", True)
        if t == "pim_catalog_simpleselect":
            if a.code == "size":
                opts = st.SHOE_SIZE_OPTIONS if family == "shoes" else st.SIZE_OPTIONS
                return rng.choice(opts)[0]
            return rng.choice(a.options)[0]
        if t == "pim_catalog_multiselect":
            codes = [o[0] for o in a.options]
            return sorted(rng.sample(codes, rng.randint(1, 2)))
        if t == "pim_catalog_number":
            if a.decimals_allowed:
                return f"{rng.randint(10, 50) / 10:.4f}"
            return rng.choice((6, 12, 24, 36))
        if t == "pim_catalog_metric":
            if a.decimals_allowed:
                return {"amount": f"{rng.randint(50, 5000) / 1000:.4f}",
                        "unit": a.default_metric_unit}
            return {"amount": rng.randint(5, 120), "unit": a.default_metric_unit}
        if t == "pim_catalog_price_collection":
            base = rng.randint(500, 50000) / 100
            return [
                {"amount": f"{base:.2f}", "currency": "EUR"},
                {"amount": f"{base * 0.86:.2f}", "currency": "GBP"},
                {"amount": f"{base * 1.08:.2f}", "currency": "USD"},
            ]
        if t == "pim_catalog_boolean":
            return rng.random() < 0.3
        if t == "pim_catalog_date":
            d = date.fromordinal(date(2022, 1, 1).toordinal() + rng.randint(0, 1400))
            return datetime(d.year, d.month, d.day, tzinfo=self.tz).isoformat()
        if t in ("pim_catalog_image", "pim_catalog_file"):
            pool = [m for m in self._media
                    if (m["extension"] == "pdf") == (t == "pim_catalog_file")]
            return rng.choice(pool)["code"]
        raise AssertionError(t)  # pragma: no cover

    def _entries(self, a: st.Attribute, fn: Callable[[str | None, str | None], Any]) -> list:
        entries = []
        for scope, locale in _value_combos(a):
            entry: dict[str, Any] = {"locale": locale, "scope": scope, "data": fn(scope, locale)}
            if a.type in ("pim_catalog_image", "pim_catalog_file"):
                entry["_links"] = {"download": {"href": self._download_href(entry["data"])}}
            entries.append(entry)
        return entries

    def _frag(self, code: str, entries: list) -> str:
        return f'"{code}":' + json.dumps(entries, separators=(",", ":"))

    def _pool(self, code: str, family: str | None) -> list[str]:
        key = (code, "shoes" if (code == "size" and family == "shoes") else "")
        pool = self._pools.get(key)
        if pool is None:
            a = st.ATTRIBUTES_BY_CODE[code]
            rng = self._rng(7, st.ATTRIBUTES.index(a) * 2 + (1 if key[1] else 0))
            pool = [
                self._frag(code, self._entries(
                    a, lambda s, loc: self._gen_data(a, rng, family, loc)))
                for _ in range(self._POOL)
            ]
            self._pools[key] = pool
        return pool

    def _gen_value_frags(self, attrs: tuple[str, ...], rng: random.Random,
                         family: str | None, n: int, identifier: str | None,
                         axes: dict[str, str]) -> tuple[bytes, tuple[str, ...]]:
        parts: list[str] = []
        keys: list[str] = []
        nouns = st.NOUNS[family]
        noun = nouns[rng.getrandbits(8) % len(nouns)]
        bits = rng.getrandbits(64)  # 4 bits per optional attribute: skip when < 2 (~12%)
        for code in attrs:
            if code in axes:
                parts.append(f'"{code}":[{{"locale":null,"scope":null,"data":{_enc(axes[code])}}}]')
                keys.append(code)
                continue
            if code not in self._ALWAYS:
                skip = (bits & 15) < 2
                bits >>= 4
                if skip:
                    continue
            if code == "sku":
                if identifier is None:
                    continue
                frag = f'"sku":[{{"locale":null,"scope":null,"data":{_enc(identifier)}}}]'
            elif code == "name":
                words = [st.WORDS[loc][rng.getrandbits(8) % 20].title()
                         for loc in st.LOCALES_ENABLED]
                frag = '"name":[' + ",".join(
                    f'{{"locale":"{loc}","scope":null,"data":{_enc(f"{w} {noun} {n}")}}}'
                    for loc, w in zip(st.LOCALES_ENABLED, words, strict=True)
                ) + "]"
            elif code == "ean":
                frag = f'"ean":[{{"locale":null,"scope":null,"data":"{rng.getrandbits(40) % 10**13:013d}"}}]'
            elif code == "erp_name":
                frag = (f'"erp_name":[{{"locale":null,"scope":null,'
                        f'"data":{_enc(f"{noun.upper()} {n:05d}")}}}]')
            else:
                frag = self._pool(code, family)[rng.getrandbits(6)]
            parts.append(frag)
            keys.append(code)
        return ",".join(parts).encode(), tuple(keys)

    def _download_href(self, media_code: str) -> str:
        return f"{self.base_url}/api/rest/v1/media-files/{media_code}/download"

    def _product_parts(self, rec: ProductRec) -> dict[str, Any]:
        """Generate a product's own data: values fragment, groups, associations."""
        rng = self._rng(1, rec.seq)
        axes: dict[str, str] = {}
        if rec.parent is not None and rec.parent in self._models:
            model = self._models[rec.parent]
            fv = st.FAMILY_VARIANTS_BY_CODE[model.family_variant]
            level = 2 if model.parent is not None else 1
            attrs = _variant_level_attrs(fv, level)
            if rec.axis is not None:
                axes[fv.levels[level - 1].axes[0]] = rec.axis
        elif rec.family is not None:
            attrs = st.FAMILIES_BY_CODE[rec.family].attributes
        else:
            attrs = ("sku", "name", "description", "price")
        frag, keys = self._gen_value_frags(attrs, rng, rec.family, rec.seq, rec.identifier,
                                           axes)
        assoc: dict[str, Any] = {
            t: {"products": [], "product_models": [], "groups": []}
            for t in st.ASSOCIATION_TYPE_CODES
        }
        n = len(self._uuid_by_seq)
        if n > 1 and rng.random() < 0.35:
            assoc["X_SELL"]["products"] = sorted(
                {self._uuid_by_seq[rng.randrange(n)] for _ in range(rng.randint(1, 3))}
            )
        if self._model_ids and rng.random() < 0.15:
            assoc["UPSELL"]["product_models"] = [
                self._model_by_id[self._model_ids[rng.randrange(len(self._model_ids))]]
            ]
        quantified: dict[str, Any] = {}
        if n > 1 and rng.random() < 0.05:
            quantified["PRODUCT_SET"] = {
                "products": [
                    {"uuid": self._uuid_by_seq[rng.randrange(n)], "quantity": rng.randint(1, 4)}
                ],
                "product_models": [],
            }
        groups = [st.GROUPS[rng.getrandbits(8) % len(st.GROUPS)]] if rng.random() < 0.08 else []
        return {"values_frag": frag, "value_keys": keys, "groups": groups,
                "associations": assoc, "quantified_associations": quantified}

    def _model_parts(self, rec: ModelRec) -> dict[str, Any]:
        rng = self._rng(2, rec.id)
        fv = st.FAMILY_VARIANTS_BY_CODE[rec.family_variant]
        level = 1 if rec.parent is not None else 0
        attrs = _variant_level_attrs(fv, level)
        axes = {fv.levels[0].axes[0]: rec.axis} if (level == 1 and rec.axis) else {}
        frag, keys = self._gen_value_frags(attrs, rng, rec.family, rec.id, None, axes)
        assoc: dict[str, Any] = {
            t: {"products": [], "product_models": [], "groups": []}
            for t in st.ASSOCIATION_TYPE_CODES
        }
        return {"values_frag": frag, "value_keys": keys, "associations": assoc,
                "quantified_associations": {}}

    def _parts(self, rec: ProductRec | ModelRec) -> dict[str, Any]:
        """Own data of an item: the edited copy if any, else freshly generated parts."""
        if rec.data is not None:
            return rec.data
        if isinstance(rec, ProductRec):
            return self._product_parts(rec)
        if rec.vcache is None:
            rec.vcache = self._model_parts(rec)
        return rec.vcache

    @staticmethod
    def _values_of(parts: dict[str, Any]) -> tuple[bytes, tuple[str, ...], dict | None]:
        if "values" in parts:
            vals = parts["values"]
            return dumps(vals)[1:-1], tuple(vals), vals
        return parts["values_frag"], parts["value_keys"], None

    def _materialize(self, rec: ProductRec | ModelRec) -> dict[str, Any]:
        """Turn generated parts into an editable dict stored on the record."""
        if rec.data is None:
            parts = dict(self._parts(rec))
            if isinstance(rec, ModelRec):
                rec.vcache = None
            frag = parts.pop("values_frag")
            parts.pop("value_keys")
            parts["values"] = json.loads(b"{" + frag + b"}")
            rec.data = parts
        return rec.data

    def _ancestors(self, parent: str | None) -> list[ModelRec]:
        """Ancestor models, root first."""
        chain = []
        while parent is not None:
            m = self._models.get(parent)
            if m is None:
                break
            chain.append(m)
            parent = m.parent
        chain.reverse()
        return chain

    def _merged_values_bytes(self, chain: list[ModelRec], parts: dict[str, Any]) -> bytes:
        """JSON object of the item's values overlaid on its ancestors' values."""
        layers = [self._values_of(self._parts(m)) for m in chain]
        layers.append(self._values_of(parts))
        seen: set[str] = set()
        disjoint = True
        for _, keys, _ in layers:
            for k in keys:
                if k in seen:
                    disjoint = False
                seen.add(k)
        if disjoint:
            return b"{" + b",".join(f for f, _, _ in layers if f) + b"}"
        merged: dict[str, list] = {}
        for frag, _, vals in layers:
            layer = vals if vals is not None else json.loads(b"{" + frag + b"}")
            for attr, entries in layer.items():
                prev = merged.get(attr)
                if prev is None:
                    merged[attr] = entries
                else:
                    lk = {(e.get("locale"), e.get("scope")) for e in entries}
                    merged[attr] = [e for e in prev
                                    if (e.get("locale"), e.get("scope")) not in lk] + entries
        return dumps(merged)

    def effective_categories(self, rec: ProductRec | ModelRec) -> tuple[str, ...]:
        chain = self._ancestors(rec.parent)
        if not chain:
            return rec.categories
        cats = set(rec.categories)
        for m in chain:
            cats.update(m.categories)
        return tuple(sorted(cats))

    def effective_updated(self, rec: ProductRec | ModelRec) -> int:
        """``updated`` as indexed for search: the max of the item and its ancestors."""
        upd = rec.updated
        parent = rec.parent
        while parent is not None:
            m = self._models.get(parent)
            if m is None:
                break
            if m.updated > upd:
                upd = m.updated
            parent = m.parent
        return upd

    # ------------------------------------------------------------------ rendering
    @staticmethod
    def _assemble(head: dict[str, Any], values: bytes, tail: dict[str, Any]) -> bytes:
        return dumps(head)[:-1] + b',"values":' + values + b"," + dumps(tail)[1:]

    def _fast_uuid_bytes(self, rec: ProductRec, parts: dict[str, Any],
                         chain: list[ModelRec]) -> bytes:
        """products-uuid JSON built by string formatting (same content as the generic path)."""
        products = self._products
        cats = self.effective_categories(rec) if chain else rec.categories
        assoc = []
        for t, g in parts["associations"].items():
            prods = ",".join(_enc(u) for u in g.get("products", []) if u in products)
            models = ",".join(_enc(m) for m in g.get("product_models", []))
            groups = ",".join(_enc(x) for x in g.get("groups", []))
            assoc.append(f'{_enc(t)}:{{"products":[{prods}],"product_models":[{models}],'
                         f'"groups":[{groups}]}}')
        qassoc = parts["quantified_associations"]
        head = (
            f'{{"uuid":"{rec.uuid}","enabled":{"true" if rec.enabled else "false"},'
            f'"family":{_enc(rec.family) if rec.family is not None else "null"},'
            f'"categories":[{",".join(_enc(c) for c in cats)}],'
            f'"groups":[{",".join(_enc(g) for g in parts["groups"])}],'
            f'"parent":{_enc(rec.parent) if rec.parent is not None else "null"},"values":'
        )
        tail = (
            f',"created":"{self.fmt(rec.created)}","updated":"{self.fmt(rec.updated)}",'
            f'"associations":{{{",".join(assoc)}}},'
            f'"quantified_associations":{dumps(qassoc).decode() if qassoc else "{}"}'
            + (',"metadata":{"workflow_status":"working_copy"}}' if self.is_ee else "}")
        )
        return head.encode() + self._merged_values_bytes(chain, parts) + tail.encode()

    def _build_product_bytes(self, rec: ProductRec, shape: str) -> bytes:
        parts = self._parts(rec)
        chain = self._ancestors(rec.parent)
        if shape == "uuid" and rec.data is None:
            return self._fast_uuid_bytes(rec, parts, chain)
        values = self._merged_values_bytes(chain, parts)
        assoc = parts["associations"]
        qassoc = parts["quantified_associations"]
        products = self._products
        head: dict[str, Any] = {}
        if shape == "uuid":
            head["uuid"] = rec.uuid
            assoc = {
                t: {**g, "products": [u for u in g.get("products", []) if u in products]}
                for t, g in assoc.items()
            }
        else:
            if self.version_tuple >= (7, 0):
                head["uuid"] = rec.uuid
            head["identifier"] = rec.identifier
            assoc = {
                t: {**g, "products": [products[u].identifier for u in g.get("products", [])
                                      if u in products and products[u].identifier]}
                for t, g in assoc.items()
            }
            qassoc = {
                t: {
                    "products": [
                        {"identifier": products[p["uuid"]].identifier, "quantity": p["quantity"]}
                        for p in g.get("products", [])
                        if p.get("uuid") in products and products[p["uuid"]].identifier
                    ],
                    "product_models": g.get("product_models", []),
                }
                for t, g in qassoc.items()
            }
        head["enabled"] = rec.enabled
        head["family"] = rec.family
        head["categories"] = list(self.effective_categories(rec))
        head["groups"] = parts["groups"]
        head["parent"] = rec.parent
        tail: dict[str, Any] = {
            "created": self.fmt(rec.created),
            "updated": self.fmt(rec.updated),
            "associations": assoc,
            "quantified_associations": qassoc,
        }
        if self.is_ee:
            tail["metadata"] = {"workflow_status": "working_copy"}
        return self._assemble(head, values, tail)

    def _build_model_bytes(self, rec: ModelRec) -> bytes:
        parts = self._parts(rec)
        chain = self._ancestors(rec.parent)
        head = {
            "code": rec.code,
            "family": rec.family,
            "family_variant": rec.family_variant,
            "parent": rec.parent,
            "categories": list(self.effective_categories(rec)),
        }
        tail: dict[str, Any] = {
            "created": self.fmt(rec.created),
            "updated": self.fmt(rec.updated),
            "associations": parts["associations"],
            "quantified_associations": parts["quantified_associations"],
        }
        if self.is_ee:
            tail["metadata"] = {"workflow_status": "working_copy"}
        return self._assemble(head, self._merged_values_bytes(chain, parts), tail)

    def product_bytes(self, rec: ProductRec, shape: str = "uuid") -> bytes:
        """Cached serialized product (without _links); ``shape`` "uuid" or "ident"."""
        if not self.cache_enabled:
            return self._build_product_bytes(rec, shape)
        if shape == "uuid":
            if rec.cache is None:
                rec.cache = self._build_product_bytes(rec, "uuid")
            return rec.cache
        if rec.cache_ident is None:
            rec.cache_ident = self._build_product_bytes(rec, "ident")
        return rec.cache_ident

    def model_bytes(self, rec: ModelRec) -> bytes:
        if not self.cache_enabled:
            return self._build_model_bytes(rec)
        if rec.cache is None:
            rec.cache = self._build_model_bytes(rec)
        return rec.cache

    def render_product(self, rec: ProductRec, shape: str = "uuid") -> dict[str, Any]:
        """A fresh API dict of a product (products-uuid shape or /products shape)."""
        return json.loads(self.product_bytes(rec, shape))

    def render_model(self, rec: ModelRec) -> dict[str, Any]:
        return json.loads(self.model_bytes(rec))

    # ------------------------------------------------------------------ lookups
    def get_product(self, uuid: str) -> ProductRec | None:
        return self._products.get(uuid)

    def get_product_by_identifier(self, identifier: str) -> ProductRec | None:
        uid = self._ident_map.get(identifier.lower())
        return self._products.get(uid) if uid else None

    def get_model(self, code: str) -> ModelRec | None:
        return self._models.get(code)

    def model_exists(self, code: str) -> bool:
        return code in self._models

    def media_files(self) -> list[dict[str, Any]]:
        return list(self._media)

    def media_file(self, code: str) -> dict[str, Any] | None:
        return self._media_index.get(code)

    # ------------------------------------------------------------------ cursors
    def encode_model_cursor(self, model_id: int) -> str:
        """Opaque search_after token for product models (like Akeneo's encrypted id)."""
        raw = model_id.to_bytes(max(1, (model_id.bit_length() + 7) // 8), "big")
        key = self._token_key
        masked = bytes(b ^ key[i % len(key)] for i, b in enumerate(raw))
        return base64.urlsafe_b64encode(masked).decode()

    def decode_model_cursor(self, token: str) -> int | None:
        try:
            masked = base64.b64decode(token.encode(), altchars=b"-_", validate=True)
        except (ValueError, TypeError):
            return None
        if not masked or len(masked) > 8:
            return None
        key = self._token_key
        raw = bytes(b ^ key[i % len(key)] for i, b in enumerate(masked))
        return int.from_bytes(raw, "big")

    # ------------------------------------------------------------------ selection
    def _index(self, kind: str) -> tuple[list, Callable[[Any], Any]]:
        if kind == "uuid":
            return self._uuid_index, self._products.__getitem__
        if kind == "ident":
            return self._ident_index, lambda k: self._products[self._ident_map[k]]
        if kind == "seq":
            return self._seq_index, lambda k: self._products[self._seq_map[k]]
        if kind == "model":
            return self._model_ids, lambda k: self._models[self._model_by_id[k]]
        raise ValueError(kind)

    def select(
        self,
        kind: str,
        pred: Callable[[Any], bool] | None,
        *,
        after: Any = None,
        offset: int = 0,
        limit: int = 10,
    ) -> list[Any]:
        """Items of an index in order, after the cursor key, skipping ``offset`` matches."""
        keys, resolve = self._index(kind)
        start = 0 if after is None else bisect.bisect_right(keys, after)
        if pred is None:
            return [resolve(k) for k in keys[start + offset: start + offset + limit]]
        out: list[Any] = []
        skipped = 0
        for i in range(start, len(keys)):
            rec = resolve(keys[i])
            if pred(rec):
                if skipped < offset:
                    skipped += 1
                    continue
                out.append(rec)
                if len(out) >= limit:
                    break
        return out

    def count(self, kind: str, pred: Callable[[Any], bool] | None) -> int:
        keys, resolve = self._index(kind)
        if pred is None:
            return len(keys)
        return sum(1 for k in keys if pred(resolve(k)))

    def ident_key(self, rec: ProductRec) -> str | None:
        return rec.identifier.lower() if rec.identifier else None

    # ------------------------------------------------------------------ writes: products
    def _invalidate_product(self, rec: ProductRec) -> None:
        rec.cache = None
        rec.cache_ident = None

    def _invalidate_model_tree(self, rec: ModelRec) -> None:
        rec.cache = None
        for uid in rec.child_products:
            p = self._products.get(uid)
            if p is not None:
                self._invalidate_product(p)
        for code in rec.child_models:
            m = self._models.get(code)
            if m is not None:
                self._invalidate_model_tree(m)

    def _set_identifier(self, rec: ProductRec, identifier: str | None) -> None:
        old = rec.identifier.lower() if rec.identifier else None
        new = identifier.lower() if identifier else None
        if old == new:
            rec.identifier = identifier
            return
        if new is not None and new in self._ident_map and self._ident_map[new] != rec.uuid:
            raise CatalogError(
                f"The sku attribute requires a unique value. The value {identifier} is already "
                "set on another product."
            )
        if old is not None and self._ident_map.get(old) == rec.uuid:
            del self._ident_map[old]
            i = bisect.bisect_left(self._ident_index, old)
            if i < len(self._ident_index) and self._ident_index[i] == old:
                self._ident_index.pop(i)
        if new is not None:
            self._ident_map[new] = rec.uuid
            bisect.insort(self._ident_index, new)
        rec.identifier = identifier

    def _check_categories(self, cats: Any) -> tuple[str, ...]:
        if not isinstance(cats, list) or not all(isinstance(c, str) for c in cats):
            raise CatalogError('Property "categories" expects an array of strings as data. '
                               "Check the expected format on the API documentation.")
        for c in cats:
            if c not in st.CATEGORY_PARENT:
                raise CatalogError(
                    f'Property "categories" expects a valid category code. The category does '
                    f'not exist, "{c}" given. Check the expected format on the API documentation.'
                )
        return tuple(dict.fromkeys(cats))

    def _check_values(self, values: Any) -> None:
        if not isinstance(values, dict):
            raise CatalogError('Property "values" expects an array as data. '
                               "Check the expected format on the API documentation.")
        for code in values:
            if code not in st.ATTRIBUTES_BY_CODE:
                raise CatalogError(
                    f'The "{code}" attribute does not exist. '
                    "Check the expected format on the API documentation."
                )

    def _apply_product_patch(self, rec: ProductRec, patch: Mapping[str, Any]) -> None:
        data = self._materialize(rec)
        if "values" in patch:
            self._check_values(patch["values"])
        for key, val in patch.items():
            if key == "values":
                data["values"] = merge_values(data["values"], val)
            elif key == "associations":
                data["associations"] = _merge_assoc(data["associations"], val, key)
            elif key == "quantified_associations":
                data["quantified_associations"] = _merge_assoc(
                    data["quantified_associations"], val, key)
            elif key == "enabled":
                if not isinstance(val, bool):
                    raise CatalogError('Property "enabled" expects a boolean as data, '
                                       f'"{type(val).__name__}" given. '
                                       "Check the expected format on the API documentation.")
                rec.enabled = val
            elif key == "family":
                if val is not None and val not in st.FAMILIES_BY_CODE:
                    raise CatalogError(
                        f'Property "family" expects a valid family code. The family does not '
                        f'exist, "{val}" given. Check the expected format on the API '
                        "documentation."
                    )
                rec.family = val
            elif key == "categories":
                rec.categories = self._check_categories(val)
            elif key == "groups":
                if not isinstance(val, list):
                    raise CatalogError('Property "groups" expects an array as data. '
                                       "Check the expected format on the API documentation.")
                data["groups"] = list(val)
            elif key == "parent":
                self._reparent_product(rec, val)
            elif key == "identifier":
                if val is not None and not isinstance(val, str):
                    raise CatalogError('Property "identifier" expects a string as data. '
                                       "Check the expected format on the API documentation.")
                data["values"] = merge_values(
                    data["values"], {"sku": [{"locale": None, "scope": None, "data": val}]})
            elif key in ("uuid", "created", "updated", "metadata", "_links", "quality_scores",
                         "completenesses", "root_parent"):
                continue
            else:
                raise CatalogError(
                    f'Property "{key}" does not exist. '
                    "Check the expected format on the API documentation."
                )
        sku = data["values"].get("sku")
        self._set_identifier(rec, sku[0]["data"] if sku else None)

    def _reparent_product(self, rec: ProductRec, parent: Any) -> None:
        if parent == rec.parent:
            return
        if parent is not None and (not isinstance(parent, str) or parent not in self._models):
            raise CatalogError(
                f'Property "parent" expects a valid parent code. The parent product model does '
                f'not exist, "{parent}" given. Check the expected format on the API documentation.'
            )
        if rec.parent is not None and rec.parent in self._models:
            kids = self._models[rec.parent].child_products
            if rec.uuid in kids:
                kids.remove(rec.uuid)
        rec.parent = parent
        if parent is not None:
            model = self._models[parent]
            model.child_products.append(rec.uuid)
            rec.family = model.family

    def update_product(self, uuid: str, patch: Mapping[str, Any]) -> None:
        """Merge ``patch`` into the product like a PATCH and bump ``updated`` to now."""
        with self.lock:
            rec = self._products.get(uuid)
            if rec is None:
                raise NotFound(uuid)
            self._apply_product_patch(rec, patch)
            rec.updated = max(self.now_s(), rec.created)
            self._invalidate_product(rec)

    def create_product(self, data: Mapping[str, Any]) -> str:
        """Create a product from an API-shaped dict; returns its uuid."""
        with self.lock:
            uid = data.get("uuid")
            if uid is None:
                uid = str(uuidlib.UUID(int=self._write_rng.getrandbits(128), version=4))
            else:
                try:
                    uid = str(uuidlib.UUID(str(uid)))
                except ValueError:
                    raise CatalogError(
                        f'Property "uuid" expects a valid uuid, "{uid}" given.'
                    ) from None
            if uid in self._products:
                raise CatalogError(f'The "{uid}" uuid is already used for another product.')
            now = self.now_s()
            seq = self._next_seq
            self._next_seq += 1
            rec = ProductRec(uid, seq, None, None, None, True, (), now, now)
            rec.data = {
                "values": {},
                "groups": [],
                "associations": {t: {"products": [], "product_models": [], "groups": []}
                                 for t in st.ASSOCIATION_TYPE_CODES},
                "quantified_associations": {},
            }
            patch = dict(data)
            patch.pop("uuid", None)
            self._products[uid] = rec
            try:
                self._apply_product_patch(rec, patch)
            except CatalogError:
                del self._products[uid]
                self._set_identifier_rollback(rec)
                raise
            bisect.insort(self._uuid_index, uid)
            self._seq_index.append(seq)
            self._seq_map[seq] = uid
            self._uuid_by_seq.append(uid)
            return uid

    def _set_identifier_rollback(self, rec: ProductRec) -> None:
        if rec.identifier:
            key = rec.identifier.lower()
            if self._ident_map.get(key) == rec.uuid:
                del self._ident_map[key]
                i = bisect.bisect_left(self._ident_index, key)
                if i < len(self._ident_index) and self._ident_index[i] == key:
                    self._ident_index.pop(i)
        if rec.parent and rec.parent in self._models:
            kids = self._models[rec.parent].child_products
            if rec.uuid in kids:
                kids.remove(rec.uuid)

    def delete_product(self, uuid: str) -> None:
        with self.lock:
            rec = self._products.pop(uuid, None)
            if rec is None:
                raise NotFound(uuid)
            i = bisect.bisect_left(self._uuid_index, uuid)
            if i < len(self._uuid_index) and self._uuid_index[i] == uuid:
                self._uuid_index.pop(i)
            j = bisect.bisect_left(self._seq_index, rec.seq)
            if j < len(self._seq_index) and self._seq_index[j] == rec.seq:
                self._seq_index.pop(j)
            self._seq_map.pop(rec.seq, None)
            self._set_identifier_rollback(rec)

    # ------------------------------------------------------------------ writes: models
    def _apply_model_patch(self, rec: ModelRec, patch: Mapping[str, Any]) -> None:
        data = self._materialize(rec)
        if "values" in patch:
            self._check_values(patch["values"])
        for key, val in patch.items():
            if key == "values":
                data["values"] = merge_values(data["values"], val)
            elif key == "associations":
                data["associations"] = _merge_assoc(data["associations"], val, key)
            elif key == "quantified_associations":
                data["quantified_associations"] = _merge_assoc(
                    data["quantified_associations"], val, key)
            elif key == "categories":
                rec.categories = self._check_categories(val)
            elif key == "family_variant":
                if val != rec.family_variant:
                    raise CatalogError(
                        'Property "family_variant" cannot be modified, '
                        f'"{val}" given. Check the expected format on the API documentation.'
                    )
            elif key == "family":
                if val is not None and val != rec.family:
                    raise CatalogError(
                        'Property "family" cannot be modified, '
                        f'"{val}" given. Check the expected format on the API documentation.'
                    )
            elif key == "parent":
                if val != rec.parent:
                    raise CatalogError(
                        'Property "parent" cannot be modified, '
                        f'"{val}" given. Check the expected format on the API documentation.'
                    )
            elif key in ("code", "created", "updated", "metadata", "_links", "quality_scores"):
                continue
            else:
                raise CatalogError(
                    f'Property "{key}" does not exist. '
                    "Check the expected format on the API documentation."
                )

    def update_product_model(self, code: str, patch: Mapping[str, Any]) -> None:
        with self.lock:
            rec = self._models.get(code)
            if rec is None:
                raise NotFound(code)
            self._apply_model_patch(rec, patch)
            rec.updated = max(self.now_s(), rec.created)
            self._invalidate_model_tree(rec)

    def create_product_model(self, data: Mapping[str, Any]) -> str:
        with self.lock:
            code = data.get("code")
            if not isinstance(code, str) or not code:
                raise CatalogError('Property "code" expects a non empty string as data. '
                                   "Check the expected format on the API documentation.")
            if code in self._models:
                raise CatalogError(f'The product model "{code}" already exists.')
            parent = data.get("parent")
            fv_code = data.get("family_variant")
            if parent is not None:
                pm = self._models.get(parent)
                if pm is None:
                    raise CatalogError(
                        f'Property "parent" expects a valid parent code. The parent product model '
                        f'does not exist, "{parent}" given.'
                    )
                if pm.parent is not None:
                    raise CatalogError("A sub product model cannot have a sub product model as "
                                       "parent.")
                fv_code = fv_code or pm.family_variant
            if fv_code not in st.FAMILY_VARIANTS_BY_CODE:
                raise CatalogError(
                    'Property "family_variant" expects a valid family variant code. The family '
                    f'variant does not exist, "{fv_code}" given.'
                )
            fv = st.FAMILY_VARIANTS_BY_CODE[fv_code]
            if parent is not None and len(fv.levels) < 2:
                raise CatalogError(f'The family variant "{fv_code}" has only one level.')
            now = self.now_s()
            rec = self._add_model(code, fv.family, fv_code, parent, (), now, now)
            rec.data = {
                "values": {},
                "associations": {t: {"products": [], "product_models": [], "groups": []}
                                 for t in st.ASSOCIATION_TYPE_CODES},
                "quantified_associations": {},
            }
            patch = {k: v for k, v in data.items() if k not in ("code", "family_variant",
                                                                 "parent", "family")}
            try:
                self._apply_model_patch(rec, patch)
            except CatalogError:
                self._remove_model(rec)
                raise
            return code

    def _remove_model(self, rec: ModelRec) -> None:
        self._models.pop(rec.code, None)
        i = bisect.bisect_left(self._model_ids, rec.id)
        if i < len(self._model_ids) and self._model_ids[i] == rec.id:
            self._model_ids.pop(i)
        self._model_by_id.pop(rec.id, None)
        if rec.parent is not None and rec.parent in self._models:
            kids = self._models[rec.parent].child_models
            if rec.code in kids:
                kids.remove(rec.code)

    def delete_product_model(self, code: str) -> None:
        """Delete a model with its sub-models and variant products (like Akeneo)."""
        with self.lock:
            rec = self._models.get(code)
            if rec is None:
                raise NotFound(code)
            for sub in list(rec.child_models):
                if sub in self._models:
                    self.delete_product_model(sub)
            for uid in list(rec.child_products):
                if uid in self._products:
                    self.delete_product(uid)
            self._remove_model(rec)

    # ------------------------------------------------------------------ structure writes
    def touch_structure(self, kind: str, code: str) -> None:
        """Bump the ``updated`` of a family, attribute, attribute group or category to now.

        ``kind`` is "family", "attribute", "attribute_group" or "category".
        """
        with self.lock:
            if (kind, code) not in self.structure_updated:
                raise NotFound(f"{kind} {code}")
            self.structure_updated[(kind, code)] = self.now_s()

    def touch_record(self, entity: str, code: str) -> None:
        """Bump the ``updated`` of a reference-entity record to now."""
        self._touch(self.records.get(entity, []), f"record {entity}/{code}", code)

    def touch_asset(self, family: str, code: str) -> None:
        """Bump the ``updated`` of an asset to now."""
        self._touch(self.assets.get(family, []), f"asset {family}/{code}", code)

    def _touch(self, items: list[dict[str, Any]], what: str, code: str) -> None:
        with self.lock:
            for item in items:
                if item["code"] == code:
                    item["_updated"] = max(self.now_s(), item["_created"])
                    return
            raise NotFound(what)

    # ------------------------------------------------------------------ misc
    def random_product_uuids(self, rng: random.Random, k: int) -> list[str]:
        with self.lock:
            if not self._uuid_index:
                return []
            return [self._uuid_index[rng.randrange(len(self._uuid_index))] for _ in range(k)]

    def date_from_days_ago(self, days: float) -> int:
        return int((self.clock.now() - timedelta(days=days)).timestamp())
