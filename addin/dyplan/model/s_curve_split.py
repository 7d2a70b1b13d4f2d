"""The best split of a daily budget when some curve is S-shaped (shape > 1).

An S-shaped curve's marginal ROI first rises, then falls, so the Lagrange condition (every free
channel at one marginal ROI λ) has several solutions and the budget can sit where a channel is not
worth entering at all. The split is found in two steps: a coarse look over the whole box of allowed
spends finds the basin of the best point (every channel but the widest-ranging one on a grid, that
one taking what is left), then Newton's method on the Lagrange conditions, holding a channel at a
bound when a step would cross it and freeing it again when its marginal ROI says it wants to move,
lands on the point itself; Newton also starts with each choice of S-shaped channels held at their
least spend, a corner a grid can miss by a cell, and the corners of the box are weighed beside what
it finds. Where none of Newton's points is the best (a start on a flat stretch, or a corner beats
them), the look is narrowed around the best point instead, level by level.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

from dyplan.model.response import Curve

#: Grid points per channel of the coarse look (33² = 1,089 splits for three channels).
COARSE = 33
#: Newton steps before giving up on settling (each set of held channels takes a few).
NEWTON_STEPS = 60
#: Points per channel, and how many levels, of the narrowing look that stands in for Newton.
ZOOM_POINTS, ZOOM_LEVELS = 9, 24


def s_shaped_split(
    curves: Sequence[Curve], budget: float, low: Sequence[float], high: Sequence[float]
) -> list[float]:
    """The daily spends within ``low``–``high``, adding up to ``budget``, that bring the most GMV."""
    start = _coarse_best(curves, budget, low, high)
    # An S-shaped channel may be worth not entering at all: its least spend is a corner the grid can
    # miss by a cell, so Newton also starts from each choice of S-shaped channels held there.
    starts = (start, *_unentered(curves, budget, low, high))
    settled = [p for p in (_newton(curves, budget, low, high, s) for s in starts) if p is not None]
    # Newton settles where the Lagrange conditions hold, which with a channel in its convex stretch can
    # be a worse point than a corner of the box (every channel but one at a bound): weigh those too.
    best = max([start, *settled, *_corners(budget, low, high)], key=lambda p: _gmv(curves, p))
    if any(best is p for p in settled):
        return best
    polished = _newton(curves, budget, low, high, best)  # from the corner: its bounds freed as they want
    if polished is not None and _gmv(curves, polished) >= _gmv(curves, best):
        return polished
    return _narrowed(curves, budget, low, high, best)


def _corners(budget: float, low: Sequence[float], high: Sequence[float]) -> list[list[float]]:
    """The splits with every channel but one at its least or most spend, that one taking the rest."""
    corners = []
    for rest in range(len(low)):
        others = [i for i in range(len(low)) if i != rest]
        for ends in itertools.product((low, high), repeat=len(others)):
            point = list(low)
            for i, end in zip(others, ends, strict=True):
                point[i] = end[i]
            point[rest] = budget - sum(point[i] for i in others)
            if low[rest] <= point[rest] <= high[rest]:
                corners.append(point)
    return corners


def _unentered(
    curves: Sequence[Curve], budget: float, low: Sequence[float], high: Sequence[float]
) -> list[list[float]]:
    """Starts with some S-shaped channels at their least spend, the others sharing the rest in
    proportion to their room (where it fits)."""
    shaped = [i for i, c in enumerate(curves) if c.shape > 1 and low[i] < high[i]]
    starts = []
    for size in range(1, len(shaped) + 1):
        for held in itertools.combinations(shaped, size):
            others = [i for i in range(len(curves)) if i not in held]
            room = sum(high[i] - low[i] for i in others)
            left = budget - sum(low)
            if not others or not 0 <= left <= room:
                continue
            share = left / room if room > 0 else 0.0
            starts.append(
                [low[i] if i in held else low[i] + (high[i] - low[i]) * share for i in range(len(curves))]
            )
    return starts


def _gmv(curves: Sequence[Curve], spend: Sequence[float]) -> float:
    return math.fsum(c.gmv(s) for c, s in zip(curves, spend, strict=True))


def _curvature(curve: Curve, spend: float) -> float:
    """d²GMV/ds² = GMV′(s)/s · (a(1 − x)/(1 + x) − 1) with x = (s/K)ᵃ: negative past the inflection."""
    if spend <= 0:
        return 0.0  # undefined at no spend: Newton gives up there (the narrowing look takes over)
    x = (spend / curve.half_saturation) ** curve.shape
    return curve.marginal_roi(spend) / spend * (curve.shape * (1 - x) / (1 + x) - 1)


def _best_of(curves: Sequence[Curve], grids: list[np.ndarray], budget: float, low: Sequence[float],
             high: Sequence[float], rest: int) -> list[float] | None:  # fmt: skip
    """The best point of a grid over every channel but ``rest``, which takes what is left (None when
    no grid point leaves it a spend within its bounds)."""
    mesh = np.meshgrid(*grids, indexing="ij")
    left = budget - sum(mesh)
    slack = 1e-9 * max(budget, 1.0)
    feasible = (left >= low[rest] - slack) & (left <= high[rest] + slack)
    if not feasible.any():
        return None
    spends = iter(mesh)
    total = sum(
        np.asarray(c.gmv(np.clip(left, low[rest], high[rest]) if i == rest else next(spends)))
        for i, c in enumerate(curves)
    )
    at = np.unravel_index(int(np.argmax(np.where(feasible, total, -np.inf))), feasible.shape)
    others = iter(float(m[at]) for m in mesh)
    point = [min(max(float(left[at]), low[i]), high[i]) if i == rest else next(others)
             for i in range(len(curves))]  # fmt: skip
    return point


def _coarse_best(
    curves: Sequence[Curve], budget: float, low: Sequence[float], high: Sequence[float]
) -> list[float]:
    rest = max(range(len(curves)), key=lambda i: high[i] - low[i])
    grids = [np.linspace(low[i], high[i], COARSE) for i in range(len(curves)) if i != rest]
    point = _best_of(curves, grids, budget, low, high, rest)
    if point is None:  # the budget sits on a corner of the box: every channel between its bounds, evenly
        free = sum(high) - sum(low)
        share = (budget - sum(low)) / free if free > 0 else 0.0
        point = [lo + (hi - lo) * share for lo, hi in zip(low, high, strict=True)]
    return point


def _newton(curves: Sequence[Curve], budget: float, low: Sequence[float], high: Sequence[float],
            start: Sequence[float]) -> list[float] | None:  # fmt: skip
    """Newton's method on g′ᵢ(sᵢ) = λ, Σ sᵢ = budget over the channels not held at a bound, from
    ``start``; None when it does not settle."""
    spend = list(start)
    n, scale = len(spend), max(budget, 1.0)
    held = {i for i in range(n) if spend[i] <= max(low[i], 1e-12 * scale) or spend[i] >= high[i]}
    for i in held:
        spend[i] = low[i] if spend[i] <= low[i] or spend[i] < high[i] else high[i]
    free = [i for i in range(n) if i not in held]
    marginal = sum(curves[i].marginal_roi(spend[i]) for i in free) / len(free) if free else 0.0
    freed = 0
    for _ in range(NEWTON_STEPS):
        if not free:
            return spend if abs(sum(spend) - budget) <= 1e-9 * scale else None
        slopes = [curves[i].marginal_roi(spend[i]) for i in free]
        bends = [_curvature(curves[i], spend[i]) for i in free]
        if any(b == 0 for b in bends) or sum(1 / b for b in bends) == 0:
            return None
        residuals = [g - marginal for g in slopes]
        short = sum(spend[i] for i in free) + sum(spend[i] for i in held) - budget
        step_marginal = (-short + sum(r / b for r, b in zip(residuals, bends, strict=True))) / sum(
            1 / b for b in bends
        )
        steps = [(step_marginal - r) / b for r, b in zip(residuals, bends, strict=True)]
        # how far along the step before a channel meets a bound (1: all of it)
        reach, hits = 1.0, None
        for i, step in zip(free, steps, strict=True):
            room = (low[i] - spend[i]) if step < 0 else (high[i] - spend[i])
            if step != 0 and room / step < reach:
                reach, hits = max(room / step, 0.0), i
        for i, step in zip(free, steps, strict=True):
            spend[i] += reach * step
        marginal += reach * step_marginal
        if hits is not None:
            spend[hits] = low[hits] if steps[free.index(hits)] < 0 else high[hits]
            held.add(hits)
            free.remove(hits)
            continue
        if max(abs(s) for s in steps) > 1e-10 * scale or abs(short) > 1e-9 * scale:
            continue
        wanting = [i for i in held if low[i] < high[i] and (
            (spend[i] <= low[i] and curves[i].marginal_roi(spend[i]) > marginal * (1 + 1e-9))
            or (spend[i] >= high[i] and curves[i].marginal_roi(spend[i]) < marginal * (1 - 1e-9))
        )]  # fmt: skip
        if not wanting:
            return spend
        freed += len(wanting)
        if freed > 2 * n:
            return None  # freed and held again and again: no settling here
        for i in wanting:
            # off its bound, and past an S-shaped curve's inflection when it leaves its least spend: in
            # its slow start the curve bends up, and Newton would walk it back to the bound
            up = spend[i] <= low[i]
            into = max(low[i] + 1e-9 * scale, 1.05 * curves[i].peak_spend) if up else high[i] - 1e-9 * scale
            spend[i] = min(max(into, low[i]), high[i])
            held.discard(i)
            free.append(i)
        free.sort()
    return None


def _narrowed(curves: Sequence[Curve], budget: float, low: Sequence[float], high: Sequence[float],
              start: Sequence[float]) -> list[float]:  # fmt: skip
    """The best point of ever smaller grids around ``start`` (a quarter as wide at each level)."""
    rest = max(range(len(curves)), key=lambda i: high[i] - low[i])
    best, width = list(start), [(hi - lo) / (COARSE - 1) for lo, hi in zip(low, high, strict=True)]
    for _ in range(ZOOM_LEVELS):
        grids = [np.unique(np.clip(np.linspace(best[i] - width[i], best[i] + width[i], ZOOM_POINTS),
                                   low[i], high[i])) for i in range(len(curves)) if i != rest]  # fmt: skip
        point = _best_of(curves, grids, budget, low, high, rest)
        if point is not None and _gmv(curves, point) >= _gmv(curves, best):
            best = point
        width = [w / 4 for w in width]
    return best
