"""``inspector template``, ``inspector import`` and ``inspector compare``: self-assessment."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from inspector.errors import InspectorError
from inspector.i18n import get_language, t
from inspector.ui.cli.app import command
from inspector.ui.cli.common import db_option, json_option, number_option, round_option
from inspector.ui.console import command_line, err, out, print_json

if TYPE_CHECKING:
    from decimal import Decimal

    from rich.progress import Progress

    from inspector.app.comparing import Comparison
    from inspector.app.imports import Outcome
    from inspector.core.indicators.model import IndicatorSet

DEFAULT_FOLDER = Path("reports") / "自评表"


@contextmanager
def progress_bar(label: str) -> Iterator["Progress"]:
    """A transient bar on stderr: it shows in a terminal and leaves no trace in pipes."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[current]}"),
        console=err(),
        transient=True,
    )
    with progress:
        progress.add_task(label, total=None, current="")
        yield progress


def _due(value: str | None) -> str | None:
    from datetime import date

    if value is None:
        return None
    text = value.strip()
    try:
        date.fromisoformat(text)
    except ValueError:
        raise InspectorError("sa.template.bad_due", value=value) from None
    if len(text) != 10:
        raise InspectorError("sa.template.bad_due", value=value)
    return text


def _grade(indicators: "IndicatorSet", name: str) -> str:
    from inspector.core.indicators.model import localized

    grade = indicators.grade(name)
    return str(localized(grade, "name", get_language())) if grade else name


