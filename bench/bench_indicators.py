"""Loading and validating the default indicator set. Target: well under 100 ms.

python bench/bench_indicators.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def main() -> None:
    started = time.perf_counter()
    from inspector.core.indicators import default_set_path, load_set

    imported = time.perf_counter() - started
    path = default_set_path()
    runs = []
    for _ in range(30):
        t0 = time.perf_counter()
        load_set(path)
        runs.append(time.perf_counter() - t0)
    code = "import time; t=time.perf_counter(); from inspector.core.indicators import load_set; load_set(); print(time.perf_counter()-t)"
    cold = [float(subprocess.check_output([sys.executable, "-c", code])) for _ in range(5)]
    cli = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "inspector", "indicators", "validate", str(path)],
            check=True,
            capture_output=True,
        )
        cli.append(time.perf_counter() - t0)
    print(
        f"load + validate default set (warm, median of 30): {statistics.median(runs) * 1000:.1f} ms"
    )
    print(f"import of the indicator modules (this process):   {imported * 1000:.1f} ms")
    print(
        f"import + load + validate in a fresh process (median of 5): {statistics.median(cold) * 1000:.1f} ms"
    )
    print(
        f"`inspector indicators validate` whole command (median of 5): {statistics.median(cli) * 1000:.1f} ms"
    )
    print(f"target 100 ms; warm load is {statistics.median(runs) / 0.1:.2f}× the target")


if __name__ == "__main__":
    main()
