"""Risk (风险, PLANNING_RULES §5): indicator scores, composite index and level, alerts, matrix.

Scores are piecewise-linear through three anchors: ``good`` scores 0, ``warn`` 50 and
``critical`` 100, clamped to 0–100. The order of the anchors gives the direction: when
``good < critical`` a higher value is worse, otherwise a lower value is worse.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from dyplan.model.terms import Term
from dyplan.model.values import is_number


class IndicatorKind(Term):
    CHANGE = "change", "相对基线的不利变化 %", "adverse % change against baseline"
    INDEX = "index", "0–100 风险指数", "0–100 risk index"
    CTR_RATIO = "ctr_ratio", "点击率 ÷ 类目基准 %", "CTR ÷ category benchmark %"


#: Seed anchors (good, warn, critical) per kind: §4.2's 15 % / 30 %, penalty index > 70,
#: and "CTR below 50 % of the benchmark".
KIND_ANCHORS: dict[IndicatorKind, tuple[float, float, float]] = {
    IndicatorKind.CHANGE: (0.0, 0.15, 0.30),
    IndicatorKind.INDEX: (30.0, 50.0, 70.0),
    IndicatorKind.CTR_RATIO: (1.0, 0.75, 0.50),
}


@dataclass(frozen=True)
class Indicator:
    key: str
    zh: str
    en: str
    kind: IndicatorKind


#: The 15 indicators of the seed's §4.3, in its order.
INDICATORS: tuple[Indicator, ...] = (
    Indicator("industry_traffic", "行业流量增速", "industry traffic growth", IndicatorKind.CHANGE),
    Indicator("competitor_bids", "竞品出价水平", "competitor bid level", IndicatorKind.CHANGE),
    Indicator("policy_change", "平台政策变动", "platform policy change", IndicatorKind.INDEX),
    Indicator("audience_shift", "用户画像变化", "audience profile shift", IndicatorKind.CHANGE),
    Indicator("conversion_cost", "转化成本波动", "conversion cost change", IndicatorKind.CHANGE),
    Indicator("account_health", "账户健康度评分", "account penalty-risk index", IndicatorKind.INDEX),
    Indicator("compliance", "内容合规度指数", "content compliance risk", IndicatorKind.INDEX),
    Indicator("complaints", "用户投诉量", "user complaints", IndicatorKind.CHANGE),
    Indicator("device_mix", "设备类型分布", "device mix shift", IndicatorKind.CHANGE),
    Indicator("region_mix", "地域分布变化", "region mix shift", IndicatorKind.CHANGE),
    Indicator("time_slot_mix", "时段分布变化", "time-slot mix shift", IndicatorKind.CHANGE),
    Indicator("targeting", "人群定向精准度", "targeting precision loss", IndicatorKind.CHANGE),
    Indicator("creative_ctr", "素材点击率变化", "creative CTR vs benchmark", IndicatorKind.CTR_RATIO),
    Indicator("path_length", "转化路径长度", "conversion path length", IndicatorKind.CHANGE),
    Indicator("aov_volatility", "客单价波动", "AOV volatility", IndicatorKind.CHANGE),
)
INDICATOR_KEYS = tuple(i.key for i in INDICATORS)


class RiskLevel(Term):
    LOW = "low", "低", "low"
    MEDIUM = "medium", "中", "medium"
    HIGH = "high", "高", "high"
    CRITICAL = "critical", "严重", "critical"


@dataclass(frozen=True)
class AlertRule:
    key: str
    indicator: str
    above: bool  # True: fires when the value exceeds the threshold; False: when below it
    default_threshold: float
    zh: str
    en: str
    response_zh: str
    response_en: str


#: §4.2's five monitored conditions, each read from one indicator's value.
ALERT_RULES: tuple[AlertRule, ...] = (
    AlertRule(
        "traffic_quality", "targeting", True, 0.15,
        "流量质量下降超过阈值", "traffic quality down more than the threshold",
        "收紧定向、暂停低质计划、复核人群包",
        "tighten targeting, pause low-quality campaigns, review audiences",
    ),
    AlertRule(
        "conversion_cost", "conversion_cost", True, 0.30,
        "转化成本上升超过阈值", "conversion cost up more than the threshold",
        "优先保障高ROI计划、下调出价、启用风险储备金",
        "protect high-ROI campaigns, lower bids, draw on the reserve",
    ),
    AlertRule(
        "ctr_floor", "creative_ctr", False, 0.50,
        "计划点击率低于类目基准的阈值比例", "campaign CTR below the threshold share of the benchmark",
        "更换素材、按黄金3秒法则重做开头", "replace creatives, rework the first 3 seconds",
    ),
    AlertRule(
        "penalty_risk", "account_health", True, 70.0,
        "账户处罚风险指数超过阈值", "account penalty-risk index above the threshold",
        "合规自查、下架风险素材、联系平台客户经理",
        "compliance self-check, pull risky creatives, contact the platform",
    ),
    AlertRule(
        "complaints", "complaints", True, 0.20,
        "用户投诉率上升超过阈值", "complaint rate up more than the threshold",
        "排查售后与宣传用语、启动客服分级响应", "check after-sales and claims, escalate customer service",
    ),
)  # fmt: skip

#: §4.1's five risk factors for the probability × impact matrix.
MATRIX_FACTORS: tuple[tuple[str, str, str], ...] = (
    ("traffic_cost", "流量成本", "traffic cost"),
    ("policy", "政策", "policy"),
    ("competition", "竞争", "competition"),
    ("technology", "技术", "technology"),
    ("compliance", "合规", "compliance"),
)
MATRIX_FACTOR_KEYS = tuple(f[0] for f in MATRIX_FACTORS)


def score_indicator(value: float | None, good: float, warn: float, critical: float) -> float | None:
    """Score one indicator 0–100 by linear interpolation through its anchors.

    Parameters
    ----------
    value
        The indicator's measured value; ``None`` (or NaN) means not measured.
    good, warn, critical
        Values that score 0, 50 and 100; strictly increasing or strictly decreasing.

    Returns
    -------
    The score clamped to 0–100, or ``None`` when there is no value.
    """
    if value is None or not is_number(value):
        return None
    return float(score_indicators(np.array([float(value)]), good, warn, critical)[0])


def score_indicators(values: npt.NDArray[np.float64], good: float, warn: float, critical: float
                     ) -> npt.NDArray[np.float64]:  # fmt: skip
    """``score_indicator`` for many values at once (NaN: not measured, scores NaN)."""
    if not (good < warn < critical or good > warn > critical):
        raise ValueError("anchors must be strictly monotone")
    sign = 1.0 if good < critical else -1.0
    xs = [sign * good, sign * warn, sign * critical]
    scores = np.interp(sign * values, xs, [0.0, 50.0, 100.0])
    return np.where(np.isnan(values), np.nan, scores)


def composite_index(scores: Sequence[float | None], weights: Sequence[float] | None = None) -> float | None:
    """Weighted mean of the scores that exist (None or NaN drop out with their weight)."""
    if weights is None:
        weights = [1.0] * len(scores)
    row = np.array([[float(s) if is_number(s) else np.nan for s in scores]])
    index = composite_indices(row, np.asarray(weights, dtype=float))[0]
    return None if np.isnan(index) else float(index)


def composite_indices(scores: npt.NDArray[np.float64], weights: npt.NDArray[np.float64]
                      ) -> npt.NDArray[np.float64]:  # fmt: skip
    """``composite_index`` of every row of ``scores`` (one column per indicator); NaN where none exists."""
    used = np.where(np.isfinite(scores) & (weights > 0), weights, 0.0)
    total = used.sum(axis=1)
    weighted = np.where(used > 0, scores, 0.0) * used
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, weighted.sum(axis=1) / total, np.nan)


def risk_level(index: float, cuts: Sequence[float]) -> RiskLevel:
    """Band an index: below ``cuts[0]`` low, then medium, high, and critical from ``cuts[2]``."""
    levels = list(RiskLevel)
    return levels[sum(index >= cut for cut in cuts)]


def matrix_level(probability: int, impact: int, cuts: Sequence[float]) -> tuple[int, RiskLevel]:
    """Probability × impact (each 1–5) and its band: 1–4 低, 5–9 中, 10–16 高, ≥ 20 严重."""
    score = int(probability) * int(impact)
    return score, risk_level(score, cuts)


def assess_indicators(
    values: Mapping[str, float | None],
    anchors: Mapping[str, tuple[float, float, float]],
    weights: Mapping[str, float],
    level_cuts: Sequence[float],
) -> tuple[pd.DataFrame, float | None, RiskLevel | None]:
    """Score every indicator and combine them.

    Returns the indicator table (one row per indicator of ``INDICATORS``; ``value`` and
    ``score`` are NaN where not measured), the composite index and its level (``None`` when
    no indicator has a value).
    """
    rows = []
    for ind in INDICATORS:
        good, warn, critical = anchors[ind.key]
        value = values.get(ind.key)
        rows.append(
            {
                "key": ind.key,
                "indicator_zh": ind.zh,
                "indicator_en": ind.en,
                "kind": ind.kind.value,
                "good": good,
                "warn": warn,
                "critical": critical,
                "weight": weights[ind.key],
                "value": value,
                "score": score_indicator(value, good, warn, critical),
            }
        )
    # Float even when nothing is measured (a fresh workbook): all-None columns would be
    # object dtype, which rounding and arithmetic reject.
    table = pd.DataFrame(rows).astype({"value": float, "score": float})
    index = composite_index(list(table["score"]), list(table["weight"]))
    level = None if index is None else risk_level(index, level_cuts)
    return table, index, level


def evaluate_alerts(values: Mapping[str, float | None], thresholds: Mapping[str, float]) -> pd.DataFrame:
    """Run the five alert rules; a rule whose indicator has no value does not fire."""
    rows = []
    for rule in ALERT_RULES:
        value = values.get(rule.indicator)
        threshold = thresholds[rule.key]
        measured = value is not None and is_number(value)
        fired = measured and (value > threshold if rule.above else value < threshold)
        rows.append(
            {
                "rule": rule.key,
                "alert_zh": rule.zh,
                "alert_en": rule.en,
                "indicator": rule.indicator,
                "comparator": ">" if rule.above else "<",
                "threshold": threshold,
                "value": value if measured else None,
                "fired": bool(fired),
                "response_zh": rule.response_zh,
                "response_en": rule.response_en,
            }
        )
    return pd.DataFrame(rows)


def assess_matrix(ratings: Mapping[str, tuple[int, int]], cuts: Sequence[float]) -> pd.DataFrame:
    """The 5×5 probability × impact table for the five factors of §4.1."""
    rows = []
    for key, zh, en in MATRIX_FACTORS:
        probability, impact = ratings[key]
        score, level = matrix_level(probability, impact, cuts)
        rows.append(
            {
                "factor": key,
                "factor_zh": zh,
                "factor_en": en,
                "probability": probability,
                "impact": impact,
                "score": score,
                "level": level.value,
                "level_zh": level.zh,
            }
        )
    return pd.DataFrame(rows)
