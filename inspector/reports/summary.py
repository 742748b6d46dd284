"""总体情况: what page 1 of the leadership workbook says, as figures and as sentences.

The figures are worked out once (``Overview``) from the ranked unit summaries, the weakest
items, the ledger's counts and last year's stored results; the sentences are made from those
same figures, so the text cannot say anything the tables do not. Averages are over finished
units, as on every sheet. The draft 通报 (``reports/notice``) says the same sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from inspector.core.scoring import fmt, round2
from inspector.reports.data import RankedGroups, ReportContext, UnitSummary, WeakItem
from inspector.reports.trend import RoundFigures, movement
from inspector.store.ledger import Counts

TOP_PER_GROUP = 3
WEAK_ITEMS = (3, 5)  # at least, at most
MOVERS = 3
ZERO = Decimal(0)


@dataclass(frozen=True)
class GroupFigures:
    code: str
    name: str
    units: int
    finished: int
    average: Decimal | None  # rounded once, to cents
    grades: tuple[int, ...]  # per grade, best first
    vetoed: int
    top: tuple[UnitSummary, ...]


@dataclass(frozen=True)
class LastYear:
    round_name: str
    average: Decimal | None  # rounded once
    problems: int  # last year's problems (withdrawn aside)
    rectified: int  # of which done or closed (there or carried into this round)
    risers: tuple[tuple[UnitSummary, int], ...]  # (unit, places gained)
    fallers: tuple[tuple[UnitSummary, int], ...]

    @property
    def rate(self) -> Decimal | None:
        return Decimal(self.rectified) / self.problems if self.problems else None


@dataclass(frozen=True)
class Overview:
    units: int
    finished: int
    average: Decimal | None  # over finished units, rounded once
    grades: tuple[tuple[str, int], ...]  # (grade name, units), best first
    groups: tuple[GroupFigures, ...]
    failed: tuple[UnitSummary, ...]  # graded in the lowest band (vetoed or by score)
    weak: tuple[WeakItem, ...]
    inflated: tuple[UnitSummary, ...]  # total gap flagged
    unfinished: tuple[UnitSummary, ...]
    problems: int  # this year's ledger
    last_year: LastYear | None


def mean(values: Sequence[Decimal]) -> Decimal | None:
    """The average, rounded once (to cents, half up): the figure every sheet prints."""
    return round2(sum(values, ZERO) / len(values)) if values else None


def overview(
    ctx: ReportContext,
    groups: RankedGroups,
    weakest: Sequence[WeakItem],
    ledger: dict[int, Counts],
    before: RoundFigures | None,
    carried: tuple[int, int] | None,
) -> Overview:
    """The figures of 总体情况."""
    grades = ctx.indicators.grade_order()
    everyone = [s for _, members in groups for s in members]
    finished = [s for s in everyone if s.inspection.complete]
    group_figures = []
    for code, members in groups:
        done = [s for s in members if s.inspection.complete]
        group_figures.append(
            GroupFigures(
                code,
                ctx.group_name(code),
                len(members),
                len(done),
                mean([s.inspection.total for s in done]),
                tuple(sum(1 for s in done if s.inspection.grade == g.name) for g in grades),
                sum(1 for s in done if s.inspection.veto),
                tuple(s for s in members if s.rank is not None)[:TOP_PER_GROUP],
            )
        )
    weak = [w for w in weakest if w.rate is not None and w.rate < 1]
    last_year = None
    if before is not None:
        moves = []
        for s in finished:
            stood = before.units.get(s.unit.id)
            moved = movement(s.rank, stood.rank if stood is not None else None)
            if moved:
                moves.append((s, moved))
        risers = sorted((m for m in moves if m[1] > 0), key=lambda m: (-m[1], m[0].unit.id))
        fallers = sorted((m for m in moves if m[1] < 0), key=lambda m: (m[1], m[0].unit.id))
        problems, rectified = carried or (0, 0)
        last_year = LastYear(
            before.round.name,
            mean([st.total for st in before.units.values() if st.complete]),
            problems,
            rectified,
            tuple(risers[:MOVERS]),
            tuple(fallers[:MOVERS]),
        )
    return Overview(
        len(everyone),
        len(finished),
        mean([s.inspection.total for s in finished]),
        tuple((g.name, sum(1 for s in finished if s.inspection.grade == g.name)) for g in grades),
        tuple(group_figures),
        tuple(s for s in finished if s.inspection.grade == ctx.failing_grade),
        tuple(weak[: WEAK_ITEMS[1]]),
        tuple(s for s in finished if ctx.flagged(s.gap) and s.gap is not None and s.gap > 0),
        tuple(s for s in everyone if not s.inspection.complete),
        sum(c.problems for c in ledger.values()),
        last_year,
    )


def pct(rate: Decimal) -> str:
    """A rate as the tables print it (0.0%)."""
    return f"{(rate * 100).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def paragraphs(
    ctx: ReportContext, view: Overview, numbering: str = "leaders.numbered"
) -> list[tuple[str, str]]:
    """The text of 总体情况 as (heading, paragraph) pairs, in the style of a 通报; the
    headings numbered by the message ``numbering`` (一、 on the sheet, （一） in the 通报)."""
    t = ctx.t
    sep = t("leaders.list_sep")
    out: list[tuple[str, str]] = []
    grades = sep.join(
        t("leaders.grade_count", grade=ctx.grade_name(name), count=count)
        for name, count in view.grades
    )
    text = t(
        "leaders.text.scope",
        units=view.units,
        finished=view.finished,
        average=fmt(view.average) if view.average is not None else "—",
        grades=grades,
    )
    out.append((t("leaders.head.overall"), text))

    tops = []
    for group in view.groups:
        if not group.top:
            continue
        names = sep.join(
            t("leaders.unit_score", unit=s.unit.name, total=fmt(s.inspection.total))
            for s in group.top
        )
        tops.append(
            t(
                "leaders.text.top",
                group=group.name,
                names=names,
                average=fmt(group.average) if group.average is not None else "—",
            )
        )
    if tops:
        out.append((t("leaders.head.top"), "".join(tops)))

    if view.failed:
        parts = []
        for s in view.failed:
            vetoes = ctx.veto_texts(s.inspection)
            if vetoes:
                parts.append(
                    t(
                        "leaders.text.failed_veto",
                        unit=s.unit.name,
                        total=fmt(s.inspection.total),
                        grade=ctx.grade_name(s.inspection.grade),
                        veto=sep.join(vetoes),
                    )
                )
            else:
                parts.append(
                    t(
                        "leaders.text.failed_score",
                        unit=s.unit.name,
                        total=fmt(s.inspection.total),
                        grade=ctx.grade_name(s.inspection.grade),
                    )
                )
        out.append((t("leaders.head.failed"), "".join(parts)))
    else:
        out.append((t("leaders.head.failed"), t("leaders.text.none_failed")))

    if view.weak:
        items = sep.join(
            t(
                "leaders.weak_item",
                code=w.item.code,
                item=ctx.item_name(w.item),
                rate=pct(w.rate) if w.rate is not None else "—",
                losing=w.losing,
            )
            for w in view.weak
        )
        out.append((t("leaders.head.weak"), t("leaders.text.weak", items=items)))

    if view.inflated:
        names = sep.join(
            t("leaders.gap_unit", unit=s.unit.name, gap=fmt(s.gap)) for s in view.inflated
        )
        out.append(
            (
                t("leaders.head.inflated"),
                t("leaders.text.inflated", names=names, threshold=fmt(ctx.threshold)),
            )
        )

    last = view.last_year
    if last is not None:
        parts = []
        if last.average is not None and view.average is not None:
            change = view.average - last.average
            parts.append(
                t(
                    "leaders.text.average_change",
                    round=last.round_name,
                    before=fmt(last.average),
                    now=fmt(view.average),
                    change=signed(change),
                )
            )
        if last.risers:
            parts.append(
                t(
                    "leaders.text.risers",
                    names=sep.join(
                        t("leaders.moved", unit=s.unit.name, places=arrow(n))
                        for s, n in last.risers
                    ),
                )
            )
        if last.fallers:
            parts.append(
                t(
                    "leaders.text.fallers",
                    names=sep.join(
                        t("leaders.moved", unit=s.unit.name, places=arrow(n))
                        for s, n in last.fallers
                    ),
                )
            )
        if last.rate is not None:
            parts.append(
                t(
                    "leaders.text.rectified",
                    problems=last.problems,
                    rectified=last.rectified,
                    rate=pct(last.rate),
                )
            )
        if parts:
            out.append((t("leaders.head.last_year"), "".join(parts)))

    if view.unfinished:
        names = sep.join(
            t(
                "leaders.unfinished_unit",
                unit=s.unit.name,
                answered=s.inspection.answered,
                total=s.inspection.to_answer,
            )
            for s in view.unfinished
        )
        out.append((t("leaders.head.unfinished"), t("leaders.text.unfinished", names=names)))
    numerals = t("leaders.numerals").split(",")
    return [
        (t(numbering, n=numerals[i % len(numerals)], text=head), text)
        for i, (head, text) in enumerate(out)
    ]


def signed(value: Decimal) -> str:
    text = fmt(value)
    return text if text.startswith("-") else "+" + text


def arrow(places: int | None) -> str:
    """名次变化 as the ranking sheet prints it: ↑3, ↓2, — (no change or no rank)."""
    if not places:
        return "—"
    return f"↑{places}" if places > 0 else f"↓{-places}"
