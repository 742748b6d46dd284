"""Next year: a round made from the previous one (``round new NAME --from PREVIOUS``).

In one transaction the new round gets:

* the previous round's indicator set (unless ``--indicators`` names another) and time zone
  (unless ``--timezone`` names another);
* the previous round's units (its own list, or every unit if it kept none), each with its
  group, code and tags, except those named with ``--without``. Units are the workspace's, so
  a unit's scores of past rounds stay where they are; the new round simply lists who takes
  part, and status, reports and ``--all`` follow that list. The previous round's list is
  written down too, if it had none, so that last year keeps the units it had;
* every entry of the previous round's ledger still open (待整改, 整改中, 已整改 awaiting
  re-inspection), as an entry of the new round marked 上年遗留, with its number, its
  status and what the unit reported. Last year's ledger stays as it was.

A new problem found on an item and rule that the previous round closed (已销号) is marked
屡查屡犯 when it is made (``ledger_sync``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from inspector.app.actors import default_user
from inspector.app.rounds import check_deadline
from inspector.core.assessment import Unit
from inspector.errors import InspectorError, NotFoundError
from inspector.reports.ledger_sync import carried_uid
from inspector.store import ledger as L
from inspector.store import round_extras
from inspector.store.workspace import Round, Workspace


@dataclass(frozen=True)
class Made:
    round: Round
    previous: Round | None
    timezone: str
    units: list[Unit]
    carried: int
    title: str
    set_hash: str


def check_timezone(name: str | None) -> str | None:
    if name is None:
        return None
    text = name.strip()
    if round_extras.zone(text) is None:
        raise InspectorError("round.bad_timezone", value=name)
    return text


def create(
    ws: Workspace,
    name: str,
    *,
    indicators: Path | None,
    deadline: str | None,
    timezone: str | None,
    previous: str | None,
    without: list[str],
    command: str,
) -> Made:
    """A new round, from ``previous`` when given (see the module's docstring)."""
    from inspector.core.indicators import load_set

    deadline = check_deadline(deadline)
    zone = check_timezone(timezone)
    if previous is None:
        if without:
            raise InspectorError("round.without_needs_from")
        loaded = load_set(indicators)
        with ws.transaction():
            source = str(indicators.resolve()) if indicators is not None else None
            made = ws.new_round(name, loaded, default_user(), command, source, deadline)
            if zone is not None:
                round_extras.save_settings(ws.conn, made.id, zone, None)
        return Made(
            made,
            None,
            zone or round_extras.DEFAULT_TIMEZONE,
            round_extras.participants(ws.conn, made.id),
            0,
            loaded.indicators.title,
            loaded.hash,
        )
    before = ws.round(previous)
    who = default_user()
    with ws.transaction():
        if indicators is not None:
            loaded = load_set(indicators)
            source = str(indicators.resolve())
        else:
            loaded = before.loaded
            source = before.set_source
        members = round_extras.participants(ws.conn, before.id)
        if not round_extras.listed(ws.conn, before.id):
            round_extras.enlist(ws.conn, before.id, members)
        dropped = set()
        for unit_name in without:
            unit = ws.unit(unit_name)
            if unit not in members:
                raise NotFoundError("round.without_not_member", unit=unit.name, round=before.name)
            dropped.add(unit.id)
        members = [u for u in members if u.id not in dropped]
        _check_units(loaded.indicators, members)
        made = ws.new_round(name, loaded, who, command, source, deadline)
        zone = zone or round_extras.round_timezone(ws.conn, before.id)
        round_extras.save_settings(ws.conn, made.id, zone, before.id)
        round_extras.enlist(ws.conn, made.id, members)
        carried = _carry(ws, before, made, members, who, command)
    return Made(made, before, zone, members, carried, loaded.indicators.title, loaded.hash)


def _check_units(indicators: object, units: list[Unit]) -> None:
    """Every unit's group and tags must exist in the new round's set."""
    groups = {g.code for g in indicators.groups}  # type: ignore[attr-defined]
    tags = {t.code for t in indicators.tags}  # type: ignore[attr-defined]
    for unit in units:
        if unit.group not in groups:
            raise NotFoundError(
                "round.unit_group_unknown",
                unit=unit.name,
                group=unit.group,
                known="、".join(sorted(groups)),
            )
        for tag in unit.tags:
            if tag not in tags:
                raise NotFoundError(
                    "round.unit_tag_unknown",
                    unit=unit.name,
                    tag=tag,
                    known="、".join(sorted(tags)) or "—",
                )


def _carry(
    ws: Workspace, before: Round, made: Round, members: list[Unit], who: str, command: str
) -> int:
    ids = [u.id for u in members]
    names = {u.id: u.name for u in members}
    carried = 0
    for entry in L.entries(ws.conn, before.id, ids, L.STILL_OPEN):
        L.insert(
            ws.conn,
            {
                "uid": carried_uid(made, entry.uid),
                "round_id": made.id,
                "unit_id": entry.unit_id,
                "number": entry.number,
                "position": entry.position,
                "source": entry.source,
                "code": entry.code,
                "rules": entry.rules,
                "lost": entry.lost,
                "texts": {lang: dict(texts) for lang, texts in entry.texts.items()},
                "deadline": entry.deadline,
                "status": entry.status,
                "department": entry.department,
                "person": entry.person,
                "measures": entry.measures,
                "completed_on": entry.completed_on,
                "evidence": [e.as_json() for e in entry.evidence],
                "recheck": entry.recheck,
                "recheck_note": entry.recheck_note,
                "recheck_by": entry.recheck_by,
                "recheck_at": entry.recheck_at,
                "carried_from": entry.uid,
                "repeat_of": entry.repeat_of,
            },
            who=who,
            command=command,
            round_name=made.name,
            unit_name=names[entry.unit_id],
            action="carried",
        )
        carried += 1
    return carried
