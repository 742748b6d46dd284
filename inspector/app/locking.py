"""The lock rule, in one place.

A confirmed assessment refuses every change (``assessment.locked``, exit code 4) unless the
user asked to reopen it; reopening is audited (``reopen`` in the log, with who and when it
had been confirmed). Every use case that changes answers calls ``open_for_change`` inside the
transaction that makes the change, so a change that fails leaves the assessment confirmed
and unchanged. The store applies the refusing half itself (``Workspace.check_open``) to every
write of answers; nothing but this function ever reopens.
"""

from __future__ import annotations

from inspector.core.assessment import Kind, Unit
from inspector.store.workspace import Round, Workspace


def open_for_change(
    ws: Workspace, round_: Round, unit: Unit, kind: Kind, *, reopen: bool, who: str, command: str
) -> bool:
    """Make sure the assessment may change: refuse a confirmed one, or reopen it when
    ``reopen``. Returns whether it was reopened now."""
    if reopen and ws.is_confirmed(round_, unit, kind):
        ws.set_confirmed(round_, unit, kind, False, who, command)
        return True
    ws.check_open(round_, unit, kind)
    return False


def may_change(ws: Workspace, round_: Round, unit: Unit, kind: Kind, *, reopen: bool) -> None:
    """Refuse now what ``open_for_change`` would refuse, changing nothing (the scorer asks
    before its first card, an import's dry run before it reports a file as fine)."""
    if not reopen:
        ws.check_open(round_, unit, kind)
