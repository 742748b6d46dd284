"""The SQLite file: opening safely, WAL, foreign keys, forward migrations, write transactions."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from inspector.errors import ConflictError, InspectorError, ProblemsError, Term, WorkspaceError
from inspector.io.inputs import FileKind, file_kind, read_prefix

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
    # 5: what set a stored grade apart from its score band ('veto', 'aggravated', or NULL
    # when the grade is the band's), so that views mark a grade "（否决）" only where a veto
    # changed it. Older rows are of an older engine version and are computed again.
    """
    ALTER TABLE results ADD COLUMN grade_by TEXT
    """,
    # 6: a unit's identity that outlives its name. A unit removed and added again under the
    # same name (and code) gets a new id, perhaps even the old one, so neither the name nor the
    # id tells the two apart; a random uid does. It is bound into the self-assessment identity
    # and keys the audit log. Existing units get one now; audit rows are attributed to the
    # current unit of their name only from its last "added" row on (earlier rows belong to a
    # removed unit of that name and keep no uid). ``legacy_templates`` marks the existing units
    # that were never removed and added again: only for them can a template issued before
    # uids existed be attributed with certainty.
    """
    ALTER TABLE units ADD COLUMN uid TEXT;
    ALTER TABLE units ADD COLUMN legacy_templates INTEGER NOT NULL DEFAULT 0;
    UPDATE units SET uid = 'u' || lower(hex(randomblob(16)));
    UPDATE units SET legacy_templates = 1 WHERE NOT EXISTS (
        SELECT 1 FROM audit a WHERE a.target = 'unit' AND a.new IS NULL
        AND (a.unit_name = units.name
             OR (units.code IS NOT NULL AND json_extract(a.old, '$.code') = units.code))
    );
    CREATE UNIQUE INDEX units_by_uid ON units (uid);
    ALTER TABLE audit ADD COLUMN unit_uid TEXT;
    UPDATE audit SET unit_uid = (SELECT u.uid FROM units u WHERE u.name = audit.unit_name)
    WHERE unit_name IS NOT NULL AND id >= COALESCE((
        SELECT MAX(b.id) FROM audit b
        WHERE b.unit_name = audit.unit_name AND b.target = 'unit' AND b.old IS NULL
    ), 0);
    CREATE INDEX audit_by_unit_uid ON audit (unit_uid, id)
    """,
    # 7: the rectification ledger (整改台账). A round's settings (time zone, the round it
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
    # 8: team inspections (issue 10). Every change of an assessment's answers bumps its
    # version, and each answer keeps the version that wrote it, so a save can refuse an item
    # changed since it was shown (``--if-version``, the scorer). Teams of inspectors, the
    # units (optionally the categories) each team is assigned, a lease per open scorer
    # session, items marked 待核实 and texts typed on an unscored item (drafts), the
    # conflicts a merge found (the other side's answer, kept until resolved) and the merges
    # done (their source, so that merging the same workspace again is seen to change nothing).
    """
    ALTER TABLE assessments ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE item_answers ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE teams (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        members TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
    );
    CREATE TABLE assignments (
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
        categories TEXT NOT NULL DEFAULT '[]',
        assigned_at TEXT NOT NULL,
        assigned_by TEXT NOT NULL,
        PRIMARY KEY (round_id, unit_id, team_id)
    );
    CREATE TABLE leases (
        id INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL REFERENCES rounds(id) ON DELETE CASCADE,
        unit_id INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        who TEXT NOT NULL,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        renewed REAL NOT NULL,
        expires REAL NOT NULL
    );
    CREATE INDEX leases_by_unit ON leases (round_id, unit_id, kind);
    CREATE TABLE item_marks (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        item_code TEXT NOT NULL,
        note TEXT NOT NULL,
        marked_by TEXT NOT NULL,
        marked_at TEXT NOT NULL,
        PRIMARY KEY (assessment_id, item_code)
    );
    CREATE TABLE item_drafts (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        item_code TEXT NOT NULL,
        texts TEXT NOT NULL,
        saved_by TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (assessment_id, item_code)
    );
    CREATE TABLE conflicts (
        assessment_id INTEGER NOT NULL REFERENCES assessments(id) ON DELETE CASCADE,
        target TEXT NOT NULL,
        theirs TEXT NOT NULL,
        source TEXT NOT NULL,
        found_at TEXT NOT NULL,
        resolved TEXT,
        PRIMARY KEY (assessment_id, target)
    );
    CREATE TABLE merges (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        summary TEXT NOT NULL
    )
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class Connection(sqlite3.Connection):
    """A connection that knows its file, so that a failure deep in a write names it."""

    path: Path | str = ""


