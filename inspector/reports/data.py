"""What the reports say, as plain values: no spreadsheet library here, so it is quick to test.

A report reads the round one unit at a time (``RoundSource``): each unit's answers are read,
scored with the engine (the same ``score_unit`` and ranking the terminal views use, so a
workbook cannot disagree with ``inspector status`` or ``inspector show``), turned into rows,
and dropped. What the round-wide sheets need is kept per unit as a ``UnitSummary`` (totals,
grade, category scores; no answers), and per item as a ``WeakTally``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any, TypeVar

from inspector.core.assessment import ItemAnswer, Unit
from inspector.core.forms import NA, form_of
from inspector.core.indicators.citations import short_citations
from inspector.core.indicators.model import Category, IndicatorSet, Item, localized
from inspector.core.indicators.titles import report_title
from inspector.core.scoring import (
    ItemResult,
    UnitResult,
    default_rectify,
    fmt,
    problem_text,
    score_unit,
)
from inspector.i18n import tl
from inspector.selfassess.compare import part_flagged
from inspector.store.overview import UnitStatus
from inspector.store.results import ensure_fresh
from inspector.store.results import ranks as stored_ranks
from inspector.store.round_extras import participants
from inspector.store.workspace import Round, StoredAssessment, Workspace

ZERO = Decimal(0)
T = TypeVar("T")


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


@dataclass(frozen=True, slots=True)
class Figures:
    """A result's figures without its items: what the round-wide sheets show of a unit."""

    scores: tuple[Decimal, ...]  # per category
    maxima: tuple[Decimal, ...]  # applicable points per category
    applicable: Decimal
    earned: Decimal
    base: Decimal
    aggravated: Decimal
    bonus: Decimal
    total: Decimal
    grade: str
    veto: tuple[str, ...]
    answered: int
    to_answer: int
    grade_by: str | None = None  # "veto" or "aggravated" where they set the grade

    @property
    def complete(self) -> bool:
        return self.answered == self.to_answer

    def rate(self, index: int) -> Decimal | None:
        """The category's score as a share of its applicable points (None: none apply)."""
        return self.scores[index] / self.maxima[index] if self.maxima[index] else None


class Interner:
    """One object per distinct value: a round's thousands of summaries hold a few hundred
    distinct scores, so each is kept once."""

    LIMIT = 100_000

    def __init__(self) -> None:
        self.values: dict[object, object] = {}

    def __call__(self, value: T) -> T:
        found = self.values.get(value)
        if found is not None:
            return found  # type: ignore[return-value]
        if len(self.values) < self.LIMIT:
            self.values[value] = value
        return value

    def figures(self, result: UnitResult) -> Figures:
        own = self
        return Figures(
            own(tuple(own(c.score) for c in result.categories)),
            own(tuple(own(c.max) for c in result.categories)),
            own(result.applicable),
            own(result.earned),
            own(result.base),
            own(result.aggravated),
            own(result.bonus),
            own(result.total),
            result.grade,
            own(result.veto),
            result.answered,
            result.to_answer,
            result.grade_by,
        )


@dataclass(frozen=True, slots=True)
class UnitSummary:
    """What the round-wide sheets need of one unit: its figures, and its aggravated and bonus
    entries in words. A few hundred bytes, however many items."""

    unit: Unit
    inspection: Figures
    self_result: Figures | None
    aggravated_items: str = ""
    bonus_items: str = ""
    rank: int | None = None

    @property
    def gap(self) -> Decimal | None:
        """Self-assessed total minus inspection total, when both are complete."""
        if self.self_result is None or not self.self_result.complete:
            return None
        if not self.inspection.complete:
            return None
        return self.self_result.total - self.inspection.total


