"""Risk scores, composite index, levels, matrix and alerts (PLANNING_RULES §5), by hand."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyplan.model import Assumptions
from dyplan.model.risk import (
    ALERT_RULES,
    composite_index,
    evaluate_alerts,
    matrix_level,
    risk_level,
    score_indicator,
)

CHANGE = (0.0, 0.15, 0.30)  # relative change: good 0 %, warn 15 %, critical 30 %
INDEX = (30.0, 50.0, 70.0)  # 0–100 index
CTR_RATIO = (1.0, 0.75, 0.50)  # CTR ÷ benchmark: lower is worse


@pytest.mark.parametrize(
    ("value", "anchors", "expected"),
    [
        (0.0, CHANGE, 0.0),  # at good
        (0.15, CHANGE, 50.0),  # at warn
        (0.30, CHANGE, 100.0),  # at critical
        (0.075, CHANGE, 25.0),  # halfway good→warn: 50 × 0.075/0.15 = 25
        (0.24, CHANGE, 80.0),  # 0.09 past warn: 50 + 50 × 0.09/0.15 = 80
        (-0.10, CHANGE, 0.0),  # better than good: clamped to 0
        (0.45, CHANGE, 100.0),  # beyond critical: clamped to 100
        (40.0, INDEX, 25.0),  # 50 × (40 − 30)/20 = 25
        (60.0, INDEX, 75.0),  # 50 + 50 × (60 − 50)/20 = 75
        (1.0, CTR_RATIO, 0.0),
        (0.75, CTR_RATIO, 50.0),
        (0.5, CTR_RATIO, 100.0),
        (0.9, CTR_RATIO, 20.0),  # 0.1 below good 1.0 toward warn 0.75: 50 × 0.1/0.25 = 20
        (0.6, CTR_RATIO, 80.0),  # 0.15 past warn 0.75 toward critical 0.5: 50 + 50 × 0.15/0.25 = 80
        (1.3, CTR_RATIO, 0.0),  # above benchmark: clamped to 0
        (0.2, CTR_RATIO, 100.0),  # far below: clamped to 100
    ],
    ids=[
        "change-good",
        "change-warn",
        "change-critical",
        "change-25",
        "change-80",
        "change-below-good",
        "change-past-critical",
        "index-25",
        "index-75",
        "ctr-good",
        "ctr-warn",
        "ctr-critical",
        "ctr-20",
        "ctr-80",
        "ctr-above-good",
        "ctr-past-critical",
    ],
)
def test_score_indicator_value_between_anchors_is_interpolated(value, anchors, expected):
    assert score_indicator(value, *anchors) == pytest.approx(expected)


@pytest.mark.parametrize("value", [None, math.nan], ids=["none", "nan"])
def test_score_indicator_missing_value_is_none(value):
    assert score_indicator(value, *CHANGE) is None


@pytest.mark.parametrize(
    ("scores", "weights", "expected"),
    [
        ([20.0, 40.0, 60.0], None, 40.0),  # (20 + 40 + 60) / 3
        ([20.0, 40.0, 60.0], [1.0, 1.0, 2.0], 45.0),  # (20 + 40 + 2 × 60) / 4 = 180/4
        ([20.0, None, 60.0], [1.0, 5.0, 1.0], 40.0),  # the missing score takes its 5 along: 80/2
        ([None, None], None, None),
    ],
    ids=["equal-weights", "weighted", "missing-drops-out", "all-missing"],
)
def test_composite_index_weighted_mean_of_present_scores(scores, weights, expected):
    result = composite_index(scores, weights)
    assert result == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(
    ("index", "zh"),
    [
        (0, "低"),
        (29.99, "低"),
        (30, "中"),
        (49.99, "中"),
        (50, "高"),
        (69.99, "高"),
        (70, "严重"),
        (100, "严重"),
    ],
    ids=["0", "29.99", "30", "49.99", "50", "69.99", "70", "100"],
)
def test_risk_level_index_falls_in_band(index, zh):
    assert risk_level(index, Assumptions().level_cuts).zh == zh


@pytest.mark.parametrize(
    ("probability", "impact", "score", "zh"),
    [
        (1, 1, 1, "低"),
        (2, 2, 4, "低"),
        (1, 5, 5, "中"),
        (3, 3, 9, "中"),
        (2, 5, 10, "高"),
        (4, 4, 16, "高"),
        (4, 5, 20, "严重"),
        (5, 5, 25, "严重"),
    ],
    ids=["1x1", "2x2", "1x5", "3x3", "2x5", "4x4", "4x5", "5x5"],
)
def test_matrix_level_product_falls_in_band(probability, impact, score, zh):
    got_score, level = matrix_level(probability, impact, Assumptions().matrix_cuts)
    assert (got_score, level.zh) == (score, zh)


RULE_INDICATOR = {rule.key: rule.indicator for rule in ALERT_RULES}


@pytest.mark.parametrize(
    ("rule", "value", "fired"),
    [
        ("traffic_quality", 0.16, True),  # down 16 % > 15 %
        ("traffic_quality", 0.15, False),  # exactly 15 %
        ("conversion_cost", 0.31, True),  # up 31 % > 30 %
        ("conversion_cost", 0.30, False),
        ("ctr_floor", 0.49, True),  # CTR at 49 % of the benchmark < 50 %
        ("ctr_floor", 0.50, False),
        ("ctr_floor", 0.80, False),
        ("penalty_risk", 71.0, True),  # index 71 > 70
        ("penalty_risk", 70.0, False),
        ("complaints", 0.21, True),  # up 21 % > 20 %
        ("complaints", 0.20, False),
    ],
    ids=[
        "traffic-16pct-fires",
        "traffic-at-15pct-quiet",
        "cost-31pct-fires",
        "cost-at-30pct-quiet",
        "ctr-49pct-fires",
        "ctr-at-50pct-quiet",
        "ctr-80pct-quiet",
        "penalty-71-fires",
        "penalty-at-70-quiet",
        "complaints-21pct-fires",
        "complaints-at-20pct-quiet",
    ],
)
def test_evaluate_alerts_value_against_default_threshold_fires_only_past_it(rule, value, fired):
    # Only this rule's indicator has a value: every other rule has nothing to fire on.
    alerts = evaluate_alerts({RULE_INDICATOR[rule]: value}, Assumptions().alert_thresholds)
    assert alerts.set_index("rule")["fired"].to_dict() == {
        key: key == rule and fired for key in RULE_INDICATOR
    }


# Anchors: a start and two positive gaps, so good < warn < critical (or reversed).
anchor_start = st.floats(-1e4, 1e4)
anchor_gap = st.floats(1e-3, 1e4)
values = st.floats(-1e5, 1e5)


def make_anchors(start, gap1, gap2, reversed_):
    anchors = (start, start + gap1, start + gap1 + gap2)
    return anchors[::-1] if reversed_ else anchors


@given(anchor_start, anchor_gap, anchor_gap, st.booleans(), values)
def test_score_indicator_any_value_is_within_0_100(start, gap1, gap2, reversed_, value):
    assert 0.0 <= score_indicator(value, *make_anchors(start, gap1, gap2, reversed_)) <= 100.0


@given(anchor_start, anchor_gap, anchor_gap, st.booleans(), values, values)
def test_score_indicator_more_adverse_value_never_scores_lower(start, gap1, gap2, reversed_, a, b):
    good, warn, critical = make_anchors(start, gap1, gap2, reversed_)
    # Adverse direction: higher values when good < critical, lower values otherwise.
    milder, worse = sorted((a, b), reverse=reversed_)
    assert score_indicator(milder, good, warn, critical) <= score_indicator(worse, good, warn, critical)


def test_plan_risk_index_ignores_unmeasured_indicators(default_inputs):
    # Two readings only: conversion cost +15 % (warn → 50) and complaints +30 % (critical → 100).
    # Equal weights over the measured ones: (50 + 100) / 2 = 75 → 严重 (≥ 70).
    from dyplan.model import build_plan

    plan = build_plan(default_inputs(risk_values={"conversion_cost": 0.15, "complaints": 0.30}))
    assert plan.risk_index == pytest.approx(75)
    assert plan.risk_level.zh == "严重"
