"""The round's full 整改台账 as a workbook of its own (``inspector export --ledger``).

The leadership workbook prints a compact ledger at 10 pt on A4; this is the filing copy with
every field of every entry (deduction, points lost, evidence, re-inspection by whom and when,
remarks, the basis), the same rows and layout as a unit's own ledger in its feedback
(``leadership.ledger_columns`` and ``problem_rows``), with the unit beside each row, on A3
landscape fitted to the width.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from inspector.i18n import tl
from inspector.io.xlsx_style import PAPER_A3
from inspector.io.xlsx_writer import Book
from inspector.reports.data import ReportContext, RoundSource
from inspector.reports.export import REPORTS_DIR, safe_name, stamp, write_book
from inspector.reports.leadership import Widths, ledger_columns, problem_rows, subtitle
from inspector.reports.ledger import LedgerSource
from inspector.store.workspace import Workspace


@dataclass(frozen=True)
class LedgerWritten:
    path: Path
    units: int  # units of the round
    entries: int  # entries written (withdrawn ones included: the ledger keeps them)


def ledger_path(round_name: str, day: date, lang: str) -> Path:
    label = tl(lang, "ledger.book.file_label")
    return REPORTS_DIR / f"{safe_name(round_name, 'round')}-{label}-{stamp(day)}.xlsx"


def write_ledger(ctx: ReportContext, source: RoundSource, book: Book) -> tuple[int, int]:
    """Every unit's entries, in the office's unit order; returns (units, entries)."""
    t = ctx.t
    widths = Widths.of(ctx, [u.name for u in source.units])
    columns = ledger_columns(ctx, widths, with_unit=True)
    sheet = book.sheet(
        t("ledger.book.sheet"), columns, landscape=True, freeze_cols=2, paper=PAPER_A3
    )
    sheet.title(t("ledger.book.title", title=ctx.report_title), subtitle(ctx))
    sheet.headings()
    order = ctx.ledger_order(source.units)
    ledger = LedgerSource(source.ws, ctx, order)
    entries = 0
    for unit in order:
        rows = ledger.rows(unit)
        problem_rows(sheet, rows, with_unit=True)
        entries += len(rows)
    if not entries:
        sheet.merged(t("ledger.book.empty"), "text")
    sheet.autofilter()
    return len(order), entries


def export_ledger(ws: Workspace, ctx: ReportContext, path: Path) -> LedgerWritten:
    """The round's full ledger, written atomically."""
    source = RoundSource(ws, ctx.round)

    def fill(book: Book) -> LedgerWritten:
        units, entries = write_ledger(ctx, source, book)
        return LedgerWritten(path, units, entries)

    return write_book(path, ctx, ctx.t("ledger.book.title", title=ctx.report_title), fill)
