"""The rectification ledger (整改台账): one entry per problem, and every change of it.

An entry is a problem the inspection found (an item that lost points or carries a problem
text, an aggravated deduction, a veto) together with what became of it: who is responsible,
what was done, when, the evidence, the office's re-inspection (复查) and closing (销号).

Status runs ``open`` 待整改 → ``in_progress`` 整改中 → ``done`` 已整改（待复查） → ``closed``
已销号; a failed re-inspection puts a ``done`` entry back to ``in_progress`` (复查未通过, kept in
``recheck``). ``withdrawn`` 已撤销: the inspection no longer finds the problem (the item was
re-scored to full marks); the entry is kept, never deleted. Whether an entry is overdue is
computed from its deadline and today's date in the round's time zone; it is never stored.

Identity: each entry has a ``uid`` that is the same in every workspace that holds it (a copy
from a team member's laptop, issue 10's merge), and a ``number`` people use (2026-市财政局-07),
fixed when the entry is made and never changed. Each change is a row of ``ledger_changes``
with its own uid, who, when, the command, and the fields before and after; the same change
goes to the audit log (target ``ledger:<number>``) so that ``inspector log UNIT`` tells the
unit's whole story.

Texts that depend on the language (the item's name, the deduction in words, the default
problem and requirement texts, the legal basis) are kept in every language the tool speaks,
so the ledger reads the same in a report written long after the set or the answers changed.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from inspector.i18n import DEFAULT_LANGUAGE
from inspector.store.db import write

Status = Literal["open", "in_progress", "done", "closed", "withdrawn"]
OPEN: Status = "open"
IN_PROGRESS: Status = "in_progress"
DONE: Status = "done"
CLOSED: Status = "closed"
WITHDRAWN: Status = "withdrawn"
STATUSES: tuple[Status, ...] = (OPEN, IN_PROGRESS, DONE, CLOSED, WITHDRAWN)
STILL_OPEN: tuple[Status, ...] = (OPEN, IN_PROGRESS, DONE)  # carried over, listed to units
UNIT_FIELDS = ("department", "person", "measures", "completed_on", "evidence")
TEXT_FIELDS = ("item", "deduction", "problem", "requirement", "basis")
Source = Literal["item", "aggravated", "veto"]


@dataclass(frozen=True)
class Evidence:
    """A piece of evidence the unit names: a file (not the file itself) and what it shows."""

    file: str
    description: str = ""

    def as_json(self) -> dict[str, str]:
        return {"file": self.file, "description": self.description}


@dataclass(frozen=True)
class Entry:
    id: int
    uid: str
    round_id: int
    unit_id: int
    unit_name: str
    number: str
    position: int
    source: Source
    code: str
    rules: tuple[str, ...]
    lost: Decimal | None
    texts: Mapping[str, Mapping[str, str]] = field(repr=False)
    deadline: str | None
    status: Status
    department: str | None
    person: str | None
    measures: str | None
    completed_on: str | None
    evidence: tuple[Evidence, ...]
    recheck: Literal["passed", "failed"] | None
    recheck_note: str | None
    recheck_by: str | None
    recheck_at: str | None
    closed_on: str | None
    carried_from: str | None
    repeat_of: str | None
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str
    confirmed: bool  # the inspection it follows is confirmed (carried entries: always)
    repeat_number: str | None = None  # the number of the closed entry it repeats
    carried_round: str | None = None  # the round the entry was carried over from

    def text(self, name: str, lang: str) -> str:
        """A derived text in ``lang`` (else the default language)."""
        texts = self.texts.get(lang) or self.texts.get(DEFAULT_LANGUAGE) or {}
        return texts.get(name) or (self.texts.get(DEFAULT_LANGUAGE) or {}).get(name, "")

    @property
    def deadline_date(self) -> date | None:
        return parse_day(self.deadline)

    def overdue(self, today: date) -> bool:
        """Not reported done, and past its deadline (a deadline day itself is still on time)."""
        deadline = self.deadline_date
        return self.status in (OPEN, IN_PROGRESS) and deadline is not None and deadline < today

    @property
    def provisional(self) -> bool:
        """Found by an inspection that is not confirmed yet: it may still change."""
        return not self.confirmed and self.carried_from is None

    @property
    def active(self) -> bool:
        return self.status != WITHDRAWN

    @property
    def failed_recheck(self) -> bool:
        return self.status == IN_PROGRESS and self.recheck == "failed"

    @property
    def completed(self) -> bool:
        """Counted as rectified (整改完成率): reported done, or closed."""
        return self.status in (DONE, CLOSED)

    @property
    def responsible(self) -> str:
        return "／".join(part for part in (self.department, self.person) if part)

    def unit_values(self) -> dict[str, Any]:
        """What the unit reports, as stored (evidence as JSON)."""
        return {
            "department": self.department,
            "person": self.person,
            "measures": self.measures,
            "completed_on": self.completed_on,
            "evidence": [e.as_json() for e in self.evidence],
        }


@dataclass(frozen=True)
class Change:
    uid: str
    entry: str
    at: str
    who: str
    command: str
    action: str
    old: dict[str, Any] | None
    new: dict[str, Any] | None


def parse_day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def now() -> str:
    from inspector.store.workspace import now as stamp

    return stamp()


# --- reading ---------------------------------------------------------------------------------

SELECT = """
SELECT l.*, u.name AS unit_name, a.confirmed_at IS NOT NULL AS confirmed,
       p.number AS repeat_number, cr.name AS carried_round
