"""The command line: a thin skin over the library. ``main`` is the console script."""

from __future__ import annotations

import sys


def _language_from_argv(argv: list[str]) -> str | None:
    """``--lang`` must be known before the commands are built, because help texts are translated."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main() -> None:
    from inspector.ui.cli.app import build_app

    app = build_app(_language_from_argv(sys.argv[1:]))
    app(prog_name="inspector")
