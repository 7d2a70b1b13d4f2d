"""Invariants of every plan, for any valid inputs (hypothesis)."""

import datetime as dt
import math
from collections import Counter
from fractions import Fraction

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyplan.model import Assumptions, Phase, PlanInputs, build_plan
from tests.model import reference

CHANNELS = ["feed", "search", "live"]
PURPOSES = ["cold_start", "core", "optimisation"]
MONEY = ["gmv", "budget", "reserve", "allocatable", *CHANNELS, *PURPOSES]


def fen(values) -> np.ndarray:
    return np.round(np.asarray(values, dtype=float) * 100).astype(np.int64)


@st.composite
def shares(draw, n=3):
    """n shares in basis points that add up to exactly 100 %."""
    cuts = sorted(draw(st.lists(st.integers(0, 10_000), min_size=n - 1, max_size=n - 1)))
    points = np.diff([0, *cuts, 10_000])
    return tuple(float(p) / 10_000 for p in points)


@st.composite
def plan_inputs(draw):
    subphases = tuple(tuple(draw(st.integers(1, 40)) for _ in range(3)) for _ in range(3))
    assumptions = Assumptions(
        ratio_launch=draw(st.floats(0, 0.3)),
        ratio_mature=draw(st.floats(0, 0.3)),
        reserve_share=draw(st.floats(0, 1)),
        purpose_split=draw(shares()),
        channel_mix={p: draw(shares()) for p in Phase},
        subphase_days=subphases,
        p4_checkpoint_interval_days=draw(st.integers(1, 200)),
    )
    return PlanInputs(
        category=draw(st.sampled_from(["美妆", "服饰", "食品", "家居", "3C", "汽车", "其他"])),
        stage=draw(st.sampled_from(["新店起量", "成熟经营"])),
        gmv_target=draw(st.floats(0.01, 1e11)),
        start_date=draw(st.dates(dt.date(2020, 1, 1), dt.date(2040, 12, 31))),
        baseline_aov=draw(st.floats(0.01, 1e5)),
        headcount=draw(st.integers(1, 500)),
        seasonality=tuple(draw(st.lists(st.floats(0, 10), min_size=12, max_size=12).filter(any))),
        assumptions=assumptions,
    )


fast = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@fast
@given(plan_inputs())
def test_plan_money_adds_up_to_the_fen_days_phases_total(inputs):
    plan = build_plan(inputs)
    days = pd.DataFrame({c: fen(plan.daily[c]) for c in MONEY}).assign(phase=plan.daily["phase"])
    phases = pd.DataFrame({c: fen(plan.phases[c]) for c in MONEY}, index=plan.phases["phase"])
    assert (days[MONEY] >= 0).all().all()
    # days → phases → total, exactly
    pd.testing.assert_frame_equal(days.groupby("phase")[MONEY].sum(), phases, check_names=False)
    assert {c: int(fen(plan.totals[c])) for c in MONEY} == phases.sum().to_dict()
    # within every day: reserve + allocatable = budget; channels and purposes = allocatable
    assert (days["reserve"] + days["allocatable"] == days["budget"]).all()
    assert (days[["feed", "search", "live"]].sum(axis=1) == days["allocatable"]).all()
    assert (days[["cold_start", "core", "optimisation"]].sum(axis=1) == days["allocatable"]).all()
    # GMV: exactly the target, to the fen
    assert int(days["gmv"].sum()) == round(inputs.gmv_target * 100)


def half_fen_up(cny: Fraction) -> int:
    """A non-negative exact amount in fen, half a fen rounded up."""
    return math.floor(cny * 100 + Fraction(1, 2))


