"""The validated indicator set: frozen pydantic models, ``extra="forbid"`` everywhere.

Field names are the YAML keys (see docs/indicator-format.md). Structural checks (types, unknown
keys, missing fields) come from these models; checks across fields (sums, duplicates, references,
grade bands) live in ``checks.py`` so that both kinds are reported in a single run.

An item's scoring block (``deductions:``, ``levels:``, ``direct:``…) belongs to its scoring form
(core/forms). The classes here hold everything else; the models that validate a file add one
optional field per registered form to ``Item`` (``core.forms.registry.set_model``), so a set is
always validated against the forms registered at the time. Every validated item, category and
set is an instance of the classes below.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Code = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^\S+$")]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Points = Annotated[Decimal, Field(ge=0, max_digits=8, decimal_places=2)]
PositivePoints = Annotated[Decimal, Field(gt=0, max_digits=8, decimal_places=2)]


class Strict(BaseModel):
    # built on first use: importing the package (for --help) builds no validator
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )


# --- translations: an optional ``en:`` block beside the Chinese fields -----------------------


class NameEn(Strict):
    name: Name | None = None


class TextEn(Strict):
    text: Text | None = None
    per: Name | None = None


class LawEn(Strict):
    title: Name | None = None
    version: Name | None = None


class BasisEn(Strict):
    article: Name | None = None


class ItemEn(Strict):
    name: Name | None = None
    requirement: Text | None = None
    methods: list[Name] | None = None
    evidence: list[Text] | None = None
    notes: Text | None = None


class SetEn(Strict):
    title: Name | None = None
    issuer: Name | None = None


# --- the set ---------------------------------------------------------------------------------


class Law(Strict):
    key: Code
    title: Name
    version: Name
    effective: Name | None = None
    en: LawEn | None = None


class Group(Strict):
    code: Code
    name: Name
    en: NameEn | None = None


class Tag(Strict):
    code: Code
    name: Name
    en: NameEn | None = None


class Basis(Strict):
    law: Code
    article: Name
    en: BasisEn | None = None


class AppliesTo(Strict):
    groups: list[Code] = Field(default_factory=list)
    tags: list[Code] = Field(default_factory=list)


class Counted(Strict):
    """Points taken (or given) once, or per occurrence when ``per`` names the unit (处, 次…),
    with an optional cap ``max`` of its own."""

    text: Text
    points: PositivePoints
    per: Name | None = None
    max: PositivePoints | None = None
    en: TextEn | None = None

    @property
    def per_occurrence(self) -> bool:
        return self.per is not None

    def amount(self, count: int) -> Decimal:
        """Points for ``count`` occurrences, with the entry's own cap applied."""
        taken = self.points * count if self.per_occurrence else self.points * min(count, 1)
        return min(taken, self.max) if self.max is not None else taken


class Item(Strict):
    code: Code
    name: Name
    points: PositivePoints
    requirement: Text
    methods: list[Name] = Field(default_factory=list)
    evidence: list[Text] = Field(default_factory=list)
    basis: list[Basis] = Field(default_factory=list)
    notes: Text | None = None
    applies_to: AppliesTo | None = None
    na_allowed: bool = False
    rectify_days: Annotated[int, Field(ge=1, le=3650)] | None = None
    en: ItemEn | None = None
    # + one optional field per registered scoring form, exactly one of them set

    def applies(self, group: str, tags: frozenset[str] | set[str]) -> bool:
        """Whether the item is part of a unit's 实有项目 by its group and tags."""
        if self.applies_to is None:
            return True
        if self.applies_to.groups and group not in self.applies_to.groups:
            return False
        return not self.applies_to.tags or bool(set(self.applies_to.tags) & set(tags))


class Category(Strict):
    code: Code
    name: Name
    points: PositivePoints
    items: Annotated[list[Item], Field(min_length=1)]
    en: NameEn | None = None


class Adjustment(Counted):
    """An aggravated deduction or a bonus entry, identified by ``code``."""

    code: Code


class Veto(Strict):
    code: Code
    text: Text
    grade: Name
    en: TextEn | None = None


class Bonus(Strict):
    cap: Points
    items: Annotated[list[Adjustment], Field(min_length=1)]


class Grade(Strict):
    name: Name
    min: Points
    below: Points | None = None
    en: NameEn | None = None


class IndicatorSet(Strict):
    id: Code
    title: Name
    version: Name
    issuer: Name
    year: Annotated[int, Field(ge=2000, le=2100)]
    total: PositivePoints
    final_cap: PositivePoints | None = None
    rectify_days: Annotated[int, Field(ge=1, le=3650)] = 30
    self_gap_flag: PositivePoints = Decimal(10)
    laws: list[Law] = Field(default_factory=list)
    groups: Annotated[list[Group], Field(min_length=1)]
    tags: list[Tag] = Field(default_factory=list)
    categories: Annotated[list[Category], Field(min_length=1)]
    veto: list[Veto] = Field(default_factory=list)
    aggravated: list[Adjustment] = Field(default_factory=list)
    bonus: Bonus | None = None
    grades: Annotated[list[Grade], Field(min_length=1)]
    en: SetEn | None = None

    @property
    def cap(self) -> Decimal:
        return self.final_cap if self.final_cap is not None else self.total

    def items(self) -> Iterator[tuple[Category, Item]]:
        for category in self.categories:
            for item in category.items:
                yield category, item

    def item(self, code: str) -> Item | None:
        return next((it for _, it in self.items() if it.code == code), None)

    def group(self, code: str) -> Group | None:
        return next((g for g in self.groups if g.code == code), None)

    def law(self, key: str) -> Law | None:
        return next((law for law in self.laws if law.key == key), None)

    def grade_for(self, score: Decimal) -> Grade:
        """The band holding ``score``. Bands are checked to cover [0, ∞) without gaps."""
        for grade in self.grades:
            if score >= grade.min and (grade.below is None or score < grade.below):
                return grade
        return min(self.grades, key=lambda g: g.min)

    def grade(self, name: str) -> Grade | None:
        return next((g for g in self.grades if g.name == name), None)


def localized(obj: object, field: str, lang: str) -> object:
    """The English text of ``field`` when asked for and present, else the Chinese original."""
    if lang == "en":
        en = getattr(obj, "en", None)
        value = getattr(en, field, None) if en is not None else None
        if value is not None:
            return value
    return getattr(obj, field)
