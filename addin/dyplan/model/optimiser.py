"""The budget optimiser (优化建议): the channel split, per phase, that makes the most of the curves.

Per phase, for its mean daily budget B, choose daily spends s_c within the bounds that maximise
Σ GMV_c(s_c) with Σ s_c = B. At the optimum every channel not held at a bound has the same marginal
ROI λ (the Lagrange condition), and ``Split.spread`` is the check of it. For concave curves (shape ≤ 1)
that condition is also enough: the split is found by water-filling, bisecting on λ, each channel
spending where its marginal ROI falls to λ, clipped to its bounds. S-shaped curves (shape > 1) can
have several such points: ``s_curve_split`` finds the best one.

Three modes (``Mode``): a fixed budget (the plan's) → the most GMV; a target ROI (never under
break-even) → the largest budget whose best split still meets it; a target GMV → the least budget
whose best split reaches it.

>>> from dyplan.model.response import Curve
>>> split = best_split([Curve(9_000, 3_000, 1), Curve(4_000, 1_000, 1)], 4_000, [0, 0], [4_000, 4_000])
>>> [round(s) for s in split.spend], round(split.marginal_roi[0], 4) == round(split.marginal_roi[1], 4)
([2777, 1223], True)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dyplan.errors import Field, InputError, OptimiseError, Problem
from dyplan.model.breakeven import under_breakeven
from dyplan.model.inputs import Assumptions, spend_problems
from dyplan.model.plan import Plan
from dyplan.model.response import Curve
from dyplan.model.rounding import FEN_PER_CNY, largest_remainder, to_fen
from dyplan.model.s_curve_split import s_shaped_split
from dyplan.model.terms import Channel, Phase, Term
from dyplan.model.values import is_number

#: The phases whose live share ``Assumptions.early_live_cap`` caps: while the shop still builds its base
#: and audience (§3.2).
EARLY_PHASES = (Phase.P1, Phase.P2)
#: A channel this close to a bound (as a share of the budget) counts as held at it.
AT_BOUND = 1e-6
#: Channel_Mix shares are written in basis points (0.01 %).
BASIS_POINTS = 10_000


class Mode(Term):
    BUDGET = "budget", "固定预算", "fixed budget"
    ROI = "roi", "目标ROI", "target ROI"
    GMV = "gmv", "目标GMV", "target GMV"


def _share_ranges(
    mix: Mapping[Phase, Sequence[float]], band: float, live_cap: float
) -> dict[Phase, dict[Channel, tuple[float, float]]]:
    """Each phase's shares ± ``band`` (within 0–100 %), live at most ``live_cap`` in the early phases."""
    ranges = {}
    for phase, shares in mix.items():
        ranges[phase] = {
            c: (max(s - band, 0.0), min(s + band, 1.0)) for c, s in zip(Channel, shares, strict=True)
        }
        if phase in EARLY_PHASES:
            low, high = ranges[phase][Channel.LIVE]
            ranges[phase][Channel.LIVE] = (min(low, live_cap), min(high, live_cap))
    return ranges


def _default_share_ranges() -> dict[Phase, dict[Channel, tuple[float, float]]]:
    a = Assumptions()
    return _share_ranges(a.channel_mix, a.share_band, a.early_live_cap)