def _check_file(path: Path, create: bool, writable: bool = True) -> bool:
    """Whether ``path`` is an existing, non-empty file to open as a workspace (False: there is
    nothing yet, and ``create`` allows making one). Never opens anything but a regular file:
    a FIFO named as ``--db`` would block the open forever, a device may have side effects."""
    try:
        kind = file_kind(path)
    except OSError as exc:
        raise WorkspaceError("workspace.unreadable", path=path, detail=exc.strerror) from None
    if kind is FileKind.MISSING:
        if not create:
            raise WorkspaceError("workspace.missing", path=path)
        if not path.parent.exists():
            raise WorkspaceError("workspace.no_directory", path=path)
        return False
    if kind is FileKind.DIRECTORY:
        raise WorkspaceError("workspace.is_directory", path=path)
    if kind is not FileKind.REGULAR:
        raise WorkspaceError("workspace.special", path=path, what=Term(f"file_kind.{kind}"))
    try:
        head = read_prefix(path, len(SQLITE_MAGIC))
    except ProblemsError as exc:  # swapped for a FIFO after the first look, or unreadable
        detail = exc.problems[0].message() if exc.problems else ""
        raise WorkspaceError("workspace.unreadable", path=path, detail=detail) from None
    if head and head != SQLITE_MAGIC:
        raise WorkspaceError("workspace.not_sqlite", path=path)
    if writable and (
        not os.access(path, os.W_OK) or not os.access(path.parent or Path("."), os.W_OK)
    ):
        raise WorkspaceError("workspace.read_only", path=path)
    if not head:
        if not create:  # a 0-byte file is not a workspace; only init (and demo) make one
            raise WorkspaceError("workspace.empty", path=path)
        return False
    return True


def database_error(
    exc: sqlite3.Error, path: Path | str = "", opening: bool = False
) -> WorkspaceError:
    """What a failing SQLite call means to the user: a full disk, another writer, a read-only
    file, or a damaged workspace (a page of garbage, a table gone)."""
    text = str(exc)
    if "full" in text:  # SQLITE_FULL: "database or disk is full"
        return WorkspaceError("workspace.full", path=path)
    if "locked" in text or "busy" in text:
        return WorkspaceError("workspace.busy")
    if "readonly" in text:
        return WorkspaceError("workspace.read_only", path=path)
    return WorkspaceError(
        "workspace.broken" if opening else "workspace.damaged", path=path, detail=text
    )


def _is_ours(conn: sqlite3.Connection, version: int) -> bool:
    """A file at schema version 0 is ours only while it is empty: the tables of another
    program's SQLite database must never be migrated into."""
    if version > 0:
        return True
    return conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0


def connect(path: Path, create: bool = False) -> sqlite3.Connection:
    """Open the workspace at ``path``; migrate an older schema forward.

    With ``create`` (``init``, ``demo``), make a new one where there is nothing, a 0-byte
    file, or an empty SQLite file (what a killed ``init`` leaves); an existing workspace is
    refused (``workspace.exists``). Without it, only a workspace opens: a 0-byte file, an
    empty SQLite file or another program's SQLite file is refused and left as it is.
    """
    existing = _check_file(path, create)
    try:
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, factory=Connection
        )
    except sqlite3.Error as exc:
        raise database_error(exc, path, opening=True) from None
    conn.path = path
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise WorkspaceError(
                "workspace.too_new", path=path, version=version, supported=SCHEMA_VERSION
            )
        if existing:
            empty = version == 0 and _is_ours(conn, version)
            if not _is_ours(conn, version):
                raise WorkspaceError("workspace.foreign", path=path)
            if create and not empty:
                raise ConflictError("workspace.exists", path=path)
            if empty and not create:
                raise WorkspaceError("workspace.empty", path=path)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.row_factory = sqlite3.Row
        if version < SCHEMA_VERSION:
            migrate(conn, version)
    except InspectorError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise database_error(exc, path, opening=True) from None
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
    except sqlite3.Error as exc:
        raise database_error(exc, _path(conn)) from None
    try:
        yield conn
    except BaseException as exc:
        # SQLite has already rolled back after some failures (a full disk, an I/O error):
        # a second ROLLBACK would fail with "no transaction is active" and hide the cause
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if is_damage(exc):
            raise database_error(exc, _path(conn)) from None
        raise
    else:
        try:
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise database_error(exc, _path(conn)) from None


@contextmanager
def reported(path: Path | str) -> Iterator[None]:
    """Turn damage found while working with the open workspace at ``path`` into
    ``WorkspaceError`` (exit 3) wherever it surfaces: a query that meets a page of garbage or
    a table that is gone, stored JSON that no longer parses."""
    try:
        yield
    except sqlite3.Error as exc:
        if not is_damage(exc):
            raise
        raise database_error(exc, path) from None
    except json.JSONDecodeError as exc:
        raise WorkspaceError("workspace.bad_data", path=path, detail=str(exc)) from None


def _path(conn: sqlite3.Connection) -> Path | str:
    return getattr(conn, "path", "")


def is_damage(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite reporting the file or the disk (not a mistake in a query:
    a constraint or an API misuse is a bug, and stays one)."""
    return isinstance(exc, sqlite3.DatabaseError) and not isinstance(
        exc, sqlite3.IntegrityError | sqlite3.ProgrammingError
    )


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


def read_only_uri(path: Path) -> str:
    """The SQLite URI that opens ``path`` read-only (merge reads other workspaces so)."""
    from urllib.parse import quote

    return "file:" + quote(str(Path(path).resolve())) + "?mode=ro"


def check_source(path: Path) -> int:
    """Screen a workspace that is only to be read (``merge``): a regular, non-empty SQLite
    file of ours, not newer than this program; returns its schema version. Opened read-only:
    nothing is ever written to it."""
    if not _check_file(path, create=False, writable=False):
        raise WorkspaceError("workspace.empty", path=path)
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise database_error(exc, path, opening=True) from None
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise WorkspaceError(
                "workspace.too_new", path=path, version=version, supported=SCHEMA_VERSION
            )
        if version == 0:
            empty = conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
            raise WorkspaceError("workspace.empty" if empty else "workspace.foreign", path=path)
    except sqlite3.Error as exc:
        raise database_error(exc, path, opening=True) from None
    finally:
        conn.close()
    return version
