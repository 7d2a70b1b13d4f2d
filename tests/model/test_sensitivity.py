"""Sensitivity: a plan total for every pair of relative changes of two inputs."""

import math
from fractions import Fraction

import pytest

from dyplan.errors import InputError
from dyplan.model.sensitivity import Output, sensitivity_table
from dyplan.model.sensitivity import Variable as V

G = 12_000_000  # the default inputs: a mature shop (6 % budget ratio all year), 10 % reserve, ROI 2.5


def fen(cny) -> int:
    return round(cny * 100)


def half_away(x: Fraction) -> int:
    return math.floor(x + Fraction(1, 2))


def budget_fen(gmv_step: Fraction, ratio_step: Fraction) -> int:
    """A mature shop's budget: ratio × GMV target, to the fen."""
    return half_away(G * (1 + gmv_step) * Fraction(6, 100) * (1 + ratio_step) * 100)


STEPS = (-0.2, 0.0, 0.1)


def test_the_budget_table_is_ratio_times_target_for_every_pair(default_inputs):
    table = sensitivity_table(default_inputs(), V.GMV_TARGET, V.BUDGET_RATIO, Output.BUDGET, STEPS, STEPS)
    assert list(table.index) == list(STEPS) and list(table.columns) == list(STEPS)
    for r in STEPS:
        for c in STEPS:
            assert fen(table.loc[r, c]) == budget_fen(Fraction(str(r)), Fraction(str(c)))
    assert fen(table.loc[0.0, 0.0]) == 720_000 * 100  # the plan itself: 6 % of 12,000,000


def test_expected_ad_gmv_is_the_allocatable_at_the_moved_roi(default_inputs):
    table = sensitivity_table(default_inputs(), V.TARGET_ROI, V.GMV_TARGET, Output.AD_GMV, (-0.1, 0.3), [0.0])
    budget = budget_fen(Fraction(0), Fraction(0))
    allocatable = budget - half_away(Fraction(budget, 10))  # the reserve: 10 % of the budget
    assert fen(table.loc[-0.1, 0.0]) == half_away(allocatable * Fraction(225, 100))  # ROI 2.5 − 10 %
    assert fen(table.loc[0.3, 0.0]) == half_away(allocatable * Fraction(325, 100))


def test_reserve_moves_with_its_share_and_the_allocatable_is_what_is_left(default_inputs):
    inputs = default_inputs()
    reserve = sensitivity_table(inputs, V.RESERVE_SHARE, V.GMV_TARGET, Output.RESERVE, (0.5,), (0.0,))
    allocatable = sensitivity_table(inputs, V.RESERVE_SHARE, V.GMV_TARGET, Output.ALLOCATABLE, (0.5,), (0.0,))
    assert fen(reserve.iloc[0, 0]) == 720_000 * 100 * 15 // 100  # 15 % of the budget
    assert fen(allocatable.iloc[0, 0]) == 720_000 * 100 * 85 // 100


def test_a_step_that_makes_an_input_invalid_is_named_and_one_input_twice_is_refused(default_inputs):
    with pytest.raises(InputError, match="reserve_share"):
        sensitivity_table(default_inputs(), V.RESERVE_SHARE, V.GMV_TARGET, Output.BUDGET, (10.0,), (0.0,))
    with pytest.raises(InputError, match="两个不同"):
        sensitivity_table(default_inputs(), V.TARGET_ROI, V.TARGET_ROI, Output.BUDGET)
