"""Merging another workspace (a team member's laptop) into this one, row by row, in SQL.

The other file is attached read-only (``mode=ro``) and never written. Everything happens in
the caller's one transaction: rounds (the same name must pin the same indicator set), units
(matched by name; a code must agree), assessments and their answers, the veto, aggravated and
bonus entries, items marked 待核实, teams and assignments, the rectification ledger (entries
by their uid, changes by theirs) and the units' audit rows.

An assessment only the other side has is copied whole, with its stored result. Where both
sides have one, an item decided on one side only is taken, identical decisions are left, and
different decisions become conflicts (the other side's answer kept in ``conflicts`` until
resolved). A confirmation stands only where the two sides agree.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from inspector.errors import ConflictError, WorkspaceError
from inspector.store import results
from inspector.store.db import SCHEMA_VERSION, check_source, read_only_uri
from inspector.store.ledger import STATE_COLUMNS
from inspector.store.workspace import Workspace, new_uid, now

ALIAS = "merge_source"
ANSWER = ("form", "value", "na_reason", "problem", "rectify", "evidence", "note", "deadline")
ADJUSTMENT_KINDS = ("veto", "aggravated", "bonus")


@dataclass
class MergeCounts:
    """What a merge brought in (or, in a dry run, would bring)."""

    rounds: int = 0
    units: int = 0
    assessments: int = 0
    items: int = 0
    same: int = 0
    conflicts: int = 0
    marks: int = 0
    confirmed_kept: int = 0
    unconfirmed: int = 0
    confirmed_taken: int = 0
    ledger: int = 0
    audit: int = 0
    teams: int = 0
    # (round, unit, kind) changed item by item; those copied whole come with their result
    # and ledger, and are in ``copied``
    changed_units: set[tuple[int, int, str]] = field(default_factory=set)
    copied: set[tuple[int, int, str]] = field(default_factory=set)
    conflict_units: list[str] = field(default_factory=list)

    @property
    def changes(self) -> int:
        return (
            self.rounds
            + self.units
            + self.assessments
            + self.items
            + self.conflicts
            + self.marks
            + self.unconfirmed
            + self.confirmed_taken
            + self.ledger
            + self.audit
            + self.teams
        )


@contextmanager
def attached(ws: Workspace, path: Path) -> Iterator[None]:
    """Attach ``path`` read-only after screening it like any workspace (kind, SQLite, ours,
    not newer); it must be at this program's schema version (open it once with this version
    to bring it up to date)."""
    version = check_source(path)
    if version < SCHEMA_VERSION:
        raise WorkspaceError("merge.old_schema", path=path, version=version, current=SCHEMA_VERSION)
    try:
        if Path(ws.path).resolve() == Path(path).resolve():
            raise ConflictError("merge.same_file", path=path)
    except OSError:
        pass
    if writer_active(path):
        raise WorkspaceError("merge.being_written_now", path=path)
    try:
        ws.conn.execute(f"ATTACH DATABASE ? AS {ALIAS}", (read_only_uri(path),))
    except sqlite3.Error as exc:
        raise WorkspaceError("workspace.unreadable", path=path, detail=str(exc)) from None
    try:
        row = ws.conn.execute(
            "SELECT file FROM pragma_database_list WHERE name = ?", (ALIAS,)
        ).fetchone()
        if row is None or Path(row[0]).resolve() != Path(path).resolve():
            # SQLite built without URI names would have attached a new file named "file:…"
            raise WorkspaceError("merge.no_uri", path=path)
        yield
    finally:
        ws.conn.execute(f"DETACH DATABASE {ALIAS}")


WAL_WRITE_LOCK = 120  # the byte of the "-shm" file a WAL writer locks (SQLite's wal.c)


def writer_active(path: Path) -> bool:
    """Whether another process is writing the workspace now: its WAL write lock is held.

    Probed with a shared POSIX lock on that byte of the "-shm" file, taken and released at
    once, before this process opens the file (closing a descriptor drops every POSIX lock
    the process holds on the file, so this must never run while SQLite has it open here).
    Where POSIX locks do not exist, or there is no "-shm" file, no writer can be seen."""
    import os

    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        return False
    shm = Path(f"{path}-shm")
    try:
        fd = os.open(shm, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB, 1, WAL_WRITE_LOCK)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, WAL_WRITE_LOCK)
        return False
    finally:
        os.close(fd)


def source_leases(ws: Workspace) -> list[tuple[str, str, int]]:
    """(who, host, pid) of each scorer session the attached workspace has open now."""
    return [
        (str(row["who"]), str(row["host"]), int(row["pid"]))
        for row in ws.conn.execute(
            f"SELECT who, host, pid FROM {ALIAS}.leases WHERE expires > strftime('%s', 'now')"
        )
    ]


def log_merge(ws: Workspace, path: Path, who: str, summary: dict[str, object]) -> None:
    """The merge's row in the workspace's list of merges."""
    ws.conn.execute(
        "INSERT INTO merges (source, at, who, summary) VALUES (?, datetime('now'), ?, ?)",
        (str(path), who, json.dumps(summary, ensure_ascii=False, sort_keys=True)),
    )


def _rows(ws: Workspace, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
    return ws.conn.execute(sql, params).fetchall()


def merge_rows(ws: Workspace, path: Path, who: str, command: str) -> MergeCounts:
    """Merge the attached workspace into ``ws`` (inside the caller's transaction)."""
    counts = MergeCounts()
    source = str(path)
    c = ws.conn
    o = ALIAS
    c.execute("CREATE TEMP TABLE IF NOT EXISTS m_round (oid INTEGER PRIMARY KEY, lid INTEGER)")
    c.execute("CREATE TEMP TABLE IF NOT EXISTS m_unit (oid INTEGER PRIMARY KEY, lid INTEGER)")
    c.execute(
        "CREATE TEMP TABLE IF NOT EXISTS m_ass (oid INTEGER PRIMARY KEY, lid INTEGER,"
        " fresh INTEGER)"
    )
    for table in ("m_round", "m_unit", "m_ass"):
        c.execute(f"DELETE FROM temp.{table}")

    # --- rounds: the same name must pin the same set ----------------------------------------
    local_rounds = {r["name"]: r for r in _rows(ws, "SELECT id, name, set_hash FROM main.rounds")}
    for other in _rows(ws, f"SELECT * FROM {o}.rounds ORDER BY id"):
        mine = local_rounds.get(other["name"])
        if mine is not None and mine["set_hash"] != other["set_hash"]:
            raise ConflictError(
                "merge.other_set",
                path=source,
                round=other["name"],
                theirs=other["set_hash"][:12],
                mine=mine["set_hash"][:12],
            )
        if mine is None:
            cursor = c.execute(
                "INSERT INTO main.rounds (name, created_at, set_text, set_hash, set_source,"
                " deadline) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    other["name"],
                    other["created_at"],
                    other["set_text"],
                    other["set_hash"],
                    other["set_source"],
                    other["deadline"],
                ),
            )
            lid = int(cursor.lastrowid or 0)
            counts.rounds += 1
        else:
            lid = int(mine["id"])
        c.execute("INSERT INTO temp.m_round VALUES (?, ?)", (other["id"], lid))
    c.execute(
        f"INSERT OR IGNORE INTO main.round_settings (round_id, timezone, previous_id)"
        f" SELECT m.lid, s.timezone, p.lid FROM {o}.round_settings s"
        f" JOIN temp.m_round m ON m.oid = s.round_id"
        f" LEFT JOIN temp.m_round p ON p.oid = s.previous_id"
    )

    # --- units: matched by name; a code must agree ----------------------------------------
    local_units = {u["name"]: u for u in _rows(ws, "SELECT id, name, code, uid FROM main.units")}
    codes = {u["code"]: u["name"] for u in local_units.values() if u["code"]}
    uids = {u["uid"] for u in local_units.values()}
    new_units = []
    for other in _rows(ws, f"SELECT * FROM {o}.units ORDER BY id"):
        mine = local_units.get(other["name"])
        if mine is not None:
            if mine["code"] and other["code"] and mine["code"] != other["code"]:
                raise ConflictError(
                    "merge.unit_code",
                    path=source,
                    unit=other["name"],
                    theirs=other["code"],
                    mine=mine["code"],
                )
            continue
        if other["code"] and codes.get(other["code"], other["name"]) != other["name"]:
            raise ConflictError(
                "merge.unit_code",
                path=source,
                unit=codes[other["code"]],
                theirs=f"{other['name']} {other['code']}",
                mine=other["code"],
            )
        uid = other["uid"] if other["uid"] and other["uid"] not in uids else new_uid()
        new_units.append(
            (other["name"], other["code"], other["grp"], other["tags"], other["created_at"], uid)
        )
    c.executemany(
        "INSERT INTO main.units (name, code, grp, tags, created_at, uid) VALUES (?, ?, ?, ?, ?, ?)",
        new_units,
    )
    counts.units = len(new_units)
    c.execute(
        f"INSERT INTO temp.m_unit SELECT ou.id, u.id FROM {o}.units ou"
        f" JOIN main.units u ON u.name = ou.name"
    )
    c.execute(
        f"INSERT OR IGNORE INTO main.round_units (round_id, unit_id, grp, code, tags)"
        f" SELECT mr.lid, mu.lid, r.grp, r.code, r.tags FROM {o}.round_units r"
        f" JOIN temp.m_round mr ON mr.oid = r.round_id JOIN temp.m_unit mu ON mu.oid = r.unit_id"
    )

    # --- assessments only the other side has: copied whole, with their results ------------
    fresh = _rows(
        ws,
        f"SELECT a.*, mr.lid AS lround, mu.lid AS lunit FROM {o}.assessments a"
        f" JOIN temp.m_round mr ON mr.oid = a.round_id JOIN temp.m_unit mu ON mu.oid = a.unit_id"
        f" WHERE NOT EXISTS (SELECT 1 FROM main.assessments l WHERE l.round_id = mr.lid"
        f" AND l.unit_id = mu.lid AND l.kind = a.kind)",
    )
    for a in fresh:
        cursor = c.execute(
            "INSERT INTO main.assessments (round_id, unit_id, kind, confirmed_at, confirmed_by,"
            " updated_at, source, source_digest, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                a["lround"],
                a["lunit"],
                a["kind"],
                a["confirmed_at"],
                a["confirmed_by"],
                a["updated_at"],
                a["source"],
                a["source_digest"],
                a["version"],
            ),
        )
        c.execute("INSERT INTO temp.m_ass VALUES (?, ?, 1)", (a["id"], int(cursor.lastrowid or 0)))
        counts.copied.add((int(a["lround"]), int(a["lunit"]), a["kind"]))
    counts.assessments = len(fresh)
    cols = ", ".join(ANSWER)
    c.execute(
        f"INSERT INTO main.item_answers (assessment_id, item_code, {cols}, scored_by, scored_at,"
        f" version) SELECT m.lid, i.item_code, {', '.join('i.' + k for k in ANSWER)},"
        f" i.scored_by, i.scored_at, i.version FROM {o}.item_answers i"
        f" JOIN temp.m_ass m ON m.oid = i.assessment_id AND m.fresh = 1"
    )
    c.execute(
        f"INSERT INTO main.adjustments (assessment_id, kind, code, count)"
        f" SELECT m.lid, j.kind, j.code, j.count FROM {o}.adjustments j"
        f" JOIN temp.m_ass m ON m.oid = j.assessment_id AND m.fresh = 1"
    )
    for table, columns in (
        ("item_marks", "item_code, note, marked_by, marked_at"),
        ("item_drafts", "item_code, texts, saved_by, saved_at"),
        ("conflicts", "target, theirs, source, found_at, resolved"),
    ):
        c.execute(
            f"INSERT INTO main.{table} (assessment_id, {columns})"
            f" SELECT m.lid, {', '.join('x.' + k.strip() for k in columns.split(','))}"
            f" FROM {o}.{table} x JOIN temp.m_ass m ON m.oid = x.assessment_id AND m.fresh = 1"
        )
    c.execute(
        f"INSERT OR REPLACE INTO main.results SELECT mr.lid, mu.lid, r.kind, r.engine, r.grp,"
        f" r.tags, r.items, r.answered, r.to_answer, r.complete, r.total, r.base, r.aggravated,"
        f" r.bonus, r.grade, r.veto, r.categories, r.rank_key, r.grade_by FROM {o}.results r"
        f" JOIN temp.m_round mr ON mr.oid = r.round_id JOIN temp.m_unit mu ON mu.oid = r.unit_id"
        f" WHERE EXISTS (SELECT 1 FROM {o}.assessments a JOIN temp.m_ass m ON m.oid = a.id"
        f" AND m.fresh = 1 WHERE a.round_id = r.round_id AND a.unit_id = r.unit_id"
        f" AND a.kind = r.kind)"
    )
    c.execute(
        f"INSERT OR REPLACE INTO main.ledger_sync (round_id, unit_id, stamp)"
        f" SELECT mr.lid, mu.lid, s.stamp FROM {o}.ledger_sync s"
        f" JOIN temp.m_round mr ON mr.oid = s.round_id JOIN temp.m_unit mu ON mu.oid = s.unit_id"
        f" WHERE EXISTS (SELECT 1 FROM {o}.assessments a JOIN temp.m_ass m ON m.oid = a.id"
        f" AND m.fresh = 1 WHERE a.round_id = s.round_id AND a.unit_id = s.unit_id"
        f" AND a.kind = 'inspection')"
    )

    # --- assessments on both sides: item by item ----------------------------------------------
    both = _rows(
        ws,
        f"SELECT a.id AS oid, l.id AS lid, a.confirmed_at AS o_conf, a.confirmed_by AS o_by,"
        f" l.confirmed_at AS l_conf, l.version AS l_version, mr.lid AS lround,"
        f" mu.lid AS lunit, a.kind AS kind, u.name AS unit_name"
        f" FROM {o}.assessments a JOIN temp.m_round mr ON mr.oid = a.round_id"
        f" JOIN temp.m_unit mu ON mu.oid = a.unit_id JOIN main.units u ON u.id = mu.lid"
        f" JOIN main.assessments l ON l.round_id = mr.lid AND l.unit_id = mu.lid"
        f" AND l.kind = a.kind WHERE NOT EXISTS (SELECT 1 FROM temp.m_ass m WHERE m.oid = a.id)",
    )
    for pair in both:
        _merge_pair(ws, pair, source, who, command, counts)

    # --- teams and assignments -----------------------------------------------------------
    _merge_teams(ws, counts)

    # --- the rectification ledger: entries by uid, changes by uid --------------------------
    _merge_ledger(ws, counts)

    # --- audit: the units' stories from the other side, once ------------------------------
    before = c.total_changes
    c.execute(
        f"INSERT INTO main.audit (at, who, command, round_name, unit_name, unit_uid, kind, target,"
        f" old, new) SELECT a.at, a.who, a.command, a.round_name, a.unit_name,"
        f" (SELECT u.uid FROM main.units u WHERE u.name = a.unit_name), a.kind, a.target, a.old,"
        f" a.new FROM {o}.audit a WHERE a.unit_name IS NOT NULL AND NOT EXISTS ("
        f"SELECT 1 FROM main.audit b WHERE b.unit_name = a.unit_name AND b.at = a.at"
        f" AND b.who = a.who AND b.target = a.target AND b.command = a.command"
        f" AND b.kind IS a.kind AND b.round_name IS a.round_name AND b.old IS a.old"
        f" AND b.new IS a.new) ORDER BY a.id"
    )
    counts.audit = c.total_changes - before
    return counts


