"""The 365-day calendar (投放日历, PLANNING_RULES §2 and §4): days, phases and sub-phases.

Phase lengths are the sums of their sub-phase lengths (P1 30, P2 60, P3 90 by default);
P4 is the rest of the year, cut into optimisation cycles that end on its checkpoint days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dyplan.model.terms import Phase

PLAN_DAYS = 365


def plan_period(start: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of a plan starting on ``start``."""
    return start, start + dt.timedelta(days=PLAN_DAYS - 1)


#: Sub-phase names of §3.4 (P1–P3); P4's cycles are numbered.
SUBPHASE_NAMES: dict[Phase, tuple[tuple[str, str], ...]] = {
    Phase.P1: (("账户搭建", "account set-up"), ("素材测试", "creative testing"),
               ("流量放大", "traffic scaling")),
    Phase.P2: (("数据积累", "data accumulation"), ("策略调整", "strategy adjustment"),
               ("效果验证", "results validation")),
    Phase.P3: (("用户分层", "user tiering"), ("活动策划", "campaign planning"),
               ("效果冲刺", "results sprint")),
}  # fmt: skip


@dataclass(frozen=True)
class Timeline:
    """Every plan day with its date, phase and sub-phase.

    ``days`` has one row per plan day (``day`` 1..365); ``subphases`` one row per sub-phase
    with its first and last day.
    """

    days: pd.DataFrame
    subphases: pd.DataFrame
    start: dt.date
    subphase_ends: dict[Phase, tuple[int, ...]]  # last plan day of each sub-phase

    def phase_days(self, phase: Phase) -> tuple[int, int]:
        previous = list(Phase).index(phase) - 1
        first = self.subphase_ends[list(Phase)[previous]][-1] + 1 if previous >= 0 else 1
        return first, self.subphase_ends[phase][-1]

    def subphase_end_day(self, phase: Phase, number: int) -> int:
        return self.subphase_ends[phase][number - 1]

    def date_of(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=day - 1)


def p4_checkpoint_days(p4_start: int, p4_end: int, interval: int) -> list[int]:
    """Plan days of the P4 checkpoints: every ``interval`` days from P4's start, and its end."""
    days = list(range(p4_start - 1 + interval, p4_end + 1, interval))
    if not days or days[-1] != p4_end:
        days.append(p4_end)
    return days


def build_timeline(start: dt.date, subphase_days: Sequence[Sequence[int]], p4_interval: int) -> Timeline:
    """Lay out the plan's 365 days.

    Parameters
    ----------
    start
        Plan day 1.
    subphase_days
        Lengths in days of P1's, P2's and P3's sub-phases (three tuples).
    p4_interval
        Days between P4 checkpoints; P4's cycles end on them.
    """
    specs: list[tuple[Phase, int, str, str, int]] = []  # phase, number, zh, en, length
    for phase, lengths in zip((Phase.P1, Phase.P2, Phase.P3), subphase_days, strict=True):
        for number, ((zh, en), length) in enumerate(
            zip(SUBPHASE_NAMES[phase], lengths, strict=True), start=1
        ):
            specs.append((phase, number, zh, en, int(length)))
    p4_start = sum(s[4] for s in specs) + 1
    previous_end = p4_start - 1
    for number, end in enumerate(p4_checkpoint_days(p4_start, PLAN_DAYS, p4_interval), start=1):
        specs.append(
            (Phase.P4, number, f"持续优化第{number}轮", f"optimisation cycle {number}",
             end - previous_end)
        )  # fmt: skip
        previous_end = end

    lengths = np.array([s[4] for s in specs])
    ends = np.cumsum(lengths)
    starts = ends - lengths + 1
    start_ts = pd.Timestamp(start)
    subphases = pd.DataFrame(
        {
            "phase": [s[0].value for s in specs],
            "phase_zh": [s[0].zh for s in specs],
            "number": [s[1] for s in specs],
            "subphase_zh": [s[2] for s in specs],
            "subphase_en": [s[3] for s in specs],
            "start_day": starts,
            "end_day": ends,
            "days": lengths,
            "start_date": [(start_ts + pd.Timedelta(days=int(d) - 1)).date() for d in starts],
            "end_date": [(start_ts + pd.Timedelta(days=int(d) - 1)).date() for d in ends],
        }
    )

    day = np.arange(1, PLAN_DAYS + 1)
    which = np.repeat(np.arange(len(specs)), lengths)
    dates = pd.date_range(start_ts, periods=PLAN_DAYS, freq="D")
    days = pd.DataFrame(
        {
            "date": dates.date,
            "day": day,
            "month": dates.month,
            "phase": subphases["phase"].to_numpy()[which],
            "phase_zh": subphases["phase_zh"].to_numpy()[which],
            "subphase_zh": subphases["subphase_zh"].to_numpy()[which],
            "subphase_en": subphases["subphase_en"].to_numpy()[which],
        }
    )
    subphase_ends: dict[Phase, tuple[int, ...]] = {}
    for spec, end in zip(specs, ends.tolist(), strict=True):
        subphase_ends[spec[0]] = (*subphase_ends.get(spec[0], ()), end)
    return Timeline(days=days, subphases=subphases, start=start, subphase_ends=subphase_ends)
