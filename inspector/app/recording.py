"""Recording decisions: an answers file, the interactive scorer's saves, confirming.

Each use case is one transaction: the lock rule (``locking.open_for_change``), the answers,
their audit rows, the unit's stored result and the confirmation commit together or not at
all. So ``score --answers F --reopen --confirm`` whose answers fail leaves the assessment
confirmed and unchanged, and a reopen that changes nothing is undone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from inspector.app.actors import acting
from inspector.app.locking import open_for_change
from inspector.core.assessment import AdjustmentKind, ItemAnswer, Kind, Unit
from inspector.store import results
from inspector.store.facts import RoundFacts, round_facts
from inspector.store.results import Standing, Summary
from inspector.store.workspace import Round, Workspace


class _NothingChanged(Exception):
    """Raised inside a transaction to undo a reopen that led to no change."""


@dataclass(frozen=True)
class Recorded:
    """What recording did, and the unit's result and place afterwards."""

    round: Round
    unit: Unit
    kind: Kind
    who: str
    changes: int
    reopened: bool  # it had been confirmed and is reopened now
    kept_locked: bool  # reopening was asked for but nothing changed: left confirmed as it was
    confirmed: bool  # whether it is confirmed now
    summary: Summary
    standing: Standing
    facts: RoundFacts


def _outcome(
    ws: Workspace,
    round_: Round,
    unit: Unit,
    kind: Kind,
    who: str,
    changes: int,
    reopened: bool,
    kept_locked: bool,
) -> Recorded:
    results.ensure_fresh(ws, round_)
    summary = results.summary(ws.conn, round_.id, unit.id, kind)
    assert summary is not None  # ensure_fresh stores one for every assessment
    standing = (
        results.standing(ws.conn, round_.id, unit.id) if kind == "inspection" else Standing(None, 0)
    )
    return Recorded(
        round_,
        unit,
        kind,
        who,
        changes,
        reopened,
        kept_locked,
        ws.is_confirmed(round_, unit, kind),
        summary,
        standing,
        round_facts(ws, round_),
    )


def record(
    ws: Workspace,
    round_: Round,
    unit: Unit,
    kind: Kind,
    *,
    who: str,
    command: str,
    items: Mapping[str, ItemAnswer | None] | None = None,
    adjustments: Mapping[AdjustmentKind, Mapping[str, int]] | None = None,
    reopen: bool = False,
    confirm: bool = False,
    if_version: int | None = None,
    marks: Mapping[str, str | None] | None = None,
) -> Recorded:
    """Record answers (and confirm them, with ``confirm``) in one transaction.

    A confirmed assessment is refused, or reopened with ``reopen`` (audited). A reopen that
    changes nothing is undone: the assessment stays confirmed as it was (``kept_locked``).
    With ``if_version``, an assessment changed since that version is refused (exit 4);
    ``marks`` marks items 待核实 (a note) or clears their mark (None).
    """
    changes, reopened, kept_locked = _change(
        ws,
        round_,
        unit,
        kind,
        who,
        command,
        items,
        adjustments,
        reopen,
        confirm,
        if_version=if_version,
        marks=marks,
    )
    return _outcome(ws, round_, unit, kind, who, changes, reopened, kept_locked)


def _change(
    ws: Workspace,
    round_: Round,
    unit: Unit,
    kind: Kind,
    who: str,
    command: str,
    items: Mapping[str, ItemAnswer | None] | None,
    adjustments: Mapping[AdjustmentKind, Mapping[str, int]] | None,
    reopen: bool,
    confirm: bool,
    *,
    expect: Mapping[str, int | None] | None = None,
    expect_adjustments: Mapping[AdjustmentKind, Mapping[str, int]] | None = None,
    if_version: int | None = None,
    marks: Mapping[str, str | None] | None = None,
) -> tuple[int, bool, bool]:
    """(changes, reopened, kept locked): the lock rule, the version checks, the answers and
    the confirmation in one transaction."""
    from inspector.app import team

    try:
        with ws.transaction():
            reopened = open_for_change(
                ws, round_, unit, kind, reopen=reopen, who=who, command=command
            )
            team.check_versions(ws, round_, unit, kind, if_version, expect, expect_adjustments)
            changes = ws.record(
                round_, unit, kind, who, command, items=items, adjustments=adjustments
            )
            if items:
                team.clear_drafts(ws, round_, unit, kind, items)
            if marks:
                changes += team.set_marks(ws, round_, unit, kind, marks, who, command)
            if changes and kind == "inspection":  # the ledger follows, in this transaction
                from inspector.reports.ledger_sync import sync_unit

                sync_unit(ws, round_, unit, who, command)
            if reopened and not changes:
                raise _NothingChanged
            if confirm:
                if not ws.is_confirmed(round_, unit, kind):
                    team.check_confirmable(ws, round_, unit, kind)
                ws.set_confirmed(round_, unit, kind, True, who, command)
    except _NothingChanged:
        return 0, False, True
    return changes, reopened, False


