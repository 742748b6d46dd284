"""The leadership workbook of a round: cover, ranking, charts, category matrix, problem
ledger, common weaknesses, self vs inspection, score detail and the indicator set.

Written in one pass over the units: every sheet is opened in reading order first, then each
unit is read, scored and written to the problem ledger and the score detail (in the office's
unit order) and dropped, keeping only its summary. The sheets that rank or average the units
are written from the summaries once every unit has passed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from inspector.core.forms import form_of
from inspector.core.indicators.model import Adjustment, Item, localized
from inspector.core.scoring import ItemResult, fmt, round2
from inspector.io.xlsx_style import BODY_SIZE
from inspector.io.xlsx_writer import (
    ONE_LINE,
    Book,
    Column,
    Sheet,
    Span,
    fit_width,
    page_height,
    widest_printable,
)
from inspector.reports import charts
from inspector.reports.data import (
    RankedGroups,
    ReportContext,
    RoundSource,
    UnitSummary,
    WeakItem,
    WeakTally,
    gap,
    parse_day,
    rank_summaries,
)
from inspector.reports.ledger import CompactRow, LedgerRow, LedgerSource, group_counts
from inspector.reports.summary import Overview, arrow, overview, paragraphs
from inspector.reports.trend import RoundFigures, figures, previous_round
from inspector.store.ledger import Counts, carried_rectified
from inspector.store.overview import UnitStatus
from inspector.store.team import TeamUnits, team_units

DASH = "—"
# the widest landscape sheet whose body text prints at 10 pt or more when fitted to the width
PRINT_WIDTH = widest_printable(True, BODY_SIZE)
NUMBER_WIDTH = 6.5  # 92.58 at 11 pt, in Excel's narrower width unit
GAP_WIDTH = 5.8  # -0.75, 18.5
DEADLINE_WIDTH = 16  # 2026年12月20日 on one line: a date too wide for its cell shows ###
# colour scale of the category matrix: light tones that print as light greys in black and
# white, so the figure on top stays legible; the figure is always there
HEAT_COLORS = ("F8CBAD", "FFEB9C", "C6EFCE")


@dataclass
class Layout:
    """Where the ranked units of each group ended up on the summary sheet (for the charts)."""

    summary: Sheet | None = None
    unit_col: int = 1  # 0-based
    total_col: int = 0
    blocks: list[tuple[str, int, int]] = field(default_factory=list)  # (group, first, last)


@dataclass(frozen=True)
class Widths:
    """Column widths that depend on the round's names."""

    unit: float
    group: float
    category: float
    grade: float

    @classmethod
    def of(cls, ctx: ReportContext, unit_names: Sequence[str]) -> Widths:
        return cls(
            fit_width(unit_names, 12, 16),  # a longer name wraps
            fit_width([ctx.group_name(g.code) for g in ctx.indicators.groups], 8, 18),
            fit_width([ctx.text(c, "name") for c in ctx.indicators.categories], 10, 22),
            # a grade's name on one line; 不合格（否决） may take two, on the few rows it is
            fit_width([ctx.grade_name(g.name) for g in ctx.indicators.grades], 7, 14),
        )


def rest(columns: Sequence[Column], minimum: float, landscape: bool = True) -> float:
    """The width left for a sheet's last, free column (remarks, flags) by the others, so
    that the sheet prints its body at 10 pt at least; never under ``minimum``."""
    # two units to spare: LibreOffice rounds its zoom down to a whole percent, and shrinks a
    # little more than the widths alone ask where a row is very tall
    room = widest_printable(landscape, BODY_SIZE) - 2 - sum(c.width for c in columns)
    return max(minimum, math.floor(room * 10) / 10)


def dash(value: object) -> object:
    return DASH if value is None else value


def write_leadership(ctx: ReportContext, source: RoundSource, book: Book) -> list[UnitSummary]:
    """Every sheet, in the order leadership reads them; returns the ranked unit summaries."""
    widths = Widths.of(ctx, [u.name for u in source.units])
    cover = book.sheet(
        ctx.t("leaders.sheet.overview"), cover_columns(ctx), landscape=False, header_rows=0
    )
    previous = previous_round(source.ws, ctx.round)
    before = figures(source.ws, previous) if previous is not None else None
    summary = open_summary(ctx, book, widths, before is not None)
    chart_sheet = charts.open_charts(ctx, book, before is not None)
    matrix = open_matrix(ctx, book, widths)
    problems = open_problems(ctx, book)
    weak = open_weak(ctx, book)
    selfcmp = open_self(ctx, book, widths)
    detail = ScoreMatrix(ctx, book, widths)
    indicators = open_indicators(ctx, book)

    tally = WeakTally(ctx)
    summaries = []
    order = ctx.ledger_order(source.units)
    ledger = LedgerSource(source.ws, ctx, order)
    for status in source.statuses(order):
        compact_rows(problems, ledger.compact_rows(status.unit))
        detail.add(status)
        tally.add(status)
        summaries.append(ctx.summarise(status))
    problems.autofilter()

    ranked = rank_summaries(summaries, source.ranks())
    groups = ctx.ranked_groups(ranked)
    counts = ledger.counts()
    weakest = tally.weakest()
    carried = (
        carried_rectified(source.ws.conn, previous.id, ctx.round.id)
        if previous is not None
        else None
    )
    view = overview(ctx, groups, weakest, counts, before, carried)
    fill_overview(ctx, cover, groups, counts, view)
    teams_block(ctx, cover, team_units(source.ws, ctx.round))  # issue 10
    fill_summary(ctx, summary, groups, before, counts)
    charts.fill_charts(ctx, chart_sheet, groups, ranked, before)
    fill_matrix(ctx, matrix, groups, ranked)
    fill_weak(ctx, weak, weakest)
    fill_self(ctx, selfcmp, groups)
    detail.fill(groups)
    fill_indicators(ctx, indicators)
    return ranked


# --- 封面/说明 -------------------------------------------------------------------------------


