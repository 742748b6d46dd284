"""Rectification workbooks: writing 1,000 units' and reading 100 back, against their floors.

Targets (issue 11), each measured in this one run:

* ``rectify template --all`` for 1,000 units with 10 problems each ≤ 1.5× the floor: a plain
  script writing the same cell values with XlsxWriter, one workbook per unit, no formats,
  validations, protection or properties (bench/floor_rectify.py, which shares no code with
  inspector);
* ``rectify import`` of 100 filled workbooks ≤ 1.5× openpyxl's read-only mode just reading
  the same files (the same script).

The floor writes exactly the values of the issued workbooks, read back beforehand. Times are
process CPU seconds, the best of five rounds in which the command and its floor alternate (the
import: best of three; wall seconds beside them); the import is timed on a copy
of the workspace restored before each run, so every run records the same changes.

    python bench/bench_rectify.py [UNITS]
"""

from __future__ import annotations

import pickle
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from inspector.app.ledger import ensure_synced
from inspector.app.rectify import import_files, issue
from inspector.core.assessment import FULL, ItemAnswer
from inspector.core.indicators import load_set
from inspector.rectify import layout as RL
from inspector.store import ledger as L
from inspector.store.workspace import Workspace

UNITS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
PROBLEMS = 10
IMPORTED = 100
TODAY = date(2026, 12, 20)
ROUNDS = 5  # rounds of the template command and its floor, alternated
FLOOR = Path(__file__).with_name("floor_rectify.py")


def best_of(runs: int, work: Callable[[], object], before: Callable[[], None] | None = None):
    best_cpu = best_wall = float("inf")
    result = None
    for _ in range(runs):
        if before is not None:
            before()
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall, result


def floor(*args: str) -> tuple[float, float]:
    done = subprocess.run(
        [sys.executable, str(FLOOR), *args], capture_output=True, text=True, check=True
    )
    cpu, wall = done.stdout.split()
    return float(cpu), float(wall)


def build(path: Path) -> None:
    """UNITS departments, each inspected and confirmed with PROBLEMS deductions."""
    ws = Workspace.create(path)
    loaded = load_set()
    ws.new_round("2026年度督查", loaded, "bench", "bench", None, "2026-12-31")
    units = ws.add_units(
        [(f"单位{i:04d}", "市级部门", f"U{i:04d}", ()) for i in range(UNITS)], "bench", "bench"
    )
    round_ = ws.round()
    items = [it for _, it in loaded.indicators.items() if it.applies("市级部门", frozenset())]
    deducting = [it for it in items if getattr(it, "deductions", None)][:PROBLEMS]
    answers: dict[str, ItemAnswer | None] = {it.code: FULL for it in items}
    for it in deducting:
        answers[it.code] = ItemAnswer("deduct", ((it.deductions[0].id, 1),))  # type: ignore[union-attr]
    with ws.transaction():
        for unit in units:
            ws.record(round_, unit, "inspection", "bench", "bench", answers)
            ws.set_confirmed(round_, unit, "inspection", True, "bench", "bench")
    start = time.perf_counter()
    ensure_synced(ws, round_)
    print(f"(setup) ledger entries made for {UNITS} units in {time.perf_counter() - start:.1f} s")
    ws.close()


def read_back(paths: list[Path]) -> list:
    data = []
    for path in paths:
        book = load_workbook(path, read_only=True)
        sheets = [
            (sheet.title, [tuple(row) for row in sheet.iter_rows(values_only=True)])
            for sheet in book.worksheets
        ]
        book.close()
        data.append((path.name, sheets))
    return data