@dataclass(frozen=True)
class Bounds:
    """What the optimiser may propose: per phase and channel a share range (min, max) of the phase's
    budget, and per channel a least daily spend (CNY). Defaults: those of the default assumptions
    (``Bounds.of``). Raises ``InputError`` listing every problem."""

    shares: Mapping[Phase, Mapping[Channel, tuple[float, float]]] = field(
        default_factory=_default_share_ranges
    )
    min_daily_spend: Mapping[Channel, float] = field(
        default_factory=lambda: dict(Assumptions().min_daily_spend)
    )

    @classmethod
    def of(cls, a: Assumptions) -> Bounds:
        """The bounds the assumptions set: each phase's channel mix ± ``share_band``, live at most
        ``early_live_cap`` in P1–P2, and each channel's ``min_daily_spend``."""
        return cls(_share_ranges(a.channel_mix, a.share_band, a.early_live_cap), dict(a.min_daily_spend))

    def __post_init__(self) -> None:
        problems = [*self._share_problems(), *spend_problems(self.min_daily_spend)]
        if problems:
            raise InputError(problems)

    def _share_problems(self) -> list[Problem]:
        problems = []
        for phase in Phase:
            ranges = [self.shares.get(phase, {}).get(c, (None, None)) for c in Channel]
            wrong = [(c, r) for c, r in zip(Channel, ranges, strict=True)
                     if not (all(is_number(v) for v in r) and 0 <= r[0] <= r[1] <= 1)]  # fmt: skip
            for channel, (low, high) in wrong:
                problems.append(Problem(
                    Field("optimiser_bounds", phase.value, channel.value),
                    f"应为 0%–100% 之间的（最小, 最大）比例，当前为 ({low}, {high})",
                    f"must be (min, max) shares within 0–100 %, got ({low}, {high})",
                ))  # fmt: skip
            if not wrong and not sum(r[0] for r in ranges) <= 1 <= sum(r[1] for r in ranges):
                problems.append(Problem(
                    Field("optimiser_bounds", phase.value),
                    "各渠道最小比例之和须 ≤ 100%，最大比例之和须 ≥ 100%",
                    "the minimum shares must add up to at most 100 % and the maximums to at least 100 %",
                ))  # fmt: skip
        return problems

    def limits(self, phase: Phase, budget: float) -> tuple[list[float], list[float]]:
        """Least and most daily spend per channel (``Channel`` order) at a daily budget."""
        ranges = [self.shares[phase][c] for c in Channel]
        low = [max(r[0] * budget, self.min_daily_spend[c]) for r, c in zip(ranges, Channel, strict=True)]
        return low, [r[1] * budget for r in ranges]


@dataclass(frozen=True)
class Split:
    """Daily spends per channel (CNY, ``Channel`` order) on the curves: GMV, marginal ROI, and which
    bound each channel is held at (``"min"``, ``"max"`` or ``""``)."""

    spend: tuple[float, ...]
    gmv: float
    marginal_roi: tuple[float, ...]
    at_bound: tuple[str, ...]

    @property
    def budget(self) -> float:
        return sum(self.spend)

    @property
    def roi(self) -> float:
        return self.gmv / self.budget if self.budget > 0 else 0.0

    @property
    def shares(self) -> tuple[float, ...]:
        return tuple(s / self.budget if self.budget > 0 else 0.0 for s in self.spend)

    @property
    def spread(self) -> float:
        """The optimality check: the largest relative gap between the marginal ROIs of the channels
        held at no bound (0 at an optimum; 0 when fewer than two are free)."""
        free = [m for m, b in zip(self.marginal_roi, self.at_bound, strict=True) if not b]
        return (max(free) - min(free)) / max(free) if len(free) > 1 and max(free) > 0 else 0.0


def evaluate(
    curves: Sequence[Curve], spend: Sequence[float], low: Sequence[float], high: Sequence[float]
) -> Split:
    """A split's GMV and marginal ROIs on the curves, with the bounds it sits at."""
    budget = sum(spend)
    tolerance = AT_BOUND * max(budget, 1.0)
    at_bound = tuple(
        "min" if s <= lo + tolerance else "max" if s >= hi - tolerance else ""
        for s, lo, hi in zip(spend, low, high, strict=True)
    )
    return Split(
        spend=tuple(float(s) for s in spend),
        gmv=float(sum(c.gmv(s) for c, s in zip(curves, spend, strict=True))),
        marginal_roi=tuple(float(c.marginal_roi(s)) for c, s in zip(curves, spend, strict=True)),
        at_bound=at_bound,
    )


