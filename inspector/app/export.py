"""Exporting workbooks: the leadership workbook, one unit's feedback, or every unit's.

The rows and layouts are ``inspector.reports``'; this module decides which files to write,
where, and refuses what cannot be done (``--unit`` with ``--all-units``, a file as folder, a
file that exists without ``--force``: ``app.outputs``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from inspector.app.ledger import ensure_synced
from inspector.app.outputs import check_new, reported_once
from inspector.app.workspaces import opened
from inspector.core.assessment import Unit
from inspector.errors import InspectorError
from inspector.io.fileio import check_target

if TYPE_CHECKING:  # the reports (and XlsxWriter) are imported only by the commands that write
    from inspector.reports.data import ReportContext
    from inspector.store.workspace import Workspace

T = TypeVar("T")


@dataclass(frozen=True)
class RoundReport:
    """What a round-wide report is asked for: the workspace, the round (None: the current
    one), the language, the self-assessment gap threshold (None: the set's), the day it is
    made, where it goes (None: the default under reports/) and whether it may replace a file."""

    db: Path | None
    round_name: str | None
    lang: str
    threshold: Decimal | None
    today: date
    output: Path | None
    force: bool


@dataclass(frozen=True)
class Exported:
    path: Path
    units: int  # units in the workbook
    complete: int  # of which completely scored


@dataclass(frozen=True)
class LedgerExported:
    path: Path
    units: int  # units of the round
    entries: int  # ledger entries written


@dataclass(frozen=True)
class UnitWritten:
    """An event: one unit's feedback workbook is written."""

    unit: Unit
    path: Path


def _resolve(output: Path | None, folder: Path, name: str) -> Path:
    """The path asked for; a folder given as ``--out`` gets the default file name inside."""
    if output is None:
        return folder / name
    if output.is_dir():
        return output / name
    return output


def leadership_target(output: Path | None, round_name: str, today: date) -> Path:
    from inspector.reports import export as reports

    default = reports.leadership_path(round_name, today)
    return _resolve(output, default.parent, default.name)


def _write_new(output: Path | None, default: Path, force: bool, write: Callable[[Path], T]) -> T:
    """``write`` to ``output`` (a file, or a folder for ``default``'s name), never over a
    file that exists unless ``force``; the report comes out once, even when interrupted."""
    from inspector.reports import export as reports

    path = _resolve(output, default.parent, default.name)
    if path.is_dir():
        raise InspectorError("export.is_directory", path=path)
    check_new([path], force)
    path = reports.target(path, force)
    return reported_once(lambda: write(path))


def _in_round(request: RoundReport, work: Callable[[Workspace, ReportContext], T]) -> T:
    """``work`` on the round's report context, its ledger brought up to date first."""
    from inspector.reports import export as reports

    r = request
    with opened(r.db) as ws:
        ctx = reports.context(ws, r.round_name, r.lang, r.threshold, r.today)
        ensure_synced(ws, ctx.round)  # the ledger follows every stored inspection
        return work(ws, ctx)


def _leadership(
    ws: Workspace, ctx: ReportContext, output: Path | None, force: bool, round_name: str
) -> Exported:
    from inspector.reports import export as reports

    default = reports.leadership_path(round_name, ctx.today)
    written = _write_new(
        output, default, force, lambda path: reports.export_leadership(ws, ctx, path)
    )
    return Exported(written.path, written.units, written.complete)


def leadership(request: RoundReport) -> Exported:
    """The leadership workbook of the round."""
    return _in_round(
        request,
        lambda ws, ctx: _leadership(ws, ctx, request.output, request.force, ctx.round.name),
    )


def _notice(
    ws: Workspace, ctx: ReportContext, output: Path | None, force: bool, round_name: str
) -> Path:
    from inspector.reports import export as reports

    default = reports.notice_path(round_name, ctx.today, ctx.lang)
    return _write_new(output, default, force, lambda path: reports.export_notice(ws, ctx, path))


def notice(request: RoundReport) -> Path:
    """The draft 通报 (.docx) of the round."""
    return _in_round(
        request,
        lambda ws, ctx: _notice(ws, ctx, request.output, request.force, ctx.round.name),
    )


def ledger_book(request: RoundReport) -> LedgerExported:
    """The round's full 整改台账 as a workbook of its own."""
    from inspector.reports.ledger_book import export_ledger, ledger_path

    def write(ws: Workspace, ctx: ReportContext) -> LedgerExported:
        default = ledger_path(ctx.round.name, ctx.today, ctx.lang)
        written = _write_new(
            request.output, default, request.force, lambda path: export_ledger(ws, ctx, path)
        )
        return LedgerExported(written.path, written.units, written.entries)

    return _in_round(request, write)


def unit_feedback(
    db: Path | None,
    round_name: str | None,
    unit_name: str,
    lang: str,
    threshold: Decimal | None,
    today: date,
    output: Path | None,
    force: bool,
) -> tuple[Unit, Path]:
    """One unit's feedback workbook: nothing of any other unit."""
    from inspector.reports import export as reports

    with opened(db) as ws:
        ctx = reports.context(ws, round_name, lang, threshold, today)
        ensure_synced(ws, ctx.round)  # the ledger follows every stored inspection
        unit = ws.unit(unit_name)
        default = reports.unit_file_name(unit.name, today, lang)
        path = _resolve(output, reports.REPORTS_DIR, default)
        if path.is_dir():
            raise InspectorError("export.is_directory", path=path)
        check_new([path], force)
        path = reports.target(path, force)
        reported_once(lambda: reports.export_unit(ws, ctx, unit, path))
    return unit, path


def every_unit(
    db: Path | None,
    round_name: str | None,
    lang: str,
    threshold: Decimal | None,
    today: date,
    folder: Path,
    force: bool,
    listener: Callable[[UnitWritten], None] | None = None,
) -> int:
    """One feedback workbook per unit in ``folder``; returns how many were written."""
    from inspector.reports import export as reports

    if folder.exists() and not folder.is_dir():
        raise InspectorError("export.not_directory", path=folder)
    notify = listener or (lambda event: None)
    with opened(db) as ws:
        ctx = reports.context(ws, round_name, lang, threshold, today)
        ensure_synced(ws, ctx.round)  # the ledger follows every stored inspection
        units = ws.units()
        if not units:
            raise InspectorError("export.no_units")
        # every file checked first: all are written, or none (the names, deduplicated among
        # themselves, do not depend on the order the units are written in)
        check_new([path for _, path in reports.unit_targets(units, folder, ctx, True)], force)
        folder.mkdir(parents=True, exist_ok=True)

        def write_all() -> int:
            count = 0
            for written in reports.export_units(ws, ctx, folder, force):
                assert written.unit is not None  # a feedback workbook names its unit
                notify(UnitWritten(written.unit, written.path))
                count += 1
            return count

        count = reported_once(write_all)
    return count


@dataclass(frozen=True)
class Demo:
    db: Path
    units: int
    groups: dict[str, int]  # units per group name (in the chosen language)
    workbook: Exported
    notice: Path
    first_unit: str


def demo(db: Path | None, output: Path | None, force: bool, lang: str, today: date) -> Demo:
    """Build the sample workspace (``app.demo``) and its leadership workbook."""
    from inspector.app.demo import DEMO_DB, PROFILES, ROUND_NAME, build_demo
    from inspector.reports import export as reports

    path = db or DEMO_DB
    # both files are checked before the workspace is (re)built: the demo's workspace replaces
    # only an earlier demo, never a FIFO or a device; its workbook follows the output rule
    check_target(path)
    workbook_path = leadership_target(output, ROUND_NAME, today)
    notice_path = workbook_path.with_name(reports.notice_path(ROUND_NAME, today, lang).name)
    check_new([workbook_path, notice_path], force)
    built = build_demo(path)
    with opened(path) as ws:
        ctx = reports.context(ws, None, lang, None, today)
        ensure_synced(ws, ctx.round)
        groups = {ctx.group_name(code): count for code, count in built.groups.items()}
        workbook = _leadership(ws, ctx, output, force, built.round_name)
        # the draft 通报 beside the workbook
        written = _notice(ws, ctx, workbook.path.parent, force, built.round_name)
    return Demo(path, built.units, groups, workbook, written, PROFILES[0].name)
