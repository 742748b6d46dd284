"""The round at a glance: every unit's stored figures and rank, never rescored.

Results are kept current by every write (``inspector.store.results``), so the status of a
round is one query read row by row, plus the names the round's set gives (cached). Nothing
here loads the engine or the indicator model, unless the set file changed on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inspector.errors import InspectorError
from inspector.store import results
from inspector.store.facts import RoundFacts, round_facts
from inspector.store.results import UnitRow
from inspector.store.workspace import Round, Workspace


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
