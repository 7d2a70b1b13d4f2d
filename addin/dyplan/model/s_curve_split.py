"""The best split of a daily budget when some curve is S-shaped (shape > 1).

An S-shaped curve's marginal ROI first rises, then falls, so the Lagrange condition (every free
channel at one marginal ROI λ) has several solutions and the budget can sit where a channel is not
worth entering at all. The split is found in two steps: a coarse look over the whole box of allowed
spends finds the basin of the best point (every channel but the widest-ranging one on a grid, that
one taking what is left), then Newton's method on the Lagrange conditions, holding a channel at a
bound when a step would cross it and freeing it again when its marginal ROI says it wants to move,
lands on the point itself. Where Newton cannot settle (a start on a flat stretch), the look is
narrowed around the best point instead, level by level.
"""

from __future__ import annotations

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
    polished = _newton(curves, budget, low, high, start)
    if polished is not None and _gmv(curves, polished) >= _gmv(curves, start):
        return polished
    return _narrowed(curves, budget, low, high, start)


def _gmv(curves: Sequence[Curve], spend: Sequence[float]) -> float:
    return math.fsum(c.gmv(s) for c, s in zip(curves, spend, strict=True))


def _curvature(curve: Curve, spend: float) -> float:
    """d²GMV/ds² = GMV′(s)/s · (a(1 − x)/(1 + x) − 1) with x = (s/K)ᵃ: negative past the inflection."""
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
        for i in wanting:  # nudged off its bound so that its curvature is defined
            spend[i] += 1e-9 * scale if spend[i] <= low[i] else -1e-9 * scale
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
