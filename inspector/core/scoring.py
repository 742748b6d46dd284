"""The scoring engine: pure functions from an indicator set and an assessment to results.

Arithmetic is exact ``Decimal``. Points carry at most two decimals and counts are integers, so
item scores, subtotals and sums are exact. Two values are rounded, to two decimals, half up
(89.475 → 89.48): the normalised base score (实有项目: earned ÷ applicable × total) and the final
score. Nothing here does I/O.

An item that applies but is not answered yet counts as full marks ("provisional"), which is how
扣分制 is read on site: the running total is full marks minus what was deducted so far. A result
is ``complete`` once every applicable item is answered; only complete results are ranked.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from inspector.core.assessment import Assessment, ItemAnswer
from inspector.core.forms import FULL, NA, RuleHit, form_of
from inspector.core.indicators.model import Category, Grade, IndicatorSet, Item, Veto
from inspector.decimals import fmt as fmt  # scores for people, kept importable from here

CENT = Decimal("0.01")
ZERO = Decimal(0)
K = TypeVar("K", bound=Hashable)


def round2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ItemResult:
    code: str
    category: str
    max: Decimal
    applies: bool  # part of the unit's 实有项目 by the set's applies_to
    answer: ItemAnswer | None
    score: Decimal | None  # None when unanswered, not applicable, or N/A
    hits: tuple[RuleHit, ...] = ()

    @property
    def answered(self) -> bool:
        return self.answer is not None

    @property
    def na(self) -> bool:
        return not self.applies or (self.answer is not None and self.answer.form == NA)

    @property
    def counted(self) -> bool:
        """Counts toward applicable points (applies, and not marked N/A)."""
        return not self.na

    @property
    def lost(self) -> Decimal:
        return self.max - self.score if self.score is not None else ZERO


@dataclass(frozen=True)
class CategoryResult:
    code: str
    points: Decimal  # the category's points in the set
    max: Decimal  # applicable points for this unit
    lost: Decimal

    @property
    def score(self) -> Decimal:
        return self.max - self.lost

    @property
    def rate(self) -> Decimal | None:
        """Score as a share of the applicable points (0..1), None when nothing applies."""
        return self.score / self.max if self.max else None


@dataclass(frozen=True)
class UnitResult:
    items: tuple[ItemResult, ...]
    categories: tuple[CategoryResult, ...]
    applicable: Decimal
    lost: Decimal
    base: Decimal
    aggravated: Decimal
    bonus: Decimal
    total: Decimal
    grade: str
    veto: tuple[str, ...]
    answered: int
    to_answer: int
    banded: str = ""  # the grade the total alone gives
    # what set the grade apart from its band: "veto", "aggravated" (an aggravated entry's
    # cap or a count of entries), None when the grade is the band's
    grade_by: str | None = None

    @property
    def complete(self) -> bool:
        return self.answered == self.to_answer

    @property
    def earned(self) -> Decimal:
        return self.applicable - self.lost

    def item(self, code: str) -> ItemResult | None:
        return next((r for r in self.items if r.code == code), None)


def score_item(
    item: Item, category: Category, answer: ItemAnswer | None, applies: bool
) -> ItemResult:
    """One item's result. Full marks and N/A are the same for every form; any other answer is
    scored by the item's form (an answer of another form, which ``check_answer`` never lets
    through, scores nothing)."""
    if not applies or answer is None or answer.form == NA:
        return ItemResult(item.code, category.code, item.points, applies, answer, None)
    if answer.form == FULL:
        return ItemResult(item.code, category.code, item.points, True, answer, item.points)
    form = form_of(item)
    if answer.form != form.answer_key:
        return ItemResult(item.code, category.code, item.points, True, answer, ZERO)
    score, hits = form.score(item, answer.value)
    return ItemResult(item.code, category.code, item.points, True, answer, score, hits)


def score_unit(
    indicators: IndicatorSet, group: str, tags: Iterable[str], assessment: Assessment
) -> UnitResult:
    tag_set = frozenset(tags)
    items: list[ItemResult] = []
    categories: list[CategoryResult] = []
    for category in indicators.categories:
        cat_max = ZERO
        cat_lost = ZERO
        for item in category.items:
            result = score_item(
                item, category, assessment.answers.get(item.code), item.applies(group, tag_set)
            )
            items.append(result)
            if result.counted:
                cat_max += item.points
                cat_lost += result.lost
        categories.append(CategoryResult(category.code, category.points, cat_max, cat_lost))

    applicable = sum((c.max for c in categories), ZERO)
    lost = sum((c.lost for c in categories), ZERO)
    if applicable == indicators.total:
        base = applicable - lost
    elif applicable:
        base = round2((applicable - lost) * indicators.total / applicable)
    else:
        base = ZERO

    aggravated = aggravated_points(indicators, assessment.aggravated)
    bonus = ZERO
    if indicators.bonus is not None:
        raw = sum(
            (adj.amount(assessment.bonus.get(adj.code, 0)) for adj in indicators.bonus.items), ZERO
        )
        bonus = min(raw, indicators.bonus.cap)
    if indicators.bonus_beyond_cap:  # the bonus goes on top of the cap (政府网站 sheets)
        total = round2(min(max(base - aggravated, ZERO), indicators.cap) + bonus)
    else:
        total = round2(min(max(base - aggravated + bonus, ZERO), indicators.cap))

    vetoes = tuple(v for v in indicators.veto if v.code in assessment.veto)
    banded = indicators.grade_for(total)
    grade, grade_by = decide_grade(indicators, banded, vetoes, assessment.aggravated)

    to_answer = sum(1 for r in items if r.applies)
    answered = sum(1 for r in items if r.applies and r.answered)
    return UnitResult(
        items=tuple(items),
        categories=tuple(categories),
        applicable=applicable,
        lost=lost,
        base=base,
        aggravated=aggravated,
        bonus=bonus,
        total=total,
        grade=grade.name,
        veto=tuple(v.code for v in vetoes),
        answered=answered,
        to_answer=to_answer,
        banded=banded.name,
        grade_by=grade_by,
    )


def aggravated_points(indicators: IndicatorSet, counts: Mapping[str, int]) -> Decimal:
    """The aggravated deductions taken: each entry's amount, the sum within ``aggravated_cap``."""
    taken = sum((adj.amount(counts.get(adj.code, 0)) for adj in indicators.aggravated), ZERO)
    cap = indicators.aggravated_cap
    return min(taken, cap) if cap is not None else taken


