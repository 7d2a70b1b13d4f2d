"""The baseline (基线): the approved plan frozen by day, so that a changed target never hides what was
promised. Beside it, per phase and month, the live plan and the actuals.

A baseline keeps each day's budget, allocatable, GMV target, ad GMV (allocatable × the target ROI of
the day it was frozen, to the fen) and channel amounts, with its date and the inputs it came from.
Phases are the baseline's own: if the start date moved since, a day keeps the phase it was frozen in.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dyplan.model.plan import Plan
from dyplan.model.roi_reconciliation import ad_gmv_fen
from dyplan.model.rounding import FEN_PER_CNY, to_fen, to_fen_array
from dyplan.model.terms import Channel
from dyplan.model.tracking import daily_totals

MONEY = ("budget", "allocatable", "gmv", "ad_gmv", *(c.value for c in Channel))
BASELINE_COLUMNS = ("date", "phase", *MONEY)
COMPARED = ("period", "key", "baseline_allocatable", "plan_allocatable", "actual_spend", "plan_vs_baseline",
            "actual_vs_baseline", "baseline_ad_gmv", "plan_ad_gmv", "actual_gmv", "ad_gmv_vs_baseline",
            "baseline_gmv", "plan_gmv")  # fmt: skip


@dataclass(frozen=True)
class Baseline:
    frozen_on: dt.date
    inputs: str  # the inputs it was frozen from, in words
    daily: pd.DataFrame  # ``BASELINE_COLUMNS``, one row per plan day, CNY to the fen


def ad_gmv_by_day(plan: Plan) -> pd.Series:
    """Each day's allocatable at the target ROI, to the fen."""
    fen = [ad_gmv_fen(to_fen(v), plan.target_roi) for v in plan.daily["allocatable"]]
    return pd.Series(np.array(fen) / FEN_PER_CNY, index=plan.daily.index)


def describe(plan: Plan) -> str:
    i = plan.inputs
    return (f"{i.category.zh} · {i.stage.zh} · GMV目标 {i.gmv_target:,.2f} · 开始 {i.start_date:%Y-%m-%d} · "
            f"目标ROI {plan.target_roi:g} · 总预算 {plan.totals['budget']:,.2f}")  # fmt: skip


def freeze(plan: Plan, today: dt.date) -> Baseline:
    """The plan as it is today, to compare every later plan and the actuals with."""
    daily = plan.daily.assign(ad_gmv=ad_gmv_by_day(plan))[list(BASELINE_COLUMNS)].reset_index(drop=True)
    return Baseline(today, describe(plan), daily)


def versus_baseline(plan: Plan, baseline: Baseline, actuals: pd.DataFrame) -> pd.DataFrame:
    """Per phase, then per calendar month: the baseline's, the live plan's and the actual spend and
    ad GMV (``baseline_allocatable``, ``plan_allocatable``, ``actual_spend``, ``baseline_ad_gmv``,
    ``plan_ad_gmv``, ``actual_gmv``; also both GMV targets), and the live plan's and the actuals'
    differences to the baseline. Actuals are blank for periods without any; money is summed in fen."""
    live = plan.daily.assign(ad_gmv=ad_gmv_by_day(plan))
    totals = daily_totals(actuals)
    totals = totals[totals.index.isin(set(live["date"]))]
    phase_of = dict(zip(live["date"], live["phase"], strict=True))
    actual = pd.DataFrame({"date": totals.index, "phase": [phase_of[d] for d in totals.index],
                           **{c: totals[c].to_numpy(float) for c in ("spend", "gmv")}})  # fmt: skip
    parts = []
    for period in ("phase", "month"):
        sides = {
            "baseline": _sums(baseline.daily, period, ("allocatable", "ad_gmv", "gmv")),
            "plan": _sums(live, period, ("allocatable", "ad_gmv", "gmv")),
            "actual": _sums(actual, period, ("spend", "gmv")),
        }
        table = pd.concat(
            [frame.add_prefix(f"{side}_") for side, frame in sides.items()], axis=1
        ).sort_index()
        parts.append(table.rename_axis("key").reset_index().assign(period=period))
    out = pd.concat(parts, ignore_index=True)
    out["plan_vs_baseline"] = _minus(out["plan_allocatable"], out["baseline_allocatable"])
    out["actual_vs_baseline"] = _minus(out["actual_spend"], out["baseline_allocatable"])
    out["ad_gmv_vs_baseline"] = _minus(out["actual_gmv"], out["baseline_ad_gmv"])
    return out[list(COMPARED)]


def _sums(days: pd.DataFrame, period: str, columns: tuple[str, ...]) -> pd.DataFrame:
    """Each column summed per phase or month (YYYY-MM) in whole fen; NaN where no day has a value."""
    if not len(days):
        return pd.DataFrame(columns=list(columns), dtype=float)
    keys = days["phase"] if period == "phase" else [f"{d.year}-{d.month:02d}" for d in days["date"]]
    fen = pd.DataFrame({c: to_fen_array(days[c].to_numpy(float)) for c in columns})
    return fen.groupby(list(keys)).sum(min_count=1) / FEN_PER_CNY


def _minus(a: pd.Series, b: pd.Series) -> pd.Series:
    """a − b in whole fen (blank where either is)."""
    return (a * FEN_PER_CNY).round().sub((b * FEN_PER_CNY).round()) / FEN_PER_CNY
