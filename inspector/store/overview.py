"""Units scored in full: one unit (``unit_status``: the score card, the scorer's review) or
the whole round (``build_overview``: the reports). Ranks come from the stored results, the
same ones ``status`` reads, so that no view ranks differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from inspector.core.assessment import Kind, Unit
from inspector.store import results, round_extras
from inspector.store.results import Standing
from inspector.store.workspace import Round, StoredAssessment, Workspace

if TYPE_CHECKING:
    from inspector.core.indicators.model import IndicatorSet
    from inspector.core.scoring import UnitResult


@dataclass(frozen=True)
class UnitStatus:
    unit: Unit
    inspection: UnitResult
    self_result: UnitResult | None
    stored: StoredAssessment
    stored_self: StoredAssessment
    rank: int | None

    @property
    def gap(self) -> Decimal | None:
        """Self-assessed total minus inspection total, when both are complete."""
        if self.self_result is None or not self.self_result.complete:
            return None
        if not self.inspection.complete:
            return None
        return self.self_result.total - self.inspection.total

    def result(self, kind: Kind) -> UnitResult | None:
        return self.inspection if kind == "inspection" else self.self_result


@dataclass(frozen=True)
class RoundOverview:
    round: Round
    units: tuple[UnitStatus, ...]

    @property
    def indicators(self) -> IndicatorSet:
        return self.round.indicators

    def unit(self, name: str) -> UnitStatus | None:
        return next((s for s in self.units if s.unit.name == name), None)

    def groups(self) -> list[tuple[str, list[UnitStatus]]]:
        """Units per group, in the set's group order, each ranked (unranked last)."""
        return results.ranked_groups(self.units, [g.code for g in self.indicators.groups])


def build_overview(ws: Workspace, round_: Round) -> RoundOverview:
    """Every unit scored in full (for the reports, which show every item), ranked by the
    stored rank keys, so that a report and ``status`` cannot rank differently."""
    from inspector.core.scoring import score_unit

    results.ensure_fresh(ws, round_)
    indicators = round_.indicators
    units = round_extras.participants(ws.conn, round_.id)
    inspections = ws.assessments(round_, "inspection")
    selves = ws.assessments(round_, "self")
    ranks = results.ranks(ws.conn, round_.id)
    statuses = []
    for unit in units:
        stored = inspections.get(unit.id, StoredAssessment("inspection"))
        own = selves.get(unit.id, StoredAssessment("self"))
        statuses.append(
            UnitStatus(
                unit,
                score_unit(indicators, unit.group, unit.tags, stored.assessment),
                score_unit(indicators, unit.group, unit.tags, own.assessment)
                if own.items
                else None,
                stored,
                own,
                ranks.get(unit.id),
            )
        )
    return RoundOverview(round_, tuple(statuses))


def unit_status(ws: Workspace, round_: Round, unit: Unit) -> tuple[UnitStatus, Standing]:
    """One unit scored in full, and its place in its group read from the stored results:
    the cost does not depend on how many other units the round has."""
    from inspector.core.scoring import score_unit

    results.ensure_fresh(ws, round_)
    indicators = round_.indicators
    stored = ws.assessment(round_, unit, "inspection")
    own = ws.assessment(round_, unit, "self")
    standing = results.standing(ws.conn, round_.id, unit.id)
    status = UnitStatus(
        unit,
        score_unit(indicators, unit.group, unit.tags, stored.assessment),
        score_unit(indicators, unit.group, unit.tags, own.assessment) if own.items else None,
        stored,
        own,
        standing.rank,
    )
    return status, standing
