"""Self-assessment against inspection: the gaps per item, per category and in total.

A gap is self minus inspection, so a positive gap means the unit scored itself higher than the
inspectors did (possible 自评不实). The threshold (the set's ``self_gap_flag``, 10 points by
default) applies to the total; an item or a category is flagged at the same share of its own
points (10 of 100 → 10 %, so 0.4 of a 4-point item), because a 10-point gap can never happen
inside one item. Flags are words and a mark, never colour alone.

Only what both sides have decided is compared: an item unanswered on either side has no gap,
and a category gets one only when all its items are answered on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from inspector.core.indicators.model import IndicatorSet, localized
from inspector.core.indicators.views import number
from inspector.core.scoring import ItemResult, UnitResult
from inspector.store.overview import UnitStatus

Flag = Literal["higher", "lower", "na_differs"]


@dataclass(frozen=True)
class Gap:
    code: str
    max: Decimal
    self_score: Decimal | None
    inspection: Decimal | None
    gap: Decimal | None
    flag: Flag | None
    category: str | None = None  # the item's category code (None for a category row)
    self_na: bool = False
    inspection_na: bool = False


@dataclass(frozen=True)
class Comparison:
    unit: str
    round_name: str
    threshold: Decimal
    ratio: Decimal  # share of an item's or category's points that flags it
    categories: tuple[Gap, ...]
    items: tuple[Gap, ...]
    total: Gap
    self_complete: bool
    inspection_complete: bool

    @property
    def flagged(self) -> int:
        rows = (*self.categories, *self.items, self.total)
        return sum(1 for g in rows if g.flag is not None)


def gap_limit(points: Decimal, threshold: Decimal, total: Decimal) -> Decimal:
    """The gap that flags a part worth ``points`` (an item, a category: the unit's applicable
    points in it): the same share of its points as ``threshold`` is of the set's ``total``.
    The one rule for ``compare``, the workbooks' 自评对比 and the unit's feedback."""
    return points * threshold / total


def part_flagged(gap: Decimal | None, points: Decimal, threshold: Decimal, total: Decimal) -> bool:
    """Whether a category's (or an item's) gap reaches its share (``gap_limit``)."""
    return _flag(gap, gap_limit(points, threshold, total)) is not None


def _flag(gap: Decimal | None, limit: Decimal) -> Flag | None:
    # no gap, no flag: a check-only item or a category N/A as a whole has 0 points (limit 0)
    if gap is None or gap == 0 or abs(gap) < limit:
        return None
    return "higher" if gap > 0 else "lower"


def _item_gap(
    own: ItemResult, other: ItemResult, category: str, threshold: Decimal, total: Decimal
) -> Gap:
    self_na = own.answered and own.na
    insp_na = other.answered and other.na
    if self_na != insp_na:
        return Gap(own.code, own.max, None, None, None, "na_differs", category, self_na, insp_na)
    if not own.answered or not other.answered or self_na:
        return Gap(
            own.code, own.max, own.score, other.score, None, None, category, self_na, insp_na
        )
    assert own.score is not None and other.score is not None
    gap = own.score - other.score
    return Gap(
        own.code,
        own.max,
        own.score,
        other.score,
        gap,
        _flag(gap, gap_limit(own.max, threshold, total)),
        category,
    )


def compare(
    status: UnitStatus, indicators: IndicatorSet, round_name: str, threshold: Decimal | None = None
) -> Comparison:
    """The comparison of a unit's stored self-assessment with its inspection result."""
    own: UnitResult | None = status.self_result
    other = status.inspection
    assert own is not None
    limit = threshold if threshold is not None else indicators.self_gap_flag
    ratio = limit / indicators.total
    items: list[Gap] = []
    complete_in: dict[str, bool] = {}
    for mine, theirs in zip(own.items, other.items, strict=True):
        if not mine.applies:
            continue
        gap = _item_gap(mine, theirs, mine.category, limit, indicators.total)
        items.append(gap)
        both = mine.answered and theirs.answered and gap.flag != "na_differs"
        complete_in[mine.category] = complete_in.get(mine.category, True) and both
    categories = []
    for mine_cat, theirs_cat in zip(own.categories, other.categories, strict=True):
        if mine_cat.code not in complete_in:
            continue  # nothing of this category applies to the unit
        if complete_in[mine_cat.code]:
            gap = mine_cat.score - theirs_cat.score
            flag = _flag(gap, gap_limit(mine_cat.max, limit, indicators.total))
        else:
            gap, flag = None, None
        # the unit's applicable points of the category (its 实有项目), not the set's points
        categories.append(
            Gap(mine_cat.code, mine_cat.max, mine_cat.score, theirs_cat.score, gap, flag)
        )
    both_complete = own.complete and other.complete
    total_gap = own.total - other.total if both_complete else None
    total = Gap(
        "total",
        indicators.cap,
        own.total if own.complete else None,
        other.total if other.complete else None,
        total_gap,
        _flag(total_gap, limit),
    )
    return Comparison(
        status.unit.name,
        round_name,
        limit,
        ratio,
        tuple(categories),
        tuple(items),
        total,
        own.complete,
        other.complete,
    )


def _num(value: Decimal | None) -> int | float | None:
    return number(value) if value is not None else None


def _gap_json(gap: Gap, name: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {"code": gap.code}
    if name is not None:
        data["name"] = name
    data.update(
        max=number(gap.max),
        self=_num(gap.self_score),
        inspection=_num(gap.inspection),
        gap=_num(gap.gap),
        flag=gap.flag,
    )
    if gap.category is not None:
        data["category"] = gap.category
        data["self_na"] = gap.self_na
        data["inspection_na"] = gap.inspection_na
    return data


def comparison_json(comparison: Comparison, indicators: IndicatorSet, lang: str) -> dict[str, Any]:
    names = {c.code: str(localized(c, "name", lang)) for c in indicators.categories}
    names.update({it.code: str(localized(it, "name", lang)) for _, it in indicators.items()})
    return {
        "unit": comparison.unit,
        "round": comparison.round_name,
        "threshold": number(comparison.threshold),
        "item_ratio": number(comparison.ratio),
        "self_complete": comparison.self_complete,
        "inspection_complete": comparison.inspection_complete,
        "total": _gap_json(comparison.total, None),
        "categories": [_gap_json(g, names.get(g.code)) for g in comparison.categories],
        "items": [_gap_json(g, names.get(g.code)) for g in comparison.items],
        "flagged": comparison.flagged,
    }
