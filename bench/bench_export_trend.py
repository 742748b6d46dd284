"""The leadership export of 1,000 units × 30 items with last year's round present.

This year's round is made from last year's with ``round new --from`` (the app's
``carryover.create``: the units and last year's open problems carried over), and scored
again; the export then also reads last year's stored results (上年得分, 上年名次, 名次变化,
the 总体情况 text, the this-year-vs-last-year charts). Target (issue 12): within the export
target of issue 9, 1.5× the floor: bench/floor_xlsx.py writing the same cells with
XlsxWriter in constant_memory mode, unstyled, measured in the same run. Process CPU seconds,
the best of five rounds in which the export and the floor alternate.

    python bench/bench_export_trend.py
"""

from __future__ import annotations

import pickle
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_export import (
    ROUNDS,
    TODAY,
    UNITS,
    answers,
    best_of,
    build,
    cell_values,
    floor,
)

from inspector.app.carryover import create
from inspector.reports.export import context, export_leadership
from inspector.store.workspace import Workspace

THIS_YEAR = "2027年度督查"


def next_year(db: Path) -> None:
    """This year's round from last year's, every unit scored again (other answers)."""
    rng = random.Random(2027)
    with Workspace.open(db) as ws:
        ws.conn.execute("PRAGMA synchronous = OFF")  # a benchmark fixture, not user data
        last = ws.round()
        made = create(
            ws,
            THIS_YEAR,
            indicators=None,
            deadline=None,
            timezone=None,
            previous=last.name,
            without=[],
            command="bench",
        ).round
        indicators = made.indicators
        for unit in ws.units():
            inspection = answers(rng, indicators, unit.group, unit.tags, honest=True)
            own = answers(rng, indicators, unit.group, unit.tags, honest=False)
            ws.record(made, unit, "inspection", "bench", "bench", inspection)
            ws.record(made, unit, "self", "bench", "bench", own)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "bench.db"
        build(db)
        next_year(db)
        out = folder / "leadership.xlsx"

        def export() -> object:
            with Workspace.open(db) as ws:
                ctx = context(ws, THIS_YEAR, "zh", None, TODAY)
                return export_leadership(ws, ctx, out)

        best_of(1, export)  # the workbook the floor writes again
        data, cells = cell_values(out)
        pickled = folder / "cells.pickle"
        pickled.write_bytes(pickle.dumps(data))
        del data
        exports, floors = [], []
        for _ in range(ROUNDS):
            exports.append(best_of(1, export)[:2])
            floors.append(floor(pickled, folder / "floor.xlsx", "xlsxwriter", 1))
        export_cpu = min(c for c, _ in exports)
        export_wall = min(w for _, w in exports)
        floor_cpu = min(c for c, _ in floors)
        floor_wall = min(w for _, w in floors)
    print(f"{UNITS} units × 30 items, last year's round present: {cells:,} cells")
    print(f"CPU seconds, best of {ROUNDS} (wall seconds in brackets):")
    print(
        f"  export with last year                          {export_cpu:6.2f} s  ({export_wall:.2f} s)"
    )
    print(
        f"  floor: XlsxWriter constant_memory, unstyled    {floor_cpu:6.2f} s  ({floor_wall:.2f} s)"
    )
    print(
        f"  export ÷ floor                                 {export_cpu / floor_cpu:6.2f}×  (target 1.5×)"
    )


if __name__ == "__main__":
    main()