class RoundSource:
    """A round's units, read and scored one chunk of units at a time.

    Only the units themselves are held (name, group, code, tags); answers are read from the
    store, a chunk of ``CHUNK`` units per query, and scored as they are needed.
    """

    CHUNK = 100

    def __init__(self, ws: Workspace, round_: Round) -> None:
        self.ws = ws
        self.round = round_
        self.units: list[Unit] = participants(ws.conn, round_.id)  # the units taking part

    def ranks(self) -> dict[int, int | None]:
        """Every unit's rank in its group, from the results the store keeps current."""
        ensure_fresh(self.ws, self.round)
        return stored_ranks(self.ws.conn, self.round.id)

    def statuses(
        self, units: Iterable[Unit], ranks: dict[int, int | None] | None = None
    ) -> Iterator[UnitStatus]:
        """Each unit's stored assessments and results, in the order given."""
        indicators = self.round.indicators
        chosen = list(units)
        for start in range(0, len(chosen), self.CHUNK):
            chunk = chosen[start : start + self.CHUNK]
            ids = [unit.id for unit in chunk]
            inspections = self.ws.assessments(self.round, "inspection", ids)
            selves = self.ws.assessments(self.round, "self", ids)
            for unit in chunk:
                stored = inspections.get(unit.id) or StoredAssessment("inspection")
                own = selves.get(unit.id) or StoredAssessment("self")
                yield UnitStatus(
                    unit,
                    score_unit(indicators, unit.group, unit.tags, stored.assessment),
                    score_unit(indicators, unit.group, unit.tags, own.assessment)
                    if own.items
                    else None,
                    stored,
                    own,
                    ranks.get(unit.id) if ranks is not None else None,
                )


def rank_summaries(
    summaries: Iterable[UnitSummary], ranks: dict[int, int | None]
) -> list[UnitSummary]:
    """The summaries with their ranks in their groups, as the store keeps them."""
    return [replace(s, rank=ranks.get(s.unit.id)) for s in summaries]


RankedGroups = list[tuple[str, list[UnitSummary]]]


