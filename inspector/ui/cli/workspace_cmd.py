"""Workspace commands: init, round, units, score --answers, answers, show, status, log."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from inspector.core.answers import dump_answers, parse_answers
from inspector.core.assessment import Kind
from inspector.core.indicators import load_set, parse_set
from inspector.core.indicators.views import number
from inspector.errors import ConflictError, InspectorError, NotFoundError
from inspector.i18n import get_language, t
from inspector.io.units_file import read_units
from inspector.io.yamlsafe import read_text
from inspector.store.overview import build_overview, detail_json, summary_json, unit_overview
from inspector.store.workspace import Workspace, default_db_path, default_user
from inspector.ui.cli.app import guarded, new_typer
from inspector.ui.cli.common import (
    db_option,
    json_option,
    round_option,
    self_option,
    workspace,
)
from inspector.ui.console import command_line, out, print_json
from inspector.ui.views import grade_text, print_card, status_tables


def kind_of(self_flag: bool) -> Kind:
    return "self" if self_flag else "inspection"


def set_source(path: Path | None) -> str | None:
    return str(path.resolve()) if path is not None else None


def pinned_set_changed(round_source: str | None, pinned_hash: str) -> bool | None:
    """Whether the set file a round was made from now has other content (None: can't tell)."""
    if not round_source:
        return None
    path = Path(round_source)
    if not path.is_file():
        return None
    try:
        current = load_set(path)
    except InspectorError:
        return True
    return current.hash != pinned_hash


def record_answers_file(
    ws: Workspace,
    round_name: str | None,
    unit_name: str,
    answers: Path,
    kind: Kind,
    reopen: bool,
    confirm: bool,
    who: str | None,
) -> tuple[int, str]:
    """Validate and record an answers file in one transaction; returns (changes, who)."""
    round_ = ws.round(round_name)
    unit = ws.unit(unit_name)
    text = read_text(answers, str(answers))
    parsed = parse_answers(text, str(answers), round_.indicators, unit, round_.name)
    scorer = who or parsed.inspector or default_user()
    command = command_line()
    stored = ws.assessment(round_, unit, kind)
    if stored.confirmed:
        if not reopen:
            raise ConflictError("assessment.locked", unit=unit.name)
        ws.set_confirmed(round_, unit, kind, False, scorer, command)
    changes = ws.record(
        round_, unit, kind, scorer, command, items=parsed.items, adjustments=parsed.adjustments
    )
    if confirm:
        ws.set_confirmed(round_, unit, kind, True, scorer, command)
    return changes, scorer


def register(app: typer.Typer) -> None:
    @app.command("init", help=t("init.help"))
    @guarded
    def init(
        name: Annotated[str, typer.Option("--name", help=t("opt.round_name"))],
        indicators: Annotated[
            Path | None, typer.Option("--indicators", help=t("opt.indicators"))
        ] = None,
        deadline: Annotated[str | None, typer.Option("--deadline", help=t("opt.deadline"))] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        loaded = load_set(indicators)
        path = db or default_db_path()
        ws = Workspace.create(path)
        try:
            ws.new_round(
                name, loaded, default_user(), command_line(), set_source(indicators), deadline
            )
        finally:
            ws.close()
        out().print(
            Text(
                t(
                    "init.done",
                    path=path,
                    round=name,
                    title=loaded.indicators.title,
                    hash=loaded.hash[:12],
                )
            )
        )

    rounds = new_typer(t("round.help"))
    app.add_typer(rounds, name="round")

    @rounds.command("new", help=t("round.new.help"))
    @guarded
    def round_new(
        name: Annotated[str, typer.Argument(help=t("arg.round_name"))],
        indicators: Annotated[
            Path | None, typer.Option("--indicators", help=t("opt.indicators"))
        ] = None,
        deadline: Annotated[str | None, typer.Option("--deadline", help=t("opt.deadline"))] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        loaded = load_set(indicators)
        with workspace(db) as ws:
            ws.new_round(
                name, loaded, default_user(), command_line(), set_source(indicators), deadline
            )
        out().print(
            Text(
                t("round.created", round=name, title=loaded.indicators.title, hash=loaded.hash[:12])
            )
        )

    @rounds.command("list", help=t("round.list.help"))
    @guarded
    def round_list(
        as_json: Annotated[bool, json_option()] = False,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        with workspace(db) as ws:
            all_rounds = ws.rounds()
        if as_json:
            print_json(
                [
                    {
                        "name": r.name,
                        "created_at": r.created_at,
                        "set_hash": r.set_hash,
                        "set_source": r.set_source,
                        "deadline": r.deadline,
                        "current": r is all_rounds[-1],
                    }
                    for r in all_rounds
                ]
            )
            return
        table = Table()
        for col in ("name", "created", "set", "hash", "current"):
            table.add_column(t(f"round.col.{col}"))
        for r in all_rounds:
            title = parse_set(r.set_text, r.name).indicators.title
            table.add_row(
                Text(r.name),
                r.created_at[:10],
                Text(title),
                r.set_hash[:12],
                "✓" if r is all_rounds[-1] else "",
            )
        out().print(table)

    units = new_typer(t("units.help"))
    app.add_typer(units, name="units")

    @units.command("add", help=t("units.add.help"))
    @guarded
    def units_add(
        name: Annotated[str, typer.Argument(help=t("arg.unit_name"))],
        group: Annotated[str, typer.Option("--group", help=t("opt.group"))],
        code: Annotated[str | None, typer.Option("--code", help=t("opt.code"))] = None,
        tag: Annotated[list[str] | None, typer.Option("--tag", help=t("opt.tag"))] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        with workspace(db) as ws:
            ws.add_units(
                [(name.strip(), group, code, tuple(tag or ()))], default_user(), command_line()
            )
        out().print(Text(t("units.added", name=name.strip(), group=group)))

    @units.command("list", help=t("units.list.help"))
    @guarded
    def units_list(
        as_json: Annotated[bool, json_option()] = False,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        with workspace(db) as ws:
            all_units = ws.units()
        if as_json:
            print_json(
                [
                    {"name": u.name, "code": u.code, "group": u.group, "tags": list(u.tags)}
                    for u in all_units
                ]
            )
            return
        table = Table()
        for col in ("name", "code", "group", "tags"):
            table.add_column(t(f"units.col.{col}"))
        for u in all_units:
            table.add_row(
                Text(u.name), Text(u.code or "—"), Text(u.group), Text("、".join(u.tags) or "—")
            )
        out().print(table)
        out().print(Text(t("units.count", count=len(all_units))))

    @units.command("remove", help=t("units.remove.help"))
    @guarded
    def units_remove(
        name: Annotated[str, typer.Argument(help=t("arg.unit_name"))],
        force: Annotated[bool, typer.Option("--force", help=t("opt.force_remove"))] = False,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        with workspace(db) as ws:
            unit = ws.remove_unit(name, force, default_user(), command_line())
        out().print(Text(t("units.removed", name=unit.name)))

    @units.command("import", help=t("units.import.help"))
    @guarded
    def units_import(
        file: Annotated[Path, typer.Argument(help=t("arg.units_file"))],
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        rows = read_units(file)
        with workspace(db) as ws:
            added = ws.add_units(
                [(r.name, r.group, r.code, r.tags) for r in rows],
                default_user(),
                command_line(),
                location=[r.where for r in rows],
            )
        out().print(Text(t("units.imported", count=len(added), file=file)))

    @app.command("score", help=t("score.help"))
    @guarded
    def score(
        unit: Annotated[str, typer.Argument(help=t("arg.unit"))],
        answers: Annotated[Path | None, typer.Option("--answers", help=t("opt.answers"))] = None,
        self_flag: Annotated[bool, self_option()] = False,
        reopen: Annotated[bool, typer.Option("--reopen", help=t("opt.reopen"))] = False,
        confirm: Annotated[bool, typer.Option("--confirm", help=t("opt.confirm"))] = False,
        inspector: Annotated[
            str | None, typer.Option("--inspector", help=t("opt.inspector"))
        ] = None,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        kind = kind_of(self_flag)
        if answers is not None:
            with workspace(db) as ws:
                changes, _ = record_answers_file(
                    ws, round_name, unit, answers, kind, reopen, confirm, inspector
                )
                overview, status = unit_overview(ws, round_name, unit)
            result = status.result(kind)
            out().print(Text(t("score.recorded", unit=status.unit.name, changes=changes)))
            if result is not None:
                out().print(
                    Text(
                        t(
                            "score.summary",
                            progress=f"{result.answered}/{result.to_answer}",
                            total=number(result.total),
                            grade=grade_text(result, overview.indicators),
                        )
                    )
                )
            return
        from inspector.ui import interactive

        if not interactive.has_terminal():
            raise InspectorError("score.no_tty", unit=unit)
        with workspace(db) as ws:
            code = interactive.run_scorer(
                ws, round_name, unit, kind, reopen=reopen, who=inspector or default_user()
            )
        if code:
            raise typer.Exit(code)

    @app.command("answers", help=t("answers.help"))
    @guarded
    def answers_cmd(
        unit: Annotated[str, typer.Argument(help=t("arg.unit"))],
        self_flag: Annotated[bool, self_option()] = False,
        output: Annotated[Path | None, typer.Option("--out", help=t("opt.answers_out"))] = None,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        kind = kind_of(self_flag)
        with workspace(db) as ws:
            round_ = ws.round(round_name)
            the_unit = ws.unit(unit)
            stored = ws.assessment(round_, the_unit, kind)
        header = t("answers.header", round=round_.name, unit=the_unit.name, kind=t(f"kind.{kind}"))
        text = dump_answers(
            round_.indicators,
            the_unit,
            {code: s.answer for code, s in stored.items.items()},
            {k: stored.adjustments(k) for k in ("veto", "aggravated", "bonus")},
            header,
        )
        if output is None:
            sys.stdout.write(text)
        else:
            from inspector.io.fileio import write_text_atomic

            write_text_atomic(output, text)
            out().print(Text(t("answers.written", path=output)))

    @app.command("show", help=t("show.help"))
    @guarded
    def show(
        unit: Annotated[str, typer.Argument(help=t("arg.unit"))],
        self_flag: Annotated[bool, self_option()] = False,
        as_json: Annotated[bool, json_option()] = False,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        kind = kind_of(self_flag)
        with workspace(db) as ws:
            overview, status = unit_overview(ws, round_name, unit)
        if as_json:
            print_json(detail_json(status, kind, overview.indicators, get_language()))
        else:
            print_card(out(), status, kind, overview)

    @app.command("status", help=t("status.help"))
    @guarded
    def status_cmd(
        as_json: Annotated[bool, json_option()] = False,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        with workspace(db) as ws:
            round_ = ws.round(round_name)
            overview = build_overview(ws, round_)
        changed = pinned_set_changed(round_.set_source, round_.set_hash)
        lang = get_language()
        if as_json:
            print_json(
                {
                    "round": round_.name,
                    "set_hash": round_.set_hash,
                    "set_changed": changed,
                    "units": [
                        summary_json(s, "inspection", overview.indicators, lang)
                        for s in overview.units
                    ],
                }
            )
            return
        console = out()
        console.print(status_tables(overview))
        if changed:
            console.print(
                Text(
                    t("status.set_changed", source=round_.set_source, hash=round_.set_hash[:12]),
                    "bold",
                )
            )
        if not overview.units:
            console.print(Text(t("status.no_units")))

    @app.command("log", help=t("log.help"))
    @guarded
    def log_cmd(
        unit: Annotated[str, typer.Argument(help=t("arg.unit"))],
        as_json: Annotated[bool, json_option()] = False,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        with workspace(db) as ws:
            try:
                the_unit = ws.unit(unit)
                entries = ws.audit_log(the_unit)
            except NotFoundError:
                # a removed unit keeps its history under its name
                entries = [e for e in ws.audit_log() if e.unit_name == unit]
                if not entries:
                    raise
        if as_json:
            print_json([e.__dict__ for e in entries])
            return
        table = Table()
        for col in ("at", "who", "round", "kind", "target", "change", "command"):
            table.add_column(t(f"log.col.{col}"))
        for e in entries:
            table.add_row(
                e.at.replace("T", " ")[:19],
                Text(e.who),
                Text(e.round_name or "—"),
                t(f"kind.{e.kind}") if e.kind else "—",
                Text(e.target),
                Text(f"{_compact(e.old)} → {_compact(e.new)}"),
                Text(e.command),
            )
        out().print(table)


def _compact(value: object) -> str:
    import json

    if value is None:
        return "∅"
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
