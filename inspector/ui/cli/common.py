"""Options shared by the workspace commands.

``--db`` reads INSPECTOR_DB through the application layer (``app.workspaces.db_path``), not
through Typer: Typer validates option values with pydantic, whose import would double the
start-up of ``inspector status`` run where the variable is set.
"""

from __future__ import annotations

from typing import Any

import typer

from inspector.i18n import t


def db_option() -> Any:
    return typer.Option("--db", help=t("opt.db"))


def round_option() -> Any:
    return typer.Option("--round", help=t("opt.round"))


def self_option() -> Any:
    return typer.Option("--self", help=t("opt.self"))


def json_option() -> Any:
    return typer.Option("--json", help=t("opt.json"))