def fill(path: Path, rng: random.Random) -> None:
    """What a unit clerk does: every problem reported, most of them done."""
    book = load_workbook(path)
    sheet = book["整改台账"]
    for row in range(RL.FIRST_BODY_ROW, sheet.max_row + 1):
        if not sheet[f"{RL.KEY}{row}"].value:
            continue
        done = rng.random() < 0.7
        sheet[f"{RL.STATUS}{row}"] = "已整改" if done else "整改中"
        if done:
            sheet[f"{RL.COMPLETED}{row}"] = date(2026, 12, rng.randint(1, 19))
        sheet[f"{RL.DEPARTMENT}{row}"] = "信息科"
        sheet[f"{RL.PERSON}{row}"] = "张三"
        sheet[f"{RL.MEASURES}{row}"] = "已按整改要求落实，建立长效机制，详见佐证材料。"
        sheet[f"{RL.EVIDENCE}{row}"] = "整改报告.pdf：整改情况说明\n制度文件.docx"
    book.save(path)


def main() -> None:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "bench.db"
        build(db)
        ws = Workspace.open(db)
        entries = len(L.entries(ws.conn, ws.round().id))

        def templates() -> list:
            out = folder / "out"
            return issue(ws, None, None, out, "zh", who="bench", force=True, day=TODAY).written

        written = templates()
        paths = [w.path for w in written]
        assert len(paths) == UNITS, len(paths)
        size = sum(p.stat().st_size for p in paths) / len(paths)
        pickled = folder / "cells.pickle"
        data = read_back(paths)
        cells = sum(
            1 for _, sheets in data for _, rows in sheets for r in rows for v in r if v is not None
        )
        pickled.write_bytes(pickle.dumps(data))
        (folder / "floor").mkdir()
        # the command and its floor alternate, so that a busy moment of the machine hits both
        timed: list[tuple[float, float]] = []
        floors: list[tuple[float, float]] = []
        for _ in range(ROUNDS):
            timed.append(best_of(1, templates)[:2])
            floors.append(floor("write", str(pickled), str(folder / "floor"), "1"))
        template_cpu, template_wall = min(c for c, _ in timed), min(w for _, w in timed)
        floor_cpu, floor_wall = min(c for c, _ in floors), min(w for _, w in floors)

        chosen = paths[:IMPORTED]
        for path in chosen:
            fill(path, rng)
        ws.close()
        saved = folder / "saved.db"
        shutil.copy(db, saved)
        read_cpu, read_wall = floor("read", *map(str, chosen))

        state: dict[str, Workspace] = {}

        def restore() -> None:
            if "ws" in state:
                state["ws"].close()
            for suffix in ("-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
            shutil.copy(saved, db)
            state["ws"] = Workspace.open(db)

        def imports() -> list:
            return import_files(state["ws"], chosen, "bench", "bench", None, False, None, TODAY)

        import_cpu, import_wall, outcomes = best_of(3, imports, restore)
        refused = [o for o in outcomes if o.status != "imported"]
        if refused:
            print(refused[0].path, [p.render() for p in refused[0].problems][:3])
            sys.exit("some workbooks were not imported")
        again_cpu, _, again = best_of(1, imports)
        assert all(o.status == "unchanged" for o in again)
        state["ws"].close()

    print(f"rectify template --all: {UNITS} units, {entries} ledger entries, {cells} cells written")
    print(
        f"  average workbook {size / 1024:.1f} KiB; CPU seconds, best of {ROUNDS} rounds"
        " alternating with the floor (wall in brackets)"
    )
    print(
        f"  inspector rectify template --all       {template_cpu:7.2f} s  ({template_wall:.2f} s)"
    )
    print(f"  floor: XlsxWriter, the same cells      {floor_cpu:7.2f} s  ({floor_wall:.2f} s)")
    print(f"  ratio {template_cpu / floor_cpu:.2f}× (target ≤ 1.5×)")
    print(f"rectify import: {IMPORTED} filled workbooks, {IMPORTED * PROBLEMS} problems reported")
    print(f"  inspector rectify import                {import_cpu:7.2f} s  ({import_wall:.2f} s)")
    print(f"  floor: openpyxl read-only, reading them {read_cpu:7.2f} s  ({read_wall:.2f} s)")
    print(f"  ratio {import_cpu / read_cpu:.2f}× (target ≤ 1.5×)")
    print(
        f"  the same files again (no-op)            {again_cpu:7.2f} s  ({again_cpu / read_cpu:.2f}×)"
    )


if __name__ == "__main__":
    main()
