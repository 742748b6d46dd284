"""A round at a glance: every unit's results, ranks and self-vs-inspection gaps.

Built once from the workspace in a few queries; the terminal views, the JSON output and the
Excel reports all read from it, so they cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from inspector.core.assessment import Kind, Unit
from inspector.core.forms import answer_details
from inspector.core.indicators.model import IndicatorSet, localized
from inspector.core.indicators.views import number
from inspector.core.scoring import UnitResult, problem_text, rank_within_groups, score_unit
from inspector.store.workspace import Round, StoredAssessment, Workspace


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
        order = [g.code for g in self.indicators.groups]
        grouped: dict[str, list[UnitStatus]] = {}
        for status in self.units:
            grouped.setdefault(status.unit.group, []).append(status)
        result = []
        for code in order + sorted(set(grouped) - set(order)):
            if code in grouped:
                members = sorted(
                    grouped[code],
                    key=lambda s: (s.rank is None, s.rank or 0, -s.inspection.total, s.unit.id),
                )
                result.append((code, members))
        return result


def build_overview(ws: Workspace, round_: Round) -> RoundOverview:
    indicators = round_.indicators
    units = ws.units()
    inspections = ws.assessments(round_, "inspection")
    selves = ws.assessments(round_, "self")
    results: dict[int, UnitResult] = {}
    self_results: dict[int, UnitResult | None] = {}
    for unit in units:
        stored = inspections.get(unit.id, StoredAssessment("inspection"))
        results[unit.id] = score_unit(indicators, unit.group, unit.tags, stored.assessment)
        own = selves.get(unit.id)
        self_results[unit.id] = (
            score_unit(indicators, unit.group, unit.tags, own.assessment)
            if own is not None and own.items
            else None
        )
    ranks = rank_within_groups((u.id, u.group, results[u.id]) for u in units)
    statuses = tuple(
        UnitStatus(
            unit,
            results[unit.id],
            self_results[unit.id],
            inspections.get(unit.id, StoredAssessment("inspection")),
            selves.get(unit.id, StoredAssessment("self")),
            ranks[unit.id],
        )
        for unit in units
    )
    return RoundOverview(round_, statuses)


def unit_overview(
    ws: Workspace, round_name: str | None, unit: str
) -> tuple[RoundOverview, UnitStatus]:
    """The round's overview and one unit's place in it (the unit given by name or code)."""
    round_ = ws.round(round_name)
    the_unit = ws.unit(unit)
    overview = build_overview(ws, round_)
    status = overview.unit(the_unit.name)
    assert status is not None  # every stored unit is in the overview
    return overview, status


def _num(value: Decimal | None) -> int | float | None:
    return number(value) if value is not None else None


def summary_json(
    status: UnitStatus, kind: Kind, indicators: IndicatorSet, lang: str
) -> dict[str, Any]:
    """The documented JSON summary of one unit (``status --json`` entries, ``show --json``)."""
    result = status.result(kind)
    stored = status.stored if kind == "inspection" else status.stored_self
    unit = status.unit
    data: dict[str, Any] = {
        "unit": unit.name,
        "code": unit.code,
        "group": unit.group,
        "tags": list(unit.tags),
        "kind": kind,
        "complete": bool(result and result.complete),
        "confirmed": stored.confirmed,
        "progress": {
            "answered": result.answered if result else 0,
            "applicable": result.to_answer if result else 0,
        },
    }
    if result is None:
        data.update(total=None, grade=None, rank=None, veto=[], categories=[])
        return data
    data.update(
        total=number(result.total),
        base=number(result.base),
        aggravated=number(result.aggravated),
        bonus=number(result.bonus),
        grade=result.grade,
        rank=status.rank if kind == "inspection" else None,
        veto=list(result.veto),
        self_total=_num(status.self_result.total) if status.self_result else None,
        gap=_num(status.gap),
        categories=[
            {
                "code": c.code,
                "name": localized(cat, "name", lang),
                "score": number(c.score),
                "max": number(c.max),
                "points": number(c.points),
            }
            for c, cat in zip(result.categories, indicators.categories, strict=True)
        ],
    )
    return data


def detail_json(
    status: UnitStatus, kind: Kind, indicators: IndicatorSet, lang: str
) -> dict[str, Any]:
    """``show --json``: the summary plus every item."""
    data = summary_json(status, kind, indicators, lang)
    result = status.result(kind)
    items = []
    for _, item in indicators.items():
        r = result.item(item.code) if result else None
        answer = r.answer if r else None
        items.append(
            {
                "code": item.code,
                "name": localized(item, "name", lang),
                "score": _num(r.score) if r else None,
                "max": number(item.points),
                "applicable": bool(r and r.counted),
                "answered": bool(r and r.answered),
                "form": answer.form if answer else None,
                "deductions": [
                    {"rule": h.rule, "count": h.count, "points": number(h.points)}
                    for h in (r.hits if r else ())
                ],
                **answer_details(answer),
                "na_reason": answer.na_reason if answer else None,
                "problem": problem_text(item, r, lang) if r else None,
                "rectify": answer.rectify if answer else None,
                "evidence": answer.evidence if answer else None,
                "note": answer.note if answer else None,
            }
        )
    data["items"] = items
    return data
