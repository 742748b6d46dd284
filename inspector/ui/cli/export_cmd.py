"""``inspector export`` (leadership workbook, unit feedback) and ``inspector demo``.

The reports (and XlsxWriter) are imported only inside the commands, through the application
layer, so that ``inspector --help`` stays quick.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from inspector.errors import InspectorError
from inspector.i18n import t
from inspector.ui.cli.app import command
from inspector.ui.cli.common import db_option, number_option, round_option

if TYPE_CHECKING:
    from inspector.app.export import Exported


def written_message(exported: "Exported") -> str:
    return t("export.written", path=exported.path, units=exported.units, complete=exported.complete)


def register(app: typer.Typer) -> None:
    @command(app, "export", t("export.help"))
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
        notice: Annotated[bool, typer.Option("--notice", help=t("notice.opt"))] = False,
        ledger: Annotated[bool, typer.Option("--ledger", help=t("ledger.book.opt"))] = False,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from datetime import date

        from rich.text import Text

        from inspector.app import export as exporting
        from inspector.i18n import get_language
        from inspector.ui.console import out

        threshold = number_option(gap_threshold, "--gap-threshold", positive=False)
        if unit is not None and all_units is not None:
            raise InspectorError("export.unit_and_all")
        if all_units is not None and output is not None:
            raise InspectorError("export.out_and_all")
        if notice and (unit is not None or all_units is not None):
            raise InspectorError("notice.with_unit")
        if ledger and (unit is not None or all_units is not None or notice):
            raise InspectorError("ledger.book.with_other")
        lang = get_language()
        today = date.today()
        console = out()
        request = exporting.RoundReport(db, round_name, lang, threshold, today, output, force)

        if ledger:
            book = exporting.ledger_book(request)
            console.print(
                Text(
                    t(
                        "ledger.book.written",
                        path=book.path,
                        units=book.units,
                        entries=book.entries,
                    )
                )
            )
            return

        if notice:
            path = exporting.notice(request)
            console.print(Text(t("notice.written", path=path)))
            return

        if all_units is not None:

            def written(event: exporting.UnitWritten) -> None:
                console.print(Text(t("export.unit_written", unit=event.unit.name, path=event.path)))

            count = exporting.every_unit(
                db, round_name, lang, threshold, today, all_units, force, written
            )
            console.print(Text(t("export.all_written", count=count, folder=all_units)))
            return

        if unit is not None:
            chosen, path = exporting.unit_feedback(
                db, round_name, unit, lang, threshold, today, output, force
            )
            console.print(Text(t("export.unit_written", unit=chosen.name, path=path)))
            return

        exported = exporting.leadership(request)
        console.print(Text(written_message(exported)))

    @command(app, "demo", t("demo.help"))
    def demo(
        db: Annotated[Path | None, typer.Option("--db", help=t("demo.opt.db"))] = None,
        output: Annotated[Path | None, typer.Option("--out", help=t("demo.opt.out"))] = None,
        force: Annotated[bool, typer.Option("--force", help=t("export.opt.force"))] = False,
    ) -> None:
        from datetime import date

        from rich.text import Text

        from inspector.app import export as exporting
        from inspector.i18n import get_language
        from inspector.ui.console import out

        made = exporting.demo(db, output, force, get_language(), date.today())
        groups = "、".join(f"{name} {count}" for name, count in made.groups.items())
        console = out()
        console.print(Text(t("demo.done", path=made.db, units=made.units, groups=groups)))
        console.print(Text(written_message(made.workbook)))
        console.print(Text(t("notice.written", path=made.notice)))
        console.print(Text(t("demo.next", db=made.db, unit=made.first_unit)))
