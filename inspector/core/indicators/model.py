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
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
    short: Name | None = None


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
    report_title: Name | None = None
    notes: Text | None = None


# --- the set ---------------------------------------------------------------------------------


class Law(Strict):
    key: Code
    title: Name
    version: Name
    short: Name | None = None  # for compact citations: 网安法; derived from the title if absent
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
    """Which units an item is part of. ``groups`` and ``tags`` each narrow (a unit of one of
    the groups, and carrying one of the tags); ``any`` names groups or tags of which the unit
    must have at least one; ``except`` names groups or tags that leave the item out."""

    groups: list[Code] = Field(default_factory=list)
    tags: list[Code] = Field(default_factory=list)
    any: list[Code] = Field(default_factory=list)
    except_: list[Code] = Field(default_factory=list, alias="except")

    def admits(self, group: str, tags: frozenset[str] | set[str]) -> bool:
        marks = {group, *tags}
        if self.groups and group not in self.groups:
            return False
        if self.tags and not set(self.tags) & set(tags):
            return False
        if self.any and not set(self.any) & marks:
            return False
        return not set(self.except_) & marks


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
    points: Points  # 0 only for a check-only item (its form says so)
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
        return self.applies_to is None or self.applies_to.admits(group, tags)


class Category(Strict):
    code: Code
    name: Name
    points: PositivePoints
    na_allowed: bool = False  # the whole category may be marked not applicable
    items: Annotated[list[Item], Field(min_length=1)]
    en: NameEn | None = None

    @model_validator(mode="after")
    def _items_allow_na(self) -> Category:
        """A category that may be N/A as a whole lets each of its items be N/A: the flag is
        copied down, so everything that asks an item (``item.na_allowed``) needs no change."""
        if not self.na_allowed or all(item.na_allowed for item in self.items):
            return self
        items = [item.model_copy(update={"na_allowed": True}) for item in self.items]
        return self.model_copy(update={"items": items})


class Adjustment(Counted):
    """An aggravated deduction or a bonus entry, identified by ``code``."""

    code: Code


class Aggravated(Adjustment):
    """An aggravated deduction (加重扣分): taken from the total, and where ``grade_cap`` names
    a grade, the unit's grade is at most that grade (严重违规，不得评优)."""

    grade_cap: Name | None = None
    basis: list[Basis] = Field(default_factory=list)


VetoEffect = Literal["force", "cap"]


class Veto(Strict):
    """一票否决. ``force``: the grade becomes ``grade`` whatever the score; ``cap``: the grade
    is at most ``grade`` (a lower one stays). Without ``effect``, ``cap``: what the engine has
    always computed, so that no stored grade changes silently."""

    code: Code
    text: Text
    grade: Name
    effect: VetoEffect = "cap"
    basis: list[Basis] = Field(default_factory=list)
    en: TextEn | None = None


class CountGrade(Strict):
    """ "N or more aggravated occurrences: the grade is at most ``grade``" (2起以上，评为不合格)."""

    count: Annotated[int, Field(ge=1, le=10_000)]
    grade: Name


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
    report_title: Name | None = (
        None  # the reports' and templates' title (默认: 网络安全工作责任制督查检查)
    )
    notes: Text | None = None
    total: PositivePoints
    final_cap: PositivePoints | None = None
    bonus_beyond_cap: bool = False  # the bonus is added on top of final_cap
    rectify_days: Annotated[int, Field(ge=1, le=3650)] = 30
    self_gap_flag: PositivePoints = Decimal(10)
    laws: list[Law] = Field(default_factory=list)
    groups: Annotated[list[Group], Field(min_length=1)]
    tags: list[Tag] = Field(default_factory=list)
    categories: Annotated[list[Category], Field(min_length=1)]
    veto: list[Veto] = Field(default_factory=list)
    aggravated: list[Aggravated] = Field(default_factory=list)
    aggravated_cap: PositivePoints | None = None  # at most this much taken in all
    aggravated_grades: list[CountGrade] = Field(default_factory=list)
    bonus: Bonus | None = None
    grades: Annotated[list[Grade], Field(min_length=1)]
    # item codes of an earlier version of the set → this version's (results compared across
    # rounds by item code); a code missing here is the same code in both
    mapping: dict[Code, Code] = Field(default_factory=dict)
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

    def current_code(self, code: str) -> str:
        """An earlier version's item code as this set names it (``mapping``)."""
        return self.mapping.get(code, code)

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

    def grade_order(self) -> list[Grade]:
        """The grades, best first (by their bands)."""
        return sorted(self.grades, key=lambda g: g.min, reverse=True)

    def grade_position(self, name: str) -> int:
        """0 for the best grade, 1 for the next…; an unknown name after every grade."""
        names = [g.name for g in self.grade_order()]
        return names.index(name) if name in names else len(names)

    @property
    def highest(self) -> Decimal:
        """The highest final score a unit can reach."""
        bonus = self.bonus.cap if self.bonus is not None and self.bonus_beyond_cap else 0
        return self.cap + bonus


def localized(obj: object, field: str, lang: str) -> object:
    """The English text of ``field`` when asked for and present, else the Chinese original."""
    if lang == "en":
        en = getattr(obj, "en", None)
        value = getattr(en, field, None) if en is not None else None
        if value is not None:
            return value
    return getattr(obj, field)
