"""Self-assessment workbooks with the bundled 5×30 set: writing them, importing them back.

Targets (docs/selfassess.md), each a ratio measured in this one run:

* ``inspector template --all`` for 1,000 units ≤ 1.5× the floor: XlsxWriter writing the same
  cells unstyled, 1,000 times (``bench/floor_template.py``, fed the cells of one generated
  template: values, formulas with their results, merges). Both run as their own processes,
  timed from outside (wall clock and the process's CPU time); the best of five rounds each,
  alternated so that both see the same machine.
* importing 100 filled workbooks ≤ 1.5× openpyxl's read-only mode just reading them, both
  in this process, alternated (CPU time, best of five; each recording goes into a fresh copy
  of the workspace, as a second import of the same files changes nothing).

    python bench/bench_selfassess.py [UNITS]
"""

from __future__ import annotations

import os
import pickle
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from openpyxl import load_workbook

from inspector.app.imports import import_files
from inspector.core.indicators import load_set
from inspector.selfassess import layout as L
from inspector.store.workspace import Workspace

T = TypeVar("T")
UNITS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
IMPORTED = 100
ROUNDS = 5
BENCH = Path(__file__).resolve().parent
INSPECTOR = Path(sys.executable).with_name("inspector")


def fill(path: Path, rng: random.Random) -> None:
    """What a unit clerk does: counts for some rules, a level, a score, a few texts."""
    wb = load_workbook(path)
    sheet = wb["评分表"]
    rows = {
        sheet[f"{L.KEY}{r}"].value: r
        for r in range(1, sheet.max_row + 1)
        if isinstance(sheet[f"{L.KEY}{r}"].value, str)
    }
    set_ = load_set().indicators
    chosen: dict[str, set[str]] = {}  # each item's rules filled in so far
    for key, row in rows.items():
        parts = key.split()
        if parts[0] == "rule" and rng.random() < 0.15:
            rules = set_.item(parts[1]).deductions  # type: ignore[union-attr]
            rule = next(r for r in rules if r.id == parts[2])
            taken = chosen.setdefault(parts[1], set())
            if taken & set(rule.excludes) or any(
                rule.id in r.excludes for r in rules if r.id in taken
            ):
                continue  # a clerk does not take two rules that exclude each other
            taken.add(rule.id)
            if rule.ranged:
                sheet[f"{L.ENTRY}{row}"] = float(rule.low)
            else:
                sheet[f"{L.ENTRY}{row}"] = rng.randint(1, 3) if rule.per_occurrence else 1
        elif parts[0] == "item":
            item = set_.item(parts[1])
            assert item is not None
            if item.levels:
                sheet[f"{L.ENTRY}{row}"] = rng.choice(item.levels).name
            elif item.direct:
                sheet[f"{L.ENTRY}{row}"] = float(item.points - item.direct.step)
            if rng.random() < 0.5:
                sheet[f"{L.NOTE}{row}"] = "已按要求落实，详见佐证材料。"
                sheet[f"{L.GIVEN}{row}"] = "会议纪要、工作方案、台账"
    wb.save(path)


def read_only_baseline(paths: list[Path]) -> None:
    for path in paths:
        wb = load_workbook(path, read_only=True)
        for sheet in wb.worksheets:
            for _ in sheet.iter_rows(values_only=True):
                pass
        wb.close()