FROM ledger l
JOIN units u ON u.id = l.unit_id
LEFT JOIN assessments a
       ON a.round_id = l.round_id AND a.unit_id = l.unit_id AND a.kind = 'inspection'
LEFT JOIN ledger p ON p.uid = l.repeat_of
LEFT JOIN ledger c ON c.uid = l.carried_from
LEFT JOIN rounds cr ON cr.id = c.round_id
"""
ORDER = " ORDER BY u.id, l.carried_from IS NULL, l.position, l.id"


def _entry(row: sqlite3.Row) -> Entry:
    return Entry(
        id=row["id"],
        uid=row["uid"],
        round_id=row["round_id"],
        unit_id=row["unit_id"],
        unit_name=row["unit_name"],
        number=row["number"],
        position=row["position"],
        source=row["source"],
        code=row["code"],
        rules=tuple(json.loads(row["rules"])),
        lost=Decimal(row["lost"]) if row["lost"] is not None else None,
        texts=json.loads(row["texts"]),
        deadline=row["deadline"],
        status=row["status"],
        department=row["department"],
        person=row["person"],
        measures=row["measures"],
        completed_on=row["completed_on"],
        evidence=tuple(
            Evidence(e.get("file", ""), e.get("description", ""))
            for e in json.loads(row["evidence"])
        ),
        recheck=row["recheck"],
        recheck_note=row["recheck_note"],
        recheck_by=row["recheck_by"],
        recheck_at=row["recheck_at"],
        closed_on=row["closed_on"],
        carried_from=row["carried_from"],
        repeat_of=row["repeat_of"],
        created_at=row["created_at"],
        created_by=row["created_by"],
        updated_at=row["updated_at"],
        updated_by=row["updated_by"],
        confirmed=bool(row["confirmed"]) or row["carried_from"] is not None,
        repeat_number=row["repeat_number"],
        carried_round=row["carried_round"],
    )


def entries(
    conn: sqlite3.Connection,
    round_id: int,
    unit_ids: Iterable[int] | None = None,
    statuses: Iterable[str] | None = None,
) -> list[Entry]:
    """The round's entries (of some units, in some states), each unit's in the set's order
    with entries carried over from the previous round first."""
    sql = SELECT + " WHERE l.round_id = ?"
    params: list[object] = [round_id]
    if unit_ids is not None:
        ids = list(unit_ids)
        if not ids:
            return []
        sql += f" AND l.unit_id IN ({','.join('?' * len(ids))})"
        params += ids
    if statuses is not None:
        wanted = list(statuses)
        sql += f" AND l.status IN ({','.join('?' * len(wanted))})"
        params += wanted
    return [_entry(row) for row in conn.execute(sql + ORDER, params)]


def by_number(conn: sqlite3.Connection, round_id: int, number: str) -> Entry | None:
    row = conn.execute(
        SELECT + " WHERE l.round_id = ? AND l.number = ?", (round_id, number)
    ).fetchone()
    return _entry(row) if row is not None else None


def by_uid(conn: sqlite3.Connection, uid: str) -> Entry | None:
    row = conn.execute(SELECT + " WHERE l.uid = ?", (uid,)).fetchone()
    return _entry(row) if row is not None else None


def history(conn: sqlite3.Connection, uid: str) -> list[Change]:
    rows = conn.execute(
        "SELECT uid, entry, at, who, command, action, old, new FROM ledger_changes"
        " WHERE entry = ? ORDER BY id",
        (uid,),
    )
    return [
        Change(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            json.loads(r[6]) if r[6] is not None else None,
            json.loads(r[7]) if r[7] is not None else None,
        )
        for r in rows
    ]


def last_action(conn: sqlite3.Connection, uid: str) -> str | None:
    """The action of the entry's latest change (``recheck_failed``, ``reported``…)."""
    row = conn.execute(
        "SELECT action FROM ledger_changes WHERE entry = ? ORDER BY id DESC LIMIT 1", (uid,)
    ).fetchone()
    return row[0] if row is not None else None


