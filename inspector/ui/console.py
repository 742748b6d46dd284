"""Terminal output. Every user or YAML text goes through ``esc`` (or a ``Text``) before Rich.

Every console made here also passes what it prints through ``text_rules.printable`` (a
Rich render hook, ``guarded``): a stored name or problem text holding an escape sequence, a
bidirectional or a zero-width character cannot drive the terminal, whichever table or
message it reaches. JSON goes through ``text_rules.json_text``.

Rich is imported on first use: ``--json`` output and ``--version`` never need it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from inspector.text_rules import json_text, printable

if TYPE_CHECKING:
    from rich.console import Console


def esc(value: object) -> str:
    """Escape text for Rich markup: a unit named ``[bold]x`` stays literally ``[bold]x``;
    escape sequences and invisible characters are made visible (``text_rules.printable``)."""
    from rich.markup import escape

    return escape(printable(value))


def guarded(console: Console) -> Console:
    """``console``, with every text segment it prints passed through ``printable`` (Rich's own
    styling is not text, so it is kept)."""
    from rich.console import RenderHook

    class Printable(RenderHook):
        def process_renderables(self, renderables: list[Any]) -> list[Any]:
            return [_Guard(r) for r in renderables]

    console.push_render_hook(Printable())
    return console


class _Guard:
    """A renderable rendered as ``inner`` with its text segments made printable."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def __rich_console__(self, console: Console, options: Any) -> Iterator[Any]:
        from rich.segment import Segment

        for segment in console.render(self.inner, options):
            if segment.control or not segment.text:
                yield segment
                continue
            text = printable(segment.text)
            yield segment if text == segment.text else Segment(text, segment.style)


def terminal() -> Console:
    """The console of the interactive screens (they wrap lines themselves)."""
    from rich.console import Console

    return guarded(Console(highlight=False, emoji=False))


def out() -> Console:
    from rich.console import Console

    return guarded(Console(highlight=False, emoji=False, soft_wrap=True))


def err() -> Console:
    from rich.console import Console

    return guarded(Console(stderr=True, highlight=False, emoji=False, soft_wrap=True))


def print_json(data: Any) -> None:
    """JSON for scripts: plain UTF-8 text on stdout, never styled or wrapped; C1,
    bidirectional and invisible characters as ``\\u`` escapes (the data is the same)."""
    sys.stdout.write(json_text(data) + "\n")
    sys.stdout.flush()


def command_line() -> str:
    """What the audit log records as the command that made a change."""
    return " ".join(["inspector", *sys.argv[1:]])[:300]