def _water_fill(
    curves: Sequence[Curve], budget: float, low: Sequence[float], high: Sequence[float]
) -> list[float]:
    """Spends where every free channel's marginal ROI is one λ, found by bisection on log λ (in closed
    form when every curve has shape 1): for concave curves (shape ≤ 1), whose marginal ROI only falls."""
    if all(c.shape == 1 for c in curves):
        return _onto_budget(_water_fill_shape_one(curves, budget, low, high), budget, low, high)
    from scipy.optimize import brentq  # on demand: see response.fit_curve

    def spends(log_marginal: float) -> list[float]:
        m = math.exp(log_marginal)
        return [min(max(c.spend_at_marginal(m), lo), hi) for c, lo, hi in zip(curves, low, high, strict=True)]

    floor = budget * 1e-12  # where the marginal of a curve with shape < 1 is still finite
    # Above every curve's highest marginal ROI each channel sits at its least spend; below the lowest
    # one at its most spend, each channel at its most: λ lies between.
    top = max(c.marginal_roi(max(lo, floor)) for c, lo in zip(curves, low, strict=True))
    bottom = min((c.marginal_roi(hi) for c, hi in zip(curves, high, strict=True) if hi > 0), default=top)
    span = (math.log(max(bottom, 1e-300)) - 1, math.log(max(top, 1e-300)) + 1)
    log_marginal = brentq(lambda u: sum(spends(u)) - budget, *span, xtol=1e-12, rtol=1e-14)
    return _onto_budget(spends(log_marginal), budget, low, high)


def _water_fill_shape_one(
    curves: Sequence[Curve], budget: float, low: Sequence[float], high: Sequence[float]
) -> list[float]:
    """Shape 1 gives s = √(V·K/λ) − K: with t = 1/√λ each spend is √(V·K)·t − K clipped to its bounds,
    so Σ s(t) is straight between the t where a channel reaches a bound, and the budget is met on the
    piece that crosses it. No solver, so a plan seeded with the default curves imports no scipy."""
    rates = [math.sqrt(c.max_gmv * c.half_saturation) for c in curves]

    def spends(t: float) -> list[float]:
        return [min(max(r * t - c.half_saturation, lo), hi)
                for r, c, lo, hi in zip(rates, curves, low, high, strict=True)]  # fmt: skip

    knots = sorted({(b + c.half_saturation) / r for r, c, lo, hi in zip(rates, curves, low, high, strict=True)
                    for b in (lo, hi)})  # fmt: skip
    before = 0.0
    for t in knots:
        below, above = sum(spends(before)), sum(spends(t))
        if above >= budget:
            return spends(before + (t - before) * (budget - below) / (above - below) if above > below else t)
        before = t
    return spends(knots[-1])  # a hair short of Σ high by rounding: ``_onto_budget`` tops it up


def _onto_budget(
    spend: Sequence[float], budget: float, low: Sequence[float], high: Sequence[float]
) -> list[float]:
    """``spend`` clipped to its bounds, what it is short of or over the budget taken up by the channels
    with room, most room first (a solver stops within a hair of the budget, not on it)."""
    out = [min(max(s, lo), hi) for s, lo, hi in zip(spend, low, high, strict=True)]
    for i in sorted(range(len(out)), key=lambda i: max(high[i] - out[i], out[i] - low[i]), reverse=True):
        out[i] = min(max(out[i] + budget - sum(out), low[i]), high[i])
    return out


def _gmv(curves: Sequence[Curve], spend: Sequence[float]) -> float:
    return float(sum(c.gmv(s) for c, s in zip(curves, spend, strict=True)))


