"""``build_plan``: the whole plan from the inputs, as pandas frames plus totals."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from dyplan.errors import Field, Problem
from dyplan.model.breakeven import under_breakeven
from dyplan.model.budget import MONEY_COLUMNS, PHASES, allocate_money
from dyplan.model.calendar import build_timeline
from dyplan.model.checkpoints import (
    CTR_BENCHMARK,
    TARGET_CPA,
    build_checkpoints,
    resolve_targets,
)
from dyplan.model.inputs import PlanInputs
from dyplan.model.kpis import build_kpis, funnel_targets
from dyplan.model.risk import RiskLevel, assess_indicators, assess_matrix, evaluate_alerts
from dyplan.model.rounding import FEN_PER_CNY
from dyplan.model.team import split_team
from dyplan.model.terms import Channel


@dataclass(frozen=True)
class Plan:
    """Everything the workbook shows. Money is CNY, exact to the fen; shares are 0–1.

    Attributes
    ----------
    daily
        One row per plan day: date, day, phase, sub-phase and every money column.
    phases
        One row per phase: days, dates, budget ratio and the sums of its days.
    subphases, channel_mix, checkpoints, team, kpis
        The tables of PLANNING_RULES §4, §3, §4, §6 and §7.
    risk_indicators, alerts, risk_matrix
        §5's scored indicators, the five alert rules and the 5×5 matrix.
    totals
        Sum of every money column over the year (``budget`` is the total budget).
    breakeven_roi
        保本ROI from the gross margin and refund rate (breakeven.py); ``roi_under_breakeven`` says
        whether the target ROI is below it and ``breakeven_warning`` what to show then.
    """

    inputs: PlanInputs
    daily: pd.DataFrame
    phases: pd.DataFrame
    subphases: pd.DataFrame
    channel_mix: pd.DataFrame
    checkpoints: pd.DataFrame
    risk_indicators: pd.DataFrame
    risk_index: float | None
    risk_level: RiskLevel | None
    alerts: pd.DataFrame
    risk_matrix: pd.DataFrame
    team: pd.DataFrame
    kpis: pd.DataFrame
    totals: dict[str, float]
    target_cpa: float
    warnings: tuple[Problem, ...]
    breakeven_roi: float

    @property
    def target_roi(self) -> float:
        """The plan's ROI target (checkpoint target ``roi``)."""
        return float(self.inputs.assumptions.checkpoint_targets["roi"])

    @property
    def roi_under_breakeven(self) -> bool:
        return under_breakeven(self.target_roi, self.breakeven_roi)

    @property
    def all_warnings(self) -> tuple[Problem, ...]:
        """Everything allowed but worth a second look: the ratios outside their usual range and a
        target ROI under break-even."""
        breakeven = self.breakeven_warning
        return (*self.warnings, *([breakeven] if breakeven else []))

    @property
    def breakeven_warning(self) -> Problem | None:
        """What to show beside the target ROI when it is under break-even (None when it is not)."""
        if not self.roi_under_breakeven:
            return None
        roi, breakeven = self.target_roi, self.breakeven_roi
        return Problem(
            Field("checkpoint_targets", "roi"),
            f"目标ROI {roi:g} 低于保本ROI {breakeven:.2f}：每单亏损；请提高目标ROI或核对毛利率、退款率",
            f"target ROI {roi:g} is under the break-even ROI {breakeven:.2f}: every order loses money; "
            "raise the target or check the gross margin and refund rate",
        )


def build_plan(inputs: PlanInputs) -> Plan:
    """Compute the plan for validated inputs (deterministic: same inputs, same plan)."""
    a = inputs.assumptions
    timeline = build_timeline(inputs.start_date, a.subphase_days, a.p4_checkpoint_interval_days)
    money = allocate_money(inputs, timeline)
    daily = pd.concat([timeline.days, money.frame()], axis=1)

    phase_index = daily["phase"].map({p.value: i for i, p in enumerate(PHASES)}).to_numpy()
    phase_fen = np.stack(
        [np.bincount(phase_index, weights=col, minlength=len(PHASES)) for col in money.fen.T],
        axis=1,
    ).astype(np.int64)
    bounds = timeline.subphases.groupby("phase", sort=False).agg(
        start_day=("start_day", "first"), end_day=("end_day", "last"),
        start_date=("start_date", "first"), end_date=("end_date", "last"),
    )  # fmt: skip
    phases = pd.DataFrame(
        {
            "phase": [p.value for p in PHASES],
            "phase_zh": [p.zh for p in PHASES],
            "phase_en": [p.en for p in PHASES],
        }
    ).join(bounds, on="phase")
    phases["days"] = phases["end_day"] - phases["start_day"] + 1
    phases["ratio"] = [a.ratio(inputs.stage, p) for p in PHASES]
    phases = pd.concat([phases, pd.DataFrame(phase_fen / FEN_PER_CNY, columns=list(MONEY_COLUMNS))], axis=1)
    totals = dict(zip(MONEY_COLUMNS, (phase_fen.sum(axis=0) / FEN_PER_CNY).tolist(), strict=True))

    channel_mix = pd.DataFrame([a.channel_mix[p] for p in PHASES], columns=[c.value for c in Channel]).assign(
        phase=[p.value for p in PHASES], phase_zh=[p.zh for p in PHASES]
    )

    targets = resolve_targets(inputs)
    targets.update(
        funnel_targets(inputs.gmv_target, inputs.baseline_aov, targets["cvr"], targets[CTR_BENCHMARK])
    )
    return Plan(
        inputs=inputs,
        daily=daily,
        phases=phases,
        subphases=timeline.subphases,
        channel_mix=channel_mix,
        checkpoints=build_checkpoints(inputs, timeline),
        **_risk(inputs),
        risk_matrix=assess_matrix(inputs.risk_ratings, a.matrix_cuts),
        team=split_team(inputs.headcount, a.team_ratio),
        kpis=build_kpis(targets, inputs.strategy),
        totals=totals,
        target_cpa=targets[TARGET_CPA],
        warnings=tuple(inputs.warnings()),
        breakeven_roi=a.breakeven_roi,
    )


def with_readings(plan: Plan, readings: Mapping[str, float]) -> Plan:
    """``plan`` with its risk indicators and alerts scored from ``readings`` instead of its inputs'."""
    inputs = replace(plan.inputs, risk_values=dict(readings))
    return replace(plan, inputs=inputs, **_risk(inputs))


def _risk(inputs: PlanInputs) -> dict[str, Any]:
    """The plan's fields that the risk readings decide (§5)."""
    a = inputs.assumptions
    values = inputs.risk_values
    indicators, index, level = assess_indicators(values, a.risk_anchors, a.risk_weights, a.level_cuts)
    return {"risk_indicators": indicators, "risk_index": index, "risk_level": level,
            "alerts": evaluate_alerts(values, a.alert_thresholds)}  # fmt: skip
