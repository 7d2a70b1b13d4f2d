"""Input validation: one error type, every problem at once, bilingual; warnings apart."""

import datetime as dt
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dyplan.errors import InputError
from dyplan.model import Assumptions, Category, Channel, PlanInputs, Stage, Strategy
from dyplan.model.seed import DEFAULT_CHANNEL_MIX

VALID = dict(
    category="美妆",
    stage="新店起量",
    gmv_target=10_000_000,
    start_date=dt.date(2027, 1, 1),
    baseline_aov=99,
    headcount=5,
)


def problems_of(**changes):
    with pytest.raises(InputError) as caught:
        PlanInputs(**{**VALID, **changes})
    return {p.field: p for p in caught.value.problems}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("美妆", Category.BEAUTY), ("beauty", Category.BEAUTY), (" 3C ", Category.ELECTRONICS)],
    ids=["zh", "key", "padded"],
)
def test_inputs_category_accepts_chinese_label_or_key(typed, expected):
    assert PlanInputs(**{**VALID, "category": typed}).category is expected


def test_inputs_labels_and_datetime_are_normalised():
    inputs = PlanInputs(
        **{**VALID, "stage": "成熟经营", "strategy": "用户增长",
           "start_date": dt.datetime(2027, 5, 1, 9, 30)}
    )  # fmt: skip
    assert inputs.stage is Stage.MATURE
    assert inputs.strategy is Strategy.GROWTH
    assert inputs.start_date == dt.date(2027, 5, 1)


@pytest.mark.parametrize("start", [dt.date(1999, 12, 31), dt.date(2101, 1, 1), dt.date(1027, 1, 1),
                                   dt.date(9999, 12, 31), dt.date(1, 1, 1)])  # fmt: skip
def test_inputs_start_date_outside_the_template_range_is_named(start):
    # The template's date cells allow 2000–2100: a year typed wrong is refused, not planned in 1027.
    problem = problems_of(start_date=start)["start_date"]
    assert f"当前为 {start.isoformat()}" in problem.zh and "2000-01-01 至 2100-12-31" in problem.zh
    assert "from 2000-01-01 to 2100-12-31" in problem.en


@pytest.mark.parametrize("start", [dt.date(2000, 1, 1), dt.date(2100, 12, 31)])
def test_inputs_start_date_at_the_range_ends_plans(start):
    from dyplan.model import build_plan

    assert build_plan(PlanInputs(**{**VALID, "start_date": start})).inputs.start_date == start


def test_inputs_every_problem_reported_at_once_in_both_languages():
    found = problems_of(gmv_target=-1, baseline_aov=0, headcount=2.5, category="鞋靴")
    assert set(found) == {"gmv_target", "baseline_aov", "headcount", "category"}
    assert "美妆" in found["category"].zh and "beauty" in found["category"].en
    assert all(p.zh and p.en for p in found.values())


@pytest.mark.parametrize(
    "value", ["1000", None, math.nan, math.inf, True], ids=["text", "none", "nan", "inf", "bool"]
)
def test_inputs_gmv_must_be_a_finite_number(value):
    assert "gmv_target" in problems_of(gmv_target=value)


@pytest.mark.parametrize("value", [9.3e16, 1e300])
def test_inputs_gmv_beyond_any_shop_is_an_input_problem_not_an_overflow(value):
    # ¥9.3e16 in fen overflows a 64-bit integer; no shop's target comes near ¥10 trillion.
    assert "gmv_target" in problems_of(gmv_target=value)


def test_inputs_channel_mix_off_by_more_than_tolerance_is_an_error_not_normalised():
    # Phase is a StrEnum, so "P2" replaces the Phase.P2 entry.
    mix = {**DEFAULT_CHANNEL_MIX, "P2": (0.6, 0.3, 0.09)}  # 99 %
    found = problems_of(assumptions=Assumptions(channel_mix=mix))
    assert "channel_mix.P2" in found
    assert "99.00%" in found["channel_mix.P2"].zh


def test_inputs_channel_mix_within_hundredth_of_a_percent_is_accepted():
    mix = {**DEFAULT_CHANNEL_MIX, "P2": (0.60005, 0.3, 0.1)}  # 100.005 %
    PlanInputs(**VALID, assumptions=Assumptions(channel_mix=mix))


def test_inputs_seasonality_all_zero_or_negative_is_an_error():
    assert "seasonality" in problems_of(seasonality=(0,) * 12)
    assert "seasonality[3]" in problems_of(seasonality=(1, 1, -1) + (1,) * 9)
    assert "seasonality" in problems_of(seasonality=(1,) * 11)


