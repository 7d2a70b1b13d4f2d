"""Scenarios compared: each figure of each plan, and its difference to the base, exact to the fen."""

import pytest

from dyplan.errors import InputError
from dyplan.model import Assumptions, build_plan
from dyplan.model.scenarios import compare_plans

# The default inputs: 美妆, 成熟经营 (6 % of the GMV target all year), GMV 12,000,000, every month weight
# 1, 10 % reserve, target ROI 2.5; phases of 30, 60, 90 and 185 days.


@pytest.fixture
def table(default_inputs):
    plans = {
        "基准": build_plan(default_inputs()),
        "高目标": build_plan(default_inputs(gmv_target=15_000_000)),
        "低毛利": build_plan(default_inputs(assumptions=Assumptions(gross_margin=0.4))),
    }
    return compare_plans(plans, "基准").set_index("key")


def test_a_higher_target_moves_every_money_figure_by_its_rule(table):
    diff = table["高目标 − 基准"]
    assert diff["gmv_target"] == 3_000_000
    assert diff["budget"] == 180_000  # 6 % of 3,000,000
    assert diff["reserve"] == 18_000
    assert diff["allocatable"] == 162_000
    assert diff["ad_gmv"] == 405_000  # 162,000 × 2.5
    assert diff["budget_P1"] == pytest.approx(180_000 * 30 / 365, abs=0.011)
    assert diff["budget_P4"] == pytest.approx(180_000 * 185 / 365, abs=0.011)
    assert diff[["budget_P1", "budget_P2", "budget_P3", "budget_P4"]].sum() == pytest.approx(
        180_000, abs=1e-6
    )
    assert diff["target_roi"] == 0


def test_a_lower_margin_moves_break_even_and_no_money(table):
    diff = table["低毛利 − 基准"]
    assert diff["breakeven_roi"] == pytest.approx(1 / (0.4 * 0.9) - 1 / (0.5 * 0.9))  # 2.78 − 2.22
    assert (diff[["budget", "reserve", "allocatable", "ad_gmv", "feed", "search", "live"]] == 0).all()
    assert table.loc["breakeven_roi", "低毛利"] == pytest.approx(1 / 0.36)


def test_each_scenarios_values_are_its_own_plans(table, default_inputs):
    plan = build_plan(default_inputs(gmv_target=15_000_000))
    assert table.loc["budget", "高目标"] == plan.totals["budget"]
    assert table.loc["feed", "高目标"] == plan.totals["feed"]
    assert "基准 − 基准" not in table.columns


def test_an_unknown_base_is_named(default_inputs):
    with pytest.raises(InputError, match="没有名为「方案B」"):
        compare_plans({"基准": build_plan(default_inputs())}, "方案B")
