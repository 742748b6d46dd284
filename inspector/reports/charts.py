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
from dataclasses import dataclass

from inspector.io.xlsx_writer import ONE_LINE, BarChart, Book, Column, Range, Sheet
from inspector.reports.data import RankedGroups, ReportContext, UnitSummary
from inspector.reports.trend import RoundFigures

CM_PER_POINT = 2.54 / 72
CHART_WIDTH_CM = 25.0
PAGE_HEIGHT_CM = 16.0  # what a landscape A4 page holds below its margins
BARS_PER_CHART = 25
CHARTS_PER_PAGE = 2


def chart_height(bars: int) -> float:
    return min(PAGE_HEIGHT_CM, max(5.5, 2.5 + 0.55 * bars))


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


def open_charts(ctx: ReportContext, book: Book) -> Sheet:
    t = ctx.t
    # 140 units: the tables print at 10 pt (xlsx_writer.widest_printable)
    columns = [Column(t("report.col.category"), 34), Column(t("report.col.avg_rate"), 14, "pct")]
    columns += [Column("", 11.5, "plain") for _ in range(8)]
    return book.sheet(t("report.sheet.charts"), columns, landscape=True, header_rows=0)


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
    t = ctx.t
    ind = ctx.indicators
    name = sheet.name
    planned: list[Planned] = []
    sheet.title(t("report.charts.title"), t("report.charts.subtitle", round=ctx.round.name))

    # 1. average score rate per category
    header = sheet.headings([t("report.col.category"), t("report.col.avg_rate")])
    averages = ctx.category_averages(summaries)
    for category, average in zip(ind.categories, averages, strict=True):
        sheet.append(
            [
                (ctx.category_header(category), "text"),
                (average if average is not None else "—", "pct"),
            ]
        )
    known = [float(a) for a in averages if a is not None]
    if known:
        low, high = fitted(known, 0.05, 0.0, 1.0)
        planned.append(
            Planned(
                BarChart(
                    t("report.charts.rates"),
                    categories=Range(name, header + 1, 0, sheet.row_index, 0),
                    values=Range(name, header + 1, 1, sheet.row_index, 1),
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
    sheet.blank()

    # 2. totals per group (ranked, then vetoed… then unfinished), this year and last year
    year_charts: list[Planned] = []
    for code, members in groups:
        shown = [s for s in members if s.inspection.answered]
        if not shown:
            continue
        group = ctx.group_name(code)
        sheet.merged(t("leaders.chart.totals_table", group=group), "section")
        columns = [t("report.col.unit"), t("leaders.chart.this_year")]
        if before is not None:
            columns.append(t("leaders.chart.last_year"))
        header = sheet.headings(columns)
        for summary in shown:
            cells: list[tuple[object, str] | None] = [
                (unit_label(ctx, summary), "text"),
                (summary.inspection.total, "num"),
            ]
            if before is not None:
                stood = before.units.get(summary.unit.id)
                cells.append((stood.total if stood is not None else "—", "num"))
            sheet.append(cells)
        first, last = header + 1, sheet.row_index
        totals = [float(s.inspection.total) for s in shown]
        previous = [
            float(st.total)
            for s in shown
            if before is not None and (st := before.units.get(s.unit.id)) is not None
        ]
        low, high = fitted(totals + previous, 5, 0, None)
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
            categories = Range(name, start, 0, end, 0)
            planned.append(
                Planned(
                    BarChart(
                        title,
                        categories=categories,
                        values=Range(name, start, 1, end, 1),
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
                            values=Range(name, start, 2, end, 2),
                            width_cm=CHART_WIDTH_CM,
                            height_cm=chart_height(bars * 2),
                            value_min=low,
                            value_max=high,
                            name=t("leaders.chart.last_year"),
                            more=((t("leaders.chart.this_year"), Range(name, start, 1, end, 1)),),
                        ),
                        bars * 2,
                    )
                )
        sheet.blank()

    # 3. the grade distribution of each group
    grades = ind.grade_order()
    sheet.merged(t("leaders.chart.grades_table"), "section")
    header = sheet.headings([t("report.col.grade"), *[ctx.group_name(code) for code, _ in groups]])
    for grade in grades:
        counts = [
            sum(1 for s in members if s.inspection.complete and s.inspection.grade == grade.name)
            for _, members in groups
        ]
        sheet.append([(ctx.grade_name(grade.name), "text"), *[(n, "num") for n in counts]])
    for index, (code, members) in enumerate(groups):
        if not any(s.inspection.complete for s in members):
            continue
        most = max(
            sum(1 for s in members if s.inspection.complete and s.inspection.grade == g.name)
            for g in grades
        )
        planned.append(
            Planned(
                BarChart(
                    t("leaders.chart.grades", group=ctx.group_name(code)),
                    categories=Range(name, header + 1, 0, sheet.row_index, 0),
                    values=Range(name, header + 1, 1 + index, sheet.row_index, 1 + index),
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


def place(sheet: Sheet, planned: Sequence[Planned]) -> None:
    """The charts below the tables, a new page before the first and whenever the page is
    full: two charts to a page at most, a chart never split."""
    row = sheet.row_index + 2
    on_page, used = CHARTS_PER_PAGE, PAGE_HEIGHT_CM  # start with a new page
    for item in planned:
        height = item.chart.height_cm
        if on_page >= CHARTS_PER_PAGE or used + height > PAGE_HEIGHT_CM:
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