def decide_grade(
    indicators: IndicatorSet,
    banded: Grade,
    vetoes: Iterable[Veto],
    aggravated: Mapping[str, int],
) -> tuple[Grade, str | None]:
    """The grade, and what set it apart from the band ``banded`` the total falls in.

    Vetoes of effect ``force`` give their grade whatever the score (the worst of them if
    several apply). Then every cap applies: a ``cap`` veto's grade, an aggravated entry's
    ``grade_cap``, and ``aggravated_grades`` (N or more aggravated occurrences): the grade is
    at most each of them. Grades compare by their bands (``IndicatorSet.grade_order``).
    """
    position = indicators.grade_position
    caps: list[tuple[Grade, str]] = []
    forced: list[Grade] = []
    for veto in vetoes:
        named = indicators.grade(veto.grade)
        if named is None:
            continue
        if veto.effect == "force":
            forced.append(named)
        else:
            caps.append((named, "veto"))
    occurrences = 0
    for adj in indicators.aggravated:
        count = aggravated.get(adj.code, 0)
        if count <= 0:
            continue
        occurrences += count
        capped = indicators.grade(adj.grade_cap) if adj.grade_cap else None
        if capped is not None:
            caps.append((capped, "aggravated"))
    for rule in indicators.aggravated_grades:
        named = indicators.grade(rule.grade)
        if named is not None and occurrences >= rule.count:
            caps.append((named, "aggravated"))
    grade, cause = banded, None
    if forced:
        grade = max(forced, key=lambda g: position(g.name))
        cause = "veto"
    for capped, kind in caps:
        if position(capped.name) > position(grade.name):
            grade, cause = capped, kind
        elif capped.name == grade.name and kind == "veto" and cause is not None:
            cause = "veto"  # the same grade both ways: the veto is what decided it
    if grade.name == banded.name:
        cause = None
    return grade, cause


def rank_key(indicators: IndicatorSet, result: UnitResult) -> tuple[int, ...]:
    """The one ranking order: a smaller key ranks higher, equal keys share a rank.

    By grade first, best first in the set's grade order (``IndicatorSet.grade_order``), then
    by total within the grade, highest first (in cents: totals are rounded to two decimals,
    so the key is exact). So a unit whose veto forces 不合格 ranks after every unit graded
    above it, and first among the 不合格 units if its score is the highest there; a veto
    that only caps, and changes nothing, changes nothing in the ranking either. The store
    keeps this key with each result and ranks by it, so the order is decided here and
    nowhere else; changing it means bumping ``ENGINE_VERSION`` (``inspector.core.engine``),
    so that stored keys are computed again.
    """
    return (indicators.grade_position(result.grade), -int(result.total * 100))


def rank_within_groups(
    indicators: IndicatorSet, entries: Iterable[tuple[K, str, UnitResult]]
) -> dict[K, int | None]:
    """Sport ranking (1, 2, 2, 4) inside each group, in ``rank_key`` order.

    Incomplete results are not ranked (None). Ties keep their input order, so the result is
    stable for the same input.
    """
    ranks: dict[K, int | None] = {}
    by_group: dict[str, list[tuple[K, tuple[int, ...]]]] = {}
    for key, group, result in entries:
        ranks[key] = None
        if result.complete:
            by_group.setdefault(group, []).append((key, rank_key(indicators, result)))
    for members in by_group.values():
        members.sort(key=lambda entry: entry[1])
        previous: tuple[int, ...] | None = None
        rank = 0
        for position, (key, order) in enumerate(members, start=1):
            if order != previous:
                rank = position
                previous = order
            ranks[key] = rank
    return ranks


def default_problem(item: Item, result: ItemResult, lang: str) -> str | None:
    """The problem text when the assessor gave none, in the item's form's words (the rules
    applied, a level below the top); None for full marks, N/A and unanswered items."""
    answer = result.answer
    if answer is None or result.score is None:
        return None
    form = form_of(item)
    if answer.form != form.answer_key:
        return None
    return form.default_problem(item, answer.value, result.hits, lang)


def problem_text(item: Item, result: ItemResult, lang: str) -> str | None:
    """What the unit is told is wrong with this item: the assessor's words, else the default."""
    if result.answer is not None and result.answer.problem:
        return result.answer.problem
    return default_problem(item, result, lang)


def default_rectify(item: Item, result: ItemResult, lang: str) -> str | None:
    """The rectification the item's form asks for when the assessor wrote none (a check-only
    item's checks carry theirs); None: the reports' general wording."""
    answer = result.answer
    if answer is None or result.score is None:
        return None
    form = form_of(item)
    if answer.form != form.answer_key:
        return None
    return form.default_rectify(item, answer.value, result.hits, lang)
