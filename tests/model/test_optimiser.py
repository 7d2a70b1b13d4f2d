"""The optimiser: against a brute-force grid, the equal-marginal-ROI check, bounds, and the three modes."""

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dyplan.errors import InputError, OptimiseError
from dyplan.model import Assumptions, Channel, Phase, build_plan, channel_curves
from dyplan.model.optimiser import Bounds, Mode, best_split, optimise, split_for_gmv, split_for_roi
from dyplan.model.response import Curve

CONCAVE = [Curve(9_000, 3_000, 1.0), Curve(4_000, 1_000, 0.8), Curve(2_500, 600, 1.0)]
SHAPE_ONE = [Curve(9_000, 3_000, 1.0), Curve(4_000, 1_000, 1.0), Curve(2_500, 600, 1.0)]
S_SHAPED = [Curve(9_000, 3_000, 1.6), Curve(4_000, 1_000, 2.2), Curve(2_500, 600, 1.0)]


def gmv_of(curves, spend) -> np.ndarray:
    """Σ V·sᵃ/(sᵃ + Kᵃ) written out again, for the grid."""
    return sum(
        c.max_gmv * s**c.shape / (s**c.shape + c.half_saturation**c.shape)
        for c, s in zip(curves, spend, strict=True)
    )


def grid_best(curves, budget, low, high, steps=2_000) -> float:
    """The most GMV over a fine grid of the first two spends, the third taking what is left."""
    first = np.linspace(low[0], high[0], steps)[:, None]
    second = np.linspace(low[1], high[1], steps)[None, :]
    third = budget - first - second
    gmv = gmv_of(curves, [first, second, np.clip(third, 0, None)])
    return float(np.where((third >= low[2]) & (third <= high[2]), gmv, -np.inf).max())


CASES = {
    "concave-free": (CONCAVE, 4_000, [0, 0, 0], [4_000] * 3),
    "concave-capped": (CONCAVE, 6_000, [600, 600, 600], [4_500, 1_000, 3_000]),
    # every shape 1: solved in closed form, no bisection
    "shape-one-capped": (SHAPE_ONE, 6_000, [600, 600, 600], [4_500, 1_000, 3_000]),
    "s-shaped-free": (S_SHAPED, 5_000, [0, 0, 0], [5_000] * 3),
    "s-shaped-small-budget": (S_SHAPED, 1_200, [0, 0, 0], [1_200] * 3),
    "s-shaped-floors": (S_SHAPED, 8_000, [800, 800, 400], [6_000, 4_000, 1_600]),
}


@pytest.mark.parametrize(("curves", "budget", "low", "high"), CASES.values(), ids=CASES.keys())
def test_best_split_is_within_a_tenth_of_a_percent_of_the_grid(curves, budget, low, high):
    split = best_split(curves, budget, low, high)
    assert split.gmv >= grid_best(curves, budget, low, high) * (1 - 1e-3)
    assert sum(split.spend) == pytest.approx(budget, rel=1e-12)


def test_best_split_concave_closed_form_by_hand():
    """Shape 1: V·K/(s + K)² = λ gives s = √(V·K/λ) − K. With B = 4,000:
    √λ = (√2.7e7 + √4e6) / (4,000 + 3,000 + 1,000) = 7,196.15 / 8,000, so
    s₁ = 5,196.15 × 8,000 / 7,196.15 − 3,000 = 2,776.6 and s₂ = 2,000 × 8,000 / 7,196.15 − 1,000 = 1,223.4."""
    split = best_split([Curve(9_000, 3_000, 1), Curve(4_000, 1_000, 1)], 4_000, [0, 0], [4_000, 4_000])
    assert split.spend == pytest.approx((2_776.6, 1_223.4), abs=0.1)
    assert split.marginal_roi[0] == pytest.approx((7_196.15 / 8_000) ** 2, rel=1e-5)


