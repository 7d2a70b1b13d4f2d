"""Re-planning the rest of the year, and the Qianchuan settings for the next four weeks."""

import datetime as dt
import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyplan.errors import InputError
from dyplan.model import Assumptions, Channel, build_plan
from dyplan.model.replan import replan_year
from dyplan.model.settings import PLAN_TYPE_CHANNEL, PlanType, qianchuan_settings
from tests.model import reference

START = dt.date(2026, 1, 1)


def actuals(days: int, spend: float, roi: float | None, channel: str = "feed") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": [START + dt.timedelta(days=d) for d in range(days)],
            "channel": channel,
            "spend": spend,
            "gmv": np.nan if roi is None else spend * roi,
        }
    )


def half_fen_up(cny: float) -> int:
    """A typed amount in fen: its decimal digits, half a fen rounded up."""
    return math.floor(reference.decimal(cny) * 100 + Fraction(1, 2))


def fen(values) -> np.ndarray:
    return np.round(np.asarray(values, dtype=float) * 100).astype(np.int64)


@pytest.fixture
def plan(default_inputs):
    return build_plan(
        default_inputs(stage="新店起量", seasonality=(1, 1, 1, 1, 1, 1.5, 1, 1, 1, 1, 1.2, 1.4))
    )


def test_replan_counts_what_was_spent_and_spreads_the_rest_exactly(plan):
    result = replan_year(plan, actuals(100, spend=1_234.56, roi=2.2))
    total = round(plan.totals["allocatable"] * 100)
    spent = 100 * 123_456  # 100 days × 1,234.56
    assert round(result.spent * 100) == spent
    assert round(result.remaining * 100) == total - spent
    days = fen(result.daily["replan"])
    assert (days[:100] == 123_456).all()  # the actuals, not re-planned
    assert int(days[100:].sum()) == total - spent  # the rest, to the fen
    assert int(days.sum()) == total
    channels = fen(result.daily[[c.value for c in Channel]].to_numpy()[100:])
    assert (channels.sum(axis=1) == days[100:]).all()  # each day's channels add up to it
    assert result.daily[[c.value for c in Channel]].iloc[:100].isna().all().all()


def test_replan_follows_the_plans_seasonality_and_phase_mix(plan):
    result = replan_year(plan, actuals(100, spend=1_000, roi=2.5))
    future = result.daily.iloc[100:]
    # June's weight 1.5 against May's 1: its re-planned days are 1.5 times as large (± a fen)
    may, june = (future.loc[future["date"] == dt.date(2026, m, 15), "replan"].item() for m in (5, 6))
    assert june == pytest.approx(may * 1.5, abs=0.02)
    p3 = future[future["phase"] == "P3"]
    shares = p3[["feed", "search", "live"]].sum() / p3["replan"].sum()
    assert shares.tolist() == pytest.approx([0.5333, 0.2667, 0.20], abs=1e-5)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.integers(0, 364), st.floats(0, 20_000), st.none() | st.floats(0, 5e6))
def test_replan_spends_exactly_the_remaining_budget_to_the_fen(plan, days, spend, remaining):
    spend = round(spend, 2)
    result = replan_year(plan, actuals(days, spend=spend, roi=2.0), remaining=remaining)
    total, spent = round(plan.totals["allocatable"] * 100), days * half_fen_up(spend)
    left = max(total - spent, 0) if remaining is None else half_fen_up(remaining)
    assert round(result.remaining * 100) == left
    replanned = fen(result.daily["replan"])
    assert int(replanned[days:].sum()) == left and int(replanned[:days].sum()) == spent
    channels = fen(result.daily[["feed", "search", "live"]].to_numpy()[days:])
    assert (channels.sum(axis=1) == replanned[days:]).all() and (channels >= 0).all()


def test_replan_projection_and_what_is_needed_by_hand(default_inputs):
    """Flat plan, 12,000,000 × 6 % = 720,000 budget, 648,000 allocatable, 1,775.34 a day (± a fen).
    Ad GMV target 648,000 × 2.5 = 1,620,000. Actuals: 73 days × 1,000 at ROI 2.0.
    Spent 73,000 against 73 × 648,000 / 365 = 129,600 planned: pace 73,000 / 129,600.
    Year-end at that pace: 73,000 + pace × (648,000 − 129,600) = 73,000 + 292,000 = 365,000;
    GMV 146,000 + 2 × 292,000 = 730,000. Still needed: 1,620,000 − 146,000 = 1,474,000 of GMV:
    at ROI 2 a budget of 737,000; with the 575,000 left, ROI 1,474,000 / 575,000 = 2.5635."""
    plan = build_plan(default_inputs())
    result = replan_year(plan, actuals(73, spend=1_000, roi=2.0))
    assert result.through == START + dt.timedelta(days=72) and result.through_day == 73
    assert result.gmv_target == pytest.approx(1_620_000)
    # the planned days are rounded to the fen, so 73 of them are 129,600 ± 0.73: the projection
    # moves by up to 0.73 × (1 + 518,400 / 129,600) × pace ≈ 2.1 (and twice that in GMV)
    assert result.pace == pytest.approx(73_000 / 129_600, rel=1e-5)
    assert result.projected_spend == pytest.approx(365_000, abs=2.1)
    assert result.projected_gmv == pytest.approx(730_000, abs=4.2)
    assert result.budget_needed == pytest.approx(737_000)
    assert result.roi_needed == pytest.approx(1_474_000 / 575_000)


