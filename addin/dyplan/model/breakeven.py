"""Break-even ROI (保本ROI): the 支付ROI at which an order's gross profit just pays for its ad spend.

One yuan of ad spend brings ``roi`` yuan of GMV; a share ``refund_rate`` of it is refunded and the rest
earns ``margin`` (gross margin after platform fees). The spend breaks even when
``roi × (1 − refund_rate) × margin = 1``.
"""

from __future__ import annotations

from dyplan.errors import InputError, Problem
from dyplan.model.values import got, is_number


def breakeven_roi(margin: float, refund_rate: float) -> float:
    """``1 / (margin × (1 − refund_rate))``: 40 % margin, 20 % refunds → 1 / 0.32 = 3.125.

    Parameters
    ----------
    margin
        Gross margin after platform fees (毛利率), 0 < margin ≤ 1.
    refund_rate
        Share of GMV refunded (退款率), 0 ≤ refund_rate < 1.

    Raises ``InputError`` naming each value outside its range.
    """
    problems = []
    if not (is_number(margin) and 0 < margin <= 1):
        now_zh, now_en = got(margin)
        problems.append(
            Problem(
                "gross_margin",
                f"毛利率应为 0%（不含）至 100% 之间的数，{now_zh}",
                f"gross margin must be a number above 0 and at most 100 %, {now_en}",
            )
        )
    if not (is_number(refund_rate) and 0 <= refund_rate < 1):
        now_zh, now_en = got(refund_rate)
        problems.append(
            Problem(
                "refund_rate",
                f"退款率应为 0% 至 100%（不含）之间的数，{now_zh}",
                f"refund rate must be a number from 0 to below 100 %, {now_en}",
            )
        )
    if problems:
        raise InputError(problems)
    return 1 / (margin * (1 - refund_rate))


def under_breakeven(roi: float, breakeven: float) -> bool:
    """Whether an ROI loses money on every order: strictly below break-even (at it, spend just pays)."""
    return roi < breakeven
