"""The floor for ``inspector status --json``: sqlite3 and json only, reading the same rows and
printing the same JSON. It shares no code with inspector (bench/bench_app.py checks that its
output is identical, byte for byte).

    python bench/status_floor.py WORKSPACE.db
"""

from __future__ import annotations

import datetime
import json
import sqlite3
import sys
from decimal import Decimal

SQL = """
SELECT u.id, u.name, u.code, u.grp, u.tags, a.confirmed_at IS NOT NULL,
       CASE WHEN r.complete THEN
            RANK() OVER (PARTITION BY r.grp, r.complete ORDER BY r.rank_key) END,
       r.answered, r.to_answer, r.complete, r.total, r.base, r.aggravated, r.bonus, r.grade,
       r.veto, r.categories, s.items, s.total, s.complete, r.grade_by,
       l.problems, l.completed, l.closed, l.overdue
FROM units u
JOIN results r ON r.round_id = :round AND r.unit_id = u.id AND r.kind = 'inspection'
LEFT JOIN assessments a ON a.round_id = :round AND a.unit_id = u.id AND a.kind = 'inspection'
LEFT JOIN results s ON s.round_id = :round AND s.unit_id = u.id AND s.kind = 'self'
LEFT JOIN (
    SELECT unit_id, COUNT(*) AS problems,
           SUM(status IN ('done', 'closed')) AS completed, SUM(status = 'closed') AS closed,
           SUM(status IN ('open', 'in_progress') AND deadline IS NOT NULL
               AND substr(deadline, 1, 10) < :today) AS overdue
    FROM ledger WHERE round_id = :round AND status != 'withdrawn' GROUP BY unit_id
) l ON l.unit_id = u.id
ORDER BY u.id
"""

# the team facts of every unit: (SQL, how a row adds to the unit's list or value)
TEAMS = "SELECT a.unit_id, t.name FROM assignments a JOIN teams t ON t.id = a.team_id WHERE a.round_id = ? ORDER BY t.id"
MARKS = (
    "SELECT a.unit_id, m.item_code FROM item_marks m JOIN assessments a ON a.id = m.assessment_id"
    " WHERE a.round_id = ? AND a.kind = 'inspection' ORDER BY a.unit_id, m.item_code"
)
CONFLICTS = (
    "SELECT a.unit_id, c.target FROM conflicts c JOIN assessments a ON a.id = c.assessment_id"
    " WHERE a.round_id = ? AND a.kind = 'inspection' AND c.resolved IS NULL"
    " ORDER BY a.unit_id, c.target"
)
VERSIONS = "SELECT unit_id, version FROM assessments WHERE round_id = ? AND kind = 'inspection'"
SCORERS = (
    "SELECT DISTINCT a.unit_id, i.scored_by FROM item_answers i JOIN assessments a"
    " ON a.id = i.assessment_id WHERE a.round_id = ? AND a.kind = 'inspection'"
    " ORDER BY a.unit_id, i.scored_by"
)


def lists(conn: sqlite3.Connection, sql: str, round_id: int) -> dict[int, list]:
    found: dict[int, list] = {}
    for unit_id, value in conn.execute(sql, (round_id,)):
        found.setdefault(unit_id, []).append(value)
    return found


def num(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def status(path: str) -> dict:
    conn = sqlite3.connect(path)
    round_id, name, set_hash, source, set_text = conn.execute(
        "SELECT id, name, set_hash, set_source, set_text FROM rounds ORDER BY id DESC LIMIT 1"
    ).fetchone()
    changed = None
    if source:
        try:
            with open(source, encoding="utf-8") as handle:
                changed = handle.read() != set_text
        except OSError:
            changed = None
    facts = json.loads(
        conn.execute("SELECT facts FROM round_facts WHERE round_id = ?", (round_id,)).fetchone()[0]
    )
    categories = [(names["zh"], num(points)) for _, names, points in facts["categories"]]
    units = []
    today = datetime.date.today().isoformat()
    teams = lists(conn, TEAMS, round_id)
    marks = lists(conn, MARKS, round_id)
    conflicts = lists(conn, CONFLICTS, round_id)
    versions = dict(conn.execute(VERSIONS, (round_id,)).fetchall())
    scorers = lists(conn, SCORERS, round_id)
    for unit_id, *row in conn.execute(SQL, {"round": round_id, "today": today}):
        (unit, code, group, tags, confirmed, rank, answered, to_answer, complete, total) = row[:10]
        base, aggravated, bonus, grade, veto, cats, own_items, own_total, own_complete = row[10:19]
        grade_by, problems, completed, closed, overdue = row[19:]
        own = own_total if own_items else None
        gap = None
        if own is not None and own_complete and complete:
            difference = Decimal(own) - Decimal(total)
            integral = difference == difference.to_integral_value()
            gap = int(difference) if integral else float(difference)
        units.append(
            {
                "unit": unit,
                "code": code,
                "group": group,
                "tags": json.loads(tags),
                "kind": "inspection",
                "complete": bool(complete),
                "confirmed": bool(confirmed),
                "progress": {"answered": answered, "applicable": to_answer},
                "total": num(total),
                "base": num(base),
                "aggravated": num(aggravated),
                "bonus": num(bonus),
                "grade": grade,
                "grade_by": grade_by,
                "rank": rank,
                "veto": json.loads(veto),
                "self_total": num(own) if own is not None else None,
                "gap": gap,
                "categories": [
                    {"code": c, "name": cname, "score": num(s), "max": num(m), "points": points}
                    for (c, s, m), (cname, points) in zip(json.loads(cats), categories, strict=True)
                ],
                "ledger": {
                    "problems": problems or 0,
                    "completed": completed or 0,
                    "closed": closed or 0,
                    "overdue": overdue or 0,
                },
                "version": versions.get(unit_id, 0),
                "scored_by": scorers.get(unit_id, []),
                "review": marks.get(unit_id, []),
                "conflicts": [c.lstrip("@") for c in conflicts.get(unit_id, [])],
                "teams": teams.get(unit_id, []),
            }
        )
    conn.close()
    return {"round": name, "set_hash": set_hash, "set_changed": changed, "units": units}


def main(path: str) -> None:
    sys.stdout.write(json.dumps(status(path), ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1])
