"""Why the plan was missed: the ad GMV gap split into spend, CPM, CTR, CVR and AOV effects."""

import datetime as dt
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyplan.model import build_plan
from dyplan.model.gap import effects_in_fen, explain_gap

START = dt.date(2026, 1, 1)
FACTOR_KEYS = ("spend", "cpm", "ctr", "cvr", "aov")
# The plan's ad funnel for the default inputs (美妆): CTR benchmark 1.5 %, target CVR 1.5 %, baseline
# AOV 120, target ROI 2.5, so its CPM is 1000 × 0.015 × 0.015 × 120 ÷ 2.5 = 10.8.
PLAN_CTR, PLAN_CVR, PLAN_AOV, PLAN_ROI = 0.015, 0.015, 120.0, 2.5
PLAN_CPM = 10.8


@pytest.fixture
def plan(default_inputs):
    return build_plan(default_inputs())


def funnel_rows(dates, spend, cpm, ctr, cvr, aov, channel="feed") -> pd.DataFrame:
    """Report rows with the counts a funnel of these rates gives for each day's spend."""
    spend = np.broadcast_to(np.asarray(spend, dtype=float), (len(dates),))
    impressions = spend * 1000 / cpm
    clicks = impressions * ctr
    orders = clicks * cvr
    return pd.DataFrame({"date": dates, "channel": channel, "kind": "千川", "spend": spend,
                         "impressions": impressions, "clicks": clicks, "conversions": orders,
                         "orders": orders, "gmv": orders * aov})  # fmt: skip


def lmdi(g1: float, g0: float, ratio: float) -> float:
    """One factor's LMDI-I effect, written out: L(g1, g0) · ln(ratio)."""
    weight = (g1 - g0) / (math.log(g1) - math.log(g0))
    return weight * math.log(ratio)


def fen(cny: float) -> int:
    return round(cny * 100)


def planned_fen(plan, dates) -> int:
    """The plan's allocatable over ``dates``, in fen (each day is a whole number of fen)."""
    return sum(round(plan.daily.set_index("date").loc[d, "allocatable"] * 100) for d in dates)


def at_plan_roi(spend_fen: int) -> int:
    """Spend × 2.5 in fen, half a fen away from zero."""
    return math.floor(Fraction(spend_fen) * Fraction(5, 2) + Fraction(1, 2))


def days_of(n: int, first: dt.date = START) -> list[dt.date]:
    return [first + dt.timedelta(days=d) for d in range(n)]


def test_each_factor_gets_its_log_mean_share_of_the_gap(plan):
    dates = days_of(10)  # the first ten days, all in P1
    planned_spend = planned_fen(plan, dates) / 100
    actual_spend = 1.1 * planned_spend
    rows = funnel_rows(dates, actual_spend / 10, PLAN_CPM * 1.2, PLAN_CTR * 0.9, PLAN_CVR, PLAN_AOV * 1.05)
    g0 = planned_spend * PLAN_ROI
    g1 = actual_spend * 1000 / (PLAN_CPM * 1.2) * PLAN_CTR * 0.9 * PLAN_CVR * PLAN_AOV * 1.05

    p1 = explain_gap(plan, rows).set_index(["period", "key"]).loc[("phase", "P1")]

    assert p1["days"] == 10
    assert fen(p1["plan_gmv"]) == at_plan_roi(planned_fen(plan, dates)) and fen(p1["actual_gmv"]) == fen(g1)
    assert p1["plan_cpm"] == pytest.approx(PLAN_CPM)
    expected = {"spend": lmdi(g1, g0, 1.1), "cpm": lmdi(g1, g0, 1 / 1.2), "ctr": lmdi(g1, g0, 0.9),
                "cvr": 0.0, "aov": lmdi(g1, g0, 1.05)}  # fmt: skip
    for key, value in expected.items():
        assert p1[key] == pytest.approx(value, abs=0.011)  # rounded to the fen
    gap = fen(g1) - at_plan_roi(planned_fen(plan, dates))
    assert sum(fen(p1[k]) for k in FACTOR_KEYS) == gap == fen(p1["gap"])
    assert p1["reason"] == ""


