"""Builds the Typer app. The one place where domain errors become messages and exit codes.

Building the app imports only Typer and the message catalogs: each command imports what it
needs (the application layer, Rich, pydantic models, openpyxl) when it runs, so that
``inspector --help`` and ``--version`` stay close to Typer's own start-up.
"""

import functools
import os
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated, Any, TypeVar

import typer
from typer.core import TyperCommand, TyperGroup

from inspector import __version__
from inspector.errors import InspectorError, ProblemsError
from inspector.i18n import get_language, set_language, t
from inspector.ui.console import err, esc

F = TypeVar("F", bound=Callable[..., Any])

EXIT_INTERRUPTED = 130
EXIT_INTERNAL = 70


class Lang(StrEnum):
    zh = "zh"
    en = "en"


def shown(text: str) -> str:
    """An error message as printed: Rich markup escaped, and nothing in it (a name or value
    the user typed, echoed back) able to drive the terminal."""
    from inspector.text_rules import printable

    return esc(printable(text))


def report_problems(exc: ProblemsError) -> None:
    console = err()
    for line in exc.lines():
        console.print(shown(line))
    console.print(shown(exc.message()))


def guarded(fn: F) -> F:
    """Run a command; turn domain errors into messages and exit codes, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ProblemsError as exc:
            report_problems(exc)
            raise typer.Exit(exc.exit_code) from None
        except InspectorError as exc:
            err().print(shown(t("error.prefix") + exc.message()))
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err().print(esc(t("error.interrupted")))
            raise typer.Exit(EXIT_INTERRUPTED) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:
            if os.environ.get("INSPECTOR_DEBUG"):
                raise
            err().print(shown(t("error.internal", detail=f"{type(exc).__name__}: {exc}")))
            raise typer.Exit(EXIT_INTERNAL) from None

    return wrapper  # type: ignore[return-value]


def _translate_help_panels() -> None:
    from typer import rich_utils

    rich_utils.OPTIONS_PANEL_TITLE = t("help.panel.options")
    rich_utils.COMMANDS_PANEL_TITLE = t("help.panel.commands")
    rich_utils.ARGUMENTS_PANEL_TITLE = t("help.panel.arguments")


class HelpGroup(TyperGroup):
    """A command group whose help panels are titled in the user's language (set as help is
    drawn, so that commands that draw no help never load Typer's help renderer). The root's
    help is drawn without Typer's renderer (``root_help``): ``inspector --help`` is the
    command a newcomer runs first."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        if ctx.parent is None:
            from inspector.ui.cli.root_help import print_root_help

            print_root_help(self, ctx)
            return
        _translate_help_panels()
        super().format_help(ctx, formatter)


class HelpCommand(TyperCommand):
    def format_help(self, ctx: Any, formatter: Any) -> None:
        _translate_help_panels()
        super().format_help(ctx, formatter)


def command(app: typer.Typer, name: str, help_text: str) -> Callable[[F], F]:
    """Register ``fn`` as command ``name``, guarded (errors become messages and exit codes)."""

    def register(fn: F) -> F:
        app.command(name, help=help_text, cls=HelpCommand)(guarded(fn))
        return fn

    return register


def _show_version(value: bool) -> None:
    if value:
        typer.echo(t("app.version", version=__version__))
        raise typer.Exit()


def new_typer(help_text: str) -> typer.Typer:
    return typer.Typer(
        cls=HelpGroup,
        help=help_text,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )


def build_app(lang: str | None = None) -> typer.Typer:
    """A fresh app whose help texts are in ``lang`` (or INSPECTOR_LANG, or Chinese)."""
    set_language(lang or get_language())
    app = new_typer(t("app.help"))

    @app.callback()
    def root(
        lang: Annotated[
            Lang | None,
            typer.Option("--lang", help=t("opt.lang"), envvar="INSPECTOR_LANG", metavar="<zh|en>"),
        ] = None,
        version: Annotated[
            bool,
            typer.Option("--version", help=t("opt.version"), callback=_show_version, is_eager=True),
        ] = False,
    ) -> None:
        if lang is not None:
            set_language(lang.value)

    from inspector.ui.cli import (
        export_cmd,
        indicators_cmd,
        ledger_cmd,
        query_cmd,
        score_cmd,
        selfassess_cmd,
        setup_cmd,
        team_cmd,
        trend_cmd,
    )

    indicators_cmd.register(app)
    setup_cmd.register(app)
    score_cmd.register(app)
    query_cmd.register(app)
    export_cmd.register(app)
    selfassess_cmd.register(app)
    ledger_cmd.register(app)
    team_cmd.register(app)
    trend_cmd.register(app)
    return app