def record_answers_file(
    ws: Workspace,
    round_name: str | None,
    unit_name: str,
    answers: Path,
    kind: Kind,
    *,
    reopen: bool = False,
    confirm: bool = False,
    inspector: str | None = None,
    command: str,
    if_version: int | None = None,
    force: bool = False,
) -> Recorded:
    """Check an answers file whole, then record it (``record``). The scorer is ``inspector``,
    else the file's ``inspector:``, else the default user. A unit assigned to a team the
    scorer is not in is refused unless ``force``; ``if_version`` refuses an assessment
    changed since that version (``show --json``)."""
    from inspector.app.team import check_team
    from inspector.core.answers import parse_answers
    from inspector.io.yamlsafe import read_text

    round_ = ws.round(round_name)
    unit = ws.unit(unit_name)
    text = read_text(answers, str(answers))
    parsed = parse_answers(
        text,
        str(answers),
        round_.indicators,
        unit,
        round_.name,
        **decision_context(ws, round_, unit, kind),
    )
    who = acting(inspector, parsed.inspector)  # the file's name checked where it was read
    if kind == "inspection":
        check_team(ws, round_, unit, who, force)
    return record(
        ws,
        round_,
        unit,
        kind,
        who=who,
        command=command,
        items=parsed.items,
        adjustments=parsed.adjustments,
        reopen=reopen,
        confirm=confirm,
        if_version=if_version,
        marks=parsed.review,
    )


def round_today(ws: Workspace, round_: Round) -> date:
    """Today in the round's time zone: a deadline before it has passed."""
    from inspector.store import round_extras

    return round_extras.today(ws.conn, round_.id)


def decision_context(ws: Workspace, round_: Round, unit: Unit, kind: Kind) -> dict[str, Any]:
    """What ``core.answers.check_decision`` needs for ``unit``'s decisions: whether they are an
    inspection's, the round's today and the decisions stored now (a deadline kept as it was is
    never refused for having passed since)."""
    stored = ws.assessment(round_, unit, kind)
    return {
        "inspection": kind == "inspection",
        "today": round_today(ws, round_),
        "stored": {code: s.answer for code, s in stored.items.items()},
    }


@dataclass(frozen=True)
class Saved:
    changes: int
    reopened: bool


def save(
    ws: Workspace,
    round_: Round,
    unit: Unit,
    kind: Kind,
    *,
    who: str,
    command: str,
    reopen: bool,
    items: Mapping[str, ItemAnswer | None] | None = None,
    adjustments: Mapping[AdjustmentKind, Mapping[str, int]] | None = None,
    expect: Mapping[str, int | None] | None = None,
    expect_adjustments: Mapping[AdjustmentKind, Mapping[str, int]] | None = None,
) -> Saved:
    """The interactive scorer's save of one item or of the veto, aggravated and bonus
    entries: one transaction, reopening first (audited) when ``reopen`` allows it. An item
    whose version is no longer the one in ``expect`` (changed by someone else since its card
    was shown) is refused with ``team.ItemChanged``; entries no longer the ones in
    ``expect_adjustments`` with ``team.AdjustmentsChanged``."""
    changes, reopened, _ = _change(
        ws,
        round_,
        unit,
        kind,
        who,
        command,
        items,
        adjustments,
        reopen,
        False,
        expect=expect,
        expect_adjustments=expect_adjustments,
    )
    return Saved(changes, reopened)


def confirm(
    ws: Workspace, round_: Round, unit: Unit, kind: Kind, *, who: str, command: str
) -> Recorded:
    """Confirm (lock) an assessment; confirming a confirmed one changes nothing. Open
    merge conflicts or items marked 待核实 are refused (exit 4)."""
    from inspector.app.team import check_confirmable

    with ws.transaction():
        if not ws.is_confirmed(round_, unit, kind):
            check_confirmable(ws, round_, unit, kind)
        ws.set_confirmed(round_, unit, kind, True, who, command)
    return _outcome(ws, round_, unit, kind, who, 0, False, False)
