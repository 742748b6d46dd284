"""Setting up: ``init``, ``round new|list``, ``units add|list|remove|import``."""

from pathlib import Path
from typing import Annotated

import typer

from inspector.i18n import t
from inspector.ui.cli.app import command, new_typer
from inspector.ui.cli.common import db_option, json_option


def register(app: typer.Typer) -> None:
    @command(app, "init", t("init.help"))
    def init(
        name: Annotated[str, typer.Option("--name", help=t("opt.round_name"))],
        indicators: Annotated[
            Path | None, typer.Option("--indicators", help=t("opt.indicators"))
        ] = None,
        deadline: Annotated[str | None, typer.Option("--deadline", help=t("opt.deadline"))] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from rich.text import Text

        from inspector.app import rounds
        from inspector.app.workspaces import db_path
        from inspector.ui.console import command_line, out

        made = rounds.init(db, name, indicators, deadline, command_line())
        out().print(
            Text(
                t(
                    "init.done",
                    path=db_path(db),
                    round=made.round.name,
                    title=made.loaded.indicators.title,
                    hash=made.loaded.hash[:12],
                )
            )
        )

    round_app = new_typer(t("round.help"))
    app.add_typer(round_app, name="round")

    @command(round_app, "new", t("round.new.help"))
    def round_new(
        name: Annotated[str, typer.Argument(help=t("arg.round_name"))],
        indicators: Annotated[
            Path | None, typer.Option("--indicators", help=t("opt.indicators"))
        ] = None,
        deadline: Annotated[str | None, typer.Option("--deadline", help=t("opt.deadline"))] = None,
        previous: Annotated[str | None, typer.Option("--from", help=t("round.opt.from"))] = None,
        without: Annotated[
            list[str] | None, typer.Option("--without", help=t("round.opt.without"))
        ] = None,
        timezone: Annotated[
            str | None, typer.Option("--timezone", help=t("round.opt.timezone"))
        ] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from rich.text import Text

        from inspector.app import carryover
        from inspector.app.workspaces import opened
        from inspector.ui.console import command_line, out

        with opened(db) as ws:
            made = carryover.create(
                ws,
                name,
                indicators=indicators,
                deadline=deadline,
                timezone=timezone,
                previous=previous,
                without=list(without or ()),
                command=command_line(),
            )
        console = out()
        console.print(
            Text(
                t(
                    "round.created",
                    round=made.round.name,
                    title=made.title,
                    hash=made.set_hash[:12],
                )
            )
        )
        if made.previous is not None:
            console.print(
                Text(
                    t(
                        "round.carried",
                        previous=made.previous.name,
                        units=len(made.units),
                        carried=made.carried,
                        timezone=made.timezone,
                    )
                )
            )

    @command(round_app, "list", t("round.list.help"))
    def round_list(
        as_json: Annotated[bool, json_option()] = False,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from inspector.app import queries
        from inspector.app.workspaces import opened
        from inspector.ui.console import print_json

        with opened(db) as ws:
            all_rounds = queries.rounds(ws)
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
        from rich.table import Table
        from rich.text import Text

        from inspector.app.rounds import set_title
        from inspector.ui.console import out

        table = Table()
        for col in ("name", "created", "set", "hash", "current"):
            table.add_column(t(f"round.col.{col}"))
        for r in all_rounds:
            table.add_row(
                Text(r.name),
                r.created_at[:10],
                Text(set_title(r)),
                r.set_hash[:12],
                "✓" if r is all_rounds[-1] else "",
            )
        out().print(table)

    units_app = new_typer(t("units.help"))
    app.add_typer(units_app, name="units")

    @command(units_app, "add", t("units.add.help"))
    def units_add(
        name: Annotated[str, typer.Argument(help=t("arg.unit_name"))],
        group: Annotated[str, typer.Option("--group", help=t("opt.group"))],
        code: Annotated[str | None, typer.Option("--code", help=t("opt.code"))] = None,
        tag: Annotated[list[str] | None, typer.Option("--tag", help=t("opt.tag"))] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from rich.text import Text

        from inspector.app import units
        from inspector.app.workspaces import opened
        from inspector.ui.console import command_line, out

        with opened(db) as ws:
            unit = units.add(ws, name, group, code, tuple(tag or ()), command_line())
        out().print(Text(t("units.added", name=unit.name, group=unit.group)))

    @command(units_app, "list", t("units.list.help"))
    def units_list(
        as_json: Annotated[bool, json_option()] = False,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from inspector.app import queries
        from inspector.app.workspaces import opened
        from inspector.ui.console import print_json

        with opened(db) as ws:
            all_units = queries.units(ws)
        if as_json:
            print_json(
                [
                    {"name": u.name, "code": u.code, "group": u.group, "tags": list(u.tags)}
                    for u in all_units
                ]
            )
            return
        from rich.table import Table
        from rich.text import Text

        from inspector.ui.console import out

        table = Table()
        for col in ("name", "code", "group", "tags"):
            table.add_column(t(f"units.col.{col}"))
        for u in all_units:
            table.add_row(
                Text(u.name), Text(u.code or "—"), Text(u.group), Text("、".join(u.tags) or "—")
            )
        out().print(table)
        out().print(Text(t("units.count", count=len(all_units))))

    @command(units_app, "remove", t("units.remove.help"))
    def units_remove(
        name: Annotated[str, typer.Argument(help=t("arg.unit_name"))],
        force: Annotated[bool, typer.Option("--force", help=t("opt.force_remove"))] = False,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from rich.text import Text

        from inspector.app import units
        from inspector.app.workspaces import opened
        from inspector.ui.console import command_line, out

        with opened(db) as ws:
            unit = units.remove(ws, name, force, command_line())
        out().print(Text(t("units.removed", name=unit.name)))

    @command(units_app, "import", t("units.import.help"))
    def units_import(
        file: Annotated[Path, typer.Argument(help=t("arg.units_file"))],
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from rich.text import Text

        from inspector.app import units
        from inspector.app.workspaces import opened
        from inspector.ui.console import command_line, out

        rows = units.read(file)
        with opened(db) as ws:
            added = units.add_rows(ws, rows, command_line())
        out().print(Text(t("units.imported", count=len(added), file=file)))
