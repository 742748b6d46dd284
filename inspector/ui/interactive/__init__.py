"""The guided interactive scorer behind ``inspector score UNIT`` (see docs/scoring.md).

``parse`` reads the one-line input, ``card`` and ``review`` lay out the screens, ``wrap``
wraps mixed Chinese and Latin text, ``flow`` runs the session and saves item by item.
"""

from __future__ import annotations

import sys

from inspector.ui.interactive.flow import run_scorer


def has_terminal() -> bool:
    """Whether both stdin and stdout are an interactive terminal (the scorer needs one).

    A module-level function so that tests can drive the real flow through a pipe."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


__all__ = ["has_terminal", "run_scorer"]
