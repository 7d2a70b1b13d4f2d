"""Budget (预算, PLANNING_RULES §2–§3): daily GMV and budget, reserve, channel and purpose split.

All money is computed in whole fen. GMV, budget and reserve are rounded top-down (total →
phases → days) by largest remainder; each day's allocatable budget is then split into
channels and into purposes by largest remainder within the day. So every day adds up,
every phase is the sum of its days and the total is the sum of the phases, to the fen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from dyplan.model.calendar import Timeline
from dyplan.model.inputs import PlanInputs
from dyplan.model.rounding import (
    FEN_PER_CNY,
    largest_remainder,
    largest_remainder_by_group,
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


def _top_down(total_exact: float, phase_of_day: npt.NDArray[np.int64],
              day_weights: npt.NDArray[np.float64]) -> npt.NDArray[np.int64]:  # fmt: skip
    """Round a total to fen, split it over phases, then over each phase's days."""
    phase_exact = np.bincount(phase_of_day, weights=day_weights, minlength=len(PHASES))
    phase_fen = largest_remainder(to_fen(total_exact), phase_exact)
    return largest_remainder_by_group(phase_fen, phase_of_day, day_weights)


def allocate_money(inputs: PlanInputs, timeline: Timeline) -> DailyMoney:
    """Every day's GMV, budget, reserve, allocatable, channel and purpose amounts in fen."""
    a = inputs.assumptions
    days = timeline.days
    phase_of_day = days["phase"].map({p.value: i for i, p in enumerate(PHASES)}).to_numpy()

    month_weight = np.asarray(inputs.seasonality, dtype=float)[days["month"].to_numpy() - 1]
    gmv_exact = inputs.gmv_target * month_weight / month_weight.sum()
    ratio = np.array([a.ratio(inputs.stage, p) for p in PHASES])[phase_of_day]
    budget_exact = ratio * gmv_exact

    gmv = _top_down(inputs.gmv_target, phase_of_day, gmv_exact)
    budget = _top_down(budget_exact.sum(), phase_of_day, budget_exact)

    # Reserve: total first, so Reserve_Total is the reserve share of the rounded total.
    total_budget = int(budget.sum())
    reserve_total = int(largest_remainder(total_budget, [a.reserve_share, 1 - a.reserve_share])[0])
    phase_budget = np.bincount(phase_of_day, weights=budget, minlength=len(PHASES))
    phase_reserve = largest_remainder(reserve_total, phase_budget)
    reserve = largest_remainder_by_group(phase_reserve, phase_of_day, budget)
    allocatable = budget - reserve

    mix = np.array([a.channel_mix[p] for p in PHASES])[phase_of_day]
    channels = largest_remainder(allocatable, mix)
    purposes = largest_remainder(allocatable, np.asarray(a.purpose_split))
    fen = np.column_stack([gmv, budget, reserve, allocatable, channels, purposes])
    return DailyMoney(fen=fen.astype(np.int64))
