"""What the reports say, as plain values: no openpyxl here, so it is quick to test.

Everything is derived from one ``RoundOverview`` (the same one the terminal views use), so a
workbook cannot disagree with ``inspector status`` or ``inspector show``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from inspector.core.assessment import ItemAnswer
from inspector.core.forms import NA, form_of
from inspector.core.indicators.model import Category, IndicatorSet, Item, localized
from inspector.core.scoring import ItemResult, UnitResult, fmt, problem_text
from inspector.i18n import tl
from inspector.store.overview import RoundOverview, UnitStatus
from inspector.store.workspace import StoredAssessment

ZERO = Decimal(0)


def parse_day(text: str | None) -> date | None:
    """A stored ISO date (or the date part of an ISO timestamp), else None."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class ProblemRow:
    """One line of the problem and rectification ledger."""

    unit: str
    group: str
    code: str
    name: str
    deduction: str
    lost: Decimal | None
    problem: str
    rectify: str
    deadline: date | str | None
    status: str
    basis: str


@dataclass(frozen=True)
class WeakItem:
    """An item across all units: how the city as a whole did on it."""

    category: Category
    item: Item
    scored: int  # units with a score on this item
    rate: Decimal | None  # average score rate (0..1) over those units
    losing: int  # units that lost points on it
    lost: Decimal  # points lost on it, all units together
    causes: tuple[tuple[str, int], ...]  # (rule or level text, units), most frequent first


