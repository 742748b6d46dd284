"""Opening and creating workspace files (``--db``, INSPECTOR_DB, or ./inspector.db)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from inspector.store.db import reported
from inspector.store.workspace import Workspace

DEFAULT_DB = "inspector.db"
DB_ENV = "INSPECTOR_DB"


def db_path(db: Path | None = None) -> Path:
    """The workspace file: the one given, else INSPECTOR_DB, else ./inspector.db."""
    return db or Path(os.environ.get(DB_ENV) or DEFAULT_DB)


@contextmanager
def opened(db: Path | None = None) -> Iterator[Workspace]:
    """An existing workspace, closed on leaving. Damage met while using it (a page of
    garbage, a table gone, stored data that does not parse, a full disk) ends the command with
    ``WorkspaceError`` naming the file, wherever it surfaces."""
    path = db_path(db)
    ws = Workspace.open(path)
    try:
        with reported(path):
            yield ws
    finally:
        ws.close()


@contextmanager
def created(db: Path | None = None) -> Iterator[Workspace]:
    """A new workspace file (refused where one exists), closed on leaving."""
    path = db_path(db)
    ws = Workspace.create(path)
    try:
        with reported(path):
            yield ws
    finally:
        ws.close()


__all__ = ["Workspace", "created", "db_path", "opened"]
