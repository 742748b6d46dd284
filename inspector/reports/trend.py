"""Year over year: the rounds before a round, and each unit's stored figures in them.

A round made with ``round new NAME --from PREVIOUS`` names its previous round
(``round_settings.previous_id``): the chain of those is the unit's history. A round without
one is compared with the rounds created before it, in creation order. Units are the
workspace's, so a unit is the same unit in every round; items are compared by code, an older
set's codes translated by each newer set's ``mapping:``.

Only stored results are read (``store/results``): no unit is scored for the totals, grades
and ranks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from inspector.store import results
from inspector.store.round_extras import settings
from inspector.store.workspace import Round, Workspace


@dataclass(frozen=True)
class Standing:
    """A unit in one round: its stored inspection figures and rank in its group."""

    total: Decimal
    grade: str
    rank: int | None  # None: not completely scored
    ranked: int  # units ranked in its group that round
    complete: bool
    veto: tuple[str, ...]


@dataclass(frozen=True)
class RoundFigures:
    """A round's units as they stood: by unit id."""

    round: Round
    units: dict[int, Standing]

    def average(self) -> Decimal | None:
        """The average total over completely scored units (the base every sheet uses)."""
        totals = [s.total for s in self.units.values() if s.complete]
        return sum(totals, Decimal(0)) / len(totals) if totals else None


def chain(ws: Workspace, round_: Round) -> list[Round]:
    """The rounds up to ``round_``, oldest first: the ``--from`` chain where the round has
    one, else every round created before it."""
    by_id = {r.id: r for r in ws.rounds()}
    found = [round_]
    seen = {round_.id}
    previous = settings(ws.conn, round_.id).previous_id
    if previous is None:
        return [r for r in by_id.values() if r.id <= round_.id]
    while previous is not None and previous in by_id and previous not in seen:
        found.append(by_id[previous])
        seen.add(previous)
        previous = settings(ws.conn, previous).previous_id
    return list(reversed(found))


def previous_round(ws: Workspace, round_: Round) -> Round | None:
    """The round before ``round_`` (its ``--from`` round, else the one created before it)."""
    rounds = chain(ws, round_)
    return rounds[-2] if len(rounds) > 1 else None


def figures(ws: Workspace, round_: Round) -> RoundFigures:
    """Every unit's stored standing in ``round_`` (results brought up to date first)."""
    results.ensure_fresh(ws, round_)
    rows = list(results.rows(ws.conn, round_.id))
    ranked: dict[str, int] = {}
    for row in rows:
        if row.rank is not None:
            ranked[row.unit.group] = ranked.get(row.unit.group, 0) + 1
    return RoundFigures(
        round_,
        {
            row.unit.id: Standing(
                row.inspection.total,
                row.inspection.grade,
                row.rank,
                ranked.get(row.unit.group, 0),
                row.inspection.complete,
                row.inspection.veto,
            )
            for row in rows
        },
    )


def code_map(rounds: Sequence[Round]) -> list[dict[str, str]]:
    """Per round, its item codes → the newest round's codes (through every later set's
    ``mapping:``). A code the newest set does not hold maps to itself."""
    maps = []
    for index, round_ in enumerate(rounds):
        codes = {item.code: item.code for _, item in round_.indicators.items()}
        for later in rounds[index + 1 :]:
            mapping = later.indicators.mapping
            codes = {old: mapping.get(now, now) for old, now in codes.items()}
        maps.append(codes)
    return maps


def movement(rank: int | None, before: int | None) -> int | None:
    """Places gained since last year (positive: up), None when either rank is missing."""
    if rank is None or before is None:
        return None
    return before - rank
