"""Checkpoint days, dates, targets and status (PLANNING_RULES §4, §5 tolerance), by hand."""

import datetime as dt

import pytest

from dyplan.model import Assumptions, build_plan
from dyplan.model.checkpoints import Status, checkpoint_status


@pytest.fixture
def checkpoints(default_inputs):
    return build_plan(default_inputs()).checkpoints


def days_by_phase(frame):
    return {phase: set(rows["day"]) for phase, rows in frame.groupby("phase")}


def test_checkpoints_default_subphases_fall_on_seed_days(checkpoints):
    # P1 7 | 7+10 | 30; P2 30+15 | 90; P3 90+30 | 150 | 180; P4 every 30 days from 181, and 365
    assert days_by_phase(checkpoints) == {
        "P1": {7, 17, 30},
        "P2": {45, 90},
        "P3": {120, 150, 180},
        "P4": {210, 240, 270, 300, 330, 360, 365},
    }


def test_checkpoints_default_every_phase_has_at_least_five(checkpoints):
    # §4 table rows: P1 1+2+3, P2 1+4, P3 1+1+3, P4 7 days × 5 metrics
    counts = checkpoints["phase"].value_counts().to_dict()
    assert counts == {"P1": 6, "P2": 5, "P3": 5, "P4": 35}
    assert min(counts.values()) >= 5


def test_checkpoints_dates_are_start_plus_day_minus_one(default_inputs):
    start = dt.date(2027, 3, 2)
    frame = build_plan(default_inputs(start_date=start)).checkpoints
    assert (frame["date"] == [start + dt.timedelta(days=d - 1) for d in frame["day"]]).all()
    # 2027-03-02 → 2028-03-02 is 366 days (it holds 2028-02-29), so day 365 = start + 364 = 2028-02-29
    assert set(frame.loc[frame["day"] == 365, "date"]) == {dt.date(2028, 2, 29)}


@pytest.mark.parametrize(
    ("aov", "cpa", "aov_target"),
    [(120, 48.0, 144.0), (95, 38.0, 114.0)],  # 120 ÷ 2.5 = 48, 120 × 1.2 = 144; 95 ÷ 2.5 = 38, 95 × 1.2 = 114
    ids=["aov-120", "aov-95"],
)
def test_checkpoints_derived_targets_follow_baseline_aov(default_inputs, aov, cpa, aov_target):
    frame = build_plan(default_inputs(baseline_aov=aov)).checkpoints
    # CPA is checked on day 30, day 90 and the 7 P4 days; AOV once, on day 180
    assert frame.loc[frame["metric"] == "cpa", "target"].tolist() == pytest.approx([cpa] * 9)
    assert frame.loc[frame["metric"] == "aov", "target"].tolist() == pytest.approx([aov_target])


@pytest.mark.parametrize(
    ("category", "ctr"),
    [
        ("美妆", 0.015),
        ("服饰", 0.012),
        ("食品", 0.012),
        ("家居", 0.012),
        ("3C", 0.012),
        ("汽车", 0.012),
        ("其他", 0.012),
    ],
    ids=["beauty", "apparel", "food", "home", "3c", "auto", "other"],
)
def test_checkpoints_creative_ctr_target_is_category_benchmark(default_inputs, category, ctr):
    frame = build_plan(default_inputs(category=category)).checkpoints
    assert frame.loc[frame["metric"] == "creative_ctr", "target"].tolist() == [pytest.approx(ctr)]


def test_checkpoints_edited_p1_subphases_move_p1_days(default_inputs):
    assumptions = Assumptions(subphase_days=((5, 10, 15), (15, 20, 25), (30, 30, 30)))
    frame = build_plan(default_inputs(assumptions=assumptions)).checkpoints
    # 5 | 5 + 10 = 15 | 5 + 10 + 15 = 30: reach on 5, creatives and CTR on 15, three on 30
    assert sorted(frame.loc[frame["phase"] == "P1", "day"]) == [5, 15, 15, 30, 30, 30]


DUE = dt.date(2026, 1, 30)


