"""``inspector trend [UNIT]``: each unit's totals, grades and ranks over the rounds.

The rounds are the chosen round (default the newest) and those before it
(``reports.trend.chain``). Totals, grades and ranks are the stored results; for one unit the
items are compared as well, by item code (an older set's codes translated by the newer sets'
``mapping:``), which scores that unit once per round.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from inspector.core.assessment import Unit
from inspector.core.indicators.model import localized
from inspector.core.indicators.views import number
from inspector.errors import NotFoundError
from inspector.reports.trend import Standing, chain, code_map, figures, movement
from inspector.store.overview import unit_status
from inspector.store.round_extras import takes_part
from inspector.store.workspace import Round, Workspace


@dataclass(frozen=True)
class UnitTrend:
    unit: Unit
    standings: tuple[Standing | None, ...]  # per round; None: not in that round

    @property
    def change(self) -> Decimal | None:
        """The latest total minus the one before (both complete)."""
        done = [s for s in self.standings[-2:] if s is not None and s.complete]
        if len(self.standings) < 2 or len(done) < 2:
            return None
        return done[1].total - done[0].total

    @property
    def moved(self) -> int | None:
        if len(self.standings) < 2 or None in self.standings[-2:]:
            return None
        before, now = self.standings[-2], self.standings[-1]
        assert before is not None and now is not None
        return movement(now.rank, before.rank)


@dataclass(frozen=True)
class ItemTrend:
    code: str  # the newest set's code
    name: str
    scores: tuple[Decimal | None, ...]  # per round; None: not scored or not in that set


@dataclass(frozen=True)
class Trend:
    rounds: tuple[Round, ...]
    units: tuple[UnitTrend, ...]
    items: tuple[ItemTrend, ...] = ()  # only for one unit


def trend(ws: Workspace, round_name: str | None, unit_name: str | None, lang: str) -> Trend:
    """Every unit's (or one unit's) figures over the rounds up to ``round_name``."""
    rounds = chain(ws, ws.round(round_name))
    stood = [figures(ws, r) for r in rounds]
    if unit_name is not None:
        unit = ws.unit(unit_name)
        if not any(unit.id in f.units for f in stood):
            raise NotFoundError("trend.unit_absent", unit=unit.name)
        units = [unit]
    else:
        units = [u for u in ws.units() if any(u.id in f.units for f in stood)]
    rows = tuple(UnitTrend(u, tuple(f.units.get(u.id) for f in stood)) for u in units)
    items: tuple[ItemTrend, ...] = ()
    if unit_name is not None:
        items = _items(ws, rounds, units[0], lang)
    return Trend(tuple(rounds), rows, items)


def _items(ws: Workspace, rounds: list[Round], unit: Unit, lang: str) -> tuple[ItemTrend, ...]:
    newest = rounds[-1].indicators
    maps = code_map(rounds)
    per_round: list[dict[str, Decimal | None]] = []
    for round_, codes in zip(rounds, maps, strict=True):
        scores: dict[str, Decimal | None] = {}
        if takes_part(ws.conn, round_.id, unit.id):
            status, _ = unit_status(ws, round_, unit)
            for r in status.inspection.items:
                scores[codes.get(r.code, r.code)] = r.score if r.applies else None
        per_round.append(scores)
    return tuple(
        ItemTrend(
            item.code,
            str(localized(item, "name", lang)),
            tuple(scores.get(item.code) for scores in per_round),
        )
        for _, item in newest.items()
    )


def _num(value: Decimal | None) -> int | float | None:
    return number(value) if value is not None else None


def trend_json(found: Trend) -> dict[str, Any]:
    """The documented JSON of ``trend --json``."""

    def standing(s: Standing | None) -> dict[str, Any] | None:
        if s is None:
            return None
        return {
            "total": number(s.total),
            "grade": s.grade if s.complete else None,
            "rank": s.rank,
            "ranked": s.ranked,
            "complete": s.complete,
            "veto": list(s.veto),
        }

    data: dict[str, Any] = {
        "rounds": [r.name for r in found.rounds],
        "units": [
            {
                "unit": row.unit.name,
                "code": row.unit.code,
                "group": row.unit.group,
                "rounds": [standing(s) for s in row.standings],
                "change": _num(row.change),
                "rank_change": row.moved,
            }
            for row in found.units
        ],
    }
    if found.items:
        data["items"] = [
            {"code": i.code, "name": i.name, "scores": [_num(s) for s in i.scores]}
            for i in found.items
        ]
    return data
