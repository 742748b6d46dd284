"""The SQLite file: opening safely, WAL, foreign keys, forward migrations, write transactions."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from inspector.errors import WorkspaceError

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000

# Each entry upgrades the schema by one version. Never edit a released entry: append.
MIGRATIONS: tuple[str, ...] = (
    # 1: units, rounds pinned to their indicator set, assessments, item answers, audit
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE units (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        code TEXT UNIQUE,
        grp TEXT NOT NULL,
        tags TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL
    );
    CREATE TABLE rounds (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        set_text TEXT NOT NULL,
        set_hash TEXT NOT NULL,
        set_source TEXT
    );
    CREATE TABLE assessments (
        id INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('self', 'inspection')),
        confirmed_at TEXT,
        confirmed_by TEXT,
        updated_at TEXT NOT NULL,
        UNIQUE (round_id, unit_id, kind)
    );
    CREATE TABLE item_answers (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        item_code TEXT NOT NULL,
        form TEXT NOT NULL CHECK (form IN ('full', 'deduct', 'level', 'score', 'na')),
        deductions TEXT NOT NULL DEFAULT '[]',
        level TEXT,
        score TEXT,
        na_reason TEXT,
        problem TEXT,
        rectify TEXT,
        evidence TEXT,
        note TEXT,
        deadline TEXT,
        scored_by TEXT NOT NULL,
        scored_at TEXT NOT NULL,
        PRIMARY KEY (assessment_id, item_code)
    );
    CREATE TABLE adjustments (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('veto', 'aggravated', 'bonus')),
        code TEXT NOT NULL,
        count INTEGER NOT NULL CHECK (count > 0),
        PRIMARY KEY (assessment_id, kind, code)
    );
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        command TEXT NOT NULL,
        round_name TEXT,
        unit_name TEXT,
        kind TEXT,
        target TEXT NOT NULL,
        old TEXT,
        new TEXT
    );
    """,
    # 2: where a self-assessment came from (a workbook's digest makes re-imports no-ops),
    # the rectification deadline of a round, and a faster audit look-up per unit
    """
    ALTER TABLE assessments ADD COLUMN source TEXT;
    ALTER TABLE assessments ADD COLUMN source_digest TEXT;
    ALTER TABLE rounds ADD COLUMN deadline TEXT;
    CREATE INDEX audit_by_unit ON audit (unit_name, id);
    """,
    # 3: every assessment's result, kept current by each write in the same transaction, so
    # that status and ranks read stored figures instead of rescoring the round. A row records
    # the engine version and the unit's group and tags it was computed with, and is computed
    # again (on the next read) when they differ. Ranks compare rank_key, which sorts as text.
    # round_facts caches what the status views need of a round's set (names, order, flags).
    """
    CREATE TABLE results (
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        engine TEXT NOT NULL,
        grp TEXT NOT NULL,
        tags TEXT NOT NULL,
        items INTEGER NOT NULL,
        answered INTEGER NOT NULL,
        to_answer INTEGER NOT NULL,
        complete INTEGER NOT NULL,
        total TEXT NOT NULL,
        base TEXT NOT NULL,
        aggravated TEXT NOT NULL,
        bonus TEXT NOT NULL,
        grade TEXT NOT NULL,
        veto TEXT NOT NULL,
        categories TEXT NOT NULL,
        rank_key TEXT NOT NULL,
        PRIMARY KEY (round_id, unit_id, kind)
    );
    CREATE INDEX results_rank ON results (round_id, kind, grp, complete, rank_key);
    CREATE TABLE round_facts (
        round_id INTEGER PRIMARY KEY REFERENCES rounds(id) ON DELETE CASCADE,
        engine TEXT NOT NULL,
        facts TEXT NOT NULL
    );
    """,
    # 4: the store no longer knows the scoring forms. An answer keeps its form's name (no CHECK)
    # and the form's own value as JSON (core/forms), instead of a column per form: deduction
    # pairs as they were, a level name or a score as a JSON string. SQLite changes a CHECK only
    # by rebuilding the table.
    """
    CREATE TABLE item_answers_v3 (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        item_code TEXT NOT NULL,
        form TEXT NOT NULL,
        value TEXT,
        na_reason TEXT,
        problem TEXT,
        rectify TEXT,
        evidence TEXT,
        note TEXT,
        deadline TEXT,
        scored_by TEXT NOT NULL,
        scored_at TEXT NOT NULL,
        PRIMARY KEY (assessment_id, item_code)
    );
    INSERT INTO item_answers_v3
    SELECT assessment_id, item_code, form,
        CASE form
            WHEN 'deduct' THEN deductions
            WHEN 'level' THEN json_quote(level)
            WHEN 'score' THEN json_quote(score)
        END,
        na_reason, problem, rectify, evidence, note, deadline, scored_by, scored_at
    FROM item_answers;
    DROP TABLE item_answers;
    ALTER TABLE item_answers_v3 RENAME TO item_answers
    """,
    # 5: the rectification ledger (整改台账). A round's settings (time zone, the round it
    # follows) and the units taking part, each with its group, code and tags as they were.
    # A ledger entry per problem, with a uid that stays the same when entries are copied
    # between workspaces (team merges); every change of an entry is a row of ledger_changes
    # (with its own uid, who and when) and an audit row. ledger_sync remembers which
    # inspection state each unit's entries follow; rectify_issues the problem numbers each
    # unit's latest rectification workbook was issued for.
    """
    CREATE TABLE round_settings (
        round_id INTEGER PRIMARY KEY REFERENCES rounds(id) ON DELETE CASCADE,
        timezone TEXT,
        previous_id INTEGER REFERENCES rounds(id) ON DELETE SET NULL
    );
    CREATE TABLE round_units (
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        grp TEXT NOT NULL,
        code TEXT,
        tags TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (round_id, unit_id)
    );
    CREATE TABLE ledger (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        number TEXT NOT NULL,
        position INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('item', 'aggravated', 'veto')),
        code TEXT NOT NULL,
        rules TEXT NOT NULL DEFAULT '[]',
        lost TEXT,
        texts TEXT NOT NULL,
        deadline TEXT,
        status TEXT NOT NULL
            CHECK (status IN ('open', 'in_progress', 'done', 'closed', 'withdrawn')),
        department TEXT,
        person TEXT,
        measures TEXT,
        completed_on TEXT,
        evidence TEXT NOT NULL DEFAULT '[]',
        recheck TEXT CHECK (recheck IN ('passed', 'failed')),
        recheck_note TEXT,
        recheck_by TEXT,
        recheck_at TEXT,
        closed_on TEXT,
        carried_from TEXT,
        repeat_of TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        UNIQUE (round_id, number)
    );
    CREATE INDEX ledger_by_unit ON ledger (round_id, unit_id, position);
    CREATE TABLE ledger_changes (
        id INTEGER PRIMARY KEY,
        uid TEXT NOT NULL UNIQUE,
        entry TEXT NOT NULL,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        command TEXT NOT NULL,
        action TEXT NOT NULL,
        old TEXT,
        new TEXT
    );
    CREATE INDEX ledger_changes_by_entry ON ledger_changes (entry, id);
    CREATE TABLE ledger_sync (
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        stamp TEXT NOT NULL,
        PRIMARY KEY (round_id, unit_id)
    );
    CREATE TABLE rectify_issues (
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        numbers TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        issued_by TEXT NOT NULL,
        PRIMARY KEY (round_id, unit_id)
    )
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def _check_file(path: Path) -> None:
    if path.is_dir():
        raise WorkspaceError("workspace.is_directory", path=path)
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise WorkspaceError("workspace.unreadable", path=path, detail=exc.strerror) from None
    if head and head != SQLITE_MAGIC:
        raise WorkspaceError("workspace.not_sqlite", path=path)
    if not os.access(path, os.W_OK) or not os.access(path.parent or Path("."), os.W_OK):
        raise WorkspaceError("workspace.read_only", path=path)


def connect(path: Path, create: bool = False) -> sqlite3.Connection:
    """Open (or, with ``create``, make) the workspace; migrate an older schema forward."""
    exists = path.exists()
    if exists:
        _check_file(path)
    elif not create:
        raise WorkspaceError("workspace.missing", path=path)
    elif not path.parent.exists():
        raise WorkspaceError("workspace.no_directory", path=path)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            conn.close()
            raise WorkspaceError(
                "workspace.too_new", path=path, version=version, supported=SCHEMA_VERSION
            )
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.row_factory = sqlite3.Row
        if version < SCHEMA_VERSION:
            migrate(conn, version)
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError("workspace.broken", path=path, detail=str(exc)) from None
    return conn


def migrate(conn: sqlite3.Connection, current: int, target: int = SCHEMA_VERSION) -> None:
    """Apply migrations ``current+1 .. target``, each in its own transaction."""
    for version in range(current + 1, target + 1):
        with write(conn):
            # executescript would COMMIT our transaction; run statements one by one instead
            for statement in MIGRATIONS[version - 1].split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version}")


@contextmanager
def write(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken up front (BEGIN IMMEDIATE) so that two writers queue.

    Nested inside another ``write``, it joins the outer transaction as a savepoint: what it
    wrote is undone if it fails, and everything commits (or rolls back) with the outermost
    one. So use cases compose store writes into one transaction simply by nesting.

    A writer that waited longer than the busy timeout fails with a clear message; either way
    nothing is half-written: the transaction commits whole or rolls back whole.
    """
    if conn.in_transaction:
        with _savepoint(conn):
            yield conn
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise WorkspaceError("workspace.busy") from None
        if "readonly" in str(exc):
            raise WorkspaceError("workspace.read_only", path="") from None
        raise
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            conn.execute("ROLLBACK")
            raise WorkspaceError("workspace.busy") from exc


@contextmanager
def _savepoint(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute("SAVEPOINT nested")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # a failed statement may already have ended it
            conn.execute("ROLLBACK TO nested")
            conn.execute("RELEASE nested")
        raise
    else:
        conn.execute("RELEASE nested")
