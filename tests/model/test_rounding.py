"""Largest-remainder rounding and fen rounding."""

import random

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyplan.model.rounding import largest_remainder, round_table, to_fen, to_fen_array
from tests.model import reference


@pytest.mark.parametrize(
    ("cny", "expected"),
    [(2.675, 268), (1.005, 101), (-1.005, -101), (0.004, 0), (6_500_000, 650_000_000)],
    ids=["half-up", "binary-trap", "negative", "below-half", "large"],
)
def test_to_fen_rounds_half_away_from_zero_on_decimal_digits(cny, expected):
    # Excel's ROUND(1.005, 2) = 1.01 although 1.005 is stored as 1.00499999…
    assert to_fen(cny) == expected


def test_to_fen_array_rounds_as_to_fen_and_keeps_blanks_blank():
    amounts = [2.675, 1.005, -1.005, 0.004, 6_500_000, 1234.57, 0.125, -0.125, float("nan"), 99_999_999.99]
    # 2.675, ±1.005 and ±0.125 are half a fen: away from zero, as their decimal digits say
    expected = [268, 101, -101, 0, 650_000_000, 123_457, 13, -13, None, 9_999_999_999]
    got = to_fen_array(amounts)
    assert [None if np.isnan(v) else int(v) for v in got] == expected


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False))
def test_to_fen_array_is_to_fen_for_any_amount(amount):
    assert to_fen_array([float(amount)])[0] == to_fen(float(amount))


def test_largest_remainder_gives_leftover_to_largest_fractions():
    # 7 × (1, 2, 3)/6 = 1.17, 2.33, 3.5 → floors 1, 2, 3 (6); 1 left → 3.5 gets it
    assert largest_remainder(7, [1, 2, 3]).tolist() == [1, 2, 4]


def test_largest_remainder_ties_go_to_the_earlier_column():
    assert largest_remainder(100, [1, 1, 1]).tolist() == [34, 33, 33]


def test_largest_remainder_exact_decimal_tie_goes_to_the_earlier_column():
    # 2,090 × 0.62 / 0.24 / 0.14 = 1,295.8 / 501.6 / 292.6 → floors 2,088, 2 fen left:
    # .8 takes one, and .6 = .6 is an exact tie, so the earlier (second) column takes the other.
    assert largest_remainder(2_090, [0.62, 0.24, 0.14]).tolist() == [1_296, 502, 292]


def test_largest_remainder_exact_rational_tie_goes_to_the_earlier_column():
    # 3 × 4/9, 1/9, 4/9 = 4/3, 1/3, 4/3 → floors 1, 0, 1; the 1 left ties at 1/3 three ways.
    assert largest_remainder(3, [4.0, 1.0, 4.0]).tolist() == [2, 0, 1]


def test_largest_remainder_matches_exact_fraction_reference():
    # Small totals and weights of two decimal places make exact remainder ties common
    # (about one split in 200 ties where float noise would decide).
    rng = random.Random(2090)
    for _ in range(5_000):
        total = rng.randint(0, 100_000)
        weights = [rng.randint(0, 100) / 100 for _ in range(rng.randint(2, 6))]
        if any(weights):
            assert largest_remainder(total, weights).tolist() == reference.largest_remainder(total, weights)


def test_largest_remainder_rows_split_independently():
    got = largest_remainder([10, 5], [[1, 1], [1, 4]])
    assert got.tolist() == [[5, 5], [1, 4]]


@given(
    total=st.integers(0, 10**13),
    weights=st.lists(st.floats(0, 1e6, allow_nan=False), min_size=1, max_size=8).filter(lambda w: sum(w) > 0),
)
def test_largest_remainder_sums_exactly_and_stays_within_one_unit(total, weights):
    got = largest_remainder(total, weights)
    exact = np.asarray(weights) / sum(weights) * total
    assert int(got.sum()) == total
    assert (got >= 0).all()
    assert np.all(np.abs(got - exact) < 1 + 1e-6 * max(total, 1))


def test_round_table_both_margins_fixed_worked_by_hand():
    # Days of 1 and 2 fen at 50/30/20 %: exact .5/.3/.2 and 1/.6/.4; the columns' exact 1.5/.9/.6
    # give 1/1/1 by largest remainder. Each day on its own rounds to 1/0/0 and 1/1/0, so feed
    # has a fen too many and live one too few. Moving day 1's fen from feed to live costs
    # .5 − .2 = .3; via search (day 1 feed → search .2, day 2 search → live .2) costs .4.
    assert round_table([1, 2], [1, 1, 1], [0.5, 0.3, 0.2]).tolist() == [[0, 0, 1], [1, 1, 0]]


def test_round_table_on_ties_earlier_rows_keep_their_own_split():
    # Three days of 10 fen at 1:1:1 round alone to 4/3/3 each; the columns' exact 10 each are
    # whole, so one fen must move from feed to each other column. Every move costs the same
    # (all remainders 1/3), so the last two days move and the first keeps 4/3/3.
    got = round_table([10, 10, 10], [10, 10, 10], [1, 1, 1])
    assert got.tolist() == [[4, 3, 3], [3, 3, 4], [3, 4, 3]]


def test_round_table_is_the_least_deviation_table_with_those_margins():
    rng = random.Random(365)
    for _ in range(400):
        rows = [rng.randint(0, 40) for _ in range(rng.randint(1, 4))]
        cuts = sorted(rng.randint(0, 100) for _ in range(2))
        weights = [cuts[0] / 100, (cuts[1] - cuts[0]) / 100, (100 - cuts[1]) / 100]
        columns = reference.largest_remainder(sum(rows), weights)
        got = round_table(rows, columns, weights)
        assert got.sum(axis=1).tolist() == rows
        assert got.sum(axis=0).tolist() == columns
        deviation = reference.deviation(got, reference.exact_table(rows, weights))
        assert deviation == reference.least_deviation(rows, columns, weights), (rows, weights)


def test_round_table_refuses_column_totals_no_rounding_reaches():
    # The last column has no weight, so no cell of it can be rounded up to 1.
    with pytest.raises(ValueError, match="column totals"):
        round_table([1, 1], [1, 0, 1], [1, 1, 0])