def test_best_split_shape_one_capped_channel_leaves_the_rest_to_the_other():
    """Unbounded, search would take 1,223.4 (above); capped at 1,000, feed takes the other 3,000, where
    its marginal ROI is 9,000 × 3,000 / 6,000² = 0.75, under search's 4,000 × 1,000 / 2,000² = 1."""
    split = best_split([Curve(9_000, 3_000, 1), Curve(4_000, 1_000, 1)], 4_000, [0, 0], [4_000, 1_000])
    assert split.spend == pytest.approx((3_000, 1_000), abs=1e-6)
    assert split.marginal_roi == pytest.approx((0.75, 1.0))
    assert split.at_bound == ("", "max")


def test_best_split_free_channels_share_one_marginal_roi_and_held_ones_sit_on_the_right_side():
    curves, budget, low, high = CASES["concave-capped"]
    split = best_split(curves, budget, low, high)
    free = [m for m, b in zip(split.marginal_roi, split.at_bound, strict=True) if not b]
    assert len(free) >= 2 and max(free) == pytest.approx(min(free), rel=1e-6)
    assert split.spread < 1e-6
    level = free[0]
    for m, bound in zip(split.marginal_roi, split.at_bound, strict=True):
        if bound == "max":  # held down: would still pay more than the others
            assert m >= level * (1 - 1e-9)
        elif bound == "min":  # held up: pays less than the others
            assert m <= level * (1 + 1e-9)
    assert split.at_bound[1] == "max"  # search's 1,000 cap binds: unbounded it would take ~1,316


def test_best_split_refuses_bounds_that_cannot_add_up():
    with pytest.raises(OptimiseError, match="cannot add up") as refused:
        best_split(CONCAVE, 1_000, [500, 500, 500], [1_000] * 3)
    assert "日预算" in refused.value.zh


curve_st = st.builds(
    Curve,
    max_gmv=st.floats(100, 1e6),
    half_saturation=st.floats(10, 1e5),
    shape=st.floats(0.3, 3.0),
)


@st.composite
def problems(draw):
    curves = draw(st.lists(curve_st, min_size=3, max_size=3))
    budget = draw(st.floats(10, 1e6))
    lows = [draw(st.floats(0, 0.4)) for _ in range(3)]
    highs = [lo + draw(st.floats(0, 1)) for lo in lows]
    if sum(highs) < 1:  # widen the last so that the bounds can add up
        highs[-1] += 1 - sum(highs)
    return curves, budget, [lo * budget for lo in lows], [min(hi, 1.0) * budget for hi in highs]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
@example(([Curve(100, 10, 1), Curve(100, 10, 1), Curve(100, 10, 2)], 10.0, [2.5, 0, 0], [2.5, 10, 5e-323]))
def test_best_split_always_respects_the_bounds_and_spends_the_budget(problem):
    curves, budget, low, high = problem
    if not sum(low) <= budget <= sum(high):
        with pytest.raises(OptimiseError):
            best_split(curves, budget, low, high)
        return
    split = best_split(curves, budget, low, high)
    slack = 1e-9 * budget
    assert all(lo - slack <= s <= hi + slack for s, lo, hi in zip(split.spend, low, high, strict=True))
    assert sum(split.spend) == pytest.approx(budget, rel=1e-9)
    if sum(high) > sum(low):  # no worse than spreading the budget evenly within the bounds
        even = [
            lo + (budget - sum(low)) * (hi - lo) / (sum(high) - sum(low))
            for lo, hi in zip(low, high, strict=True)
        ]
        assert split.gmv >= gmv_of(curves, even) * (1 - 1e-9)


s_curve_st = st.builds(
    Curve,
    max_gmv=st.floats(100, 1e6),
    half_saturation=st.floats(10, 1e5),
    shape=st.floats(1.05, 3.0),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems(), st.lists(s_curve_st, min_size=1, max_size=3))
def test_best_split_with_s_shaped_curves_is_within_a_tenth_of_a_percent_of_the_grid(problem, s_curves):
    """Random bounds and curves, some S-shaped (where a channel may not be worth entering at all)."""
    curves, budget, low, high = problem
    curves = s_curves + curves[len(s_curves) :]
    if not sum(low) <= budget <= sum(high):
        return
    split = best_split(curves, budget, low, high)
    assert split.gmv >= grid_best(curves, budget, low, high, steps=400) * (1 - 1e-3)


