"""The chart sheet: average score rate per category, and totals per unit within each group.

Every chart shows its figures as data labels, so it reads in black and white, and every chart's
data is a table in the workbook (the rates on this sheet, the totals on the summary sheet).
Bars are horizontal so that Chinese unit and category names stay readable, and each group's
chart starts on a page of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (
    CharacterProperties,
    Font,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.worksheet.pagebreak import Break

from inspector.io import xlsx_cells, xlsx_style
from inspector.reports.book import MIN_ROW_HEIGHT, Book, Column
from inspector.reports.data import ReportContext

if TYPE_CHECKING:
    from inspector.reports.leadership import Layout

CM_PER_POINT = 2.54 / 72
CHART_WIDTH_CM = 25.0
BAR_CM = 0.6  # per bar
MAX_CHART_HEIGHT_CM = 16.0  # what a landscape A4 page holds below its margins
BARS_PER_CHART = 25


def _chars(size: int, bold: bool = False, face: str = xlsx_style.BODY_FONT) -> CharacterProperties:
    return CharacterProperties(
        sz=size * 100, b=bold, latin=Font(typeface=face), ea=Font(typeface=face)
    )


def _text_props(size: int) -> RichText:
    props = _chars(size)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _title(text: str) -> Title:
    props = _chars(12, bold=True, face=xlsx_style.HEADING_FONT)
    run = RegularTextRun(rPr=props, t=xlsx_cells.safe_text(text))
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[run])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def bar_chart(title: str, count: int) -> BarChart:
    """A horizontal bar chart, first category at the top, values printed on the bars."""
    chart = BarChart()
    chart.type = "bar"
    chart.title = _title(title)
    chart.legend = None
    chart.style = 2  # plain, greyscale-friendly
    labels = DataLabelList()
    labels.showVal = True
    for hidden in ("showSerName", "showCatName", "showLegendKey", "showPercent"):
        setattr(labels, hidden, False)
    labels.txPr = _text_props(9)
    chart.dataLabels = labels
    chart.x_axis.scaling.orientation = "maxMin"
    chart.x_axis.txPr = _text_props(10)
    chart.y_axis.txPr = _text_props(9)
    chart.y_axis.majorGridlines = None
    # openpyxl ≥ 3.1 hides axes unless told otherwise
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.width = CHART_WIDTH_CM
    chart.height = min(MAX_CHART_HEIGHT_CM, max(6.0, 3.0 + BAR_CM * count))
    return chart


def charts_sheet(ctx: ReportContext, book: Book, layout: Layout) -> None:
    t = ctx.t
    ind = ctx.indicators
    columns = [Column(t("report.col.category"), 34), Column(t("report.col.avg_rate"), 14, "pct")]
    columns += [Column("", 9, "plain") for _ in range(10)]
    sheet = book.sheet(t("report.sheet.charts"), columns, landscape=True, header_rows=0)
    sheet.title(
        t("report.charts.title"), t("report.charts.subtitle", round=ctx.overview.round.name)
    )
    header = sheet.headings([t("report.col.category"), t("report.col.avg_rate")])
    averages = ctx.category_averages()
    for category, average in zip(ind.categories, averages, strict=True):
        sheet.append(
            [
                (ctx.category_header(category), "text"),
                (average if average is not None else "—", "pct"),
            ]
        )
    last = sheet.row_index
    ws = sheet.ws
    next_row = last + 2

    if any(a is not None for a in averages):
        chart = bar_chart(t("report.charts.rates"), len(ind.categories))
        chart.add_data(
            Reference(ws, min_col=2, min_row=header, max_row=last), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=1, min_row=header + 1, max_row=last))
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
        chart.y_axis.number_format = "0%"
        chart.dataLabels.numFmt = "0.0%"
        ws.add_chart(chart, f"A{next_row}")
        next_row += rows_for(chart.height) + 1

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
            chart = bar_chart(title, end - start + 1)
            chart.add_data(
                Reference(summary.ws, min_col=layout.total_col, min_row=start, max_row=end),
                titles_from_data=False,
            )
            chart.set_categories(
                Reference(summary.ws, min_col=layout.unit_col, min_row=start, max_row=end)
            )
            chart.y_axis.scaling.min = 0
            chart.y_axis.scaling.max = float(ind.cap)
            ws.row_breaks.append(Break(id=next_row - 1))
            # a row below the break: a chart starting right on it leaves its top edge as a
            # stray line at the foot of the page before (LibreOffice)
            ws.add_chart(chart, f"A{next_row + 1}")
            next_row += rows_for(chart.height) + 2


def rows_for(height_cm: float) -> int:
    """How many default-height rows a chart of this height covers."""
    return int(height_cm / (MIN_ROW_HEIGHT * CM_PER_POINT)) + 1
