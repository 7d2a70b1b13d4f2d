"""The 365-day calendar: phases, sub-phases and dates (PLANNING_RULES §2, §4)."""

import datetime as dt

from dyplan.model import Phase
from dyplan.model.calendar import PLAN_DAYS, build_timeline

DEFAULT_SUBPHASES = ((7, 10, 13), (15, 20, 25), (30, 30, 30))


def test_timeline_default_phases_are_30_60_90_and_the_rest():
    timeline = build_timeline(dt.date(2027, 3, 1), DEFAULT_SUBPHASES, 30)
    counts = timeline.days["phase"].value_counts().to_dict()
    assert counts == {"P1": 30, "P2": 60, "P3": 90, "P4": 365 - 180}


def test_timeline_leap_year_plan_ends_before_new_years_eve():
    # 2028 has 366 days: day 365 = 2028-01-01 + 364 days = 2028-12-30
    timeline = build_timeline(dt.date(2028, 1, 1), DEFAULT_SUBPHASES, 30)
    assert len(timeline.days) == PLAN_DAYS
    assert timeline.days["date"].iloc[0] == dt.date(2028, 1, 1)
    assert dt.date(2028, 2, 29) in set(timeline.days["date"])
    assert timeline.days["date"].iloc[-1] == dt.date(2028, 12, 30)
    assert timeline.days["day"].tolist() == list(range(1, 366))


def test_timeline_subphases_named_as_seed_and_partition_the_year():
    timeline = build_timeline(dt.date(2027, 1, 1), DEFAULT_SUBPHASES, 30)
    sub = timeline.subphases
    assert sub["subphase_zh"].head(9).tolist() == [
        "账户搭建", "素材测试", "流量放大", "数据积累", "策略调整", "效果验证",
        "用户分层", "活动策划", "效果冲刺",
    ]  # fmt: skip
    # P4: six 30-day cycles ending on days 210 … 360, then days 361–365
    p4 = sub[sub["phase"] == "P4"]
    assert p4["end_day"].tolist() == [210, 240, 270, 300, 330, 360, 365]
    # Every day in exactly one sub-phase: consecutive, no gap, no overlap.
    assert sub["start_day"].iloc[0] == 1 and sub["end_day"].iloc[-1] == 365
    assert (sub["start_day"].iloc[1:].to_numpy() == sub["end_day"].iloc[:-1].to_numpy() + 1).all()


def test_timeline_edited_subphase_lengths_move_phase_boundaries():
    timeline = build_timeline(dt.date(2027, 1, 1), ((10, 10, 10), (20, 20, 20), (40, 40, 40)), 60)
    assert timeline.phase_days(Phase.P3) == (91, 210)
    assert timeline.phase_days(Phase.P4) == (211, 365)
