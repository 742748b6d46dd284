"""Exporting: the report context from a workspace, file names, and atomic saving."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from inspector.errors import InspectorError
from inspector.i18n import tl
from inspector.io.fileio import atomic_path, free_path
from inspector.reports.book import Book
from inspector.reports.data import ReportContext
from inspector.store.overview import UnitStatus, build_overview
from inspector.store.workspace import Workspace

REPORTS_DIR = Path("reports")
UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$", re.IGNORECASE)
MAX_NAME_CHARS = 80  # 3 bytes per CJK character stays well inside a 255-byte file name


@dataclass(frozen=True)
class Written:
    path: Path
    cells: int


def safe_name(text: str, fallback: str = "report") -> str:
    """A file name part that every file system takes: no separators, no reserved characters,
    no leading dots or dashes, not a Windows device name, not too long."""
    name = UNSAFE.sub("_", text).strip().strip(".").strip()
    name = re.sub(r"\s+", " ", name)[:MAX_NAME_CHARS].strip()
    if not name:
        return fallback
    if name[0] in "-=+@":  # an option to a shell command, a formula in a file listing
        name = "_" + name[1:]
    if WINDOWS_RESERVED.match(name):
        name = "_" + name
    return name


def stamp(day: date) -> str:
    return day.strftime("%Y%m%d")


def leadership_path(round_name: str, day: date) -> Path:
    return REPORTS_DIR / f"{safe_name(round_name, 'round')}-{stamp(day)}.xlsx"


def unit_file_name(unit_name: str, day: date, lang: str) -> str:
    label = tl(lang, "report.unit.file_label")
    return f"{safe_name(unit_name, 'unit')}-{label}-{stamp(day)}.xlsx"


def context(
    ws: Workspace, round_name: str | None, lang: str, threshold: Decimal | None, day: date
) -> ReportContext:
    round_ = ws.round(round_name)
    overview = build_overview(ws, round_)
    limit = threshold if threshold is not None else round_.indicators.self_gap_flag
    return ReportContext(overview, lang, limit, day)


def target(path: Path, force: bool) -> Path:
    """Where to write: ``path`` itself with ``force``, else the first free ``name-N`` beside it.
    A directory is never a target."""
    if path.is_dir():
        raise InspectorError("export.is_directory", path=path)
    return path if force else free_path(path)


def save(book: Book, path: Path) -> None:
    """Save atomically: a crash or a failing save never leaves a broken file at ``path``."""
    try:
        with atomic_path(path) as temp:  # which also gives the file ordinary permissions
            book.save(temp)
    except BaseException:
        book.discard()
        raise


def export_leadership(ctx: ReportContext, path: Path) -> Written:
    from inspector.reports.leadership import write_leadership

    book = Book(ctx.lang, ctx.t("report.cover.title"), ctx.today)
    write_leadership(ctx, book)
    save(book, path)
    return Written(path, book.cells)


def export_unit(ctx: ReportContext, status: UnitStatus, path: Path) -> Written:
    from inspector.reports.unit_feedback import write_unit_feedback

    book = Book(ctx.lang, ctx.t("report.unit.doc_title", unit=status.unit.name), ctx.today)
    write_unit_feedback(ctx, book, status)
    save(book, path)
    return Written(path, book.cells)


def unit_targets(
    statuses: Iterable[UnitStatus], folder: Path, ctx: ReportContext, force: bool
) -> list[tuple[UnitStatus, Path]]:
    """One file per unit in ``folder``. Two units whose safe names coincide get distinct
    files (``-2``…) even with ``force``, so one run never overwrites its own output."""
    taken: set[Path] = set()
    plan = []
    for status in statuses:
        name = unit_file_name(status.unit.name, ctx.today, ctx.lang)
        path = folder / name
        candidate = path if force else free_path(path)
        n = 2
        while candidate in taken or (not force and candidate.exists()):
            candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
            n += 1
        taken.add(candidate)
        plan.append((status, candidate))
    return plan
