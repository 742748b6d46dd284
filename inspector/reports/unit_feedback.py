"""The feedback workbook for one unit (检查反馈): its score card, its problems with the
rectification requirements and deadlines, and its item detail, self vs inspection.

It is sent to the unit, so it holds nothing of any other unit: every value written here comes
from the unit's own ``UnitStatus``; of the rest of the round only a count is used (how many
units were ranked in its group, ``ranked``).
"""

from __future__ import annotations

from inspector.core.scoring import fmt
from inspector.io.xlsx_writer import Book, Column, fit_width
from inspector.reports.data import ReportContext, gap
from inspector.reports.leadership import (
    DASH,
    DetailRows,
    Widths,
    dash,
    detail_columns,
    ledger_columns,
    problem_rows,
)
from inspector.reports.ledger import LedgerSource
from inspector.store.overview import UnitStatus


def write_unit_feedback(
    ctx: ReportContext, book: Book, status: UnitStatus, ranked: int, ledger: LedgerSource
) -> None:
    card_sheet(ctx, book, status, ranked)
    problems_sheet(ctx, book, status, ledger)
    detail_sheet(ctx, book, status)


def subtitle(ctx: ReportContext, status: UnitStatus) -> str:
    return ctx.t(
        "report.unit.subtitle",
        unit=status.unit.name,
        round=ctx.round.name,
        date=ctx.date_text(ctx.today),
    )


def rank_text(ctx: ReportContext, status: UnitStatus, ranked: int) -> str:
    if status.rank is None:
        return ctx.state_note(status) or DASH
    return ctx.t("report.unit.rank", rank=status.rank, ranked=ranked)


