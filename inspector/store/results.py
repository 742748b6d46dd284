"""Stored results: each assessment's figures and rank key, so that showing one unit's rank
or the round's status reads rows instead of rescoring the round.

A row per (round, unit, kind) holds what ``status`` prints: progress, total, grade, the base,
aggravated and bonus points, the vetoes, the score per category, and the rank key of the
engine's one order function (``scoring.rank_key``), encoded as text that sorts the same way.
``Workspace.record`` rescores its own unit and stores the row in the transaction that changed
the answers. Rows that are missing (an older workspace, a unit added since) or were computed
by another engine version or for another group or tags are computed by ``ensure_fresh``
before a round is read.

Reading rows needs neither the engine nor the indicator model, so ``inspector status`` is a
few queries.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TypeVar

from inspector.core.assessment import Kind, Unit
from inspector.core.engine import ENGINE_VERSION
from inspector.decimals import plain
from inspector.store.db import write
from inspector.store.round_extras import TAKES_PART

if TYPE_CHECKING:
    from inspector.core.indicators.model import IndicatorSet
    from inspector.core.scoring import UnitResult
    from inspector.store.workspace import Round, StoredAssessment, Workspace

KEY_OFFSET = 10**18  # each part of a rank key must lie strictly within ±KEY_OFFSET
KEY_DIGITS = 19
CHUNK = 500  # ids per IN (...) list


def encode_key(key: Sequence[int]) -> str:
    """A rank key as text that SQLite orders (byte-wise) exactly as Python orders the tuple."""
    parts = []
    for part in key:
        if not -KEY_OFFSET < part < KEY_OFFSET:
            raise ValueError(f"rank key part out of range: {part}")
        parts.append(f"{part + KEY_OFFSET:0{KEY_DIGITS}d}")
    return ".".join(parts)


# Summaries are read a thousand at a time by ``status``: plain named tuples, which are immutable
# values like the frozen dataclasses elsewhere but several times quicker to build.
class CategoryFigure(NamedTuple):
    code: str
    score: Decimal
    max: Decimal  # the unit's applicable points in the category


class Summary(NamedTuple):
    """An assessment's figures without its items: what ``status`` shows and ranks by."""

    items: int  # answers stored (a self-assessment without any is no self-assessment)
    answered: int
    to_answer: int
    total: Decimal
    base: Decimal
    aggravated: Decimal
    bonus: Decimal
    grade: str
    veto: tuple[str, ...]
    categories: tuple[CategoryFigure, ...]
    rank_key: str
    grade_by: str | None = None  # "veto" or "aggravated" where they set the grade

    @property
    def complete(self) -> bool:
        return self.answered == self.to_answer


def summarise(indicators: IndicatorSet, result: UnitResult, items: int) -> Summary:
    from inspector.core.scoring import rank_key

    return Summary(
        items=items,
        answered=result.answered,
        to_answer=result.to_answer,
        total=result.total,
        base=result.base,
        aggravated=result.aggravated,
        bonus=result.bonus,
        grade=result.grade,
        veto=tuple(result.veto),
        categories=tuple(CategoryFigure(c.code, c.score, c.max) for c in result.categories),
        rank_key=encode_key(rank_key(indicators, result)),
        grade_by=result.grade_by,
    )


def compute(round_: Round, unit: Unit, stored: StoredAssessment) -> Summary:
    """Score one stored assessment from scratch."""
    from inspector.core.scoring import score_unit

    indicators = round_.indicators
    result = score_unit(indicators, unit.group, unit.tags, stored.assessment)
    return summarise(indicators, result, len(stored.items))


def save(conn: sqlite3.Connection, round_id: int, unit: Unit, kind: Kind, summary: Summary) -> None:
    """Store a unit's summary; the group and tags are copied from the unit's row, so that a
    later change of either makes the row stale."""
    conn.execute(
        "INSERT OR REPLACE INTO results (round_id, unit_id, kind, engine, grp, tags, items,"
        " answered, to_answer, complete, total, base, aggravated, bonus, grade, veto,"
        " categories, rank_key, grade_by)"
        " SELECT ?, id, ?, ?, grp, tags, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM units"
        " WHERE id = ?",
        (
            round_id,
            kind,
            ENGINE_VERSION,
            summary.items,
            summary.answered,
            summary.to_answer,
            int(summary.complete),
            plain(summary.total),
            plain(summary.base),
            plain(summary.aggravated),
            plain(summary.bonus),
            summary.grade,
            json.dumps(list(summary.veto), ensure_ascii=False),
            json.dumps(
                [[c.code, plain(c.score), plain(c.max)] for c in summary.categories],
                ensure_ascii=False,
            ),
            summary.rank_key,
            summary.grade_by,
            unit.id,
        ),
    )


