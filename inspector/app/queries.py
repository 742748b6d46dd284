"""Reading a round: its status (stored results), one unit in full, the audit log.

``round_status`` reads the stored results, one row per unit, and never scores; ``unit_view``
scores one unit and reads its place in its group from the stored rank keys. Neither costs
more with more units in the round than a few indexed look-ups.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from inspector.core.assessment import Kind, Unit
from inspector.errors import InspectorError, NotFoundError
from inspector.store import results
from inspector.store.facts import RoundFacts, round_facts
from inspector.store.overview import UnitStatus, unit_status
from inspector.store.results import Standing, Summary, UnitRow
from inspector.store.workspace import AuditEntry, Round, StoredAssessment, Workspace


def set_changed(round_: Round) -> bool | None:
    """Whether the set file a round was made from now has other content (None: can't tell).

    The same text is the same set; other text is parsed, since only a change of meaning
    counts (the content hash ignores formatting and comments)."""
    if not round_.set_source:
        return None
    path = Path(round_.set_source)
    if not path.is_file():
        return None
    try:
        if path.read_text(encoding="utf-8") == round_.set_text:
            return False
    except (OSError, UnicodeDecodeError):
        return True
    from inspector.core.indicators import load_set

    try:
        current = load_set(path)
    except InspectorError:
        return True
    return current.hash != round_.set_hash


@dataclass(frozen=True)
class RoundStatus:
    round: Round
    facts: RoundFacts
    set_changed: bool | None
    units: list[UnitRow]

    def groups(self) -> list[tuple[str, list[UnitRow]]]:
        """Units per group, in the set's group order, each ranked (unranked last)."""
        return results.ranked_groups(self.units, [g.code for g in self.facts.groups])


def round_status(ws: Workspace, round_name: str | None) -> RoundStatus:
    """Every unit's stored figures and rank (no scoring: results are kept current)."""
    round_ = ws.round(round_name)
    results.ensure_fresh(ws, round_)
    facts = round_facts(ws, round_)
    return RoundStatus(round_, facts, set_changed(round_), list(results.rows(ws.conn, round_.id)))


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


def stored_summary(ws: Workspace, round_: Round, unit: Unit, kind: Kind) -> Summary | None:
    results.ensure_fresh(ws, round_)
    return results.summary(ws.conn, round_.id, unit.id, kind)


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


def iter_rows(ws: Workspace, round_: Round) -> Iterator[UnitRow]:
    results.ensure_fresh(ws, round_)
    return results.rows(ws.conn, round_.id)
