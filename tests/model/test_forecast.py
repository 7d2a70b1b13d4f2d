"""Holt forecast and early warning (PLANNING_RULES §5 Forecast), by hand."""

import math

import numpy as np
import pytest

from dyplan.model import Assumptions
from dyplan.model.forecast import early_warning, forecast_series, initial_state

SEED = Assumptions()
HORIZON, INTERVAL, WARNING_DAYS = SEED.forecast_horizon_days, SEED.forecast_interval, SEED.early_warning_days


def line(intercept, slope=2.0, points=30):
    return [intercept + slope * t for t in range(points)]


def test_forecast_series_straight_line_continues_the_line_with_zero_width():
    table = forecast_series(line(10.0), HORIZON, INTERVAL).table
    # Last point t = 29 is 10 + 2 × 29 = 68; step h is t = 29 + h: 10 + 2(29 + h).
    expected = [10 + 2 * (29 + h) for h in range(1, 31)]
    assert table["step"].tolist() == list(range(1, 31))
    for column in ("forecast", "lower", "upper"):
        assert table[column].tolist() == pytest.approx(expected)


def test_forecast_series_constant_series_forecasts_the_constant():
    table = forecast_series([42.0] * 20, 10, INTERVAL).table
    for column in ("forecast", "lower", "upper"):
        assert table[column].tolist() == pytest.approx([42.0] * 10)


@pytest.fixture
def noisy_table():
    rng = np.random.default_rng(7)
    history = 50 + 0.5 * np.arange(60) + rng.normal(0, 3, 60)
    return forecast_series(history.tolist(), HORIZON, INTERVAL).table


def test_forecast_series_noisy_interval_contains_the_point(noisy_table):
    assert (noisy_table["lower"] < noisy_table["forecast"]).all()
    assert (noisy_table["forecast"] < noisy_table["upper"]).all()


def test_forecast_series_noisy_interval_widens_with_horizon(noisy_table):
    width = (noisy_table["upper"] - noisy_table["lower"]).to_numpy()
    assert (np.diff(width) > 0).all()


def test_initial_state_is_the_first_weeks_line_not_the_first_two_points():
    # Line 10 + 2t with an outlier pair at t = 0, 1 (50 and −20 instead of 10 and 12).
    # Slopes of the 21 pairs among t = 0..6: 10 pairs within t = 2..6 give 2; from t = 0 to t = 1,
    # −70, and to t = j ≥ 2, 2 − 40/j < 2 (5 more below 2); from t = 1 to j ≥ 2, (30 + 2j)/(j − 1) > 2.
    # 6 below, 10 at 2, 5 above: the 11th (median) is 2. y − 2t = 50, −22, 10, 10, 10, 10, 10 → 10.
    history = np.array([50.0, -20.0, *line(10.0, points=30)[2:]])
    assert initial_state(history) == (10.0, 2.0)  # y₁ − y₀ would give a trend of −70


def test_forecast_series_odd_first_pair_does_not_set_the_trend():
    # 10 + 2t except t = 0 (50): the first pair's slope is 12 − 50 = −38. Pair slopes among t = 0..6:
    # 6 from t = 0 (2 − 40/j < 2), 15 at 2 → median 2; y − 2t = 50, 10, … → level 10. From that
    # state every later point is predicted exactly by every (α, β): SSE 0, ties to the smallest
    # constants, and the line continues with zero width (b₀ = −38 would need α = β = 1 to recover).
    forecast = forecast_series([50.0, *line(10.0)[1:]], HORIZON, INTERVAL)
    assert (forecast.alpha, forecast.beta, forecast.sigma) == (0.05, 0.05, 0.0)
    expected = [10 + 2 * (29 + h) for h in range(1, 31)]
    for column in ("forecast", "lower", "upper"):
        assert forecast.table[column].tolist() == pytest.approx(expected)


def test_forecast_series_gap_counts_its_days():
    # 10 + 2t for t = 0..29 with t = 10..14 missing: the state runs on 2 a day through the gap, so
    # step h is still t = 29 + h. Closing the gap up would put a jump of 12 into a 25-day line.
    history = [math.nan if 10 <= t <= 14 else v for t, v in enumerate(line(10.0))]
    table = forecast_series(history, HORIZON, INTERVAL).table
    expected = [10 + 2 * (29 + h) for h in range(1, 31)]
    for column in ("forecast", "lower", "upper"):
        assert table[column].tolist() == pytest.approx(expected)


@pytest.mark.parametrize(
    "history",
    [
        line(10.0, points=13),
        [*line(10.0, points=19), math.nan],
        [*line(10.0, points=7), math.nan, *line(24.0, points=6)],
    ],
    ids=["13-points", "last-day-missing", "13-values-around-a-gap"],
)
def test_forecast_series_short_history_or_missing_last_day_raises(history):
    with pytest.raises(ValueError):
        forecast_series(history, HORIZON, INTERVAL)


def test_forecast_series_14_points_is_enough():
    # 10 + 2 × 13 = 36 at t = 13, so step 1 is 38.
    assert forecast_series(line(10.0, points=14), 1, INTERVAL).table["forecast"].tolist() == pytest.approx(
        [38]
    )
    # 14 values over 15 days (t = 7 missing): 10 + 2 × 14 = 38 at t = 14, so step 1 is 40.
    gappy = [math.nan if t == 7 else v for t, v in enumerate(line(10.0, points=15))]
    assert forecast_series(gappy, 1, INTERVAL).table["forecast"].tolist() == pytest.approx([40])


@pytest.mark.parametrize(
    ("intercept", "within_days", "expected"),
    [
        (9.0, 3, 2),  # last 9 + 58 = 67; steps 69, 71: reaches 70 at step 2
        (3.0, 3, None),  # last 3 + 58 = 61; steps 63, 65, 67, 69, 71: step 5 is past 3 days
        (3.0, 5, 5),  # same line with a 5-day window: step 5
        (11.0, 3, 1),  # last 69; step 1 is 71
    ],
    ids=["step-2", "step-5-outside-3-days", "step-5-inside-5-days", "step-1"],
)
def test_early_warning_first_step_reaching_critical_within_window(intercept, within_days, expected):
    assert early_warning(forecast_series(line(intercept), HORIZON, INTERVAL), 70.0, within_days) == expected


def test_early_warning_default_window_is_3_days():
    # last 5 + 58 = 63; steps 65, 67, 69, 71: reaching 70 at step 4 is outside 3 days
    forecast = forecast_series(line(5.0), HORIZON, INTERVAL)
    assert (early_warning(forecast, 70.0, WARNING_DAYS), early_warning(forecast, 70.0, 4)) == (None, 4)
