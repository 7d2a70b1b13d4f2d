"""Sensitivity (敏感性分析): a plan total for every pair of changes of two inputs, as a two-way table.

Each input is moved by relative steps (−30 % … +30 % by default) and the plan's money is computed
anew for every pair, with the plan's own rules and rounding (``budget.allocate_money``): a cell is
what the plan would say with those two inputs, exact to the fen. The expected ad GMV is the
allocatable budget at the target ROI (the reserve is held back), as re-planning and the gap use it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import pandas as pd

from dyplan.errors import InputError, Problem
from dyplan.model.budget import year_budget
from dyplan.model.calendar import Timeline, build_timeline
from dyplan.model.inputs import PlanInputs
from dyplan.model.roi_reconciliation import ad_gmv_fen
from dyplan.model.rounding import FEN_PER_CNY, exact
from dyplan.model.terms import Term

DEFAULT_STEPS = (-0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3)


class Variable(Term):
    """An input the table moves: each step multiplies it by (1 + step)."""

    GMV_TARGET = "gmv_target", "年度GMV目标", "GMV target"
    BUDGET_RATIO = "budget_ratio", "预算比例", "budget ratio"  # the launch and mature ratios alike
    TARGET_ROI = "target_roi", "目标ROI", "target ROI"
    RESERVE_SHARE = "reserve_share", "风险储备金比例", "reserve share"


class Output(Term):
    """What each cell of the table holds (CNY)."""

    BUDGET = "budget", "年度总预算", "total budget"
    ALLOCATABLE = "allocatable", "可分配预算", "allocatable budget"
    RESERVE = "reserve", "风险储备金", "risk reserve"
    AD_GMV = "ad_gmv", "预计广告GMV", "expected ad GMV"


def _scaled(value: float, step: float) -> float:
    """``value`` × (1 + step) as the decimal it is (0.06 × 1.1 = 0.066, not 0.06600000000000001)."""
    return float(exact(value) * (1 + exact(step)))


def moved(inputs: PlanInputs, variable: Variable, step: float) -> PlanInputs:
    """``inputs`` with one input multiplied by (1 + step), checked as typed inputs are."""
    a = inputs.assumptions
    if variable is Variable.GMV_TARGET:
        return replace(inputs, gmv_target=_scaled(inputs.gmv_target, step))
    if variable is Variable.BUDGET_RATIO:
        a = replace(a, ratio_launch=_scaled(a.ratio_launch, step), ratio_mature=_scaled(a.ratio_mature, step))
    elif variable is Variable.TARGET_ROI:
        roi = _scaled(a.checkpoint_targets["roi"], step)
        a = replace(a, checkpoint_targets={**a.checkpoint_targets, "roi": roi})
    else:
        a = replace(a, reserve_share=_scaled(a.reserve_share, step))
    return replace(inputs, assumptions=a)


def plan_totals(inputs: PlanInputs, timeline: Timeline) -> dict[Output, float]:
    """The year totals of the plan of ``inputs`` (the budget's own rounding, without its days)."""
    budget, reserve = year_budget(inputs, timeline)
    ad_gmv = ad_gmv_fen(budget - reserve, inputs.assumptions.checkpoint_targets["roi"])
    in_fen = {Output.BUDGET: budget, Output.ALLOCATABLE: budget - reserve, Output.RESERVE: reserve,
              Output.AD_GMV: ad_gmv}  # fmt: skip
    return {key: value / FEN_PER_CNY for key, value in in_fen.items()}


def sensitivity_table(
    inputs: PlanInputs,
    rows: Variable,
    columns: Variable,
    output: Output,
    row_steps: Sequence[float] = DEFAULT_STEPS,
    column_steps: Sequence[float] = DEFAULT_STEPS,
) -> pd.DataFrame:
    """The table of ``output`` for every pair of steps: indexed by the row steps, one column per
    column step (shares: 0.1 is +10 %). Raises ``InputError`` naming the input a step makes invalid."""
    if rows is columns:
        raise InputError([Problem("sensitivity", f"请选择两个不同的输入（两次都是{rows.zh}）",
                                  f"choose two different inputs ({rows.en} twice)")])  # fmt: skip
    a = inputs.assumptions  # no step moves the days: one timeline serves every cell
    timeline = build_timeline(inputs.start_date, a.subphase_days, a.p4_checkpoint_interval_days)
    table = [[plan_totals(moved(moved(inputs, rows, r), columns, c), timeline)[output] for c in column_steps]
             for r in row_steps]  # fmt: skip
    return pd.DataFrame(table, index=pd.Index(row_steps, name=rows.value), columns=list(column_steps))
