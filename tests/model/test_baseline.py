"""The baseline: the approved plan frozen by day, beside the live plan and the actuals."""

import datetime as dt

import pandas as pd
import pytest

from dyplan.model import build_plan
from dyplan.model.baseline import freeze, versus_baseline

START = dt.date(2026, 1, 1)
FROZEN = dt.date(2025, 12, 20)
# The default inputs: mature (6 %), GMV 12,000,000, all month weights 1, 10 % reserve, ROI 2.5; so the
# allocatable is 6 % × 90 % = 5.4 % of the GMV target: 648,000 a year, P1 (30 days) 648,000 × 30 ÷ 365.


def fen(cny) -> int:
    return round(cny * 100)


def spend_rows(days: int, spend: float, gmv: float) -> pd.DataFrame:
    return pd.DataFrame({"date": [START + dt.timedelta(d) for d in range(days)], "channel": "feed",
                         "spend": spend, "gmv": gmv})  # fmt: skip


@pytest.fixture
def baseline(default_inputs):
    return freeze(build_plan(default_inputs()), FROZEN)


def test_a_raised_target_shows_beside_what_was_promised(default_inputs, baseline):
    raised = build_plan(default_inputs(gmv_target=15_000_000))
    table = versus_baseline(raised, baseline, spend_rows(0, 0, 0)).set_index(["period", "key"])
    p1 = table.loc[("phase", "P1")]
    assert p1["baseline_allocatable"] == pytest.approx(648_000 * 30 / 365, abs=0.011)
    assert p1["plan_allocatable"] == pytest.approx(810_000 * 30 / 365, abs=0.011)  # 5.4 % of 15,000,000
    assert fen(p1["plan_vs_baseline"]) == fen(p1["plan_allocatable"]) - fen(p1["baseline_allocatable"])
    assert p1["baseline_ad_gmv"] == pytest.approx(2.5 * 648_000 * 30 / 365, abs=0.05)
    assert pd.isna(p1["actual_spend"]) and pd.isna(p1["actual_vs_baseline"])
    phases = table.loc["phase"]
    assert fen(phases["baseline_allocatable"].sum()) == 648_000 * 100
    assert fen(phases["plan_allocatable"].sum()) == 810_000 * 100
    assert fen(table.loc["month", "baseline_gmv"].sum()) == 12_000_000 * 100


def test_actuals_are_set_against_the_baseline_per_phase_and_month(default_inputs, baseline):
    plan = build_plan(default_inputs())
    table = versus_baseline(plan, baseline, spend_rows(40, 1_000.0, 2_600.0)).set_index(["period", "key"])
    p1, p2 = table.loc[("phase", "P1")], table.loc[("phase", "P2")]
    assert p1["actual_spend"] == 30_000 and p2["actual_spend"] == 10_000  # 30 days in P1, 10 in P2
    assert fen(p1["actual_vs_baseline"]) == 30_000 * 100 - fen(p1["baseline_allocatable"])
    assert fen(p1["ad_gmv_vs_baseline"]) == 78_000 * 100 - fen(p1["baseline_ad_gmv"])
    jan, feb = table.loc[("month", "2026-01")], table.loc[("month", "2026-02")]
    assert jan["actual_spend"] == 31_000 and feb["actual_spend"] == 9_000
    assert pd.isna(table.loc[("month", "2026-03"), "actual_spend"])


def test_the_baseline_keeps_its_days_as_they_were(default_inputs, baseline):
    assert baseline.frozen_on == FROZEN and "GMV目标 12,000,000.00" in baseline.inputs
    assert len(baseline.daily) == 365
    assert fen(baseline.daily["budget"].sum()) == 720_000 * 100
    assert (
        baseline.daily[["feed", "search", "live"]].sum(axis=1).round(2) == baseline.daily["allocatable"]
    ).all()
