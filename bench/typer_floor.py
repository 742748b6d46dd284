"""What any Typer command costs before doing anything: one command with a ``--db`` option and
a ``--json`` flag, like ``inspector status``, that does nothing (a floor for bench_app.py).

    python bench/typer_floor.py status --json [--db PATH]
"""

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False)


@app.callback()
def root(lang: Annotated[str | None, typer.Option("--lang")] = None) -> None:
    """A root option, as inspector has."""


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    round_name: Annotated[str | None, typer.Option("--round")] = None,
    db: Annotated[Path | None, typer.Option("--db")] = None,
) -> None:
    """Does nothing."""


if __name__ == "__main__":
    app()