def best_split(curves: Sequence[Curve], budget: float, low: Sequence[float], high: Sequence[float]) -> Split:
    """The daily spends within ``low``–``high`` that add up to ``budget`` and bring the most GMV.

    Parameters
    ----------
    curves
        One daily curve per channel.
    budget
        The daily budget to split (CNY).
    low, high
        Each channel's least and most daily spend (CNY).

    Raises ``OptimiseError`` when the bounds cannot add up to the budget.
    """
    if any(lo > hi for lo, hi in zip(low, high, strict=True)) or not sum(low) <= budget <= sum(high):
        raise OptimiseError(
            f"渠道上下限无法凑成日预算 {budget:,.2f} 元（最少 {sum(low):,.2f}，最多 {sum(high):,.2f}）；"
            "请放宽渠道比例范围或降低最低日消耗",
            f"the channel bounds cannot add up to the daily budget {budget:,.2f} (least {sum(low):,.2f}, "
            f"most {sum(high):,.2f}): widen the share ranges or lower the minimum daily spends",
        )
    if budget == 0 or sum(high) == budget:
        return evaluate(curves, list(high) if budget else [0.0] * len(curves), low, high)
    if any(c.shape > 1 for c in curves):  # S-shaped: λ may have several points
        spend = _onto_budget(s_shaped_split(curves, budget, low, high), budget, low, high)
    else:
        spend = _water_fill(curves, budget, low, high)
    return evaluate(curves, spend, low, high)


def _least_budget(bounds: Bounds, phase: Phase) -> float:
    """The least daily budget the bounds can be met at (least spends within the share maximums)."""
    most = [bounds.shares[phase][c][1] for c in Channel]
    if any(bounds.min_daily_spend[c] > 0 and m == 0 for c, m in zip(Channel, most, strict=True)):
        raise OptimiseError(
            f"{phase.value} 有渠道最大比例为 0 却要求最低日消耗；请修改其一",
            f"{phase.value}: a channel with a maximum share of 0 has a minimum daily spend: change one",
        )

    def feasible(budget: float) -> bool:
        low, high = bounds.limits(phase, budget)
        return (
            all(lo <= hi for lo, hi in zip(low, high, strict=True)) and sum(low) <= budget <= sum(high) + 1e-9
        )

    if feasible(0.0):
        return 0.0
    low, high = 0.0, sum(bounds.min_daily_spend.values())
    while not feasible(high):
        low, high = high, high * 2
        if high > 1e15:
            raise OptimiseError(
                f"{phase.value} 的渠道比例范围与最低日消耗无法同时满足；请放宽其一",
                f"{phase.value}: the share ranges and minimum daily spends cannot both hold: relax one",
            )
    for _ in range(60):
        middle = (low + high) / 2
        low, high = (low, middle) if feasible(middle) else (middle, high)
    return high


def _solve_budget(
    best: Callable[[float], Split], low: float, high: float, gap: Callable[[Split], float]
) -> Split:
    """The best split at the daily budget in [low, high] where ``gap`` crosses 0 (bisection on log B)."""
    from scipy.optimize import brentq  # on demand: see response.fit_curve

    ends = {math.log(low): low, math.log(high): high}

    def budget(u: float) -> float:  # the ends as given: their splits are known already
        return ends[u] if u in ends else math.exp(u)

    # to a billionth of the budget: far finer than a fen on any budget a phase can have
    log_budget = brentq(lambda u: gap(best(budget(u))), math.log(low), math.log(high), xtol=1e-9)
    return best(budget(log_budget))


def _widen(best: Callable[[float], Split], start: float, unmet: Callable[[Split], bool]) -> float | None:
    """A daily budget, doubling from ``start``, where ``unmet`` stops holding; None if none does."""
    budget = start
    for _ in range(64):
        if not unmet(best(budget)):
            return budget
        budget *= 2
    return None


#: How far apart the budgets of the coarse look are (each the last × 10^⅓, about 2.15).
ROI_LOOK_STEP = 10 ** (1 / 3)


