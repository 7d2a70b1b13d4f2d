"""The plan against what happened, in one call: what the user typed wins, a blank falls back to
what the reports measured, and the plan is built once."""

import datetime as dt

import pandas as pd
import pytest

from dyplan.model import plan_review as review_module
from dyplan.model.checkpoints import Status
from dyplan.model.plan_review import Entered, checkpoint_keys, review
from dyplan.model.values import typed_or_measured

from .test_tracking import START, daily

EMPTY = pd.DataFrame(
    columns=["date", "channel", "spend", "impressions", "clicks", "conversions", "gmv", "orders"]
)


@pytest.mark.parametrize(
    ("typed", "measured", "expected"),
    [
        (1.5, 2.0, 1.5),
        (0, 2.0, 0.0),
        (None, 2.0, 2.0),
        ("", 2.0, 2.0),
        ("未知", 2.0, 2.0),
        (None, None, None),
    ],
)
def test_typed_wins_even_zero_and_a_blank_falls_back(typed, measured, expected):
    assert typed_or_measured(typed, measured) == expected


def a_month_at_ctr(ctr: float) -> pd.DataFrame:
    """21 days (the 14-day baseline and 7 recent days) at one CTR: 10,000 impressions a day."""
    return daily(21, impressions=10_000, clicks=10_000 * ctr, spend=100, conversions=2, gmv=500, orders=2)


def creative_ctr_row(result):
    rows = result.plan.risk_indicators
    return rows[rows["key"] == "creative_ctr"].iloc[0]


def test_measured_reading_scores_an_indicator_left_blank(default_inputs):
    # 美妆's CTR benchmark is 1.5 %: a 1.2 % CTR reads 1.2 / 1.5 = 0.8 of it
    result = review(default_inputs(), a_month_at_ctr(0.012), Entered(), START + dt.timedelta(days=30))
    assert creative_ctr_row(result)["value"] == pytest.approx(0.8)


def test_typed_reading_wins_over_the_measured_one(default_inputs):
    inputs = default_inputs(risk_values={"creative_ctr": 0.6})
    result = review(inputs, a_month_at_ctr(0.012), Entered(), START + dt.timedelta(days=30))
    assert creative_ctr_row(result)["value"] == pytest.approx(0.6)


def test_the_plan_is_built_once_even_when_readings_fill_blanks(default_inputs, monkeypatch):
    calls = []
    build = review_module.build_plan
    monkeypatch.setattr(review_module, "build_plan", lambda inputs: calls.append(1) or build(inputs))
    review(default_inputs(), a_month_at_ctr(0.012), Entered(), START + dt.timedelta(days=30))
    assert len(calls) == 1


def first_checkpoint(result):
    return result.checkpoints.iloc[0]


def test_typed_checkpoint_actual_is_judged_and_a_blank_one_waits_for_its_date(default_inputs):
    inputs = default_inputs()
    plain = review(inputs, EMPTY, Entered(), START)
    row = first_checkpoint(plain)
    key = checkpoint_keys([row["phase"]], [row["metric"]], [row["day"]])[0]
    assert row["status"] is Status.PENDING  # no value yet, not yet due
    typed = review(inputs, EMPTY, Entered(checkpoint_actuals={key: row["target"]}), START)
    assert first_checkpoint(typed)["status"] is Status.MET  # exactly the target meets it
    after = review(inputs, EMPTY, Entered(), row["date"] + dt.timedelta(days=1))
    assert first_checkpoint(after)["status"] is Status.NO_DATA


def test_a_typed_actual_for_a_checkpoint_the_plan_no_longer_has_is_an_orphan(default_inputs):
    gone = ("P4", "roi", 999)  # P4 checkpoints are keyed by day; the plan has no day 999
    result = review(
        default_inputs(), EMPTY, Entered(checkpoint_actuals={gone: 3.0, ("P4", "cpc", 998): None}), START
    )
    assert result.orphans == [gone]  # a blank one is no loss


def test_kpi_attainment_is_the_typed_actual_over_the_target(default_inputs):
    plain = review(default_inputs(), EMPTY, Entered(), START)
    row = int(plain.kpis["target"].first_valid_index())
    target = plain.kpis["target"][row]
    typed = [None] * row + [target / 2]
    result = review(default_inputs(), EMPTY, Entered(kpi_actuals=typed), START)
    assert result.kpis["attainment"][row] == pytest.approx(0.5)
    assert result.kpis["attainment"].drop(row).isna().all()
