"""Options shared by the workspace commands.

``--db`` reads INSPECTOR_DB through the application layer (``app.workspaces.db_path``), not
through Typer: Typer validates option values with pydantic, whose import would double the
start-up of ``inspector status`` run where the variable is set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer

from inspector.i18n import t

if TYPE_CHECKING:
    from decimal import Decimal


def db_option() -> Any:
    return typer.Option("--db", help=t("opt.db"))


def round_option() -> Any:
    return typer.Option("--round", help=t("opt.round"))


def inspector_option() -> Any:
    return typer.Option("--inspector", help=t("opt.inspector"))


def self_option() -> Any:
    return typer.Option("--self", help=t("opt.self"))


def json_option() -> Any:
    return typer.Option("--json", help=t("opt.json"))


def force_option() -> Any:
    return typer.Option("--force", help=t("opt.force_replace"))


def number_option(value: str | None, option: str, *, positive: bool) -> Decimal | None:
    """A number given on the command line (``--threshold 10``), read like every number from
    untrusted text (``decimals.parse_decimal``): 1e999999999 and 1E-999999999 are refused
    with the reason, never an internal error or a silent 0."""
    if value is None:
        return None
    from inspector.decimals import BadNumber, parse_decimal
    from inspector.errors import InspectorError
    from inspector.text_rules import printable

    shown = printable(value if len(value) <= 40 else value[:40] + "…")
    try:
        number = parse_decimal(value, places=2)
    except BadNumber as exc:
        reason = t(exc.key, **exc.params)
        raise InspectorError(
            "option.bad_number", option=option, value=shown, reason=reason
        ) from None
    if number < 0 or (positive and number == 0):
        key = "option.not_positive" if positive else "option.negative"
        raise InspectorError(key, option=option, value=shown)
    return number
