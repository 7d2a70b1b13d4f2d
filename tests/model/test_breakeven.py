"""Break-even ROI (保本ROI): worked by hand, validated as an assumption, compared with the target."""

import pytest

from dyplan.errors import InputError
from dyplan.model import Assumptions, breakeven_roi, build_plan, under_breakeven


@pytest.mark.parametrize(
    ("margin", "refund", "expected"),
    [
        (0.40, 0.20, 3.125),  # 1 / (0.40 × 0.80) = 1 / 0.32
        (0.50, 0.10, 1 / 0.45),  # the defaults: 1 / (0.50 × 0.90) = 2.222…
        (1.00, 0.00, 1.0),  # all margin, no refunds: a yuan of GMV pays a yuan of spend
        (0.25, 0.50, 8.0),  # 1 / (0.25 × 0.50) = 1 / 0.125
        (0.30, 0.00, 10 / 3),  # no refunds: 1 / 0.30 = 3.333…
    ],
    ids=["40%-20%", "defaults", "whole-margin", "quarter-half", "30%-none"],
)
def test_breakeven_roi_worked_by_hand(margin, refund, expected):
    assert breakeven_roi(margin, refund) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("margin", "refund", "fields"),
    [(0, 0.1, {"gross_margin"}), (1.2, 0.1, {"gross_margin"}), (0.5, 1.0, {"refund_rate"}),
     (0.5, -0.1, {"refund_rate"}), ("40%", None, {"gross_margin", "refund_rate"})],
)  # fmt: skip
def test_breakeven_roi_outside_its_domain_is_refused_in_both_languages(margin, refund, fields):
    with pytest.raises(InputError) as caught:
        breakeven_roi(margin, refund)
    assert {p.field for p in caught.value.problems} == fields
    assert all(p.zh and p.en for p in caught.value.problems)


def test_under_breakeven_is_strictly_below():
    assert under_breakeven(2.9, 3.0)
    assert not under_breakeven(3.0, 3.0)
    assert not under_breakeven(3.1, 3.0)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"gross_margin": 0}, "gross_margin"),
        ({"gross_margin": 1.01}, "gross_margin"),
        ({"refund_rate": 1}, "refund_rate"),
        ({"refund_rate": -0.01}, "refund_rate"),
        ({"curve_saturation": 0}, "curve_saturation"),
        ({"curve_shape": 0}, "curve_shape"),
        ({"curve_shape": 6}, "curve_shape"),
    ],
    ids=["margin-0", "margin-over-1", "refund-1", "refund-negative", "saturation-0", "shape-0", "shape-6"],
)
def test_inputs_margin_refund_and_curve_assumptions_are_checked(default_inputs, changes, field):
    with pytest.raises(InputError) as caught:
        default_inputs(assumptions=Assumptions(**changes))
    [problem] = caught.value.problems
    assert problem.field == field and problem.zh and problem.en


def test_inputs_margin_of_one_and_no_refunds_are_allowed(default_inputs):
    inputs = default_inputs(assumptions=Assumptions(gross_margin=1, refund_rate=0))
    assert inputs.assumptions.breakeven_roi == 1


def test_plan_exposes_breakeven_and_flags_a_target_roi_under_it(default_inputs):
    defaults = build_plan(default_inputs())
    assert defaults.breakeven_roi == pytest.approx(1 / 0.45)  # 2.22 < the seed's target 2.5
    assert not defaults.roi_under_breakeven and defaults.breakeven_warning is None
    # 30 % margin, 20 % refunds: 1 / 0.24 = 4.17 > 2.5
    thin = build_plan(default_inputs(assumptions=Assumptions(gross_margin=0.3, refund_rate=0.2)))
    assert thin.breakeven_roi == pytest.approx(1 / 0.24)
    assert thin.roi_under_breakeven
    warning = thin.breakeven_warning
    assert warning.field == "checkpoint_targets.roi" and "保本ROI" in warning.zh and "4.17" in warning.en
    assert thin.warnings == ()  # the plan's warnings stay the budget ratios' (the cover flags those)
