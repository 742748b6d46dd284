"""Team inspections (issue 10): who is scoring, teams and assignments, item versions,
leases of open scorer sessions, items marked 待核实 and drafts, conflicts and their
resolution. Each use case is one transaction.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import get_close_matches

from inspector.app.actors import USER_ENV, config_path, configured_user, default_user
from inspector.core.assessment import AdjustmentKind, ItemAnswer, Kind, Unit
from inspector.errors import ConflictError, InspectorError, NotFoundError
from inspector.store import team as store
from inspector.store.team import (
    Assignment,
    Conflict,
    Lease,
    Mark,
    Team,
    TeamUnits,
    Version,
)
from inspector.store.workspace import Round, StoredItem, Workspace

__all__ = [
    "Assignment",
    "Conflict",
    "Lease",
    "Mark",
    "Team",
    "TeamUnits",
    "Version",
]


def close_to(name: str, known: Iterable[str]) -> str:
    """The known names close to ``name`` (for "did you mean"), else all of them."""
    names = list(dict.fromkeys(known))
    close = get_close_matches(name.strip(), names, n=3, cutoff=0.3)
    return "、".join(close or names) or "—"


# --- who is scoring ------------------------------------------------------------------------


@dataclass(frozen=True)
class WhoAmI:
    name: str
    source: str  # "env", "config" or "system"
    config: str  # the settings file


def whoami() -> WhoAmI:
    if os.environ.get(USER_ENV):
        source = "env"
    elif configured_user():
        source = "config"
    else:
        source = "system"
    return WhoAmI(default_user(), source, str(config_path()))


def needs_name() -> bool:
    """Whether no name was ever set on this machine (the scorer then asks for one, once)."""
    return configured_user() is None


# --- teams and assignments -------------------------------------------------------------------


def add_team(ws: Workspace, name: str, members: Iterable[str], who: str, command: str) -> Team:
    return store.save_team(ws, name, [m for m in members if m.strip()], who, command)


def teams(ws: Workspace) -> list[Team]:
    return store.teams(ws)


def find_team(ws: Workspace, name: str) -> Team:
    try:
        return store.team(ws, name)
    except NotFoundError:
        raise NotFoundError(
            "team.unknown", name=name, known=close_to(name, [t.name for t in store.teams(ws)])
        ) from None


def find_unit(ws: Workspace, name: str) -> Unit:
    try:
        return ws.unit(name)
    except NotFoundError:
        known = [u.name for u in ws.units()]
        raise NotFoundError("unit.unknown", name=name, known=close_to(name, known)) from None


def assign(
    ws: Workspace,
    round_name: str | None,
    team_name: str,
    unit_names: Iterable[str],
    categories: Iterable[str],
    who: str,
    command: str,
) -> int:
    """Assign units to a team (optionally some categories only); all or nothing."""
    round_ = ws.round(round_name)
    the_team = find_team(ws, team_name)
    units = [find_unit(ws, name) for name in unit_names]
    known = [c.code for c in round_.indicators.categories]
    cats = [c.strip() for c in categories if c.strip()]
    for code in cats:
        if code not in known:
            raise NotFoundError("team.unknown_category", code=code, known="、".join(known))
    with ws.transaction():
        return store.assign(ws, round_, the_team, units, cats, who, command)


def team_units(ws: Workspace, round_: Round) -> list[TeamUnits]:
    return store.team_units(ws, round_)


def other_team(ws: Workspace, round_: Round, unit: Unit, who: str) -> list[str]:
    """The teams ``unit`` is assigned to when ``who`` is in none of them (empty: ``who`` may
    score it, or nobody is assigned)."""
    assigned = store.assignments(ws, round_).get(unit.id, [])
    if not assigned or any(who in a.members for a in assigned):
        return []
    return [a.team for a in assigned]


def check_team(ws: Workspace, round_: Round, unit: Unit, who: str, force: bool) -> None:
    """Refuse (exit 4) to record a unit assigned to another team unless ``force``."""
    others = other_team(ws, round_, unit, who)
    if others and not force:
        raise ConflictError(
            "team.not_yours",
            unit=unit.name,
            teams="、".join(others),
            who=who,
            close=close_to(who, [m for t in store.teams(ws) for m in t.members]),
        )


# --- versions ---------------------------------------------------------------------------------


def assessment_version(ws: Workspace, round_: Round, unit: Unit, kind: Kind) -> int:
    return store.assessment_version(ws, round_, unit, kind)


def item_versions(ws: Workspace, round_: Round, unit: Unit, kind: Kind) -> dict[str, Version]:
    return store.item_versions(ws, round_, unit, kind)


class ItemChanged(ConflictError):
    """The item was changed by someone else since the scorer showed it: ``theirs`` is what
    is stored now (None: the answer was cleared)."""

    def __init__(self, item: str, theirs: StoredItem | None) -> None:
        super().__init__("team.item_changed", item=item)
        self.item = item
        self.theirs = theirs


class AdjustmentsChanged(ConflictError):
    """The veto, aggravated or bonus entries of ``adjustment`` were changed by someone else
    since the scorer showed them: ``theirs`` is what is stored now."""

    def __init__(self, adjustment: AdjustmentKind, theirs: Mapping[str, int]) -> None:
        super().__init__(f"team.adjustments_changed.{adjustment}")
        self.adjustment = adjustment
        self.theirs = dict(theirs)


def check_versions(
    ws: Workspace,
    round_: Round,
    unit: Unit,
    kind: Kind,
    if_version: int | None,
    expect: Mapping[str, int | None] | None,
    expect_adjustments: Mapping[AdjustmentKind, Mapping[str, int]] | None = None,
) -> None:
    """Inside the transaction that writes: refuse when the assessment changed since version
    ``if_version``, an item changed since the version ``expect`` gives it (None: it had
    no answer), or a kind of entries is no longer what ``expect_adjustments`` says was shown
    (the scorer saves a kind's entries whole, so a change made meanwhile would be lost)."""
    if expect_adjustments:
        stored = ws.assessment(round_, unit, kind)
        for adjustment, shown in expect_adjustments.items():
            now = stored.adjustments(adjustment)
            if now != dict(shown):
                raise AdjustmentsChanged(adjustment, now)
    if if_version is not None:
        current = store.assessment_version(ws, round_, unit, kind)
        if current != if_version:
            raise ConflictError(
                "team.version_changed", unit=unit.name, expected=if_version, current=current
            )
    if expect:
        versions = store.item_versions(ws, round_, unit, kind)
        for code, wanted in expect.items():
            now = versions.get(code)
            if (now.version if now is not None else None) != wanted:
                stored = ws.assessment(round_, unit, kind).items.get(code)
                raise ItemChanged(code, stored)


# --- leases ---------------------------------------------------------------------------------


def open_lease(
    ws: Workspace, round_: Round, unit: Unit, kind: Kind, who: str
) -> tuple[int, list[Lease]]:
    return store.take_lease(ws, round_, unit, kind, who, socket.gethostname(), os.getpid())


def renew_lease(ws: Workspace, lease_id: int) -> None:
    store.renew_lease(ws, lease_id)


def close_lease(ws: Workspace, lease_id: int) -> None:
    store.drop_lease(ws, lease_id)


# --- marks and drafts ----------------------------------------------------------------------


def marks(ws: Workspace, round_: Round, unit: Unit, kind: Kind) -> dict[str, Mark]:
    return store.marks(ws, round_, unit, kind)


def round_marks(ws: Workspace, round_: Round) -> dict[int, list[str]]:
    return store.round_marks(ws, round_)


def set_mark(
    ws: Workspace,
    round_: Round,
    unit: Unit,
    kind: Kind,
    item: str,
    note: str | None,
    who: str,
    command: str,
) -> bool:
    if round_.indicators.item(item) is None:
        known = [i.code for _, i in round_.indicators.items()]
        raise NotFoundError("team.unknown_item", item=item, known=close_to(item, known))
    with ws.transaction():
        return store.set_mark(ws, round_, unit, kind, item, note, who, command)


def set_marks(
    ws: Workspace,
    round_: Round,
    unit: Unit,
    kind: Kind,
    notes: Mapping[str, str | None],
    who: str,
    command: str,
) -> int:
    """Several marks at once (an answers file's ``review:``), in the caller's transaction."""
    return sum(
        store.set_mark(ws, round_, unit, kind, code, note, who, command)
        for code, note in notes.items()
    )


def drafts(ws: Workspace, round_: Round, unit: Unit, kind: Kind) -> dict[str, dict[str, str]]:
    return store.drafts(ws, round_, unit, kind)


def save_draft(
    ws: Workspace,
    round_: Round,
    unit: Unit,
    kind: Kind,
    item: str,
    texts: Mapping[str, str],
    who: str,
) -> None:
    store.save_draft(ws, round_, unit, kind, item, texts, who)


def clear_drafts(
    ws: Workspace, round_: Round, unit: Unit, kind: Kind, items: Iterable[str]
) -> None:
    store.clear_drafts(ws, round_, unit, kind, items)


def check_confirmable(ws: Workspace, round_: Round, unit: Unit, kind: Kind) -> None:
    store.check_confirmable(ws, round_, unit, kind)


# --- conflicts -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """One side of a conflict as the user reads it."""

    answer: ItemAnswer | None
    entries: dict[str, int] | None  # veto, aggravated or bonus entries
    by: str
    at: str


@dataclass(frozen=True)
class ConflictView:
    unit: Unit
    target: str
    mine: Side
    theirs: Side
    source: str


def conflicts(
    ws: Workspace, round_name: str | None, unit_name: str | None, kind: Kind = "inspection"
) -> tuple[Round, list[ConflictView]]:
    """The open conflicts of a round (or of one unit), both sides, of the inspections (or
    of the self-assessments)."""
    from inspector.core.forms import stored_answer

    round_ = ws.round(round_name)
    unit = find_unit(ws, unit_name) if unit_name is not None else None
    found = store.conflicts(ws, round_, unit, kind)
    views = []
    by_name = {u.name: u for u in ws.units()}
    cache: dict[int, object] = {}
    for c in found:
        the_unit = by_name[c.unit]
        stored = cache.get(the_unit.id)
        if stored is None:
            stored = ws.assessment(round_, the_unit, kind)
            cache[the_unit.id] = stored
        theirs_raw = c.theirs
        if c.target.startswith("@"):
            kind = c.target[1:]
            mine_entries = stored.adjustments(kind)  # type: ignore[attr-defined]
            mine = Side(None, mine_entries, "", stored.updated_at or "")  # type: ignore[attr-defined]
            theirs = Side(
                None,
                dict(theirs_raw.get("entries") or {}),  # type: ignore[call-overload]
                str(theirs_raw.get("by", "")),
                str(theirs_raw.get("at", "")),
            )
        else:
            item = stored.items.get(c.target)  # type: ignore[attr-defined]
            mine = Side(
                item.answer if item else None,
                None,
                item.scored_by if item else "",
                item.scored_at if item else "",
            )
            row = theirs_raw.get("row")
            theirs = Side(
                stored_answer(*row) if isinstance(row, list) else None,
                None,
                str(theirs_raw.get("by", "")),
                str(theirs_raw.get("at", "")),
            )
        views.append(ConflictView(the_unit, c.target, mine, theirs, c.source))
    return round_, views


def resolve(
    ws: Workspace,
    round_name: str | None,
    unit_name: str,
    target: str,
    take: str,
    who: str,
    command: str,
    kind: Kind = "inspection",
) -> bool:
    """Resolve one conflict: keep this workspace's decision, or take the other side's (an
    ordinary recorded change, audited). Returns whether the answer changed."""
    from inspector.app import recording

    round_, views = conflicts(ws, round_name, unit_name, kind)
    wanted = target.strip().lstrip("@")
    match = next((v for v in views if v.target.lstrip("@") == wanted), None)
    if match is None:
        known = [v.target.lstrip("@") for v in views]
        unit = find_unit(ws, unit_name)
        raise NotFoundError(
            "team.no_conflict", unit=unit.name, item=target, known=close_to(target, known)
        )
    if take not in ("mine", "theirs"):
        raise InspectorError("team.bad_take", take=take)
    unit = match.unit
    changed = False
    with ws.transaction():
        store.close_conflict(ws, round_, unit, kind, match.target, take)
        if take == "theirs":
            # "@veto" names an adjustment list of the assessment, anything else an item
            change: dict[str, object] = (
                {"adjustments": {match.target[1:]: match.theirs.entries or {}}}
                if match.target.startswith("@")
                else {"items": {match.target: match.theirs.answer}}
            )
            recorded = recording.record(
                ws,
                round_,
                unit,
                kind,
                who=who,
                command=command,
                **change,  # type: ignore[arg-type]
            )
            changed = recorded.changes > 0
        ws.audit(
            who,
            command,
            f"resolve:{match.target.lstrip('@')}",
            None,
            take,
            round_.name,
            unit,
            kind,
        )
    return changed


# --- what the views show -----------------------------------------------------------------


def versions_json(ws: Workspace, round_: Round, unit: Unit, kind: Kind) -> dict[str, object]:
    """For ``show --json``: the assessment's version, each item's version with who scored it
    and when, the items marked 待核实, the open conflicts and the unit's teams."""
    items = store.item_versions(ws, round_, unit, kind)
    return {
        "version": store.assessment_version(ws, round_, unit, kind),
        "items": {
            code: {"version": v.version, "scored_by": v.by, "scored_at": v.at}
            for code, v in items.items()
        },
        "review": {code: m.note for code, m in store.marks(ws, round_, unit, kind).items()},
        "conflicts": [c.target.lstrip("@") for c in store.conflicts(ws, round_, unit, kind)],
        "teams": [a.team for a in store.assignments(ws, round_).get(unit.id, [])],
    }


@dataclass(frozen=True)
class RoundTeams:
    """What ``status`` adds per unit (by unit id), the same keys ``show --json`` adds: its
    teams, its items marked 待核实, its open conflicts, the inspection's version and who
    scored it."""

    teams: dict[int, list[str]]
    marked: dict[int, list[str]]
    conflicts: dict[int, list[str]]
    versions: dict[int, int]
    scorers: dict[int, list[str]]

    def json(self, unit_id: int) -> dict[str, object]:
        return {
            "version": self.versions.get(unit_id, 0),
            "scored_by": self.scorers.get(unit_id, []),
            "review": self.marked.get(unit_id, []),
            "conflicts": self.conflicts.get(unit_id, []),
            "teams": self.teams.get(unit_id, []),
        }


def round_teams(ws: Workspace, round_: Round) -> RoundTeams:
    """The team facts of every unit in the round, in a few queries."""
    teams_ = {
        unit_id: [a.team for a in entries]
        for unit_id, entries in store.assignments(ws, round_).items()
    }
    return RoundTeams(
        teams_,
        store.round_marks(ws, round_),
        store.round_open_conflicts(ws, round_),
        store.round_versions(ws, round_),
        store.round_scorers(ws, round_),
    )
