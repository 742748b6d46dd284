"""``inspector trend [UNIT]``: totals, grades and ranks over the rounds."""

from pathlib import Path
from typing import Annotated

import typer

from inspector.i18n import t
from inspector.ui.cli.app import command
from inspector.ui.cli.common import db_option, json_option, round_option


def register(app: typer.Typer) -> None:
    @command(app, "trend", t("trend.help"))
    def trend(
        unit: Annotated[str | None, typer.Argument(help=t("trend.arg.unit"))] = None,
        as_json: Annotated[bool, json_option()] = False,
        round_name: Annotated[str | None, round_option()] = None,
        db: Annotated[Path | None, db_option()] = None,
    ) -> None:
        from inspector.app.trend import trend as read_trend
        from inspector.app.trend import trend_json
        from inspector.app.workspaces import opened
        from inspector.i18n import get_language

        with opened(db) as ws:
            found = read_trend(ws, round_name, unit, get_language())
        if as_json:
            from inspector.ui.console import print_json

            print_json(trend_json(found))
            return
        from inspector.ui.console import out
        from inspector.ui.trend_view import print_trend

        print_trend(out(), found)
