"""The documented JSON of units (README, "JSON for scripts"): ``status --json`` entries and
``show --json``. Both are built by ``summary_json`` from the same figures, so they agree."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping

    from inspector.app.status import RoundStatus
    from inspector.app.team import RoundTeams
    from inspector.app.types import Kind, LedgerCounts, RoundFacts, Summary, Unit, UnitView


def number(value: Decimal) -> int | float:
    """A decimal as a JSON number: integral values as integers, others as the nearest float."""
    return int(value) if value == value.to_integral_value() else float(value)


def _num(value: Decimal | None) -> int | float | None:
    return number(value) if value is not None else None


def summary_json(
    unit: Unit,
    kind: Kind,
    inspection: Summary,
    own: Summary | None,
    confirmed: bool,
    rank: int | None,
    facts: RoundFacts,
    lang: str,
) -> dict[str, Any]:
    """One unit's figures of ``kind``; ``own`` is its self-assessment (None without one)."""
    result = inspection if kind == "inspection" else own
    data: dict[str, Any] = {
        "unit": unit.name,
        "code": unit.code,
        "group": unit.group,
        "tags": list(unit.tags),
        "kind": kind,
        "complete": bool(result and result.complete),
        "confirmed": confirmed,
        "progress": {
            "answered": result.answered if result else 0,
            "applicable": result.to_answer if result else 0,
        },
    }
    if result is None:
        data.update(total=None, grade=None, grade_by=None, rank=None, veto=[], categories=[])
        return data
    gap = (
        own.total - inspection.total
        if own is not None and own.complete and inspection.complete
        else None
    )
    data.update(
        total=number(result.total),
        base=number(result.base),
        aggravated=number(result.aggravated),
        bonus=number(result.bonus),
        grade=result.grade,
        grade_by=result.grade_by,
        rank=rank if kind == "inspection" else None,
        veto=list(result.veto),
        self_total=number(own.total) if own is not None else None,
        gap=_num(gap),
        categories=[
            {
                "code": c.code,
                "name": cat.name(lang),
                "score": number(c.score),
                "max": number(c.max),
                "points": number(cat.points),
            }
            for c, cat in zip(result.categories, facts.categories, strict=True)
        ],
    )
    return data


def ledger_json(counts: LedgerCounts | None) -> dict[str, int]:
    """A unit's ledger in ``status --json``: problems (withdrawn ones not counted), those
    reported done or closed, those closed (销号), those overdue today."""
    if counts is None:
        return {"problems": 0, "completed": 0, "closed": 0, "overdue": 0}
    return {
        "problems": counts.problems,
        "completed": counts.completed,
        "closed": counts.closed,
        "overdue": counts.overdue,
    }


def status_json(
    status: RoundStatus,
    counts: Mapping[int, LedgerCounts],
    teams: RoundTeams,
    lang: str,
) -> dict[str, Any]:
    """``status --json``: the round, then every unit's summary, ledger and team facts."""
    round_ = status.round
    return {
        "round": round_.name,
        "set_hash": round_.set_hash,
        "set_changed": status.set_changed,
        "units": [
            {
                **summary_json(
                    row.unit,
                    "inspection",
                    row.inspection,
                    row.self_summary,
                    row.confirmed,
                    row.rank,
                    status.facts,
                    lang,
                ),
                "ledger": ledger_json(counts.get(row.unit.id)),
                **teams.json(row.unit.id),
            }
            for row in status.units
        ],
    }


def detail_json(view: UnitView, kind: Kind, lang: str) -> dict[str, Any]:
    """``show --json``: the summary plus every item."""
    from inspector.core.forms import answer_details
    from inspector.core.indicators.model import localized
    from inspector.core.scoring import problem_text

    status = view.status
    stored = status.stored if kind == "inspection" else status.stored_self
    data = summary_json(
        status.unit,
        kind,
        view.summary("inspection"),  # type: ignore[arg-type]  # every unit has one
        view.summary("self"),
        stored.confirmed,
        status.rank,
        view.facts,
        lang,
    )
    indicators = view.round.indicators
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


def with_versions(data: dict[str, Any], versions: dict[str, Any]) -> dict[str, Any]:
    """``show --json`` with the team's facts (issue 10): the assessment's ``version`` (for
    ``score --answers F --if-version N``), each item's ``version``, ``scored_by``,
    ``scored_at`` and ``review`` note (待核实), every inspector who scored the unit, the
    items in conflict after a merge, and the unit's teams."""
    items = versions["items"]
    review = versions["review"]
    for entry in data.get("items", []):
        known = items.get(entry["code"])
        entry["version"] = known["version"] if known else None
        entry["scored_by"] = known["scored_by"] if known else None
        entry["scored_at"] = known["scored_at"] if known else None
        entry["review"] = review.get(entry["code"])
    data["version"] = versions["version"]
    data["scored_by"] = sorted({v["scored_by"] for v in items.values()})
    data["review"] = sorted(review)
    data["conflicts"] = sorted(versions["conflicts"])
    data["teams"] = versions["teams"]
    return data
