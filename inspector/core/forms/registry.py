"""The registered scoring forms, and the models that validate a set with them.

The built-in forms are listed once, in ``_forms`` below; their order is the order of the item
keys in the format, of the answers file's keys, and of the steps in a template's instructions.
A plugin (or a test) adds a form with ``register`` and takes it out with ``unregister``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, create_model

from inspector.core.forms.base import Form
from inspector.core.forms.checks import ChecksForm
from inspector.core.forms.deductions import DeductionsForm
from inspector.core.forms.direct import DirectForm
from inspector.core.forms.levels import LevelsForm
from inspector.core.indicators.model import Category, IndicatorSet, Item
from inspector.i18n import add_messages, remove_messages

FULL = "full"
NA = "na"
TEXT_KEYS = ("problem", "rectify", "evidence", "note", "deadline")

_forms: list[Form[Any]] = [DeductionsForm(), LevelsForm(), DirectForm(), ChecksForm()]
_model: type[IndicatorSet] | None = None


def registered() -> tuple[Form[Any], ...]:
    return tuple(_forms)


def register(form: Form[Any], messages: Mapping[str, Mapping[str, str]] | None = None) -> None:
    """Add ``form`` (and its messages, by language) for every set validated from now on."""
    taken_keys = set(Item.model_fields) | {f.key for f in _forms}
    taken_answers = {FULL, NA, *TEXT_KEYS} | {f.answer_key for f in _forms}
    if form.key in taken_keys or form.answer_key in taken_answers:
        raise ValueError(f"scoring form {form.key}/{form.answer_key} clashes with a known key")
    _forms.append(form)
    _reset()
    if messages:
        add_messages(f"form:{form.key}", {lang: dict(texts) for lang, texts in messages.items()})


def unregister(form: Form[Any]) -> None:
    _forms.remove(form)
    _reset()
    remove_messages(f"form:{form.key}")


def _reset() -> None:
    global _model
    _model = None


def form_of(item: Item) -> Form[Any]:
    """The item's scoring form: the one whose block the item has."""
    for form in _forms:
        if getattr(item, form.key, None) is not None:
            return form
    raise LookupError(f"item {item.code} has no registered scoring form")


def form_named(answer_key: str) -> Form[Any] | None:
    """The form whose answers are written (and stored) under ``answer_key``."""
    return next((f for f in _forms if f.answer_key == answer_key), None)


def set_model() -> type[IndicatorSet]:
    """The model that validates a set: ``IndicatorSet`` whose items take one optional block
    per registered form. Built on first use, and again after the forms change."""
    global _model
    if _model is None:
        blocks: dict[str, Any] = {f.key: (f.spec | None, None) for f in _forms}
        item = create_model("Item", __base__=Item, **blocks)
        category = create_model(
            "Category",
            __base__=Category,
            items=(Annotated[list[item], Field(min_length=1)], ...),  # type: ignore[valid-type]
        )
        _model = create_model(
            "IndicatorSet",
            __base__=IndicatorSet,
            categories=(Annotated[list[category], Field(min_length=1)], ...),  # type: ignore[valid-type]
        )
    return _model


def validate_set(data: Any) -> IndicatorSet:
    """``data`` (a loaded YAML tree) as a set; raises pydantic's ValidationError."""
    return set_model().model_validate(data)
