"""The typical promotion windows as docs/planning-rules.md (2.3) lists them, written out again for
tests to weigh days by hand: (event, [(window, (month, day), (month, day), GMV multiplier)], lead days)."""

import datetime as dt
from fractions import Fraction

TYPICAL = (
    ("年货节", [("预热期", (1, 3), (1, 9), "1.1"), ("爆发期", (1, 10), (1, 25), "1.5")], 3),
    ("38节", [("预热期", (2, 25), (2, 28), "1.1"), ("爆发期", (3, 1), (3, 8), "1.4")], 3),
    ("618", [("预热期", (5, 13), (5, 19), "1.1"), ("爆发期", (5, 20), (6, 18), "1.6"),
             ("返场期", (6, 19), (6, 25), "0.9")], 5),
    ("七夕", [("爆发期", (8, 1), (8, 10), "1.2")], 2),
    ("99", [("预热期", (8, 25), (8, 31), "1.1"), ("爆发期", (9, 1), (9, 9), "1.3")], 3),
    ("双11", [("预热期", (10, 8), (10, 19), "1.1"), ("爆发期", (10, 20), (11, 11), "1.8"),
             ("返场期", (11, 12), (11, 18), "0.9")], 5),
    ("双12", [("预热期", (12, 1), (12, 5), "1.1"), ("爆发期", (12, 6), (12, 12), "1.3")], 3),
)  # fmt: skip


def weight(day: dt.date, budget: bool, events=TYPICAL) -> Fraction:
    """A day's GMV (or budget) multiplier in ``day``'s year: the product over the windows it lies in,
    the budget's windows moved ``lead`` days earlier."""
    product = Fraction(1)
    for _, windows, lead in events:
        shift = dt.timedelta(days=lead if budget else 0)
        for _, start, end, multiplier in windows:
            if dt.date(day.year, *start) - shift <= day <= dt.date(day.year, *end) - shift:
                product *= Fraction(multiplier)
    return product


def share(first: int, stop: int, budget: bool = True, start: dt.date = dt.date(2027, 1, 1)) -> float:
    """The plan days ``first``–``stop − 1``'s part of the year's weights (flat months): the part of a
    mature shop's budget (or of its GMV) they get."""
    weights = [weight(start + dt.timedelta(days=d), budget) for d in range(365)]
    return float(sum(weights[first:stop]) / sum(weights))
