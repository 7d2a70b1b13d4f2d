"""KPI frameworks, primary dimension, targets and attainment (PLANNING_RULES §7), by hand."""

import pytest

from dyplan.model import build_plan
from dyplan.model.kpis import attainment


@pytest.fixture
def kpis(default_inputs):
    return build_plan(default_inputs()).kpis


def names_by_dimension(kpis, framework):
    rows = kpis[kpis["framework"] == framework]
    return {dim: group["kpi_zh"].tolist() for dim, group in rows.groupby("dimension", sort=False)}


def test_kpis_three_dimension_framework_is_3_by_3(kpis):
    assert names_by_dimension(kpis, "three") == {
        "brand": ["品牌声量指数", "品牌联想度", "品牌搜索量"],
        "sales": ["GMV", "客单价", "转化率"],
        "users": ["新用户获取量", "复购率", "用户生命周期价值"],
    }


def test_kpis_four_dimension_framework_has_5_4_3_2(kpis):
    assert names_by_dimension(kpis, "four") == {
        "traffic": ["曝光量", "点击率", "互动率", "新增粉丝量", "用户覆盖广度"],
        "conversion": ["转化率", "客单价", "UV价值", "订单量"],
        "retention": ["复购率", "用户留存率", "LTV"],
        "revenue": ["ROI", "GMV"],
    }


def test_kpis_every_row_has_a_review_cadence(kpis):
    assert set(kpis["cadence"]) <= {"周", "月", "季"}


@pytest.mark.parametrize(
    ("strategy", "dimension"),
    [("品牌建设", "brand"), ("销售转化", "sales"), ("用户增长", "users")],
    ids=["brand", "sales", "growth"],
)
def test_kpis_strategy_marks_its_three_dimension_primary(default_inputs, strategy, dimension):
    kpis = build_plan(default_inputs(strategy=strategy)).kpis
    primary = kpis[kpis["primary"]]
    assert set(primary["framework"]) == {"three"}
    assert set(primary["dimension"]) == {dimension}
    assert len(primary) == 3


def test_kpis_gmv_target_is_annual_gmv_and_orders_are_gmv_over_aov(kpis):
    targets = kpis.groupby("kpi_zh")["target"].agg(list)
    assert targets["GMV"] == pytest.approx([12_000_000, 12_000_000])  # both frameworks
    assert targets["订单量"] == pytest.approx([100_000])  # 12,000,000 ÷ 120


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        (90.0, 100.0, 0.9),  # 90 ÷ 100
        (120.0, 100.0, 1.2),  # 120 ÷ 100
        (None, 100.0, None),
        (90.0, None, None),
        (90.0, 0.0, None),  # no ratio against a zero target
    ],
    ids=["below-target", "above-target", "no-actual", "no-target", "zero-target"],
)
def test_attainment_actual_over_target(actual, target, expected):
    result = attainment(actual, target)
    assert result == (None if expected is None else pytest.approx(expected))
