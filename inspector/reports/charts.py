"""The chart sheet: the charts' data as tables first, then the charts, two to a page at most.

* average score rate per category;
* totals per unit within each group, the vetoed and unfinished units marked in their labels
  ("耀州区（否决）", "市水务局（未完成）"), so a long bar never hides a veto;
* the grade distribution of each group;
* this year against last year per group, where the round has a previous round.

Every chart's data is a table on this sheet (figures as numbers, never formulas), every chart
shows its figures as data labels and reads in black and white, and every value axis is fitted
to its figures (an 82–90 spread is not squashed by a 0–100 axis). Bars are horizontal so
Chinese names stay readable.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from inspector.io.xlsx_writer import (
    ONE_LINE,
    BarChart,
    Book,
    Column,
    Range,
    Sheet,
    Span,
    page_height,
)
from inspector.reports.data import RankedGroups, ReportContext, UnitSummary
from inspector.reports.trend import RoundFigures

CM_PER_POINT = 2.54 / 72
CHART_WIDTH_CM = 25.0
PAGE_HEIGHT_CM = 16.0  # the tallest chart: a landscape A4 page holds 17.7 cm below its margins
BARS_PER_CHART = 25
CHARTS_PER_PAGE = 2


BAR_CM = 0.55
# a bar of a two-series chart (last year beside this year): the pair of a unit is as tall as
# two bars of 11 pt labels, so that a group's two year charts share a landscape page
PAIRED_BAR_CM = 0.44


def chart_height(bars: int, per_bar: float = BAR_CM) -> float:
    return min(PAGE_HEIGHT_CM, max(5.5, 2.5 + per_bar * bars))


# LibreOffice draws every other category label of a chart when there is less than about 0.6 cm
# a category; a two-series chart's title, value axis and legend take some 3.9 cm (measured)
PAIR_OVERHEAD_CM = 3.9
CATEGORY_MIN_CM = 0.62


def paired_height(units: int) -> float:
    """A two-series chart (last year beside this year) of ``units`` categories."""
    height = max(chart_height(units * 2, PAIRED_BAR_CM), PAIR_OVERHEAD_CM + CATEGORY_MIN_CM * units)
    return min(PAGE_HEIGHT_CM, height)


def fitted(
    values: Sequence[float], step: float, floor: float, ceiling: float | None
) -> tuple[float, float]:
    """An axis around ``values``: a margin below the lowest, room for labels above the
    highest, both on multiples of ``step``, never below ``floor`` (or above ``ceiling``)."""
    low, high = min(values), max(values)
    spread = max(high - low, step)
    lower = max(floor, math.floor((low - spread * 0.5) / step) * step)
    upper = math.ceil((high + spread * 0.15) / step) * step
    if ceiling is not None:
        upper = min(upper, ceiling)
    if upper <= lower:
        upper = lower + step
    return lower, upper


@dataclass
class Planned:
    chart: BarChart
    bars: int


Cell = tuple[object, str]
Line = list[Cell | None]

# widths that keep the tables' rows one line tall at 10 pt and more in print
LABEL_WIDTH = 31  # a category's header: 1 组织领导与责任落实（20分）
FIGURE_WIDTH = 12
GAP_WIDTH = 2
UNIT_WIDTH = 20  # 市水务局（未完成）
TOTAL_WIDTH = 10  # 本年总分
SHEET_WIDTH = 140  # as wide as the charts: the sheet prints near 100 %, its text at 10 pt


@dataclass
class Lane:
    """Tables stacked in a few columns of the sheet, from column ``first``: rows of cells
    (None: a blank row) and, per table, the line (0-based) of its heading row."""

    first: int
    columns: int
    lines: list[Line | None] = field(default_factory=list)

    def section(self, text: str) -> None:
        self.lines.append([(text, "section")] + [("", "section")] * (self.columns - 1))

    def add(self, cells: Sequence[Cell]) -> int:
        self.lines.append([*cells, *[None] * (self.columns - len(cells))])
        return len(self.lines) - 1


def layout(groups: int, last_year: bool) -> tuple[list[Column], int, list[int]]:
    """The chart sheet's columns: on the left the rates and the grade table (a label and
    a figure per group), then each group's totals side by side (unit, this year, last
    year), or one below the other where they would not fit beside each other, then a
    filler up to the charts' width. Returns the columns, the left lane's width in columns
    and the first column of each group's lane."""
    left = 1 + max(1, groups)
    widths = [LABEL_WIDTH] + [FIGURE_WIDTH] * (left - 1)
    per_group = [UNIT_WIDTH, TOTAL_WIDTH] + ([TOTAL_WIDTH] if last_year else [])
    beside = sum(widths) + groups * (GAP_WIDTH + sum(per_group)) <= SHEET_WIDTH
    starts = []
    for index in range(groups):
        if beside or not index:
            widths.append(GAP_WIDTH)
            starts.append(len(widths))
            widths += per_group
        else:
            starts.append(starts[0])
    columns = [Column("", w, "plain") for w in widths]
    used = sum(widths)
    if used < SHEET_WIDTH:
        columns.append(Column("", SHEET_WIDTH - used, "plain"))
    return columns, left, starts


