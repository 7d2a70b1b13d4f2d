"""Checkpoints (检查点, PLANNING_RULES §4): when each phase is checked, against which target.

P1–P3 checkpoints fall on the last day of a sub-phase, so editing a sub-phase length moves
its checkpoints with it; P4 is checked every ``p4_checkpoint_interval_days`` and on the
plan's last day.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import TYPE_CHECKING

import pandas as pd

from dyplan.model.breakeven import under_breakeven
from dyplan.model.calendar import Timeline, p4_checkpoint_days
from dyplan.model.terms import Phase, Term

if TYPE_CHECKING:
    from dyplan.model.inputs import PlanInputs


@dataclass(frozen=True)
class Metric:
    key: str
    zh: str
    en: str
    unit: str  # "%" for shares (stored 0–1), otherwise the unit shown after the number


METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("reach", "目标人群覆盖率", "target-pool reach", "%"),
        Metric("creatives", "素材数量", "creatives produced", "个"),
        Metric("creative_ctr", "素材点击率", "creative CTR", "%"),
        Metric("account_ctr", "账户平均CTR", "account CTR", "%"),
        Metric("cpa", "转化成本", "CPA", "元"),
        Metric("pacing", "预算执行偏差", "pacing deviation", "%"),
        Metric("cpc", "流量获取成本", "cost per click", "元"),
        Metric("cvr", "转化率", "CVR", "%"),
        Metric("roi", "ROI", "ROI", "倍"),
        Metric("user_tiers", "用户分层数", "user tiers defined", "层"),
        Metric("ab_tests", "月度A/B测试数", "A/B tests per month", "组"),
        Metric("aov", "客单价", "AOV", "元"),
        Metric("repurchase", "复购率", "repurchase rate", "%"),
    )
}

#: The metric whose targets are compared with break-even.
ROI = "roi"
#: Targets computed from other inputs rather than typed.
CTR_BENCHMARK = "ctr_benchmark"  # the category's CTR benchmark
TARGET_CPA = "target_cpa"  # baseline AOV ÷ target ROI
AOV_TARGET = "aov_target"  # baseline AOV × (1 + AOV uplift)


@dataclass(frozen=True)
class CheckpointRule:
    phase: Phase
    subphase: int  # 1-based: the checkpoint falls on this sub-phase's last day (P1–P3)
    metric: str
    at_least: bool  # True: actual ≥ target; False: actual ≤ target
    target: str  # a DEFAULT_TARGETS key or one of the derived targets above
    basis: str  # a BASES key: why the phase checks this metric


#: Why each checkpoint is checked, in words a media buyer acts on (the targets stay in their column,
#: since they are editable). The rules behind them: docs/planning-rules.md, section 3.9.
BASES: dict[str, tuple[str, str]] = {
    "reach": ("先把目标人群覆盖到位，再追求转化", "Reach the audience before chasing sales"),
    "creatives": ("备足素材，才能测出点击率高的", "Enough creatives to find those people click"),
    "creative_ctr": ("素材点击率低于类目基准就更换素材", "Replace creatives below the category CTR"),
    "cold_start_ctr": (
        "冷启动末点击率不达标，说明素材或定向需调整",
        "Low CTR now: rework creatives or targeting",
    ),
    "cpa": ("每单成本高于 客单价 ÷ 目标ROI，ROI 就不达标", "Above AOV ÷ target ROI, ROI falls short"),
    "pacing": ("消耗与计划的偏差超过目标，就调整日预算", "Spend off plan beyond target: adjust budgets"),
    "cpc": ("精准定向应把点击成本压到目标以下", "Precise targeting keeps cost per click down"),
    "cvr": ("转化率达标，说明人群与定向选对了", "CVR on target: the audience is the right one"),
    "scale_roi": ("ROI 达标，说明获客的投入能赚回来", "ROI on target: acquisition pays for itself"),
    "user_tiers": ("按价值把用户分层运营，提升客单价与复购", "Tier users by value to lift AOV and repeats"),
    "ab_tests": ("每月做足 A/B 测试，持续优化素材与路径", "Enough A/B tests a month to keep improving"),
    "aov": ("深度转化期客单价应比基准提升", "AOV should rise above the baseline"),
    "repurchase": ("复购率达标，说明老客运营见效", "Repurchase on target: retention works"),
    "steady_roi": ("成熟期每轮 ROI 都应稳定达标", "ROI holds on target in every cycle"),
    "repeat_buyers": ("成熟期靠老客复购，复购率应稳定达标", "The mature phase lives on repeat buyers"),
    "fresh_ctr": ("点击率低于类目基准就更新素材", "CTR below the category's: refresh creatives"),
}


#: P1–P3 checkpoints (PLANNING_RULES §4 table), anchored to sub-phase ends.
PHASE_RULES: tuple[CheckpointRule, ...] = (
    CheckpointRule(Phase.P1, 1, "reach", True, "reach", "reach"),
    CheckpointRule(Phase.P1, 2, "creatives", True, "creatives", "creatives"),
    CheckpointRule(Phase.P1, 2, "creative_ctr", True, CTR_BENCHMARK, "creative_ctr"),
    CheckpointRule(Phase.P1, 3, "account_ctr", True, "account_ctr", "cold_start_ctr"),
    CheckpointRule(Phase.P1, 3, "cpa", False, TARGET_CPA, "cpa"),
    CheckpointRule(Phase.P1, 3, "pacing", False, "pacing", "pacing"),
    CheckpointRule(Phase.P2, 1, "cpc", False, "cpc", "cpc"),
    CheckpointRule(Phase.P2, 3, "cvr", True, "cvr", "cvr"),
    CheckpointRule(Phase.P2, 3, "roi", True, "roi", "scale_roi"),
    CheckpointRule(Phase.P2, 3, "cpa", False, TARGET_CPA, "cpa"),
    CheckpointRule(Phase.P2, 3, "pacing", False, "pacing", "pacing"),
    CheckpointRule(Phase.P3, 1, "user_tiers", True, "user_tiers", "user_tiers"),
    CheckpointRule(Phase.P3, 2, "ab_tests", True, "ab_tests", "ab_tests"),
    CheckpointRule(Phase.P3, 3, "aov", True, AOV_TARGET, "aov"),
    CheckpointRule(Phase.P3, 3, "repurchase", True, "repurchase_p3", "repurchase"),
    CheckpointRule(Phase.P3, 3, "pacing", False, "pacing", "pacing"),
)

#: Checked on every P4 checkpoint day (PLANNING_RULES §4, last row).
P4_RULES: tuple[CheckpointRule, ...] = (
    CheckpointRule(Phase.P4, 0, "roi", True, "roi", "steady_roi"),
    CheckpointRule(Phase.P4, 0, "repurchase", True, "repurchase_p4", "repeat_buyers"),
    CheckpointRule(Phase.P4, 0, "account_ctr", True, CTR_BENCHMARK, "fresh_ctr"),
    CheckpointRule(Phase.P4, 0, "cpa", False, TARGET_CPA, "cpa"),
    CheckpointRule(Phase.P4, 0, "pacing", False, "pacing", "pacing"),
)


class Status(Term):
    MET = "met", "达标", "met"
    WARNING = "warning", "预警", "warning"
    MISSED = "missed", "未达标", "missed"
    PENDING = "pending", "待评估", "pending"
    NO_DATA = "no_data", "缺数据", "no data"


def target_cpa(baseline_aov: float, target_roi: float) -> float:
    """The spend per order that still meets the ROI target: AOV ÷ ROI."""
    return baseline_aov / target_roi


def resolve_targets(inputs: PlanInputs) -> dict[str, float]:
    """Every target key, typed and derived, with its value for these inputs."""
    a = inputs.assumptions
    targets = dict(a.checkpoint_targets)
    targets[CTR_BENCHMARK] = a.ctr_benchmarks[inputs.category]
    targets[TARGET_CPA] = target_cpa(inputs.baseline_aov, a.checkpoint_targets["roi"])
    targets[AOV_TARGET] = inputs.baseline_aov * (1 + a.checkpoint_targets["aov_uplift"])
    return targets


def build_checkpoints(inputs: PlanInputs, timeline: Timeline) -> pd.DataFrame:
    """The checkpoint table: one row per (day, metric), in date order; ``under_breakeven`` marks the ROI
    targets under break-even."""
    targets = resolve_targets(inputs)
    placed: list[tuple[int, CheckpointRule]] = [
        (timeline.subphase_end_day(rule.phase, rule.subphase), rule) for rule in PHASE_RULES
    ]
    p4_start, p4_end = timeline.phase_days(Phase.P4)
    for day in p4_checkpoint_days(p4_start, p4_end, inputs.assumptions.p4_checkpoint_interval_days):
        placed.extend((day, rule) for rule in P4_RULES)
    subphase_names = timeline.days["subphase_zh"].to_numpy()
    breakeven = inputs.assumptions.breakeven_roi
    rows = []
    for number, (day, rule) in enumerate(placed, start=1):
        metric = METRICS[rule.metric]
        target = targets[rule.target]
        rows.append(
            {
                "id": f"C{number:02d}",
                "phase": rule.phase.value,
                "phase_zh": rule.phase.zh,
                "day": day,
                "date": timeline.date_of(day),
                "subphase_zh": subphase_names[day - 1],
                "metric": rule.metric,
                "metric_zh": metric.zh,
                "metric_en": metric.en,
                "comparator": "≥" if rule.at_least else "≤",
                "target": target,
                "unit": metric.unit,
                "basis_zh": BASES[rule.basis][0],
                "basis_en": BASES[rule.basis][1],
                # an ROI target under break-even loses money on every sale, even when met
                "under_breakeven": rule.metric == ROI and under_breakeven(target, breakeven),
            }
        )
    return pd.DataFrame(rows)


#: Excel keeps 15 significant digits of every number it is given, so no typed value has more, while
#: binary noise (0.7 + 0.1 = 0.7999999999999999, 0.012 − 0.0102 = 0.0017999999999999995) sits in the
#: 16th–17th. ``repr`` would keep that noise, and targets and report values are often computed.
_SIGNIFICANT_DIGITS = 15
#: Working precision at which the differences and products of 15-digit operands are exact, so a tie
#: stays a tie.
_EXACT_DIGITS = 4 * _SIGNIFICANT_DIGITS


def _as_typed(number: float) -> Decimal:
    """The decimal a user typed or sees for ``number``: its first 15 significant digits."""
    return Decimal(f"{float(number):.{_SIGNIFICANT_DIGITS}g}")


def checkpoint_status(
    actual: float | None,
    target: float,
    at_least: bool,
    tolerance: float,
    due: dt.date,
    today: dt.date,
) -> Status:
    """Judge one checkpoint (PLANNING_RULES §4 and §5 tolerance).

    With an actual value: met when it satisfies the comparator; warning when it misses by
    less than ``tolerance`` × |target|; otherwise missed. The numbers are compared as the
    decimals the user typed, so a miss of exactly the tolerance is missed and an actual equal
    to the target is met whatever binary rounding did to either. Without an actual: pending
    up to and including the due date, no data after it.
    """
    if actual is None or (isinstance(actual, float) and math.isnan(actual)):
        return Status.PENDING if today <= due else Status.NO_DATA
    value, goal, share = _as_typed(actual), _as_typed(target), _as_typed(tolerance)
    with localcontext(prec=_EXACT_DIGITS):
        shortfall = (goal - value) if at_least else (value - goal)
        if shortfall <= 0:
            return Status.MET
        if shortfall < share * abs(goal):
            return Status.WARNING
    return Status.MISSED


def comparator_is_at_least(symbol: str) -> bool:
    """Read a comparator as users type it: ≥, >=, ≤, <=."""
    text = symbol.strip()
    if text in ("≥", ">=", ">"):
        return True
    if text in ("≤", "<=", "<"):
        return False
    raise ValueError(symbol)