@dataclass(frozen=True)
class Counts:
    """A unit's (or a group's) ledger in figures; withdrawn entries do not count."""

    problems: int = 0
    completed: int = 0  # reported done or closed
    closed: int = 0
    overdue: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.problems + other.problems,
            self.completed + other.completed,
            self.closed + other.closed,
            self.overdue + other.overdue,
        )

    @property
    def completion_rate(self) -> Decimal | None:
        return Decimal(self.completed) / self.problems if self.problems else None

    @property
    def closing_rate(self) -> Decimal | None:
        return Decimal(self.closed) / self.problems if self.problems else None


def counts(conn: sqlite3.Connection, round_id: int, today: date) -> dict[int, Counts]:
    """Per unit id: problems, completed, closed and overdue (one query, no engine)."""
    rows = conn.execute(
        "SELECT unit_id, COUNT(*),"
        " SUM(status IN ('done', 'closed')), SUM(status = 'closed'),"
        " SUM(status IN ('open', 'in_progress') AND deadline IS NOT NULL"
        "     AND substr(deadline, 1, 10) < ?)"
        " FROM ledger WHERE round_id = ? AND status != 'withdrawn' GROUP BY unit_id",
        (today.isoformat(), round_id),
    )
    return {
        int(r[0]): Counts(int(r[1]), int(r[2] or 0), int(r[3] or 0), int(r[4] or 0)) for r in rows
    }


# --- writing ---------------------------------------------------------------------------------

# what rectification and recheck change on an entry (a merge brings these over as a whole)
STATE_COLUMNS = (
    "status",
    "department",
    "person",
    "measures",
    "completed_on",
    "evidence",
    "recheck",
    "recheck_note",
    "recheck_by",
    "recheck_at",
    "closed_on",
)
COLUMNS = (
    "uid",
    "round_id",
    "unit_id",
    "number",
    "position",
    "source",
    "code",
    "rules",
    "lost",
    "texts",
    "deadline",
    *STATE_COLUMNS,
    "carried_from",
    "repeat_of",
)
JSON_COLUMNS = {"rules", "texts", "evidence"}


def _stored(name: str, value: Any) -> Any:
    if name in JSON_COLUMNS:
        return json.dumps(value, ensure_ascii=False, sort_keys=name == "texts")
    if isinstance(value, Decimal):
        from inspector.decimals import plain

        return plain(value)
    return value


def _logged(name: str, value: Any) -> Any:
    """A value as the change log keeps it: plain JSON, texts in the default language."""
    if isinstance(value, Decimal):
        from inspector.decimals import plain

        return plain(value)
    if isinstance(value, tuple):
        return list(value)
    return value