def cover_columns(ctx: ReportContext) -> list[Column]:
    """Portrait: the key table's columns, narrow enough to print at 10 pt."""
    columns = [Column("", 18), Column("", 9), Column("", 9), Column("", 10)]
    return columns + [Column("", 9) for _ in ctx.indicators.grades] + [Column("", 12)]


def fill_overview(
    ctx: ReportContext,
    sheet: Sheet,
    groups: RankedGroups,
    ledger: dict[int, Counts],
    view: Overview,
) -> None:
    """Page 1: the round in a few sentences (``reports.summary``), then the key table per
    group and the rectification figures. The set's identity is at the end of 指标体系."""
    t = ctx.t
    sheet.title(t("leaders.title", title=ctx.report_title), subtitle(ctx))
    width = sheet.total_width - 1
    for heading, text in paragraphs(ctx, view):
        sheet.merged(heading, "guide_heading")
        sheet.merged(text, "note", height=sheet.height_for(text, width))
    sheet.blank()
    grades = ctx.indicators.grade_order()
    sheet.merged(t("leaders.key_table"), "section")
    sheet.headings(
        [
            t("report.col.group"),
            t("report.col.units"),
            t("report.col.complete"),
            t("leaders.col.average"),
            *[ctx.grade_name(g.name) for g in grades],
            t("report.col.vetoed"),
        ]
    )
    for group in view.groups:
        sheet.append(
            [
                (group.name, "text"),
                (group.units, "num"),
                (group.finished, "num"),
                (dash(group.average), "num"),
                *[(n, "num") for n in group.grades],
                (group.vetoed, "num"),
            ]
        )
    sheet.append(
        [
            (t("report.total_row"), "text_bold"),
            (view.units, "num_bold"),
            (view.finished, "num_bold"),
            (dash(view.average), "num_bold"),
            *[(n, "num_bold") for _, n in view.grades],
            (sum(g.vetoed for g in view.groups), "num_bold"),
        ]
    )
    sheet.blank()
    rectification_block(ctx, sheet, groups, ledger)


def meta_row(sheet: Sheet, label: str, value: object) -> None:
    """A key–value line of 指标体系's end: the label across the first two columns (the code
    column alone would wrap it a word a line), the value across the rest."""
    sheet.label_row(label, value, label_columns=2)


def metadata_block(ctx: ReportContext, sheet: Sheet) -> None:
    """The round and the set it was scored against (title, issuer, hash), the deadline, the
    date, and how to read the workbook: at the end of 指标体系."""
    t = ctx.t
    ind = ctx.indicators
    round_ = ctx.round
    sheet.blank()
    sheet.merged(t("leaders.meta"), "section")
    meta_row(sheet, t("report.cover.round"), round_.name)
    meta_row(
        sheet,
        t("report.cover.set"),
        t("report.cover.set_value", title=ctx.text(ind, "title"), version=ind.version),
    )
    meta_row(sheet, t("report.cover.issuer"), ctx.text(ind, "issuer"))
    meta_row(sheet, t("report.cover.hash"), round_.set_hash)
    deadline = parse_day(round_.deadline)
    meta_row(
        sheet,
        t("report.cover.deadline"),
        ctx.date_text(deadline)
        if deadline is not None
        else (round_.deadline or t("report.cover.deadline_per_item", days=ind.rectify_days)),
    )
    meta_row(sheet, t("report.cover.date"), ctx.date_text(ctx.today))
    sheet.blank()
    sheet.merged(t("report.cover.guide"), "section")
    width = sheet.total_width - 1
    for index, line in enumerate(guide_lines(ctx), start=1):
        text = t("report.cover.guide_line", n=index, text=line)
        sheet.merged(text, "note", height=sheet.height_for(text, width))


def teams_block(ctx: ReportContext, sheet: Sheet, teams: Sequence[TeamUnits]) -> None:
    """The teams (督查组) of the round, their members and the units each was assigned."""
    if not teams:
        return
    t = ctx.t
    sheet.blank()
    sheet.merged(t("team.report.section"), "section")
    width = sheet.total_width - 1
    for team in teams:
        text = t(
            "team.report.line",
            team=team.name,
            members="、".join(team.members) or DASH,
            units="、".join(team.units) or DASH,
        )
        sheet.merged(text, "note", height=sheet.height_for(text, width))


def rectification_block(
    ctx: ReportContext, sheet: Sheet, groups: RankedGroups, counts: dict[int, Counts]
) -> None:
    """Per group: problems, rectified, closed, 整改完成率, 销号率, overdue (as of the date)."""
    t = ctx.t
    sheet.merged(t("ledger.cover.title"), "section")
    sheet.headings(
        [
            t("report.col.group"),
            t("ledger.cover.problems"),
            t("ledger.cover.completed"),
            t("ledger.cover.closed"),
            t("ledger.cover.completion_rate"),
            t("ledger.cover.closing_rate"),
            t("ledger.cover.overdue"),
        ]
    )
    total = Counts()
    for code, members in groups:
        found = group_counts(counts, (s.unit for s in members))
        total = total + found
        sheet.append(rectification_cells(ctx.group_name(code), found, False))
    sheet.append(rectification_cells(t("report.total_row"), total, True))
    sheet.merged(t("ledger.cover.note", date=ctx.date_text(ctx.today)), "note")
    sheet.blank()


def rectification_cells(label: str, counts: Counts, bold: bool) -> list[tuple[object, str] | None]:
    num, pct = ("num_bold", "pct_bold") if bold else ("num", "pct")
    overdue_style = "num_bold" if bold or counts.overdue else "num"
    return [
        (label, "text_bold" if bold else "text"),
        (counts.problems, num),
        (counts.completed, num),
        (counts.closed, num),
        (dash(counts.completion_rate), pct),
        (dash(counts.closing_rate), pct),
        (counts.overdue, overdue_style),
    ]


