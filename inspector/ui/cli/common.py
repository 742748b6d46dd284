"""Options and helpers shared by the workspace commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer

from inspector.i18n import t
from inspector.store.workspace import Workspace, default_db_path


def db_option() -> Any:
    return typer.Option("--db", help=t("opt.db"), envvar="INSPECTOR_DB", show_envvar=True)


def round_option() -> Any:
    return typer.Option("--round", help=t("opt.round"))


def self_option() -> Any:
    return typer.Option("--self", help=t("opt.self"))


def json_option() -> Any:
    return typer.Option("--json", help=t("opt.json"))


@contextmanager
def workspace(db: Path | None) -> Iterator[Workspace]:
    ws = Workspace.open(db or default_db_path())
    try:
        yield ws
    finally:
        ws.close()
