"""The planning engine: typed inputs in, a ``Plan`` of pandas frames out. No I/O.

>>> import datetime as dt
>>> from dyplan.model import PlanInputs, build_plan
>>> plan = build_plan(PlanInputs(category="美妆", stage="成熟经营", gmv_target=100_000_000,
...     start_date=dt.date(2026, 1, 1), baseline_aov=120, headcount=10,
...     assumptions=Assumptions(ratio_mature=0.065)))
>>> plan.totals["budget"]
6500000.0
"""

from dyplan.model.calendar import PLAN_DAYS
from dyplan.model.checkpoints import METRICS, Status
from dyplan.model.inputs import Assumptions, PlanInputs
from dyplan.model.kpis import KPIS, STRATEGY_TACTICS
from dyplan.model.plan import Plan, build_plan
from dyplan.model.plan_review import CheckpointKey, Entered, Review, checkpoint_keys, review
from dyplan.model.risk import (
    ALERT_RULES,
    INDICATOR_KEYS,
    INDICATORS,
    KIND_ANCHORS,
    MATRIX_FACTOR_KEYS,
    MATRIX_FACTORS,
    IndicatorKind,
    RiskLevel,
)
from dyplan.model.seed import DEFAULT_MATRIX_RATINGS, RATIO_RANGES, TARGETS
from dyplan.model.team import TEAM_GROUPS
from dyplan.model.terms import Category, Channel, Phase, Purpose, Stage, Strategy, Term
from dyplan.model.tracking import (
    ACTUALS_COLUMNS,
    COUNTS,
    EXTRA_MEASURES,
    MEASURES,
    MIX_COLUMNS,
    MIX_INDICATORS,
    ROOM_LEDGER,
    SOURCE_COLUMNS,
    UNKNOWN_CHANNEL,
    Tracking,
    mix_indicators,
    with_rates,
)
from dyplan.model.values import is_number

__all__ = [
    "ACTUALS_COLUMNS",
    "ALERT_RULES",
    "COUNTS",
    "DEFAULT_MATRIX_RATINGS",
    "EXTRA_MEASURES",
    "INDICATORS",
    "INDICATOR_KEYS",
    "KIND_ANCHORS",
    "KPIS",
    "MATRIX_FACTORS",
    "MATRIX_FACTOR_KEYS",
    "MEASURES",
    "METRICS",
    "MIX_COLUMNS",
    "MIX_INDICATORS",
    "PLAN_DAYS",
    "RATIO_RANGES",
    "ROOM_LEDGER",
    "SOURCE_COLUMNS",
    "STRATEGY_TACTICS",
    "TARGETS",
    "TEAM_GROUPS",
    "UNKNOWN_CHANNEL",
    "Assumptions",
    "Category",
    "Channel",
    "CheckpointKey",
    "Entered",
    "IndicatorKind",
    "Phase",
    "Plan",
    "PlanInputs",
    "Purpose",
    "Review",
    "RiskLevel",
    "Stage",
    "Status",
    "Strategy",
    "Term",
    "Tracking",
    "build_plan",
    "checkpoint_keys",
    "is_number",
    "mix_indicators",
    "review",
    "with_rates",
]
