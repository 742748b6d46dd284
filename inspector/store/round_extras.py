"""What a round knows beyond its set: its time zone, the round it follows, its units.

* **Time zone.** Deadlines are dates, and whether one has passed depends on where "today" is:
  each round has a time zone (an IANA name, Asia/Shanghai unless set), and every "today" of
  the ledger (overdue, completion dates, closing dates) is the date there.
* **The round it follows** (``round new NAME --from PREVIOUS``): last year's round, whose
  open ledger entries carry over (上年遗留) and whose closed ones reveal 屡查屡犯.
* **Units taking part.** Units are the workspace's; a round that lists its own units (one
  made with ``--from``) holds only those, each with the group, code and tags it had when it
  joined. A round that lists none (every round made otherwise) holds every unit, as before.
  A unit with an assessment in a round takes part in it whatever the list says.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from inspector.core.assessment import Unit
from inspector.store.db import write

DEFAULT_TIMEZONE = "Asia/Shanghai"
# Where the system has no time zone database (Windows without the tzdata package), the zones
# an office in China uses are still known: China has kept UTC+8 all year since 1991.
FIXED_ZONES = {"Asia/Shanghai": 8, "Asia/Chongqing": 8, "Asia/Urumqi": 6, "Asia/Hong_Kong": 8}

# The SQL condition "unit u takes part in round :round"; the query must bind :round.
TAKES_PART = (
    "(NOT EXISTS (SELECT 1 FROM round_units WHERE round_id = :round)"
    " OR u.id IN (SELECT unit_id FROM round_units WHERE round_id = :round)"
    " OR u.id IN (SELECT unit_id FROM assessments WHERE round_id = :round))"
)


@lru_cache(maxsize=64)
def zone(name: str) -> tzinfo | None:
    """The time zone called ``name`` (None: unknown)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        hours = FIXED_ZONES.get(name)
        return timezone(timedelta(hours=hours), name) if hours is not None else None


@dataclass(frozen=True)
class Settings:
    timezone: str
    previous_id: int | None


def settings(conn: sqlite3.Connection, round_id: int) -> Settings:
    row = conn.execute(
        "SELECT timezone, previous_id FROM round_settings WHERE round_id = ?", (round_id,)
    ).fetchone()
    if row is None:
        return Settings(DEFAULT_TIMEZONE, None)
    return Settings(row[0] or DEFAULT_TIMEZONE, row[1])


def save_settings(
    conn: sqlite3.Connection, round_id: int, timezone_name: str | None, previous_id: int | None
) -> None:
    with write(conn):
        conn.execute(
            "INSERT OR REPLACE INTO round_settings (round_id, timezone, previous_id)"
            " VALUES (?, ?, ?)",
            (round_id, timezone_name, previous_id),
        )


def round_timezone(conn: sqlite3.Connection, round_id: int) -> str:
    return settings(conn, round_id).timezone


def today(conn: sqlite3.Connection, round_id: int, now: datetime | None = None) -> date:
    """Today's date in the round's time zone."""
    tz = zone(round_timezone(conn, round_id)) or zone(DEFAULT_TIMEZONE)
    moment = now or datetime.now(UTC)
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.astimezone(tz).date()


def following(conn: sqlite3.Connection, round_id: int) -> list[int]:
    """The rounds made from this one (``--from``)."""
    return [
        int(r[0])
        for r in conn.execute(
            "SELECT round_id FROM round_settings WHERE previous_id = ? ORDER BY round_id",
            (round_id,),
        )
    ]


# --- units taking part ---------------------------------------------------------------------


def listed(conn: sqlite3.Connection, round_id: int) -> bool:
    """Whether the round lists its own units (else every unit takes part)."""
    return (
        conn.execute("SELECT 1 FROM round_units WHERE round_id = ? LIMIT 1", (round_id,)).fetchone()
        is not None
    )


def _unit(row: Sequence[object]) -> Unit:
    uid = row[5]
    return Unit(int(row[0]), str(row[1]), str(row[2]), row[3], tuple(json.loads(str(row[4]))), uid)  # type: ignore[arg-type]


def participants(conn: sqlite3.Connection, round_id: int) -> list[Unit]:
    """The units taking part in the round, in the workspace's order (as they are now)."""
    rows = conn.execute(
        f"SELECT u.id, u.name, u.grp, u.code, u.tags, u.uid FROM units u"
        f" WHERE {TAKES_PART} ORDER BY u.id",
        {"round": round_id},
    )
    return [_unit(tuple(r)) for r in rows]


def takes_part(conn: sqlite3.Connection, round_id: int, unit_id: int) -> bool:
    row = conn.execute(
        f"SELECT 1 FROM units u WHERE u.id = :unit AND {TAKES_PART}",
        {"round": round_id, "unit": unit_id},
    ).fetchone()
    return row is not None


@dataclass(frozen=True)
class Member:
    """A unit as it took part in a round: its group, code and tags then."""

    unit_id: int
    group: str
    code: str | None
    tags: tuple[str, ...]


def members(conn: sqlite3.Connection, round_id: int) -> list[Member]:
    """The round's own list (empty when it lists none)."""
    return [
        Member(int(r[0]), r[1], r[2], tuple(json.loads(r[3])))
        for r in conn.execute(
            "SELECT unit_id, grp, code, tags FROM round_units WHERE round_id = ? ORDER BY unit_id",
            (round_id,),
        )
    ]


def enlist(conn: sqlite3.Connection, round_id: int, units: Iterable[Unit]) -> int:
    """Add units to the round's list, as they are now; returns how many were added."""
    added = 0
    with write(conn):
        for unit in units:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO round_units (round_id, unit_id, grp, code, tags)"
                " VALUES (?, ?, ?, ?, ?)",
                (
                    round_id,
                    unit.id,
                    unit.group,
                    unit.code,
                    json.dumps(list(unit.tags), ensure_ascii=False),
                ),
            )
            added += cursor.rowcount
    return added


def join_newest(conn: sqlite3.Connection, units: Iterable[Unit]) -> None:
    """Units added to the workspace take part in the newest round, if it keeps a list."""
    row = conn.execute("SELECT id FROM rounds ORDER BY id DESC LIMIT 1").fetchone()
    if row is not None and listed(conn, int(row[0])):
        enlist(conn, int(row[0]), units)
