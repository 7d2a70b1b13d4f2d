"""The two ROIs (planning-rules 3.18): what the budget brings at the target ROI, and its share of the GMV."""

import pytest

from dyplan.model import pacing_deviation, paid_share


def test_paid_share_of_the_rules_example_is_fifteen_percent():
    paid = paid_share(gmv_target=50_000_000, budget=3_000_000, target_roi=2.5)
    assert paid.paid_gmv == 7_500_000  # 3,000,000 × 2.5
    assert paid.share == pytest.approx(0.15)  # 7,500,000 ÷ 50,000,000
    assert paid.gmv_per_budget == pytest.approx(16.666667)  # 50,000,000 ÷ 3,000,000


def test_paid_gmv_rounds_half_away_from_zero_on_the_decimals_typed():
    # 3,685,939.55 × 2.5 = 9,214,848.875 exactly: a float product would read .874999… and round down
    assert paid_share(50_000_000, 3_685_939.55, 2.5).paid_gmv == 9_214_848.88


def test_paid_share_above_one_when_the_ads_alone_exceed_the_target():
    assert paid_share(1_000_000, 500_000, 2.5).share == pytest.approx(1.25)  # 1,250,000 ÷ 1,000,000


def test_pacing_deviation_is_spend_against_plan_and_none_before_any_plan():
    assert pacing_deviation(90, 100) == pytest.approx(-0.1)  # (90 − 100) ÷ 100
    assert pacing_deviation(115, 100) == pytest.approx(0.15)
    assert pacing_deviation(10, 0) is None