@dataclass(frozen=True)
class ReportContext:
    """A round's overview plus the choices of this export: language, gap threshold, date."""

    overview: RoundOverview
    lang: str
    threshold: Decimal
    today: date

    @property
    def indicators(self) -> IndicatorSet:
        return self.overview.indicators

    def t(self, key: str, /, **params: Any) -> str:
        return tl(self.lang, key, **params)

    def text(self, obj: object, field: str) -> str:
        return str(localized(obj, field, self.lang))

    # --- names ---------------------------------------------------------------------------

    def date_text(self, day: date) -> str:
        return self.t("report.date", year=day.year, month=day.month, day=day.day)

    def group_name(self, code: str) -> str:
        group = self.indicators.group(code)
        return self.text(group, "name") if group is not None else code

    def grade_name(self, name: str) -> str:
        grade = self.indicators.grade(name)
        return self.text(grade, "name") if grade is not None else name

    def category_header(self, category: Category) -> str:
        return self.t(
            "report.col.category_header",
            code=category.code,
            name=self.text(category, "name"),
            points=fmt(category.points),
        )

    @cached_property
    def failing_grade(self) -> str:
        """The lowest band (不合格): printed in bold so it stands out without colour."""
        return min(self.indicators.grades, key=lambda g: g.min).name

    def grade_label(self, result: UnitResult) -> str:
        label = self.grade_name(result.grade)
        return label + self.t("report.vetoed") if result.veto else label

    def veto_texts(self, result: UnitResult) -> list[str]:
        by_code = {v.code: v for v in self.indicators.veto}
        return [f"{code} {self.text(by_code[code], 'text')}" for code in result.veto]

    # --- units -----------------------------------------------------------------------------

    def groups(self) -> list[tuple[str, list[UnitStatus]]]:
        """Units per group, in the set's group order, ranked first."""
        return self.overview.groups()

    def ordered_units(self) -> list[UnitStatus]:
        return [status for _, members in self.groups() for status in members]

    def flagged(self, gap: Decimal | None) -> bool:
        return gap is not None and abs(gap) >= self.threshold

    def state_note(self, status: UnitStatus) -> str | None:
        """Why a unit is not ranked, if it is not."""
        result = status.inspection
        if result.answered == 0:
            return self.t("report.note.not_started")
        if not result.complete:
            return self.t(
                "report.note.incomplete", answered=result.answered, total=result.to_answer
            )
        return None

    def self_note(self, status: UnitStatus) -> str | None:
        if status.self_result is None:
            return self.t("report.note.no_self")
        if not status.self_result.complete:
            return self.t(
                "report.note.self_incomplete",
                answered=status.self_result.answered,
                total=status.self_result.to_answer,
            )
        return None

    def remarks(self, status: UnitStatus) -> str:
        """The summary's remark column: incomplete, vetoed, possible false self-assessment."""
        parts = []
        note = self.state_note(status)
        if note:
            parts.append(note)
        for veto in self.veto_texts(status.inspection):
            parts.append(self.t("report.note.veto", text=veto))
        if status.inspection.answered and status.inspection.aggravated:
            items = self.aggravated_items(status.stored)
            parts.append(self.t("report.note.aggravated", items=items))
        if status.inspection.answered and status.inspection.bonus:
            parts.append(self.t("report.note.bonus", items=self.bonus_items(status.stored)))
        if self.flagged(status.gap):
            parts.append(self.t("report.flag.self_gap"))
        else:
            self_note = self.self_note(status)
            if self_note and status.inspection.answered:
                parts.append(self_note)
        return self.t("problem.separator").join(parts)

    def aggravated_items(self, stored: StoredAssessment) -> str:
        """The aggravated deductions recorded, in words."""
        parts = [
            self._adjustment(adj, stored.aggravated[adj.code])
            for adj in self.indicators.aggravated
            if stored.aggravated.get(adj.code)
        ]
        return self.t("problem.separator").join(parts)

    def bonus_items(self, stored: StoredAssessment) -> str:
        entries = self.indicators.bonus.items if self.indicators.bonus else []
        parts = [
            self._adjustment(adj, stored.bonus[adj.code])
            for adj in entries
            if stored.bonus.get(adj.code)
        ]
        return self.t("problem.separator").join(parts)

    def _adjustment(self, adj: Any, count: int) -> str:
        text = self.text(adj, "text")
        if adj.per_occurrence:
            text = self.t("problem.count", text=text, count=count, per=self.text(adj, "per"))
        return text

    # --- items -----------------------------------------------------------------------------

    def item_name(self, item: Item) -> str:
        return self.text(item, "name")

    def deduction_text(self, item: Item, result: ItemResult) -> str:
        """How the score came about, in words: the rules applied, the level, the direct score."""
        answer = result.answer
        if not result.applies:
            return self.t("report.na_rule")
        if answer is None:
            return ""
        if answer.form == NA:
            return self.t("report.na_reason", reason=answer.na_reason or "—")
        form = form_of(item)
        if answer.form != form.answer_key or result.score is None:
            return ""
        return form.explain(item, answer.value, result.score, result.hits, self.lang)

    def problem(self, item: Item, result: ItemResult) -> str:
        return problem_text(item, result, self.lang) or ""

    def rectify(self, item: Item, answer: ItemAnswer | None) -> str:
        if answer is not None and answer.rectify:
            return answer.rectify
        return self.t("report.rectify_default", item=self.item_name(item))

    def basis_text(self, item: Item) -> str:
        parts = []
        for basis in item.basis:
            law = self.indicators.law(basis.law)
            title = self.text(law, "title") if law is not None else basis.law
            version = self.text(law, "version") if law is not None else ""
            parts.append(
                self.t(
                    "report.basis", law=title, version=version, article=self.text(basis, "article")
                )
            )
        return self.t("problem.separator").join(parts)

    def deadline(
        self, item: Item | None, answer: ItemAnswer | None, scored_at: str | None
    ) -> date | str | None:
        """The item's own deadline, else the round's, else the scoring date plus the item's
        (or the set's) rectification days."""
        if answer is not None and answer.deadline:
            return parse_day(answer.deadline) or answer.deadline
        round_deadline = self.overview.round.deadline
        if round_deadline:
            return parse_day(round_deadline) or round_deadline
        scored = parse_day(scored_at)
        if scored is None:
            return None
        days = item.rectify_days if item is not None and item.rectify_days else None
        return scored + timedelta(days=days or self.indicators.rectify_days)

    def item_rows(self, result: UnitResult) -> Iterator[tuple[Category, Item, ItemResult]]:
        by_code = {r.code: r for r in result.items}
        for category, item in self.indicators.items():
            yield category, item, by_code[item.code]

    # --- the problem ledger ----------------------------------------------------------------

    def problems(self, status: UnitStatus) -> list[ProblemRow]:
        """The unit's problems in set order: items that lost points or carry a problem text,
        then aggravated deductions and vetoes."""
        rows = []
        result = status.inspection
        unit = status.unit
        pending = self.t("report.status.pending")
        for _, item, r in self.item_rows(result):
            if r.score is None or r.answer is None:
                continue
            if r.lost <= 0 and not r.answer.problem:
                continue
            stored = status.stored.items.get(item.code)
            rows.append(
                ProblemRow(
                    unit.name,
                    unit.group,
                    item.code,
                    self.item_name(item),
                    self.deduction_text(item, r),
                    r.lost,
                    self.problem(item, r),
                    self.rectify(item, r.answer),
                    self.deadline(item, r.answer, stored.scored_at if stored else None),
                    pending,
                    self.basis_text(item),
                )
            )
        when = self.deadline(None, None, status.stored.updated_at)
        for adj in self.indicators.aggravated:
            count = status.stored.aggravated.get(adj.code, 0)
            if not count:
                continue
            rows.append(
                ProblemRow(
                    unit.name,
                    unit.group,
                    adj.code,
                    self.t("report.aggravated"),
                    self.t(
                        "report.hit",
                        text=self._adjustment(adj, count),
                        points=fmt(adj.amount(count)),
                    ),
                    adj.amount(count),
                    self._adjustment(adj, count),
                    self.t("report.rectify_adjustment"),
                    when,
                    pending,
                    "",
                )
            )
        for veto in self.indicators.veto:
            if veto.code not in result.veto:
                continue
            rows.append(
                ProblemRow(
                    unit.name,
                    unit.group,
                    veto.code,
                    self.t("report.veto"),
                    self.t("report.veto_effect", grade=self.grade_name(veto.grade)),
                    None,
                    self.text(veto, "text"),
                    self.t("report.rectify_adjustment"),
                    when,
                    pending,
                    "",
                )
            )
        return rows

    # --- across units ----------------------------------------------------------------------

    def complete_units(self) -> list[UnitStatus]:
        return [s for s in self.ordered_units() if s.inspection.complete]

    def category_averages(self, members: list[UnitStatus] | None = None) -> list[Decimal | None]:
        """Average score rate per category over complete units (None where nothing applies)."""
        units = [s for s in (members if members is not None else self.ordered_units())]
        units = [s for s in units if s.inspection.complete]
        averages: list[Decimal | None] = []
        for index in range(len(self.indicators.categories)):
            rates = [
                rate for s in units if (rate := s.inspection.categories[index].rate) is not None
            ]
            averages.append(sum(rates, ZERO) / len(rates) if rates else None)
        return averages

    def weakest_items(self) -> list[WeakItem]:
        """Per item over every unit's inspection: worst average score rate first."""
        units = self.ordered_units()
        weak = []
        for category, item in self.indicators.items():
            rates: list[Decimal] = []
            losing = 0
            lost = ZERO
            causes: Counter[str] = Counter()
            for status in units:
                r = status.inspection.item(item.code)
                if r is None or r.score is None:
                    continue
                rates.append(r.score / r.max)
                if r.lost > 0:
                    losing += 1
                    lost += r.lost
                    for cause in self._causes(item, r):
                        causes[cause] += 1
            weak.append(
                WeakItem(
                    category,
                    item,
                    len(rates),
                    sum(rates, ZERO) / len(rates) if rates else None,
                    losing,
                    lost,
                    tuple(sorted(causes.items(), key=lambda kv: (-kv[1], kv[0]))),
                )
            )
        position = {w.item.code: i for i, w in enumerate(weak)}
        return sorted(
            weak,
            key=lambda w: (
                w.rate is None,
                w.rate if w.rate is not None else ZERO,
                -w.losing,
                position[w.item.code],
            ),
        )

    def _causes(self, item: Item, r: ItemResult) -> list[str]:
        answer = r.answer
        form = form_of(item)
        if answer is None or answer.form != form.answer_key:
            return []
        return form.causes(item, answer.value, r.hits, self.lang)

    def cause_text(self, weak: WeakItem, limit: int = 3) -> str:
        return self.t("problem.separator").join(
            self.t("report.cause", text=text, units=count) for text, count in weak.causes[:limit]
        )


def gap(self_value: Decimal | None, inspection_value: Decimal | None) -> Decimal | None:
    if self_value is None or inspection_value is None:
        return None
    return self_value - inspection_value
