"""Units: adding them one by one or from a list (CSV or xlsx), removing them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from inspector.app.actors import default_user
from inspector.core.assessment import Unit
from inspector.store.round_extras import join_newest
from inspector.store.workspace import Workspace

if TYPE_CHECKING:
    from inspector.io.units_file import UnitRow


def add(
    ws: Workspace, name: str, group: str, code: str | None, tags: tuple[str, ...], command: str
) -> Unit:
    """A unit, its fields as the name rule stores them (``Workspace.add_units``); a round
    that lists its units takes the new one in."""
    with ws.transaction():
        added = ws.add_units([(name, group, code, tags)], default_user(), command)
        join_newest(ws.conn, added)
    return added[0]


def read(path: Path) -> list[UnitRow]:
    """A units list (CSV or xlsx), every row checked; a bad row is named."""
    from inspector.io.units_file import read_units

    return read_units(path)


def add_rows(ws: Workspace, rows: list[UnitRow], command: str) -> list[Unit]:
    """Every row of a units list, all or nothing."""
    with ws.transaction():
        added = ws.add_units(
            [(r.name, r.group, r.code, r.tags) for r in rows],
            default_user(),
            command,
            location=[r.where for r in rows],
        )
        join_newest(ws.conn, added)
    return added


def remove(ws: Workspace, name: str, force: bool, command: str) -> Unit:
    return ws.remove_unit(name, force, default_user(), command)
