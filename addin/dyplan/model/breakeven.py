"""Break-even ROI (保本ROI): the 支付ROI at which an order's gross profit just pays for its ad spend.

One yuan of ad spend brings ``roi`` yuan of GMV; a share ``refund_rate`` of it is refunded and the rest
earns ``margin`` (gross margin after platform fees). The spend breaks even when
``roi × (1 − refund_rate) × margin = 1``.
"""

from __future__ import annotations


def breakeven_roi(margin: float, refund_rate: float) -> float:
    """``1 / (margin × (1 − refund_rate))``: 40 % margin, 20 % refunds → 1 / 0.32 = 3.125.

    Parameters
    ----------
    margin
        Gross margin after platform fees (毛利率), 0 < margin ≤ 1.
    refund_rate
        Share of GMV refunded (退款率), 0 ≤ refund_rate < 1.
    """
    if not 0 < margin <= 1 or not 0 <= refund_rate < 1:
        raise ValueError(f"margin must be in (0, 1] and refund rate in [0, 1), got {margin}, {refund_rate}")
    return 1 / (margin * (1 - refund_rate))


def under_breakeven(roi: float, breakeven: float) -> bool:
    """Whether an ROI loses money on every order: strictly below break-even (at it, spend just pays)."""
    return roi < breakeven
