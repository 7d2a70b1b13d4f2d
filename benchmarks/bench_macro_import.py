"""How long does a ribbon click wait for Python's imports, next to the floor of xlwings itself?

Each RunPython click starts a new Python that runs ``import dyplan.excel.macros`` and then the
macro, so the module's import time is paid on every click. Each measurement is a fresh process
(``python -c "import …"``) timed from start to exit; every one is repeated (``--repeat``) and
the median is reported with the fastest and slowest run, because a shared machine's timings
scatter. The floor is ``python -c "import xlwings"``, measured in the same run: RunPython
cannot do with less. Beside the module alone, the imports each macro then makes when it runs
(regenerate's, import_report's) are timed too, since those are paid by that click as well.

Run: PYTHONPATH=addin python benchmarks/bench_macro_import.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ADDIN = Path(__file__).resolve().parents[1] / "addin"
TARGETS = {
    "python (startup only)": "pass",
    "import xlwings (floor)": "import xlwings",
    "import dyplan.excel.macros": "import dyplan.excel.macros",
    "+ what regenerate imports": "import dyplan.excel.macros, dyplan.book.workbook, dyplan.book.formulas, "
    "dyplan.excel.live",
    "+ what import_report imports": "import dyplan.excel.macros, dyplan.book.workbook, dyplan.book.formulas, "
    "dyplan.excel.live, dyplan.reports.reader, dyplan.reports.summary",
}


def once(code: str) -> float:
    """Seconds a fresh Python takes to run ``code`` and exit."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ADDIN), os.environ.get("PYTHONPATH")])),
    }
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    for code in TARGETS.values():  # warm the file cache and the .pyc files first
        once(code)
    times: dict[str, list[float]] = {name: [] for name in TARGETS}
    for _ in range(args.repeat):  # interleaved, so a busy moment falls on every target alike
        for name, code in TARGETS.items():
            times[name].append(once(code))
    floor = statistics.median(times["import xlwings (floor)"])
    print(f"{'':32} {'median':>8} {'fastest':>8} {'slowest':>8} {'vs floor':>9}  ({args.repeat} runs each)")
    for name, runs in times.items():
        median = statistics.median(runs)
        print(
            f"{name:32} {median * 1e3:6.0f}ms {min(runs) * 1e3:6.0f}ms {max(runs) * 1e3:6.0f}ms"
            f" {(median - floor) * 1e3:+7.0f}ms"
        )


if __name__ == "__main__":
    main()
