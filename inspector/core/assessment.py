"""What an assessor decided: plain frozen values, shared by the store, the engine and the UIs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

Kind = Literal["self", "inspection"]
KINDS: tuple[Kind, ...] = ("inspection", "self")
AdjustmentKind = Literal["veto", "aggravated", "bonus"]
ADJUSTMENT_KINDS: tuple[AdjustmentKind, ...] = ("veto", "aggravated", "bonus")
TEXT_FIELDS = ("problem", "rectify", "evidence", "note", "deadline")


@dataclass(frozen=True)
class ItemAnswer:
    """The decision for one item: full marks (``form`` "full"), not applicable ("na", with
    ``na_reason``), or an answer in the item's scoring form ("deduct", "level", "score", …)
    whose ``value`` that form defines (core/forms: a tuple of (rule, count) pairs, a level
    name, a decimal…).

    ``problem`` is None when the assessor kept the default (the text of the rules applied);
    the engine derives the default, so an answers file and the interactive scorer that make
    the same decisions store the same thing.
    """

    form: str
    value: Any = None
    na_reason: str | None = None
    problem: str | None = None
    rectify: str | None = None
    evidence: str | None = None
    note: str | None = None
    deadline: str | None = None

    def with_texts(self, **texts: str | None) -> ItemAnswer:
        return replace(self, **texts)

    def tidy(self) -> ItemAnswer:
        """Texts stripped, empty texts dropped (the value is its form's business:
        ``core.forms.canonical``)."""
        values = {}
        for name in ("na_reason", *TEXT_FIELDS):
            text = getattr(self, name)
            values[name] = text.strip() or None if isinstance(text, str) else text
        return replace(self, **values)

    def texts(self) -> dict[str, str]:
        return {name: value for name in TEXT_FIELDS if (value := getattr(self, name)) is not None}


FULL = ItemAnswer("full")


@dataclass(frozen=True)
class Assessment:
    """One assessment (self or inspection) of one unit in one round, as the engine needs it."""

    answers: Mapping[str, ItemAnswer] = field(default_factory=dict)
    veto: frozenset[str] = frozenset()
    aggravated: Mapping[str, int] = field(default_factory=dict)
    bonus: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Unit:
    id: int
    name: str
    group: str
    code: str | None = None
    tags: tuple[str, ...] = ()
    # the store's stable identity (a removed unit added again gets a new one); not compared
    uid: str | None = field(default=None, compare=False)
