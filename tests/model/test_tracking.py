"""Plan against reality: pacing, rates from counts, checkpoint windows, derived risk indicators."""

import datetime as dt

import pandas as pd
import pytest

from dyplan.model import build_plan
from dyplan.model.tracking import daily_totals, derive_indicators, forecast_index, track

START = dt.date(2026, 1, 1)  # the default_inputs plan starts here; flat seasonality


def checkpoint_row(plan, metric: str, day: int) -> int:
    rows = plan.checkpoints
    return rows.index[(rows["metric"] == metric) & (rows["day"] == day)][0]


def daily(days: int, **per_day) -> pd.DataFrame:
    """One feed row per day from START with the given counts (callables get the day index)."""
    rows = []
    for i in range(days):
        row = {"date": START + dt.timedelta(days=i), "channel": "feed"}
        for name in ("spend", "impressions", "clicks", "conversions", "gmv", "orders"):
            value = per_day.get(name, 0)
            row[name] = float(value(i) if callable(value) else value)
        rows.append(row)
    return pd.DataFrame(rows)


def test_tracking_rates_are_ratios_of_sums_not_averages(default_inputs):
    plan = build_plan(default_inputs())
    # Day 1: 10 clicks / 1,000 impressions (1 %); day 2: 90 / 3,000 (3 %).
    # Average of rates 2 %; ratio of sums 100 / 4,000 = 2.5 %.
    actual = daily(2, impressions=lambda i: (1000, 3000)[i], clicks=lambda i: (10, 90)[i], spend=100)
    p1 = track(plan, actual).phases.iloc[0]
    assert p1["ctr"] == pytest.approx(0.025)
    assert p1["cpc"] == pytest.approx(200 / 100)  # 200 spend / 100 clicks


def test_tracking_pacing_compares_with_the_plan_to_date(default_inputs):
    plan = build_plan(default_inputs(gmv_target=36_500_000))
    # Mature 6 %, flat: budget 6 % × 36,500,000 / 365 = 6,000 a day; allocatable 90 % = 5,400.
    actual = daily(10, spend=5_940)  # 10 % over plan
    p1 = track(plan, actual).phases.iloc[0]
    assert p1["plan_to_date"] == pytest.approx(54_000)
    assert p1["spend"] == pytest.approx(59_400)
    assert p1["deviation"] == pytest.approx(0.10)
    assert track(plan, actual).phases.iloc[1]["spend"] is None  # P2 has no reports yet: blank, not 0


def test_tracking_checkpoint_cpa_measured_over_the_phase_once_due(default_inputs):
    plan = build_plan(default_inputs())
    cpa_row = plan.checkpoints.index[(plan.checkpoints["metric"] == "cpa") & (plan.checkpoints["day"] == 30)][
        0
    ]
    # Days 1–30: 1,000 spend and 20 conversions a day → CPA 30,000 / 600 = 50.
    assert track(plan, daily(30, spend=1000, conversions=20)).measured[cpa_row] == pytest.approx(50)
    # Data through day 29 only: the day-30 checkpoint is not measured yet.
    assert track(plan, daily(29, spend=1000, conversions=20)).measured[cpa_row] is None


def test_tracking_p4_checkpoint_window_is_its_cycle(default_inputs):
    plan = build_plan(default_inputs())
    roi_210 = plan.checkpoints.index[
        (plan.checkpoints["metric"] == "roi") & (plan.checkpoints["day"] == 210)
    ][0]
    # GMV/spend is 2 until day 180 and 3 from day 181: the day-210 check (cycle 181–210) sees 3.
    actual = daily(210, spend=100, gmv=lambda i: 200 if i < 180 else 300)
    assert track(plan, actual).measured[roi_210] == pytest.approx(3.0)


def test_tracking_unmeasurable_checkpoints_stay_empty(default_inputs):
    plan = build_plan(default_inputs())
    measured = track(plan, daily(200, spend=100, impressions=1000, clicks=10)).measured
    for metric in ("reach", "creatives", "user_tiers", "ab_tests", "repurchase"):
        rows = plan.checkpoints.index[plan.checkpoints["metric"] == metric]
        assert all(measured[i] is None for i in rows), metric


def test_derive_indicators_recent_week_against_first_two_weeks():
    # Days 0–13: CPA 50 (1,000 / 20), CTR 2 % (20 / 1,000), AOV 100 (2,000 / 20).
    # Days 14–20: CPA 70 (1,400 / 20), CTR 1.5 % (15 / 1,000), AOV 90 (1,800 / 20).
    first = lambda early, late: lambda i: early if i < 14 else late  # noqa: E731
    totals = daily(
        21, spend=first(1000, 1400), conversions=20, impressions=1000, clicks=first(20, 15),
        gmv=first(2000, 1800), orders=20,
    ).set_index("date")  # fmt: skip
    got = derive_indicators(totals.drop(columns="channel"), benchmark=0.012)
    assert got["conversion_cost"] == pytest.approx((70 - 50) / 50)  # +40 %: adverse
    assert got["targeting"] == pytest.approx((0.02 - 0.015) / 0.02)  # CTR down 25 %
    assert got["creative_ctr"] == pytest.approx(0.015 / 0.012)
    assert got["aov_volatility"] == pytest.approx(10 / 100)


