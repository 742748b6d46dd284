"""The public JSON view of a set (``indicators show --json``) and the JSON Schema of the format."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from inspector.core.forms import form_of, registered, set_model
from inspector.core.forms.base import json_number as number
from inspector.core.indicators.citations import short_citations, short_name
from inspector.core.indicators.loader import LoadedSet
from inspector.i18n import t


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
    data = _jsonable(indicators.model_dump(mode="python", by_alias=True))
    data["hash"] = loaded.hash
    data["final_cap"] = number(indicators.cap)
    data["highest"] = number(indicators.highest)
    data["report_title"] = indicators.report_title or t("format.report_title")
    for law_json, law in zip(data["laws"], indicators.laws, strict=True):
        law_json["short"] = short_name(law)
    data["grade_order"] = [g.name for g in indicators.grade_order()]
    form_keys = [form.key for form in registered()]
    for cat_json, category in zip(data["categories"], indicators.categories, strict=True):
        for item_json, item in zip(cat_json["items"], category.items, strict=True):
            applies = item.applies_to
            item_json["applies_to"] = {
                "groups": list(applies.groups) if applies else [],
                "tags": list(applies.tags) if applies else [],
                "any": list(applies.any) if applies else [],
                "except": list(applies.except_) if applies else [],
            }
            item_json["citation"] = short_citations(indicators, item.basis)
            # the forms' blocks where the format lists them: before the translations
            en = item_json.pop("en", None)
            blocks = {key: item_json.pop(key) for key in form_keys if key in item_json}
            item_json.update(blocks)
            item_json["en"] = en
            form = form_of(item)
            item_json["scoring"] = form.key
            item_json.update(form.set_json(item))
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
    schema = set_model().model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = t("schema.title")
    _describe(schema)
    return schema
