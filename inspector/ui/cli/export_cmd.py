"""``inspector export`` (leadership workbook, unit feedback) and ``inspector demo``.

The spreadsheet libraries are imported only inside the commands (through
``inspector.reports``), so that ``inspector --help`` stays quick. Exports read the round unit
by unit, so the workspace stays open while they write.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from inspector.errors import InspectorError
from inspector.i18n import get_language, t
from inspector.ui.cli.app import guarded
from inspector.ui.cli.common import db_option, round_option, workspace
from inspector.ui.console import out

if TYPE_CHECKING:
    from inspector.reports.export import Written


def parse_threshold(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise InspectorError("export.bad_threshold", value=value) from None
    if not number.is_finite() or number < 0:
        raise InspectorError("export.bad_threshold", value=value)
    return number


def register(app: typer.Typer) -> None:
    @app.command("export", help=t("export.help"))
    @guarded
    def export(
        output: Annotated[Path | None, typer.Option("--out", help=t("export.opt.out"))] = None,
        force: Annotated[bool, typer.Option("--force", help=t("export.opt.force"))] = False,
        unit: Annotated[str | None, typer.Option("--unit", help=t("export.opt.unit"))] = None,
        all_units: Annotated[
            Path | None, typer.Option("--all-units", help=t("export.opt.all_units"))
        ] = None,
        gap_threshold: Annotated[
            str | None, typer.Option("--gap-threshold", help=t("export.opt.gap_threshold"))
        ] = None,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        threshold = parse_threshold(gap_threshold)
        if unit is not None and all_units is not None:
            raise InspectorError("export.unit_and_all")
        if all_units is not None and output is not None:
            raise InspectorError("export.out_and_all")
        from inspector.reports import export as reports

        lang = get_language()
        today = date.today()
        console = out()
        with workspace(db) as ws:
            ctx = reports.context(ws, round_name, lang, threshold, today)
            chosen = ws.unit(unit) if unit is not None else None

            if all_units is not None:
                if all_units.exists() and not all_units.is_dir():
                    raise InspectorError("export.not_directory", path=all_units)
                if not ws.units():
                    raise InspectorError("export.no_units")
                all_units.mkdir(parents=True, exist_ok=True)
                count = 0
                for written in reports.export_units(ws, ctx, all_units, force):
                    assert written.unit is not None
                    name = written.unit.name
                    console.print(Text(t("export.unit_written", unit=name, path=written.path)))
                    count += 1
                console.print(Text(t("export.all_written", count=count, folder=all_units)))
                return

            if chosen is not None:
                default = reports.unit_file_name(chosen.name, today, lang)
                path = reports.target(_resolve(output, reports.REPORTS_DIR, default), force)
                reports.export_unit(ws, ctx, chosen, path)
                console.print(Text(t("export.unit_written", unit=chosen.name, path=path)))
                return

            default_path = reports.leadership_path(ctx.round.name, today)
            path = reports.target(_resolve(output, default_path.parent, default_path.name), force)
            written = reports.export_leadership(ws, ctx, path)
        console.print(Text(written_message(written)))

    @app.command("demo", help=t("demo.help"))
    @guarded
    def demo(
        db: Annotated[Path | None, typer.Option("--db", help=t("demo.opt.db"))] = None,
        output: Annotated[Path | None, typer.Option("--out", help=t("demo.opt.out"))] = None,
        force: Annotated[bool, typer.Option("--force", help=t("export.opt.force"))] = False,
    ) -> None:
        from inspector.app.demo import DEMO_DB, PROFILES, build_demo
        from inspector.reports import export as reports

        path = db or DEMO_DB
        built = build_demo(path)
        lang = get_language()
        today = date.today()
        console = out()
        with workspace(path) as ws:
            ctx = reports.context(ws, None, lang, None, today)
            groups = "、".join(
                f"{ctx.group_name(code)} {count}" for code, count in built.groups.items()
            )
            console.print(Text(t("demo.done", path=path, units=built.units, groups=groups)))
            default_path = reports.leadership_path(built.round_name, today)
            target = reports.target(_resolve(output, default_path.parent, default_path.name), force)
            written = reports.export_leadership(ws, ctx, target)
        console.print(Text(written_message(written)))
        console.print(Text(t("demo.next", db=path, unit=PROFILES[0].name)))


def _resolve(output: Path | None, folder: Path, name: str) -> Path:
    """The path asked for; a folder given as ``--out`` gets the default file name inside."""
    if output is None:
        return folder / name
    if output.is_dir():
        return output / name
    return output


def written_message(written: Written) -> str:
    return t("export.written", path=written.path, units=written.units, complete=written.complete)
