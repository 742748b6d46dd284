"""``inspector --help`` (and ``inspector`` alone), drawn with Rich's table and panel.

Typer draws help with its own renderer, which imports Rich's Markdown (with markdown-it and
Pygments) and traceback support whatever the help says: half the time of ``inspector
--help``. The root help has a fixed shape (the usage, what the tool is for, three options,
the commands), so it is drawn here in Typer's layout from the same Click objects; the help of
every command is Typer's own.
"""

from __future__ import annotations

import inspect
from typing import Any

from inspector.i18n import t


def first_paragraph(text: str | None) -> str:
    """A help text's first paragraph on one line, as Typer lists a command."""
    paragraph = inspect.cleandoc(text or "").partition("\f")[0].split("\n\n")[0]
    return paragraph.replace("\n", " ").strip()


def print_root_help(group: Any, ctx: Any) -> None:
    from rich import box
    from rich.console import Console
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False, emoji=False)
    label, _, usage = group.get_usage(ctx).partition(":")
    console.print(Padding(Text.assemble((label + ":", "yellow"), (usage, "bold")), 1))
    if group.help:
        console.print(Padding(Text(first_paragraph(group.help)), (0, 1, 1, 1)))

    def panel(table: Table, title: str) -> Panel:
        return Panel(table, border_style="dim", title=title, title_align="left", box=box.ROUNDED)

    def grid() -> Table:
        return Table(show_header=False, expand=True, box=None, padding=(0, 1), pad_edge=False)

    options = grid()
    for param in group.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        names = [*param.opts, *param.secondary_opts]
        long = ",".join(n for n in names if n.startswith("--"))
        short = ",".join(n for n in names if not n.startswith("--"))
        metavar = "" if getattr(param, "is_flag", False) else (param.metavar or "")
        help_text = Text(first_paragraph(getattr(param, "help", None)))
        if getattr(param, "envvar", None):
            help_text.append(f" [env var: {param.envvar}]", style="dim yellow")
        options.add_row(
            Text(long, style="bold cyan"),
            Text(short, style="bold green"),
            Text(metavar, style="bold yellow"),
            help_text,
        )
    console.print(panel(options, t("help.panel.options")))

    commands = grid()
    commands.add_column(style="bold cyan", no_wrap=True)
    commands.add_column()
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        commands.add_row(name, Text(first_paragraph(command.short_help or command.help)))
    console.print(panel(commands, t("help.panel.commands")))