def register(app: typer.Typer) -> None:
    @command(app, "template", t("sa.template.help"))
    def template_cmd(
        units: Annotated[list[str] | None, typer.Argument(help=t("sa.arg.units"))] = None,
        all_units: Annotated[bool, typer.Option("--all", help=t("sa.opt.all"))] = False,
        folder: Annotated[Path | None, typer.Option("--out", help=t("sa.opt.out"))] = None,
        force: Annotated[bool, typer.Option("--force", help=t("sa.opt.force"))] = False,
        contact: Annotated[str | None, typer.Option("--contact", help=t("sa.opt.contact"))] = None,
        due: Annotated[str | None, typer.Option("--due", help=t("sa.opt.due"))] = None,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from rich.text import Text

        from inspector.app.templates import TemplateProgress, issue
        from inspector.app.workspaces import opened

        if all_units and units:
            raise InspectorError("sa.template.both")
        if not all_units and not units:
            raise InspectorError("sa.template.no_units")
        due_date = _due(due)
        target = folder or DEFAULT_FOLDER
        with opened(db) as ws, progress_bar(t("sa.template.progress")) as bar:

            def show(event: TemplateProgress) -> None:
                current = event.unit.name if event.unit else ""
                bar.update(bar.task_ids[0], total=event.total, completed=event.done)
                bar.update(bar.task_ids[0], current=current)

            issued = issue(
                ws,
                round_name,
                None if all_units else units,
                target,
                get_language(),
                contact=contact,
                due=due_date,
                force=force,
                listener=show,
            )
        console = out()
        for entry in issued.written:
            console.print(Text(t("sa.template.written", unit=entry.unit.name, path=entry.path)))
        console.print(Text(t("sa.template.done", count=len(issued.written), folder=target)))
        if not issued.contact:
            err().print(Text(t("sa.template.no_contact")))

    @command(app, "import", t("sa.import.help"))
    def import_cmd(
        files: Annotated[list[Path], typer.Argument(help=t("sa.arg.files"))],
        dry_run: Annotated[bool, typer.Option("--dry-run", help=t("sa.opt.dry_run"))] = False,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from rich.text import Text

        from inspector.app import queries
        from inspector.app.actors import default_user
        from inspector.app.imports import (
            BatchStopped,
            Event,
            FileFinished,
            FileStarted,
            expand,
            import_files,
        )
        from inspector.app.workspaces import opened

        paths = expand(files)
        if not paths:
            raise InspectorError("sa.import.no_files")
        stopped: BatchStopped | None = None
        with opened(db) as ws:
            if round_name is not None:
                queries.find_round(ws, round_name)  # an unknown round fails the whole batch
            with progress_bar(t("sa.import.progress")) as bar:

                def show(event: Event) -> None:
                    task = bar.task_ids[0]
                    if isinstance(event, FileStarted):
                        bar.update(task, total=event.total, current=event.path.name)
                    elif isinstance(event, FileFinished):
                        bar.update(task, completed=event.index)

                try:
                    outcomes = import_files(
                        ws, paths, default_user(), command_line(), round_name, dry_run, show
                    )
                except BatchStopped as stop:
                    stopped = stop
                    outcomes = stop.outcomes
            indicators = {r.name: r.indicators for r in queries.rounds(ws)} if outcomes else {}
        _report_import(outcomes, indicators, dry_run)
        if stopped is not None:  # the workspace failed: what was done, then why it stopped
            err().print(
                Text(t("sa.import.stopped", file=stopped.path, count=stopped.remaining), "bold")
            )
            raise stopped
        if any(o.status == "refused" for o in outcomes):
            raise typer.Exit(1)

    @command(app, "compare", t("sa.compare.help"))
    def compare_cmd(
        unit: Annotated[str, typer.Argument(help=t("arg.unit"))],
        threshold: Annotated[
            str | None, typer.Option("--threshold", help=t("sa.opt.threshold"))
        ] = None,
        as_json: Annotated[bool, json_option()] = False,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from inspector.app.comparing import compare_unit, comparison_json
        from inspector.app.workspaces import opened

        limit = number_option(threshold, "--threshold", positive=True)
        with opened(db) as ws:
            comparison, indicators = compare_unit(ws, round_name, unit, limit)
        if as_json:
            print_json(comparison_json(comparison, indicators, get_language()))
            return
        _print_comparison(comparison, indicators)


def _report_import(
    outcomes: list["Outcome"], indicators: dict[str, "IndicatorSet"], dry_run: bool
) -> None:
    from rich.table import Table
    from rich.text import Text

    from inspector.decimals import fmt

    console = out()
    table = Table()
    for col in ("file", "unit", "result", "total", "grade"):
        table.add_column(t(f"sa.import.col.{col}"), justify="right" if col == "total" else "left")
    counts = {"imported": 0, "unchanged": 0, "checked": 0, "refused": 0}
    for outcome in outcomes:
        counts[outcome.status] += 1
        if outcome.status == "refused":
            result_text = t("sa.status.refused", count=len(outcome.problems))
        else:
            result_text = t(f"sa.status.{outcome.status}", changes=outcome.changes)
        result = outcome.result
        grade = ""
        if result is not None and outcome.round_name in indicators:
            grade = _grade(indicators[outcome.round_name], result.grade)
        table.add_row(
            Text(outcome.path.name),
            Text(outcome.unit.name if outcome.unit else "—"),
            Text(result_text, "bold" if outcome.status == "refused" else ""),
            fmt(result.total) if result is not None else "—",
            Text(grade or "—"),
        )
    console.print(table)
    problems = err()
    for outcome in outcomes:
        if outcome.status != "refused":
            continue
        problems.print(Text(t("sa.import.refused", file=outcome.path), "bold"))
        for problem in outcome.problems:
            problems.print(Text("  " + problem.render()))
    seen: dict[str, list[str]] = {}
    for outcome in outcomes:
        if outcome.unit is not None and outcome.status != "refused":
            seen.setdefault(outcome.unit.name, []).append(outcome.path.name)
    for unit, names in seen.items():
        if len(names) > 1:
            console.print(
                Text(t("sa.import.same_unit", unit=unit, files=t("sa.list_sep").join(names)))
            )
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


def _mark(flag: str | None) -> str:
    return t(f"sa.compare.{flag}") if flag else ""


def _print_comparison(comparison: "Comparison", indicators: "IndicatorSet") -> None:
    from rich.table import Table
    from rich.text import Text

    from inspector.core.indicators.model import localized
    from inspector.decimals import fmt

    lang = get_language()
    console = out()
    table = Table(
        title=Text(t("sa.compare.title", unit=comparison.unit, round=comparison.round_name)),
        title_justify="left",
    )
    table.add_column(t("sa.compare.col.code"), no_wrap=True)
    table.add_column(t("sa.compare.col.item"), overflow="fold")
    for col in ("max", "self", "inspection", "gap"):
        table.add_column(t(f"sa.compare.col.{col}"), justify="right", no_wrap=True)
    table.add_column(t("sa.compare.col.flag"), no_wrap=True)

    def score(value: "Decimal | None", na: bool) -> str:
        if na:
            return t("view.na")
        return fmt(value)

    def gap_text(value: "Decimal | None") -> str:
        if value is None:
            return "—"
        return ("+" if value > 0 else "") + fmt(value)

    by_category: dict[str, list[Any]] = {}
    for gap in comparison.items:
        by_category.setdefault(gap.category, []).append(gap)
    for cat_gap in comparison.categories:
        category = next(c for c in indicators.categories if c.code == cat_gap.code)
        table.add_row(
            Text(category.code, "bold"),
            Text(str(localized(category, "name", lang)), "bold"),
            fmt(cat_gap.max),
            Text(fmt(cat_gap.self_score), "bold"),
            Text(fmt(cat_gap.inspection), "bold"),
            Text(gap_text(cat_gap.gap), "bold"),
            Text(_mark(cat_gap.flag), "bold"),
        )
        for gap in by_category.get(cat_gap.code, []):
            item = indicators.item(gap.code)
            assert item is not None
            table.add_row(
                Text(gap.code),
                Text(str(localized(item, "name", lang))),
                fmt(gap.max),
                score(gap.self_score, gap.self_na),
                score(gap.inspection, gap.inspection_na),
                gap_text(gap.gap),
                Text(_mark(gap.flag)),
            )
    total = comparison.total
    table.add_row(
        "",
        Text(t("sa.compare.total"), "bold"),
        fmt(total.max),
        Text(fmt(total.self_score), "bold"),
        Text(fmt(total.inspection), "bold"),
        Text(gap_text(total.gap), "bold"),
        Text(_mark(total.flag), "bold"),
    )
    console.print(table)
    percent = fmt(comparison.ratio * 100)
    console.print(Text(t("sa.compare.rule", threshold=fmt(comparison.threshold), percent=percent)))
    if comparison.flagged:
        console.print(Text(t("sa.compare.flagged", count=comparison.flagged), "bold"))
    else:
        console.print(Text(t("sa.compare.none_flagged")))
    missing = []
    if not comparison.self_complete:
        missing.append(t("kind.self"))
    if not comparison.inspection_complete:
        missing.append(t("kind.inspection"))
    if missing:
        console.print(
            Text(t("sa.compare.incomplete", which=t("sa.list_sep").join(missing)), "italic")
        )