def guide_lines(ctx: ReportContext) -> list[str]:
    t = ctx.t
    ind = ctx.indicators
    return [
        t(
            "report.guide.scope",
            total=fmt(ind.total),
            categories=len(ind.categories),
            items=sum(len(c.items) for c in ind.categories),
        ),
        t("report.guide.applicable", total=fmt(ind.total)),
        t(
            "format.guide.adjustments_beyond"
            if ind.bonus_beyond_cap
            else "format.guide.adjustments",
            cap=fmt(ind.cap),
        ),
        t("format.guide.grades"),
        t("format.guide.ranking"),
        t("report.guide.summary", sheet=t("report.sheet.summary")),
        t("report.guide.matrix", sheet=t("report.sheet.matrix")),
        t("ledger.guide", sheet=t("report.sheet.problems")),
        t("report.guide.weak", sheet=t("report.sheet.weak")),
        t("report.guide.self", sheet=t("report.sheet.selfcmp"), threshold=fmt(ctx.threshold)),
        t(
            "report.guide.detail",
            sheet=t("report.sheet.detail"),
            indicators=t("report.sheet.indicators"),
        ),
    ]


def subtitle(ctx: ReportContext) -> str:
    return ctx.t("report.subtitle", round=ctx.round.name, date=ctx.date_text(ctx.today))


# --- 汇总排名 -------------------------------------------------------------------------------


def open_summary(ctx: ReportContext, book: Book, widths: Widths, last_year: bool) -> Sheet:
    t = ctx.t
    columns = [
        Column(t("report.col.rank"), 5, "num"),
        Column(t("report.col.unit"), widths.unit, key=True),
    ]
    # figures such as 92.58 take 6.5 units; the headings above them wrap
    columns += [
        Column(ctx.category_header(c), NUMBER_WIDTH, "num") for c in ctx.indicators.categories
    ]
    columns += [
        Column(t("report.col.base"), NUMBER_WIDTH, "num"),
        Column(t("report.col.aggravated"), 6, "num"),
        Column(t("report.col.bonus"), 6, "num"),
        Column(t("report.col.veto"), 6, "center"),
        Column(t("report.col.total"), NUMBER_WIDTH, "num_bold"),
        Column(t("report.col.grade"), widths.grade, "center"),
        Column(t("report.col.self_total"), NUMBER_WIDTH, "num"),
        Column(t("report.col.gap"), 6, "num"),
    ]
    if last_year:
        columns += [
            Column(t("leaders.col.last_total"), NUMBER_WIDTH, "num"),
            Column(t("leaders.col.last_rank"), 5, "num"),
            Column(t("leaders.col.rank_change"), 5.5, "center"),
        ]
    columns.append(Column(t("leaders.col.problems"), 5, "num"))
    columns.append(Column(t("report.col.remark"), rest(columns, 12), "text"))
    sheet = book.sheet(t("report.sheet.summary"), columns, landscape=True, freeze_cols=2)
    sheet.title(t("format.report.summary", title=ctx.report_title), subtitle(ctx))
    sheet.headings()
    return sheet


def fill_summary(
    ctx: ReportContext,
    sheet: Sheet,
    groups: RankedGroups,
    before: RoundFigures | None = None,
    ledger: dict[int, Counts] | None = None,
) -> Layout:
    t = ctx.t
    layout = Layout(sheet, total_col=1 + len(ctx.indicators.categories) + 5)
    for code, members in groups:
        complete = sum(1 for s in members if s.inspection.complete)
        sheet.merged(
            t(
                "report.group_heading",
                group=ctx.group_name(code),
                units=len(members),
                complete=complete,
            ),
            "section",
        )
        first = sheet.row_index + 1
        last_ranked = first - 1
        for summary in members:
            row = sheet.row(*summary_values(ctx, summary, before, ledger or {}))
            if summary.rank is not None:
                last_ranked = row
        if last_ranked >= first:
            layout.blocks.append((code, first, last_ranked))
    return layout


def summary_values(
    ctx: ReportContext,
    summary: UnitSummary,
    before: RoundFigures | None = None,
    ledger: dict[int, Counts] | None = None,
) -> tuple[list[object], dict[int, str]]:
    result = summary.inspection
    started = result.answered > 0
    n = len(ctx.indicators.categories)
    values: list[object] = [dash(summary.rank), summary.unit.name]
    if started:
        values += result.scores
        values += [result.base, result.aggravated, result.bonus]
    else:
        values += [DASH] * (n + 3)
    values.append(" ".join(result.veto) if result.veto else DASH)
    values.append(result.total if started else DASH)
    grade = ctx.grade_label(result) if result.complete else DASH
    values.append(grade)
    own = summary.self_result
    self_total = own.total if own is not None and own.complete else None
    values += [dash(self_total), dash(summary.gap)]
    if before is not None:
        values += last_year_values(ctx, summary, before)
    counts = (ledger or {}).get(summary.unit.id)
    values += [counts.problems if counts is not None else 0, ctx.remarks(summary)]
    styles: dict[int, str] = {}
    grade_index = 2 + n + 5
    if result.complete and (result.veto or result.grade == ctx.failing_grade):
        styles[grade_index] = "center_bold"
    if ctx.flagged(summary.gap):
        styles[grade_index + 2] = "num_bold"
        styles[len(values) - 1] = "text_bold"  # the remark
    return values, styles


def last_year_values(
    ctx: ReportContext, summary: UnitSummary, before: RoundFigures
) -> list[object]:
    """上年得分, 上年名次, 名次变化 (↑3 / ↓2 / 新增 for a unit not in last year's round)."""
    stood = before.units.get(summary.unit.id)
    if stood is None:
        return [DASH, DASH, ctx.t("leaders.new")]
    moved = (
        stood.rank - summary.rank if stood.rank is not None and summary.rank is not None else None
    )
    return [
        stood.total if stood.complete else DASH,
        dash(stood.rank),
        arrow(moved),
    ]


# --- 分类得分 -------------------------------------------------------------------------------