def store(
    conn: sqlite3.Connection, round_: Round, unit: Unit, kind: Kind, stored: StoredAssessment
) -> Summary:
    summary = compute(round_, unit, stored)
    save(conn, round_.id, unit, kind, summary)
    return summary


STALE_SQL = """
SELECT u.id, 'inspection' FROM units u
LEFT JOIN results r ON r.round_id = :round AND r.unit_id = u.id AND r.kind = 'inspection'
WHERE r.unit_id IS NULL OR r.engine != :engine OR r.grp != u.grp OR r.tags != u.tags
UNION ALL
SELECT a.unit_id, a.kind FROM assessments a JOIN units u ON u.id = a.unit_id
LEFT JOIN results r ON r.round_id = a.round_id AND r.unit_id = a.unit_id AND r.kind = a.kind
WHERE a.round_id = :round AND a.kind != 'inspection'
  AND (r.unit_id IS NULL OR r.engine != :engine OR r.grp != u.grp OR r.tags != u.tags)
"""


def stale(conn: sqlite3.Connection, round_id: int) -> list[tuple[int, Kind]]:
    """(unit id, kind) of every result the round lacks or has from another engine or unit.

    Every unit has an inspection result (unscored: its provisional figures); other kinds
    have one where an assessment exists."""
    rows = conn.execute(STALE_SQL, {"round": round_id, "engine": ENGINE_VERSION})
    return [(int(unit_id), kind) for unit_id, kind in rows]


def ensure_fresh(ws: Workspace, round_: Round) -> int:
    """Compute the results the round lacks (see ``stale``); returns how many were stored.

    A no-op costing one query when everything is current, which is always so once a round
    has been read, unless the engine changed, units were added, or an older version wrote."""
    if not stale(ws.conn, round_.id):
        return 0
    from inspector.store.workspace import StoredAssessment

    with write(ws.conn):
        todo = stale(ws.conn, round_.id)  # again: another process may have done it meanwhile
        by_kind: dict[Kind, list[int]] = {}
        for unit_id, kind in todo:
            by_kind.setdefault(kind, []).append(unit_id)
        units = {u.id: u for u in ws.units()}
        blank: dict[tuple[str, tuple[str, ...]], Summary] = {}
        for kind, ids in by_kind.items():
            for chunk in _chunks(ids):
                found = ws.assessments(round_, kind, chunk)
                for unit_id in chunk:
                    unit = units[unit_id]
                    stored = found.get(unit_id, StoredAssessment(kind))
                    if stored.items or stored.veto or stored.aggravated or stored.bonus:
                        summary = compute(round_, unit, stored)
                    else:  # nothing recorded: the same figures for every unit alike
                        like = (unit.group, unit.tags)
                        if like not in blank:
                            blank[like] = compute(round_, unit, stored)
                        summary = blank[like]
                    save(ws.conn, round_.id, unit, kind, summary)
    return len(todo)


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


# --- reading -------------------------------------------------------------------------------

SUMMARY_COLUMNS = (
    "items, answered, to_answer, total, base, aggravated, bonus, grade, veto, categories,"
    " rank_key, grade_by"
)
WIDTH = 12  # columns in SUMMARY_COLUMNS


def _summary(row: Sequence[Any], at: int) -> Summary | None:
    """The summary in ``row[at : at + WIDTH]`` (None when the row has none)."""
    items, answered, to_answer, total, base, aggravated, bonus, grade, veto, cats, key, by = row[
        at : at + WIDTH
    ]
    if items is None:
        return None
    return Summary(
        items,
        answered,
        to_answer,
        Decimal(total),
        Decimal(base),
        Decimal(aggravated),
        Decimal(bonus),
        grade,
        tuple(json.loads(veto)) if veto != "[]" else (),
        tuple(
            CategoryFigure(code, Decimal(score), Decimal(most))
            for code, score, most in json.loads(cats)
        ),
        key,
        by,
    )


def summary(conn: sqlite3.Connection, round_id: int, unit_id: int, kind: Kind) -> Summary | None:
    row = conn.execute(
        f"SELECT {SUMMARY_COLUMNS} FROM results WHERE round_id = ? AND unit_id = ? AND kind = ?",
        (round_id, unit_id, kind),
    ).fetchone()
    return _summary(tuple(row), 0) if row is not None else None


