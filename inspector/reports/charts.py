"""The chart sheet: average score rate per category, and totals per unit within each group.

Every chart shows its figures as data labels, so it reads in black and white, and every chart's
data is a table in the workbook (the rates on this sheet, the totals on the summary sheet).
Bars are horizontal so that Chinese unit and category names stay readable, and each group's
chart starts on a page of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from inspector.io.xlsx_writer import ONE_LINE, BarChart, Book, Column, Range, Sheet
from inspector.reports.data import ReportContext, UnitSummary

if TYPE_CHECKING:
    from inspector.reports.leadership import Layout

CM_PER_POINT = 2.54 / 72
CHART_WIDTH_CM = 25.0
BAR_CM = 0.6  # per bar
MAX_CHART_HEIGHT_CM = 16.0  # what a landscape A4 page holds below its margins
BARS_PER_CHART = 25


def chart_height(count: int) -> float:
    return min(MAX_CHART_HEIGHT_CM, max(6.0, 3.0 + BAR_CM * count))


def open_charts(ctx: ReportContext, book: Book) -> Sheet:
    t = ctx.t
    columns = [Column(t("report.col.category"), 34), Column(t("report.col.avg_rate"), 14, "pct")]
    columns += [Column("", 9, "plain") for _ in range(10)]
    return book.sheet(t("report.sheet.charts"), columns, landscape=True, header_rows=0)


def fill_charts(
    ctx: ReportContext, sheet: Sheet, layout: Layout, summaries: Sequence[UnitSummary]
) -> None:
    t = ctx.t
    ind = ctx.indicators
    sheet.title(t("report.charts.title"), t("report.charts.subtitle", round=ctx.round.name))
    header = sheet.headings([t("report.col.category"), t("report.col.avg_rate")])
    averages = ctx.category_averages(summaries)
    for category, average in zip(ind.categories, averages, strict=True):
        sheet.append(
            [
                (ctx.category_header(category), "text"),
                (average if average is not None else "—", "pct"),
            ]
        )
    last = sheet.row_index
    next_row = last + 2

    if any(a is not None for a in averages):
        height = chart_height(len(ind.categories))
        chart = BarChart(
            t("report.charts.rates"),
            categories=Range(sheet.name, header + 1, 0, last, 0),
            values=Range(sheet.name, header + 1, 1, last, 1),
            width_cm=CHART_WIDTH_CM,
            height_cm=height,
            value_min=0,
            value_max=1,
            axis_format="0%",
            label_format="0.0%",
        )
        sheet.insert_chart(next_row, 0, chart)
        next_row += rows_for(height) + 1

    summary = layout.summary
    if summary is None:
        return
    for code, first, last_ranked in layout.blocks:
        count = last_ranked - first + 1
        # one page per chart: a big group is shown BARS_PER_CHART units at a time
        for start in range(first, last_ranked + 1, BARS_PER_CHART):
            end = min(start + BARS_PER_CHART - 1, last_ranked)
            group = ctx.group_name(code)
            title = (
                t("report.charts.totals", group=group)
                if count <= BARS_PER_CHART
                else t(
                    "report.charts.totals_part",
                    group=group,
                    first=start - first + 1,
                    last=end - first + 1,
                )
            )
            height = chart_height(end - start + 1)
            chart = BarChart(
                title,
                categories=Range(summary.name, start, layout.unit_col, end, layout.unit_col),
                values=Range(summary.name, start, layout.total_col, end, layout.total_col),
                width_cm=CHART_WIDTH_CM,
                height_cm=height,
                value_min=0,
                value_max=float(ind.cap),
            )
            sheet.break_before(next_row)
            # a row below the break: a chart starting right on it leaves its top edge as a
            # stray line at the foot of the page before (LibreOffice)
            sheet.insert_chart(next_row + 1, 0, chart)
            next_row += rows_for(height) + 2


def rows_for(height_cm: float) -> int:
    """How many default-height rows a chart of this height covers."""
    return int(height_cm / (ONE_LINE * CM_PER_POINT)) + 1
