"""How much do the Excel front doors add? Worksheet functions against the engine calls they wrap,
and the ribbon's regenerate macro against the stand-in for Excel (tests/excel/standin.py).

The stand-in answers at Python speed; real Excel adds roughly a millisecond per range call
through COM, so the number of range calls printed here is what matters there.

Run from the project folder (it borrows the stand-in from tests/): python -m benchmarks.bench_excel
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import xlwings as xw
from tests.excel import standin

from dyplan import operations
from dyplan.demo import demo_inputs
from dyplan.excel import macros, udfs
from dyplan.model import Assumptions, Phase, PlanInputs
from dyplan.model.budget import allocate_money
from dyplan.model.calendar import build_timeline
from dyplan.model.checkpoints import checkpoint_status
from dyplan.model.risk import composite_index, risk_level, score_indicator
from dyplan.model.rounding import largest_remainder, to_fen
from dyplan.model.seed import DEFAULT_CHANNEL_MIX

TODAY = dt.date.today()
SCORES = [float(s) for s in range(0, 75, 5)]  # 15 indicators
INPUTS = PlanInputs(category="其他", stage="成熟经营", gmv_target=50e6, start_date=dt.date(2027, 1, 1),
                    baseline_aov=1.0, headcount=1)  # fmt: skip

#: (label, the worksheet function call, the engine call it wraps)
PAIRS: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
    ("DY_RISK_SCORE", lambda: udfs.DY_RISK_SCORE(0.2, 0.0, 0.15, 0.3),
     lambda: score_indicator(0.2, 0.0, 0.15, 0.3)),
    ("DY_RISK_INDEX (15 scores)", lambda: udfs.DY_RISK_INDEX([[s] for s in SCORES]),
     lambda: composite_index(SCORES, [1.0] * 15)),
    ("DY_RISK_LEVEL", lambda: udfs.DY_RISK_LEVEL(55.0),
     lambda: risk_level(55.0, Assumptions().level_cuts).zh),
    ("DY_CHECKPOINT_STATUS", lambda: udfs.DY_CHECKPOINT_STATUS(2.3, 2.5, "≥"),
     lambda: checkpoint_status(2.3, 2.5, True, 0.15, TODAY, TODAY).zh),
    ("DY_CHANNEL_SPLIT", lambda: udfs.DY_CHANNEL_SPLIT(1000.0, "P1"),
     lambda: (largest_remainder(to_fen(1000.0), DEFAULT_CHANNEL_MIX[Phase.P1]) / 100).tolist()),
    ("DY_PHASE_BUDGET (cached)", lambda: udfs.DY_PHASE_BUDGET(50e6, "成熟经营", "P2"),
     lambda: allocate_money(INPUTS, build_timeline(INPUTS.start_date, Assumptions().subphase_days, 30))),
]  # fmt: skip


def per_call_us(call: Callable[[], object], number: int) -> float:
    """Median over 7 runs of ``number`` calls, in microseconds per call."""
    return statistics.median(timeit.repeat(call, number=number, repeat=7)) / number * 1e6


def bench_udfs() -> None:
    print(f"{'worksheet function':28} {'UDF µs':>9} {'engine µs':>10} {'overhead µs':>12}")
    for label, udf, engine in PAIRS:
        number = 20 if "PHASE" in label else 2000
        udf_us, engine_us = per_call_us(udf, number), per_call_us(engine, number)
        print(f"{label:28} {udf_us:9.1f} {engine_us:10.1f} {udf_us - engine_us:12.1f}")
    cold = per_call_us(
        lambda: (udfs._phase_budgets.cache_clear(), udfs.DY_PHASE_BUDGET(50e6, "成熟经营", "P2")), 20
    )
    print(f"{'DY_PHASE_BUDGET (uncached)':28} {cold:9.1f}")


def bench_regenerate_macro(repeats: int = 10) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "规划.xlsm"
        operations.new_workbook(path, demo_inputs())
        started = time.perf_counter()
        book = standin.load(path)
        loaded = time.perf_counter() - started
        times = []
        with mock.patch.object(xw.Book, "caller", staticmethod(lambda: book)):
            for _ in range(repeats):
                book.calls = standin.Calls()
                started = time.perf_counter()
                macros.regenerate()
                times.append(time.perf_counter() - started)
        cli = []
        for _ in range(3):
            started = time.perf_counter()
            operations.regenerate_file(path)
            cli.append(time.perf_counter() - started)
    macro_ms, cli_ms = statistics.median(times) * 1e3, statistics.median(cli) * 1e3
    calls = f"{book.calls.reads} range reads, {book.calls.writes} range writes"
    print(f"\nregenerate macro via the stand-in: median {macro_ms:.0f} ms ({repeats} runs; {calls} per run)")
    print(f"  (loading the stand-in from the file: {loaded * 1e3:.0f} ms, not counted)")
    print(f"regenerate of the same .xlsm by the CLI (open, write, save): median {cli_ms:.0f} ms")


def main() -> None:
    bench_udfs()
    bench_regenerate_macro()


if __name__ == "__main__":
    main()