def open_matrix(ctx: ReportContext, book: Book, widths: Widths) -> Sheet:
    t = ctx.t
    columns = [
        Column(t("report.col.group"), widths.group, "center", key=True),
        Column(t("report.col.unit"), widths.unit, key=True),
    ]
    columns += [Column(ctx.category_header(c), 11, "pct") for c in ctx.indicators.categories]
    columns += [
        Column(t("report.col.total"), 8, "num_bold"),
        Column(t("report.col.grade"), 13, "center"),
        Column(t("report.col.remark"), 22, "text"),
    ]
    sheet = book.sheet(t("report.sheet.matrix"), columns, landscape=True, freeze_cols=2)
    sheet.title(t("report.matrix.title"), t("report.matrix.subtitle", round=ctx.round.name))
    sheet.headings()
    return sheet


def fill_matrix(
    ctx: ReportContext, sheet: Sheet, groups: RankedGroups, everyone: Sequence[UnitSummary]
) -> None:
    t = ctx.t
    n = len(ctx.indicators.categories)
    first = sheet.row_index + 1
    for code, members in groups:
        for summary in members:
            result = summary.inspection
            started = result.answered > 0
            rates = [dash(result.rate(i)) if started else DASH for i in range(n)]
            values = [ctx.group_name(code), summary.unit.name, *rates]
            values += [
                result.total if started else DASH,
                ctx.grade_label(result) if result.complete else DASH,
                ctx.state_note(summary) or "",
            ]
            styles = {}
            if result.complete and (result.veto or result.grade == ctx.failing_grade):
                styles[2 + n + 1] = "center_bold"
            sheet.row(values, styles)
    last = sheet.row_index
    if last >= first and n:
        sheet.color_scale(first, 2, last, 1 + n, HEAT_COLORS)
    # averages over complete units, per group and for all
    for code, members in [*groups, ("", list(everyone))]:
        averages = ctx.category_averages(members)
        label = (
            t("report.average_group", group=ctx.group_name(code))
            if code
            else t("report.average_all")
        )
        totals = [s.inspection.total for s in members if s.inspection.complete]
        mean_total = sum(totals, Decimal(0)) / len(totals) if totals else None
        values = [
            label,
            None,
            *[dash(a) for a in averages],
            dash(_round2(mean_total)),
            "",
            t("report.average_note"),
        ]
        styles = {i: "pct_bold" for i in range(2, 2 + n)}
        styles[0] = "text_bold"
        height = sheet.height_for(label, sheet.widths[0] + sheet.widths[1])
        sheet.row(values, styles, height, spans=[Span(0, 1)])


def _round2(value: Decimal | None) -> Decimal | None:
    return round2(value) if value is not None else None


# --- 问题清单 -------------------------------------------------------------------------------


def ledger_columns(ctx: ReportContext, widths: Widths, with_unit: bool) -> list[Column]:
    """The 整改台账's columns: the problem as the inspection found it, then its rectification."""
    t = ctx.t
    columns = [Column(t("ledger.col.number"), 17, "center", key=True)]
    if with_unit:
        columns.append(Column(t("report.col.unit"), widths.unit, key=True))
    columns += [
        Column(t("report.col.code"), 7, "center", key=True),
        Column(t("report.col.item"), 12, key=True),
        Column(t("report.col.deduction"), 22),
        Column(t("report.col.lost"), 6, "num"),
        Column(t("report.col.problem"), 26),
        Column(t("report.col.rectify"), 22),
        Column(t("report.col.deadline"), DEADLINE_WIDTH, "date"),
        Column(t("report.col.status"), 10, "center"),
        Column(t("ledger.col.responsible"), 12),
        Column(t("ledger.col.measures"), 24),
        Column(t("ledger.col.completed"), DEADLINE_WIDTH, "date"),
        Column(t("ledger.col.evidence"), 18),
        Column(t("ledger.col.recheck"), 16),
        Column(t("ledger.col.closed"), DEADLINE_WIDTH, "date"),
        Column(t("ledger.col.remarks"), 12),
        Column(t("report.col.basis"), 24),
    ]
    return columns


# The compact ledger's columns (widths tuned on the demo's 147 problems with the writer's
# row-height estimator: the least total height for a sheet that prints at 10 pt on A4)
COMPACT_WIDTHS = (12, 9, 10, 36, 24, 8.5, 8.5, 18)


def compact_columns(ctx: ReportContext) -> list[Column]:
    """The leadership workbook's 整改台账: the problem, then its rectification, in cells that
    combine fields (``reports.ledger.CompactRow``)."""
    t = ctx.t
    number, unit, item, problem, requirement, status, responsible, measures = COMPACT_WIDTHS
    columns = [
        Column(t("ledger.col.number"), number, "center", key=True),
        Column(t("report.col.unit"), unit, key=True),
        Column(t("ledger.compact.col.item"), item, key=True),
        Column(t("ledger.compact.col.problem"), problem),
        Column(t("ledger.compact.col.requirement"), requirement),
        Column(t("ledger.compact.col.status"), status, "center"),
        Column(t("ledger.compact.col.responsible"), responsible),
        Column(t("ledger.compact.col.measures"), measures),
    ]
    columns.append(Column(t("ledger.compact.col.recheck"), rest(columns, 11)))
    return columns


def open_problems(ctx: ReportContext, book: Book) -> Sheet:
    t = ctx.t
    columns = compact_columns(ctx)
    sheet = book.sheet(t("report.sheet.problems"), columns, landscape=True, freeze_cols=2)
    sheet.title(t("report.problems.title"), subtitle(ctx))
    sheet.headings()
    return sheet


def compact_rows(sheet: Sheet, rows: Sequence[CompactRow]) -> None:
    """A unit's entries of the compact 整改台账: an overdue one's status is in bold."""
    for p in rows:
        sheet.row(
            [
                p.number,
                p.unit,
                p.item,
                p.problem,
                p.requirement,
                p.status,
                p.responsible or DASH,
                p.measures or DASH,
                p.recheck or DASH,
            ],
            {5: "center_bold"} if p.overdue else None,
        )


