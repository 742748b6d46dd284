"""Team inspections in the workspace (issue 10): teams and their assignments, item versions,
leases of open scorer sessions, items marked 待核实, drafts, and the conflicts a merge left.

Every write here runs in the caller's transaction when there is one (``db.write`` nests), so
a use case commits a mark together with the answers it goes with, or neither.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from inspector.core.assessment import Kind, Unit
from inspector.errors import ConflictError, NotFoundError
from inspector.store.db import write
from inspector.store.workspace import Round, Workspace, normal_name, now

LEASE_SECONDS = 30 * 60  # a session idle longer than this no longer holds its unit


# --- teams and assignments ---------------------------------------------------------------------


@dataclass(frozen=True)
class Team:
    id: int
    name: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Assignment:
    team: str
    members: tuple[str, ...]
    categories: tuple[str, ...]  # empty: every category


@dataclass(frozen=True)
class TeamUnits:
    """A team and the units it is assigned in a round (the leadership workbook's cover)."""

    name: str
    members: tuple[str, ...]
    units: tuple[str, ...]


def _team(row: sqlite3.Row) -> Team:
    return Team(int(row["id"]), row["name"], tuple(json.loads(row["members"])))


def teams(ws: Workspace) -> list[Team]:
    return [_team(r) for r in ws.conn.execute("SELECT * FROM teams ORDER BY id")]


def team(ws: Workspace, name: str) -> Team:
    row = ws.conn.execute("SELECT * FROM teams WHERE name = ?", (name.strip(),)).fetchone()
    if row is None:
        known = [t.name for t in teams(ws)]
        raise NotFoundError("team.unknown", name=name, known="、".join(known) or "—")
    return _team(row)


def save_team(ws: Workspace, name: str, members: Iterable[str], who: str, command: str) -> Team:
    """Add a team, or add members to an existing one (nobody is removed); audited."""
    name = normal_name(name, "group")
    wanted = [normal_name(m, "person") for m in members]
    with write(ws.conn):
        row = ws.conn.execute("SELECT * FROM teams WHERE name = ?", (name,)).fetchone()
        old = list(json.loads(row["members"])) if row is not None else None
        merged = list(dict.fromkeys([*(old or []), *wanted]))
        if row is None:
            ws.conn.execute(
                "INSERT INTO teams (name, members, created_at, created_by) VALUES (?, ?, ?, ?)",
                (name, json.dumps(merged, ensure_ascii=False), now(), who),
            )
        elif merged != old:
            ws.conn.execute(
                "UPDATE teams SET members = ? WHERE id = ?",
                (json.dumps(merged, ensure_ascii=False), row["id"]),
            )
        if merged != old:
            ws.audit(who, command, f"team:{name}", old, merged)
    return team(ws, name)


def assign(
    ws: Workspace,
    round_: Round,
    team_: Team,
    units: Iterable[Unit],
    categories: Iterable[str],
    who: str,
    command: str,
) -> int:
    """Assign ``units`` (optionally only ``categories``) to a team; returns how many changed."""
    cats = json.dumps(sorted(set(categories)), ensure_ascii=False)
    changed = 0
    with write(ws.conn):
        for unit in units:
            row = ws.conn.execute(
                "SELECT categories FROM assignments WHERE round_id = ? AND unit_id = ?"
                " AND team_id = ?",
                (round_.id, unit.id, team_.id),
            ).fetchone()
            if row is not None and row["categories"] == cats:
                continue
            ws.conn.execute(
                "INSERT OR REPLACE INTO assignments (round_id, unit_id, team_id, categories,"
                " assigned_at, assigned_by) VALUES (?, ?, ?, ?, ?, ?)",
                (round_.id, unit.id, team_.id, cats, now(), who),
            )
            new = {"team": team_.name, "categories": json.loads(cats)}
            old = (
                {"team": team_.name, "categories": json.loads(row["categories"])}
                if row is not None
                else None
            )
            ws.audit(who, command, "assign", old, new, round_.name, unit)
            changed += 1
    return changed


def assignments(ws: Workspace, round_: Round) -> dict[int, list[Assignment]]:
    """Each assigned unit's teams in a round, by unit id."""
    found: dict[int, list[Assignment]] = {}
    for row in ws.conn.execute(
        "SELECT a.unit_id, a.categories, t.name, t.members FROM assignments a"
        " JOIN teams t ON t.id = a.team_id WHERE a.round_id = ? ORDER BY t.id",
        (round_.id,),
    ):
        found.setdefault(int(row["unit_id"]), []).append(
            Assignment(
                row["name"],
                tuple(json.loads(row["members"])),
                tuple(json.loads(row["categories"])),
            )
        )
    return found


def team_units(ws: Workspace, round_: Round) -> list[TeamUnits]:
    """Every team with the units it is assigned in the round (unit order as added)."""
    units = {u.id: u.name for u in ws.units()}
    per_team: dict[str, list[str]] = {t.name: [] for t in teams(ws)}
    for unit_id, entries in sorted(assignments(ws, round_).items()):
        for entry in entries:
            per_team.setdefault(entry.team, []).append(units.get(unit_id, "?"))
    return [TeamUnits(t.name, t.members, tuple(per_team[t.name])) for t in teams(ws)]


# --- versions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    version: int
    by: str
    at: str


def assessment_version(ws: Workspace, round_: Round, unit: Unit, kind: Kind) -> int:
    row = ws.conn.execute(
        "SELECT version FROM assessments WHERE round_id = ? AND unit_id = ? AND kind = ?",
        (round_.id, unit.id, kind),
    ).fetchone()
    return int(row["version"]) if row is not None else 0


def item_versions(ws: Workspace, round_: Round, unit: Unit, kind: Kind) -> dict[str, Version]:
    return {
        row["item_code"]: Version(int(row["version"]), row["scored_by"], row["scored_at"])
        for row in ws.conn.execute(
            "SELECT i.item_code, i.version, i.scored_by, i.scored_at FROM item_answers i"
            " JOIN assessments a ON a.id = i.assessment_id"
            " WHERE a.round_id = ? AND a.unit_id = ? AND a.kind = ?",
            (round_.id, unit.id, kind),
        )
    }


# --- leases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lease:
    id: int
    who: str
    host: str
    pid: int
    started_at: str


def take_lease(
    ws: Workspace, round_: Round, unit: Unit, kind: Kind, who: str, host: str, pid: int
) -> tuple[int, list[Lease]]:
    """Open a lease for this session; returns its id and the other live leases on the unit.
    Leases past their expiry, and those of a process gone from this host, are dropped."""
    clock = time.time()
    with write(ws.conn):
        ws.conn.execute("DELETE FROM leases WHERE expires < ?", (clock,))
        others = []
        for row in ws.conn.execute(
            "SELECT * FROM leases WHERE round_id = ? AND unit_id = ? AND kind = ? ORDER BY id",
            (round_.id, unit.id, kind),
        ).fetchall():
            if row["host"] == host and not _alive(int(row["pid"])):
                ws.conn.execute("DELETE FROM leases WHERE id = ?", (row["id"],))
                continue
            others.append(
                Lease(int(row["id"]), row["who"], row["host"], int(row["pid"]), row["started_at"])
            )
        cursor = ws.conn.execute(
            "INSERT INTO leases (round_id, unit_id, kind, who, host, pid, started_at, renewed,"
            " expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (round_.id, unit.id, kind, who, host, pid, now(), clock, clock + LEASE_SECONDS),
        )
    return int(cursor.lastrowid or 0), others


def renew_lease(ws: Workspace, lease_id: int) -> None:
    clock = time.time()
    with write(ws.conn):
        ws.conn.execute(
            "UPDATE leases SET renewed = ?, expires = ? WHERE id = ?",
            (clock, clock + LEASE_SECONDS, lease_id),
        )


def drop_lease(ws: Workspace, lease_id: int) -> None:
    with write(ws.conn):
        ws.conn.execute("DELETE FROM leases WHERE id = ?", (lease_id,))


def _alive(pid: int) -> bool:
    import os

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


# --- marks and drafts -------------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    item: str
    note: str
    by: str
    at: str


def _aid(ws: Workspace, round_: Round, unit: Unit, kind: Kind, create: bool) -> int | None:
    return ws._assessment_id(round_, unit, kind, create)


def marks(ws: Workspace, round_: Round, unit: Unit, kind: Kind) -> dict[str, Mark]:
    aid = _aid(ws, round_, unit, kind, False)
    if aid is None:
        return {}
    return {
        r["item_code"]: Mark(r["item_code"], r["note"], r["marked_by"], r["marked_at"])
        for r in ws.conn.execute(
            "SELECT * FROM item_marks WHERE assessment_id = ? ORDER BY item_code", (aid,)
        )
    }


def round_marks(ws: Workspace, round_: Round, kind: Kind = "inspection") -> dict[int, list[str]]:
    """The marked items of every unit in the round, by unit id."""
    return _by_unit(
        ws.conn.execute(
            "SELECT a.unit_id, m.item_code FROM item_marks m JOIN assessments a"
            " ON a.id = m.assessment_id WHERE a.round_id = ? AND a.kind = ?"
            " ORDER BY a.unit_id, m.item_code",
            (round_.id, kind),
        )
    )


def _by_unit(rows: Iterable[Sequence[Any]]) -> dict[int, list[str]]:
    """(unit id, text) rows, ordered by unit, as each unit's texts in order."""
    found: dict[int, list[str]] = {}
    for unit_id, text in rows:
        found.setdefault(int(unit_id), []).append(str(text))
    return found


def round_open_conflicts(ws: Workspace, round_: Round) -> dict[int, list[str]]:
    """The open conflicts of every unit's inspection in the round (item codes, and "veto",
    "aggravated" or "bonus"), by unit id."""
    return _by_unit(
        (unit_id, target.lstrip("@"))
        for unit_id, target in ws.conn.execute(
            "SELECT a.unit_id, c.target FROM conflicts c JOIN assessments a"
            " ON a.id = c.assessment_id WHERE a.round_id = ? AND a.kind = 'inspection'"
            " AND c.resolved IS NULL ORDER BY a.unit_id, c.target",
            (round_.id,),
        )
    )


def round_versions(ws: Workspace, round_: Round) -> dict[int, int]:
    """Each unit's inspection version in the round, by unit id."""
    return {
        int(row[0]): int(row[1])
        for row in ws.conn.execute(
            "SELECT unit_id, version FROM assessments WHERE round_id = ? AND kind = 'inspection'",
            (round_.id,),
        )
    }


def round_scorers(ws: Workspace, round_: Round) -> dict[int, list[str]]:
    """Who scored each unit's inspection in the round (every inspector once), by unit id."""
    return _by_unit(
        ws.conn.execute(
            "SELECT DISTINCT a.unit_id, i.scored_by FROM item_answers i JOIN assessments a"
            " ON a.id = i.assessment_id WHERE a.round_id = ? AND a.kind = 'inspection'"
            " ORDER BY a.unit_id, i.scored_by",
            (round_.id,),
        )
    )


def set_mark(
    ws: Workspace,
    round_: Round,
    unit: Unit,
    kind: Kind,
    item: str,
    note: str | None,
    who: str,
    command: str,
) -> bool:
    """Mark an item 待核实 with a note, or clear the mark (``note`` None); audited."""
    with write(ws.conn):
        ws.check_open(round_, unit, kind)
        aid = _aid(ws, round_, unit, kind, True)
        row = ws.conn.execute(
            "SELECT note FROM item_marks WHERE assessment_id = ? AND item_code = ?", (aid, item)
        ).fetchone()
        old = row["note"] if row is not None else None
        if old == note:
            return False
        if note is None:
            ws.conn.execute(
                "DELETE FROM item_marks WHERE assessment_id = ? AND item_code = ?", (aid, item)
            )
        else:
            ws.conn.execute(
                "INSERT OR REPLACE INTO item_marks (assessment_id, item_code, note, marked_by,"
                " marked_at) VALUES (?, ?, ?, ?, ?)",
                (aid, item, note, who, now()),
            )
        ws.audit(who, command, f"review:{item}", old, note, round_.name, unit, kind)
    return True


def drafts(ws: Workspace, round_: Round, unit: Unit, kind: Kind) -> dict[str, dict[str, str]]:
    aid = _aid(ws, round_, unit, kind, False)
    if aid is None:
        return {}
    return {
        r["item_code"]: json.loads(r["texts"])
        for r in ws.conn.execute("SELECT * FROM item_drafts WHERE assessment_id = ?", (aid,))
    }


def save_draft(
    ws: Workspace,
    round_: Round,
    unit: Unit,
    kind: Kind,
    item: str,
    texts: Mapping[str, str],
    who: str,
) -> None:
    """Keep the texts typed on an unscored item (none: forget them). Not audited: a draft
    is not a decision; the answer that uses it is."""
    with write(ws.conn):
        aid = _aid(ws, round_, unit, kind, True)
        if not texts:
            ws.conn.execute(
                "DELETE FROM item_drafts WHERE assessment_id = ? AND item_code = ?", (aid, item)
            )
            return
        ws.conn.execute(
            "INSERT OR REPLACE INTO item_drafts (assessment_id, item_code, texts, saved_by,"
            " saved_at) VALUES (?, ?, ?, ?, ?)",
            (aid, item, json.dumps(dict(texts), ensure_ascii=False), who, now()),
        )


def clear_drafts(
    ws: Workspace, round_: Round, unit: Unit, kind: Kind, items: Iterable[str]
) -> None:
    aid = _aid(ws, round_, unit, kind, False)
    if aid is None:
        return
    ws.conn.executemany(
        "DELETE FROM item_drafts WHERE assessment_id = ? AND item_code = ?",
        [(aid, code) for code in items],
    )


# --- conflicts ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    unit: str
    target: str  # an item code, or "@veto", "@aggravated", "@bonus"
    theirs: dict[str, object]  # the other side's answer (answer_to_dict, by, at) or entries
    source: str
    found_at: str


def conflicts(
    ws: Workspace, round_: Round, unit: Unit | None = None, kind: Kind = "inspection"
) -> list[Conflict]:
    sql = (
        "SELECT u.name, c.target, c.theirs, c.source, c.found_at FROM conflicts c"
        " JOIN assessments a ON a.id = c.assessment_id JOIN units u ON u.id = a.unit_id"
        " WHERE a.round_id = ? AND a.kind = ? AND c.resolved IS NULL"
    )
    params: list[object] = [round_.id, kind]
    if unit is not None:
        sql += " AND a.unit_id = ?"
        params.append(unit.id)
    return [
        Conflict(r["name"], r["target"], json.loads(r["theirs"]), r["source"], r["found_at"])
        for r in ws.conn.execute(sql + " ORDER BY u.id, c.target", params)
    ]


def close_conflict(
    ws: Workspace, round_: Round, unit: Unit, kind: Kind, target: str, take: str
) -> None:
    """Mark a conflict resolved (kept, so that merging the same side again stays quiet)."""
    aid = _aid(ws, round_, unit, kind, False)
    ws.conn.execute(
        "UPDATE conflicts SET resolved = ? WHERE assessment_id = ? AND target = ?",
        (take, aid, target),
    )


def check_confirmable(ws: Workspace, round_: Round, unit: Unit, kind: Kind) -> None:
    """Refuse to confirm an assessment with open conflicts or items marked 待核实."""
    open_ = [c.target.lstrip("@") for c in conflicts(ws, round_, unit, kind)]
    if open_:
        raise ConflictError("team.confirm_conflicts", unit=unit.name, items="、".join(open_))
    marked = list(marks(ws, round_, unit, kind))
    if marked:
        raise ConflictError("team.confirm_marked", unit=unit.name, items="、".join(marked))
