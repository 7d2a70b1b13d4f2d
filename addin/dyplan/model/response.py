"""Response curves (响应曲线): a channel's daily ad GMV as a saturating function of its daily spend.

``GMV(s) = V·sᵃ / (sᵃ + Kᵃ)``: ``V`` is the most GMV a day the channel can bring, ``K`` the daily
spend that brings half of it, ``a`` the shape (1: concave from the first yuan; above 1: S-shaped,
slow at first). The marginal ROI, what the next yuan brings, is

    dGMV/ds = a·V·Kᵃ·sᵃ⁻¹ / (sᵃ + Kᵃ)²

Each channel's curve comes from the first source that has one (``channel_curves``): typed by the
user; fitted to the channel's daily actuals (``fit_curve``, at least ``MIN_FIT_DAYS`` days whose
spend varied); or seeded from the plan (``seed_curve``: through the channel's planned daily spend at
the plan's target ROI).

>>> curve = Curve(max_gmv=10_000, half_saturation=2_000, shape=1)
>>> curve.gmv(2_000), curve.marginal_roi(2_000)  # half of V; V·K / (2K)² = V / 4K
(5000.0, 1.25)
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from dyplan.errors import FitError, InputError
from dyplan.model.calendar import PLAN_DAYS
from dyplan.model.inputs import MAX_CURVE_SHAPE, curve_problems
from dyplan.model.plan import Plan
from dyplan.model.terms import Channel, Term
from dyplan.model.tracking import without_ledger_twice
from dyplan.model.values import is_blank

#: Fewest days with spend and GMV a fit needs: four weeks, so every weekday shows four times.
MIN_FIT_DAYS = 28
#: Least spread of the daily spend (standard deviation ÷ mean) that can show a curve's bend: spend
#: that hardly moved fits any curve through one point.
MIN_SPEND_VARIATION = 0.10
#: Shapes a fit may choose: flatter than 0.2 is a step at zero spend, steeper than the shape cap a step.
FIT_SHAPE_RANGE = (0.2, MAX_CURVE_SHAPE)
#: How far beyond the largest GMV and spend seen a fitted V and K may lie (×): further, the data
#: are a straight line and say nothing about saturation.
FIT_REACH = 1_000.0

ArrayLike = float | npt.NDArray[np.float64]


def _plain(value: npt.NDArray[np.float64]) -> ArrayLike:
    """A float for a single number, the array otherwise."""
    return float(value) if np.ndim(value) == 0 else value


class CurveSource(Term):
    TYPED = "typed", "手动输入", "typed"
    FITTED = "fitted", "实际数据拟合", "fitted to actuals"
    SEEDED = "seeded", "由方案推算", "seeded from the plan"


@dataclass(frozen=True)
class Curve:
    """``GMV(s) = V·sᵃ / (sᵃ + Kᵃ)`` per day: ``max_gmv`` V and ``half_saturation`` K in CNY."""

    max_gmv: float
    half_saturation: float
    shape: float

    def __post_init__(self) -> None:
        if not (self.max_gmv > 0 and self.half_saturation > 0 and 0 < self.shape <= MAX_CURVE_SHAPE):
            raise ValueError(f"a curve needs V > 0, K > 0 and 0 < a <= {MAX_CURVE_SHAPE}: {self}")
        # floats: a whole number from a cell, kept a Python int, can grow past what numpy takes
        for name in ("max_gmv", "half_saturation", "shape"):
            object.__setattr__(self, name, float(getattr(self, name)))

    # One number goes through math, arrays through numpy: the optimiser asks for one number at a
    # time thousands of times, where numpy's per-call cost would be most of the work.
    def gmv(self, spend: ArrayLike) -> ArrayLike:
        """Daily ad GMV at a daily spend (CNY)."""
        if isinstance(spend, float | int):
            x = max(spend, 0.0) / self.half_saturation
            # far past K, divide by xᵃ first: xᵃ itself would overflow
            return (
                self.max_gmv * x**self.shape / (1 + x**self.shape)
                if x <= 1
                else self.max_gmv / (1 + x**-self.shape)
            )
        x = np.power(np.maximum(spend, 0) / self.half_saturation, self.shape)
        return _plain(self.max_gmv * x / (1 + x))

    def marginal_roi(self, spend: ArrayLike) -> ArrayLike:
        """dGMV/ds: the GMV the next yuan brings at this daily spend (∞ at 0 when a < 1)."""
        a, k = self.shape, self.half_saturation
        if isinstance(spend, float | int):
            x = max(spend, 0.0) / k
            if x == 0:
                return math.inf if a < 1 else a * self.max_gmv / k if a == 1 else 0.0
            if x > 1:  # the same, divided through by x²ᵃ so that nothing overflows
                return a * self.max_gmv / k * x ** (-a - 1) / (1 + x**-a) ** 2
            return a * self.max_gmv / k * x ** (a - 1) / (1 + x**a) ** 2
        x = np.maximum(spend, 0) / k
        with np.errstate(divide="ignore"):
            return _plain(a * self.max_gmv / k * np.power(x, a - 1) / (1 + np.power(x, a)) ** 2)

    def roi(self, spend: float) -> float:
        """GMV ÷ spend at a daily spend (the curve's slope at 0 for no spend)."""
        return self.gmv(spend) / spend if spend > 0 else self.marginal_roi(0.0)

    @property
    def peak_marginal_roi(self) -> float:
        """The highest marginal ROI on the curve (∞ when a < 1); spends beyond its place pay ever less."""
        return self.marginal_roi(self.peak_spend)

    @property
    def peak_spend(self) -> float:
        """Where the marginal ROI peaks: 0 for a ≤ 1, else K·((a − 1)/(a + 1))^(1/a)."""
        a = self.shape
        return 0.0 if a <= 1 else self.half_saturation * ((a - 1) / (a + 1)) ** (1 / a)

    def spend_at_marginal(self, marginal: float) -> float:
        """The daily spend beyond the peak whose marginal ROI is ``marginal`` (0 if none reaches it)."""
        if marginal >= self.peak_marginal_roi:
            return self.peak_spend if self.shape > 1 and marginal == self.peak_marginal_roi else 0.0
        if self.shape == 1:  # V·K / (s + K)² = m
            return max(math.sqrt(self.max_gmv * self.half_saturation / marginal) - self.half_saturation, 0.0)
        from scipy.optimize import brentq  # imported on demand, as in ``fit_curve``

        low = max(self.peak_spend, self.half_saturation * 1e-12)
        if self.marginal_roi(low) <= marginal:  # shape < 1: only a sliver of a fen pays that much
            return 0.0
        high = 2 * self.half_saturation
        while self.marginal_roi(high) > marginal:
            high *= 4
        return float(brentq(lambda s: self.marginal_roi(s) - marginal, low, high, xtol=1e-9, rtol=1e-12))


def seed_curve(daily_spend: float, roi: float, saturation: float, shape: float) -> Curve:
    """The curve through ``(daily_spend, roi × daily_spend)`` whose K is ``daily_spend / saturation``.

    With x = saturation, GMV(s₀) = V·xᵃ/(xᵃ + 1) = roi·s₀, so V = roi·s₀·(1 + xᵃ)/xᵃ; its marginal ROI
    at the planned spend is roi·a/(1 + xᵃ) (the defaults x = 0.5, a = 1: two thirds of the target ROI).
    """
    x = saturation**shape
    v = roi * daily_spend * (1 + x) / x
    return Curve(max_gmv=v, half_saturation=daily_spend / saturation, shape=shape)


@dataclass(frozen=True)
class Fit:
    """A curve fitted to daily actuals and how well it fits: R² over ``days`` days from ``first`` to
    ``last``; ``data`` holds the days used (``date``, ``spend``, ``gmv``), ``fitted`` its curve's GMV."""

    curve: Curve
    r_squared: float
    days: int
    first: dt.date
    last: dt.date
    data: pd.DataFrame


def _hill(s: npt.NDArray[np.float64], v: float, k: float, a: float) -> npt.NDArray[np.float64]:
    x = np.power(s / k, a)
    return v * x / (1 + x)


def _hill_jacobian(s: npt.NDArray[np.float64], v: float, k: float, a: float) -> npt.NDArray[np.float64]:
    """∂GMV/∂(V, K, a): analytic, so the fit needs no finite differences."""
    ratio = s / k
    x = np.power(ratio, a)
    share = x / (1 + x)
    slope = v * share / (1 + x)  # V·x/(1 + x)², shared by ∂K and ∂a
    return np.column_stack([share, -slope * a / k, slope * np.log(ratio)])


def usable_days(days: pd.DataFrame) -> pd.DataFrame:
    """The days a curve can stand on (``date``, ``spend``, ``gmv``), in date order: spend and GMV
    both known, and some spend."""
    usable = days["spend"].notna() & days["gmv"].notna() & (days["spend"] > 0)
    return days.loc[usable, ["date", "spend", "gmv"]].sort_values("date").reset_index(drop=True)


def fit_curve(days: pd.DataFrame) -> Fit:
    """Fit ``V``, ``K`` and ``a`` to one channel's daily ``spend`` and ``gmv`` by bounded least squares.

    Only ``usable_days`` count. Raises ``FitError`` when fewer than ``MIN_FIT_DAYS`` of them remain,
    when their spend hardly varied (``MIN_SPEND_VARIATION``), or when the least squares do not
    converge. Spend and GMV are scaled to a mean of 1 first, so one fit suits a shop spending ¥100 a
    day and one spending ¥1,000,000.
    """
    used = usable_days(days)
    n = len(used)
    if n < MIN_FIT_DAYS:
        raise FitError(
            f"只有 {n} 天有消耗和成交数据，拟合需要至少 {MIN_FIT_DAYS} 天；"
            "请导入更多报表，或在假设表手动填写曲线",
            f"only {n} days have spend and GMV; a fit needs at least {MIN_FIT_DAYS}: import more reports "
            "or type the curve on the assumptions sheet",
        )
    spend, gmv = used["spend"].to_numpy(float), used["gmv"].to_numpy(float)
    variation = float(spend.std() / spend.mean())
    if variation < MIN_SPEND_VARIATION:
        raise FitError(
            f"日消耗几乎不变（变异系数 {variation:.1%}，需要 ≥ {MIN_SPEND_VARIATION:.0%}），"
            "看不出曲线的弯曲；"
            "请有计划地调整几周的日预算，或手动填写曲线",
            f"daily spend hardly varied (coefficient of variation {variation:.1%}, needs "
            f">= {MIN_SPEND_VARIATION:.0%}), so the curve's bend cannot be seen: vary the daily budget for "
            "a few weeks, or type the curve",
        )
    # Imported here, not at the top: scipy takes longer to import than the whole engine, and every
    # ribbon click that only rebuilds the plan would wait for it.
    from scipy.optimize import curve_fit

    s_scale, g_scale = spend.mean(), max(gmv.mean(), np.finfo(float).tiny)
    s, g = spend / s_scale, gmv / g_scale
    reach = FIT_REACH * max(s.max(), g.max())
    try:
        (v, k, a), _ = curve_fit(
            _hill, s, g, p0=(2 * max(g.max(), 1e-6), float(np.median(s)), 1.0), jac=_hill_jacobian,
            bounds=((1e-9, 1e-6, FIT_SHAPE_RANGE[0]), (reach, reach, FIT_SHAPE_RANGE[1])), method="trf",
        )  # fmt: skip
    except (RuntimeError, ValueError) as failure:
        raise FitError(
            "最小二乘拟合没有收敛；请检查导入的数据，或手动填写曲线",
            f"the least-squares fit did not converge ({failure}): check the imported data, or type the curve",
        ) from failure
    fitted = _hill(s, v, k, a) * g_scale
    residual = float(((gmv - fitted) ** 2).sum())
    total = float(((gmv - gmv.mean()) ** 2).sum())
    return Fit(
        curve=Curve(max_gmv=float(v * g_scale), half_saturation=float(k * s_scale), shape=float(a)),
        r_squared=1 - residual / total if total > 0 else 0.0,
        days=n,
        first=used["date"].iloc[0],
        last=used["date"].iloc[-1],
        data=used.assign(fitted=fitted),
    )


def channel_days(actuals: pd.DataFrame) -> dict[Channel, pd.DataFrame]:
    """Each channel's spend and GMV per date (``date``, ``spend``, ``gmv``) from the stored actuals;
    a measure no row of that day carried is NaN. The room ledger's counts yield to the ad reports."""
    rows = without_ledger_twice(actuals)[["channel", "date", "spend", "gmv"]]
    sums = rows.groupby(["channel", "date"], sort=True).sum(min_count=1)  # all channels at once
    present = set(sums.index.get_level_values("channel"))
    none = pd.DataFrame({"date": pd.Series(dtype=object), "spend": pd.Series(dtype=float),
                         "gmv": pd.Series(dtype=float)})  # fmt: skip
    return {ch: sums.loc[ch.value].reset_index() if ch.value in present else none for ch in Channel}


@dataclass(frozen=True)
class ChannelCurve:
    """A channel's curve, where it came from, its fit (when fitted) and, when a fit was refused, why
    (``note``, Chinese / English)."""

    channel: Channel
    curve: Curve
    source: CurveSource
    fit: Fit | None = None
    note: str = ""


def typed_curves(typed: Mapping[str, Sequence[float | None]]) -> dict[Channel, Curve]:
    """Curves the user typed, ``{channel: (V, K, a)}`` (channel as key or label); a channel left out
    or left blank (every number blank) has none. Raises ``InputError`` listing every problem
    (``inputs.curve_problems``)."""
    problems = curve_problems(typed)
    if problems:
        raise InputError(problems)
    return {
        Channel.parse(key): Curve(*(float(n) for n in numbers))
        for key, numbers in typed.items()
        if not all(is_blank(n) for n in numbers)
    }


def planned_daily_spend(plan: Plan) -> dict[Channel, float]:
    """Each channel's planned spend per day over the year (its allocatable ÷ 365); a channel the plan
    gives nothing is seeded as if it had an equal share, so that it still has a curve to propose."""
    total = plan.totals["allocatable"] / PLAN_DAYS
    if total <= 0:
        raise FitError(
            "方案没有可分配预算，无法由方案推算曲线；请检查预算比例，或手动填写曲线",
            "the plan has no allocatable budget to seed curves from: check the budget ratios, "
            "or type the curves",
        )
    return {c: plan.totals[c.value] / PLAN_DAYS or total / len(Channel) for c in Channel}


def channel_curves(
    plan: Plan,
    actuals: pd.DataFrame | None = None,
    typed: Mapping[Channel, Curve] | None = None,
) -> dict[Channel, ChannelCurve]:
    """Every channel's curve from the first source that has one: typed, fitted, seeded.

    Parameters
    ----------
    plan
        Seeds the curves: each passes through its channel's planned daily spend at the plan's target
        ROI, with the assumptions ``curve_saturation`` and ``curve_shape``.
    actuals
        The stored actuals (``tracking.ACTUALS_COLUMNS``); a channel with enough varied days is fitted.
    typed
        Curves the user typed (default: the assumptions' ``response_curves``); they win over the other
        two.
    """
    a = plan.inputs.assumptions
    typed = typed_curves(a.response_curves) if typed is None else typed
    spend = planned_daily_spend(plan)
    days = channel_days(actuals) if actuals is not None and len(actuals) else {}
    curves = {}
    for channel in Channel:
        if channel in typed:
            curves[channel] = ChannelCurve(channel, typed[channel], CurveSource.TYPED)
            continue
        note = "没有实际数据 / no actuals yet"
        if days:
            try:
                fit = fit_curve(days[channel])
            except FitError as refused:
                note = str(refused)
            else:
                curves[channel] = ChannelCurve(channel, fit.curve, CurveSource.FITTED, fit)
                continue
        seeded = seed_curve(spend[channel], plan.target_roi, a.curve_saturation, a.curve_shape)
        curves[channel] = ChannelCurve(channel, seeded, CurveSource.SEEDED, note=note)
    return curves