def _roi_bracket(
    best: Callable[[float], Split], least: float, curves: Sequence[Curve], roi: float
) -> tuple[float, float]:
    """Two daily budgets around the largest one whose best split brings ``roi``: the first brings it
    (unless none does: then it is where the ROI is highest), the second does not.

    No budget from Σ V / ``roi`` up brings ``roi`` (the GMV stays under Σ V). Concave curves pay
    best from the first yuan, and less with every one. S-shaped ones first pay more as the budget
    grows, then less, and can do so more than once as channels pass their slow starts: a coarse
    look over budgets from the smallest K / 100 (an S-shaped channel pays best at K·(a − 1)^(1/a),
    above that for any a from 1.01) up to Σ V / ``roi`` gives
    its last point that brings ``roi`` and the next; when none does, a bounded search between the
    best point's neighbours finds the peak, the highest ROI there is."""
    beyond = max(least, sum(c.max_gmv for c in curves) / roi)
    if not any(c.shape > 1 for c in curves):
        return least, beyond
    from scipy.optimize import minimize_scalar  # on demand: see response.fit_curve

    lowest = min(max(least, min(c.half_saturation for c in curves) / 100), beyond)
    points = max(math.ceil(math.log(beyond / lowest) / math.log(ROI_LOOK_STEP)), 1)
    *grid, _ = (float(b) for b in np.geomspace(lowest, beyond, points + 1))
    grid.append(beyond)  # as given, not as geomspace rounds it; its ROI is known to be short
    rois = [best(b).roi for b in grid[:-1]]
    meets = [i for i, r in enumerate(rois) if r >= roi]
    if meets:
        return grid[meets[-1]], grid[meets[-1] + 1]
    i = int(np.argmax(rois))
    span = (math.log(grid[max(i - 1, 0)]), math.log(grid[i + 1]))
    # to 0.1 % of the budget: enough to tell whether the target can be met
    found = minimize_scalar(lambda u: -best(math.exp(u)).roi, bounds=span, method="bounded",
                            options={"xatol": 1e-3})  # fmt: skip
    return max(least, math.exp(found.x)), beyond


def _phase_best(curves: Sequence[Curve], bounds: Bounds, phase: Phase) -> Callable[[float], Split]:
    """The best split of a daily budget within the phase's bounds, each budget's worked out once (a
    search comes back to its ends)."""

    @functools.cache
    def best(budget: float) -> Split:
        return best_split(curves, budget, *bounds.limits(phase, budget))

    return best


def split_for_roi(curves: Sequence[Curve], bounds: Bounds, phase: Phase, roi: float, scale: float) -> Split:
    """The best split of the largest daily budget whose best split still brings ``roi``.

    ``scale`` is a daily budget of the right size (the plan's): the search looks down to a billionth
    of it. Raises ``OptimiseError`` when no budget the bounds allow brings that much.
    """
    best = _phase_best(curves, bounds, phase)
    scale = scale or sum(c.half_saturation for c in curves)
    least = max(_least_budget(bounds, phase), scale * 1e-9)
    start, high = _roi_bracket(best, least, curves, roi)
    highest = best(start).roi
    if highest < roi:
        raise OptimiseError(
            f"{phase.value}：任何预算的最优分配ROI最高只有 {highest:.2f}，达不到目标 {roi:g}；"
            "请降低目标ROI或放宽渠道范围",
            f"{phase.value}: no budget's best split brings more than ROI {highest:.2f}, short of the "
            f"target {roi:g}: lower the target or widen the channel bounds",
        )
    return _solve_budget(best, start, high, lambda split: split.roi - roi)