@pytest.mark.parametrize(
    ("actual", "target", "at_least", "expected"),
    [
        (100.0, 100.0, True, Status.MET),  # exactly at target
        (120.0, 100.0, True, Status.MET),
        (86.0, 100.0, True, Status.WARNING),  # short by 14 < 15 % × 100 = 15
        (85.0, 100.0, True, Status.MISSED),  # short by exactly 15: not "less than"
        (50.0, 100.0, True, Status.MISSED),
        (40.0, 40.0, False, Status.MET),  # exactly at target
        (30.0, 40.0, False, Status.MET),
        (45.0, 40.0, False, Status.WARNING),  # over by 5 < 15 % × 40 = 6
        (46.0, 40.0, False, Status.MISSED),  # over by exactly 6
        (60.0, 40.0, False, Status.MISSED),
    ],
    ids=[
        "ge-at-target-met",
        "ge-above-met",
        "ge-short-14pct-warning",
        "ge-short-15pct-missed",
        "ge-short-50pct-missed",
        "le-at-target-met",
        "le-below-met",
        "le-over-12.5pct-warning",
        "le-over-15pct-missed",
        "le-over-50pct-missed",
    ],
)
def test_checkpoint_status_actual_judged_against_target_with_tolerance(actual, target, at_least, expected):
    assert checkpoint_status(actual, target, at_least, 0.15, DUE, DUE) is expected


@pytest.mark.parametrize(
    ("actual", "target", "at_least", "expected"),
    [
        # Short by exactly 15 % of the target, worked in decimals: missed, not warning.
        (0.0102, 0.012, True, Status.MISSED),  # CTR 1.2 % − 1.02 % = 0.18 pp = 0.15 × 1.2 %
        (0.255, 0.30, True, Status.MISSED),  # repurchase 30 % − 25.5 % = 4.5 pp = 0.15 × 30 %
        (122.40, 144.0, True, Status.MISSED),  # AOV 144 − 122.40 = 21.60 = 0.15 × 144
        (45.54, 39.6, False, Status.MISSED),  # ≤ 39.6: 45.54 − 39.6 = 5.94 = 0.15 × 39.6
        # Equal to the target once binary noise is ignored: met.
        (0.7 + 0.1, 0.8, True, Status.MET),  # 0.7999999999999999 in binary
        (0.1 + 0.1 + 0.1, 0.3, False, Status.MET),  # 0.30000000000000004 in binary
        # One unit of the 15th significant digit either side of the edge.
        (0.0102000000000001, 0.012, True, Status.WARNING),  # short 0.0017999999999999 < 0.0018
        (0.0101999999999999, 0.012, True, Status.MISSED),  # short 0.0018000000000001 ≥ 0.0018
        (45.5399999999999, 39.6, False, Status.WARNING),  # over 5.9399999999999 < 5.94
        (45.5400000000001, 39.6, False, Status.MISSED),  # over 5.9400000000001 ≥ 5.94
    ],
    ids=[
        "ctr-1.02-of-1.2-missed",
        "repurchase-25.5-of-30-missed",
        "aov-122.40-of-144-missed",
        "le-45.54-of-39.6-missed",
        "ge-noisy-equal-met",
        "le-noisy-equal-met",
        "ge-just-inside-warning",
        "ge-just-outside-missed",
        "le-just-inside-warning",
        "le-just-outside-missed",
    ],
)
def test_checkpoint_status_at_the_tolerance_edge_compares_typed_decimals(actual, target, at_least, expected):
    assert checkpoint_status(actual, target, at_least, 0.15, DUE, DUE) is expected


@pytest.mark.parametrize("at_least", [True, False], ids=["ge", "le"])
@pytest.mark.parametrize("actual", [None, float("nan")], ids=["none", "nan"])
@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (DUE - dt.timedelta(days=1), Status.PENDING),
        (DUE, Status.PENDING),
        (DUE + dt.timedelta(days=1), Status.NO_DATA),
    ],
    ids=["before-due-pending", "on-due-pending", "after-due-no-data"],
)
def test_checkpoint_status_no_actual_depends_on_date(actual, at_least, today, expected):
    assert checkpoint_status(actual, 100.0, at_least, 0.15, DUE, today) is expected


def test_checkpoints_roi_targets_under_breakeven_are_marked(default_inputs):
    # margin 30 %, no refunds: break-even 1 ÷ 0.30 = 3.33 > the target ROI 2.5
    thin = build_plan(default_inputs(assumptions=Assumptions(gross_margin=0.3, refund_rate=0))).checkpoints
    assert set(thin.loc[thin["under_breakeven"], "metric"]) == {"roi"}
    assert thin.loc[thin["metric"] == "roi", "under_breakeven"].all()
    # the defaults: break-even 2.22 < 2.5, nothing marked
    assert not build_plan(default_inputs()).checkpoints["under_breakeven"].any()
