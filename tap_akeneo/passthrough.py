"""Settings passed through to the API as query parameters, only where an endpoint has them.

| Setting                  | products | product models | records, assets |
|--------------------------|----------|----------------|-----------------|
| `scope`                  | scope    | scope          | channel         |
| `locales`                | locales  | locales        | locales         |
| `with_attribute_options` | yes      | yes            | -               |
| `with_quality_scores`    | yes      | yes            | -               |
| `with_completenesses`    | yes      | -              | -               |
"""

from __future__ import annotations

import typing as t

#: Per endpoint family: setting name -> query parameter name.
PRODUCT_PARAMS = {
    "scope": "scope",
    "locales": "locales",
    "with_attribute_options": "with_attribute_options",
    "with_quality_scores": "with_quality_scores",
    "with_completenesses": "with_completenesses",
}
PRODUCT_MODEL_PARAMS = {k: v for k, v in PRODUCT_PARAMS.items() if k != "with_completenesses"}
ENTITY_PARAMS = {"scope": "channel", "locales": "locales"}


def locales_setting(value: t.Any) -> list[str]:
    """The `locales` setting as a list: a JSON array, or a comma-separated string."""
    if not value:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return [str(part).strip() for part in value if str(part).strip()]


def query_params(config: t.Mapping[str, t.Any], supported: t.Mapping[str, str]) -> dict[str, str]:
    """The query parameters ``supported`` by an endpoint that the settings ask for."""
    params: dict[str, str] = {}
    for setting, param in supported.items():
        value = config.get(setting)
        if setting == "locales":
            locales = locales_setting(value)
            if locales:
                params[param] = ",".join(locales)
        elif setting == "scope":
            if value:
                params[param] = str(value)
        elif value:
            params[param] = "true"
    return params
