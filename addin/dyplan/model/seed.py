"""The seed's editable defaults (PLANNING_RULES): tables the 假设 sheet starts from.

``Assumptions`` (inputs.py) takes every default from here or states it once as its field's default.
"""

from __future__ import annotations

from dataclasses import dataclass

from dyplan.model.terms import Category, Phase, Stage

#: Channel shares per phase (§3.2), feed / search / live. P3 keeps P2's 2:1 feed:search
#: with live at 20 %; P4 repeats P3 (both *choices* of PLANNING_RULES §3).
DEFAULT_CHANNEL_MIX: dict[Phase, tuple[float, float, float]] = {
    Phase.P1: (0.50, 0.40, 0.10),
    Phase.P2: (0.60, 0.30, 0.10),
    Phase.P3: (0.5333, 0.2667, 0.20),
    Phase.P4: (0.5333, 0.2667, 0.20),
}

#: Seed ranges of the budget ratio (§3.1); outside them is a warning, not an error.
RATIO_RANGES: dict[Stage, tuple[float, float]] = {
    Stage.LAUNCH: (0.08, 0.10),
    Stage.MATURE: (0.05, 0.07),
}


@dataclass(frozen=True)
class Target:
    """An editable checkpoint target: its key, labels, seed default, and whether it is a share."""

    key: str
    zh: str
    en: str
    default: float
    share: bool


#: Editable checkpoint targets with their seed defaults (PLANNING_RULES §4).
TARGETS: tuple[Target, ...] = (
    Target("reach", "目标人群覆盖率", "target-pool reach", 0.65, True),
    Target("creatives", "素材数量", "creatives", 500, False),
    Target("account_ctr", "账户平均CTR", "account CTR", 0.012, True),
    Target("pacing", "预算执行偏差上限", "pacing deviation cap", 0.05, True),
    Target("cpc", "流量获取成本上限(元)", "cost per click cap", 0.8, False),
    Target("cvr", "转化率", "CVR", 0.015, True),
    Target("roi", "目标ROI", "target ROI", 2.5, False),
    Target("user_tiers", "用户分层数", "user tiers", 5, False),
    Target("ab_tests", "月度A/B测试数", "A/B tests per month", 5, False),
    Target("aov_uplift", "客单价提升", "AOV uplift", 0.20, True),
    Target("repurchase_p3", "复购率 P3", "repurchase P3", 0.25, True),
    Target("repurchase_p4", "复购率 P4", "repurchase P4", 0.30, True),
)
DEFAULT_TARGETS: dict[str, float] = {t.key: t.default for t in TARGETS}

#: Illustrative ratings (probability, impact) for the §4.1 matrix until the user rates them.
DEFAULT_MATRIX_RATINGS: dict[str, tuple[int, int]] = {
    "traffic_cost": (4, 4),
    "policy": (3, 4),
    "competition": (4, 3),
    "technology": (3, 3),
    "compliance": (2, 5),
}


def ctr_benchmark_defaults() -> dict[Category, float]:
    """§4.3: 美妆 1.5 %, 服饰 1.2 %, every other category 1.2 % until the user edits it."""
    defaults = dict.fromkeys(Category, 0.012)
    defaults[Category.BEAUTY] = 0.015
    return defaults
