"""What to set in Qianchuan next (投放设置): per plan type, the daily budget and the ROI goal.

Qianchuan's 全域推广 plans take a daily budget and a pay-ROI goal (``roi2_goal``), not channel
shares, so each channel's re-planned amounts become one plan type's daily budgets: live → 直播全域,
feed → 商品全域, search → 搜索. The days are the re-plan's own (``replan.Replan.daily``), so a week's
daily budgets add up to exactly what the re-plan gives that week. The ROI goal is the ROI the rest
of the year needs to reach the ad GMV target with the budget left (the plan's target ROI until
reports carry GMV), and never under break-even: spend that loses money on every order is never
proposed.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from dyplan.errors import InputError, Problem
from dyplan.model.calendar import PLAN_DAYS
from dyplan.model.plan import Plan
from dyplan.model.replan import Replan
from dyplan.model.rounding import FEN_PER_CNY, to_fen
from dyplan.model.terms import Channel, Phase, Term

WEEKS = 4
DAYS_PER_WEEK = 7
#: Qianchuan takes the ROI goal to two decimals: the goal is rounded up to them, never under what is wanted.
ROI_GOAL_DECIMALS = 2


class PlanType(Term):
    LIVE = "live", "直播全域", "live (omni-channel)"
    PRODUCT = "product", "商品全域", "product (omni-channel)"
    SEARCH = "search", "搜索", "search"


class GoalBasis(Term):
    """Where the ROI goal comes from (before it is raised to break-even)."""

    NEEDED = "needed", "剩余预算达成广告GMV目标所需的ROI", "the ROI the budget left needs for the GMV target"
    TARGET = "target", "尚无成交数据：方案的目标ROI", "no GMV reported yet: the plan's target ROI"
    GIVEN = "given", "指定的ROI", "the ROI asked for"


#: The channel whose re-planned amounts each plan type's daily budgets are.
PLAN_TYPE_CHANNEL: dict[PlanType, Channel] = {
    PlanType.LIVE: Channel.LIVE,
    PlanType.PRODUCT: Channel.FEED,
    PlanType.SEARCH: Channel.SEARCH,
}


@dataclass(frozen=True)
class Settings:
    """The next weeks' Qianchuan settings.

    Attributes
    ----------
    roi_goal
        The ``roi2_goal`` to enter in every plan type: ``wanted_roi`` (from ``basis``), raised to
        ``breakeven_roi`` when under it (then ``raised_to_breakeven``), rounded up to two decimals.
    daily
        One row per day and plan type: ``date``, ``day`` (plan day), ``phase``, ``phase_zh``, ``week``
        (1…), ``plan_type``, ``plan_type_zh``, ``daily_budget`` (CNY, to the fen), ``roi2_goal``.
    weeks
        One row per week and plan type: ``week``, ``first``, ``last``, ``days``, ``plan_type``,
        ``plan_type_zh``, ``budget`` (the sum of its daily budgets), ``roi2_goal``.
    """

    start: dt.date
    roi_goal: float
    wanted_roi: float
    basis: GoalBasis
    breakeven_roi: float
    raised_to_breakeven: bool
    daily: pd.DataFrame
    weeks: pd.DataFrame


def qianchuan_settings(
    plan: Plan,
    replanned: Replan,
    start: dt.date | None = None,
    weeks: int = WEEKS,
    roi_goal: float | None = None,
) -> Settings:
    """The daily budgets and ROI goal per plan type for ``weeks`` weeks from ``start``.

    Parameters
    ----------
    plan, replanned
        The plan and its re-plan (``replan.replan_year``), whose days after the actuals these are.
    start
        The first day to set (default: the day after the actuals); the week 1 starts on it. Days
        after the plan's last are left out.
    roi_goal
        The ROI wanted (default: the re-plan's ROI needed, or the plan's target ROI while no GMV is
        reported); raised to break-even when under it.

    Raises ``InputError`` when ``start`` falls on a day the actuals already cover or outside the plan.
    """
    dates = plan.daily["date"]
    if replanned.through_day == PLAN_DAYS:
        raise InputError([Problem(
            "settings_start", "方案的每一天都已有实际数据，没有可设置的日子；请先制定下一年的方案",
            "the actuals cover every day of the plan: no day is left to set; make next year's plan first",
        )])  # fmt: skip
    first_open = dates.iloc[0] + dt.timedelta(days=replanned.through_day)
    start = first_open if start is None else start
    if not first_open <= start <= dates.iloc[-1]:
        raise InputError([Problem(
            "settings_start",
            f"开始日期应在 {first_open} 至 {dates.iloc[-1]} 之间（实际数据之后、方案之内），当前为 {start}",
            f"the start must lie from {first_open} to {dates.iloc[-1]} (after the actuals, within the "
            f"plan), got {start}",
        )])  # fmt: skip
    if roi_goal is not None:
        wanted, basis = roi_goal, GoalBasis.GIVEN
    elif replanned.roi_needed is None or replanned.roi_to_date is None:
        wanted, basis = plan.target_roi, GoalBasis.TARGET
    else:
        wanted, basis = replanned.roi_needed, GoalBasis.NEEDED
    scale = 10**ROI_GOAL_DECIMALS
    goal = math.ceil(round(max(wanted, plan.breakeven_roi) * scale, 9)) / scale

    days = replanned.daily
    window = days[(days["date"] >= start) & (days["date"] < start + dt.timedelta(weeks=weeks))]
    week = [(d - start).days // DAYS_PER_WEEK + 1 for d in window["date"]]
    phase_zh = {p.value: p.zh for p in Phase}
    rows = [
        {"date": date, "day": day, "phase": phase, "phase_zh": phase_zh[phase], "week": w,
         "plan_type": kind.value, "plan_type_zh": kind.zh, "daily_budget": amount, "roi2_goal": goal}
        for (date, day, phase, w, *amounts) in zip(
            window["date"], window["day"], window["phase"], week,
            *(window[PLAN_TYPE_CHANNEL[k].value] for k in PlanType), strict=True)
        for kind, amount in zip(PlanType, amounts, strict=True)
    ]  # fmt: skip
    # Summed in plain Python, in whole fen: a few dozen rows, where a pandas groupby costs more
    # than the re-plan itself on every regenerate.
    weeks_of: dict[tuple[int, str], dict[str, Any]] = {}
    for row in rows:
        week = weeks_of.setdefault((row["week"], row["plan_type"]), {
            "week": row["week"], "first": row["date"], "last": row["date"], "days": 0,
            "plan_type": row["plan_type"], "plan_type_zh": row["plan_type_zh"], "fen": 0, "roi2_goal": goal,
        })  # fmt: skip
        week["last"], week["days"] = row["date"], week["days"] + 1
        week["fen"] += to_fen(row["daily_budget"])
    by_week = [{**w, "budget": w.pop("fen") / FEN_PER_CNY} for w in weeks_of.values()]
    return Settings(
        start=start,
        roi_goal=goal,
        wanted_roi=wanted,
        basis=basis,
        breakeven_roi=plan.breakeven_roi,
        raised_to_breakeven=wanted < plan.breakeven_roi,
        daily=pd.DataFrame(rows),
        weeks=pd.DataFrame(by_week)[["week", "first", "last", "days", "plan_type", "plan_type_zh", "budget",
                                     "roi2_goal"]],
    )  # fmt: skip
