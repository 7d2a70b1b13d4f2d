"""Evaluation (评估, PLANNING_RULES §7): the §5.4 and §9.1 KPI frameworks as target tables.

A KPI's target comes from the plan where the plan fixes it (GMV, ROI, AOV, CVR, CTR,
repurchase, and the order funnel they imply); the rest are left for the user to type.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dyplan.model.checkpoints import AOV_TARGET, CTR_BENCHMARK
from dyplan.model.terms import Strategy

#: §5.3: the tactic mix each strategy type puts on the plan's cover.
STRATEGY_TACTICS: dict[Strategy, tuple[str, str]] = {
    Strategy.BRAND: ("内容种草 + 明星合作 + KOL传播", "seeding content + celebrities + KOLs"),
    Strategy.SALES: ("促销活动 + 搜索优化 + 达人带货", "promotions + search optimisation + creators"),
    Strategy.GROWTH: ("裂变活动 + 社交分享 + 私域引流", "referral loops + social sharing + private traffic"),
}

#: §5.3: the three-dimension framework's dimension each strategy makes primary.
PRIMARY_DIMENSION: dict[Strategy, str] = {
    Strategy.BRAND: "brand",
    Strategy.SALES: "sales",
    Strategy.GROWTH: "users",
}


@dataclass(frozen=True)
class Kpi:
    framework: str  # "three" (§5.4) or "four" (§9.1)
    dimension: str
    dimension_zh: str
    zh: str
    en: str
    unit: str
    cadence: str  # 周 / 月 / 季
    target: str | None  # a key of the targets passed to build_kpis, or None: user types it


KPIS: tuple[Kpi, ...] = (
    Kpi("three", "brand", "品牌", "品牌声量指数", "brand voice index", "", "季", None),
    Kpi("three", "brand", "品牌", "品牌联想度", "brand association", "%", "季", None),
    Kpi("three", "brand", "品牌", "品牌搜索量", "brand searches", "次", "月", None),
    Kpi("three", "sales", "销售", "GMV", "GMV", "元", "月", "gmv"),
    Kpi("three", "sales", "销售", "客单价", "AOV", "元", "月", AOV_TARGET),
    Kpi("three", "sales", "销售", "转化率", "CVR", "%", "周", "cvr"),
    Kpi("three", "users", "用户", "新用户获取量", "new users", "人", "月", None),
    Kpi("three", "users", "用户", "复购率", "repurchase rate", "%", "月", "repurchase_p4"),
    Kpi("three", "users", "用户", "用户生命周期价值", "customer lifetime value", "元", "季", None),
    Kpi("four", "traffic", "流量", "曝光量", "impressions", "次", "周", "impressions"),
    Kpi("four", "traffic", "流量", "点击率", "CTR", "%", "周", CTR_BENCHMARK),
    Kpi("four", "traffic", "流量", "互动率", "engagement rate", "%", "周", None),
    Kpi("four", "traffic", "流量", "新增粉丝量", "new followers", "人", "周", None),
    Kpi("four", "traffic", "流量", "用户覆盖广度", "audience reach", "%", "月", "reach"),
    Kpi("four", "conversion", "转化", "转化率", "CVR", "%", "周", "cvr"),
    Kpi("four", "conversion", "转化", "客单价", "AOV", "元", "月", AOV_TARGET),
    Kpi("four", "conversion", "转化", "UV价值", "value per visitor", "元", "周", "uv_value"),
    Kpi("four", "conversion", "转化", "订单量", "orders", "单", "月", "orders"),
    Kpi("four", "retention", "留存", "复购率", "repurchase rate", "%", "月", "repurchase_p4"),
    Kpi("four", "retention", "留存", "用户留存率", "user retention", "%", "季", None),
    Kpi("four", "retention", "留存", "LTV", "lifetime value", "元", "季", None),
    Kpi("four", "revenue", "收益", "ROI", "ROI", "倍", "月", "roi"),
    Kpi("four", "revenue", "收益", "GMV", "GMV", "元", "月", "gmv"),
)  # fmt: skip


def funnel_targets(gmv: float, baseline_aov: float, cvr: float, ctr: float) -> dict[str, float]:
    """The order funnel the plan implies: orders = GMV ÷ AOV, clicks = orders ÷ CVR,
    impressions = clicks ÷ CTR, value per visitor (click) = AOV × CVR."""
    orders = gmv / baseline_aov
    return {
        "gmv": gmv,
        "orders": orders,
        "impressions": orders / cvr / ctr if cvr and ctr else float("nan"),
        "uv_value": baseline_aov * cvr,
    }


def attainment(actual: float | None, target: float | None) -> float | None:
    """Actual ÷ target, or None when either is missing or the target is 0."""
    if actual is None or target is None or target == 0:
        return None
    return actual / target


def build_kpis(targets: dict[str, float], strategy: Strategy) -> pd.DataFrame:
    """The KPI table: one row per KPI, with its target (None where the user types it)."""
    primary = PRIMARY_DIMENSION[strategy]
    rows = [
        {
            "framework": k.framework,
            "dimension": k.dimension,
            "dimension_zh": k.dimension_zh,
            "kpi_zh": k.zh,
            "kpi_en": k.en,
            "unit": k.unit,
            "target": None if k.target is None else targets[k.target],
            "cadence": k.cadence,
            "primary": k.framework == "three" and k.dimension == primary,
        }
        for k in KPIS
    ]
    return pd.DataFrame(rows)
