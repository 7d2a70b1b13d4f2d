"""Built-in demo inputs: a launch-stage beauty shop with 618 and Double-11 peaks."""

from __future__ import annotations

import datetime as dt

from dyplan.model import Assumptions, PlanInputs, PromoCalendar

#: 618 (June) and 双11 (November) lift their months; Chinese New Year (February) dips.
DEMO_SEASONALITY = (0.9, 0.7, 0.9, 0.9, 1.0, 1.4, 0.9, 0.9, 1.0, 1.1, 1.6, 1.2)


def demo_inputs() -> PlanInputs:
    return PlanInputs(
        shop_name="示例美妆旗舰店",
        category="美妆",
        stage="新店起量",
        gmv_target=50_000_000,
        start_date=dt.date(2027, 1, 1),
        baseline_aov=128,
        headcount=12,
        strategy="销售转化",
        seasonality=DEMO_SEASONALITY,
        risk_values={
            "conversion_cost": 0.12,
            "competitor_bids": 0.18,
            "creative_ctr": 0.86,
            "account_health": 35,
            "complaints": 0.05,
        },
        # as a new workbook: the typical promotion events weigh the days
        assumptions=Assumptions(promo_calendar=PromoCalendar.TYPICAL),
    )