def wide_bounds() -> Bounds:
    return Bounds(shares={p: dict.fromkeys(Channel, (0.0, 1.0)) for p in Phase})


@pytest.mark.parametrize("curves", [CONCAVE, S_SHAPED], ids=["concave", "s-shaped"])
def test_split_for_roi_budget_falls_as_the_target_rises(curves):
    budgets = [
        split_for_roi(curves, wide_bounds(), Phase.P3, roi, 3_000).budget for roi in (1.5, 1.8, 2.1, 2.4)
    ]
    assert budgets == sorted(budgets, reverse=True) and len(set(budgets)) == 4


@settings(max_examples=25, deadline=None)
@given(st.floats(1.2, 2.6), st.floats(0.01, 0.5))
def test_split_for_roi_is_the_largest_budget_that_meets_the_target(roi, step):
    split = split_for_roi(CONCAVE, wide_bounds(), Phase.P3, roi, 3_000)
    assert split.roi == pytest.approx(roi, rel=1e-6)
    higher = split_for_roi(CONCAVE, wide_bounds(), Phase.P3, roi + step, 3_000)
    assert higher.budget < split.budget
    more = split.budget * 1.01  # a budget 1 % larger misses the target even split at its best
    assert best_split(CONCAVE, more, [0, 0, 0], [more] * 3).roi < roi


def test_split_for_roi_refuses_a_target_no_budget_reaches():
    """Shape 1 starts at ROI V/K: 9,000 / 3,000 = 3 and 2,500 / 600 = 4.17. With at least half on the
    first, no budget's ROI exceeds 0.5 × 3 + 0.5 × 4.17 = 3.58, so 6 is out of reach."""
    curves = [Curve(9_000, 3_000, 1), Curve(2_500, 600, 1), Curve(1, 1, 1)]
    bounds = Bounds(shares={p: {Channel.FEED: (0.5, 1.0), Channel.SEARCH: (0, 0.5), Channel.LIVE: (0, 0)}
                            for p in Phase})  # fmt: skip
    with pytest.raises(OptimiseError, match="short of the target 6"):
        split_for_roi(curves, bounds, Phase.P1, 6.0, 1_000)


def test_split_for_roi_with_only_s_shaped_curves_looks_past_their_slow_start():
    """Shape 2: the ROI is V·s/(s² + K²), highest at s = K where it is V / 2K. One channel of
    V 10,000 and K 1,000 peaks at ROI 5 on 1,000 a day; for ROI 4 the largest budget solves
    10,000·s/(s² + 1e6) = 4: s² − 2,500 s + 1e6 = 0, s = 2,000."""
    curves = [Curve(10_000, 1_000, 2), Curve(1, 1_000, 2), Curve(1, 1_000, 2)]
    bounds = Bounds(shares={p: {Channel.FEED: (1.0, 1.0), Channel.SEARCH: (0, 0), Channel.LIVE: (0, 0)}
                            for p in Phase})  # fmt: skip
    assert split_for_roi(curves, bounds, Phase.P4, 4.0, 300).budget == pytest.approx(2_000, rel=1e-6)
    with pytest.raises(OptimiseError, match=r"more than ROI 5\.00"):
        split_for_roi(curves, bounds, Phase.P4, 5.5, 300)


