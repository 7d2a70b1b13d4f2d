"""How fast is build_plan? One plan (median of repeats) and 1,000 plans with varied inputs.

Run: python benchmarks/bench_engine.py
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time

from dyplan.model import PlanInputs, build_plan
from dyplan.model.terms import Category, Stage


def varied_inputs(count: int, seed: int = 7) -> list[PlanInputs]:
    rng = random.Random(seed)
    return [
        PlanInputs(
            category=rng.choice(list(Category)),
            stage=rng.choice(list(Stage)),
            gmv_target=rng.uniform(1e5, 1e10),
            start_date=dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(1500)),
            baseline_aov=rng.uniform(10, 2000),
            headcount=rng.randint(1, 200),
            seasonality=tuple(rng.uniform(0, 3) for _ in range(12)),
        )
        for _ in range(count)
    ]


def main() -> None:
    one = varied_inputs(1)[0]
    build_plan(one)  # warm imports and caches
    repeats = []
    for _ in range(200):
        started = time.perf_counter()
        build_plan(one)
        repeats.append(time.perf_counter() - started)
    many = varied_inputs(1000)
    started = time.perf_counter()
    for inputs in many:
        build_plan(inputs)
    batch = time.perf_counter() - started
    print(f"one plan: median {statistics.median(repeats) * 1e3:.2f} ms, "
          f"p95 {sorted(repeats)[189] * 1e3:.2f} ms (200 repeats)")  # fmt: skip
    print(f"1,000 varied plans: {batch:.2f} s ({batch:.2f} ms per plan)")


if __name__ == "__main__":
    main()
