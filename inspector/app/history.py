"""A unit's history as people read it: the audit entries, the time zone to show them in and the
indicator sets that name their items (``log UNIT``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import tzinfo

from inspector.app.queries import audit_log
from inspector.core.indicators.model import IndicatorSet
from inspector.store import round_extras
from inspector.store.workspace import AuditEntry, Workspace


@dataclass(frozen=True)
class History:
    unit_name: str
    entries: list[AuditEntry]
    zone_name: str  # IANA name: the round's time zone ("today" and deadlines are there too)
    zone: tzinfo
    sets: dict[str, IndicatorSet] = field(default_factory=dict)  # by round name


def unit_history(ws: Workspace, unit_name: str) -> History:
    """``unit_name``'s audit entries, with the time zone of the newest round they name (else
    of the newest round, else Asia/Shanghai) and the sets of the rounds they name."""
    entries = audit_log(ws, unit_name)
    rounds = {r.name: r for r in ws.rounds()}
    named = [e.round_name for e in entries if e.round_name in rounds]
    newest = rounds[named[-1]] if named else (list(rounds.values())[-1] if rounds else None)
    zone_name = (
        round_extras.round_timezone(ws.conn, newest.id)
        if newest is not None
        else round_extras.DEFAULT_TIMEZONE
    )
    zone = round_extras.zone(zone_name) or round_extras.zone(round_extras.DEFAULT_TIMEZONE)
    assert zone is not None  # the default zone has a fixed fallback
    sets = {name: rounds[name].indicators for name in dict.fromkeys(named) if name}
    return History(unit_name, entries, zone_name, zone, sets)