def test_split_for_roi_takes_the_largest_budget_when_the_roi_peaks_twice():
    """Half of the budget on each of two shape-2 channels, g(s) = V·s²/(s² + K²), of K 1,000 and
    500,000: the ROI, (g₁(B/2) + g₂(B/2)) / B, peaks near B = 2,000 (2.51, the first channel's
    V / 2K × ½ and a little) and again near B = 1,000,000 (2.26), with 1.75 at B = 5,000 between.
    For ROI 2 the largest budget is past the second peak; for 2.4 only the first peak reaches it,
    at a budget far below the channels' ΣK / 100."""
    from scipy.optimize import brentq

    feed, search = Curve(10_000, 1_000, 2), Curve(4_500_000, 500_000, 2)
    curves = [feed, search, Curve(1, 1, 1)]
    bounds = Bounds(shares={p: {Channel.FEED: (0.5, 0.5), Channel.SEARCH: (0.5, 0.5), Channel.LIVE: (0, 0)}
                            for p in Phase}, min_daily_spend=dict.fromkeys(Channel, 0.0))  # fmt: skip

    def roi_at(budget: float) -> float:
        half = budget / 2
        return sum(c.max_gmv * half**2 / (half**2 + c.half_saturation**2) for c in (feed, search)) / budget

    assert roi_at(5_000) < 2 < roi_at(1_000_000) and roi_at(2_000) > 2.4 > roi_at(1_000_000)
    for roi, (low, high) in ((2.0, (1_000_000, 1e8)), (2.4, (2_000, 5_000))):
        expected = brentq(lambda b, roi=roi: roi_at(b) - roi, low, high, xtol=1e-6)
        assert split_for_roi(curves, bounds, Phase.P3, roi, 10_000).budget == pytest.approx(
            expected, rel=1e-6
        )


def test_split_for_gmv_is_the_least_budget_that_reaches_the_target():
    split = split_for_gmv(CONCAVE, wide_bounds(), Phase.P4, 8_000, 3_000)
    assert split.gmv == pytest.approx(8_000, rel=1e-9)
    less = split.budget * 0.99
    assert best_split(CONCAVE, less, [0, 0, 0], [less] * 3).gmv < 8_000


def test_split_for_gmv_refuses_more_than_the_curves_can_bring():
    with pytest.raises(OptimiseError, match="at most about 15,500"):  # 9,000 + 4,000 + 2,500
        split_for_gmv(CONCAVE, wide_bounds(), Phase.P4, 16_000, 3_000)


def test_default_bounds_are_the_seed_share_plus_minus_15_points_live_capped_early():
    bounds = Bounds()
    assert bounds.shares[Phase.P1][Channel.FEED] == pytest.approx((0.35, 0.65))  # 50 % ± 15
    assert bounds.shares[Phase.P1][Channel.LIVE] == pytest.approx((0.0, 0.20))  # 10 % ± 15, capped at 20 %
    assert bounds.shares[Phase.P3][Channel.LIVE] == pytest.approx((0.05, 0.35))  # 20 % ± 15
    assert bounds.min_daily_spend == dict.fromkeys(Channel, 0.0)


def test_bounds_are_checked_in_both_languages():
    shares = {p: dict.fromkeys(Channel, (0.0, 1.0)) for p in Phase}
    shares[Phase.P2] = {Channel.FEED: (0.6, 0.5), Channel.SEARCH: (0, 1), Channel.LIVE: (0, 1)}
    shares[Phase.P3] = dict.fromkeys(Channel, (0.4, 0.5))  # minimums add up to 120 %
    with pytest.raises(InputError) as caught:
        Bounds(shares=shares, min_daily_spend={**dict.fromkeys(Channel, 0.0), Channel.LIVE: -5})
    assert {p.field for p in caught.value.problems} == {
        "optimiser_bounds.P2.feed", "optimiser_bounds.P3", "min_daily_spend.live"}  # fmt: skip


@pytest.fixture
def plan(default_inputs):
    return build_plan(default_inputs(stage="新店起量"))


def known_curves() -> dict[Channel, Curve]:
    return dict(
        zip(
            Channel, [Curve(9_000, 2_500, 1.0), Curve(3_000, 600, 0.9), Curve(4_000, 2_000, 1.4)], strict=True
        )
    )


def test_optimise_fixed_budget_keeps_each_phase_budget_to_the_fen(plan):
    result = optimise(plan, known_curves())
    bounds = Bounds()
    for proposal, row in zip(result.phases, plan.phases.itertuples(), strict=True):
        assert round(sum(proposal.proposed_cny) * 100) == round(row.allocatable * 100)
        assert round(sum(proposal.proposed_mix) * 10_000) == 10_000
        for share, channel in zip(proposal.proposed.shares, Channel, strict=True):
            low, high = bounds.shares[proposal.phase][channel]
            assert low - 1e-9 <= share <= high + 1e-9
        assert proposal.proposed.gmv >= proposal.current.gmv * (1 - 1e-12)  # never worse than now
    summary = result.summary()
    assert (summary["uplift"] >= -1e-6).all() and (summary["spread"] < 1e-6).all()
    assert list(result.channel_mix()) == list(Phase)


