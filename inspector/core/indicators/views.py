"""The public JSON view of a set (``indicators show --json``) and the JSON Schema of the format."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from inspector.core.indicators.loader import LoadedSet
from inspector.core.indicators.model import IndicatorSet
from inspector.i18n import t


def number(value: Decimal) -> int | float:
    """A decimal as a JSON number: integral values as integers, others as the nearest float."""
    return int(value) if value == value.to_integral_value() else float(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return number(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


def set_json(loaded: LoadedSet) -> dict[str, Any]:
    indicators = loaded.indicators
    data = _jsonable(indicators.model_dump(mode="python"))
    data["hash"] = loaded.hash
    data["final_cap"] = number(indicators.cap)
    for cat_json, category in zip(data["categories"], indicators.categories, strict=True):
        for item_json, item in zip(cat_json["items"], category.items, strict=True):
            applies = item.applies_to
            item_json["applies_to"] = {
                "groups": list(applies.groups) if applies else [],
                "tags": list(applies.tags) if applies else [],
            }
            item_json["scoring"] = item.scoring
            if item.deductions is not None:
                item_json["rules"] = [
                    {
                        "id": rule.id,
                        "text": rule.text,
                        "points": number(rule.points),
                        "per_occurrence": rule.per_occurrence,
                        "per": rule.per,
                        "max": number(rule.max) if rule.max is not None else None,
                    }
                    for rule in item.deductions
                ]
            if item.direct is not None:
                item_json["range"] = {
                    "min": 0,
                    "max": number(item.points),
                    "step": number(item.direct.step),
                }
    return data


def _describe(node: Any) -> None:
    """Attach translated descriptions to the schema's properties, for editors' tooltips."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for name, prop in props.items():
                text = t(f"field.{name}")
                if text != f"field.{name}" and isinstance(prop, dict):
                    prop.setdefault("description", text)
        for value in node.values():
            _describe(value)
    elif isinstance(node, list):
        for value in node:
            _describe(value)


def set_schema() -> dict[str, Any]:
    schema = IndicatorSet.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = t("schema.title")
    _describe(schema)
    return schema
