"""Terminal output. Every user or YAML text goes through ``esc`` (or a ``Text``) before Rich.

Rich is imported on first use: ``--json`` output and ``--version`` never need it.
"""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def esc(value: object) -> str:
    """Escape text for Rich markup: a unit named ``[bold]x`` stays literally ``[bold]x``."""
    from rich.markup import escape

    return escape(str(value))


def out() -> Console:
    from rich.console import Console

    return Console(highlight=False, emoji=False, soft_wrap=True)


def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, emoji=False, soft_wrap=True)


def print_json(data: Any) -> None:
    """JSON for scripts: plain UTF-8 text on stdout, never styled or wrapped."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def command_line() -> str:
    """What the audit log records as the command that made a change."""
    return " ".join(["inspector", *sys.argv[1:]])[:300]
