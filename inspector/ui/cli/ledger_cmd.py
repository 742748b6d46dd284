"""The rectification cycle: ``ledger``, ``rectify template|import``, ``recheck``."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from inspector.errors import InspectorError
from inspector.i18n import get_language, t
from inspector.ui.cli.app import command, new_typer
from inspector.ui.cli.common import db_option, inspector_option, json_option, round_option
from inspector.ui.console import command_line, err, out, print_json

if TYPE_CHECKING:
    from datetime import date

    from inspector.app.ledger import Listing
    from inspector.app.rectify import Outcome

DEFAULT_FOLDER = Path("reports") / "整改台账"


def register(app: typer.Typer) -> None:
    @command(app, "ledger", t("ledger.help"))
    def ledger_cmd(
        unit: Annotated[str | None, typer.Argument(help=t("ledger.arg.unit"))] = None,
        status: Annotated[str | None, typer.Option("--status", help=t("ledger.opt.status"))] = None,
        overdue: Annotated[bool, typer.Option("--overdue", help=t("ledger.opt.overdue"))] = False,
        as_json: Annotated[bool, json_option()] = False,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from inspector.app.ledger import entry_json, listing
        from inspector.app.workspaces import opened

        with opened(db) as ws:
            found = listing(ws, round_name, unit, status, overdue)
        lang = get_language()
        if as_json:
            print_json(
                {
                    "round": found.round.name,
                    "today": found.today.isoformat(),
                    "entries": [
                        entry_json(e, found.today, lang, found.round.name) for e in found.entries
                    ],
                }
            )
            return
        _print_ledger(found, with_unit=unit is None)

    rectify_app = new_typer(t("rx.help"))
    app.add_typer(rectify_app, name="rectify")

    @command(rectify_app, "template", t("rx.template.help"))
    def rectify_template(
        units: Annotated[list[str] | None, typer.Argument(help=t("sa.arg.units"))] = None,
        all_units: Annotated[bool, typer.Option("--all", help=t("rx.opt.all"))] = False,
        folder: Annotated[Path | None, typer.Option("--out", help=t("rx.opt.out"))] = None,
        force: Annotated[bool, typer.Option("--force", help=t("sa.opt.force"))] = False,
        contact: Annotated[str | None, typer.Option("--contact", help=t("sa.opt.contact"))] = None,
        due: Annotated[str | None, typer.Option("--due", help=t("rx.opt.due"))] = None,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from rich.text import Text

        from inspector.app.actors import default_user
        from inspector.app.rectify import Progress, issue
        from inspector.app.workspaces import opened
        from inspector.ui.cli.selfassess_cmd import _due, progress_bar

        if all_units and units:
            raise InspectorError("sa.template.both")
        if not all_units and not units:
            raise InspectorError("sa.template.no_units")
        due_date = _due(due)
        target = folder or DEFAULT_FOLDER
        with opened(db) as ws, progress_bar(t("rx.template.progress")) as bar:

            def show(event: Progress) -> None:
                bar.update(bar.task_ids[0], total=event.total, completed=event.done)
                bar.update(bar.task_ids[0], current=event.unit.name if event.unit else "")

            issued = issue(
                ws,
                round_name,
                None if all_units else units,
                target,
                get_language(),
                who=default_user(),
                contact=contact,
                due=due_date,
                force=force,
                listener=show,
            )
        console = out()
        for entry in issued.written:
            console.print(
                Text(
                    t(
                        "rx.template.written",
                        unit=entry.unit.name,
                        count=entry.problems,
                        path=entry.path,
                    )
                )
            )
        for skipped in issued.skipped:
            console.print(Text(t(f"rx.template.skipped.{skipped.reason}", unit=skipped.unit.name)))
        console.print(Text(t("rx.template.done", count=len(issued.written), folder=target)))
        if not issued.contact:
            err().print(Text(t("sa.template.no_contact")))

    @command(rectify_app, "import", t("rx.import.help"))
    def rectify_import(
        files: Annotated[list[Path], typer.Argument(help=t("rx.arg.files"))],
        dry_run: Annotated[bool, typer.Option("--dry-run", help=t("rx.opt.dry_run"))] = False,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from inspector.app.actors import default_user
        from inspector.app.imports import expand
        from inspector.app.rectify import Event, FileFinished, FileStarted, import_files
        from inspector.app.workspaces import opened
        from inspector.ui.cli.selfassess_cmd import progress_bar

        paths = expand(files)
        if not paths:
            raise InspectorError("sa.import.no_files")
        with opened(db) as ws, progress_bar(t("rx.import.progress")) as bar:

            def show(event: Event) -> None:
                task = bar.task_ids[0]
                if isinstance(event, FileStarted):
                    bar.update(task, total=event.total, current=event.path.name)
                elif isinstance(event, FileFinished):
                    bar.update(task, completed=event.index)

            outcomes = import_files(
                ws, paths, default_user(), command_line(), round_name, dry_run, show
            )
        _report_import(outcomes, dry_run)
        if any(o.status == "refused" for o in outcomes):
            raise typer.Exit(1)

    @command(app, "recheck", t("recheck.help"))
    def recheck_cmd(
        unit: Annotated[str, typer.Argument(help=t("arg.unit"))],
        numbers: Annotated[list[str] | None, typer.Argument(help=t("recheck.arg.numbers"))] = None,
        answers: Annotated[
            Path | None, typer.Option("--answers", help=t("recheck.opt.answers"))
        ] = None,
        inspector: Annotated[str | None, inspector_option()] = None,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from rich.text import Text

        from inspector.app.workspaces import opened

        if answers is not None:
            from inspector.app.recheck import record_answers

            if numbers:
                raise InspectorError("recheck.answers_and_numbers")
            with opened(db) as ws:
                replayed = record_answers(
                    ws,
                    round_name,
                    unit,
                    answers,
                    inspector=inspector,
                    command=command_line(),
                )
            out().print(
                Text(
                    t(
                        "recheck.recorded",
                        unit=replayed.unit.name,
                        decisions=replayed.decisions,
                        changes=replayed.changes,
                    )
                )
            )
            return
        from inspector.app.actors import acting
        from inspector.ui import interactive
        from inspector.ui.interactive.recheck import run_recheck

        if not interactive.has_terminal():
            raise InspectorError("recheck.no_tty", unit=unit)
        with opened(db) as ws:
            code = run_recheck(ws, round_name, unit, list(numbers or ()), who=acting(inspector))
        if code:
            raise typer.Exit(code)


def _flags(entry: object, today: "date") -> str:
    from inspector.app.ledger import flags

    return t("problem.separator").join(flags(entry, today, get_language()))  # type: ignore[arg-type]


def _print_ledger(found: "Listing", with_unit: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    from inspector.app.ledger import status_text
    from inspector.text_rules import printable

    lang = get_language()
    console = out()
    table = Table(
        title=Text(t("ledger.title", round=found.round.name, count=len(found.entries))),
        title_justify="left",
    )
    table.add_column(t("ledger.col.number"), no_wrap=True)
    if with_unit:
        table.add_column(t("report.col.unit"), overflow="fold")
    table.add_column(t("report.col.item"), overflow="fold")
    table.add_column(t("report.col.problem"), overflow="fold", ratio=3)
    table.add_column(t("report.col.deadline"), no_wrap=True)
    table.add_column(t("report.col.status"), overflow="fold")
    table.add_column(t("ledger.col.responsible"), overflow="fold")
    table.add_column(t("ledger.col.remarks"), overflow="fold")
    counts: dict[str, int] = {}
    overdue = 0
    for entry in found.entries:
        key = "failed" if entry.failed_recheck else entry.status
        counts[key] = counts.get(key, 0) + 1
        late = entry.overdue(found.today)
        overdue += late
        row = [Text(printable(entry.number))]
        if with_unit:
            row.append(Text(printable(entry.unit_name)))
        row += [
            Text(printable(f"{entry.code} {entry.text('item', lang)}")),
            Text(printable(entry.text("problem", lang))),
            entry.deadline or "—",
            Text(status_text(entry, lang), "bold" if late else ""),
            Text(printable(entry.responsible or "—")),
            Text(_flags(entry, found.today), "bold" if late else ""),
        ]
        table.add_row(*row, style="dim" if entry.status == "withdrawn" else None)
    console.print(table)
    parts = [
        t("ledger.count", status=t(f"ledger.status.{key}"), count=counts[key])
        for key in ("open", "in_progress", "failed", "done", "closed", "withdrawn")
        if counts.get(key)
    ]
    console.print(
        Text(
            t(
                "ledger.summary",
                count=len(found.entries),
                parts=t("sa.list_sep").join(parts) or "—",
                overdue=overdue,
                today=found.today.isoformat(),
            )
        )
    )


def _report_import(outcomes: list["Outcome"], dry_run: bool) -> None:
    from rich.table import Table
    from rich.text import Text

    console = out()
    table = Table()
    for col in ("file", "unit", "result", "problems", "done"):
        table.add_column(
            t(f"rx.import.col.{col}"), justify="right" if col in ("problems", "done") else "left"
        )
    counts = {"imported": 0, "unchanged": 0, "checked": 0, "refused": 0}
    for outcome in outcomes:
        counts[outcome.status] += 1
        if outcome.status == "refused":
            result = t("sa.status.refused", count=len(outcome.problems))
        else:
            result = t(f"rx.status.{outcome.status}", changes=outcome.changes)
        table.add_row(
            Text(outcome.path.name),
            Text(outcome.unit.name if outcome.unit else "—"),
            Text(result, "bold" if outcome.status == "refused" else ""),
            str(outcome.problems_listed) if outcome.unit else "—",
            str(outcome.done) if outcome.unit else "—",
        )
    console.print(table)
    problems = err()
    for outcome in outcomes:
        if outcome.status != "refused":
            continue
        problems.print(Text(t("sa.import.refused", file=outcome.path), "bold"))
        for problem in outcome.problems:
            problems.print(Text("  " + problem.render()))
    total = len(outcomes)
    if dry_run:
        summary = t(
            "sa.import.summary_dry",
            total=total,
            checked=counts["checked"],
            refused=counts["refused"],
        )
    else:
        summary = t(
            "sa.import.summary",
            total=total,
            imported=counts["imported"],
            unchanged=counts["unchanged"],
            refused=counts["refused"],
        )
    console.print(Text(summary))