def test_replan_without_reported_gmv_leaves_roi_and_gmv_projection_blank(plan):
    result = replan_year(plan, actuals(30, spend=500, roi=None))
    assert result.roi_to_date is None and result.projected_gmv is None and result.budget_needed is None


def test_replan_table_has_plan_actual_and_replan_per_phase_and_month(plan):
    result = replan_year(plan, actuals(45, spend=2_000, roi=2.4))
    table = result.table()
    phases = table[table["period"] == "phase"].set_index("key")
    assert list(phases.index) == ["P1", "P2", "P3", "P4"]
    assert phases.loc["P1", "actual"] == pytest.approx(60_000)  # 30 days × 2,000
    assert phases.loc["P2", "actual"] == pytest.approx(30_000)  # days 31–45
    assert np.isnan(phases.loc["P3", "actual"])  # nothing reported yet: blank, not 0
    assert phases["replan"].sum() == pytest.approx(plan.totals["allocatable"], abs=0.01)
    months = table[table["period"] == "month"]
    assert months["key"].iloc[0] == "2026-01" and len(months) == 12
    assert months["plan"].sum() == pytest.approx(plan.totals["allocatable"], abs=0.01)


def test_qianchuan_settings_daily_budgets_add_up_to_the_replanned_weeks(plan):
    result = replan_year(plan, actuals(100, spend=1_500, roi=2.6))
    found = qianchuan_settings(plan, result)
    assert found.start == START + dt.timedelta(days=100)
    assert len(found.daily) == 28 * 3 and found.weeks["days"].eq(7).all()
    days = result.daily.set_index("date")
    for row in found.weeks.itertuples():
        channel = PLAN_TYPE_CHANNEL[PlanType(row.plan_type)].value
        week = days.loc[row.first : row.last, channel]
        assert round(row.budget * 100) == int(fen(week).sum())
        typed = found.daily[(found.daily["week"] == row.week) & (found.daily["plan_type"] == row.plan_type)]
        assert int(fen(typed["daily_budget"]).sum()) == int(fen(week).sum())
    assert set(found.daily["plan_type_zh"]) == {"直播全域", "商品全域", "搜索"}
    assert found.daily["phase"].iloc[0] == "P3" and found.daily["day"].iloc[0] == 101


def test_qianchuan_settings_roi_goal_is_the_roi_needed_rounded_up(plan):
    result = replan_year(plan, actuals(100, spend=1_500, roi=2.6))
    found = qianchuan_settings(plan, result)
    assert found.wanted_roi == pytest.approx(result.roi_needed)
    assert found.roi_goal >= result.roi_needed and found.roi_goal - result.roi_needed < 0.01
    assert round(found.roi_goal * 100) == found.roi_goal * 100  # two decimals
    assert (found.daily["roi2_goal"] == found.roi_goal).all()


def test_qianchuan_settings_never_go_under_breakeven(default_inputs):
    """30 % margin, 10 % refunds: break-even 1 / 0.27 = 3.7037 → the goal 3.71, not the 2.5 wanted."""
    plan = build_plan(default_inputs(assumptions=Assumptions(gross_margin=0.3, refund_rate=0.1)))
    found = qianchuan_settings(plan, replan_year(plan, actuals(20, spend=1_000, roi=None)), roi_goal=2.5)
    assert found.raised_to_breakeven and found.roi_goal == pytest.approx(3.71)
    assert (found.daily["roi2_goal"] >= found.breakeven_roi).all()


def test_qianchuan_settings_stop_at_the_plans_last_day(plan):
    result = replan_year(plan, actuals(350, spend=1_000, roi=2.5))
    found = qianchuan_settings(plan, result)
    assert found.daily["day"].max() == 365 and len(found.daily) == 15 * 3  # days 351–365
    assert found.weeks["days"].tolist() == [7] * 3 + [7] * 3 + [1] * 3


def test_qianchuan_settings_refuse_a_start_the_actuals_cover(plan):
    result = replan_year(plan, actuals(60, spend=1_000, roi=2.5))
    with pytest.raises(InputError) as caught:
        qianchuan_settings(plan, result, start=START + dt.timedelta(days=10))
    [problem] = caught.value.problems
    assert problem.field == "settings_start" and "2026-03-02" in problem.en


def test_replan_once_the_plan_is_over_leaves_nothing_to_spread_or_set(plan):
    result = replan_year(plan, actuals(400, spend=100, roi=2.5))  # 400 days of actuals: past day 365
    assert result.through_day == 365 and result.remaining == 0
    assert result.roi_needed is None  # a gap is left and no day to close it
    assert result.daily["replan"].sum() == pytest.approx(36_500)  # 365 days × 100, the actuals only
    with pytest.raises(InputError, match="every day of the plan"):
        qianchuan_settings(plan, result)