def _answers(ws: Workspace, schema: str, aid: int) -> dict[str, sqlite3.Row]:
    return {
        r["item_code"]: r
        for r in ws.conn.execute(
            f"SELECT item_code, {', '.join(ANSWER)}, scored_by, scored_at"
            f" FROM {schema}.item_answers WHERE assessment_id = ?",
            (aid,),
        )
    }


def _adjustments(ws: Workspace, schema: str, aid: int) -> dict[str, dict[str, int]]:
    found: dict[str, dict[str, int]] = {k: {} for k in ADJUSTMENT_KINDS}
    for r in ws.conn.execute(
        f"SELECT kind, code, count FROM {schema}.adjustments WHERE assessment_id = ?", (aid,)
    ):
        found[r["kind"]][r["code"]] = int(r["count"])
    return found


def _decision(row: sqlite3.Row) -> tuple[object, ...]:
    return tuple(row[k] for k in ANSWER)


def _merge_pair(
    ws: Workspace,
    pair: sqlite3.Row,
    source: str,
    who: str,
    command: str,
    counts: MergeCounts,
) -> None:
    """One assessment both sides hold: take, keep, or record a conflict, item by item."""
    c = ws.conn
    lid, oid = int(pair["lid"]), int(pair["oid"])
    mine = _answers(ws, "main", lid)
    theirs = _answers(ws, ALIAS, oid)
    mine_adj = _adjustments(ws, "main", lid)
    theirs_adj = _adjustments(ws, ALIAS, oid)
    open_conflicts = {
        r["target"]: r["theirs"]
        for r in c.execute("SELECT target, theirs FROM conflicts WHERE assessment_id = ?", (lid,))
    }
    version = int(pair["l_version"]) + 1
    changed = False
    found_at = now()
    for code, row in theirs.items():
        local = mine.get(code)
        if local is None:
            c.execute(
                f"INSERT INTO item_answers (assessment_id, item_code, {', '.join(ANSWER)},"
                f" scored_by, scored_at, version) VALUES (?, ?, {', '.join('?' * len(ANSWER))},"
                f" ?, ?, ?)",
                (lid, code, *_decision(row), row["scored_by"], row["scored_at"], version),
            )
            counts.items += 1
            changed = True
        elif _decision(local) == _decision(row):
            counts.same += 1
        else:
            other = json.dumps(
                {"row": list(_decision(row)), "by": row["scored_by"], "at": row["scored_at"]},
                ensure_ascii=False,
                sort_keys=True,
            )
            if open_conflicts.get(code) != other:
                c.execute(
                    "INSERT OR REPLACE INTO conflicts (assessment_id, target, theirs, source,"
                    " found_at) VALUES (?, ?, ?, ?, ?)",
                    (lid, code, other, source, found_at),
                )
                counts.conflicts += 1
    for kind in ADJUSTMENT_KINDS:
        ours, others = mine_adj[kind], theirs_adj[kind]
        if ours == others or not others:
            continue
        if not ours:
            c.executemany(
                "INSERT INTO adjustments (assessment_id, kind, code, count) VALUES (?, ?, ?, ?)",
                [(lid, kind, k, n) for k, n in sorted(others.items())],
            )
            counts.items += 1
            changed = True
            continue
        other = json.dumps({"entries": others, "by": "", "at": ""}, sort_keys=True)
        if open_conflicts.get("@" + kind) != other:
            c.execute(
                "INSERT OR REPLACE INTO conflicts (assessment_id, target, theirs, source,"
                " found_at) VALUES (?, ?, ?, ?, ?)",
                (lid, "@" + kind, other, source, found_at),
            )
            counts.conflicts += 1
    before = c.total_changes
    c.execute(
        f"INSERT OR IGNORE INTO main.item_marks (assessment_id, item_code, note, marked_by,"
        f" marked_at) SELECT ?, item_code, note, marked_by, marked_at FROM {ALIAS}.item_marks"
        f" WHERE assessment_id = ?",
        (lid, oid),
    )
    counts.marks += c.total_changes - before

    # a confirmation stands only where both sides agree
    has_conflicts = c.execute(
        "SELECT 1 FROM conflicts WHERE assessment_id = ? AND resolved IS NULL LIMIT 1", (lid,)
    ).fetchone()
    merged = _answers(ws, "main", lid) if changed else mine
    merged_adj = _adjustments(ws, "main", lid) if changed else mine_adj
    same_as_theirs = {k: _decision(r) for k, r in merged.items()} == {
        k: _decision(r) for k, r in theirs.items()
    } and merged_adj == theirs_adj
    confirmed = not has_conflicts and (
        (pair["l_conf"] is not None and not changed)
        or (pair["o_conf"] is not None and same_as_theirs)
    )
    round_name = c.execute("SELECT name FROM rounds WHERE id = ?", (pair["lround"],)).fetchone()[0]
    unit_name = pair["unit_name"]
    uid = c.execute("SELECT uid FROM units WHERE id = ?", (pair["lunit"],)).fetchone()[0]
    if pair["l_conf"] is not None and not confirmed:
        c.execute(
            "UPDATE assessments SET confirmed_at = NULL, confirmed_by = NULL WHERE id = ?", (lid,)
        )
        _audit(c, who, command, round_name, unit_name, uid, pair["kind"], "reopen", source)
        counts.unconfirmed += 1
    elif pair["l_conf"] is None and confirmed:
        c.execute(
            "UPDATE assessments SET confirmed_at = ?, confirmed_by = ? WHERE id = ?",
            (pair["o_conf"], pair["o_by"], lid),
        )
        _audit(c, who, command, round_name, unit_name, uid, pair["kind"], "confirm", source)
        counts.confirmed_taken += 1
    elif pair["l_conf"] is not None:
        counts.confirmed_kept += 1
    if has_conflicts:
        counts.conflict_units.append(unit_name)
    if changed:
        c.execute(
            "UPDATE assessments SET version = ?, updated_at = ? WHERE id = ?",
            (version, found_at, lid),
        )
        counts.changed_units.add((int(pair["lround"]), int(pair["lunit"]), pair["kind"]))


