"""What an assessor decided: plain frozen values, shared by the store, the engine and the UIs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from inspector.decimals import plain

Kind = Literal["self", "inspection"]
KINDS: tuple[Kind, ...] = ("inspection", "self")
Form = Literal["full", "deduct", "level", "score", "na"]
AdjustmentKind = Literal["veto", "aggravated", "bonus"]
ADJUSTMENT_KINDS: tuple[AdjustmentKind, ...] = ("veto", "aggravated", "bonus")


@dataclass(frozen=True)
class ItemAnswer:
    """The decision for one item: full marks, deductions, a level, a direct score, or N/A.

    ``problem`` is None when the assessor kept the default (the text of the rules applied);
    the engine derives the default, so an answers file and the interactive scorer that make
    the same decisions store the same thing.
    """

    form: Form
    deductions: tuple[tuple[str, int], ...] = ()
    level: str | None = None
    score: Decimal | None = None
    na_reason: str | None = None
    problem: str | None = None
    rectify: str | None = None
    evidence: str | None = None
    note: str | None = None
    deadline: str | None = None

    def with_texts(self, **texts: str | None) -> ItemAnswer:
        values = {k: v for k, v in self.__dict__.items()}
        values.update(texts)
        return ItemAnswer(**values)

    def canonical(self, rule_order: Sequence[str] = ()) -> ItemAnswer:
        """The one stored form of this decision: deductions merged and in the set's rule order,
        texts stripped, empty texts dropped. Equal decisions compare equal."""
        merged: dict[str, int] = {}
        for rule, count in self.deductions:
            merged[rule] = merged.get(rule, 0) + count
        position = {rule: i for i, rule in enumerate(rule_order)}
        ordered = tuple(
            sorted(merged.items(), key=lambda rc: (position.get(rc[0], len(position)), rc[0]))
        )
        values = dict(self.__dict__)
        values["deductions"] = ordered
        for name in ("na_reason", "problem", "rectify", "evidence", "note", "deadline", "level"):
            text = values[name]
            values[name] = text.strip() or None if isinstance(text, str) else text
        if values["score"] is not None:
            values["score"] = values["score"].normalize() + 0  # +0 turns -0 into 0
        return ItemAnswer(**values)

    def texts(self) -> dict[str, str]:
        return {
            name: value
            for name in ("problem", "rectify", "evidence", "note", "deadline")
            if (value := getattr(self, name)) is not None
        }


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


def answer_to_dict(answer: ItemAnswer) -> dict[str, object]:
    """A compact, JSON-ready form (for the audit log and JSON output)."""
    data: dict[str, object] = {"form": answer.form}
    if answer.deductions:
        data["deductions"] = {rule: count for rule, count in answer.deductions}
    if answer.level is not None:
        data["level"] = answer.level
    if answer.score is not None:
        data["score"] = plain(answer.score)
    if answer.na_reason is not None:
        data["na"] = answer.na_reason
    data.update(answer.texts())
    return data
