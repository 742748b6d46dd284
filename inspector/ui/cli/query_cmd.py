"""Following progress: ``show UNIT``, ``status``, ``log UNIT``."""

from pathlib import Path
from typing import Annotated

import typer

from inspector.i18n import t
from inspector.ui.cli.app import command
from inspector.ui.cli.common import db_option, json_option, round_option, self_option
from inspector.ui.cli.score_cmd import kind_of


def register(app: typer.Typer) -> None:
    @command(app, "show", t("show.help"))
    def show(
        unit: Annotated[str, typer.Argument(help=t("arg.unit"))],
        self_flag: Annotated[bool, self_option()] = False,
        as_json: Annotated[bool, json_option()] = False,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from inspector.app.queries import unit_view
        from inspector.app.workspaces import opened
        from inspector.i18n import get_language

        kind = kind_of(self_flag)
        from inspector.app.team import versions_json

        with opened(db) as ws:
            view = unit_view(ws, round_name, unit)
            versions = versions_json(ws, view.round, view.unit, kind)
        if as_json:
            from inspector.ui.console import print_json
            from inspector.ui.json_views import detail_json, with_versions

            print_json(with_versions(detail_json(view, kind, get_language()), versions))
        else:
            from inspector.ui.console import out
            from inspector.ui.views import print_card, scorers_line

            print_card(out(), view, kind)
            line = scorers_line(versions)
            if line is not None:
                out().print(line)

    @command(app, "status", t("status.help"))
    def status_cmd(
        as_json: Annotated[bool, json_option()] = False,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from inspector.app.ledger import unit_counts
        from inspector.app.status import round_status
        from inspector.app.team import round_teams
        from inspector.app.workspaces import opened
        from inspector.i18n import get_language

        with opened(db) as ws:
            status = round_status(ws, round_name)
            counts = unit_counts(ws, status.round)
            teams = round_teams(ws, status.round)
        round_ = status.round
        if as_json:
            from inspector.ui.console import print_json
            from inspector.ui.json_views import status_json

            print_json(status_json(status, counts, teams, get_language()))
            return
        from rich.text import Text

        from inspector.ui.console import out
        from inspector.ui.views import status_tables

        console = out()
        console.print(status_tables(status, counts, console.width, teams))
        if status.set_changed:
            console.print(
                Text(
                    t("status.set_changed", source=round_.set_source, hash=round_.set_hash[:12]),
                    "bold",
                )
            )
        if not status.units:
            console.print(Text(t("status.no_units")))

    @command(app, "log", t("log.help"))
    def log_cmd(
        unit: Annotated[str, typer.Argument(help=t("arg.unit"))],
        as_json: Annotated[bool, json_option()] = False,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from inspector.app.history import unit_history
        from inspector.app.workspaces import opened

        with opened(db) as ws:
            history = unit_history(ws, unit)
        if as_json:
            from inspector.ui.console import print_json

            print_json([e.__dict__ for e in history.entries])
            return
        from inspector.ui.console import out
        from inspector.ui.log_view import log_view

        out().print(log_view(history))
