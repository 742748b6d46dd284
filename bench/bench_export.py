"""Excel export at city scale: 1,000 units × 30 items, self-assessment and inspection.

Targets (issue 5):
  * the leadership workbook in at most 2× the time bare openpyxl needs to write the same cells
    without styles, measured in the same run;
  * peak memory of the export under 500 MB;
  * 100 unit feedback workbooks in under 20 s.

The bare baseline writes exactly the values of the exported workbook (read back beforehand,
not timed), sheet by sheet, with ``ws.append`` in openpyxl's default mode, and once more in
write-only mode for reference. Peak memory is the maximum resident set size of a separate
process that runs ``inspector export`` on the same workspace.

    python bench/bench_export.py
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from openpyxl import Workbook, load_workbook

from inspector.core.assessment import FULL, ItemAnswer
from inspector.core.indicators import load_set
from inspector.reports.export import context, export_leadership, export_unit
from inspector.store.workspace import Workspace

UNITS = 1000
FEEDBACK_UNITS = 100
TODAY = date(2026, 11, 28)
PROBLEMS = [
    "技术检测发现弱口令3处（门户网站后台、视频监控平台）",
    "应急预案2020年制定后未修订，机构人员调整后未更新",
    "全员网络安全培训覆盖率为82%，低于90%",
    "上年度督查检查发现的2项问题逾期未整改到位",
]


def answers(rng: random.Random, indicators, group: str, tags: tuple[str, ...], honest: bool):
    result: dict[str, ItemAnswer | None] = {}
    for _, item in indicators.items():
        if not item.applies(group, frozenset(tags)):
            continue
        if rng.random() < 0.7 or (not honest and rng.random() < 0.6):
            result[item.code] = FULL
        elif item.deductions:
            rule = rng.choice(item.deductions)
            count = rng.randint(1, 3) if rule.per_occurrence else 1
            result[item.code] = ItemAnswer(
                "deduct",
                ((rule.id, count),),
                problem=rng.choice(PROBLEMS) if honest else None,
                rectify="限期整改并提交整改报告" if honest else None,
                deadline="2026-12-31" if honest else None,
            )
        elif item.levels:
            result[item.code] = ItemAnswer("level", item.levels[1].name)
        else:
            result[item.code] = ItemAnswer("score", item.points - item.direct.step)
    return result


def build(db: Path) -> float:
    rng = random.Random(5)
    loaded = load_set()
    indicators = loaded.indicators
    started = time.perf_counter()
    ws = Workspace.create(db)
    ws.conn.execute("PRAGMA synchronous = OFF")  # a benchmark fixture, not user data
    ws.new_round("2026年度督查", loaded, "bench", "bench")
    ws.add_units(
        [
            (f"单位{i:04d}", "区县" if i % 3 else "市级部门", None, ("关基",) if i % 5 == 0 else ())
            for i in range(UNITS)
        ],
        "bench",
        "bench",
    )
    round_ = ws.round()
    for unit in ws.units():
        inspection = answers(rng, indicators, unit.group, unit.tags, honest=True)
        own = answers(rng, indicators, unit.group, unit.tags, honest=False)
        extra = {"aggravated": {"A2": 1}} if unit.id % 50 == 0 else {}
        ws.record(round_, unit, "inspection", "bench", "bench", inspection, extra)
        ws.record(round_, unit, "self", "bench", "bench", own)
    ws.close()
    return time.perf_counter() - started


def sheet_values(path: Path) -> list[tuple[str, list[tuple]]]:
    wb = load_workbook(path, read_only=True)
    data = [(ws.title, [tuple(row) for row in ws.iter_rows(values_only=True)]) for ws in wb]
    wb.close()
    return data


def bare(data: list[tuple[str, list[tuple]]], path: Path, write_only: bool) -> float:
    started = time.perf_counter()
    wb = Workbook(write_only=write_only)
    if not write_only:
        wb.remove(wb.active)
    for title, rows in data:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return time.perf_counter() - started


def peak_memory_mb(db: Path, out: Path) -> tuple[float, float]:
    """Wall time and peak RSS of ``inspector export`` in a process of its own. The peak is
    VmHWM where /proc has it: ru_maxrss would carry over this (big) process's peak, as Linux
    keeps it across fork and exec."""
    code = (
        "import resource, sys, time\n"
        "t = time.perf_counter()\n"
        "from inspector.ui.cli import main\n"
        "sys.argv = ['inspector', 'export', '--db', sys.argv[1], '--out', sys.argv[2], '--force']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        "    status = open('/proc/self/status').read().split('VmHWM:')[1]\n"
        "    peak = int(status.split()[0])\n"
        "except (OSError, IndexError):\n    pass\n"
        "print(time.perf_counter() - t, peak)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db), str(out)], check=True, capture_output=True, text=True
    )
    seconds, kilobytes = done.stdout.strip().splitlines()[-1].split()
    return float(seconds), int(kilobytes) / 1024


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = folder / "bench.db"
        filling = build(db)

        # (a) the leadership export: load + score + write, and the writing alone
        started = time.perf_counter()
        ws = Workspace.open(db)
        ctx = context(ws, None, "zh", None, TODAY)
        ws.close()
        loaded = time.perf_counter() - started
        out = folder / "leadership.xlsx"
        started = time.perf_counter()
        written = export_leadership(ctx, out)
        writing = time.perf_counter() - started
        export_total = loaded + writing

        # (b) bare openpyxl, the same values, no styles
        data = sheet_values(out)
        cells = sum(1 for _, rows in data for row in rows for v in row if v is not None)
        bare_default = bare(data, folder / "bare.xlsx", write_only=False)
        bare_streamed = bare(data, folder / "bare-wo.xlsx", write_only=True)

        # unit feedback workbooks
        started = time.perf_counter()
        for status in ctx.ordered_units()[:FEEDBACK_UNITS]:
            export_unit(ctx, status, folder / f"{status.unit.name}.xlsx")
        feedback = time.perf_counter() - started

        cli_seconds, peak = peak_memory_mb(db, folder / "cli.xlsx")
        size = out.stat().st_size / 1_000_000

    print(
        f"workspace: {UNITS} units × 30 items, inspection and self-assessment ({filling:.1f} s to fill)"
    )
    print(
        f"leadership workbook: {written.cells:,} cells with a value ({cells:,} read back), {size:.1f} MB"
    )
    print(f"  (a) export, writing only (overview given):      {writing:6.2f} s")
    print(
        f"      export, load + score + write:               {export_total:6.2f} s   (load + score {loaded:.2f} s)"
    )
    print(
        f"  (b) bare openpyxl, same values, no styles:       {bare_default:6.2f} s   (write-only mode: {bare_streamed:.2f} s)"
    )
    print(
        f"  ratio (a)/(b): writing {writing / bare_default:.2f}×, load + score + write {export_total / bare_default:.2f}×"
        f"   (target ≤ 2×; against bare write-only mode: {writing / bare_streamed:.2f}× / {export_total / bare_streamed:.2f}×)"
    )
    print(
        f"  `inspector export` in its own process: peak memory {peak:.0f} MB (target < 500 MB), {cli_seconds:.2f} s wall"
    )
    print(
        f"unit feedback workbooks: {FEEDBACK_UNITS} in {feedback:.2f} s ({feedback / FEEDBACK_UNITS * 1000:.0f} ms each; target < 20 s)"
    )
    print(
        json.dumps(
            {
                "writing_ratio": round(writing / bare_default, 3),
                "total_ratio": round(export_total / bare_default, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