def test_optimise_with_seeded_curves_proposes_the_years_average_mix(plan):
    """Seeded curves are scaled copies (V and K both ∝ the channel's planned spend), so the best
    split of any budget is in proportion to the year's planned spend per channel, bounds permitting."""
    seeded = {c: cc.curve for c, cc in channel_curves(plan).items()}
    result = optimise(plan, seeded)
    year = np.array([plan.totals[c.value] for c in Channel])
    for proposal in result.phases:
        if not any(proposal.proposed.at_bound):
            assert proposal.proposed.shares == pytest.approx(tuple(year / year.sum()), rel=1e-6)


def test_optimise_target_roi_under_breakeven_is_refused(plan):
    with pytest.raises(OptimiseError, match=r"break-even ROI 2\.22") as refused:
        optimise(plan, known_curves(), Mode.ROI, target=2.0)
    assert "保本ROI" in refused.value.zh


def test_optimise_target_roi_and_gmv_modes(plan, default_inputs):
    curves = known_curves()
    roi = optimise(plan, curves, "roi", target=2.4)  # the key, as the command line gives it
    assert all(p.proposed.roi == pytest.approx(2.4, rel=1e-6) for p in roi.phases)
    year = 2_000_000
    gmv = optimise(plan, curves, Mode.GMV, target=year)
    assert sum(p.proposed_gmv for p in gmv.phases) == pytest.approx(year, rel=1e-6)
    for proposal in gmv.phases:
        assert round(sum(proposal.proposed_cny) * 100) == round(
            proposal.proposed.budget * proposal.days * 100
        )


def test_optimise_flags_proposals_under_breakeven(default_inputs):
    thin = build_plan(default_inputs(assumptions=Assumptions(gross_margin=0.2, refund_rate=0.1)))  # 5.56
    summary = optimise(thin, known_curves()).summary()
    assert summary["under_breakeven"].all()  # these curves never bring ROI 5.56


def test_bounds_of_the_assumptions_band_the_current_mix(default_inputs):
    """P1 typed as 70 / 20 / 10 with a 10-point band and live capped at 15 %: feed 60–80 %, search 10–30 %,
    live 0–15 % (10 % ± 10, capped); P3 keeps its 53.33 / 26.67 / 20 ± 10 uncapped."""
    mix = {**Assumptions().channel_mix, Phase.P1: (0.70, 0.20, 0.10)}
    spends = {Channel.FEED: 100.0, Channel.SEARCH: 0.0, Channel.LIVE: 50.0}
    a = Assumptions(channel_mix=mix, share_band=0.10, early_live_cap=0.15, min_daily_spend=spends)
    bounds = Bounds.of(default_inputs(assumptions=a).assumptions)
    assert bounds.shares[Phase.P1][Channel.FEED] == pytest.approx((0.60, 0.80))
    assert bounds.shares[Phase.P1][Channel.SEARCH] == pytest.approx((0.10, 0.30))
    assert bounds.shares[Phase.P1][Channel.LIVE] == pytest.approx((0.0, 0.15))
    assert bounds.shares[Phase.P3][Channel.LIVE] == pytest.approx((0.10, 0.30))
    # at a daily budget of 1,000: feed at least max(60 % × 1,000, 100) = 600, live max(0, 50) = 50
    low, high = bounds.limits(Phase.P1, 1_000)
    assert low == pytest.approx([600, 100, 50]) and high == pytest.approx([800, 300, 150])


def test_optimise_keeps_to_the_plans_own_bounds(default_inputs):
    """With a 5-point band every proposed share stays within 5 points of the plan's mix."""
    plan = build_plan(default_inputs(assumptions=Assumptions(share_band=0.05)))
    for proposal in optimise(plan, known_curves()).phases:
        mix = plan.inputs.assumptions.channel_mix[proposal.phase]
        for now, proposed in zip(mix, proposal.proposed.shares, strict=True):
            assert abs(proposed - now) <= 0.05 + 1e-9
