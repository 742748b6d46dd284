"""Self-assessment workbooks for 100 units, with the bundled 5×30 set.

Targets: writing 100 templates under 15 s; importing 100 filled workbooks in at most 2× the
time openpyxl's read-only mode takes just to read the same files, measured in the same run.

    python bench/bench_selfassess.py
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from inspector.app.imports import import_files
from inspector.core.indicators import load_set
from inspector.selfassess import layout as L
from inspector.selfassess.identity import workspace_secret
from inspector.selfassess.template import TemplateText, generate
from inspector.store.workspace import Workspace

UNITS = 100


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
    for key, row in rows.items():
        parts = key.split()
        if parts[0] == "rule" and rng.random() < 0.15:
            rules = set_.item(parts[1]).deductions  # type: ignore[union-attr]
            rule = next(r for r in rules if r.id == parts[2])
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


def main() -> None:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws = Workspace.create(folder / "bench.db")
        ws.new_round("2026年度督查", load_set(), "bench", "bench")
        ws.add_units(
            [
                (
                    f"单位{i:03d}",
                    "区县" if i % 3 else "市级部门",
                    None,
                    ("关基",) if i % 5 == 0 else (),
                )
                for i in range(UNITS)
            ],
            "bench",
            "bench",
        )
        round_ = ws.round()
        units = ws.units()
        secret = workspace_secret(ws, create=True)
        assert secret is not None
        text = TemplateText(due="2026-04-30", contact="张三 0919-1234567")

        start = time.perf_counter()
        written = generate(round_, units, folder / "out", secret, "zh", text)
        generate_s = time.perf_counter() - start
        paths = [w.path for w in written]
        size = sum(p.stat().st_size for p in paths) / len(paths)

        for path in paths:
            fill(path, rng)

        read_only_baseline(paths[:5])  # warm the imports and the disk cache for both
        start = time.perf_counter()
        read_only_baseline(paths)
        baseline_s = time.perf_counter() - start

        start = time.perf_counter()
        dry = import_files(ws, paths, "bench", "bench", dry_run=True)
        dry_s = time.perf_counter() - start

        start = time.perf_counter()
        outcomes = import_files(ws, paths, "bench", "bench")
        import_s = time.perf_counter() - start

        start = time.perf_counter()
        again = import_files(ws, paths, "bench", "bench")
        again_s = time.perf_counter() - start
        ws.close()

    bad = [o for o in (*dry, *outcomes) if o.status == "refused"]
    if bad:
        for o in bad[:3]:
            print(o.path.name, [p.render() for p in o.problems][:3])
        sys.exit("some workbooks were refused")
    assert all(o.status == "unchanged" for o in again)
    print(
        f"templates: {UNITS} units in {generate_s:.2f} s ({generate_s / UNITS * 1000:.0f} ms each, "
        f"{size / 1024:.0f} KiB each); target < 15 s"
    )
    print(f"openpyxl read-only, just reading the {UNITS} files: {baseline_s:.2f} s")
    print(
        f"import (check + record): {import_s:.2f} s = {import_s / baseline_s:.2f}× read-only; target ≤ 2×"
    )
    print(f"import --dry-run (check only): {dry_s:.2f} s = {dry_s / baseline_s:.2f}× read-only")
    print(
        f"re-import of the same files (no-op): {again_s:.2f} s = {again_s / baseline_s:.2f}× read-only"
    )


if __name__ == "__main__":
    main()