def _log_values(values: Mapping[str, Any]) -> dict[str, Any]:
    logged: dict[str, Any] = {}
    for name, value in values.items():
        if name == "texts":
            for text_name, text in (value.get(DEFAULT_LANGUAGE) or {}).items():
                logged[text_name] = text
        else:
            logged[name] = _logged(name, value)
    return logged


def _record_change(
    conn: sqlite3.Connection,
    entry_uid: str,
    number: str,
    action: str,
    old: Mapping[str, Any] | None,
    new: Mapping[str, Any] | None,
    who: str,
    command: str,
    round_name: str | None,
    unit_name: str | None,
    stamp: str,
) -> None:
    old_json = json.dumps(old, ensure_ascii=False, sort_keys=True) if old is not None else None
    new_json = json.dumps(new, ensure_ascii=False, sort_keys=True) if new is not None else None
    change_uid = uuid.uuid4().hex
    conn.execute(
        "INSERT INTO ledger_changes (uid, entry, at, who, command, action, old, new)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (change_uid, entry_uid, stamp, who, command, action, old_json, new_json),
    )
    # the same change in the audit log; ``new`` names the action and the change's uid
    audit_new = {"action": action, "change": change_uid, **(new or {})}
    conn.execute(
        "INSERT INTO audit (at, who, command, round_name, unit_name, unit_uid, kind, target,"
        " old, new) VALUES (?, ?, ?, ?, ?, (SELECT uid FROM units WHERE name = ?), 'ledger',"
        " ?, ?, ?)",
        (
            stamp,
            who,
            command,
            round_name,
            unit_name,
            unit_name,  # the unit of that name now: the entry's own unit (see Workspace.audit)
            f"ledger:{number}",
            old_json,
            json.dumps(audit_new, ensure_ascii=False, sort_keys=True),
        ),
    )


def insert(
    conn: sqlite3.Connection,
    values: Mapping[str, Any],
    *,
    who: str,
    command: str,
    round_name: str,
    unit_name: str,
    action: str = "created",
) -> str:
    """A new entry (``values`` by column); returns its uid. Its making is its first change."""
    stamp = now()
    row = {name: values.get(name) for name in COLUMNS}
    row["rules"] = list(values.get("rules") or ())
    row["evidence"] = list(values.get("evidence") or ())
    row["status"] = values.get("status") or OPEN
    with write(conn):
        conn.execute(
            f"INSERT INTO ledger ({', '.join(COLUMNS)}, created_at, created_by, updated_at,"
            f" updated_by) VALUES ({', '.join('?' * len(COLUMNS))}, ?, ?, ?, ?)",
            [_stored(n, row[n]) for n in COLUMNS] + [stamp, who, stamp, who],
        )
        logged = {
            k: v
            for k, v in _log_values(row).items()
            if v not in (None, [], "") and k not in ("uid", "round_id", "unit_id")
        }
        _record_change(
            conn,
            row["uid"],
            row["number"],
            action,
            None,
            logged,
            who,
            command,
            round_name,
            unit_name,
            stamp,
        )
    return str(row["uid"])


def current(entry: Entry) -> dict[str, Any]:
    """The entry's stored values by column (those ``update`` may change)."""
    return {
        "number": entry.number,
        "position": entry.position,
        "rules": list(entry.rules),
        "lost": entry.lost,
        "texts": {lang: dict(texts) for lang, texts in entry.texts.items()},
        "deadline": entry.deadline,
        "status": entry.status,
        "department": entry.department,
        "person": entry.person,
        "measures": entry.measures,
        "completed_on": entry.completed_on,
        "evidence": [e.as_json() for e in entry.evidence],
        "recheck": entry.recheck,
        "recheck_note": entry.recheck_note,
        "recheck_by": entry.recheck_by,
        "recheck_at": entry.recheck_at,
        "closed_on": entry.closed_on,
        "repeat_of": entry.repeat_of,
    }