def _audit(
    c: sqlite3.Connection,
    who: str,
    command: str,
    round_name: str,
    unit_name: str,
    uid: str,
    kind: str,
    target: str,
    source: str,
) -> None:
    c.execute(
        "INSERT INTO audit (at, who, command, round_name, unit_name, unit_uid, kind, target, old,"
        " new) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            now(),
            who,
            command,
            round_name,
            unit_name,
            uid,
            kind,
            target,
            None,
            json.dumps({"merge": source}, ensure_ascii=False),
        ),
    )


def _merge_teams(ws: Workspace, counts: MergeCounts) -> None:
    c = ws.conn
    mine = {r["name"]: r for r in _rows(ws, "SELECT * FROM main.teams")}
    for other in _rows(ws, f"SELECT * FROM {ALIAS}.teams ORDER BY id"):
        local = mine.get(other["name"])
        members = json.loads(other["members"])
        if local is None:
            c.execute(
                "INSERT INTO main.teams (name, members, created_at, created_by)"
                " VALUES (?, ?, ?, ?)",
                (other["name"], other["members"], other["created_at"], other["created_by"]),
            )
            counts.teams += 1
            continue
        had = json.loads(local["members"])
        union = list(dict.fromkeys([*had, *members]))
        if union != had:
            c.execute(
                "UPDATE main.teams SET members = ? WHERE id = ?",
                (json.dumps(union, ensure_ascii=False), local["id"]),
            )
            counts.teams += 1
    before = c.total_changes
    c.execute(
        f"INSERT OR IGNORE INTO main.assignments (round_id, unit_id, team_id, categories,"
        f" assigned_at, assigned_by) SELECT mr.lid, mu.lid, t.id, a.categories, a.assigned_at,"
        f" a.assigned_by FROM {ALIAS}.assignments a"
        f" JOIN temp.m_round mr ON mr.oid = a.round_id JOIN temp.m_unit mu ON mu.oid = a.unit_id"
        f" JOIN {ALIAS}.teams ot ON ot.id = a.team_id JOIN main.teams t ON t.name = ot.name"
    )
    counts.teams += c.total_changes - before


