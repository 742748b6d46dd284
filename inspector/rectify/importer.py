"""Checking a returned rectification workbook against the ledger, before anything is recorded.

A file passes when its bytes pass the same hostile-file screening as the self-assessment
import, its identity verifies with this workspace's key and names this round and a unit of
it, its problem list is the one the unit's latest workbook was issued for, and every row
reports what the unit may report:

* a status of 整改中 or 已整改 (or none: the problem is then 整改中 once anything is filled
  in); never 已销号, which only the office's re-inspection gives;
* 已整改 with a completion date (a real date, not in the future in the round's time zone)
  and the measures taken;
* nothing changed on a problem the office has since closed or withdrawn.

Recording what passes is the application layer's (``inspector.app.rectify``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from inspector.core.assessment import Unit
from inspector.errors import Location, NotFoundError, Problem, ProblemsError
from inspector.io.xlsx_safety import load_checked, parse_failure, read_checked
from inspector.rectify import layout as L
from inspector.rectify.identity import list_digest
from inspector.rectify.reader import Reported, find_identity, read_rows, refuse
from inspector.selfassess.identity import verify, workspace_secret
from inspector.selfassess.reader import LIMITS
from inspector.store import ledger
from inspector.store.ledger import CLOSED, DONE, IN_PROGRESS, OPEN, WITHDRAWN, Entry
from inspector.store.workspace import Round, Workspace


@dataclass(frozen=True)
class Update:
    entry: Entry
    values: dict[str, Any]  # the unit's columns and the status, as they will be stored


@dataclass(frozen=True)
class Checked:
    round: Round
    unit: Unit
    digest: str
    problems: int  # rows in the workbook
    updates: tuple[Update, ...]  # the entries that change


def stored_values(entry: Entry) -> dict[str, Any]:
    return {"status": entry.status, **entry.unit_values()}


def reported_values(entry: Entry, rep: Reported) -> dict[str, Any]:
    if rep.status is not None:
        status = rep.status
    elif entry.status == OPEN:
        status = IN_PROGRESS if rep.filled() else OPEN
    else:
        status = entry.status
    return {
        "status": status,
        "department": rep.department,
        "person": rep.person,
        "measures": rep.measures,
        "completed_on": rep.completed_on,
        "evidence": [e.as_json() for e in rep.evidence],
    }


COLUMN_OF = {
    "status": L.STATUS,
    "completed_on": L.COMPLETED,
    "department": L.DEPARTMENT,
    "person": L.PERSON,
    "measures": L.MEASURES,
    "evidence": L.EVIDENCE,
}


def judge(entry: Entry, rep: Reported, where: Any) -> tuple[dict[str, Any] | None, list[Problem]]:
    """What the row changes (None: nothing), or why it is refused."""
    values = reported_values(entry, rep)
    before = stored_values(entry)
    unit_fields = [name for name in COLUMN_OF if name != "status"]
    if entry.status in (CLOSED, WITHDRAWN):
        differs = [n for n in unit_fields if values[n] != before[n]]
        if rep.status is not None and rep.status != DONE:
            differs.insert(0, "status")
        if not differs:
            return None, []
        day = entry.closed_on or entry.updated_at[:10]
        key = "rx.entry_closed" if entry.status == CLOSED else "rx.entry_withdrawn"
        return None, [
            Problem(key, {"number": entry.number, "day": day}, where(COLUMN_OF[differs[0]]))
        ]
    if L.STATUS in rep.bad:
        return None, []  # the status cell's own problem says what is wrong
    problems = []
    if values["status"] == DONE:
        if not values["completed_on"] and L.COMPLETED not in rep.bad:
            problems.append(Problem("rx.done_needs_date", {}, where(L.COMPLETED)))
        if not values["measures"] and L.MEASURES not in rep.bad:
            problems.append(Problem("rx.done_needs_measures", {}, where(L.MEASURES)))
    elif values["completed_on"]:
        problems.append(Problem("rx.date_without_done", {}, where(L.COMPLETED)))
    if problems or rep.bad:
        return None, problems
    return (values if values != before else None), []


def check_file(ws: Workspace, path: Path, round_: Round, today: date) -> Checked:
    """Everything but recording; raises ProblemsError with every problem found."""
    source = str(path)
    data = read_checked(path, source, LIMITS)
    digest = hashlib.sha256(data).hexdigest()
    wb = load_checked(data, source, read_only=True)
    try:
        try:
            found = find_identity(wb, source)
        except ProblemsError:
            raise
        except Exception as exc:  # the identity sheet's XML is parsed lazily, here
            raise parse_failure(exc, source) from None
        identity = found.identity
        secret = workspace_secret(ws, create=False)
        if secret is None:
            raise refuse(source, "rx.no_secret")
        if not verify(identity, found.tag, secret):
            raise refuse(source, "rx.bad_tag", unit=identity.unit, round=identity.round)
        if identity.layout != L.LAYOUT_VERSION:
            raise refuse(
                source, "rx.bad_version", version=identity.layout, expected=L.LAYOUT_VERSION
            )
        if identity.round != round_.name:
            raise refuse(source, "rx.other_round", named=identity.round, round=round_.name)
        try:
            unit = ws.unit(identity.unit_code or identity.unit)
        except NotFoundError:
            unit = None
        if unit is None or unit.name != identity.unit or (unit.code or "") != identity.unit_code:
            raise refuse(source, "rx.unknown_unit", unit=identity.unit)
        issued = ledger.issued(ws.conn, round_.id, unit.id)
        if issued is None or list_digest(issued[0]) != identity.digest:
            raise refuse(
                source,
                "rx.older_list",
                unit=unit.name,
                issued=(issued[1][:16].replace("T", " ") if issued else "—"),
                count=len(issued[0]) if issued else 0,
            )
        numbers = issued[0]
        report = read_rows(wb, identity, numbers, today, source)
    finally:
        wb.close()
    problems = list(report.problems)
    entries = {e.number: e for e in ledger.entries(ws.conn, round_.id, [unit.id])}
    updates = []
    for number in numbers:
        rep = report.rows.get(number)
        if rep is None:
            continue

        def where(column: str, row: int = rep.row) -> Location:
            return Location(source, cell=f"{report.title}!{column}{row}")

        entry = entries.get(number)
        if entry is None:
            problems.append(Problem("rx.unknown_problem", {"number": number}, where(L.NUMBER)))
            continue
        values, refused = judge(entry, rep, where)
        problems.extend(refused)
        if values is not None:
            updates.append(Update(entry, values))
    if problems:
        raise ProblemsError(problems)
    return Checked(round_, unit, digest, len(numbers), tuple(updates))
