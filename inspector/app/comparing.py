"""Self-assessment against inspection for one unit."""

from __future__ import annotations

from decimal import Decimal

from inspector.app.queries import unit_view
from inspector.core.indicators.model import IndicatorSet
from inspector.errors import NotFoundError
from inspector.selfassess.compare import Comparison, Gap, compare, comparison_json
from inspector.store.workspace import Workspace


def compare_unit(
    ws: Workspace, round_name: str | None, unit_name: str, threshold: Decimal | None
) -> tuple[Comparison, IndicatorSet]:
    """The comparison, and the round's set (for names)."""
    view = unit_view(ws, round_name, unit_name)
    if view.status.self_result is None:
        raise NotFoundError("sa.compare.no_self", unit=view.unit.name)
    indicators = view.round.indicators
    return compare(view.status, indicators, view.round.name, threshold), indicators


__all__ = ["Comparison", "Gap", "compare_unit", "comparison_json"]
