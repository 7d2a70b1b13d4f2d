"""Scenarios side by side (情景对比): the figures that decide between plans, and each one's difference
to a chosen base.

A scenario is a set of inputs and assumptions; the workbook keeps them (情景 sheet) and the engine
only builds each one's plan. Every figure is the plan's own (to the fen), so a difference is exactly
what changing the inputs changes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from dyplan.errors import InputError, Problem
from dyplan.model.budget import PHASES
from dyplan.model.plan import Plan
from dyplan.model.roi_reconciliation import ad_gmv_fen
from dyplan.model.rounding import FEN_PER_CNY, to_fen
from dyplan.model.terms import Channel


@dataclass(frozen=True)
class Figure:
    key: str
    zh: str
    en: str
    of: Callable[[Plan], float]
    money: bool = True  # CNY to the fen; else a ratio shown with two decimals


def _phase_budget(index: int) -> Callable[[Plan], float]:
    return lambda plan: float(plan.phases["budget"].iloc[index])


def _channel_total(channel: Channel) -> Callable[[Plan], float]:
    return lambda plan: plan.totals[channel.value]


def _per_budget(plan: Plan) -> float:
    return plan.totals["gmv"] / plan.totals["budget"] if plan.totals["budget"] else float("nan")


def expected_ad_gmv(plan: Plan) -> float:
    """The allocatable budget at the target ROI, CNY to the fen (re-planning's ad GMV target)."""
    return ad_gmv_fen(to_fen(plan.totals["allocatable"]), plan.target_roi) / FEN_PER_CNY


#: The figures compared, in the order the comparison shows them.
FIGURES: tuple[Figure, ...] = (
    Figure("gmv_target", "年度GMV目标", "GMV target", lambda p: p.totals["gmv"]),
    Figure("budget", "年度总预算", "total budget", lambda p: p.totals["budget"]),
    *(Figure(f"budget_{p.value}", f"{p.value} {p.zh}预算", f"{p.value} budget", _phase_budget(i))
      for i, p in enumerate(PHASES)),
    Figure("reserve", "风险储备金", "risk reserve", lambda p: p.totals["reserve"]),
    Figure("allocatable", "可分配预算", "allocatable budget", lambda p: p.totals["allocatable"]),
    *(Figure(c.value, c.zh, c.en, _channel_total(c)) for c in Channel),
    Figure("ad_gmv", "预计广告GMV", "expected ad GMV", expected_ad_gmv),
    Figure("target_roi", "目标ROI", "target ROI", lambda p: p.target_roi, money=False),
    Figure("breakeven_roi", "保本ROI", "break-even ROI", lambda p: p.breakeven_roi, money=False),
    Figure("gmv_per_budget", "GMV目标 ÷ 总预算", "GMV target ÷ budget", _per_budget, money=False),
)  # fmt: skip


def compare_plans(plans: Mapping[str, Plan], base: str) -> pd.DataFrame:
    """One row per figure (``FIGURES``): ``key``, ``zh``, ``en``, each scenario's value under its name,
    then ``<name> − <base>`` for every other scenario (money exact to the fen)."""
    if base not in plans:
        zh = f"没有名为「{base}」的情景可作基准（现有：{'、'.join(plans)}）"
        en = f"no scenario named {base!r} to compare with (there are: {', '.join(plans)})"
        raise InputError([Problem("scenario", zh, en)])
    rows = []
    for figure in FIGURES:
        values = {name: figure.of(plan) for name, plan in plans.items()}
        row: dict[str, object] = {"key": figure.key, "zh": figure.zh, "en": figure.en, **values}
        for name, value in values.items():
            if name != base:
                row[f"{name} − {base}"] = _difference(value, values[base], figure.money)
        rows.append(row)
    return pd.DataFrame(rows)


def _difference(value: float, base: float, money: bool) -> float:
    """``value − base``; money subtracted in whole fen, so that it is exact to the fen."""
    return (to_fen(value) - to_fen(base)) / FEN_PER_CNY if money else value - base
