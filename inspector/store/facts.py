"""What the status views need of a round's indicator set, cached beside the round.

A round's set is pinned YAML: reading its names means parsing and validating it, which costs
more than everything else ``inspector status`` does. The names (in every language), the
group order and a few figures are therefore kept as JSON in ``round_facts``, computed once
per round (and again if ``FACTS_VERSION`` or the engine version changes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from inspector.core.engine import ENGINE_VERSION
from inspector.decimals import plain
from inspector.i18n import DEFAULT_LANGUAGE, LANGUAGES
from inspector.store.db import write

if TYPE_CHECKING:
    from inspector.core.indicators.model import IndicatorSet
    from inspector.store.workspace import Round, Workspace

FACTS_VERSION = "1"


@dataclass(frozen=True)
class Named:
    code: str
    names: dict[str, str]  # by language

    def name(self, lang: str) -> str:
        return self.names.get(lang) or self.names.get(DEFAULT_LANGUAGE) or self.code


@dataclass(frozen=True)
class CategoryFacts(Named):
    points: Decimal


@dataclass(frozen=True)
class RoundFacts:
    total: Decimal
    cap: Decimal
    self_gap_flag: Decimal
    categories: tuple[CategoryFacts, ...]
    groups: tuple[Named, ...]  # in the set's order
    grades: tuple[Named, ...]

    def group_name(self, code: str, lang: str) -> str:
        found = next((g for g in self.groups if g.code == code), None)
        return found.name(lang) if found is not None else code

    def grade_name(self, name: str, lang: str) -> str:
        found = next((g for g in self.grades if g.code == name), None)
        return found.name(lang) if found is not None else name


def from_set(indicators: IndicatorSet) -> RoundFacts:
    from inspector.core.indicators.model import localized

    def names(obj: object, field: str) -> dict[str, str]:
        return {lang: str(localized(obj, field, lang)) for lang in LANGUAGES}

    return RoundFacts(
        total=indicators.total,
        cap=indicators.cap,
        self_gap_flag=indicators.self_gap_flag,
        categories=tuple(
            CategoryFacts(c.code, names(c, "name"), c.points) for c in indicators.categories
        ),
        groups=tuple(Named(g.code, names(g, "name")) for g in indicators.groups),
        grades=tuple(Named(g.name, names(g, "name")) for g in indicators.grades),
    )


def _dump(facts: RoundFacts) -> str:
    return json.dumps(
        {
            "total": plain(facts.total),
            "cap": plain(facts.cap),
            "self_gap_flag": plain(facts.self_gap_flag),
            "categories": [[c.code, c.names, plain(c.points)] for c in facts.categories],
            "groups": [[g.code, g.names] for g in facts.groups],
            "grades": [[g.code, g.names] for g in facts.grades],
        },
        ensure_ascii=False,
    )


def _load(text: str) -> RoundFacts:
    data: dict[str, Any] = json.loads(text)
    return RoundFacts(
        total=Decimal(data["total"]),
        cap=Decimal(data["cap"]),
        self_gap_flag=Decimal(data["self_gap_flag"]),
        categories=tuple(
            CategoryFacts(code, names, Decimal(points))
            for code, names, points in data["categories"]
        ),
        groups=tuple(Named(code, names) for code, names in data["groups"]),
        grades=tuple(Named(code, names) for code, names in data["grades"]),
    )


def version() -> str:
    return f"{ENGINE_VERSION}/{FACTS_VERSION}"


def round_facts(ws: Workspace, round_: Round) -> RoundFacts:
    """The round's facts, from the cache, or computed from its set (and cached)."""
    row = ws.conn.execute(
        "SELECT engine, facts FROM round_facts WHERE round_id = ?", (round_.id,)
    ).fetchone()
    if row is not None and row[0] == version():
        return _load(row[1])
    facts = from_set(round_.indicators)
    with write(ws.conn):
        ws.conn.execute(
            "INSERT OR REPLACE INTO round_facts (round_id, engine, facts) VALUES (?, ?, ?)",
            (round_.id, version(), _dump(facts)),
        )
    return facts
