"""The two ROIs of a plan (PLANNING_RULES 3.18): what the budget brings at the target ROI, and what
share of the GMV target that is.

The target ROI is ad-attributed GMV ÷ ad spend; the GMV target counts every sale of the shop,
organic ones included. So the GMV target ÷ the budget (13.6 for the demo) is far above the target
ROI (2.5) without contradicting it: the ads bring budget × ROI, the rest comes from other traffic.
"""

from __future__ import annotations

from dataclasses import dataclass

from dyplan.model.rounding import FEN_PER_CNY, exact, round_half_away, to_fen


@dataclass(frozen=True)
class PaidShare:
    """``paid_gmv``: budget × target ROI, CNY to the fen; ``share``: that ÷ the GMV target (0–1, and
    above 1 when the ads alone would exceed it); ``gmv_per_budget``: the GMV target ÷ the budget."""

    paid_gmv: float
    share: float
    gmv_per_budget: float | None


def paid_share(gmv_target: float, budget: float, target_roi: float) -> PaidShare:
    """The GMV the whole budget brings at the target ROI, and its share of the GMV target."""
    paid = exact(budget) * exact(target_roi)
    return PaidShare(
        paid_gmv=to_fen(paid) / FEN_PER_CNY,
        share=float(paid / exact(gmv_target)),
        gmv_per_budget=float(exact(gmv_target) / exact(budget)) if budget else None,
    )


def ad_gmv_fen(spend_fen: int, roi: float) -> int:
    """The ad GMV that ``spend_fen`` brings at ``roi``, in fen (half a fen away from zero): the planned
    side of re-planning's target, the gap and the sensitivity table."""
    return round_half_away(spend_fen * exact(roi))
