"""Budget (预算, PLANNING_RULES §2–§3): daily GMV and budget, reserve, channel and purpose split.

All money is computed in whole fen from exact amounts. GMV, budget and reserve are rounded
top-down (total → phases → days) by largest remainder. Channels and purposes are rounded per
phase (largest remainder of its allocatable), then over its days by two-way rounding. So
every day adds up, every phase is the sum of its days and the total is the sum of the
phases, to the fen, and each phase's channel and purpose amounts are within a fen of
share × the phase's allocatable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt
import pandas as pd

from dyplan.model.calendar import Timeline, plan_period
from dyplan.model.events import Event, day_multipliers, plan_events
from dyplan.model.inputs import PlanInputs
from dyplan.model.rounding import (
    FEN_PER_CNY,
    exact,
    integer_weights,
    largest_remainder,
    largest_remainder_by_group,
    round_half_away,
    round_table,
    to_fen,
)
from dyplan.model.terms import Channel, Phase, Purpose

PHASES = tuple(Phase)
MONEY_COLUMNS = (
    "gmv", "budget", "reserve", "allocatable",
    *(c.value for c in Channel), *(p.value for p in Purpose),
)  # fmt: skip


@dataclass(frozen=True)
class DailyMoney:
    """Fen per plan day (rows) for every money column, in ``MONEY_COLUMNS`` order."""

    fen: npt.NDArray[np.int64]  # shape (365, len(MONEY_COLUMNS))

    def frame(self) -> pd.DataFrame:
        """The same amounts in CNY (exact to the fen)."""
        return pd.DataFrame(self.fen / FEN_PER_CNY, columns=list(MONEY_COLUMNS))


def _phase_sums(values: npt.NDArray, phase_of_day: npt.NDArray[np.int64]) -> list[int]:
    """Exact sum of a day column over each phase's days (in Python ints: no overflow)."""
    return [sum(values[phase_of_day == p].tolist()) for p in range(len(PHASES))]


def _top_down(
    total_fen: int,
    phase_weights: Sequence[int | Fraction],
    phase_of_day: npt.NDArray[np.int64],
    day_weights: npt.NDArray,
) -> npt.NDArray[np.int64]:
    """Split a total in fen over phases, then over each phase's days, by largest remainder."""
    phase_fen = largest_remainder(total_fen, np.array(phase_weights, dtype=object))
    return largest_remainder_by_group(phase_fen, phase_of_day, day_weights)


def split_by_phase(
    allocatable: npt.NDArray[np.int64],
    phase_of_day: npt.NDArray[np.int64],
    shares: Sequence[Sequence[float]],
) -> npt.NDArray[np.int64]:
    """Split each phase's allocatable over its shares, then each share over the phase's days.

    Rounding the phase first keeps each phase amount within a fen of share × allocatable,
    which a sum of separately rounded days is not; the days are then rounded two ways, adding
    up to each day's allocatable and to each of the phase's amounts.
    """
    out = np.zeros((allocatable.size, len(shares[0])), dtype=np.int64)
    for p, phase_shares in enumerate(shares):
        days = phase_of_day == p
        phase_amounts = largest_remainder(int(allocatable[days].sum()), phase_shares)
        out[days] = round_table(allocatable[days], phase_amounts, phase_shares)
    return out


def promotion_events(inputs: PlanInputs) -> tuple[Event, ...]:
    """The events that weigh the plan's days (``Assumptions.promo_calendar``), in date order."""
    a = inputs.assumptions
    return plan_events(a.events, a.promo_calendar, *plan_period(inputs.start_date))


def _day_weights(inputs: PlanInputs, timeline: Timeline) -> tuple[npt.NDArray, npt.NDArray]:
    """Each day's GMV and budget weight: its month's seasonality, times its promotion multipliers."""
    days = timeline.days
    month_weight = integer_weights(inputs.seasonality)[days["month"].to_numpy() - 1]
    events = promotion_events(inputs)
    if not events:
        return month_weight, month_weight
    gmv, budget = day_multipliers(list(days["date"]), events)
    # whole numbers in proportion times whole numbers in proportion: the exact products, in proportion
    return month_weight * integer_weights(gmv), month_weight * integer_weights(budget)


def _phase_shares(
    total: Fraction, weights: npt.NDArray, phase_of_day: npt.NDArray[np.int64]
) -> list[Fraction]:
    """``total`` split over the phases in proportion to their days' weights (exact)."""
    sums = _phase_sums(weights, phase_of_day)
    return [total * w / sum(sums) for w in sums]


def _phase_of_day(timeline: Timeline) -> npt.NDArray[np.int64]:
    return timeline.days["phase"].map({p.value: i for i, p in enumerate(PHASES)}).to_numpy()


def _phase_budgets(
    inputs: PlanInputs, budget_weight: npt.NDArray, phase_of_day: npt.NDArray
) -> list[Fraction]:
    """Each phase's exact budget: its ratio times the GMV its days' budget weights would bring (the
    same as ratio × its GMV unless events move spend ahead of the GMV it buys, events.py)."""
    base = _phase_shares(exact(inputs.gmv_target), budget_weight, phase_of_day)
    return [exact(inputs.assumptions.ratio(inputs.stage, p)) * g for p, g in zip(PHASES, base, strict=True)]


def _reserve_of(budget_fen: int, share: float) -> int:
    # the total first, so Reserve_Total is the reserve share of the rounded total budget
    return round_half_away(budget_fen * exact(share))


def year_budget(inputs: PlanInputs, timeline: Timeline) -> tuple[int, int]:
    """The year's budget and reserve in fen, exactly as ``allocate_money`` rounds them, without the days."""
    _, budget_weight = _day_weights(inputs, timeline)
    budget = to_fen(sum(_phase_budgets(inputs, budget_weight, _phase_of_day(timeline))))
    return budget, _reserve_of(budget, inputs.assumptions.reserve_share)


def allocate_money(inputs: PlanInputs, timeline: Timeline) -> DailyMoney:
    """Every day's GMV, budget, reserve, allocatable, channel and purpose amounts in fen."""
    a = inputs.assumptions
    phase_of_day = _phase_of_day(timeline)

    # Exact: a day's GMV is G × its month's weight / Σ weights, so a phase's GMV is G times
    # its days' share of the weight and its budget that times the phase's ratio. Floats
    # summed day by day would decide a total's last fen by noise.
    gmv_weight, budget_weight = _day_weights(inputs, timeline)
    phase_gmv = _phase_shares(exact(inputs.gmv_target), gmv_weight, phase_of_day)
    phase_budget = _phase_budgets(inputs, budget_weight, phase_of_day)

    gmv = _top_down(to_fen(inputs.gmv_target), phase_gmv, phase_of_day, gmv_weight)
    budget = _top_down(to_fen(sum(phase_budget)), phase_budget, phase_of_day, budget_weight)
    reserve_total = _reserve_of(int(budget.sum()), a.reserve_share)
    reserve = _top_down(reserve_total, _phase_sums(budget, phase_of_day), phase_of_day, budget)
    allocatable = budget - reserve

    channels = split_by_phase(allocatable, phase_of_day, [a.channel_mix[p] for p in PHASES])
    purposes = split_by_phase(allocatable, phase_of_day, [a.purpose_split] * len(PHASES))
    fen = np.column_stack([gmv, budget, reserve, allocatable, channels, purposes])
    return DailyMoney(fen=fen.astype(np.int64))
