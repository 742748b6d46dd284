"""``inspector --help``: drawn without Typer's help renderer, in Typer's layout, translated."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

from inspector.ui.cli.app import build_app
from tests.helpers import invoke
from tests.test_cli_indicators import _modules_after


@pytest.mark.parametrize(
    ("lang", "options", "commands"), [("zh", "选项", "命令"), ("en", "Options", "Commands")]
)
def test_root_help_lists_every_command_and_option(
    runner: CliRunner, lang: str, options: str, commands: str
) -> None:
    result = invoke(runner, ["--help"], lang=lang)
    assert result.exit_code == 0
    text = result.output
    assert "Usage: " in text and "[OPTIONS] COMMAND [ARGS]..." in text
    assert f"─ {options} " in text and f"─ {commands} " in text
    for option in ("--lang", "<zh|en>", "INSPECTOR_LANG", "--version", "--help", "-h"):
        assert option in text
    root = typer.main.get_command(build_app(lang))
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        assert f"│ {name} " in text
        first = (command.help or "").split("\n\n")[0].replace("\n", " ")
        assert first[:8] in text, name
    assert text.index("│ init ") < text.index("│ units ")  # the commands' own order


def test_no_arguments_shows_the_root_help(runner: CliRunner) -> None:
    result = invoke(runner, [])
    assert "Usage: " in result.output and "─ 命令 " in result.output


def test_root_help_loads_no_markdown_renderer() -> None:
    loaded = _modules_after(["--help"])
    assert "typer.rich_utils" not in loaded and "markdown_it" not in loaded
    assert "rich.panel" in loaded  # it did draw
    assert "typer.rich_utils" in _modules_after(["status", "--help"])  # Typer's, as before