@fast
@given(plan_inputs())
def test_plan_totals_match_independent_formula(inputs):
    """Σ_d ratio(phase_d) × G × w(month_d) / Σ w in Fractions of the typed decimals."""
    plan = build_plan(inputs)
    a = inputs.assumptions
    p1_to_p3 = sum(sum(p) for p in a.subphase_days)
    # Days counted by (month, ratio) keep the Fraction sums short.
    days = Counter(
        (
            (inputs.start_date + dt.timedelta(days=day - 1)).month,
            a.ratio_launch if inputs.stage.value == "launch" and day <= p1_to_p3 else a.ratio_mature,
        )
        for day in range(1, 366)
    )
    weight = {month: Fraction(str(inputs.seasonality[month - 1])) for month in range(1, 13)}
    total_weight = sum(n * weight[month] for (month, _), n in days.items())
    exact = sum(
        n * Fraction(str(ratio)) * Fraction(str(inputs.gmv_target)) * weight[month] / total_weight
        for (month, ratio), n in days.items()
    )
    assert fen(plan.totals["budget"]) == half_fen_up(exact)
    reserve_exact = Fraction(int(fen(plan.totals["budget"])), 100) * Fraction(str(a.reserve_share))
    assert fen(plan.totals["reserve"]) == half_fen_up(reserve_exact)


@fast
@given(plan_inputs())
def test_plan_channels_and_purposes_within_a_fen_of_their_shares(inputs):
    """Phase amounts are the largest-remainder split of the phase's allocatable; each day's
    cells are their exact share rounded down or up. With three shares a largest-remainder
    amount is within 2/3 fen of exact, so a year total (four phases) is within 8/3 fen."""
    plan = build_plan(inputs)
    a = inputs.assumptions
    for columns, shares in (
        (CHANNELS, {p.value: a.channel_mix[p] for p in Phase}),
        (PURPOSES, {p.value: a.purpose_split for p in Phase}),
    ):
        year_exact = [Fraction(0)] * 3
        for phase, allocatable in zip(plan.phases["phase"], fen(plan.phases["allocatable"]), strict=True):
            days = plan.daily["phase"] == phase
            exact_days = reference.exact_table(
                fen(plan.daily.loc[days, "allocatable"]).tolist(), shares[phase]
            )
            cells = np.column_stack([fen(plan.daily.loc[days, c]) for c in columns])
            pairs = (zip(row, xs, strict=True) for row, xs in zip(cells, exact_days, strict=True))
            assert all(abs(int(c) - x) < 1 for row in pairs for c, x in row)
            expected = reference.largest_remainder(int(allocatable), list(shares[phase]))
            assert cells.sum(axis=0).tolist() == expected
            exact = reference.exact_table([int(allocatable)], shares[phase])[0]
            year_exact = [y + x for y, x in zip(year_exact, exact, strict=True)]
        for column, exact in zip(columns, year_exact, strict=True):
            assert abs(int(fen(plan.totals[column])) - exact) <= Fraction(8, 3)


@fast
@given(plan_inputs())
def test_plan_every_day_in_exactly_one_phase_and_subphase(inputs):
    plan = build_plan(inputs)
    assert plan.daily["day"].tolist() == list(range(1, 366))
    sub = plan.subphases
    covered = np.concatenate(
        [np.arange(s, e + 1) for s, e in zip(sub["start_day"], sub["end_day"], strict=True)]
    )
    assert sorted(covered.tolist()) == list(range(1, 366))
    assert plan.phases["days"].sum() == 365
    assert plan.channel_mix[["feed", "search", "live"]].sum(axis=1).sub(1).abs().max() <= 1e-4
    assert plan.checkpoints.groupby("phase").size().min() >= 5
    assert plan.team["headcount"].sum() == inputs.headcount


@fast
@given(plan_inputs())
def test_plan_is_deterministic(inputs):
    first, second = build_plan(inputs), build_plan(inputs)
    pd.testing.assert_frame_equal(first.daily, second.daily)
    pd.testing.assert_frame_equal(first.checkpoints, second.checkpoints)
    assert first.totals == second.totals


@fast
@given(plan_inputs(), st.integers(2, 10))
def test_plan_budget_scales_with_gmv(inputs, factor):
    from dataclasses import replace

    scaled = build_plan(replace(inputs, gmv_target=inputs.gmv_target * factor))
    base = build_plan(inputs)
    # Each total is within half a fen of exact, so the scaled one is within (factor+1)/2 fen.
    assert (
        abs(scaled.totals["budget"] - factor * base.totals["budget"])
        <= (factor + 1) * 0.005 + 1e-6 * scaled.totals["budget"]
    )
