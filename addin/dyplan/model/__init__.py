"""The planning engine: typed inputs in, a ``Plan`` of pandas frames out. No I/O.

>>> import datetime as dt
>>> from dyplan.model import PlanInputs, build_plan
>>> plan = build_plan(PlanInputs(category="美妆", stage="成熟经营", gmv_target=100_000_000,
...     start_date=dt.date(2026, 1, 1), baseline_aov=120, headcount=10,
...     assumptions=Assumptions(ratio_mature=0.065)))
>>> plan.totals["budget"]
6500000.0
"""

from dyplan.model.action import Action, Proposal, act, propose
from dyplan.model.baseline import BASELINE_COLUMNS, Baseline, freeze, versus_baseline
from dyplan.model.breakeven import breakeven_roi, under_breakeven
from dyplan.model.budget import MONEY_COLUMNS, allocate_money, promotion_events
from dyplan.model.calendar import PLAN_DAYS, build_timeline, plan_period
from dyplan.model.checkpoints import (
    AOV_TARGET,
    METRICS,
    P4_RULES,
    PHASE_RULES,
    ROI,
    TARGET_CPA,
    CheckpointRule,
    Status,
    checkpoint_status,
    comparator_is_at_least,
    resolve_targets,
)
from dyplan.model.events import (
    Event,
    PromoCalendar,
    Window,
    WindowKind,
    day_multipliers,
    event_names,
    plan_events,
)
from dyplan.model.forecast import MIN_HISTORY, forecast_series
from dyplan.model.gap import FACTORS as GAP_FACTORS
from dyplan.model.gap import explain_gap
from dyplan.model.inputs import CURVE_PARAMETERS, MAX_LEAD_DAYS, PLAN_DATES, Assumptions, PlanInputs
from dyplan.model.kpis import KPIS, STRATEGY_TACTICS, attainment
from dyplan.model.optimiser import (
    BASIS_POINTS,
    Bounds,
    Mode,
    Optimisation,
    PhaseProposal,
    Split,
    best_split,
    optimise,
    split_for_gmv,
    split_for_roi,
)
from dyplan.model.plan import Plan, build_plan
from dyplan.model.plan_review import CheckpointKey, Entered, Review, checkpoint_keys, review
from dyplan.model.replan import (
    Replan,
    replan_year,
)
from dyplan.model.response import (
    MIN_FIT_DAYS,
    ChannelCurve,
    Curve,
    CurveSource,
    Fit,
    channel_curves,
    channel_days,
    fit_curve,
    seed_curve,
    typed_curves,
    usable_days,
)
from dyplan.model.risk import (
    ALERT_RULES,
    INDICATOR_KEYS,
    INDICATORS,
    KIND_ANCHORS,
    MATRIX_FACTOR_KEYS,
    MATRIX_FACTORS,
    IndicatorKind,
    RiskLevel,
    assess_indicators,
    assess_matrix,
    composite_index,
    matrix_level,
    risk_level,
    score_indicator,
)
from dyplan.model.roi_reconciliation import PaidShare, paid_share
from dyplan.model.rounding import FEN_PER_CNY, exact, largest_remainder, to_fen
from dyplan.model.scenarios import FIGURES as SCENARIO_FIGURES
from dyplan.model.scenarios import compare_plans
from dyplan.model.seed import DEFAULT_MATRIX_RATINGS, RATIO_RANGES, TARGETS
from dyplan.model.sensitivity import DEFAULT_STEPS as SENSITIVITY_STEPS
from dyplan.model.sensitivity import Output as SensitivityOutput
from dyplan.model.sensitivity import Variable as SensitivityVariable
from dyplan.model.sensitivity import moved as moved_input
from dyplan.model.sensitivity import sensitivity_table
from dyplan.model.settings import (
    DAYS_PER_WEEK,
    PLAN_TYPE_CHANNEL,
    GoalBasis,
    PlanType,
    Settings,
    qianchuan_settings,
)
from dyplan.model.settings import WEEKS as SETTING_WEEKS
from dyplan.model.team import TEAM_GROUPS, split_team
from dyplan.model.terms import Category, Channel, Phase, Purpose, Stage, Strategy, Term
from dyplan.model.tracking import (
    ACTUALS_COLUMNS,
    COUNTS,
    EXTRA_MEASURES,
    INDEX_FIRST_DAY,
    MEASURES,
    MIX_COLUMNS,
    MIX_INDICATORS,
    ROOM_LEDGER,
    SOURCE_COLUMNS,
    UNKNOWN_CHANNEL,
    Tracking,
    mix_indicators,
    pacing_deviation,
    with_rates,
)
from dyplan.model.values import got, is_number, typed_or_measured