def split_for_gmv(curves: Sequence[Curve], bounds: Bounds, phase: Phase, gmv: float, scale: float) -> Split:
    """The best split of the least daily budget whose best split brings ``gmv`` a day.

    Raises ``OptimiseError`` when the curves cannot bring that much at any budget.
    """

    best = _phase_best(curves, bounds, phase)
    scale = scale or sum(c.half_saturation for c in curves)
    least = max(_least_budget(bounds, phase), scale * 1e-9)
    if best(least).gmv >= gmv:
        return best(least)
    ceiling = sum(c.max_gmv for c in curves)  # approached, never reached
    high = _widen(best, max(scale, least), lambda split: split.gmv < gmv) if gmv < ceiling else None
    if high is None:
        raise OptimiseError(
            f"{phase.value}：曲线每天最多带来约 {ceiling:,.0f} 元GMV，达不到目标 {gmv:,.0f} 元；"
            "请降低GMV目标",
            f"{phase.value}: the curves bring at most about {ceiling:,.0f} of GMV a day, short of the "
            f"target {gmv:,.0f}: lower the GMV target",
        )
    return _solve_budget(best, least, high, lambda split: split.gmv - gmv)


@dataclass(frozen=True)
class PhaseProposal:
    """One phase's current split and the proposed one, on the same curves (daily, CNY).

    ``current_cny`` and ``proposed_cny`` are the phase's channel amounts over its days, exact to the
    fen; ``proposed_mix`` the proposed shares in basis points, adding up to exactly 100 %."""

    phase: Phase
    days: int
    current: Split
    proposed: Split
    current_cny: tuple[float, ...]
    proposed_cny: tuple[float, ...]
    proposed_mix: tuple[float, ...]

    @property
    def current_gmv(self) -> float:
        return self.current.gmv * self.days

    @property
    def proposed_gmv(self) -> float:
        return self.proposed.gmv * self.days

    @property
    def uplift(self) -> float:
        """Proposed GMV − current GMV over the phase (CNY)."""
        return self.proposed_gmv - self.current_gmv


@dataclass(frozen=True)
class Optimisation:
    """The optimiser's proposal for every phase, beside the plan's current split.

    ``target`` is the ROI or the year's ad GMV asked for (None for a fixed budget); ``breakeven_roi``
    what every ROI is compared with."""

    mode: Mode
    target: float | None
    breakeven_roi: float
    phases: tuple[PhaseProposal, ...]

    def summary(self) -> pd.DataFrame:
        """One row per phase: budget, GMV and ROI now and proposed (phase totals, CNY), the uplift, the
        optimality check ``spread`` and whether the proposed ROI is under break-even."""
        rows = []
        for p in self.phases:
            rows.append({
                "phase": p.phase.value, "phase_zh": p.phase.zh, "days": p.days,
                "current_budget": round(sum(p.current_cny), 2),
                "proposed_budget": round(sum(p.proposed_cny), 2),
                "current_gmv": p.current_gmv, "proposed_gmv": p.proposed_gmv,
                "current_roi": p.current.roi, "proposed_roi": p.proposed.roi,
                "uplift": p.uplift, "uplift_share": p.uplift / p.current_gmv if p.current_gmv else None,
                "spread": p.proposed.spread,
                "under_breakeven": under_breakeven(p.proposed.roi, self.breakeven_roi),
            })  # fmt: skip
        return pd.DataFrame(rows)

    def channels(self) -> pd.DataFrame:
        """One row per phase and channel: shares and phase amounts now and proposed, the proposed
        marginal ROI, the bound the channel is held at, and whether its next yuan is under break-even."""
        rows = []
        for p in self.phases:
            for i, channel in enumerate(Channel):
                rows.append({
                    "phase": p.phase.value, "channel": channel.value, "channel_zh": channel.zh,
                    "current_share": p.current.shares[i], "proposed_share": p.proposed_mix[i],
                    "current_cny": p.current_cny[i], "proposed_cny": p.proposed_cny[i],
                    "current_marginal_roi": p.current.marginal_roi[i],
                    "marginal_roi": p.proposed.marginal_roi[i], "at_bound": p.proposed.at_bound[i],
                    "marginal_under_breakeven":
                        under_breakeven(p.proposed.marginal_roi[i], self.breakeven_roi),
                })  # fmt: skip
        return pd.DataFrame(rows)

    def channel_mix(self) -> dict[Phase, tuple[float, ...]]:
        """The proposed shares as ``Assumptions.channel_mix`` takes them (what accepting writes)."""
        return {p.phase: p.proposed_mix for p in self.phases}


