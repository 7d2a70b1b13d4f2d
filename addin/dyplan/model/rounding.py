"""Exact rounding: money in whole fen (0.01 CNY) and people in whole heads.

Amounts and remainders are exact rationals, a float being read as the decimal it shows
(``0.075`` is 75/1000): 7.5 % of 2,129,211 is exactly 159,690.825 and rounds half away from
zero to .83, and equal remainders are real ties that go to the earlier item, as documented,
not to float noise. Every split hands out exactly the amount it was given (largest
remainder), so rounded days add up to rounded phases and those to the total (§2, Rounding).
"""

from __future__ import annotations

import functools
import itertools
import math
from fractions import Fraction
from numbers import Integral

import numpy as np
import numpy.typing as npt

FEN_PER_CNY = 100


def exact(value: float | Fraction) -> Fraction:
    """A number as an exact rational; a float as the shortest decimal that reads back as it
    (the digits typed into the cell), so ``exact(0.1) == Fraction(1, 10)``."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, Integral):
        return Fraction(int(value))
    return _decimal_of(float(value))


@functools.lru_cache(maxsize=4096)
def _decimal_of(value: float) -> Fraction:
    # Cached: the same shares and weights are read for every split of a plan.
    return Fraction(repr(value))


def round_half_away(value: Fraction) -> int:
    """The nearest whole number, halves away from zero (as Excel's ROUND)."""
    magnitude = math.floor(abs(value) + Fraction(1, 2))
    return magnitude if value >= 0 else -magnitude


def to_fen(cny: float | Fraction) -> int:
    """Round a CNY amount to whole fen, half away from zero on its exact decimal value."""
    return round_half_away(exact(cny) * FEN_PER_CNY)


#: Fen within this of a whole fen are that whole fen, however they round: only a half fen is a tie,
#: and a float's error is far smaller for any amount below 10¹⁰ CNY.
_ON_THE_FEN = 1e-3


def to_fen_array(cny: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """``to_fen`` of every amount (NaN stays NaN), as floats holding whole fen. Amounts already in
    whole fen (a plan's days are) are scaled at once; only the others take the exact rounding."""
    values = np.asarray(cny, dtype=float)
    fen = np.rint(values * FEN_PER_CNY)
    off = np.abs(values * FEN_PER_CNY - fen) > _ON_THE_FEN  # NaN compares False: it stays NaN
    fen[off] = [to_fen(v) for v in values[off]]
    return fen


def integer_weights(weights: npt.ArrayLike) -> npt.NDArray:
    """Whole numbers in exactly the proportions of ``weights`` (floats, ints or Fractions).

    Integer input is returned as int64; anything else is scaled by the common denominator of
    its exact values, as int64 when they fit and as Python ints (object dtype) otherwise.
    """
    w = np.asarray(weights)
    if w.dtype.kind in "iu":
        return w.astype(np.int64)
    flat = w.ravel().tolist()
    rationals = {v: exact(v) for v in set(flat)}  # each distinct value converted once
    scale = math.lcm(*(r.denominator for r in rationals.values()))
    scaled = {v: int(r * scale) for v, r in rationals.items()}
    dtype = np.int64 if max(scaled.values(), default=0) < 2**63 else object
    return np.array([scaled[v] for v in flat], dtype=dtype).reshape(w.shape)


def _fitting_dtype(totals: npt.NDArray, weights: npt.NDArray) -> type:
    """int64 when every product total × weight and every weight sum fits in it, else Python ints."""
    largest = max(int(np.max(totals, initial=1)), 1) * int(np.max(weights, initial=0)) * weights.shape[-1]
    return np.int64 if largest < 2**63 else object


def _split_rows(totals: npt.NDArray, weights: npt.NDArray) -> tuple[npt.NDArray, npt.NDArray, npt.NDArray]:
    """Largest remainder per row, exactly: floors, remainders and which columns round up.

    Row ``d``'s exact share of column ``c`` is ``totals[d] × weights[d, c] / Σ weights[d]``;
    the remainders are numerators over that row's weight sum. Ties go to the earlier column.
    """
    dtype = _fitting_dtype(totals, weights)
    w = weights.astype(dtype)
    sums = w.sum(axis=1)
    totals = np.where(sums > 0, totals, 0).astype(dtype)
    numerators = totals[:, None] * w
    divisors = np.maximum(sums, 1)[:, None]
    floor = numerators // divisors
    remainder = numerators - floor * divisors
    short = totals - floor.sum(axis=1)  # 0..k-1 units left over in each row
    rank = np.argsort(np.argsort(-remainder, axis=1, kind="stable"), axis=1)
    return floor, remainder, rank < short[:, None]


def largest_remainder(total: npt.ArrayLike, weights: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Split whole-unit totals (fen, heads) in proportion to weights, by largest remainder.

    Parameters
    ----------
    total
        One total (scalar) or one per row (shape ``(n,)``), in whole units, ≥ 0.
    weights
        Non-negative weights (floats read as their decimals, ints or Fractions): shape ``(k,)``
        shared by every row, or ``(n, k)``. A row whose weights are all zero gets nothing.

    Returns
    -------
    Integers of shape ``(k,)`` or ``(n, k)`` whose rows add up exactly to ``total``.
    Exact ties in the remainders go to the earlier column.
    """
    totals = np.atleast_1d(np.asarray(total, dtype=np.int64))
    w = integer_weights(weights)
    floor, _, up = _split_rows(totals, np.broadcast_to(w, (totals.size, w.shape[-1])))
    result = (floor + up).astype(np.int64)
    return result[0] if np.ndim(total) == 0 and w.ndim == 1 else result


def largest_remainder_by_group(
    group_totals: npt.ArrayLike, groups: npt.ArrayLike, weights: npt.ArrayLike
) -> npt.NDArray[np.int64]:
    """Split each group's total over its members in proportion to their weights.

    ``groups`` gives each member's group index (0..len(group_totals)-1); members of a
    group share its total by largest remainder. Returns whole units per member.
    """
    groups = np.asarray(groups)
    weights = integer_weights(weights)
    out = np.zeros(groups.size, dtype=np.int64)
    for g, total in enumerate(np.asarray(group_totals, dtype=np.int64)):
        members = np.flatnonzero(groups == g)
        out[members] = largest_remainder(int(total), weights[members])
    return out


def round_table(
    row_totals: npt.ArrayLike, column_totals: npt.ArrayLike, weights: npt.ArrayLike
) -> npt.NDArray[np.int64]:
    """Round the table ``row_totals[d] × weights / Σ weights`` with both margins fixed.

    Every row adds up to its total, every column to ``column_totals`` and every cell is its
    exact value rounded down or up. Of all such tables, the one whose rounded-up cells have
    the largest remainders (the least total deviation from exact): the two-way form of
    largest remainder, where on ties the earlier rows keep their own split. Column totals
    from ``largest_remainder`` of the grand total over the same weights always admit such a
    table when there are at most three columns.
    """
    totals = np.asarray(row_totals, dtype=np.int64)
    w = integer_weights(weights)
    floor, remainder, up = _split_rows(totals, np.broadcast_to(w, (totals.size, w.shape[-1])))
    need = np.asarray(column_totals, dtype=np.int64) - (floor + up).sum(axis=0)
    while need.any():
        _move_units(remainder, up, need)
    return (floor + up).astype(np.int64)


def _move_units(remainder: npt.NDArray, up: npt.NDArray[np.bool_], need: npt.NDArray[np.int64]) -> None:
    """Move rounded-up units from columns over their totals towards columns under them.

    A move in row d from column i to j rounds i down and j up instead, costing
    ``remainder[d, i] − remainder[d, j]``; units travel along the cheapest chain of moves
    (successive shortest paths, so the table stays the best one for its current column
    sums). On ties the latest rows move, so earlier rows keep their own largest-remainder
    split; a direct move goes in bulk to every row at the same least cost.
    """
    movable = up[:, :, None] & ~up[:, None, :] & (remainder[:, None, :] > 0)
    none = int(np.max(remainder, initial=0)) + 1  # dearer than any move
    cost = np.where(movable, remainder[:, :, None] - remainder[:, None, :], none)
    row = len(cost) - 1 - cost[::-1].argmin(axis=0)  # the latest of the cheapest rows for i → j
    best = np.take_along_axis(cost, row[None], axis=0)[0].tolist()
    path = _cheapest_path(best, none, need.tolist())
    moves = list(itertools.pairwise(path))
    if len(moves) == 1:
        [(i, j)] = moves
        rows = [np.flatnonzero(cost[:, i, j] == best[i][j])[::-1][: min(-need[i], need[j])]]
    else:
        rows = [[row[i, j]] for i, j in moves]
    for (i, j), moved in zip(moves, rows, strict=True):
        up[moved, i], up[moved, j] = False, True
    need[path[0]] += len(rows[0])
    need[path[-1]] -= len(rows[0])


def _cheapest_path(cost: list[list[int]], none: int, need: list[int]) -> list[int]:
    """Columns from one over its total to one under it along the cheapest moves (Bellman–Ford)."""
    k = len(need)
    distance: list[int | None] = [0 if n < 0 else None for n in need]
    came_from: list[int | None] = [None] * k
    for _ in range(k - 1):
        for i, j in itertools.product(range(k), repeat=2):
            d = distance[i]
            if d is not None and cost[i][j] < none and (distance[j] is None or d + cost[i][j] < distance[j]):
                distance[j], came_from[j] = d + cost[i][j], i
    ends = [c for c in range(k) if need[c] > 0 and distance[c] is not None]
    if not ends:
        raise ValueError("no rounding of the table within one unit of every cell meets these column totals")
    path = [min(ends, key=lambda c: distance[c])]
    while (previous := came_from[path[-1]]) is not None:
        path.append(previous)
    return path[::-1]
