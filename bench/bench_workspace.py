"""The workspace at city scale: 1,000 units × 30 items.

Targets: scoring and ranking 1,000 units under 0.5 s; `status` on 1,000 units under 1 s;
recording one item (one transaction) under 20 ms.

    python bench/bench_workspace.py

The targets of issue 9 (costs that do not grow with the round, start-up) are measured by
bench/bench_app.py.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from inspector.core.assessment import Assessment, ItemAnswer
from inspector.core.indicators import load_set
from inspector.core.scoring import rank_within_groups, score_unit
from inspector.store.overview import build_overview
from inspector.store.workspace import Workspace

UNITS = 1000


def random_answers(
    rng: random.Random, indicators, group: str, tags: tuple[str, ...]
) -> dict[str, ItemAnswer]:
    answers: dict[str, ItemAnswer] = {}
    for _, item in indicators.items():
        if not item.applies(group, set(tags)):
            continue
        roll = rng.random()
        if roll < 0.7:
            answers[item.code] = ItemAnswer("full")
        elif item.deductions:
            rule = rng.choice(item.deductions)
            count = rng.randint(1, 3) if rule.per_occurrence else 1
            answers[item.code] = ItemAnswer("deduct", ((rule.id, count),), problem="发现问题")
        elif item.levels:
            answers[item.code] = ItemAnswer("level", rng.choice(item.levels).name)
        elif item.direct is not None:
            answers[item.code] = ItemAnswer("score", item.points - item.direct.step)
        else:  # a check list: full marks here
            answers[item.code] = ItemAnswer("full")
    return answers


def main() -> None:
    rng = random.Random(7)
    loaded = load_set()
    indicators = loaded.indicators
    units = [
        (f"单位{i:04d}", "区县" if i % 3 else "市级部门", ("关基",) if i % 5 == 0 else ())
        for i in range(UNITS)
    ]
    assessments = [
        Assessment(
            random_answers(rng, indicators, g, t), aggravated={"A2": 1} if i % 50 == 0 else {}
        )
        for i, (_, g, t) in enumerate(units)
    ]

    t0 = time.perf_counter()
    results = [
        score_unit(indicators, g, t, a) for (_, g, t), a in zip(units, assessments, strict=True)
    ]
    rank_within_groups(
        indicators, ((name, g, r) for (name, g, _), r in zip(units, results, strict=True))
    )
    scoring = time.perf_counter() - t0

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        ws = Workspace.create(db)
        ws.new_round("基准", loaded, "bench", "bench")
        ws.add_units([(n, g, None, t) for n, g, t in units], "bench", "bench")
        round_ = ws.round()
        stored_units = ws.units()
        t0 = time.perf_counter()
        for unit, assessment in zip(stored_units, assessments, strict=True):
            ws.record(round_, unit, "inspection", "bench", "bench", items=assessment.answers)
        filling = time.perf_counter() - t0

        timings = []
        unit = stored_units[1]
        for i in range(50):
            answer = ItemAnswer("deduct", (("r1", 1 + i % 2),)) if i % 2 else ItemAnswer("full")
            t1 = time.perf_counter()
            ws.record(round_, unit, "inspection", "bench", "bench", items={"1.1": answer})
            timings.append(time.perf_counter() - t1)

        t0 = time.perf_counter()
        build_overview(ws, round_)
        overview = time.perf_counter() - t0
        ws.close()

        cli = []
        for _ in range(3):
            t1 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "inspector", "status", "--json", "--db", str(db)],
                check=True,
                capture_output=True,
            )
            cli.append(time.perf_counter() - t1)
        cli_table = []
        for _ in range(3):
            t1 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "inspector", "status", "--db", str(db)],
                check=True,
                capture_output=True,
            )
            cli_table.append(time.perf_counter() - t1)

    record = statistics.median(timings)
    print(
        f"score + rank {UNITS} units × 30 items: {scoring * 1000:.0f} ms   (target 500 ms: {scoring / 0.5:.2f}× target)"
    )
    print(f"load + score + rank from the store (build_overview): {overview * 1000:.0f} ms")
    print(
        f"`inspector status --json` on {UNITS} units (median of 3): {statistics.median(cli) * 1000:.0f} ms   (target 1 s: {statistics.median(cli):.2f}× target)"
    )
    print(
        f"`inspector status` table on {UNITS} units (median of 3): {statistics.median(cli_table) * 1000:.0f} ms"
    )
    print(
        f"record one item, one transaction (median of 50): {record * 1000:.2f} ms   (target 20 ms: {record / 0.02:.2f}× target); max {max(timings) * 1000:.2f} ms"
    )
    print(f"(filling {UNITS} units, one transaction each: {filling:.1f} s)")


if __name__ == "__main__":
    main()
