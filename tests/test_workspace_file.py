"""The workspace file (issue 14, points 3 and 5): only a regular file is ever opened; a 0-byte
or empty SQLite file becomes a workspace only through init (or demo); another program's SQLite
file is never migrated into; damage is exit 3 wherever a query meets it."""

from __future__ import annotations

import os
import socket
import sqlite3
import threading
from pathlib import Path

import pytest

from inspector.app.workspaces import opened
from inspector.errors import ConflictError, WorkspaceError
from inspector.store import db as dbmod
from inspector.store.workspace import Workspace
from tests.workspace_helpers import make_workspace


def refused(path: Path, create: bool = False) -> WorkspaceError:
    """Open (or create) ``path`` in a thread, so that a blocking open fails the test instead
    of hanging it."""
    found: list[BaseException] = []

    def attempt() -> None:
        try:
            (Workspace.create if create else Workspace.open)(path).close()
        except BaseException as exc:  # handed to the test
            found.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), f"opening {path} blocked"
    assert found and isinstance(found[0], WorkspaceError), found
    return found[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
@pytest.mark.parametrize("create", [False, True])
def test_special_files_are_refused_before_any_open(tmp_path: Path, create: bool) -> None:
    fifo = tmp_path / "fifo.db"
    os.mkfifo(fifo)
    error = refused(fifo, create)
    assert error.key == "workspace.special" and "命名管道" in error.message()
    device = tmp_path / "zero.db"
    device.symlink_to("/dev/zero")
    assert refused(device, create).key == "workspace.special"
    here = os.getcwd()
    os.chdir(tmp_path)  # a socket's path must be short
    try:
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind("s.db")
        server.close()
    finally:
        os.chdir(here)
    assert "套接字" in refused(tmp_path / "s.db", create).message()
    assert refused(tmp_path, create).key == "workspace.is_directory"
    assert fifo.is_fifo() and device.is_symlink()


def empty_sqlite(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")  # writes the header, no table
    conn.close()
    return path


def test_only_init_makes_a_workspace_of_an_empty_file(tmp_path: Path) -> None:
    for path in (tmp_path / "zero.db", empty_sqlite(tmp_path / "empty.db")):
        path.touch()
        before = path.read_bytes()
        error = refused(path)
        assert error.key == "workspace.empty" and error.exit_code == 3
        assert path.read_bytes() == before
        Workspace.create(path).close()  # init may
        with Workspace.open(path) as ws:
            assert ws.conn.execute("PRAGMA user_version").fetchone()[0] == dbmod.SCHEMA_VERSION


def test_another_programs_database_is_never_migrated_into(tmp_path: Path) -> None:
    path = tmp_path / "photos.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)")
    before = path.read_bytes()
    assert refused(path).key == "workspace.foreign"
    assert refused(path, create=True).key == "workspace.foreign"
    assert path.read_bytes() == before


def test_init_never_replaces_a_workspace(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    make_workspace(path).close()
    with pytest.raises(ConflictError) as info:
        Workspace.create(path)
    assert info.value.key == "workspace.exists"


def test_damage_met_by_a_query_is_a_workspace_error(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    make_workspace(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("DROP TABLE audit")
    with pytest.raises(WorkspaceError) as info, opened(path) as ws:
        ws.audit_log()
    assert info.value.key == "workspace.damaged" and "no such table: audit" in str(info.value)
    with pytest.raises(WorkspaceError) as info, opened(path) as ws:  # a write as well
        ws.add_units([("新区", "区县", None, ())], "t", "t")
    assert info.value.key == "workspace.damaged"
    with Workspace.open(path) as ws:
        assert "新区" not in {u.name for u in ws.units()}


def test_stored_json_that_does_not_parse(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    make_workspace(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE units SET tags = '{cut' WHERE name = '王益区'")
    with pytest.raises(WorkspaceError) as info, opened(path) as ws:
        ws.units()
    assert info.value.key == "workspace.bad_unit" and "王益区" in str(info.value)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE units SET tags = '[]'")
        conn.execute("UPDATE audit SET new = '{cut'")
    with pytest.raises(WorkspaceError) as info, opened(path) as ws:
        ws.audit_log()
    assert info.value.key == "workspace.bad_data"


def test_a_constraint_failure_stays_a_bug(tmp_path: Path) -> None:
    """Only SQLite reporting the file or the disk becomes a workspace error; a query that
    breaks a constraint is a mistake in the code and must not be dressed up as damage."""
    path = tmp_path / "w.db"
    make_workspace(path).close()
    with pytest.raises(sqlite3.IntegrityError), opened(path) as ws, ws.transaction():
        ws.conn.execute(
            "INSERT INTO units (id, name, grp, tags, created_at) VALUES (1, 'x', 'g', '[]', 'x')"
        )
