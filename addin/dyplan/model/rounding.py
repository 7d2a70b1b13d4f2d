"""Exact rounding: money in whole fen (0.01 CNY) and people in whole heads.

Every split hands out exactly the amount it was given (largest remainder), so rounded
days add up to rounded phases and those to the total (PLANNING_RULES §2, Rounding).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import numpy.typing as npt

FEN_PER_CNY = 100


def to_fen(cny: float) -> int:
    """Round a CNY amount to whole fen, half away from zero on its decimal digits (as Excel)."""
    return int(Decimal(repr(float(cny))).scaleb(2).quantize(Decimal(1), ROUND_HALF_UP))


def largest_remainder(total: npt.ArrayLike, weights: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Split whole-unit totals (fen, heads) in proportion to weights, by largest remainder.

    Parameters
    ----------
    total
        One total (scalar) or one per row (shape ``(n,)``), in whole units, ≥ 0.
    weights
        Non-negative weights: shape ``(k,)`` shared by every row, or ``(n, k)``.
        A row whose weights are all zero gets nothing (its total should be 0).

    Returns
    -------
    Integers of shape ``(k,)`` or ``(n, k)`` whose rows add up exactly to ``total``.
    Ties in the remainders go to the earlier column, so the result is deterministic.
    """
    totals = np.atleast_1d(np.asarray(total, dtype=np.int64))
    w = np.asarray(weights, dtype=float)
    w2 = np.broadcast_to(w, (totals.size, w.shape[-1]))
    sums = w2.sum(axis=1, keepdims=True)
    shares = np.divide(w2, sums, out=np.zeros_like(w2), where=sums > 0)
    exact = totals[:, None] * shares
    totals = np.where(sums[:, 0] > 0, totals, 0)
    floor = np.floor(exact).astype(np.int64)
    short = totals - floor.sum(axis=1)  # 0..k-1 up to float noise
    remainder = exact - floor
    # Rank columns by remainder (largest first, earlier column on ties) within each row.
    order = np.argsort(-remainder, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(w2.shape[1])[None, :].repeat(totals.size, 0), axis=1)
    k = w2.shape[1]
    # Whole rounds for any noise beyond k, then one more fen to the top-ranked columns.
    result = floor + short[:, None] // k + (rank < (short % k)[:, None])
    return result[0] if np.ndim(total) == 0 and w.ndim == 1 else result


def largest_remainder_by_group(
    group_totals: npt.ArrayLike, groups: npt.ArrayLike, weights: npt.ArrayLike
) -> npt.NDArray[np.int64]:
    """Split each group's total over its members in proportion to their weights.

    ``groups`` gives each member's group index (0..len(group_totals)-1); members of a
    group share its total by largest remainder. Returns whole units per member.
    """
    groups = np.asarray(groups)
    weights = np.asarray(weights, dtype=float)
    out = np.zeros(groups.size, dtype=np.int64)
    for g, total in enumerate(np.asarray(group_totals, dtype=np.int64)):
        members = np.flatnonzero(groups == g)
        out[members] = largest_remainder(int(total), weights[members])
    return out