def test_inputs_subphases_must_leave_days_for_p4():
    found = problems_of(assumptions=Assumptions(subphase_days=((100, 100, 100), (20, 20, 20), (5, 5, 5))))
    assert "subphase_days" in found


def test_inputs_risk_anchors_must_be_monotone():
    anchors = dict(Assumptions().risk_anchors)
    anchors["complaints"] = (0.0, 0.3, 0.15)
    assert "risk_anchors.complaints" in problems_of(assumptions=Assumptions(risk_anchors=anchors))


@pytest.mark.parametrize(
    ("stage", "changes", "warned"),
    [
        ("新店起量", {"ratio_launch": 0.12}, {"ratio_launch"}),
        ("新店起量", {"ratio_mature": 0.04}, {"ratio_mature"}),
        ("成熟经营", {"ratio_launch": 0.12}, set()),  # a mature shop never uses it
        ("成熟经营", {"ratio_mature": 0.075}, {"ratio_mature"}),
        ("成熟经营", {}, set()),
    ],
    ids=["launch-high", "launch-p4-low", "mature-ignores-launch", "mature-high", "defaults"],
)
def test_inputs_ratio_outside_seed_range_is_a_warning_not_an_error(stage, changes, warned):
    inputs = PlanInputs(**{**VALID, "stage": stage}, assumptions=Assumptions(**changes))
    assert {w.field for w in inputs.warnings()} == warned


anything = st.one_of(
    st.none(), st.booleans(), st.integers(-10, 10**12), st.floats(allow_nan=True),
    st.text(max_size=5), st.lists(st.integers(-1, 3), max_size=13), st.dates(),
)  # fmt: skip


@given(
    category=st.one_of(anything, st.sampled_from(["美妆", "服饰", "other"])),
    stage=st.one_of(anything, st.sampled_from(["新店起量", "mature"])),
    gmv=anything,
    start=anything,
    aov=anything,
    headcount=anything,
    seasonality=st.one_of(anything, st.lists(st.floats(-1, 5), min_size=12, max_size=12)),
)
def test_inputs_any_garbage_gives_input_error_never_a_traceback(
    category, stage, gmv, start, aov, headcount, seasonality
):
    try:
        PlanInputs(
            category=category, stage=stage, gmv_target=gmv, start_date=start,
            baseline_aov=aov, headcount=headcount, seasonality=seasonality,
        )  # fmt: skip
    except InputError as error:
        assert error.problems
        assert all(p.zh and p.en and p.field for p in error.problems)


def test_inputs_whole_numbers_sent_as_floats_plan_normally():
    # Excel and openpyxl hand over 30.0 for a typed 30.
    from dyplan.model import build_plan

    inputs = PlanInputs(
        **{**VALID, "headcount": 10.0},
        assumptions=Assumptions(
            p4_checkpoint_interval_days=30.0, subphase_days=((7.0, 10, 13), (15, 20, 25), (30, 30, 30))
        ),
    )
    plan = build_plan(inputs)
    assert plan.team["headcount"].sum() == 10
    assert plan.checkpoints[plan.checkpoints["phase"] == "P4"]["day"].unique().tolist() == [
        210, 240, 270, 300, 330, 360, 365,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"share_band": 0}, "share_band"),
        ({"share_band": 1.5}, "share_band"),
        ({"early_live_cap": -0.1}, "early_live_cap"),
        ({"min_daily_spend": {**dict.fromkeys(Channel, 0.0), Channel.LIVE: -1}}, "min_daily_spend.live"),
        ({"response_curves": {Channel.FEED: (9_000, None, 1)}}, "response_curves.feed.half_saturation"),
        ({"response_curves": {Channel.SEARCH: (9_000, 2_000, 5.5)}}, "response_curves.search.shape"),
    ],
    ids=["band-0", "band-over-1", "cap-negative", "spend-negative", "curve-half-typed", "curve-too-steep"],
)
def test_inputs_optimiser_assumptions_are_checked_where_typed(changes, field):
    found = problems_of(assumptions=Assumptions(**changes))
    assert list(found) == [field]
    assert found[field].zh and found[field].en


def test_inputs_a_blank_margin_reads_blank_in_both_languages():
    found = problems_of(assumptions=Assumptions(gross_margin=None, refund_rate=""))
    assert "当前为空" in found["gross_margin"].zh and "got blank" in found["gross_margin"].en
    assert "当前为空" in found["refund_rate"].zh and "None" not in found["refund_rate"].en


def test_inputs_a_response_curve_left_blank_is_no_curve():
    blank = {Channel.FEED: (None, None, None), Channel.LIVE: ("", " ", None)}
    assert PlanInputs(**VALID, assumptions=Assumptions(response_curves=blank)).assumptions.response_curves