@dataclass(frozen=True)
class ReportContext:
    """A round plus the choices of this export: language, gap threshold, date."""

    round: Round
    lang: str
    threshold: Decimal
    today: date
    # texts that depend only on an item and a decision, worked out once per export
    _memo: dict[tuple[object, ...], str] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _interner: Interner = field(default_factory=Interner, init=False, repr=False, compare=False)

    MEMO_LIMIT = 50_000  # distinct decisions are few; a limit keeps hostile data bounded

    def _remember(self, key: tuple[object, ...], text: str) -> str:
        if len(self._memo) >= self.MEMO_LIMIT:
            self._memo.clear()
        self._memo[key] = text
        return text

    @staticmethod
    def _decision(item: Item, result: ItemResult) -> tuple[object, ...] | None:
        """What an item's derived texts depend on, unless it holds free text (an N/A reason)."""
        answer = result.answer
        if answer is None or answer.na_reason is not None:
            return None
        return (
            item.code,
            result.applies,
            answer.form,
            answer.value,
        )

    @property
    def indicators(self) -> IndicatorSet:
        return self.round.indicators

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

    @cached_property
    def report_title(self) -> str:
        """The set's title for reports (``report_title``), else the general wording."""
        return report_title(self.indicators, self.lang)

    def grade_label(self, result: UnitResult | Figures) -> str:
        """The grade, marked where a veto (or an aggravated entry) set it apart from the
        band of the score; a veto that changed nothing is not mentioned."""
        label = self.grade_name(result.grade)
        if result.grade_by == "veto":
            return label + self.t("report.vetoed")
        if result.grade_by == "aggravated":
            return label + self.t("format.grade.capped")
        return label

    def veto_texts(self, result: UnitResult | Figures) -> list[str]:
        by_code = {v.code: v for v in self.indicators.veto}
        return [f"{code} {self.text(by_code[code], 'text')}" for code in result.veto]

    # --- units -----------------------------------------------------------------------------

    def group_order(self, units: Iterable[Unit]) -> list[tuple[str, list[Unit]]]:
        """Units per group in the set's group order (then unknown groups by code), each in
        the office's own list order: how the problem ledger and the detail read."""
        order = [g.code for g in self.indicators.groups]
        grouped: dict[str, list[Unit]] = {}
        for unit in sorted(units, key=lambda u: u.id):
            grouped.setdefault(unit.group, []).append(unit)
        codes = order + sorted(set(grouped) - set(order))
        return [(code, grouped[code]) for code in codes if code in grouped]

    def ledger_order(self, units: Iterable[Unit]) -> list[Unit]:
        return [unit for _, members in self.group_order(units) for unit in members]

    def ranked_groups(
        self, summaries: Iterable[UnitSummary]
    ) -> list[tuple[str, list[UnitSummary]]]:
        """Units per group, in the set's group order, each ranked (unranked last)."""
        by_unit = {s.unit.id: s for s in summaries}
        result = []
        for code, members in self.group_order(s.unit for s in by_unit.values()):
            ranked = sorted(
                (by_unit[u.id] for u in members),
                key=lambda s: (s.rank is None, s.rank or 0, -s.inspection.total, s.unit.id),
            )
            result.append((code, ranked))
        return result

    def summarise(self, status: UnitStatus) -> UnitSummary:
        """What the round-wide sheets keep of a unit once its own rows are written."""
        result, own = status.inspection, status.self_result
        started = result.answered > 0
        return UnitSummary(
            status.unit,
            self._interner.figures(result),
            self._interner.figures(own) if own is not None else None,
            self.aggravated_items(status.stored) if started and result.aggravated else "",
            self.bonus_items(status.stored) if started and result.bonus else "",
            status.rank,
        )

    def flagged(self, gap: Decimal | None) -> bool:
        """A total gap (self − inspection) that reaches the threshold."""
        return gap is not None and gap != 0 and abs(gap) >= self.threshold

    def part_flagged(self, gap: Decimal | None, points: Decimal) -> bool:
        """A category's gap, against the same share of the unit's applicable points in it
        as the threshold is of the set's total (the rule of ``inspector compare``)."""
        return part_flagged(gap, points, self.threshold, self.indicators.total)

    def state_note(self, status: UnitStatus | UnitSummary) -> str | None:
        """Why a unit is not ranked, if it is not."""
        result = status.inspection
        if result.answered == 0:
            return self.t("report.note.not_started")
        if not result.complete:
            return self.t(
                "report.note.incomplete", answered=result.answered, total=result.to_answer
            )
        return None

    def self_note(self, status: UnitStatus | UnitSummary) -> str | None:
        if status.self_result is None:
            return self.t("report.note.no_self")
        if not status.self_result.complete:
            return self.t(
                "report.note.self_incomplete",
                answered=status.self_result.answered,
                total=status.self_result.to_answer,
            )
        return None

    def remarks(self, summary: UnitSummary) -> str:
        """The summary's remark column: incomplete, vetoed, possible false self-assessment."""
        parts = []
        note = self.state_note(summary)
        if note:
            parts.append(note)
        for veto in self.veto_texts(summary.inspection):
            parts.append(self.t("report.note.veto", text=veto))
        if summary.aggravated_items:
            parts.append(self.t("report.note.aggravated", items=summary.aggravated_items))
        if summary.bonus_items:
            parts.append(self.t("report.note.bonus", items=summary.bonus_items))
        if self.flagged(summary.gap):
            parts.append(self.t("report.flag.self_gap"))
        else:
            self_note = self.self_note(summary)
            if self_note and summary.inspection.answered:
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
        decision = self._decision(item, result)
        if decision is None:
            return self._deduction_text(item, result)
        key = ("deduction", *decision)
        found = self._memo.get(key)
        return (
            found if found is not None else self._remember(key, self._deduction_text(item, result))
        )

    def _deduction_text(self, item: Item, result: ItemResult) -> str:
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
        answer = result.answer
        decision = self._decision(item, result)
        if decision is None or (answer is not None and answer.problem):
            return problem_text(item, result, self.lang) or ""
        key = ("problem", *decision)
        found = self._memo.get(key)
        if found is None:
            found = self._remember(key, problem_text(item, result, self.lang) or "")
        return found

    def rectify(
        self, item: Item, answer: ItemAnswer | None, result: ItemResult | None = None
    ) -> str:
        if answer is not None and answer.rectify:
            return answer.rectify
        own = default_rectify(item, result, self.lang) if result is not None else None
        if own:  # what the item's form asks for (a check-only item's checks)
            return own
        key = ("rectify", item.code)
        found = self._memo.get(key)
        if found is None:
            text = self.t("report.rectify_default", item=self.item_name(item))
            found = self._remember(key, text)
        return found

    def basis_text(self, item: Item) -> str:
        key = ("basis", item.code)
        found = self._memo.get(key)
        return found if found is not None else self._remember(key, self._basis_text(item))

    def short_basis(self, code: str) -> str | None:
        """An item's legal basis as short citations (网安法第23条、关基条例第12条): what the
        ledger prints; the full text stays in 指标体系. None: no such item or no basis."""
        key = ("short_basis", code)
        found = self._memo.get(key)
        if found is None:
            item = self.indicators.item(code)
            text = short_citations(self.indicators, item.basis, self.lang) if item else ""
            found = self._remember(key, text)
        return found or None

    def _basis_text(self, item: Item) -> str:
        """The legal basis in full; the articles of one law cited in a row share its title
        (《…》（GB/T 22239-2019）8.1.8.1、8.1.8.2), which is printed once."""
        runs: list[tuple[str, list[str]]] = []
        for basis in item.basis:
            article = self.text(basis, "article")
            if runs and runs[-1][0] == basis.law:
                runs[-1][1].append(article)
            else:
                runs.append((basis.law, [article]))
        parts = []
        for code, articles in runs:
            law = self.indicators.law(code)
            title = self.text(law, "title") if law is not None else code
            version = self.text(law, "version") if law is not None else ""
            parts.append(
                self.t(
                    "report.basis",
                    law=title,
                    version=version,
                    article=self.t("report.basis_articles").join(articles),
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
        round_deadline = self.round.deadline
        if round_deadline:
            return parse_day(round_deadline) or round_deadline
        scored = parse_day(scored_at)
        if scored is None:
            return None
        days = item.rectify_days if item is not None and item.rectify_days else None
        return scored + timedelta(days=days or self.indicators.rectify_days)

    def item_rows(self, result: UnitResult) -> Iterator[tuple[Category, Item, ItemResult]]:
        """The set's items with the unit's result on each (the engine keeps the set's order)."""
        for (category, item), r in zip(self.indicators.items(), result.items, strict=True):
            yield category, item, r

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
            if r.lost <= 0 and not self.problem(item, r):
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
                    self.rectify(item, r.answer, r),
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
                    self.t(
                        "report.veto_effect"
                        if veto.effect == "force"
                        else "format.report.veto_cap",
                        grade=self.grade_name(veto.grade),
                    ),
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

    def category_averages(self, summaries: Iterable[UnitSummary]) -> list[Decimal | None]:
        """Average score rate per category over complete units (None where nothing applies)."""
        units = [s for s in summaries if s.inspection.complete]
        averages: list[Decimal | None] = []
        for index in range(len(self.indicators.categories)):
            rates = [rate for s in units if (rate := s.inspection.rate(index)) is not None]
            averages.append(sum(rates, ZERO) / len(rates) if rates else None)
        return averages

    def causes(self, item: Item, r: ItemResult) -> list[str]:
        answer = r.answer
        form = form_of(item)
        if answer is None or answer.form != form.answer_key:
            return []
        return form.causes(item, answer.value, r.hits, self.lang)

    def cause_text(self, weak: WeakItem, limit: int = 3) -> str:
        return self.t("problem.separator").join(
            self.t("report.cause", text=text, units=count) for text, count in weak.causes[:limit]
        )


@dataclass
class _ItemTally:
    rates: Decimal = ZERO  # sum of score rates
    scored: int = 0
    losing: int = 0
    lost: Decimal = ZERO
    causes: Counter[str] = field(default_factory=Counter)


class WeakTally:
    """Per item, over every unit's inspection as it streams past: how many units were
    scored, their score rates, who lost points and why."""

    def __init__(self, ctx: ReportContext) -> None:
        self.ctx = ctx
        self.items = [(c, i, _ItemTally()) for c, i in ctx.indicators.items()]

    def add(self, status: UnitStatus) -> None:
        ctx = self.ctx
        if not status.inspection.complete:
            return  # averages are over finished units, as on every sheet
        for (_, item, tally), r in zip(self.items, status.inspection.items, strict=True):
            if r.score is None or not r.max:  # a check-only item has no rate
                continue
            tally.scored += 1
            tally.rates += r.score / r.max
            if r.lost > 0:
                tally.losing += 1
                tally.lost += r.lost
                for cause in ctx.causes(item, r):
                    tally.causes[cause] += 1

    def weakest(self) -> list[WeakItem]:
        """Every item, worst average score rate first (then most units losing, set order)."""
        weak = [
            WeakItem(
                category,
                item,
                tally.scored,
                tally.rates / tally.scored if tally.scored else None,
                tally.losing,
                tally.lost,
                tuple(sorted(tally.causes.items(), key=lambda kv: (-kv[1], kv[0]))),
            )
            for category, item, tally in self.items
        ]
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


def gap(self_value: Decimal | None, inspection_value: Decimal | None) -> Decimal | None:
    if self_value is None or inspection_value is None:
        return None
    return self_value - inspection_value