def update(
    conn: sqlite3.Connection,
    entry: Entry,
    values: Mapping[str, Any],
    *,
    action: str,
    who: str,
    command: str,
    round_name: str,
    stamp: str | None = None,
) -> bool:
    """Change the columns in ``values`` that differ; returns whether anything changed. One
    change row (and audit row) holds every field changed, before and after."""
    before = current(entry)
    changed = {name: value for name, value in values.items() if before.get(name) != value}
    if not changed:
        return False
    stamp = stamp or now()
    with write(conn):
        assignments = ", ".join(f"{name} = ?" for name in changed)
        conn.execute(
            f"UPDATE ledger SET {assignments}, updated_at = ?, updated_by = ? WHERE uid = ?",
            [_stored(n, v) for n, v in changed.items()] + [stamp, who, entry.uid],
        )
        old = _log_values({n: before.get(n) for n in changed})
        new = _log_values(changed)
        if "texts" in changed:  # log only the texts that changed
            for name in TEXT_FIELDS:
                if old.get(name) == new.get(name):
                    old.pop(name, None)
                    new.pop(name, None)
        _record_change(
            conn,
            entry.uid,
            entry.number,
            action,
            old,
            new,
            who,
            command,
            round_name,
            entry.unit_name,
            stamp,
        )
    return True


# --- sync state and issued workbooks ----------------------------------------------------------


def sync_stamp(conn: sqlite3.Connection, round_id: int, unit_id: int) -> str | None:
    row = conn.execute(
        "SELECT stamp FROM ledger_sync WHERE round_id = ? AND unit_id = ?", (round_id, unit_id)
    ).fetchone()
    return row[0] if row is not None else None


def set_sync_stamp(conn: sqlite3.Connection, round_id: int, unit_id: int, stamp: str) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO ledger_sync (round_id, unit_id, stamp) VALUES (?, ?, ?)",
        (round_id, unit_id, stamp),
    )


def unsynced(conn: sqlite3.Connection, round_id: int) -> list[int]:
    """Units whose inspection changed since their entries last followed it."""
    rows = conn.execute(
        "SELECT a.unit_id FROM assessments a"
        " LEFT JOIN ledger_sync s ON s.round_id = a.round_id AND s.unit_id = a.unit_id"
        " WHERE a.round_id = ? AND a.kind = 'inspection'"
        " AND (s.stamp IS NULL OR s.stamp != a.updated_at)",
        (round_id,),
    )
    return [int(r[0]) for r in rows]


def issued(conn: sqlite3.Connection, round_id: int, unit_id: int) -> tuple[list[str], str] | None:
    """The problem numbers the unit's latest rectification workbook was issued for, and when."""
    row = conn.execute(
        "SELECT numbers, issued_at FROM rectify_issues WHERE round_id = ? AND unit_id = ?",
        (round_id, unit_id),
    ).fetchone()
    return (json.loads(row[0]), row[1]) if row is not None else None


def record_issue(
    conn: sqlite3.Connection, round_id: int, unit_id: int, numbers: Sequence[str], who: str
) -> None:
    with write(conn):
        conn.execute(
            "INSERT OR REPLACE INTO rectify_issues (round_id, unit_id, numbers, issued_at,"
            " issued_by) VALUES (?, ?, ?, ?, ?)",
            (round_id, unit_id, json.dumps(list(numbers), ensure_ascii=False), now(), who),
        )


def carried_rectified(conn: sqlite3.Connection, before_id: int, round_id: int) -> tuple[int, int]:
    """Of the problems of round ``before_id`` (withdrawn ones aside): how many, and how many
    are rectified (done or closed) there or in their carried-over entry in ``round_id``."""
    row = conn.execute(
        "SELECT COUNT(*), SUM(p.status IN ('done', 'closed') OR c.status IN ('done', 'closed'))"
        " FROM ledger p LEFT JOIN ledger c ON c.round_id = ? AND c.carried_from = p.uid"
        " WHERE p.round_id = ? AND p.status != 'withdrawn'",
        (round_id, before_id),
    ).fetchone()
    return int(row[0]), int(row[1] or 0)