def card_sheet(ctx: ReportContext, book: Book, status: UnitStatus, ranked: int) -> None:
    t = ctx.t
    ind = ctx.indicators
    result = status.inspection
    own = status.self_result
    started = result.answered > 0
    columns = [
        Column(t("report.col.category"), max(26.0, fit_width([status.unit.name], 26, 40))),
        Column(t("report.col.points"), 8, "num"),
        Column(t("report.col.applicable"), 9, "num"),
        Column(t("report.col.self_score"), 9, "num"),
        Column(t("report.col.inspection_score"), 9, "num"),
        Column(t("report.col.rate"), 9, "pct"),
        Column(t("report.col.gap"), 10, "num"),
    ]
    # the score card is one page, however many aggravated or bonus entries it lists
    sheet = book.sheet(
        t("report.unit.sheet.card"), columns, landscape=False, header_rows=0, fit="page"
    )
    sheet.title(t("format.report.unit", title=ctx.report_title), subtitle(ctx, status))
    sheet.blank()
    sheet.label_row(t("report.unit.unit"), status.unit.name)
    sheet.label_row(t("report.col.group"), ctx.group_name(status.unit.group))
    sheet.label_row(t("report.cover.round"), ctx.round.name)
    sheet.label_row(
        t("report.cover.set"),
        t("report.cover.set_value", title=ctx.text(ind, "title"), version=ind.version),
    )
    sheet.label_row(t("report.unit.date"), ctx.date_text(ctx.today))
    sheet.label_row(
        t("report.unit.state"), ctx.state_note(status) or t("report.unit.state_complete")
    )
    sheet.blank()

    sheet.merged(t("report.unit.result"), "section")
    sheet.label_row(t("report.col.base_long"), result.base if started else DASH, "num")
    sheet.label_row(t("report.col.aggravated"), result.aggravated if started else DASH, "num")
    if result.aggravated:
        sheet.label_row(t("report.unit.aggravated_items"), ctx.aggravated_items(status.stored))
    sheet.label_row(t("report.col.bonus"), result.bonus if started else DASH, "num")
    if result.bonus:
        sheet.label_row(t("report.unit.bonus_items"), ctx.bonus_items(status.stored))
    vetoes = ctx.veto_texts(result)
    sheet.label_row(
        t("report.col.veto"),
        ctx.t("problem.separator").join(vetoes) if vetoes else t("report.unit.none"),
        "text_bold" if vetoes else "text",
    )
    sheet.label_row(t("report.col.total"), result.total if started else DASH, "num_bold")
    sheet.label_row(
        t("report.col.grade"),
        ctx.grade_label(result) if result.complete else DASH,
        "text_bold",
    )
    sheet.label_row(t("report.unit.rank_label"), rank_text(ctx, status, ranked))
    sheet.label_row(
        t("report.col.self_total"),
        own.total if own is not None and own.complete else (ctx.self_note(status) or DASH),
        "num" if own is not None and own.complete else "text",
    )
    flagged = ctx.flagged(status.gap)
    sheet.label_row(t("report.col.gap"), dash(status.gap), "num_bold" if flagged else "num")
    if flagged:
        sheet.label_row(
            t("report.col.flag"),
            t("report.unit.flag", threshold=fmt(ctx.threshold)),
            "text_bold",
        )
    sheet.blank()

    sheet.merged(t("report.unit.categories"), "section")
    sheet.headings([c.header for c in columns])
    both = own is not None and own.complete and result.complete
    for index, category in enumerate(ind.categories):
        mine = own.categories[index] if own is not None else None
        theirs = result.categories[index]
        diff = gap(mine.score, theirs.score) if both and mine is not None else None
        flagged_cat = ctx.part_flagged(diff, theirs.max)
        sheet.row(
            [
                ctx.category_header(category),
                category.points,
                theirs.max,
                dash(mine.score if mine is not None else None),
                theirs.score if started else DASH,
                dash(theirs.rate) if started else DASH,
                dash(diff),
            ],
            {6: "num_bold"} if flagged_cat else None,
        )
    earned_self = own.earned if own is not None else None
    sheet.row(
        [
            t("leaders.unit.items_row"),
            ind.total,
            result.applicable,
            dash(earned_self),
            result.earned if started else DASH,
            (result.earned / result.applicable) if started and result.applicable else DASH,
            dash(gap(earned_self, result.earned) if both else None),
        ],
        {0: "text_bold"},
    )
    # the total as the score card gives it (normalised, adjusted), so both gaps agree
    sheet.row(
        [
            t("leaders.unit.total_row"),
            ind.cap,
            DASH,
            own.total if own is not None and own.complete else DASH,
            result.total if started else DASH,
            DASH,
            dash(status.gap),
        ],
        {0: "text_bold", 6: "num_bold" if flagged else "num"},
    )
    sheet.blank()
    sheet.merged(t("report.unit.card_note"), "note")


def problems_sheet(
    ctx: ReportContext, book: Book, status: UnitStatus, ledger: LedgerSource
) -> None:
    """The unit's own 整改台账: its problems, what it reported, the office's re-inspection."""
    t = ctx.t
    widths = Widths.of(ctx, [status.unit.name])
    columns = ledger_columns(ctx, widths, with_unit=False)
    sheet = book.sheet(t("report.unit.sheet.problems"), columns, landscape=True, freeze_cols=0)
    sheet.title(t("report.unit.problems_title"), subtitle(ctx, status))
    sheet.headings()
    rows = ledger.rows(status.unit)
    problem_rows(sheet, rows, with_unit=False)
    if not rows:
        sheet.merged(t("report.unit.no_problems"), "text")
    sheet.autofilter()
    sheet.blank()
    sheet.merged(t("ledger.unit.note"), "note")


def detail_sheet(ctx: ReportContext, book: Book, status: UnitStatus) -> None:
    t = ctx.t
    widths = Widths.of(ctx, [status.unit.name])
    sheet = book.sheet(
        t("report.sheet.detail"),
        detail_columns(ctx, widths, with_unit=False),
        landscape=True,
        freeze_cols=3,
    )
    sheet.title(t("report.unit.detail_title"), subtitle(ctx, status))
    sheet.headings()
    DetailRows(ctx).write(sheet, status, with_unit=False)
    sheet.autofilter()
