"""How fast are the optimiser (per phase) and the curve fit (per channel), next to scipy's brute force?

The optimiser splits one phase's daily budget over three channels for the most GMV; the fit finds
V, K and a for one channel's daily actuals. Each is timed against ``scipy.optimize.brute`` on the
same curves and data, measured in the same run: a grid over the first two channels' spends (the
third takes what is left; out of bounds scores nothing) for the split, a grid over (V, K, a) for
the fit. Every measurement is repeated (``--repeat``) and the median is reported with the fastest
and slowest run, because a shared machine's timings scatter; beside each, the ratio to the brute
force's time and how much GMV (or squared error) the brute force's best point gives up. These are
reports, not timed assertions: the targets are 20 ms per phase and 50 ms per channel.

Run: PYTHONPATH=addin python benchmarks/bench_optimiser.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable

import numpy as np
import pandas as pd
from scipy.optimize import brute

from dyplan.model import (
    Assumptions,
    Channel,
    Curve,
    Mode,
    PlanInputs,
    best_split,
    build_plan,
    fit_curve,
    optimise,
)

TARGET_PHASE_MS = 20.0
TARGET_FIT_MS = 50.0
GRID = 120  # points per axis of the split's brute force: 120² = 14,400 splits
FIT_GRID = 16  # points per axis of the fit's brute force: 16³ = 4,096 curves
CURVE_SETS = {
    "concave": [Curve(9_000, 3_000, 1.0), Curve(4_000, 1_000, 0.8), Curve(2_500, 600, 1.0)],
    "S-shaped": [Curve(9_000, 3_000, 1.6), Curve(4_000, 1_000, 2.2), Curve(2_500, 600, 1.0)],
}
BUDGET, LOW, HIGH = 6_000.0, [1_500.0, 600.0, 0.0], [4_500.0, 3_000.0, 1_500.0]


def timed(run: Callable[[], object], repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return times, result


def brute_split(curves: list[Curve]) -> tuple[np.ndarray, float]:
    def negative_gmv(x: np.ndarray) -> float:
        spend = [x[0], x[1], BUDGET - x[0] - x[1]]
        if not LOW[2] <= spend[2] <= HIGH[2]:
            return 0.0
        return -sum(c.gmv(s) for c, s in zip(curves, spend, strict=True))

    ranges = ((LOW[0], HIGH[0]), (LOW[1], HIGH[1]))
    x, value, *_ = brute(negative_gmv, ranges, Ns=GRID, full_output=True, finish=None)
    return x, -value


def synthetic_days(truth: Curve, days: int = 90, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    spend = rng.uniform(0.2, 3.5, days) * truth.half_saturation
    return pd.DataFrame({
        "date": [dt.date(2026, 1, 1) + dt.timedelta(days=d) for d in range(days)],
        "spend": spend, "gmv": np.asarray(truth.gmv(spend)) * rng.lognormal(0, 0.05, days),
    })  # fmt: skip


def brute_fit(days: pd.DataFrame) -> tuple[np.ndarray, float]:
    spend, gmv = days["spend"].to_numpy(), days["gmv"].to_numpy()

    def sse(p: np.ndarray) -> float:
        x = (spend / p[1]) ** p[2]
        return float(((gmv - p[0] * x / (1 + x)) ** 2).sum())

    top_s, top_g = spend.max(), gmv.max()
    ranges = ((top_g * 0.5, top_g * 4), (top_s * 0.05, top_s * 3), (0.3, 3.0))
    p, value, *_ = brute(sse, ranges, Ns=FIT_GRID, full_output=True, finish=None)
    return p, value


def line(label: str, ours: list[float], floor: list[float], target_ms: float, note: str) -> None:
    median, base = statistics.median(ours) * 1e3, statistics.median(floor) * 1e3
    verdict = "meets" if median < target_ms else "MISSES"
    print(f"{label:30} {median:7.2f}ms {min(ours) * 1e3:7.2f}ms {max(ours) * 1e3:7.2f}ms"
          f" {base:9.1f}ms {median / base:7.3f}×  {verdict} {target_ms:.0f} ms; {note}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    best_split(CURVE_SETS["concave"], BUDGET, LOW, HIGH)  # warm: scipy is imported on first use
    header = f"{'median':>9} {'fastest':>9} {'slowest':>9} {'brute':>11} {'ratio':>8}"
    print(f"{'':30} {header}  ({args.repeat} runs)")
    for name, curves in CURVE_SETS.items():
        ours, split = timed(lambda curves=curves: best_split(curves, BUDGET, LOW, HIGH), args.repeat)
        floor, (_, grid_gmv) = timed(lambda curves=curves: brute_split(curves), max(3, args.repeat // 5))
        gap = (split.gmv - grid_gmv) / split.gmv
        line(f"split one phase ({name})", ours, floor, TARGET_PHASE_MS,
             f"brute's best {gap:.4%} less GMV, spread {split.spread:.1e}")  # fmt: skip

    # an 80 % margin puts break-even at 1.39, under the target ROI both curve sets can reach
    plan = build_plan(PlanInputs(category="美妆", stage="新店起量", gmv_target=50_000_000,
                                 start_date=dt.date(2026, 1, 1), baseline_aov=120, headcount=10,
                                 assumptions=Assumptions(gross_margin=0.8)))  # fmt: skip
    for name, curve_set in CURVE_SETS.items():
        curves = dict(zip(Channel, curve_set, strict=True))
        for mode in Mode:
            target = {Mode.BUDGET: None, Mode.ROI: 1.6, Mode.GMV: 3_000_000}[mode]

            def run(curves=curves, mode=mode, target=target) -> object:
                return optimise(plan, curves, mode, target)

            runs, _ = timed(run, args.repeat)
            per_phase = statistics.median(runs) / 4 * 1e3
            verdict = "meets" if per_phase < TARGET_PHASE_MS else "MISSES"
            label = f"optimise plan, {mode.value} ({name})"
            print(f"{label:30} {statistics.median(runs) * 1e3:7.2f}ms for 4 phases,"
                  f" {per_phase:.2f} ms per phase ({verdict} {TARGET_PHASE_MS:.0f} ms)")  # fmt: skip

    for name, truth in (("concave", Curve(50_000, 8_000, 1.0)), ("S-shaped", Curve(50_000, 8_000, 1.8))):
        days = synthetic_days(truth)
        ours, fit = timed(lambda days=days: fit_curve(days), args.repeat)
        floor, (_, grid_sse) = timed(lambda days=days: brute_fit(days), max(3, args.repeat // 5))
        ours_sse = float(((days["gmv"] - fit.data["fitted"]) ** 2).sum())
        note = f"R² {fit.r_squared:.3f}; brute's best has {grid_sse / ours_sse:.2f}× the squared error"
        line(f"fit one channel ({name}, 90 d)", ours, floor, TARGET_FIT_MS, note)


if __name__ == "__main__":
    main()
