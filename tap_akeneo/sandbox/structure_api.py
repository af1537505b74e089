"""Catalog-structure and Enterprise routes of the sandbox API.

Structure lists (families, attributes, options, groups, association types, categories, channels,
locales, currencies, media files) use offset pagination (page/limit/with_count). Reference
entities, their records, asset families and assets are search_after only, with opaque cursors.
Their ``updated`` filters take ISO 8601 values (not the products' ``YYYY-MM-DD HH:MM:SS``).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from . import structure as st
from .catalog import dumps
from .filters import ApiError, date_check, parse_iso_date, parse_search, unsupported

if TYPE_CHECKING:
    from .api import App, Request, Response

API = "/api/rest/v1"
Item = dict[str, Any]
Pred = Callable[[Item], bool]

_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _get(item: Item, prop: str) -> Any:
    return item[prop] if prop in item else item.get("_" + prop)


class StructureRoutes:
    """Builds structure items and serves their routes for an ``App``."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.cat = app.catalog

    # ------------------------------------------------------------------ registration
    def register(self) -> None:
        app = self.app
        add = app.add
        ee = app.ee_only
        for path, handler, single in (
            ("families", self.list_families, self.get_family),
            ("attributes", self.list_attributes, self.get_attribute),
            ("attribute-groups", self.list_attribute_groups, self.get_attribute_group),
            ("association-types", self.list_association_types, self.get_association_type),
            ("categories", self.list_categories, self.get_category),
            ("channels", self.list_channels, self.get_channel),
            ("locales", self.list_locales, self.get_locale),
            ("currencies", self.list_currencies, self.get_currency),
        ):
            add("GET", f"{API}/{path}", handler, is_list=True)
            add("GET", f"{API}/{path}/{{code}}", single)
        add("GET", f"{API}/families/{{family_code}}/variants", self.list_variants, is_list=True)
        add("GET", f"{API}/families/{{family_code}}/variants/{{code}}", self.get_variant)
        add("GET", f"{API}/attributes/{{attribute_code}}/options", self.list_options,
            is_list=True)
        add("GET", f"{API}/attributes/{{attribute_code}}/options/{{code}}", self.get_option)
        add("GET", f"{API}/measurement-families", self.list_measurement_families,
            available=app.since(5))
        add("GET", f"{API}/media-files", self.list_media, is_list=True)
        add("GET", f"{API}/media-files/{{code*}}/download", self.download_media)
        add("GET", f"{API}/media-files/{{code*}}", self.get_media)
        # Enterprise Edition
        add("GET", f"{API}/reference-entities", self.list_reference_entities, available=ee,
            is_list=True)
        add("GET", f"{API}/reference-entities/{{code}}", self.get_reference_entity,
            available=ee)
        add("GET", f"{API}/reference-entities/{{reference_entity_code}}/attributes",
            self.list_reference_entity_attributes, available=ee)
        add("GET", f"{API}/reference-entities/{{reference_entity_code}}/records",
            self.list_records, available=ee, is_list=True)
        add("GET", f"{API}/reference-entities/{{reference_entity_code}}/records/{{code}}",
            self.get_record, available=ee)
        add("GET", f"{API}/asset-families", self.list_asset_families, available=ee,
            is_list=True)
        add("GET", f"{API}/asset-families/{{code}}", self.get_asset_family, available=ee)
        add("GET", f"{API}/asset-families/{{asset_family_code}}/attributes",
            self.list_asset_attributes, available=ee)
        add("GET", f"{API}/asset-families/{{asset_family_code}}/assets", self.list_assets,
            available=ee, is_list=True)
        add("GET", f"{API}/asset-families/{{asset_family_code}}/assets/{{code}}",
            self.get_asset, available=ee)

    # ------------------------------------------------------------------ generic helpers
    def _resp(self, body: bytes, status: int = 200) -> Response:
        from .api import Response

        return Response(status, body)

    def _href(self, path: str) -> str:
        return self.app.url(path)

    def _offset_list(self, req: Request, path: str, items: list[Item],
                     href: Callable[[Item], str],
                     links: Callable[[Item], dict[str, Any]] | None = None) -> Response:
        app = self.app
        q = req.query
        app.validate_pagination(q, support_search_after=False)
        limit = app._validate_limit(q)
        page = int(q.get("page", "1"))
        chunk = items[(page - 1) * limit: page * limit]
        count = len(items) if q.get("with_count") == "true" else None
        params = [("limit", q.get("limit", "10")), ("with_count", q.get("with_count", "false"))]
        params += [(k, v) for k, v in q.items() if k not in ("page", "limit", "with_count")]
        body = [app.with_links(href(i), dumps(i), links(i) if links else None) for i in chunk]
        return self._resp(app.offset_envelope(path, params, page, limit, body, count))

    def _token(self, key: str) -> str:
        k = self.cat._token_key
        raw = key.encode()
        return base64.urlsafe_b64encode(bytes(b ^ k[i % len(k)] for i, b in enumerate(raw))
                                        ).decode()

    def _untoken(self, token: str) -> str:
        try:
            masked = base64.b64decode(token.encode(), altchars=b"-_", validate=True)
            if not masked:
                raise ValueError(token)
            k = self.cat._token_key
            return bytes(b ^ k[i % len(k)] for i, b in enumerate(masked)).decode()
        except (ValueError, UnicodeDecodeError):
            raise ApiError(422, f'Parameter "search_after" has an invalid value, "{token}" '
                                "given.") from None

    def _search_after_list(self, req: Request, path: str, items: list[Item],
                           href: Callable[[Item], str], keep: tuple[str, ...] = (),
                           links: Callable[[Item], dict[str, Any]] | None = None) -> Response:
        """search_after-only list ordered by code; ``limit`` optional (default 100)."""
        app = self.app
        q = req.query
        limit = app._validate_limit(q) if "limit" in q else 100
        raw_after = q.get("search_after")
        start = 0
        if raw_after is not None:
            after = self._untoken(raw_after)
            start = next((i for i, it in enumerate(items) if it["code"] > after), len(items))
        chunk = items[start: start + limit]
        nxt = self._token(chunk[-1]["code"]) if len(chunk) == limit else None
        params = [(k, q[k]) for k in (*keep, "limit") if k in q]
        body = [app.with_links(href(i), dumps(i), links(i) if links else None) for i in chunk]
        return self._resp(app.search_after_envelope(path, params, raw_after, nxt, body))

    @staticmethod
    def _not_found(message: str) -> ApiError:
        return ApiError(404, message)

    def _filter(self, req: Request, items: list[Item], spec: dict[str, tuple[tuple[str, ...],
                                                                              str]]) -> list[Item]:
        """Apply a ``search`` over structure items. spec: prop -> (operators, kind)."""
        search = parse_search(req.query.get("search"))
        preds: list[Pred] = []
        tz = self.cat.tz
        now_s = self.cat.now_s()
        for prop, filters in search.items():
            if prop not in spec:
                raise unsupported(prop, filters[0]["operator"])
            ops, kind = spec[prop]
            for f in filters:
                op = f["operator"]
                if op not in ops:
                    raise unsupported(prop, op)
                value = f.get("value")
                if kind == "codes":
                    if not isinstance(value, list):
                        raise ApiError(422, f'Property "{prop}" expects an array as data.')
                    wanted = set(value)
                    preds.append(lambda i, p=prop, w=wanted: _get(i, p) in w)  # type: ignore[misc]
                elif kind == "bool":
                    if not isinstance(value, bool):
                        raise ApiError(422, f'Property "{prop}" expects a boolean as data.')
                    want = value if op == "=" else not value
                    preds.append(lambda i, p=prop, w=want: _get(i, p) is w)  # type: ignore[misc]
                elif kind == "str":
                    preds.append(lambda i, p=prop, v=value: _get(i, p) == v)  # type: ignore[misc]
                elif kind == "date":
                    test = date_check(prop, f, lambda pr, v: parse_iso_date(pr, v, tz), now_s,
                                      ops)
                    preds.append(lambda i, t=test: t(i["_ts"]))  # type: ignore[misc]
        if not preds:
            return items
        return [i for i in items if all(p(i) for p in preds)]

    @staticmethod
    def _public(items: list[Item]) -> list[Item]:
        return [{k: v for k, v in i.items() if not k.startswith("_")} for i in items]

    # ------------------------------------------------------------------ item builders
    def families(self) -> list[Item]:
        out = []
        for f in sorted(st.FAMILIES, key=lambda f: f.code):
            item: Item = {
                "code": f.code,
                "attributes": sorted(f.attributes),
                "attribute_as_label": f.attribute_as_label,
                "attribute_as_image": f.attribute_as_image,
                "attribute_requirements": {c: sorted(a) for c, a in f.requirements.items()},
                "labels": f.labels,
            }
            if self.app.is_saas:
                item["parent"] = None
            item["_ts"] = self.cat.structure_updated[("family", f.code)]
            out.append(item)
        return out

    def variants(self, family: str) -> list[Item]:
        fam = st.FAMILIES_BY_CODE.get(family)
        if fam is None:
            raise self._not_found(f'Family "{family}" does not exist.')
        out = []
        for v in sorted(fam.variants, key=lambda v: v.code):
            taken = {a for lv in v.levels for a in lv.attributes}
            out.append({
                "code": v.code,
                "labels": v.labels,
                "common_attributes": sorted(a for a in fam.attributes if a not in taken),
                "variant_attribute_sets": [
                    {"level": lv.level, "axes": list(lv.axes), "attributes": sorted(lv.attributes)}
                    for lv in v.levels
                ],
            })
        return out

    def attribute_item(self, a: st.Attribute) -> Item:
        version = self.app.version
        group_labels = st.ATTRIBUTE_GROUPS[a.group][1]
        item: Item = {
            "code": a.code,
            "type": a.type,
            "group": a.group,
        }
        if version >= (7, 0):
            item["group_labels"] = group_labels
        item.update({
            "unique": a.unique,
            "useable_as_grid_filter": True,
            "allowed_extensions": list(a.allowed_extensions),
            "metric_family": a.metric_family,
            "default_metric_unit": a.default_metric_unit,
            "reference_data_name": a.reference_data_name,
            "available_locales": [],
            "max_characters": a.max_characters,
            "validation_rule": None,
            "validation_regexp": None,
            "wysiwyg_enabled": bool(a.wysiwyg_enabled),
            "number_min": None,
            "number_max": None,
            "decimals_allowed": bool(a.decimals_allowed),
            "negative_allowed": bool(a.negative_allowed),
            "date_min": None,
            "date_max": None,
            "max_file_size": "10" if a.allowed_extensions else None,
            "minimum_input_length": None,
            "sort_order": a.sort_order,
            "localizable": a.localizable,
            "scopable": a.scopable,
            "labels": a.labels,
        })
        if version >= (5, 0):
            item["default_value"] = False if a.type == "pim_catalog_boolean" else None
        if self.app.is_saas:
            item["is_main_identifier"] = a.type == "pim_catalog_identifier"
            item["is_mandatory"] = a.type == "pim_catalog_identifier"
            item["decimal_places_strategy"] = None
            item["decimal_places"] = None
        item["_ts"] = self.cat.structure_updated[("attribute", a.code)]
        return item

    def attributes(self) -> list[Item]:
        return [self.attribute_item(a) for a in sorted(st.ATTRIBUTES, key=lambda a: a.code)]

    def options(self, attribute: str) -> list[Item]:
        a = st.ATTRIBUTES_BY_CODE.get(attribute)
        if a is None:
            raise self._not_found(f'Attribute "{attribute}" does not exist.')
        if a.type not in ("pim_catalog_simpleselect", "pim_catalog_multiselect"):
            raise self._not_found(
                f'Attribute "{attribute}" does not support options. Only attributes of type '
                '"pim_catalog_simpleselect", "pim_catalog_multiselect" support options.')
        items = [{"code": code, "attribute": a.code, "sort_order": n, "labels": labels}
                 for n, (code, labels) in enumerate(a.options, start=1)]
        return sorted(items, key=lambda i: i["code"])

    def attribute_groups(self) -> list[Item]:
        out = []
        for code, (order, labels) in sorted(st.ATTRIBUTE_GROUPS.items()):
            attrs = sorted((a for a in st.ATTRIBUTES if a.group == code),
                           key=lambda a: (a.sort_order, a.code))
            out.append({"code": code, "sort_order": order, "attributes": [a.code for a in attrs],
                        "labels": labels,
                        "_ts": self.cat.structure_updated[("attribute_group", code)]})
        return out

    def association_types(self) -> list[Item]:
        return [{"code": code, "labels": labels, "is_quantified": q, "is_two_way": two}
                for code, labels, q, two in sorted(st.ASSOCIATION_TYPES)]

    def categories(self, with_position: bool = False) -> list[Item]:
        out = []
        siblings: dict[str | None, int] = {}
        for code, parent, labels in st.CATEGORIES:  # tree order (root, left)
            siblings[parent] = siblings.get(parent, 0) + 1
            item: Item = {"code": code, "parent": parent}
            ts = self.cat.structure_updated[("category", code)]
            if self.app.version >= (6, 0):
                item["updated"] = self.cat.fmt(ts)
            if with_position and self.app.version >= (7, 0):
                item["position"] = siblings[parent]
            item["labels"] = labels
            item["_ts"] = ts
            item["_is_root"] = parent is None
            out.append(item)
        return out

    def channels(self) -> list[Item]:
        return [{
            "code": c.code,
            "currencies": list(c.currencies),
            "locales": list(c.locales),
            "category_tree": c.category_tree,
            "conversion_units": dict(c.conversion_units),
            "labels": c.labels,
        } for c in sorted(st.CHANNELS, key=lambda c: c.code)]

    @staticmethod
    def locales() -> list[Item]:
        return [{"code": code, "enabled": code in st.LOCALES_ENABLED} for code in st.LOCALES_ALL]

    @staticmethod
    def currencies() -> list[Item]:
        return [{"code": code, "enabled": en, "label": label}
                for code, (en, label) in sorted(st.CURRENCIES.items())]

    def reference_entities(self) -> list[Item]:
        media = self.cat.media_files()
        out = []
        for n, (code, labels) in enumerate(sorted(st.REFERENCE_ENTITIES)):
            image = media[n]["code"] if n % 2 == 0 else None
            out.append({"code": code, "labels": labels, "image": image})
        return out

    def reference_entity_attributes(self, entity: str) -> list[Item]:
        self._entity(entity)
        out = []
        for code, typ, per_locale, per_channel, labels in st.REFERENCE_ENTITY_ATTRIBUTES:
            item: Item = {
                "code": code,
                "labels": labels,
                "type": typ,
                "value_per_locale": per_locale,
                "value_per_channel": per_channel,
                "is_required_for_completeness": code == "label",
            }
            if typ == "text":
                item.update({"max_characters": 255, "is_textarea": code == "description",
                             "is_rich_text_editor": False, "validation_rule": "none",
                             "validation_regexp": None})
            elif typ == "image":
                item.update({"allowed_extensions": ["jpg", "png"], "max_file_size": "10"})
            out.append(item)
        return out

    def _entity(self, entity: str) -> None:
        if entity not in dict(st.REFERENCE_ENTITIES):
            raise self._not_found(f'Reference entity "{entity}" does not exist.')

    def _asset_family(self, family: str) -> None:
        if family not in dict(st.ASSET_FAMILIES):
            raise self._not_found(f'Asset family "{family}" does not exist.')

    def _records(self, items: list[Item], channel: str | None,
                 locales: list[str] | None) -> list[Item]:
        out = []
        for r in items:
            values = {}
            for code, entries in r["values"].items():
                kept = [dict(e) for e in entries
                        if (channel is None or e["channel"] in (None, channel))
                        and (locales is None or e["locale"] is None or e["locale"] in locales)]
                if kept:
                    values[code] = kept
            item: Item = {"code": r["code"], "values": values}
            if self.app.version >= (5, 0):
                item["created"] = self.cat.fmt(r["_created"])
                item["updated"] = self.cat.fmt(r["_updated"])
            item["_ts"] = r["_updated"]
            out.append(item)
        return out

    def _record_params(self, req: Request) -> tuple[str | None, list[str] | None]:
        q = req.query
        channel = q.get("channel")
        if channel is not None and channel not in st.CHANNELS_BY_CODE:
            raise ApiError(422, f'Channel "{channel}" does not exist.')
        locales = q["locales"].split(",") if q.get("locales") else None
        return channel, locales

    def asset_families(self) -> list[Item]:
        out = []
        for code, labels in sorted(st.ASSET_FAMILIES):
            item: Item = {
                "code": code,
                "labels": labels,
                "attribute_as_main_media": "media",
                "naming_convention": {},
                "product_link_rules": [],
                "transformations": [],
            }
            if self.app.is_saas:
                item["sharing_enabled"] = False
            out.append(item)
        return out

    def asset_attributes(self, family: str) -> list[Item]:
        self._asset_family(family)
        out = []
        for code, typ, per_locale, per_channel, labels, media_type in st.ASSET_ATTRIBUTES:
            item: Item = {
                "code": code,
                "labels": labels,
                "type": typ,
                "value_per_locale": per_locale,
                "value_per_channel": per_channel,
                "is_required_for_completeness": code == "media",
                "is_read_only": False,
            }
            if typ == "text":
                item.update({"max_characters": 255, "is_textarea": False,
                             "is_rich_text_editor": False, "validation_rule": "none",
                             "validation_regexp": None})
            elif typ == "media_file":
                item.update({"allowed_extensions": ["jpg", "png", "pdf"], "max_file_size": "10",
                             "media_type": media_type})
            out.append(item)
        return out

    def _assets(self, family: str, channel: str | None, locales: list[str] | None) -> list[Item]:
        items = self._records(self.cat.assets[family], channel, locales)
        for item in items:
            for e in item["values"].get("media", []):
                e["_links"] = {"download": {"href": self._href(
                    f"{API}/asset-media-files/{e['data']}")}}
        return items

    # ------------------------------------------------------------------ handlers: structure
    def list_families(self, req: Request, _: dict[str, str]) -> Response:
        items = self._filter(req, self.families(),
                             {"code": (("IN",), "codes"), "updated": ((">",), "date")})
        return self._offset_list(req, f"{API}/families", self._public(items),
                                 lambda i: self._href(f"{API}/families/{i['code']}"))

    def _one(self, items: Iterable[dict[str, Any]], code: str, label: str) -> Response:
        """A single GET by code among ``items``, or Akeneo's 404 naming the ``label``."""
        for item in items:
            if item["code"] == code:
                return self._resp(dumps(item))
        raise self._not_found(f'{label} "{code}" does not exist.')

    def get_family(self, req: Request, p: dict[str, str]) -> Response:
        return self._one(self._public(self.families()), p["code"], "Family")

    def list_variants(self, req: Request, p: dict[str, str]) -> Response:
        fam = p["family_code"]
        path = f"{API}/families/{fam}/variants"
        return self._offset_list(req, path, self.variants(fam),
                                 lambda i: self._href(f"{path}/{i['code']}"))

    def get_variant(self, req: Request, p: dict[str, str]) -> Response:
        return self._one(self.variants(p["family_code"]), p["code"], "Family variant")

    def list_attributes(self, req: Request, _: dict[str, str]) -> Response:
        spec: dict[str, tuple[tuple[str, ...], str]] = {
            "code": (("IN",), "codes"), "type": (("IN",), "codes"),
            "updated": ((">",), "date"),
        }
        if self.app.is_saas:
            spec["is_main_identifier"] = (("=",), "bool")
        items = self._filter(req, self.attributes(), spec)
        return self._offset_list(req, f"{API}/attributes", self._public(items),
                                 lambda i: self._href(f"{API}/attributes/{i['code']}"))

    def get_attribute(self, req: Request, p: dict[str, str]) -> Response:
        a = st.ATTRIBUTES_BY_CODE.get(p["code"])
        if a is None:
            raise self._not_found(f'Attribute "{p["code"]}" does not exist.')
        return self._resp(dumps(self._public([self.attribute_item(a)])[0]))

    def list_options(self, req: Request, p: dict[str, str]) -> Response:
        attr = p["attribute_code"]
        path = f"{API}/attributes/{attr}/options"
        return self._offset_list(req, path, self.options(attr),
                                 lambda i: self._href(f"{path}/{i['code']}"))

    def get_option(self, req: Request, p: dict[str, str]) -> Response:
        return self._one(self.options(p["attribute_code"]), p["code"], "Attribute option")

    def list_attribute_groups(self, req: Request, _: dict[str, str]) -> Response:
        items = self._filter(req, self.attribute_groups(),
                             {"code": (("IN",), "codes"), "updated": ((">",), "date")})
        return self._offset_list(req, f"{API}/attribute-groups", self._public(items),
                                 lambda i: self._href(f"{API}/attribute-groups/{i['code']}"))

    def get_attribute_group(self, req: Request, p: dict[str, str]) -> Response:
        return self._one(self._public(self.attribute_groups()), p["code"], "Attribute group")

    def list_association_types(self, req: Request, _: dict[str, str]) -> Response:
        return self._offset_list(req, f"{API}/association-types", self.association_types(),
                                 lambda i: self._href(f"{API}/association-types/{i['code']}"))

    def get_association_type(self, req: Request, p: dict[str, str]) -> Response:
        return self._one(self.association_types(), p["code"], "Association type")

    def list_categories(self, req: Request, _: dict[str, str]) -> Response:
        spec: dict[str, tuple[tuple[str, ...], str]] = {
            "code": (("IN",), "codes"), "parent": (("=",), "str"),
            "is_root": (("=",), "bool"),
        }
        if self.app.version >= (6, 0):
            spec["updated"] = ((">",), "date")
        with_position = req.query.get("with_position") == "true"
        items = self._filter(req, self.categories(with_position), spec)
        return self._offset_list(req, f"{API}/categories", self._public(items),
                                 lambda i: self._href(f"{API}/categories/{i['code']}"))

    def get_category(self, req: Request, p: dict[str, str]) -> Response:
        with_position = req.query.get("with_position") == "true"
        return self._one(self._public(self.categories(with_position)), p["code"], "Category")

    def list_channels(self, req: Request, _: dict[str, str]) -> Response:
        return self._offset_list(req, f"{API}/channels", self.channels(),
                                 lambda i: self._href(f"{API}/channels/{i['code']}"))

    def get_channel(self, req: Request, p: dict[str, str]) -> Response:
        return self._one(self.channels(), p["code"], "Channel")

    def list_locales(self, req: Request, _: dict[str, str]) -> Response:
        items = self._filter(req, self.locales(), {"enabled": (("=",), "bool")})
        return self._offset_list(req, f"{API}/locales", items,
                                 lambda i: self._href(f"{API}/locales/{i['code']}"))

    def get_locale(self, req: Request, p: dict[str, str]) -> Response:
        return self._one(self.locales(), p["code"], "Locale")

    def list_currencies(self, req: Request, _: dict[str, str]) -> Response:
        items = self._filter(req, self.currencies(), {"enabled": (("=",), "bool")})
        return self._offset_list(req, f"{API}/currencies", items,
                                 lambda i: self._href(f"{API}/currencies/{i['code']}"))

    def get_currency(self, req: Request, p: dict[str, str]) -> Response:
        return self._one(self.currencies(), p["code"], "Currency")

    def list_measurement_families(self, req: Request, _: dict[str, str]) -> Response:
        return self._resp(dumps(list(st.MEASUREMENT_FAMILIES)))

    def _media_links(self, item: Item) -> dict[str, Any]:
        return {"download": {"href": self._href(f"{API}/media-files/{item['code']}/download")}}

    def list_media(self, req: Request, _: dict[str, str]) -> Response:
        items = sorted(self.cat.media_files(), key=lambda m: m["code"])
        return self._offset_list(req, f"{API}/media-files", items,
                                 lambda i: self._href(f"{API}/media-files/{i['code']}"),
                                 self._media_links)

    def get_media(self, req: Request, p: dict[str, str]) -> Response:
        item = self.cat.media_file(p["code"])
        if item is None:
            raise self._not_found(f'Media file "{p["code"]}" does not exist.')
        return self._resp(self.app.with_links(self._href(f"{API}/media-files/{item['code']}"),
                                              dumps(item), self._media_links(item)))

    def download_media(self, req: Request, p: dict[str, str]) -> Response:
        from .api import Response

        item = self.cat.media_file(p["code"])
        if item is None:
            raise self._not_found(f'Media file "{p["code"]}" does not exist.')
        body = _PDF if item["extension"] == "pdf" else _PNG
        return Response(200, body, item["mime_type"], headers=[
            ("Content-Disposition", f'attachment; filename="{item["original_filename"]}"')])

    # ------------------------------------------------------------------ handlers: enterprise
    def list_reference_entities(self, req: Request, _: dict[str, str]) -> Response:
        def links(i: Item) -> dict[str, Any]:
            if i["image"] is None:
                return {}
            return {"image_download": {"href": self._href(
                f"{API}/reference-entities-media-files/{i['image']}")}}

        return self._search_after_list(
            req, f"{API}/reference-entities", self.reference_entities(),
            lambda i: self._href(f"{API}/reference-entities/{i['code']}"), links=links)

    def get_reference_entity(self, req: Request, p: dict[str, str]) -> Response:
        for item in self.reference_entities():
            if item["code"] == p["code"]:
                return self._resp(self.app.with_links(
                    self._href(f"{API}/reference-entities/{item['code']}"), dumps(item)))
        raise self._not_found(f'Reference entity "{p["code"]}" does not exist.')

    def list_reference_entity_attributes(self, req: Request, p: dict[str, str]) -> Response:
        return self._resp(dumps(self.reference_entity_attributes(p["reference_entity_code"])))

    def _date_spec(self) -> dict[str, tuple[tuple[str, ...], str]]:
        ops: tuple[str, ...] = (">",)
        if self.app.version >= (6, 0):
            ops = (">", "<", "BETWEEN", "NOT BETWEEN", "SINCE LAST N DAYS")
        spec: dict[str, tuple[tuple[str, ...], str]] = {"updated": (ops, "date")}
        if self.app.version >= (7, 0):
            spec["code"] = (("IN",), "codes")
        return spec

    def list_records(self, req: Request, p: dict[str, str]) -> Response:
        entity = p["reference_entity_code"]
        self._entity(entity)
        channel, locales = self._record_params(req)
        items = self._filter(req, self._records(self.cat.records[entity], channel, locales),
                             self._date_spec())
        path = f"{API}/reference-entities/{entity}/records"
        return self._search_after_list(req, path, self._public(items),
                                       lambda i: self._href(f"{path}/{quote(i['code'])}"),
                                       keep=("search", "channel", "locales"))

    def get_record(self, req: Request, p: dict[str, str]) -> Response:
        entity = p["reference_entity_code"]
        self._entity(entity)
        for item in self._public(self._records(self.cat.records[entity], None, None)):
            if item["code"] == p["code"]:
                return self._resp(dumps(item))
        raise self._not_found(f'Record "{p["code"]}" does not exist for the reference entity '
                              f'"{entity}".')

    def list_asset_families(self, req: Request, _: dict[str, str]) -> Response:
        return self._search_after_list(
            req, f"{API}/asset-families", self.asset_families(),
            lambda i: self._href(f"{API}/asset-families/{i['code']}"))

    def get_asset_family(self, req: Request, p: dict[str, str]) -> Response:
        return self._one(self.asset_families(), p["code"], "Asset family")

    def list_asset_attributes(self, req: Request, p: dict[str, str]) -> Response:
        return self._resp(dumps(self.asset_attributes(p["asset_family_code"])))

    def list_assets(self, req: Request, p: dict[str, str]) -> Response:
        family = p["asset_family_code"]
        self._asset_family(family)
        channel, locales = self._record_params(req)
        items = self._filter(req, self._assets(family, channel, locales), self._date_spec())
        path = f"{API}/asset-families/{family}/assets"
        return self._search_after_list(req, path, self._public(items),
                                       lambda i: self._href(f"{path}/{quote(i['code'])}"),
                                       keep=("search", "channel", "locales"))

    def get_asset(self, req: Request, p: dict[str, str]) -> Response:
        family = p["asset_family_code"]
        self._asset_family(family)
        return self._one(self._public(self._assets(family, None, None)), p["code"], "Asset")