LEDGER_STATE = (*STATE_COLUMNS, "updated_at", "updated_by")


def _merge_ledger(ws: Workspace, counts: MergeCounts) -> None:
    """Entries by uid: copied when missing (a number taken here gets a suffix), and where
    both hold one, the state changed later wins; every change row once, by its uid."""
    c = ws.conn
    before = c.total_changes
    columns = [r[1] for r in c.execute(f"PRAGMA {ALIAS}.table_info(ledger)") if r[1] not in ("id",)]
    mapped = {"round_id": "mr.lid", "unit_id": "mu.lid"}
    select = ", ".join(mapped.get(k, "l." + k) for k in columns)
    c.execute(
        f"INSERT INTO main.ledger ({', '.join(columns)}) SELECT {select} FROM {ALIAS}.ledger l"
        f" JOIN temp.m_round mr ON mr.oid = l.round_id JOIN temp.m_unit mu ON mu.oid = l.unit_id"
        f" WHERE NOT EXISTS (SELECT 1 FROM main.ledger x WHERE x.uid = l.uid)"
        f" AND NOT EXISTS (SELECT 1 FROM main.ledger y WHERE y.round_id = mr.lid"
        f" AND y.number = l.number)"
    )
    # the same number for another problem: a suffix keeps both
    for row in _rows(
        ws,
        f"SELECT l.*, mr.lid AS lround, mu.lid AS lunit FROM {ALIAS}.ledger l"
        f" JOIN temp.m_round mr ON mr.oid = l.round_id JOIN temp.m_unit mu ON mu.oid = l.unit_id"
        f" WHERE NOT EXISTS (SELECT 1 FROM main.ledger x WHERE x.uid = l.uid)",
    ):
        values = {k: row[k] for k in columns}
        values["round_id"], values["unit_id"] = row["lround"], row["lunit"]
        n = 2
        while c.execute(
            "SELECT 1 FROM main.ledger WHERE round_id = ? AND number = ?",
            (row["lround"], f"{row['number']}-{n}"),
        ).fetchone():
            n += 1
        values["number"] = f"{row['number']}-{n}"
        c.execute(
            f"INSERT INTO main.ledger ({', '.join(values)})"
            f" VALUES ({', '.join('?' * len(values))})",
            list(values.values()),
        )
    sets = ", ".join(f"{k} = l.{k}" for k in LEDGER_STATE)
    c.execute(
        f"UPDATE main.ledger SET {sets} FROM {ALIAS}.ledger l WHERE l.uid = main.ledger.uid"
        f" AND l.updated_at > main.ledger.updated_at"
    )
    c.execute(
        f"INSERT OR IGNORE INTO main.ledger_changes (uid, entry, at, who, command, action, old,"
        f" new) SELECT uid, entry, at, who, command, action, old, new FROM {ALIAS}.ledger_changes"
        f" ORDER BY id"
    )
    counts.ledger = c.total_changes - before


def refresh_results(ws: Workspace, counts: MergeCounts) -> None:
    """Compute again the stored result of every assessment the merge changed item by item
    (those copied whole came with their own)."""
    if not counts.changed_units:
        return
    rounds = {r.id: r for r in ws.rounds()}
    units = {u.id: u for u in ws.units()}
    for round_id, unit_id, kind in sorted(counts.changed_units):
        round_, unit = rounds[round_id], units[unit_id]
        results.store(ws.conn, round_, unit, kind, ws.assessment(round_, unit, kind))  # type: ignore[arg-type]