def open_charts(ctx: ReportContext, book: Book, last_year: bool) -> Sheet:
    """The sheet, laid out for every group of the set (a group without units keeps its
    columns empty)."""
    columns, _, _ = layout(len(ctx.indicators.groups), last_year)
    return book.sheet(ctx.t("report.sheet.charts"), columns, landscape=True, header_rows=0)


def unit_label(ctx: ReportContext, summary: UnitSummary) -> str:
    """The unit's name, marked where its bar alone would mislead."""
    result = summary.inspection
    if not result.complete:
        return ctx.t("leaders.chart.unfinished", unit=summary.unit.name)
    if result.veto:
        return ctx.t("leaders.chart.vetoed", unit=summary.unit.name)
    return summary.unit.name


def fill_charts(
    ctx: ReportContext,
    sheet: Sheet,
    groups: RankedGroups,
    summaries: Sequence[UnitSummary],
    before: RoundFigures | None = None,
) -> None:
    """The tables side by side below the title, then the charts."""
    t = ctx.t
    ind = ctx.indicators
    name = sheet.name
    planned: list[Planned] = []
    sheet.title(t("report.charts.title"), t("report.charts.subtitle", round=ctx.round.name))
    _, left_columns, starts = layout(len(ind.groups), before is not None)
    left = Lane(0, left_columns)
    lanes = {0: left}

    # 1. average score rate per category
    rates_at = left.add(
        [(t("report.col.category"), "heading"), (t("report.col.avg_rate"), "heading")]
    )
    averages = ctx.category_averages(summaries)
    for category, average in zip(ind.categories, averages, strict=True):
        left.add(
            [
                (ctx.category_header(category), "text"),
                (average if average is not None else "—", "pct"),
            ]
        )
    rates_end = len(left.lines) - 1

    # 2. the grade distribution of each group
    grades = ind.grade_order()
    left.lines.append(None)
    left.section(t("leaders.chart.grades_table"))
    grades_at = left.add(
        [(t("report.col.grade"), "heading"), *[(ctx.group_name(c), "heading") for c, _ in groups]]
    )
    for grade in grades:
        counts = [
            sum(1 for s in members if s.inspection.complete and s.inspection.grade == grade.name)
            for _, members in groups
        ]
        left.add([(ctx.grade_name(grade.name), "text"), *[(n, "num") for n in counts]])
    grades_end = len(left.lines) - 1

    # 3. totals per group (ranked, then vetoed… then unfinished), this year and last year
    totals: list[tuple[str, Lane, int, list[UnitSummary]]] = []
    lane_of = {g.code: starts[i] for i, g in enumerate(ind.groups)}
    for code, members in groups:
        shown = [s for s in members if s.inspection.answered]
        start = lane_of.get(code)
        if start is None:  # the set names every group a unit may be in
            continue
        lane = lanes.setdefault(start, Lane(start, 3 if before is not None else 2))
        if not shown:
            continue
        if lane.lines:
            lane.lines.append(None)
        lane.section(t("leaders.chart.totals_table", group=ctx.group_name(code)))
        columns = [t("report.col.unit"), t("leaders.chart.this_year")]
        if before is not None:
            columns.append(t("leaders.chart.last_year"))
        header = lane.add([(c, "heading") for c in columns])
        for summary in shown:
            cells: list[Cell] = [
                (unit_label(ctx, summary), "text"),
                (summary.inspection.total, "num"),
            ]
            if before is not None:
                stood = before.units.get(summary.unit.id)
                cells.append((stood.total if stood is not None else "—", "num"))
            lane.add(cells)
        totals.append((code, lane, header, shown))

    top = write_lanes(sheet, list(lanes.values()))

    if any(a is not None for a in averages):
        known = [float(a) for a in averages if a is not None]
        low, high = fitted(known, 0.05, 0.0, 1.0)
        planned.append(
            Planned(
                BarChart(
                    t("report.charts.rates"),
                    categories=Range(name, top + rates_at + 1, 0, top + rates_end, 0),
                    values=Range(name, top + rates_at + 1, 1, top + rates_end, 1),
                    width_cm=CHART_WIDTH_CM,
                    height_cm=chart_height(len(ind.categories)),
                    value_min=low,
                    value_max=high,
                    axis_format="0%",
                    label_format="0.0%",
                ),
                len(ind.categories),
            )
        )

    year_charts: list[Planned] = []
    for code, lane, header, shown in totals:
        group = ctx.group_name(code)
        col = lane.first
        first, last = top + header + 1, top + header + len(shown)
        values = [float(s.inspection.total) for s in shown]
        previous = [
            float(st.total)
            for s in shown
            if before is not None and (st := before.units.get(s.unit.id)) is not None
        ]
        low, high = fitted(values + previous, 5, 0, None)
        for start in range(first, last + 1, BARS_PER_CHART):
            end = min(start + BARS_PER_CHART - 1, last)
            title = (
                t("report.charts.totals", group=group)
                if last - first < BARS_PER_CHART
                else t(
                    "report.charts.totals_part",
                    group=group,
                    first=start - first + 1,
                    last=end - first + 1,
                )
            )
            bars = end - start + 1
            categories = Range(name, start, col, end, col)
            planned.append(
                Planned(
                    BarChart(
                        title,
                        categories=categories,
                        values=Range(name, start, col + 1, end, col + 1),
                        width_cm=CHART_WIDTH_CM,
                        height_cm=chart_height(bars),
                        value_min=low,
                        value_max=high,
                    ),
                    bars,
                )
            )
            if before is not None and previous:
                year_charts.append(
                    Planned(
                        BarChart(
                            t("leaders.chart.years", group=group),
                            categories=categories,
                            values=Range(name, start, col + 2, end, col + 2),
                            width_cm=CHART_WIDTH_CM,
                            height_cm=paired_height(bars),
                            value_min=low,
                            value_max=high,
                            name=t("leaders.chart.last_year"),
                            more=(
                                (
                                    t("leaders.chart.this_year"),
                                    Range(name, start, col + 1, end, col + 1),
                                ),
                            ),
                        ),
                        bars * 2,
                    )
                )

    for index, (_, members) in enumerate(groups):
        if not any(s.inspection.complete for s in members):
            continue
        most = max(
            sum(1 for s in members if s.inspection.complete and s.inspection.grade == g.name)
            for g in grades
        )
        planned.append(
            Planned(
                BarChart(
                    t("leaders.chart.grades", group=ctx.group_name(groups[index][0])),
                    categories=Range(name, top + grades_at + 1, 0, top + grades_end, 0),
                    values=Range(name, top + grades_at + 1, 1 + index, top + grades_end, 1 + index),
                    width_cm=CHART_WIDTH_CM,
                    height_cm=chart_height(len(grades)),
                    value_min=0,
                    value_max=float(most + max(1, math.ceil(most * 0.15))),
                    axis_format="0",
                ),
                len(grades),
            )
        )
    planned += year_charts
    place(sheet, planned)


