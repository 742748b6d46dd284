"""Scoring: ``score UNIT`` (interactive, or ``--answers FILE``) and ``answers UNIT``."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from inspector.i18n import t
from inspector.ui.cli.app import command
from inspector.ui.cli.common import (
    db_option,
    force_option,
    inspector_option,
    round_option,
    self_option,
)

if TYPE_CHECKING:
    from inspector.app.recording import Recorded
    from inspector.app.types import Kind


def kind_of(self_flag: bool) -> "Kind":
    return "self" if self_flag else "inspection"


def print_recorded(recorded: "Recorded") -> None:
    from rich.text import Text

    from inspector.decimals import fmt
    from inspector.ui.console import out
    from inspector.ui.views import grade_text

    console = out()
    name = recorded.unit.name
    if recorded.kept_locked:
        console.print(Text(t("score.unchanged_locked", unit=name)))
    else:
        console.print(Text(t("score.recorded", unit=name, changes=recorded.changes)))
    result = recorded.summary
    if recorded.kind != "inspection" and not result.items:
        return  # no self-assessment to sum up
    if not result.complete:  # provisional: no grade until every item is scored
        console.print(
            Text(
                t(
                    "trust.summary.provisional",
                    total=fmt(result.total),
                    answered=result.answered,
                    to_answer=result.to_answer,
                )
            )
        )
        return
    console.print(
        Text(
            t(
                "score.summary",
                progress=f"{result.answered}/{result.to_answer}",
                total=fmt(result.total),
                grade=grade_text(result.grade, result.grade_by, recorded.facts),
            )
        )
    )


def register(app: typer.Typer) -> None:
    @command(app, "score", t("score.help"))
    def score(
        unit: Annotated[str, typer.Argument(help=t("arg.unit"))],
        answers: Annotated[Path | None, typer.Option("--answers", help=t("opt.answers"))] = None,
        self_flag: Annotated[bool, self_option()] = False,
        reopen: Annotated[bool, typer.Option("--reopen", help=t("opt.reopen"))] = False,
        confirm: Annotated[bool, typer.Option("--confirm", help=t("opt.confirm"))] = False,
        inspector: Annotated[str | None, inspector_option()] = None,
        if_version: Annotated[
            int | None, typer.Option("--if-version", help=t("team.opt.if_version"))
        ] = None,
        force: Annotated[bool, typer.Option("--force", help=t("team.opt.force_team"))] = False,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from inspector.app.workspaces import opened
        from inspector.ui.console import command_line

        kind = kind_of(self_flag)
        if answers is not None:
            from inspector.app.recording import record_answers_file

            with opened(db) as ws:
                recorded = record_answers_file(
                    ws,
                    round_name,
                    unit,
                    answers,
                    kind,
                    reopen=reopen,
                    confirm=confirm,
                    inspector=inspector,
                    command=command_line(),
                    if_version=if_version,
                    force=force,
                )
            print_recorded(recorded)
            return
        from inspector.app.actors import acting
        from inspector.app.team import needs_name
        from inspector.errors import InspectorError
        from inspector.ui import interactive

        if not interactive.has_terminal():
            raise InspectorError("score.no_tty", unit=unit)
        if if_version is not None:
            raise InspectorError("team.if_version_answers")
        with opened(db) as ws:
            code = interactive.run_scorer(
                ws,
                round_name,
                unit,
                kind,
                reopen=reopen,
                who=acting(inspector),
                ask_name=inspector is None and needs_name(),
            )
        if code:
            raise typer.Exit(code)

    @command(app, "answers", t("answers.help"))
    def answers_cmd(
        unit: Annotated[str, typer.Argument(help=t("arg.unit"))],
        self_flag: Annotated[bool, self_option()] = False,
        output: Annotated[Path | None, typer.Option("--out", help=t("opt.answers_out"))] = None,
        force: Annotated[bool, force_option()] = False,
        recheck: Annotated[bool, typer.Option("--recheck", help=t("recheck.opt.dump"))] = False,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from inspector.app import queries
        from inspector.app.workspaces import opened
        from inspector.core.answers import dump_answers

        kind = kind_of(self_flag)
        if output is not None:  # refused before anything is read
            from inspector.app.outputs import check_new

            check_new([output], force)
        with opened(db) as ws:
            round_ = queries.find_round(ws, round_name)
            the_unit = queries.find_unit(ws, unit)
            if recheck:  # the re-inspection decisions that stand (inspector recheck --answers)
                from inspector.app.recheck import dump_answers as dump_recheck

                header = t("recheck.header", round=round_.name, unit=the_unit.name)
                recheck_text = dump_recheck(ws, round_, the_unit, header)
            else:
                stored = queries.assessment(ws, round_, the_unit, kind)
        if recheck:
            text = recheck_text
        else:
            header = t(
                "answers.header", round=round_.name, unit=the_unit.name, kind=t(f"kind.{kind}")
            )
            text = dump_answers(
                round_.indicators,
                the_unit,
                {code: s.answer for code, s in stored.items.items()},
                {k: stored.adjustments(k) for k in ("veto", "aggravated", "bonus")},
                header,
            )
        if output is None:
            sys.stdout.write(text)
            return
        from rich.text import Text

        from inspector.app.outputs import write_text
        from inspector.ui.console import out

        write_text(output, text, force)
        out().print(Text(t("answers.written", path=output)))
