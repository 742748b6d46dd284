"""``inspector merge OTHER.db...``: bring a team's laptops together.

Each other workspace is merged in one transaction of its own (``store.merge`` does the rows;
here the stored results of the changed units are computed again and their ledger follows
the inspection), recorded in the audit log with its source. A merge that would change
nothing is not recorded, and says so; a dry run reports and rolls back.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from inspector.errors import WorkspaceError
from inspector.store import merge as store
from inspector.store.merge import MergeCounts
from inspector.store.workspace import Workspace

__all__ = ["MergeCounts", "Merged", "merge"]


class _Undo(Exception):
    """Raised inside the transaction to roll it back (a dry run, or nothing to merge)."""


@dataclass(frozen=True)
class Merged:
    source: Path
    counts: MergeCounts
    dry_run: bool

    @property
    def nothing(self) -> bool:
        return self.counts.changes == 0


def _check_writers(ws: Workspace, path: Path) -> None:
    """Refuse a workspace a scorer on this machine has open (it is being written)."""
    for who, host, pid in store.source_leases(ws):
        if host == socket.gethostname() and _alive(pid):
            raise WorkspaceError("merge.being_written", path=path, who=who, pid=pid)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def merge_one(ws: Workspace, path: Path, *, dry_run: bool, who: str, command: str) -> Merged:
    from inspector.reports.ledger_sync import sync_unit

    result: MergeCounts | None = None
    with store.attached(ws, path):
        _check_writers(ws, path)
        try:
            with ws.transaction():
                counts = store.merge_rows(ws, path, who, command)
                result = counts
                store.refresh_results(ws, counts)
                if counts.changed_units:  # the ledger follows what changed item by item
                    rounds = {r.id: r for r in ws.rounds()}
                    units = {u.id: u for u in ws.units()}
                    for round_id, unit_id, kind in sorted(counts.changed_units):
                        if kind == "inspection":
                            sync_unit(ws, rounds[round_id], units[unit_id], who, command)
                if counts.changes == 0 or dry_run:
                    raise _Undo
                summary = {
                    "source": str(path),
                    "units": counts.units,
                    "assessments": counts.assessments,
                    "items": counts.items,
                    "conflicts": counts.conflicts,
                    "audit": counts.audit,
                }
                store.log_merge(ws, path, who, summary)
                ws.audit(who, command, "merge", None, summary)
        except _Undo:
            pass
    assert result is not None
    return Merged(path, result, dry_run)


def merge(
    ws: Workspace, paths: Iterable[Path], *, dry_run: bool, who: str, command: str
) -> list[Merged]:
    """Merge each workspace in turn (each one transaction)."""
    return [merge_one(ws, Path(p), dry_run=dry_run, who=who, command=command) for p in paths]
