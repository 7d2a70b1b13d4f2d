"""Largest-remainder rounding and fen rounding."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyplan.model.rounding import largest_remainder, to_fen


@pytest.mark.parametrize(
    ("cny", "expected"),
    [(2.675, 268), (1.005, 101), (-1.005, -101), (0.004, 0), (6_500_000, 650_000_000)],
    ids=["half-up", "binary-trap", "negative", "below-half", "large"],
)
def test_to_fen_rounds_half_away_from_zero_on_decimal_digits(cny, expected):
    # Excel's ROUND(1.005, 2) = 1.01 although 1.005 is stored as 1.00499999…
    assert to_fen(cny) == expected


def test_largest_remainder_gives_leftover_to_largest_fractions():
    # 7 × (1, 2, 3)/6 = 1.17, 2.33, 3.5 → floors 1, 2, 3 (6); 1 left → 3.5 gets it
    assert largest_remainder(7, [1, 2, 3]).tolist() == [1, 2, 4]


def test_largest_remainder_ties_go_to_the_earlier_column():
    assert largest_remainder(100, [1, 1, 1]).tolist() == [34, 33, 33]


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
