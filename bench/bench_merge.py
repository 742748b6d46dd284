"""``inspector merge``: merging a 1,000-unit workspace into another, against its floor.

Target (issue 10): ≤ 5× the floor, a plain sqlite3 script copying the same rows with ATTACH
+ INSERT … SELECT (bench/floor_merge.py, which shares no code with inspector).

The source workspace holds UNITS units, each inspected in full (29 items, 10 of them with a
deduction and so a ledger entry) and confirmed; the target holds the same round and nothing
else, so every row is new to it. Each run merges into a fresh copy of the target; the merge
is timed from the open workspace to the commit (screening the file, attaching it, the rows,
the results, the ledger, the audit rows, the merge's own record). Times are best of three,
process CPU seconds and wall seconds.

    python bench/bench_merge.py [UNITS]
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from inspector.app.merge import merge_one
from inspector.app.status import round_status
from inspector.core.assessment import FULL, ItemAnswer
from inspector.core.indicators import load_set
from inspector.store.workspace import Workspace

UNITS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
PROBLEMS = 10
RUNS = 3
FLOOR = Path(__file__).with_name("floor_merge.py")
ROUND = "2026年度督查"


def build(source: Path, target: Path) -> None:
    from inspector.reports.ledger_sync import ensure_synced

    loaded = load_set()
    empty = Workspace.create(target)
    empty.new_round(ROUND, loaded, "bench", "bench", None, "2026-12-31")
    empty.close()
    ws = Workspace.create(source)
    ws.new_round(ROUND, loaded, "bench", "bench", None, "2026-12-31")
    units = ws.add_units(
        [(f"单位{i:04d}", "市级部门", f"U{i:04d}", ()) for i in range(UNITS)], "李娜", "bench"
    )
    round_ = ws.round()
    items = [it for _, it in loaded.indicators.items() if it.applies("市级部门", frozenset())]
    deducting = [it for it in items if getattr(it, "deductions", None)][:PROBLEMS]
    answers: dict[str, ItemAnswer | None] = {it.code: FULL for it in items}
    for it in deducting:
        answers[it.code] = ItemAnswer("deduct", ((it.deductions[0].id, 1),))  # type: ignore[union-attr]
    with ws.transaction():
        for unit in units:
            ws.record(round_, unit, "inspection", "李娜", "bench", answers)
            ws.set_confirmed(round_, unit, "inspection", True, "李娜", "bench")
    ensure_synced(ws, round_)
    ws.close()


def count(path: Path, table: str) -> int:
    with Workspace.open(path) as ws:
        return int(ws.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source, target = folder / "laptop2.db", folder / "office.db"
        start = time.perf_counter()
        build(source, target)
        print(f"(setup) {UNITS} units scored and confirmed in {time.perf_counter() - start:.1f} s")
        rows = {t: count(source, t) for t in ("item_answers", "audit", "ledger", "results")}
        print("(rows) " + ", ".join(f"{k} {v}" for k, v in rows.items()))

        best_cpu = best_wall = float("inf")
        for n in range(RUNS):
            copy = folder / f"merge{n}.db"
            shutil.copy(target, copy)
            with Workspace.open(copy) as ws:
                wall, cpu = time.perf_counter(), time.process_time()
                merged = merge_one(ws, source, dry_run=False, who="王磊", command="bench")
                best_cpu = min(best_cpu, time.process_time() - cpu)
                best_wall = min(best_wall, time.perf_counter() - wall)
                assert merged.counts.units == UNITS and merged.counts.conflicts == 0
                status = round_status(ws, None)
                assert sum(1 for row in status.units if row.confirmed) == UNITS
            with Workspace.open(copy) as ws:
                again = merge_one(ws, source, dry_run=False, who="王磊", command="bench")
                assert again.nothing  # merging twice changes nothing
        done = subprocess.run(
            [sys.executable, str(FLOOR), str(target), str(source), str(RUNS)],
            capture_output=True,
            text=True,
            check=True,
        )
        floor_cpu, floor_wall = (float(x) for x in done.stdout.split())
    print(f"merge {UNITS} units: {best_cpu:.3f} s cpu, {best_wall:.3f} s wall")
    print(f"floor (ATTACH + INSERT … SELECT): {floor_cpu:.3f} s cpu, {floor_wall:.3f} s wall")
    print(
        f"ratio: {best_cpu / floor_cpu:.2f}× cpu, {best_wall / floor_wall:.2f}× wall (target ≤ 5×)"
    )


if __name__ == "__main__":
    main()
