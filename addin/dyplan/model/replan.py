"""Re-planning the rest of the year (重新规划) from the actuals through a day.

What was spent is counted, never re-planned: the days through ``through`` keep their actual spend,
and the budget left (the year's allocatable less what was spent, or a budget given) is spread over
the remaining days in proportion to their planned allocatable, so seasonality and the phases' budget
ratios carry over, then over the channels by each phase's mix, exact to the fen with the plan's own
rounding (``budget.split_by_phase``). Beside it: where the year ends if the pace and ROI so far
hold, and the budget or ROI still needed to reach the ad GMV target.

The ad GMV target is the GMV the plan's spend brings at its target ROI (allocatable × target ROI),
not the shop's GMV target: reports measure the GMV ads bring, and the shop's includes what no ad
brought.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dyplan.model.budget import PHASES, split_by_phase
from dyplan.model.calendar import PLAN_DAYS
from dyplan.model.plan import Plan
from dyplan.model.rounding import FEN_PER_CNY, largest_remainder, to_fen
from dyplan.model.terms import Channel, Phase
from dyplan.model.tracking import daily_totals

CHANNELS = tuple(c.value for c in Channel)


@dataclass(frozen=True)
class Replan:
    """The year re-planned from the actuals through day ``through_day`` (0: none yet). CNY.

    Attributes
    ----------
    spent, gmv_to_date, roi_to_date, pace
        Spend and ad GMV through that day, their ratio, and spend ÷ the plan's allocatable to date
        (None where undefined).
    gmv_target
        The year's ad GMV target.
    projected_spend, projected_gmv
        Where the year ends if the pace and the ROI to date hold (GMV None while no GMV is known).
    remaining
        The budget re-spread over the remaining days, exact to the fen.
    budget_needed, roi_needed
        The budget still needed to reach the GMV target at the ROI to date, and the ROI the plan's
        remaining budget needs to reach it (None where undefined; 0 once the target is reached).
    daily
        Per plan day: ``date``, ``day``, ``phase``, ``month``, ``plan`` (allocatable), ``actual`` (spend;
        NaN after ``through_day``), ``replan`` (the actual through that day, the re-spread after) and
        the re-spread channel amounts (NaN through that day, spent already).
    """

    through: dt.date
    through_day: int
    spent: float
    gmv_to_date: float
    roi_to_date: float | None
    pace: float | None
    gmv_target: float
    projected_spend: float
    projected_gmv: float | None
    remaining: float
    budget_needed: float | None
    roi_needed: float | None
    daily: pd.DataFrame

    def table(self) -> pd.DataFrame:
        """Plan, actual and re-plan per phase, then per calendar month (``period`` phase or month;
        ``key`` P1…P4 or YYYY-MM), in CNY; a sum of no value (no actual yet) is blank, not 0."""
        money = ("plan", "actual", "replan")
        amounts = list(zip(*(self.daily[m].tolist() for m in money), strict=True))
        months = [f"{d.year}-{d.month:02d}" for d in self.daily["date"]]
        # Summed in whole fen, in plain Python: exact, and a pandas groupby per period would cost more
        # than the whole re-plan on every regenerate.
        sums: dict[tuple[str, str], list[int | None]] = {}
        for period, keys in (("phase", self.daily["phase"].tolist()), ("month", months)):
            for key, day in zip(keys, amounts, strict=True):
                total = sums.setdefault((period, key), [None] * len(money))
                for i, cny in enumerate(day):
                    if cny == cny:  # NaN: no amount that day
                        total[i] = (total[i] or 0) + round(cny * FEN_PER_CNY)
        rows = [(period, key, *(np.nan if fen is None else fen / FEN_PER_CNY for fen in total))
                for (period, key), total in sums.items()]  # fmt: skip
        return pd.DataFrame(rows, columns=["period", "key", *money])


def _fen(values: Sequence[float]) -> np.ndarray:
    fen = {v: to_fen(v) for v in set(values)}  # a plan repeats its daily amounts: each rounded once
    return np.array([fen[v] for v in values], dtype=np.int64)


def replan_year(
    plan: Plan,
    actuals: pd.DataFrame,
    through: dt.date | None = None,
    remaining: float | None = None,
    gmv_target: float | None = None,
    shares: Mapping[Phase, Sequence[float]] | None = None,
) -> Replan:
    """Re-plan the days after ``through`` (default: the last day the actuals cover).

    Parameters
    ----------
    plan, actuals
        The plan and the stored actuals (``tracking.ACTUALS_COLUMNS``).
    remaining
        The budget to spread over the remaining days (default: the year's allocatable less what was
        spent, never below 0); e.g. ``budget_needed`` to still reach the target at the ROI to date.
    gmv_target
        The year's ad GMV target (default: the plan's allocatable × its target ROI).
    shares
        Channel shares per phase for the remaining days (default: the plan's mix; e.g. an accepted
        ``Optimisation.channel_mix()``).
    """
    totals = daily_totals(actuals)
    dates = plan.daily["date"]
    start, end = dates.iloc[0], dates.iloc[-1]
    if through is None:
        through = max(totals.index) if len(totals) else start - dt.timedelta(days=1)
    through_day = min(max((through - start).days + 1, 0), PLAN_DAYS)
    past = np.arange(PLAN_DAYS) < through_day
    by_date = totals.reindex(dates)
    actual_fen = _fen(by_date["spend"].fillna(0).to_numpy(float)) * past
    gmv_to_date = round(float(by_date["gmv"].fillna(0).to_numpy(float)[past].sum()), 2)

    plan_fen = _fen(plan.daily["allocatable"].to_numpy(float))
    spent_fen, planned_to_date = int(actual_fen.sum()), int(plan_fen[past].sum())
    total_fen = to_fen(plan.totals["allocatable"])
    future = ~past
    left_fen = max(total_fen - spent_fen, 0) if remaining is None else to_fen(remaining)
    left_fen *= bool(future.any())  # the plan is over: no day is left to spend anything on
    weights = plan_fen[future] if plan_fen[future].any() else np.ones(int(future.sum()), dtype=np.int64)
    replan_fen = actual_fen.copy()
    replan_fen[future] = largest_remainder(left_fen, weights) if future.any() else []

    mix = shares or plan.inputs.assumptions.channel_mix
    phase_of_day = plan.daily["phase"].map({p.value: i for i, p in enumerate(PHASES)}).to_numpy()
    channels = np.full((PLAN_DAYS, len(Channel)), np.nan)
    channels[future] = split_by_phase(replan_fen[future], phase_of_day[future], [mix[p] for p in PHASES])
    channels[future] /= FEN_PER_CNY

    spent = spent_fen / FEN_PER_CNY
    roi = gmv_to_date / spent if spent > 0 and by_date["gmv"][past].notna().any() else None
    pace = spent_fen / planned_to_date if planned_to_date else None
    planned_after = (total_fen - planned_to_date) / FEN_PER_CNY
    projected_spend = spent + (pace if pace is not None else 1.0) * planned_after
    target = plan.totals["allocatable"] * plan.target_roi if gmv_target is None else gmv_target
    gap = max(target - gmv_to_date, 0.0)
    left_planned = max(total_fen - spent_fen, 0) / FEN_PER_CNY * bool(future.any())

    daily = plan.daily[["date", "day", "phase", "month"]].assign(
        plan=plan_fen / FEN_PER_CNY,
        actual=np.where(past, actual_fen / FEN_PER_CNY, np.nan),
        replan=replan_fen / FEN_PER_CNY,
        **{c: channels[:, i] for i, c in enumerate(CHANNELS)},
    )
    return Replan(
        through=min(through, end),
        through_day=through_day,
        spent=spent,
        gmv_to_date=gmv_to_date,
        roi_to_date=roi,
        pace=pace,
        gmv_target=target,
        projected_spend=projected_spend,
        projected_gmv=None if roi is None else gmv_to_date + roi * (projected_spend - spent),
        remaining=left_fen / FEN_PER_CNY,
        budget_needed=None if roi is None else (gap / roi if roi > 0 else None),
        roi_needed=gap / left_planned if left_planned > 0 else (0.0 if gap == 0 else None),
        daily=daily,
    )