def test_derive_indicators_needs_three_weeks_of_data():
    totals = daily(20, spend=100, conversions=2).set_index("date").drop(columns="channel")
    assert derive_indicators(totals, benchmark=0.012) == {}


def test_tracking_index_history_and_forecast_once_enough_days(default_inputs):
    plan = build_plan(default_inputs())
    # Conversion cost rising steadily: 1,000 + 20 × day spend for 20 conversions.
    actual = daily(60, spend=lambda i: 1000 + 20 * i, conversions=20, impressions=1000, clicks=20)
    result = track(plan, actual)
    assert len(result.history) == 60 - 20  # one index per day from day 21
    assert result.history["index"].is_monotonic_increasing
    assert result.forecast is not None and len(result.forecast.table) == 30
    assert track(plan, daily(30, spend=100, conversions=2)).forecast is None  # 10 points < 14


def test_forecast_index_lays_the_history_on_calendar_days():
    # Index 10 + 2 × (days since START) on days 0..29 except 10..14 (no reports then): 25 dated points.
    days = [d for d in range(30) if not 10 <= d <= 14]
    history = pd.DataFrame(
        {"date": [START + dt.timedelta(days=d) for d in days], "index": [10.0 + 2 * d for d in days]}
    )
    table = forecast_index(history, horizon=3, interval=0.95).table
    # The last point is day 29 (68): the forecast runs on days 30, 31, 32 at 70, 72, 74.
    assert table["date"].tolist() == [START + dt.timedelta(days=d) for d in (30, 31, 32)]
    assert table["forecast"].tolist() == pytest.approx([70.0, 72.0, 74.0])


def test_forecast_index_needs_min_history_days_with_an_index():
    dates = [START + dt.timedelta(days=2 * d) for d in range(14)]  # 14 dated points over 27 days
    history = pd.DataFrame({"date": dates, "index": [50.0] * 14})
    assert forecast_index(history.head(13), 30, 0.95) is None
    assert forecast_index(history, 30, 0.95).table["date"].iloc[0] == START + dt.timedelta(days=27)


def mix(days: int, split) -> pd.DataFrame:
    """Spend 1,000 a day split over buckets by ``split(day) -> {bucket: share}``."""
    rows = [
        {"date": START + dt.timedelta(days=i), "dimension": "hour", "bucket": bucket, "spend": 1000 * share}
        for i in range(days)
        for bucket, share in split(i).items()
    ]
    return pd.DataFrame(rows)


def test_distribution_shift_is_total_variation_between_first_two_weeks_and_last_week():
    from dyplan.model.tracking import distribution_shift

    # First 14 days 60 % / 40 %; last 7 days 30 % / 70 %: ½ (|0.6 − 0.3| + |0.4 − 0.7|) = 0.30.
    split = lambda i: {"0–12": 0.6, "12–24": 0.4} if i < 14 else {"0–12": 0.3, "12–24": 0.7}  # noqa: E731
    assert distribution_shift(mix(21, split)) == pytest.approx(0.30)
    # Spend moving entirely to a slot never used before: ½ (1 + 1) = 1.
    moved = lambda i: {"day": 1.0} if i < 14 else {"night": 1.0}  # noqa: E731
    assert distribution_shift(mix(21, moved)) == pytest.approx(1.0)
    assert distribution_shift(mix(20, split)) is None  # needs 21 days


def test_mix_indicators_feed_time_slot_and_device_indicators():
    from dyplan.model.tracking import mix_indicators

    hours = mix(21, lambda i: {"a": 0.5, "b": 0.5} if i < 14 else {"a": 0.4, "b": 0.6})
    devices = hours.assign(dimension="device")
    got = mix_indicators(pd.concat([hours, devices]))
    # ½ (|0.5 − 0.4| + |0.5 − 0.6|) = 0.10 for both
    assert got == {"time_slot_mix": pytest.approx(0.10), "device_mix": pytest.approx(0.10)}


def test_daily_totals_net_roi_counts_only_rows_that_carry_net_gmv():
    """Day 1 has a 全域 row with net GMV (spend 100, net 240) and a 标准推广 row without (spend 50);
    day 2 has net GMV 90 on spend 60. Net ROI = (240 + 90) ÷ (100 + 60) = 2.0625: the 50 without net
    GMV is left out, never read as 0."""
    rows = pd.DataFrame({
        "date": [START, START, START + dt.timedelta(days=1)], "channel": ["live", "feed", "live"],
        "spend": [100.0, 50.0, 60.0], "net_gmv": [240.0, float("nan"), 90.0],
    })  # fmt: skip
    totals = daily_totals(rows)
    assert totals["net_roi_num"].sum() / totals["net_roi_den"].sum() == pytest.approx(330 / 160)
