"""The floor of bench_merge.py: copying one workspace's rows into another with plain sqlite3,
ATTACH + INSERT … SELECT, sharing no code or settings with inspector.

    python bench/floor_merge.py TARGET.db SOURCE.db RUNS

TARGET.db is copied afresh (by this script) before each run; the copy gets SOURCE's units,
their assessments, answers, veto/aggravated/bonus entries, stored results, ledger entries,
ledger changes and the units' audit rows, matched to the copy's round and units by name, in
one transaction. Prints the best run as "<cpu seconds> <wall seconds>".
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import tempfile
import time

COPY = """
INSERT INTO units (name, code, grp, tags, created_at, uid)
  SELECT name, code, grp, tags, created_at, uid FROM o.units;
INSERT INTO round_units (round_id, unit_id, grp, code, tags)
  SELECT r.id, u.id, x.grp, x.code, x.tags FROM o.round_units x
  JOIN o.rounds orr ON orr.id = x.round_id JOIN rounds r ON r.name = orr.name
  JOIN o.units ou ON ou.id = x.unit_id JOIN units u ON u.name = ou.name;
INSERT INTO assessments (round_id, unit_id, kind, confirmed_at, confirmed_by, updated_at,
    source, source_digest, version)
  SELECT r.id, u.id, a.kind, a.confirmed_at, a.confirmed_by, a.updated_at, a.source,
    a.source_digest, a.version FROM o.assessments a
  JOIN o.rounds orr ON orr.id = a.round_id JOIN rounds r ON r.name = orr.name
  JOIN o.units ou ON ou.id = a.unit_id JOIN units u ON u.name = ou.name;
CREATE TEMP TABLE pairs AS SELECT oa.id AS oid, a.id AS lid FROM o.assessments oa
  JOIN o.units ou ON ou.id = oa.unit_id JOIN units u ON u.name = ou.name
  JOIN assessments a ON a.unit_id = u.id AND a.kind = oa.kind;
INSERT INTO item_answers (assessment_id, item_code, form, value, na_reason, problem, rectify,
    evidence, note, deadline, scored_by, scored_at, version)
  SELECT p.lid, i.item_code, i.form, i.value, i.na_reason, i.problem, i.rectify, i.evidence,
    i.note, i.deadline, i.scored_by, i.scored_at, i.version
  FROM o.item_answers i JOIN temp.pairs p ON p.oid = i.assessment_id;
INSERT INTO adjustments (assessment_id, kind, code, count)
  SELECT p.lid, j.kind, j.code, j.count FROM o.adjustments j
  JOIN temp.pairs p ON p.oid = j.assessment_id;
INSERT INTO results SELECT r.id, u.id, x.kind, x.engine, x.grp, x.tags, x.items, x.answered,
    x.to_answer, x.complete, x.total, x.base, x.aggravated, x.bonus, x.grade, x.veto,
    x.categories, x.rank_key, x.grade_by FROM o.results x
  JOIN o.rounds orr ON orr.id = x.round_id JOIN rounds r ON r.name = orr.name
  JOIN o.units ou ON ou.id = x.unit_id JOIN units u ON u.name = ou.name;
INSERT INTO ledger (uid, round_id, unit_id, number, position, source, code, rules, lost, texts,
    deadline, status, department, person, measures, completed_on, evidence, recheck,
    recheck_note, recheck_by, recheck_at, closed_on, carried_from, repeat_of, created_at,
    created_by, updated_at, updated_by)
  SELECT l.uid, r.id, u.id, l.number, l.position, l.source, l.code, l.rules, l.lost, l.texts,
    l.deadline, l.status, l.department, l.person, l.measures, l.completed_on, l.evidence,
    l.recheck, l.recheck_note, l.recheck_by, l.recheck_at, l.closed_on, l.carried_from,
    l.repeat_of, l.created_at, l.created_by, l.updated_at, l.updated_by FROM o.ledger l
  JOIN o.rounds orr ON orr.id = l.round_id JOIN rounds r ON r.name = orr.name
  JOIN o.units ou ON ou.id = l.unit_id JOIN units u ON u.name = ou.name;
INSERT INTO ledger_changes (uid, entry, at, who, command, action, old, new)
  SELECT uid, entry, at, who, command, action, old, new FROM o.ledger_changes;
INSERT INTO ledger_sync (round_id, unit_id, stamp)
  SELECT r.id, u.id, s.stamp FROM o.ledger_sync s
  JOIN o.rounds orr ON orr.id = s.round_id JOIN rounds r ON r.name = orr.name
  JOIN o.units ou ON ou.id = s.unit_id JOIN units u ON u.name = ou.name;
INSERT INTO audit (at, who, command, round_name, unit_name, unit_uid, kind, target, old, new)
  SELECT at, who, command, round_name, unit_name, unit_uid, kind, target, old, new
  FROM o.audit WHERE unit_name IS NOT NULL ORDER BY id
"""


def run(target: str, source: str) -> tuple[float, float]:
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("ATTACH DATABASE ? AS o", (f"file:{source}?mode=ro",))
    wall, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN IMMEDIATE")
    for statement in COPY.split(";"):
        conn.execute(statement)
    conn.execute("COMMIT")
    result = time.process_time() - cpu, time.perf_counter() - wall
    conn.close()
    return result


def main() -> None:
    target, source, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    best_cpu = best_wall = float("inf")
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(runs):
            copy = os.path.join(tmp, f"floor{n}.db")
            shutil.copy(target, copy)
            cpu, wall = run(copy, source)
            best_cpu, best_wall = min(best_cpu, cpu), min(best_wall, wall)
    print(f"{best_cpu:.4f} {best_wall:.4f}")


if __name__ == "__main__":
    main()