def problem_rows(sheet: Sheet, rows: Sequence[LedgerRow], with_unit: bool) -> None:
    """A unit's entries of the 整改台账: overdue ones say so in bold (status and remarks)."""
    shift = 1 if with_unit else 0
    for p in rows:
        values: list[object] = [p.number]
        if with_unit:
            values.append(p.unit)
        values += [
            p.code,
            p.item,
            p.deduction,
            dash(p.lost),
            p.problem,
            p.requirement,
            dash(p.deadline),
            p.status,
            p.responsible or DASH,
            p.measures or DASH,
            dash(p.completed_on),
            p.evidence or DASH,
            p.recheck or DASH,
            dash(p.closed_on),
            p.remarks or DASH,
            p.basis or DASH,
        ]
        styles: dict[int, str] = {}
        if not hasattr(p.deadline, "year"):
            styles[7 + shift] = "center"
        if p.overdue:
            styles[8 + shift] = "center_bold"
            styles[15 + shift] = "text_bold"
        sheet.row(values, styles or None)


def lines(ctx: ReportContext, joined: str) -> str:
    """A list joined with the separator, one entry per line instead."""
    return joined.replace(ctx.t("problem.separator"), "\n")


# --- 共性问题 -------------------------------------------------------------------------------


def open_weak(ctx: ReportContext, book: Book) -> Sheet:
    t = ctx.t
    columns = [
        Column(t("report.col.no"), 5, "num"),
        Column(t("report.col.code"), 6, "center", key=True),
        Column(t("report.col.item"), 14),
        Column(t("report.col.points"), 5, "num"),
        Column(t("report.col.scored_units"), 6.5, "num"),
        Column(t("report.col.avg_rate"), 8, "pct"),
        Column(t("report.col.losing_units"), 6.5, "num"),
        Column(t("report.col.lost_total"), 6.5, "num"),
    ]
    # the causes in words take what is left of a page printing at 10 pt
    columns.append(Column(t("report.col.causes"), rest(columns, 40)))
    sheet = book.sheet(t("report.sheet.weak"), columns, landscape=True, freeze_cols=0)
    sheet.title(t("report.weak.title"), t("report.weak.subtitle", round=ctx.round.name))
    sheet.headings()
    return sheet


def fill_weak(ctx: ReportContext, sheet: Sheet, weakest: Sequence[WeakItem]) -> None:
    for number, weak in enumerate(weakest, start=1):
        sheet.row(
            [
                number,
                weak.item.code,
                ctx.item_name(weak.item),
                weak.item.points,
                weak.scored,
                dash(weak.rate),
                weak.losing,
                weak.lost,
                ctx.cause_text(weak) or DASH,
            ]
        )
    sheet.autofilter()


# --- 自评对比 -------------------------------------------------------------------------------


def open_self(ctx: ReportContext, book: Book, widths: Widths) -> Sheet:
    t = ctx.t
    ind = ctx.indicators
    columns = [
        Column(t("report.col.group"), min(widths.group, 9), "center", key=True),
        Column(t("report.col.unit"), widths.unit, key=True),
    ]
    for _ in [*ind.categories, None]:
        columns += [Column("", GAP_WIDTH, "num") for _ in range(3)]
    columns.append(Column(t("report.col.flag"), rest(columns, 12), "text"))
    sheet = book.sheet(
        t("report.sheet.selfcmp"), columns, landscape=True, header_rows=2, freeze_cols=2
    )
    sheet.title(
        t("report.self.title"),
        t("report.self.subtitle", round=ctx.round.name, threshold=fmt(ctx.threshold)),
    )
    top: list[str] = [t("report.col.group"), t("report.col.unit")]
    sub: list[str] = ["", ""]
    for category in [*ind.categories, None]:
        top += [ctx.category_header(category) if category else t("report.col.total"), "", ""]
        sub += [t("report.col.self"), t("report.col.inspection"), t("report.col.gap_short")]
    top.append(t("report.col.flag"))
    sub.append("")
    last = len(columns) - 1
    spans = [Span(0, 0, down=1), Span(1, 1, down=1), Span(last, last, down=1)]
    spans += [Span(2 + i * 3, 4 + i * 3) for i in range(len(ind.categories) + 1)]
    height = max(sheet.height_for(text, 21) for text in top)
    sheet.headings(top, height, spans)
    sheet.headings(sub)
    return sheet


def fill_self(ctx: ReportContext, sheet: Sheet, groups: RankedGroups) -> None:
    for code, members in groups:
        for summary in members:
            values, styles = self_values(ctx, summary)
            sheet.row([ctx.group_name(code), summary.unit.name, *values], styles)
    sheet.autofilter()


def self_values(ctx: ReportContext, summary: UnitSummary) -> tuple[list[object], dict[int, str]]:
    """Per category and in total: self, inspection, gap; then the flag text."""
    own = summary.self_result
    result = summary.inspection
    own_ok = own is not None and own.complete
    insp_ok = result.complete
    values: list[object] = []
    styles: dict[int, str] = {}
    flagged_categories = []
    for index, category in enumerate(ctx.indicators.categories):
        mine = own.scores[index] if own is not None else None
        theirs = result.scores[index] if result.answered else None
        diff = gap(mine, theirs) if own_ok and insp_ok else None
        values += [dash(mine), dash(theirs), dash(diff)]
        if ctx.part_flagged(diff, result.maxima[index]):
            styles[2 + index * 3 + 2] = "num_bold"
            flagged_categories.append(ctx.text(category, "name"))
    mine_total = own.total if own is not None else None
    theirs_total = result.total if result.answered else None
    values += [dash(mine_total), dash(theirs_total), dash(summary.gap)]
    notes = []
    n = len(ctx.indicators.categories)
    if ctx.flagged(summary.gap):
        notes.append(ctx.t("report.flag.self_gap"))
        styles[2 + n * 3 + 2] = "num_bold"
    if flagged_categories:
        notes.append(ctx.t("report.flag.categories", names="、".join(flagged_categories)))
    for note in (ctx.self_note(summary), ctx.state_note(summary)):
        if note:
            notes.append(note)
    values.append(ctx.t("problem.separator").join(notes))
    if ctx.flagged(summary.gap):
        styles[2 + n * 3 + 3] = "text_bold"
    return values, styles