@dataclass(frozen=True)
class UnitRow:
    """One unit in the round's status: its stored inspection and self-assessment figures."""

    unit: Unit
    inspection: Summary
    self_summary: Summary | None  # None without a self-assessment that has answers
    confirmed: bool  # the inspection
    rank: int | None

    @property
    def gap(self) -> Decimal | None:
        """Self-assessed total minus inspection total, when both are complete."""
        own = self.self_summary
        if own is None or not own.complete or not self.inspection.complete:
            return None
        return own.total - self.inspection.total


ROWS_SQL = f"""
SELECT u.id, u.name, u.grp, u.code, u.tags,
       a.confirmed_at IS NOT NULL,
       CASE WHEN r.complete THEN
            RANK() OVER (PARTITION BY r.grp, r.complete ORDER BY r.rank_key) END,
       {", ".join("r." + c.strip() for c in SUMMARY_COLUMNS.split(","))},
       {", ".join("s." + c.strip() for c in SUMMARY_COLUMNS.split(","))},
       u.uid
FROM units u
JOIN results r ON r.round_id = :round AND r.unit_id = u.id AND r.kind = 'inspection'
LEFT JOIN assessments a ON a.round_id = :round AND a.unit_id = u.id AND a.kind = 'inspection'
LEFT JOIN results s ON s.round_id = :round AND s.unit_id = u.id AND s.kind = 'self'
WHERE {TAKES_PART}
ORDER BY u.id
"""


def rows(conn: sqlite3.Connection, round_id: int) -> Iterator[UnitRow]:
    """Every unit of the round in unit order, with its rank in its group (call
    ``ensure_fresh`` first). One query, read row by row."""
    cursor = conn.cursor()
    cursor.row_factory = None
    for row in cursor.execute(ROWS_SQL, {"round": round_id}):
        own = _summary(row, 7 + WIDTH)
        yield UnitRow(
            unit=Unit(row[0], row[1], row[2], row[3], tuple(json.loads(row[4])), row[-1]),
            inspection=_summary(row, 7),  # type: ignore[arg-type]  # the JOIN has it
            self_summary=own if own is not None and own.items else None,
            confirmed=bool(row[5]),
            rank=row[6],
        )


class _Total(Protocol):
    @property
    def total(self) -> Decimal: ...


class Ranked(Protocol):
    """A unit with its inspection result and rank (a stored row, or a unit scored in full)."""

    @property
    def unit(self) -> Unit: ...
    @property
    def inspection(self) -> _Total: ...
    @property
    def rank(self) -> int | None: ...


R = TypeVar("R", bound=Ranked)


def ranked_groups(members: Iterable[R], order: Sequence[str]) -> list[tuple[str, list[R]]]:
    """Units per group, groups in ``order`` (others after, by code), each group in rank order
    (unranked last, by total, then as added)."""
    grouped: dict[str, list[R]] = {}
    for member in members:
        grouped.setdefault(member.unit.group, []).append(member)
    found = []
    for code in [*order, *sorted(set(grouped) - set(order))]:
        if code in grouped:
            ranked = sorted(
                grouped[code],
                key=lambda m: (m.rank is None, m.rank or 0, -m.inspection.total, m.unit.id),
            )
            found.append((code, ranked))
    return found


def ranks(conn: sqlite3.Connection, round_id: int) -> dict[int, int | None]:
    """Every unit's inspection rank in its group (None: not complete), by unit id."""
    return {
        int(unit_id): rank
        for unit_id, rank in conn.execute(
            "SELECT unit_id, CASE WHEN complete THEN"
            " RANK() OVER (PARTITION BY grp, complete ORDER BY rank_key) END"
            " FROM results WHERE round_id = ? AND kind = 'inspection'",
            (round_id,),
        )
    }


@dataclass(frozen=True)
class Standing:
    """A unit's place in its group: its rank (None until complete) among ``ranked`` units."""

    rank: int | None
    ranked: int


def standing(conn: sqlite3.Connection, round_id: int, unit_id: int) -> Standing:
    """One unit's inspection rank from the stored keys of its group: two indexed counts,
    whatever the size of the round (call ``ensure_fresh`` first)."""
    row = conn.execute(
        "SELECT grp, complete, rank_key FROM results"
        " WHERE round_id = ? AND unit_id = ? AND kind = 'inspection'",
        (round_id, unit_id),
    ).fetchone()
    if row is None:
        return Standing(None, 0)
    group, complete, key = row
    ranked, ahead = conn.execute(
        "SELECT COUNT(*), COUNT(*) FILTER (WHERE rank_key < ?) FROM results"
        " WHERE round_id = ? AND kind = 'inspection' AND grp = ? AND complete = 1",
        (key, round_id, group),
    ).fetchone()
    return Standing(ahead + 1 if complete else None, ranked)
