"""Reading: one unit in full, an assessment, the audit log, units and rounds.

``unit_view`` scores one unit and reads its place in its group from the stored rank keys: it
costs no more with more units in the round (see ``app.status`` for the whole round).
"""

from __future__ import annotations

from dataclasses import dataclass

from inspector.core.assessment import Kind, Unit
from inspector.errors import NotFoundError
from inspector.store import results
from inspector.store.facts import RoundFacts, round_facts
from inspector.store.overview import UnitStatus, unit_status
from inspector.store.results import Standing, Summary
from inspector.store.workspace import AuditEntry, Round, StoredAssessment, Workspace


@dataclass(frozen=True)
class UnitView:
    """One unit scored in full (items, problems), and its place in its group."""

    round: Round
    status: UnitStatus
    standing: Standing
    facts: RoundFacts

    @property
    def unit(self) -> Unit:
        return self.status.unit

    def summary(self, kind: Kind) -> Summary | None:
        """The figures of ``kind`` (None: no self-assessment), as ``status`` shows them."""
        result = self.status.result(kind)
        if result is None:
            return None
        stored = self.status.stored if kind == "inspection" else self.status.stored_self
        return results.summarise(self.round.indicators, result, len(stored.items))


def unit_view(ws: Workspace, round_name: str | None, unit_name: str) -> UnitView:
    """A unit (by name or code) scored in full, with its stored rank."""
    round_ = ws.round(round_name)
    return view_of(ws, round_, ws.unit(unit_name))


def view_of(ws: Workspace, round_: Round, unit: Unit) -> UnitView:
    status, standing = unit_status(ws, round_, unit)
    return UnitView(round_, status, standing, round_facts(ws, round_))


def assessment(ws: Workspace, round_: Round, unit: Unit, kind: Kind) -> StoredAssessment:
    return ws.assessment(round_, unit, kind)


def audit_log(ws: Workspace, unit_name: str) -> list[AuditEntry]:
    """A unit's history; a removed unit keeps its history under its name."""
    try:
        return ws.audit_log(ws.unit(unit_name))
    except NotFoundError:
        entries = [e for e in ws.audit_log() if e.unit_name == unit_name]
        if not entries:
            raise
        return entries


def units(ws: Workspace) -> list[Unit]:
    return ws.units()


def rounds(ws: Workspace) -> list[Round]:
    return ws.rounds()


def find_round(ws: Workspace, name: str | None) -> Round:
    return ws.round(name)


def find_unit(ws: Workspace, name: str) -> Unit:
    return ws.unit(name)