def _in_basis_points(shares: Sequence[float]) -> list[int]:
    return [round(float(share) * BASIS_POINTS) for share in shares]


def optimise(
    plan: Plan,
    curves: Mapping[Channel, Curve],
    mode: Mode = Mode.BUDGET,
    target: float | None = None,
    bounds: Bounds | None = None,
) -> Optimisation:
    """Propose each phase's channel split (and, in the ROI and GMV modes, its budget).

    Parameters
    ----------
    plan
        Gives each phase's days, allocatable budget and current split.
    curves
        One daily curve per channel (``{c: cc.curve for c, cc in channel_curves(plan).items()}``).
    mode
        A ``Mode`` or its key or label. ``BUDGET``: each phase keeps its allocatable budget, split for
        the most GMV. ``ROI``: each phase's largest budget whose best split brings ``target`` (default
        the plan's target ROI; never under break-even). ``GMV``: each phase's least budget whose best
        split brings its part of ``target``, the year's ad GMV (default the plan's allocatable × target
        ROI), shared out in proportion to the phases' allocatable budgets.
    bounds
        Share ranges and least daily spends (default: the plan's assumptions', ``Bounds.of``).

    Raises ``OptimiseError`` with the reason when a phase has no answer.
    """
    mode, bounds = Mode.parse(mode), bounds or Bounds.of(plan.inputs.assumptions)
    ordered = [curves[c] for c in Channel]
    total_fen = to_fen(plan.totals["allocatable"])
    if mode is Mode.ROI:
        target = plan.target_roi if target is None else target
        if under_breakeven(target, plan.breakeven_roi):
            raise OptimiseError(
                f"目标ROI {target:g} 低于保本ROI {plan.breakeven_roi:.2f}：按此目标投放每单亏损；"
                "请把目标设为不低于保本ROI",
                f"target ROI {target:g} is under the break-even ROI {plan.breakeven_roi:.2f}: every order "
                "would lose money; set a target at or above break-even",
            )
    elif mode is Mode.GMV:
        target = plan.totals["allocatable"] * plan.target_roi if target is None else target
    proposals = []
    plan_mix = plan.inputs.assumptions.channel_mix
    for row in plan.phases.itertuples(index=False):
        phase, days = Phase(row.phase), int(row.days)
        phase_fen = to_fen(row.allocatable)
        daily = row.allocatable / days
        current_cny = tuple(float(getattr(row, c.value)) for c in Channel)
        current = evaluate(ordered, [a / days for a in current_cny], *bounds.limits(phase, daily))
        if mode is Mode.BUDGET:
            proposed = best_split(ordered, daily, *bounds.limits(phase, daily))
        else:
            if mode is Mode.ROI:
                proposed = split_for_roi(ordered, bounds, phase, target, daily)
            else:
                phase_target = target * phase_fen / total_fen / days if total_fen else 0.0
                proposed = split_for_gmv(ordered, bounds, phase, phase_target, daily)
            phase_fen = to_fen(proposed.budget * days)
        weights = proposed.spend if proposed.budget > 0 else current.shares
        amounts = largest_remainder(phase_fen, weights) / FEN_PER_CNY
        mix = largest_remainder(BASIS_POINTS, weights) / BASIS_POINTS
        if mode is Mode.BUDGET and _in_basis_points(mix) == _in_basis_points(plan_mix[phase]):
            # the mix typed already is the proposal, to the basis point: it proposes nothing else (not
            # the fen of GMV its unrounded shares would add)
            proposed, amounts = current, np.asarray(current_cny)
        proposals.append(PhaseProposal(phase, days, current, proposed, current_cny,
                                       tuple(amounts.tolist()), tuple(mix.tolist())))  # fmt: skip
    return Optimisation(mode, target, plan.breakeven_roi, tuple(proposals))
