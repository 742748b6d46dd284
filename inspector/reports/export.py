"""Exporting: the report context from a workspace, file names, and atomic saving.

Exports read the round one unit at a time (``RoundSource``); the workspace stays open while a
workbook is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from inspector.core.assessment import Unit
from inspector.errors import InspectorError
from inspector.i18n import tl
from inspector.io.fileio import atomic_path, free_path
from inspector.io.xlsx_writer import Book
from inspector.reports.data import ReportContext, RoundSource
from inspector.reports.ledger import LedgerSource
from inspector.store import results
from inspector.store.overview import UnitStatus
from inspector.store.results import ensure_fresh
from inspector.store.workspace import Workspace
from inspector.text_rules import file_name

T = TypeVar("T")
REPORTS_DIR = Path("reports")
# up to this many units a leadership workbook is assembled in memory: its charts carry their
# figures (XlsxWriter caches them only then), at some tens of MB
CHART_CACHE_UNITS = 500


@dataclass(frozen=True)
class Written:
    path: Path
    cells: int  # cells with a value
    units: int  # units in the workbook
    complete: int  # of which fully scored
    unit: Unit | None = None  # the unit of a feedback workbook


@dataclass(frozen=True)
class Standings:
    """Where every unit stands: its rank, how many units are ranked in each group, and the
    units in the summary's order (groups in the set's order, ranked first)."""

    ranks: dict[int, int | None]
    ranked: dict[str, int]
    order: list[Unit]
    complete: int


def safe_name(text: str, fallback: str = "report") -> str:
    """A file name part that every file system takes (``text_rules.file_name``)."""
    return file_name(text, "", fallback)


def stamp(day: date) -> str:
    return day.strftime("%Y%m%d")


def leadership_path(round_name: str, day: date) -> Path:
    return REPORTS_DIR / file_name(round_name, f"-{stamp(day)}.xlsx", "round")


def notice_path(round_name: str, day: date, lang: str) -> Path:
    label = tl(lang, "notice.file_label")
    return REPORTS_DIR / f"{safe_name(round_name, 'round')}-{label}-{stamp(day)}.docx"


def export_notice(ws: Workspace, ctx: ReportContext, path: Path) -> Path:
    """The draft 通报 of the round (``reports/notice``), written atomically."""
    from inspector.reports.notice import build_notice, read_round
    from inspector.reports.notice_docx import write_notice

    notice = build_notice(ctx, read_round(ctx, RoundSource(ws, ctx.round)))
    write_notice(notice, path)
    return path


def unit_file_name(unit_name: str, day: date, lang: str) -> str:
    label = tl(lang, "report.unit.file_label")
    return file_name(unit_name, f"-{label}-{stamp(day)}.xlsx", "unit")


def context(
    ws: Workspace, round_name: str | None, lang: str, threshold: Decimal | None, day: date
) -> ReportContext:
    round_ = ws.round(round_name)
    limit = threshold if threshold is not None else round_.indicators.self_gap_flag
    return ReportContext(round_, lang, limit, day)


def round_standings(ctx: ReportContext, source: RoundSource) -> Standings:
    """Where every unit stands, from the results the store keeps current (totals, ranks):
    no unit is read or scored for it."""
    ensure_fresh(source.ws, ctx.round)
    rows = list(results.rows(source.ws.conn, ctx.round.id))
    groups = results.ranked_groups(rows, [g.code for g in ctx.indicators.groups])
    counts = {code: sum(1 for r in members if r.rank is not None) for code, members in groups}
    return Standings(
        {r.unit.id: r.rank for r in rows},
        counts,
        [r.unit for _, members in groups for r in members],
        sum(1 for r in rows if r.inspection.complete),
    )


def target(path: Path, force: bool) -> Path:
    """Where to write: ``path`` itself with ``force``, else the first free ``name-N`` beside it.
    A directory is never a target."""
    if path.is_dir():
        raise InspectorError("export.is_directory", path=path)
    return path if force else free_path(path)


def write_book(
    path: Path,
    ctx: ReportContext,
    title: str,
    fill: Callable[[Book], T],
    streaming: bool = True,
) -> T:
    """Write a workbook atomically: a crash or a failing save never leaves a broken file at
    ``path``, nor scratch files behind."""
    with atomic_path(path) as temp:  # which also gives the file ordinary permissions
        book = Book(temp, lang=ctx.lang, title=title, created=ctx.today, streaming=streaming)
        try:
            result = fill(book)
            book.close()
        except BaseException:
            book.discard()
            raise
    return result


def export_leadership(ws: Workspace, ctx: ReportContext, path: Path) -> Written:
    from inspector.reports.leadership import write_leadership

    source = RoundSource(ws, ctx.round)

    def fill(book: Book) -> Written:
        ranked = write_leadership(ctx, source, book)
        complete = sum(1 for s in ranked if s.inspection.complete)
        return Written(path, book.cells, len(ranked), complete)

    title = ctx.t("format.report.cover", title=ctx.report_title)
    # A round of ordinary size is assembled in memory, so that XlsxWriter stores each chart's
    # figures beside its references (previewers that do not recalculate show them); a very
    # large round streams row by row (constant memory), and its charts carry references only.
    streaming = len(source.units) > CHART_CACHE_UNITS
    return write_book(path, ctx, title, fill, streaming=streaming)


def export_status(
    ctx: ReportContext, status: UnitStatus, ranked: int, path: Path, ledger: LedgerSource
) -> Written:
    """The feedback workbook of the unit of ``status`` (its rank set); ``ranked`` units are
    ranked in its group."""
    from inspector.reports.unit_feedback import write_unit_feedback

    def fill(book: Book) -> Written:
        write_unit_feedback(ctx, book, status, ranked, ledger)
        complete = 1 if status.inspection.complete else 0
        return Written(path, book.cells, 1, complete, status.unit)

    title = ctx.t("format.report.unit_doc", unit=status.unit.name, title=ctx.report_title)
    return write_book(path, ctx, title, fill)


def export_unit(ws: Workspace, ctx: ReportContext, unit: Unit, path: Path) -> Written:
    """One unit's feedback: its rank and its group's count from the stored results, so the
    cost does not depend on the size of the round."""
    source = RoundSource(ws, ctx.round)
    ensure_fresh(ws, ctx.round)
    standing = results.standing(ws.conn, ctx.round.id, unit.id)
    (status,) = source.statuses([unit], {unit.id: standing.rank})
    ledger = LedgerSource(ws, ctx, [unit])
    return export_status(ctx, status, standing.ranked, path, ledger)


def export_units(ws: Workspace, ctx: ReportContext, folder: Path, force: bool) -> Iterator[Written]:
    """A feedback workbook per unit in ``folder``, in the summary's order, one at a time."""
    source = RoundSource(ws, ctx.round)
    standing = round_standings(ctx, source)
    paths = {unit.id: path for unit, path in unit_targets(standing.order, folder, ctx, force)}
    ledger = LedgerSource(ws, ctx, standing.order)
    for status in source.statuses(standing.order, standing.ranks):
        ranked = standing.ranked.get(status.unit.group, 0)
        yield export_status(ctx, status, ranked, paths[status.unit.id], ledger)


def unit_targets(
    units: Iterable[Unit], folder: Path, ctx: ReportContext, force: bool
) -> list[tuple[Unit, Path]]:
    """One file per unit in ``folder``. Two units whose safe names coincide get distinct
    files (``-2``…) even with ``force``, so one run never overwrites its own output."""
    taken: set[Path] = set()
    plan = []
    for unit in units:
        name = unit_file_name(unit.name, ctx.today, ctx.lang)
        path = folder / name
        candidate = path if force else free_path(path)
        n = 2
        while candidate in taken or (not force and candidate.exists()):
            candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
            n += 1
        taken.add(candidate)
        plan.append((unit, candidate))
    return plan