__all__ = [
    "ACTUALS_COLUMNS",
    "ALERT_RULES",
    "AOV_TARGET",
    "BASELINE_COLUMNS",
    "BASIS_POINTS",
    "COUNTS",
    "CURVE_PARAMETERS",
    "DAYS_PER_WEEK",
    "DEFAULT_MATRIX_RATINGS",
    "EXTRA_MEASURES",
    "FEN_PER_CNY",
    "GAP_FACTORS",
    "INDEX_FIRST_DAY",
    "INDICATORS",
    "INDICATOR_KEYS",
    "KIND_ANCHORS",
    "KPIS",
    "MATRIX_FACTORS",
    "MATRIX_FACTOR_KEYS",
    "MAX_LEAD_DAYS",
    "MEASURES",
    "METRICS",
    "MIN_FIT_DAYS",
    "MIN_HISTORY",
    "MIX_COLUMNS",
    "MIX_INDICATORS",
    "MONEY_COLUMNS",
    "P4_RULES",
    "PHASE_RULES",
    "PLAN_DATES",
    "PLAN_DAYS",
    "PLAN_TYPE_CHANNEL",
    "RATIO_RANGES",
    "ROI",
    "ROOM_LEDGER",
    "SCENARIO_FIGURES",
    "SENSITIVITY_STEPS",
    "SETTING_WEEKS",
    "SOURCE_COLUMNS",
    "STRATEGY_TACTICS",
    "TARGETS",
    "TARGET_CPA",
    "TEAM_GROUPS",
    "UNKNOWN_CHANNEL",
    "Action",
    "Assumptions",
    "Baseline",
    "Bounds",
    "Category",
    "Channel",
    "ChannelCurve",
    "CheckpointKey",
    "CheckpointRule",
    "Curve",
    "CurveSource",
    "Entered",
    "Event",
    "Fit",
    "GoalBasis",
    "IndicatorKind",
    "Mode",
    "Optimisation",
    "PaidShare",
    "Phase",
    "PhaseProposal",
    "Plan",
    "PlanInputs",
    "PlanType",
    "PromoCalendar",
    "Proposal",
    "Purpose",
    "Replan",
    "Review",
    "RiskLevel",
    "SensitivityOutput",
    "SensitivityVariable",
    "Settings",
    "Split",
    "Stage",
    "Status",
    "Strategy",
    "Term",
    "Tracking",
    "Window",
    "WindowKind",
    "act",
    "allocate_money",
    "assess_indicators",
    "assess_matrix",
    "attainment",
    "best_split",
    "breakeven_roi",
    "build_plan",
    "build_timeline",
    "channel_curves",
    "channel_days",
    "checkpoint_keys",
    "checkpoint_status",
    "comparator_is_at_least",
    "compare_plans",
    "composite_index",
    "day_multipliers",
    "event_names",
    "exact",
    "explain_gap",
    "fit_curve",
    "forecast_series",
    "freeze",
    "got",
    "is_number",
    "largest_remainder",
    "matrix_level",
    "mix_indicators",
    "moved_input",
    "optimise",
    "pacing_deviation",
    "paid_share",
    "plan_events",
    "plan_period",
    "promotion_events",
    "propose",
    "qianchuan_settings",
    "replan_year",
    "resolve_targets",
    "review",
    "risk_level",
    "score_indicator",
    "seed_curve",
    "sensitivity_table",
    "split_for_gmv",
    "split_for_roi",
    "split_team",
    "to_fen",
    "typed_curves",
    "typed_or_measured",
    "under_breakeven",
    "usable_days",
    "versus_baseline",
    "with_rates",
]
