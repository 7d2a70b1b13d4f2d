"""Independent exact references for the rounding tests: plain Fractions, no numpy."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction


def decimal(x: float) -> Fraction:
    """A float as the decimal it prints (what the user typed)."""
    return Fraction(str(x))


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Floors of total × w / Σw, the leftover units to the largest remainders, earlier first."""
    w = [decimal(x) for x in weights]
    quotas = [total * x / sum(w) for x in w]
    floors = [math.floor(q) for q in quotas]
    by_remainder = sorted(range(len(w)), key=lambda i: (-(quotas[i] - floors[i]), i))
    for i in by_remainder[: total - sum(floors)]:
        floors[i] += 1
    return floors


def exact_table(rows: list[int], weights: list[float]) -> list[list[Fraction]]:
    """Each row's total split exactly in proportion to the weights."""
    w = [decimal(x) for x in weights]
    return [[r * x / sum(w) for x in w] for r in rows]


def deviation(table, exact: list[list[Fraction]]) -> Fraction:
    """Σ |cell − exact| over the table."""
    return sum(
        abs(int(c) - x)
        for cells, row in zip(table, exact, strict=True)
        for c, x in zip(cells, row, strict=True)
    )


def least_deviation(rows: list[int], columns: list[int], weights: list[float]) -> Fraction | None:
    """Least deviation of any table of floors and ceilings with these margins (None if there
    is none), by trying them all: for small tables only."""
    exact = exact_table(rows, weights)
    row_choices = [
        [
            cells
            for cells in itertools.product(*({math.floor(x), math.ceil(x)} for x in row))
            if sum(cells) == r
        ]
        for row, r in zip(exact, rows, strict=True)
    ]
    tables = (t for t in itertools.product(*row_choices) if [sum(c) for c in zip(*t, strict=True)] == columns)
    return min((deviation(t, exact) for t in tables), default=None)