def write_lanes(sheet: Sheet, lanes: Sequence[Lane]) -> int:
    """The lanes' lines side by side, row by row; returns the row number of line 0."""
    top = sheet.row_index + 1
    width = len(sheet.columns)
    for line in range(max(len(lane.lines) for lane in lanes)):
        cells: list[Cell | None] = [None] * width
        spans: list[Span] = []
        for lane in lanes:
            row = lane.lines[line] if line < len(lane.lines) else None
            if row is None:
                continue
            cells[lane.first : lane.first + len(row)] = row
            if row[0] is not None and row[0][1] == "section" and lane.columns > 1:
                spans.append(Span(lane.first, lane.first + lane.columns - 1))
        if all(c is None for c in cells):
            sheet.blank()
            continue
        sheet.append(cells, None, spans)
    return top


def place(sheet: Sheet, planned: Sequence[Planned]) -> None:
    """The charts below the tables, a new page whenever the page is full: two charts to a
    page at most (the tables' page: one), a chart never split."""
    row = sheet.row_index + 2
    # what a printed page holds, less half a centimetre for the programs' rounding
    room = max(PAGE_HEIGHT_CM, page_height(sheet.total_width, True) * CM_PER_POINT - 0.5)
    # the first chart goes below the tables where the page holds it
    on_page, used = 0, (sheet.rows_height + ONE_LINE) * CM_PER_POINT
    for item in planned:
        height = item.chart.height_cm
        if on_page >= CHARTS_PER_PAGE or used + height > room:
            sheet.break_before(row)
            row += 1  # a chart right on the break leaves its top edge on the page before
            on_page, used = 0, 0.0
        sheet.insert_chart(row, 0, item.chart)
        row += rows_for(height) + 1
        on_page += 1
        used += height + ONE_LINE * CM_PER_POINT


def rows_for(height_cm: float) -> int:
    """How many default-height rows a chart of this height covers."""
    return int(height_cm / (ONE_LINE * CM_PER_POINT)) + 1