# --- 评分明细 of a unit's feedback workbook: item by item ------------------------------------


def detail_columns(ctx: ReportContext, widths: Widths, with_unit: bool) -> list[Column]:
    t = ctx.t
    columns = []
    if with_unit:
        columns.append(Column(t("report.col.unit"), widths.unit, key=True))
    columns += [
        Column(t("report.col.category"), widths.category, key=True),
        Column(t("report.col.code"), 7, "center", key=True),
        Column(t("report.col.item"), 22, key=True),
        Column(t("report.col.points"), 6, "num"),
        Column(t("report.col.self_score"), 7, "num"),
        Column(t("report.col.inspection_score"), 7, "num"),
        Column(t("report.col.lost"), 6, "num"),
        Column(t("report.col.deduction"), 30),
        Column(t("report.col.problem"), 30),
        Column(t("report.col.note"), 16),
    ]
    return columns


class DetailRows:
    """The score detail of a unit, item by item: self vs inspection, deductions, problem."""

    def __init__(self, ctx: ReportContext) -> None:
        self.ctx = ctx
        names = {c.code: ctx.text(c, "name") for c in ctx.indicators.categories}
        # what every unit's row of an item starts with
        self.items = [
            (item, [names[category.code], item.code, ctx.item_name(item), item.points])
            for category, item in ctx.indicators.items()
        ]
        self.na = ctx.t("report.na")
        self.unscored = ctx.t("report.unscored")
        self.separator = ctx.t("problem.separator")

    def score(self, r: ItemResult) -> object:
        if r.na:
            return self.na
        if not r.answered:
            return self.unscored
        return r.score

    def write(self, sheet: Sheet, status: UnitStatus, with_unit: bool) -> None:
        ctx, score, separator = self.ctx, self.score, self.separator
        own = status.self_result.items if status.self_result is not None else None
        lead = [status.unit.name] if with_unit else []
        for index, ((item, start), r) in enumerate(
            zip(self.items, status.inspection.items, strict=True)
        ):
            answer = r.answer
            notes = ""
            if answer is not None and (answer.note or answer.evidence):
                notes = separator.join(t for t in (answer.note, answer.evidence) if t)
            sheet.row(
                [
                    *lead,
                    *start,
                    score(own[index]) if own is not None else DASH,
                    score(r),
                    r.lost if r.score is not None else DASH,
                    ctx.deduction_text(item, r),
                    ctx.problem(item, r),
                    notes,
                ]
            )


# --- 评分明细: 各单位分项得分 -------------------------------------------------------------------

ITEM_WIDTH = 6.0  # a score ("12.5", "0.75") or a mark ("—", "未评") on one line
MATRIX_TOTAL_WIDTH = 8.0


def matrix_blocks(counts: Sequence[int], room: int) -> list[list[tuple[int, int, int]]]:
    """The items cut into blocks of at most ``room`` columns, stacked on the sheet: whole
    categories where they fit, a category wider than a block cut where the block ends.
    ``counts`` are the categories' item counts; each block lists (category, first item,
    last item + 1) by index."""
    room = max(1, room)
    blocks: list[list[tuple[int, int, int]]] = [[]]
    used = 0
    for index, count in enumerate(counts):
        start = 0
        if used and used + count > room:  # the category starts a block of its own
            blocks.append([])
            used = 0
        while start < count:
            take = min(count - start, room - used)
            blocks[-1].append((index, start, start + take))
            used += take
            start += take
            if start < count:
                blocks.append([])
                used = 0
    return [b for b in blocks if b]


NA_MARK, UNSCORED_MARK, LOST_MARK = "n", "u", "!"