def cells_of(path: Path) -> list:
    """Every cell of a template with content, for the floor: (title, cells, merges)."""
    formulas = load_workbook(path)
    results = load_workbook(path, data_only=True)
    data = []
    for sheet in formulas.worksheets:
        cells = []
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if value is None or value == "":
                    continue
                if cell.data_type == "f":
                    result = results[sheet.title][cell.coordinate].value
                    kind = "f"
                elif isinstance(value, bool):
                    kind, result = "b", None
                elif isinstance(value, int | float):
                    kind, result = "n", None
                else:
                    kind, result = "s", None
                cells.append((cell.row - 1, cell.column - 1, kind, value, result))
        merges = [
            (m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
            for m in sheet.merged_cells.ranges
        ]
        data.append((sheet.title, cells, merges))
    return data


def best_of(runs: int, work: Callable[[], T]) -> tuple[float, float, T]:
    """Best CPU and wall seconds of ``runs`` runs in this process, and the last result."""
    best_cpu = best_wall = float("inf")
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        best_cpu = min(best_cpu, time.process_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return best_cpu, best_wall, result


def timed(command: list[str]) -> tuple[float, float]:
    """(cpu, wall) seconds of a child process, measured from outside."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "NO_COLOR": "1"})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "bench.db"
        ws = Workspace.create(db)
        ws.new_round("2026年度督查", load_set(), "bench", "bench")
        ws.add_units(
            [
                (
                    f"单位{i:04d}",
                    "区县" if i % 3 else "市级部门",
                    None,
                    ("关基",) if i % 5 == 0 else (),
                )
                for i in range(UNITS)
            ],
            "bench",
            "bench",
        )
        ws.close()
        out = folder / "templates"
        template = [str(INSPECTOR), "template", "--all", "--db", str(db), "--out", str(out)]
        template += ["--contact", "张三 0919-1234567", "--due", "2026-04-30", "--force"]
        ours, floor = [], []
        subprocess.run(template, check=True, capture_output=True)  # the workspace's secret
        data = folder / "cells.pickle"
        sample = out / "单位0001.xlsx"  # the most common layout: a county, not 关基
        with open(data, "wb") as handle:
            pickle.dump(cells_of(sample), handle)
        cell_count = sum(len(cells) for _, cells, _ in pickle.loads(data.read_bytes()))
        floor_command = [sys.executable, str(BENCH / "floor_template.py"), str(data)]
        floor_command += [str(folder / "floor"), str(UNITS)]
        for _ in range(ROUNDS):
            shutil.rmtree(folder / "floor", ignore_errors=True)
            floor.append(timed(floor_command))
            ours.append(timed(template))
        files = sorted(out.glob("*.xlsx"))
        assert len(files) == UNITS, len(files)
        size = sum(p.stat().st_size for p in files) / len(files)
        floor_size = sum(p.stat().st_size for p in (folder / "floor").iterdir()) / UNITS

        paths = files[:IMPORTED]
        for path in paths:
            fill(path, rng)
        read_only_baseline(paths[:5])  # warm the imports and the disk cache for both
        fresh = db.read_bytes()  # the workspace before any import, recorded into a copy each time

        def record_into_a_copy() -> list:
            copy = folder / "copy.db"
            copy.write_bytes(fresh)
            with Workspace.open(copy) as ws:
                return import_files(ws, paths, "bench", "bench")

        # the import and the baseline alternate too; each figure is the best of its rounds
        runs: dict[str, list[tuple[float, float, object]]] = {"base": [], "record": [], "dry": []}
        with Workspace.open(db) as ws:
            for _ in range(ROUNDS):
                runs["base"].append(best_of(1, lambda: read_only_baseline(paths)))
                runs["record"].append(best_of(1, record_into_a_copy))
                runs["dry"].append(
                    best_of(1, lambda: import_files(ws, paths, "bench", "bench", dry_run=True))
                )
        baseline, recorded, dry_run = (
            (min(r[0] for r in rs), min(r[1] for r in rs), rs[-1][2]) for rs in runs.values()
        )
        dry, outcomes = dry_run[2], recorded[2]
        with Workspace.open(folder / "copy.db") as ws:  # the files are recorded there
            repeated = best_of(ROUNDS, lambda: import_files(ws, paths, "bench", "bench"))
        again = repeated[2]

    bad = [o for o in (*dry, *outcomes) if o.status == "refused"]
    if bad:
        for o in bad[:3]:
            print(o.path.name, [p.render() for p in o.problems][:3])
        sys.exit("some workbooks were refused")
    assert all(o.status == "unchanged" for o in again)
    best_cpu, best_wall = min(c for c, _ in ours), min(w for _, w in ours)
    floor_cpu, floor_wall = min(c for c, _ in floor), min(w for _, w in floor)
    print(f"inspector template --all, {UNITS} units ({size / 1024:.0f} KiB each):")
    print(f"  inspector:  cpu {best_cpu:6.2f} s  wall {best_wall:6.2f} s")
    print(
        f"  floor:      cpu {floor_cpu:6.2f} s  wall {floor_wall:6.2f} s  "
        f"(XlsxWriter, the {cell_count} cells of one template, unstyled; "
        f"{floor_size / 1024:.0f} KiB each)"
    )
    print(
        f"  ratio:      cpu {best_cpu / floor_cpu:.2f}×  wall {best_wall / floor_wall:.2f}×  "
        "(target ≤ 1.5×)"
    )
    print(
        f"import of {IMPORTED} filled workbooks, in this process (CPU s, best of {ROUNDS}; wall s):"
    )
    print(
        f"  openpyxl read-only, just reading them:  cpu {baseline[0]:5.2f}  wall {baseline[1]:5.2f}"
    )
    for label, (cpu, wall, _) in (
        ("import (check + record)", recorded),
        ("import --dry-run (check only)", dry_run),
        ("re-import, nothing changed", repeated),
    ):
        print(
            f"  {label:38s} cpu {cpu:5.2f}  wall {wall:5.2f}  = {cpu / baseline[0]:.2f}× "
            f"({wall / baseline[1]:.2f}× wall)"
        )
    print("  target: import ≤ 1.5× read-only")


if __name__ == "__main__":
    main()
