"""What every form shares: full marks and N/A, and the answer-level questions that the rest of
the program asks without knowing the forms (canonical form, audit fields, stored payload)."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from inspector.core.assessment import TEXT_FIELDS, ItemAnswer
from inspector.core.forms.registry import FULL, NA, form_named, form_of, registered
from inspector.core.indicators.model import Item


def canonical(item: Item | None, answer: ItemAnswer) -> ItemAnswer:
    """The one stored form of a decision: texts stripped (empty ones dropped) and the value in
    its form's canonical shape. Equal decisions compare equal."""
    tidy = answer.tidy()
    if item is None or tidy.form in (FULL, NA) or tidy.value is None:
        return tidy
    form = form_of(item)
    if tidy.form != form.answer_key:
        return tidy
    return replace(tidy, value=form.canonical(item, tidy.value))


def answer_to_dict(answer: ItemAnswer) -> dict[str, object]:
    """A compact, JSON-ready form (for the audit log and JSON output)."""
    data: dict[str, object] = {"form": answer.form}
    form = form_named(answer.form)
    if form is not None and answer.value is not None:
        data.update(form.fields(answer.value))
    if answer.na_reason is not None:
        data["na"] = answer.na_reason
    data.update(answer.texts())
    return data


def answer_from_dict(data: object) -> ItemAnswer | None:
    """The decision an audit entry records (``answer_to_dict`` read back), None when it cannot
    be read (not a decision, or a form no longer registered)."""
    if not isinstance(data, dict) or not isinstance(data.get("form"), str):
        return None
    texts = {k: v for k, v in data.items() if k in TEXT_FIELDS and isinstance(v, str)}
    na_reason = data.get("na") if isinstance(data.get("na"), str) else None
    if data["form"] in (FULL, NA):
        return ItemAnswer(data["form"], na_reason=na_reason, **texts)
    form = form_named(data["form"])
    if form is None:
        return None
    rest = {k: v for k, v in data.items() if k not in ("form", "na", *TEXT_FIELDS)}
    value = form.from_fields(rest)
    if value is None:
        return None
    return ItemAnswer(form.answer_key, value, na_reason=na_reason, **texts)


def answer_details(answer: ItemAnswer | None) -> dict[str, Any]:
    """The keys the forms add to an item of ``show --json``: every form's, filled in by the
    answer's own form."""
    data: dict[str, Any] = {}
    for form in registered():
        data.update(form.details(None))
    form = form_named(answer.form) if answer is not None else None
    if form is not None and answer is not None and answer.value is not None:
        data.update(form.details(answer.value))
    return data


def stored_value(answer: ItemAnswer) -> str | None:
    """The answer's value as the store keeps it: its form's JSON (None for full marks and N/A).
    A value of a form not registered now is kept as it was read."""
    if answer.value is None:
        return None
    form = form_named(answer.form)
    if form is None:
        return answer.value if isinstance(answer.value, str) else json.dumps(answer.value)
    return json.dumps(form.dump(answer.value), ensure_ascii=False)


def stored_answer(
    form_name: str,
    value: str | None,
    na_reason: str | None = None,
    problem: str | None = None,
    rectify: str | None = None,
    evidence: str | None = None,
    note: str | None = None,
    deadline: str | None = None,
) -> ItemAnswer:
    """An answer from the store: ``value`` is what ``stored_value`` wrote."""
    loaded: Any = None
    if value is not None:
        form = form_named(form_name)
        loaded = form.load(json.loads(value)) if form is not None else value
    return ItemAnswer(form_name, loaded, na_reason, problem, rectify, evidence, note, deadline)