class ScoreMatrix:
    """评分明细 as a 通报 appendix shows it (各单位分项得分): a row per unit, by group in rank
    order, a column per item under its category, the score in each cell (bold where the item
    lost points, "—" where it does not apply), the total and the grade beside the unit. Too
    many items for one printed width are stacked in blocks, whole categories each.

    The units pass in the office's order while the other sheets are written; only their
    item scores are kept (a short text a unit) until the ranking is known. The
    problems of each item are in 问题清单, each unit's item-by-item detail in its feedback
    workbook (``export --unit``)."""

    def __init__(self, ctx: ReportContext, book: Book, widths: Widths) -> None:
        self.ctx = ctx
        t = ctx.t
        self.categories = list(ctx.indicators.categories)
        lead = [
            Column(t("report.col.unit"), widths.unit),
            Column(t("report.col.total"), MATRIX_TOTAL_WIDTH, "num"),
            Column(t("report.col.grade"), widths.grade, "center"),
        ]
        fixed = sum(c.width for c in lead)
        room = int((PRINT_WIDTH - fixed) // ITEM_WIDTH)
        self.blocks = matrix_blocks([len(c.items) for c in self.categories], room)
        slots = max((sum(last - first for _, first, last in b) for b in self.blocks), default=0)
        columns = lead + [Column("", ITEM_WIDTH, "num") for _ in range(max(slots, 1))]
        self.sheet = book.sheet(t("report.sheet.detail"), columns, landscape=True, header_rows=0)
        self.sheet.title(t("leaders.detail.title"), subtitle(ctx))
        self.slots = len(columns) - len(lead)
        # each unit's item cells as one short ASCII text, tokens apart: the score ("2.5", with
        # LOST_MARK where the item lost points), NA_MARK or UNSCORED_MARK. A round of 10,000
        # units keeps a few MB so, where Decimal objects in tuples took some 50 MB.
        self.scores: dict[int, str] = {}
        self.na = DASH
        self.unscored = t("leaders.detail.unscored")

    def add(self, status: UnitStatus) -> None:
        """Keep a unit's item cells: its score (and whether it lost points) or a mark."""
        tokens: list[str] = []
        for r in status.inspection.items:
            if r.na:
                tokens.append(NA_MARK)
            elif r.score is None:
                tokens.append(UNSCORED_MARK)
            else:
                tokens.append(f"{r.score}{LOST_MARK if r.score < r.max else ''}")
        self.scores[status.unit.id] = " ".join(tokens)

    def cell(self, token: str) -> tuple[object, bool]:
        """A kept token as the cell's value, and whether it is shown bold (points lost)."""
        if token == NA_MARK:
            return self.na, False
        if token == UNSCORED_MARK:
            return self.unscored, False
        lost = token.endswith(LOST_MARK)
        return Decimal(token.removesuffix(LOST_MARK)), lost

    def fill(self, groups: RankedGroups) -> None:
        """Each block starts a page with its headings, and has them again at the top of
        every page it runs on to (a sheet's repeated rows cannot differ by block)."""
        ctx, sheet, t = self.ctx, self.sheet, self.ctx.t
        offsets = []  # each category's first item index in a unit's cells
        start = 0
        for category in self.categories:
            offsets.append(start)
            start += len(category.items)
        room = page_height(sheet.total_width, landscape=True) - ONE_LINE  # a line to spare
        for number, block in enumerate(self.blocks):
            if number:
                sheet.break_before(sheet.row_index + 1)
            page = sheet.rows_height if number else 0.0  # page 1 holds the title rows too
            indexes = self._headings(block, offsets)
            for code, members in groups:
                heading = t(
                    "report.group_heading",
                    group=ctx.group_name(code),
                    units=len(members),
                    complete=sum(1 for s in members if s.inspection.complete),
                )
                height = sheet.height_for(heading, sheet.total_width)
                for index, summary in enumerate(members):
                    values, styles = self._unit_row(summary, indexes)
                    row_height = max(
                        sheet.height_for(str(v), w)
                        for v, w in zip(values[:3], sheet.widths[:3], strict=True)
                    )
                    needed = row_height + (height if index == 0 else 0)
                    if sheet.rows_height - page + needed > room:
                        sheet.break_before(sheet.row_index + 1)
                        page = sheet.rows_height
                        self._headings(block, offsets)
                        if index:  # the group goes on: its heading again
                            sheet.merged(heading, "section", height=height)
                    if index == 0:
                        sheet.merged(heading, "section", height=height)
                    sheet.row(values, styles or None, row_height)
        note = t("leaders.detail.note", problems=t("report.sheet.problems"))
        sheet.merged(note, "note", height=sheet.height_for(note, sheet.total_width - 1))

    def _headings(self, block: Sequence[tuple[int, int, int]], offsets: Sequence[int]) -> list[int]:
        """A block's two heading rows (categories, then item codes); returns the indexes of
        its items in a unit's cells."""
        ctx, sheet, t = self.ctx, self.sheet, self.ctx.t
        lead = 3
        top: list[tuple[object, str] | None] = [
            (t("report.col.unit"), "heading"),
            (t("report.col.total"), "heading"),
            (t("report.col.grade"), "heading"),
        ]
        codes: list[tuple[object, str] | None] = [("", "heading")] * lead
        spans = [Span(0, 0, down=1), Span(1, 1, down=1), Span(2, 2, down=1)]
        column = lead
        indexes: list[int] = []
        for category_index, first, last in block:
            category = self.categories[category_index]
            top.append((ctx.category_header(category), "heading"))
            top.extend(("", "heading") for _ in range(last - first - 1))
            if last - first > 1:
                spans.append(Span(column, column + last - first - 1))
            for item in category.items[first:last]:
                codes.append((item.code, "heading"))
            indexes.extend(range(offsets[category_index] + first, offsets[category_index] + last))
            column += last - first
        # the columns a shorter block leaves over stay blank, without lines
        filler = self.slots - len(indexes)
        top.extend(None for _ in range(filler))
        codes.extend(None for _ in range(filler))
        height = max(
            sheet.height_for(str(text), self._span_width(spans, i))
            for i, cell in enumerate(top)
            if cell is not None and (text := cell[0])
        )
        sheet.append(top, height, spans)
        sheet.append(codes)
        return indexes

    def _span_width(self, spans: Sequence[Span], index: int) -> float:
        for span in spans:
            if span.first == index:
                return sum(self.sheet.widths[span.first : span.last + 1])
        return self.sheet.widths[index]

    def _unit_row(
        self, summary: UnitSummary, indexes: Sequence[int]
    ) -> tuple[list[object], dict[int, str]]:
        ctx = self.ctx
        result = summary.inspection
        started = result.answered > 0
        values: list[object] = [
            summary.unit.name,
            result.total if started else DASH,
            ctx.grade_label(result) if result.complete else DASH,
        ]
        styles: dict[int, str] = {}
        if result.complete and (result.veto or result.grade == ctx.failing_grade):
            styles[2] = "center_bold"
        tokens = self.scores.get(summary.unit.id, "").split()
        for column, index in enumerate(indexes, start=len(values)):
            value, lost = self.cell(tokens[index]) if index < len(tokens) else (DASH, False)
            values.append(value)
            if lost:
                styles[column] = "num_bold"
        for column in range(len(values), self.slots + 3):
            values.append(None)
            styles[column] = "plain"  # a column of the other block: no lines
        return values, styles


# --- 指标体系 -------------------------------------------------------------------------------


def rules_text(ctx: ReportContext, item: Item) -> str:
    return "\n".join(form_of(item).standard(item, ctx.lang))


def scope_text(ctx: ReportContext, item: Item) -> str:
    parts = []
    if item.applies_to is not None:
        if item.applies_to.groups:
            parts.append("、".join(ctx.group_name(g) for g in item.applies_to.groups))
        tags = {tag.code: ctx.text(tag, "name") for tag in ctx.indicators.tags}
        if item.applies_to.tags:
            parts.append("、".join(tags.get(code, code) for code in item.applies_to.tags))
        if item.applies_to.any:  # a group or a tag: tags first, as a code may be either
            names = [tags.get(c) or ctx.group_name(c) for c in item.applies_to.any]
            parts.append(ctx.t("format.report.scope_any", names="、".join(names)))
        if item.applies_to.except_:
            names = [tags.get(c) or ctx.group_name(c) for c in item.applies_to.except_]
            parts.append(ctx.t("format.report.scope_except", names="、".join(names)))
    text = ctx.t("problem.separator").join(parts) or ctx.t("report.scope.all")
    if item.na_allowed:
        text += ctx.t("report.scope.na_allowed")
    return text


# 指标体系's columns: the widths that give the default set's 30 items the least total height
# (the writer's row-height estimator) on a landscape sheet printing at 10 pt; the category
# is the heading above its items, and the legal basis in full takes what is left
INDICATOR_WIDTHS = (5, 8, 5, 28.5, 38, 6, 18)
INDICATOR_SCOPE_WIDTH = 6


def open_indicators(ctx: ReportContext, book: Book) -> Sheet:
    t = ctx.t
    code, item, points, requirement, rules, methods, evidence = INDICATOR_WIDTHS
    columns = [
        Column(t("report.col.code"), code, "center", key=True),
        Column(t("report.col.item"), item),
        Column(t("report.col.points"), points, "num"),
        Column(t("report.col.requirement"), requirement),
        Column(t("report.col.rules"), rules),
        Column(t("report.col.methods"), methods),
        Column(t("report.col.evidence"), evidence),
        Column(t("report.col.scope"), INDICATOR_SCOPE_WIDTH),
    ]
    columns.insert(7, Column(t("report.col.basis"), rest(columns, 16)))
    sheet = book.sheet(t("report.sheet.indicators"), columns, landscape=True, freeze_cols=0)
    return sheet


def fill_indicators(ctx: ReportContext, sheet: Sheet) -> None:
    """The set, then the round's metadata and the reading guide."""
    t = ctx.t
    ind = ctx.indicators
    sheet.title(
        t("report.cover.set_value", title=ctx.text(ind, "title"), version=ind.version),
        t(
            "report.indicators.subtitle",
            hash=ctx.round.set_hash[:12],
            total=fmt(ind.total),
        ),
    )
    sheet.headings()
    for category in ind.categories:
        sheet.merged(ctx.category_header(category), "section")
        for item in category.items:
            methods = localized_list(ctx, item, "methods")
            evidence = localized_list(ctx, item, "evidence")
            sheet.row(
                [
                    item.code,
                    ctx.item_name(item),
                    item.points,
                    ctx.text(item, "requirement"),
                    rules_text(ctx, item),
                    "、".join(methods),
                    "\n".join(evidence),
                    lines(ctx, ctx.basis_text(item)),
                    scope_text(ctx, item),
                ]
            )
    if ind.veto:
        sheet.merged(t("report.indicators.veto"), "section")
        for veto in ind.veto:
            sheet.row(
                [
                    veto.code,
                    t("report.veto"),
                    "",
                    ctx.text(veto, "text"),
                    t(
                        "report.veto_effect"
                        if veto.effect == "force"
                        else "format.report.veto_cap",
                        grade=ctx.grade_name(veto.grade),
                    ),
                    "",
                    "",
                    "",
                    "",
                ]
            )
    limits = []
    if ind.aggravated_cap is not None:
        limits.append(t("format.report.aggravated_cap", cap=fmt(ind.aggravated_cap)))
    limits += [
        t("format.review.count_grades", count=r.count, grade=ctx.grade_name(r.grade))
        for r in ind.aggravated_grades
    ]
    aggravated_heading = t("report.indicators.aggravated") + "".join(f"（{x}）" for x in limits)
    sections = [("aggravated", aggravated_heading, ind.aggravated)]
    if ind.bonus is not None:
        heading = t("report.indicators.bonus", cap=fmt(ind.bonus.cap))
        sections.append(("bonus", heading, ind.bonus.items))
    for kind, heading, entries in sections:
        if not entries:
            continue
        sheet.merged(heading, "section")
        for adj in entries:
            rule = adjustment_rule(ctx, adj, f"report.rule.{kind}_per", f"report.rule.{kind}_once")
            grade_cap = getattr(adj, "grade_cap", None)
            if grade_cap:
                rule += t("format.report.grade_cap", grade=ctx.grade_name(grade_cap))
            row = [adj.code, t(f"report.{kind}"), adj.points, ctx.text(adj, "text"), rule]
            sheet.row([*row, "", "", "", ""])
    sheet.merged(t("report.indicators.grades"), "section")
    for grade in sorted(ind.grades, key=lambda g: g.min, reverse=True):
        band = (
            t("report.grade_band", min=fmt(grade.min), below=fmt(grade.below))
            if grade.below is not None
            else t("report.grade_band_open", min=fmt(grade.min))
        )
        sheet.row([ctx.grade_name(grade.name), t("report.col.grade"), "", band, "", "", "", "", ""])
    metadata_block(ctx, sheet)


def localized_list(ctx: ReportContext, item: Item, field_name: str) -> list[str]:
    found = localized(item, field_name, ctx.lang)
    return [str(v) for v in found] if isinstance(found, list) else []


def adjustment_rule(ctx: ReportContext, adj: Adjustment, per_key: str, once_key: str) -> str:
    if adj.per_occurrence:
        text = ctx.t(per_key, per=ctx.text(adj, "per"), points=fmt(adj.points))
        if adj.max is not None:
            text += ctx.t("report.rule.max_total", max=fmt(adj.max))
        return text
    return ctx.t(once_key, points=fmt(adj.points))