def test_spend_alone_explains_a_gap_when_every_rate_is_the_plans(plan):
    dates = days_of(5)
    rows = funnel_rows(dates, 800.0, PLAN_CPM, PLAN_CTR, PLAN_CVR, PLAN_AOV)
    p1 = explain_gap(plan, rows).set_index(["period", "key"]).loc[("phase", "P1")]
    assert fen(p1["spend"]) == 4000 * 250 - at_plan_roi(planned_fen(plan, dates)) == fen(p1["gap"])
    assert all(p1[k] == 0 for k in ("cpm", "ctr", "cvr", "aov"))


def test_months_and_phases_each_cover_their_own_days(plan):
    dates = days_of(40, dt.date(2026, 1, 20))  # Jan 20 – Feb 28: two months
    rows = funnel_rows(dates, 500.0, 12.0, 0.02, 0.01, 100.0)
    table = explain_gap(plan, rows)
    months = table[table["period"] == "month"].set_index("key")
    assert months.loc["2026-01", "days"] == 12 and months.loc["2026-02", "days"] == 28
    phases = table[table["period"] == "phase"]
    assert phases["days"].sum() == 40
    # a month's actual GMV is the GMV of its rows: 500 × 1000 ÷ 12 × 0.02 × 0.01 × 100 a day
    assert fen(months.loc["2026-02", "actual_gmv"]) == fen(28 * 500 * 1000 / 12 * 0.02 * 0.01 * 100)


def test_rows_without_every_count_are_left_out_and_a_zero_count_is_not_split(plan):
    dates = days_of(3)
    full = funnel_rows(dates, 1000.0, PLAN_CPM, PLAN_CTR, PLAN_CVR, PLAN_AOV)
    no_impressions = full.assign(impressions=np.nan, kind="罗盘·商品", spend=9e9)
    split = explain_gap(plan, pd.concat([full, no_impressions])).set_index(["period", "key"])
    assert fen(split.loc[("phase", "P1"), "actual_gmv"]) == fen(3000 * PLAN_ROI)  # the 9e9 left out

    zero_orders = full.assign(orders=0.0, gmv=0.0)
    p1 = explain_gap(plan, zero_orders).set_index(["period", "key"]).loc[("phase", "P1")]
    assert "orders" in p1["reason"] and "gmv" in p1["reason"]
    assert all(pd.isna(p1[k]) for k in FACTOR_KEYS)
    assert fen(p1["gap"]) == -fen(p1["plan_gmv"])  # the gap itself is still shown


def test_no_actuals_no_rows_and_days_outside_the_plan_are_left_out(plan):
    assert explain_gap(plan, pd.DataFrame()).empty
    before = funnel_rows(days_of(5, dt.date(2025, 12, 1)), 1000.0, 10.0, 0.02, 0.02, 100.0)
    assert explain_gap(plan, before).empty


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    days=st.integers(1, 60),
    first=st.integers(0, 300),
    spend=st.floats(0.01, 1e6),  # a day's spend of a channel
    cpm=st.floats(1, 300),
    ctr=st.floats(1e-4, 0.2),
    cvr=st.floats(1e-4, 0.3),
    aov=st.floats(1, 5e3),
    channels=st.integers(1, 3),
)
def test_the_effects_add_up_to_the_gap_to_the_fen(plan, days, first, spend, cpm, ctr, cvr, aov, channels):
    dates = days_of(days, START + dt.timedelta(days=first))
    rows = pd.concat([funnel_rows(dates, spend * (1 + i), cpm * (1 + i / 3), ctr, cvr, aov, channel=ch)
                      for i, ch in enumerate(("feed", "search", "live")[:channels])])  # fmt: skip
    for _, row in explain_gap(plan, rows).iterrows():
        gap = fen(row["actual_gmv"]) - fen(row["plan_gmv"])
        assert sum(fen(row[k]) for k in FACTOR_KEYS) == fen(row["gap"]) == gap


def test_fen_left_over_go_to_the_largest_remainders_and_ties_to_the_earlier_factor():
    # 500.4 + 500.4 fen = 1000.8 → 500 + 500 and one fen left over for a gap of 1,001: the tie goes first
    assert effects_in_fen(1001, {"spend": 5.004, "cpm": 5.004}) == {"spend": 501, "cpm": 500}
    assert effects_in_fen(1001, {"spend": 5.003, "cpm": 5.007}) == {"spend": 500, "cpm": 501}
    assert effects_in_fen(-1001, {"spend": -5.004, "cpm": -5.006}) == {"spend": -500, "cpm": -501}
