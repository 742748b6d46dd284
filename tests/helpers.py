"""Small helpers shared by tests."""

from __future__ import annotations

from collections.abc import Sequence

from typer.testing import CliRunner, Result

from inspector.ui.cli.app import build_app


def invoke(
    runner: CliRunner, args: Sequence[str], lang: str = "zh", input: str | None = None, **kw: object
) -> Result:
    """Run the CLI as a user would, in a fresh app built for ``lang``."""
    app = build_app(lang)
    return runner.invoke(app, list(args), input=input, catch_exceptions=False, **kw)
