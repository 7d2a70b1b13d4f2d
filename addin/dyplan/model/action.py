"""From plan to action in one call: the optimiser's proposal on each channel's response curve, the
year re-planned from the actuals, and what to set in Qianchuan next (优化建议, 重新规划, 投放设置).

Every regenerate and import shows them beside the plan, so they are never stale.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dyplan.errors import FitError, OptimiseError
from dyplan.model.calendar import PLAN_DAYS
from dyplan.model.optimiser import Mode, Optimisation, optimise
from dyplan.model.plan import Plan
from dyplan.model.replan import Replan, replan_year
from dyplan.model.response import ChannelCurve, channel_curves
from dyplan.model.settings import Settings, qianchuan_settings
from dyplan.model.terms import Channel


@dataclass(frozen=True)
class Proposal:
    """The optimiser's proposal and the curve of each channel it stood on."""

    optimisation: Optimisation
    curves: dict[Channel, ChannelCurve]


def propose(
    plan: Plan, actuals: pd.DataFrame, mode: Mode = Mode.BUDGET, target: float | None = None
) -> Proposal:
    """Each channel's curve (``channel_curves``: typed, fitted to ``actuals`` or seeded) and the
    optimiser's proposal on them (``optimise``). Raises ``FitError`` or ``OptimiseError`` with why."""
    curves = channel_curves(plan, actuals)
    return Proposal(optimise(plan, {c: cc.curve for c, cc in curves.items()}, mode, target), curves)


@dataclass(frozen=True)
class Action:
    """What the plan asks for next.

    Attributes
    ----------
    proposal
        The default goal's proposal (a fixed budget, the most GMV); None when there is none, and
        ``refused`` says why (a plan without allocatable budget has nothing to seed curves from).
    replan
        The year re-planned from the actuals, through the last day they cover.
    settings
        The next weeks' Qianchuan settings, from the day after the actuals; None once the actuals
        cover every day of the plan.
    """

    proposal: Proposal | None
    refused: FitError | OptimiseError | None
    replan: Replan
    settings: Settings | None


def act(plan: Plan, actuals: pd.DataFrame) -> Action:
    """The proposal, the re-plan and the settings of ``plan`` with the stored ``actuals``."""
    try:
        proposal, refused = propose(plan, actuals), None
    except (FitError, OptimiseError) as error:  # shown in the proposal's place; the plan stands
        proposal, refused = None, error
    replanned = replan_year(plan, actuals)
    settings = qianchuan_settings(plan, replanned) if replanned.through_day < PLAN_DAYS else None
    return Action(proposal, refused, replanned, settings)
