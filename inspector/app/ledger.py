"""Reading the ledger: the entries of a round (filtered), and its figures per unit.

Every read first brings the ledger up to date with the stored inspections
(``ledger_sync.ensure_synced``: one query when nothing changed behind its back). "Today",
for overdue entries, is the date in the round's time zone unless a caller (a test, a report
dated otherwise) says which day it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from inspector.core.assessment import Unit
from inspector.errors import InspectorError
from inspector.i18n import LANGUAGES, tl
from inspector.store import ledger as L
from inspector.store import round_extras
from inspector.store.ledger import Counts, Entry
from inspector.store.workspace import Round, Workspace

# What ``--status`` accepts: a stored status, or 复查未通过 (整改中 after a failed recheck)
FILTERS = (*L.STATUSES, "failed", "carried", "repeat", "provisional")


def ensure_synced(ws: Workspace, round_: Round) -> None:
    if L.unsynced(ws.conn, round_.id):
        from inspector.reports.ledger_sync import ensure_synced as catch_up

        catch_up(ws, round_)


def today(ws: Workspace, round_: Round) -> date:
    return round_extras.today(ws.conn, round_.id)


def status_filter(text: str) -> str:
    """``--status`` as a filter name: its key, or its word in any language."""
    wanted = text.strip().lower()
    for name in FILTERS:
        if wanted == name:
            return name
        for lang in LANGUAGES:
            words = [tl(lang, f"ledger.filter.{name}"), *tl(lang, f"rx.alias.{name}").split("|")]
            if wanted in (w.strip().lower() for w in words if w and not w.startswith("rx.")):
                return name
    choices = "、".join(tl("zh", f"ledger.filter.{n}") for n in FILTERS)
    raise InspectorError("ledger.bad_status", value=text, choices=choices)


def matches(entry: Entry, wanted: str | None, overdue_only: bool, day: date) -> bool:
    if overdue_only and not entry.overdue(day):
        return False
    if wanted is None:
        return True
    if wanted == "failed":
        return entry.failed_recheck
    if wanted == "carried":
        return entry.carried_from is not None
    if wanted == "repeat":
        return entry.repeat_of is not None
    if wanted == "provisional":
        return entry.provisional and entry.active
    return entry.status == wanted


@dataclass(frozen=True)
class Listing:
    round: Round
    today: date
    entries: list[Entry]


def listing(
    ws: Workspace,
    round_name: str | None,
    unit_name: str | None = None,
    status: str | None = None,
    overdue: bool = False,
    day: date | None = None,
) -> Listing:
    """The round's entries (of one unit), filtered by status and overdue."""
    round_ = ws.round(round_name)
    wanted = status_filter(status) if status is not None else None
    units: list[int] | None = None
    if unit_name is not None:
        units = [ws.unit(unit_name).id]
    ensure_synced(ws, round_)
    day = day or today(ws, round_)
    found = [e for e in L.entries(ws.conn, round_.id, units) if matches(e, wanted, overdue, day)]
    return Listing(round_, day, found)


def unit_counts(ws: Workspace, round_: Round, day: date | None = None) -> dict[int, Counts]:
    """Per unit id: problems, completed, closed and overdue (withdrawn ones not counted)."""
    ensure_synced(ws, round_)
    return L.counts(ws.conn, round_.id, day or today(ws, round_))


def status_text(entry: Entry, lang: str) -> str:
    """The status in words; 整改中 after a failed re-inspection says so."""
    if entry.failed_recheck:
        return tl(lang, "ledger.status.failed")
    return tl(lang, f"ledger.status.{entry.status}")


def flags(entry: Entry, day: date, lang: str) -> list[str]:
    """What stands out about an entry, in words: overdue, carried over, repeated, provisional."""
    found = []
    if entry.overdue(day):
        found.append(tl(lang, "ledger.flag.overdue"))
    if entry.carried_from is not None:
        found.append(tl(lang, "ledger.flag.carried"))
    if entry.repeat_of is not None:
        found.append(tl(lang, "ledger.flag.repeat"))
    if entry.provisional and entry.active:
        found.append(tl(lang, "ledger.flag.provisional"))
    return found


def entry_json(entry: Entry, day: date, lang: str, round_name: str) -> dict[str, Any]:
    """One entry as ``inspector ledger --json`` prints it (README, "JSON for scripts")."""
    return {
        "number": entry.number,
        "uid": entry.uid,
        "round": round_name,
        "unit": entry.unit_name,
        "source": entry.source,
        "code": entry.code,
        "item": entry.text("item", lang),
        "rules": list(entry.rules),
        "lost": _number(entry.lost),
        "problem": entry.text("problem", lang),
        "requirement": entry.text("requirement", lang),
        "basis": entry.text("basis", lang),
        "deadline": entry.deadline,
        "status": entry.status,
        "status_text": status_text(entry, lang),
        "overdue": entry.overdue(day),
        "provisional": entry.provisional,
        "carried_from": entry.carried_round,
        "repeat_of": entry.repeat_number,
        "responsible": {"department": entry.department, "person": entry.person},
        "measures": entry.measures,
        "completed_on": entry.completed_on,
        "evidence": [e.as_json() for e in entry.evidence],
        "recheck": (
            {
                "result": entry.recheck,
                "note": entry.recheck_note,
                "by": entry.recheck_by,
                "at": entry.recheck_at,
            }
            if entry.recheck
            else None
        ),
        "closed_on": entry.closed_on,
        "created": {"at": entry.created_at, "by": entry.created_by},
        "updated": {"at": entry.updated_at, "by": entry.updated_by},
    }


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def find_entry(ws: Workspace, round_: Round, unit: Unit, number: str) -> Entry:
    entry = L.by_number(ws.conn, round_.id, number.strip())
    if entry is None or entry.unit_id != unit.id:
        from inspector.errors import NotFoundError

        known = "、".join(e.number for e in L.entries(ws.conn, round_.id, [unit.id])) or "—"
        raise NotFoundError("ledger.unknown_number", number=number, unit=unit.name, known=known)
    return entry
