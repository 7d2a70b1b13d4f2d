"""The risk sheet's early-warning text and forecast block agree on when the forecast starts."""

import datetime as dt

import pandas as pd
import pytest

from dyplan.book import contract as c
from dyplan.book.cells import build_outputs, from_inputs
from dyplan.demo import demo_inputs
from dyplan.model.plan_review import Entered, review


def outputs_after(report_days: int):
    """Outputs with ``report_days`` consecutive days of reports from the plan's start."""
    inputs = demo_inputs()
    start = inputs.start_date
    actuals = pd.DataFrame(
        [
            {"date": start + dt.timedelta(days=i), "channel": "feed", "spend": 100.0, "conversions": 2.0}
            for i in range(report_days)
        ]
    )
    return build_outputs(review(inputs, actuals, Entered(), start), from_inputs(inputs), start), start


def forecast_dates(outputs) -> list[dt.date]:
    return [row[0] for row in outputs.tables[c.RISK_FORECAST.name] if row[1] == "预测 forecast"]


@pytest.mark.parametrize(
    ("report_days", "index_days"),
    [(20, 0), (21, 1), (33, 13)],  # the first index comes with the 21st day, then one a day
    ids=["20-days", "21-days", "33-days"],
)
def test_outputs_before_the_forecast_say_how_many_days_there_are_and_are_needed(report_days, index_days):
    outputs, _ = outputs_after(report_days)
    assert outputs.cells["Risk_Warning"].startswith(f"数据不足：风险指数 {index_days}/14 天")
    assert forecast_dates(outputs) == []


def test_outputs_forecast_starts_the_day_the_index_reaches_14_days():
    # 34 days of reports (day offsets 0..33): indices on offsets 20..33 = 14 days, the last on 33.
    outputs, start = outputs_after(34)
    assert not outputs.cells["Risk_Warning"].startswith("数据不足")
    assert forecast_dates(outputs)[0] == start + dt.timedelta(days=34)
