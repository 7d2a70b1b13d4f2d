"""Response curves: the formula by hand, the fit on synthetic data, seeding from the plan, precedence."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from dyplan.errors import FitError, InputError
from dyplan.model import Assumptions, build_plan
from dyplan.model.response import (
    MIN_FIT_DAYS,
    Curve,
    CurveSource,
    channel_curves,
    channel_days,
    fit_curve,
    seed_curve,
    typed_curves,
)
from dyplan.model.terms import Channel

START = dt.date(2026, 1, 1)


def synthetic_days(curve: Curve, days: int, low: float, high: float, noise: float, seed: int = 7):
    """Daily spend drawn evenly from [low, high], GMV on the curve times log-normal noise."""
    rng = np.random.default_rng(seed)
    spend = rng.uniform(low, high, days)
    truth = curve.max_gmv * spend**curve.shape / (spend**curve.shape + curve.half_saturation**curve.shape)
    return pd.DataFrame(
        {
            "date": [START + dt.timedelta(days=d) for d in range(days)],
            "spend": spend,
            "gmv": truth * rng.lognormal(0, noise, days),
        }
    )


def test_curve_gmv_and_marginal_roi_by_hand():
    curve = Curve(max_gmv=12_000, half_saturation=3_000, shape=2)
    # s = 6,000: x = 2, xᵃ = 4 → GMV = 12,000 × 4 / 5 = 9,600
    assert curve.gmv(6_000) == pytest.approx(9_600)
    # dGMV/ds = a·V·Kᵃ·sᵃ⁻¹/(sᵃ + Kᵃ)² = 2 × 12,000 × 9e6 × 6,000 / (4.5e7)² = 0.64
    assert curve.marginal_roi(6_000) == pytest.approx(0.64)
    assert curve.roi(6_000) == pytest.approx(1.6)  # 9,600 / 6,000
    # the marginal ROI peaks at K·((a − 1)/(a + 1))^(1/a) = 3,000 / √3
    assert curve.peak_spend == pytest.approx(3_000 / np.sqrt(3))


def test_curve_spend_at_marginal_inverts_the_marginal_beyond_the_peak():
    concave = Curve(max_gmv=10_000, half_saturation=2_000, shape=1)
    # V·K/(s + K)² = 1.25 → (s + K)² = 16e6 → s = 4,000 − 2,000
    assert concave.spend_at_marginal(1.25) == pytest.approx(2_000)
    assert concave.spend_at_marginal(6.0) == 0  # above V/K = 5: not even the first yuan pays that
    s_shaped = Curve(max_gmv=10_000, half_saturation=2_000, shape=2.5)
    spend = s_shaped.spend_at_marginal(0.8)
    assert spend > s_shaped.peak_spend and s_shaped.marginal_roi(spend) == pytest.approx(0.8)


def test_seed_curve_passes_through_the_planned_spend_at_the_target_roi():
    curve = seed_curve(daily_spend=1_000, roi=2.5, saturation=0.5, shape=1)
    assert curve.half_saturation == pytest.approx(2_000)  # 1,000 / 0.5
    assert curve.max_gmv == pytest.approx(7_500)  # 2.5 × 1,000 × 1.5 / 0.5
    assert curve.gmv(1_000) == pytest.approx(2_500)
    # marginal ROI there: roi·a/(1 + xᵃ) = 2.5 / 1.5
    assert curve.marginal_roi(1_000) == pytest.approx(2.5 / 1.5)


def test_fit_recovers_known_parameters_from_noisy_days():
    truth = Curve(max_gmv=50_000, half_saturation=8_000, shape=1.3)
    days = synthetic_days(truth, days=90, low=1_500, high=30_000, noise=0.05)
    fit = fit_curve(days)
    assert fit.curve.max_gmv == pytest.approx(50_000, rel=0.10)
    assert fit.curve.half_saturation == pytest.approx(8_000, rel=0.15)
    assert fit.curve.shape == pytest.approx(1.3, rel=0.10)
    assert fit.r_squared > 0.95
    assert (fit.days, fit.first, fit.last) == (90, START, START + dt.timedelta(days=89))
    assert list(fit.data.columns) == ["date", "spend", "gmv", "fitted"]


def test_fit_is_scale_free():
    """The same shape a thousand times bigger fits to a thousand times the V and K."""
    truth = Curve(max_gmv=50_000, half_saturation=8_000, shape=1.3)
    days = synthetic_days(truth, days=60, low=1_500, high=30_000, noise=0.05)
    small = fit_curve(days).curve
    big = fit_curve(days.assign(spend=days["spend"] * 1000, gmv=days["gmv"] * 1000)).curve
    assert big.max_gmv == pytest.approx(small.max_gmv * 1000, rel=1e-3)
    assert big.half_saturation == pytest.approx(small.half_saturation * 1000, rel=1e-3)


def test_fit_refuses_fewer_than_four_weeks():
    days = synthetic_days(Curve(50_000, 8_000, 1), days=MIN_FIT_DAYS - 1, low=1_000, high=20_000, noise=0.05)
    with pytest.raises(FitError, match="27") as refused:
        fit_curve(days)
    assert "28" in refused.value.zh and "28" in refused.value.en


def test_fit_refuses_spend_that_never_varied():
    days = synthetic_days(Curve(50_000, 8_000, 1), days=60, low=10_000, high=10_500, noise=0.05)
    with pytest.raises(FitError, match="varied"):
        fit_curve(days)


def test_fit_leaves_out_days_without_spend_or_gmv():
    days = synthetic_days(Curve(50_000, 8_000, 1), days=40, low=1_000, high=20_000, noise=0.05)
    days.loc[:9, "gmv"] = np.nan
    days.loc[10:12, "spend"] = 0.0
    with pytest.raises(FitError, match="only 27 days"):  # 40 − 10 − 3
        fit_curve(days)


def test_channel_days_sums_a_channels_rows_per_date():
    actuals = pd.DataFrame(
        {
            "date": [START, START, START, START + dt.timedelta(days=1)],
            "channel": ["feed", "feed", "live", "feed"],
            "spend": [100.0, 50.0, 999.0, 80.0],
            "gmv": [300.0, np.nan, 1.0, 200.0],
        }
    )
    days = channel_days(actuals)
    assert days[Channel.FEED]["spend"].tolist() == [150.0, 80.0]
    assert days[Channel.FEED]["gmv"].tolist() == [300.0, 200.0]
    assert days[Channel.LIVE]["spend"].tolist() == [999.0]
    assert days[Channel.SEARCH].empty  # no row of its own: no day


def test_typed_curves_are_checked_in_both_languages():
    curves = typed_curves({"信息流": (9_000, 2_000, 1), "search": (None, None, None)})
    assert curves == {Channel.FEED: Curve(9_000, 2_000, 1)}
    with pytest.raises(InputError) as caught:
        typed_curves({"live": (0, 2_000, 7), "tv": (1, 1, 1)})
    fields = {p.field for p in caught.value.problems}
    assert fields == {"response_curves.live.max_gmv", "response_curves.live.shape", "response_curves.tv"}


def test_channel_curves_precedence_typed_then_fitted_then_seeded(default_inputs):
    plan = build_plan(default_inputs())
    feed = synthetic_days(Curve(5_000, 1_500, 1), days=40, low=200, high=3_000, noise=0.05)
    actuals = pd.concat([feed.assign(channel="feed"), feed.iloc[:10].assign(channel="live")])
    typed = {Channel.SEARCH: Curve(4_000, 900, 0.8)}
    curves = channel_curves(plan, actuals, typed)
    assert [curves[c].source for c in Channel] == [CurveSource.FITTED, CurveSource.TYPED, CurveSource.SEEDED]
    assert curves[Channel.SEARCH].curve == typed[Channel.SEARCH]
    assert curves[Channel.FEED].fit.days == 40
    assert "10" in curves[Channel.LIVE].note  # only 10 days: why it was not fitted


def test_seeded_curves_pass_through_each_channels_planned_daily_spend(default_inputs):
    plan = build_plan(default_inputs())
    curves = channel_curves(plan)
    for channel in Channel:
        planned = plan.totals[channel.value] / 365
        assert curves[channel].source is CurveSource.SEEDED
        assert curves[channel].curve.gmv(planned) == pytest.approx(2.5 * planned)  # the target ROI
        assert curves[channel].curve.half_saturation == pytest.approx(planned / 0.5)


def test_channel_curves_take_the_curves_typed_among_the_assumptions(default_inputs):
    typed = {Channel.LIVE: (6_000, 1_200, 1.5), Channel.FEED: (None, None, None)}
    plan = build_plan(default_inputs(assumptions=Assumptions(response_curves=typed)))
    curves = channel_curves(plan)
    assert curves[Channel.LIVE].source is CurveSource.TYPED
    assert curves[Channel.LIVE].curve == Curve(6_000, 1_200, 1.5)
    assert curves[Channel.FEED].source is CurveSource.SEEDED  # left blank: seeded from the plan
