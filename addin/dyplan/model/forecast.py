"""Forecast (预测, PLANNING_RULES §5): Holt's additive-trend exponential smoothing.

The history has one value per calendar day; a day without a value (NaN) is a gap, which the
smoothing steps over on its trend (the state-space treatment of a missing observation), so
steps are always calendar days. The smoothing constants are chosen by least squares over a
fixed grid, so the same history always gives the same forecast. The interval is that of the
ETS(A,A,N) model: the h-step variance is σ² (1 + Σ_{j=1}^{h-1} (α + αβ j)²), with β Holt's
trend constant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt
import pandas as pd

MIN_HISTORY = 14  # days with a value
INITIAL_POINTS = 7  # the first week's values set the initial level and trend
_GRID = np.round(np.arange(0.05, 1.0001, 0.05), 2)


@dataclass(frozen=True)
class Forecast:
    """A forecast table (``step``, ``forecast``, ``lower``, ``upper``) and its fit."""

    table: pd.DataFrame
    alpha: float
    beta: float
    sigma: float


def initial_state(history: npt.NDArray[np.float64]) -> tuple[float, float]:
    """Level at day 0 and trend per day of the Theil–Sen line through the first ``INITIAL_POINTS``
    values present.

    The trend is the median of the slopes between every pair of those values (each over its own
    number of days, so gaps count), the level the median of ``y_t − trend × t``. Being medians,
    neither rests on the first two days: an odd pair there does not set the trend.
    """
    days = np.flatnonzero(np.isfinite(history))[:INITIAL_POINTS]
    values = history[days]
    first, second = np.triu_indices(days.size, k=1)
    trend = float(np.median((values[second] - values[first]) / (days[second] - days[first])))
    return float(np.median(values - trend * days)), trend


def forecast_series(history: Sequence[float], horizon: int, interval: float) -> Forecast:
    """Forecast ``horizon`` days after a daily ``history`` with at least ``MIN_HISTORY`` values.

    Parameters
    ----------
    history
        One number per calendar day, oldest first; NaN on a day without data. The last day
        must have a value: step 1 is the day after it.
    horizon
        Days ahead to forecast.
    interval
        Coverage of the prediction interval (0.95 → 95 %).
    """
    y = np.asarray(history, dtype=float)
    present = int(np.isfinite(y).sum()) if y.ndim == 1 else 0
    if present < MIN_HISTORY or np.isinf(y).any() or not np.isfinite(y[-1]):
        raise ValueError(f"need at least {MIN_HISTORY} finite values, the last day among them; got {present}")
    alphas, betas = (g.ravel() for g in np.meshgrid(_GRID, _GRID, indexing="ij"))
    start_level, start_trend = initial_state(y)
    level, trend = np.full(alphas.size, start_level), np.full(alphas.size, start_trend)
    sse = np.zeros(alphas.size)
    for value in y[1:]:
        predicted = level + trend
        if np.isnan(value):  # no data that day: the state runs on along its trend
            level = predicted
            continue
        error = value - predicted
        sse += error**2
        level = predicted + alphas * error
        trend = trend + alphas * betas * error
    best = int(np.argmin(sse))  # first minimum: the smallest constants on ties
    alpha, beta = float(alphas[best]), float(betas[best])
    sigma = float(np.sqrt(sse[best] / max(present - 3, 1)))
    steps = np.arange(1, horizon + 1)
    point = level[best] + steps * trend[best]
    spread = np.sqrt(1 + np.concatenate(([0.0], np.cumsum((alpha + alpha * beta * steps[:-1]) ** 2))))
    z = NormalDist().inv_cdf(0.5 + interval / 2)
    table = pd.DataFrame(
        {
            "step": steps,
            "forecast": point,
            "lower": point - z * sigma * spread,
            "upper": point + z * sigma * spread,
        }
    )
    return Forecast(table=table, alpha=alpha, beta=beta, sigma=sigma)


def early_warning(forecast: Forecast, critical: float, within_days: int) -> int | None:
    """The first step (1..within_days) at which the forecast reaches ``critical``, else None."""
    soon = forecast.table.head(within_days)
    reached = soon[soon["forecast"] >= critical]
    return None if reached.empty else int(reached["step"].iloc[0])
