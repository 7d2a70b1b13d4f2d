"""The seed's editable defaults (PLANNING_RULES): tables the 假设 sheet starts from.

``Assumptions`` (inputs.py) takes every default from here or states it once as its field's default.
"""

from __future__ import annotations

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

#: Editable checkpoint targets with their seed defaults (PLANNING_RULES §4).
DEFAULT_TARGETS: dict[str, float] = {
    "reach": 0.65,
    "creatives": 500,
    "account_ctr": 0.012,
    "pacing": 0.05,
    "cpc": 0.8,
    "cvr": 0.015,
    "roi": 2.5,
    "user_tiers": 5,
    "ab_tests": 5,
    "aov_uplift": 0.20,
    "repurchase_p3": 0.25,
    "repurchase_p4": 0.30,
}

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
