"""Budget, reserve, channel and purpose split (PLANNING_RULES §2–§3), worked by hand."""

import datetime as dt

import pytest

from dyplan.model import Assumptions, PlanInputs, build_plan


def fen(cny: float) -> int:
    return round(cny * 100)


@pytest.fixture(scope="module")
def mature_flat():
    """§3.1's check: G = 100,000,000, mature, 6.5 %, flat seasonality, 2027 (365 days)."""
    return build_plan(
        PlanInputs(
            category="服饰",
            stage="成熟经营",
            gmv_target=100_000_000,
            start_date=dt.date(2027, 1, 1),
            baseline_aov=120,
            headcount=10,
            assumptions=Assumptions(ratio_mature=0.065),
        )
    )


def test_budget_mature_65pct_total_is_6_5_million(mature_flat):
    # 100,000,000 × 6.5 % = 6,500,000
    assert fen(mature_flat.totals["budget"]) == 650_000_000
    # reserve 10 % = 650,000; allocatable 5,850,000
    assert fen(mature_flat.totals["reserve"]) == 65_000_000
    assert fen(mature_flat.totals["allocatable"]) == 585_000_000


def test_budget_mature_flat_phases_split_by_days_with_largest_remainder(mature_flat):
    # Exact phase budgets 6,500,000 × 30/60/90/185 ÷ 365, in fen:
    # 53,424,657.53 / 106,849,315.07 / 160,273,972.60 / 329,452,054.79; floors sum to
    # 649,999,998, so the 2 fen left go to the largest remainders, .79 (P4) and .60 (P3).
    assert [fen(v) for v in mature_flat.phases["budget"]] == [
        53_424_657,
        106_849_315,
        160_273_973,
        329_452_055,
    ]


def test_budget_mature_flat_p1_days_share_the_phase_earliest_first(mature_flat):
    # P1 53,424,657 fen over 30 equal days = 1,780,821.9 each: floors give 53,424,630, and
    # the 27 fen left go to the first 27 days (equal remainders: earlier day first).
    p1 = [fen(v) for v in mature_flat.daily["budget"][:30]]
    assert p1 == [1_780_822] * 27 + [1_780_821] * 3


def test_budget_mature_flat_reserve_tie_goes_to_the_earlier_phase(mature_flat):
    # Reserve 65,000,000 fen over the phase budgets (10 % each): 5,342,465.7 / 10,684,931.5 /
    # 16,027,397.3 / 32,945,205.5; floors 64,999,998: .7 (P1) takes a fen and the exact tie
    # .5 = .5 gives the other to the earlier phase, P2.
    assert [fen(v) for v in mature_flat.phases["reserve"]] == [5_342_466, 10_684_932, 16_027_397, 32_945_205]


def test_budget_mature_flat_phase_channels_are_largest_remainder_of_the_phase(mature_flat):
    # Allocatable = budget − reserve: 48,082,191 / 96,164,383 / 144,246,576 / 296,506,850 fen.
    # P1 × 50/40/10 % = 24,041,095.5 / 19,232,876.4 / 4,808,219.1: 1 fen left → feed (.5).
    # P2 × 60/30/10 % = 57,698,629.8 / 28,849,314.9 / 9,616,438.3: 2 left → search, feed.
    # P3 × 53.33/26.67/20 % = 76,926,698.9808 / 38,470,561.8192 / 28,849,315.2: 2 → feed, search.
    # P4 × 53.33/26.67/20 % = 158,127,103.105 / 79,078,376.895 / 59,301,370: 1 → search.
    phases = mature_flat.phases
    assert [fen(v) for v in phases["allocatable"]] == [48_082_191, 96_164_383, 144_246_576, 296_506_850]
    assert [fen(v) for v in phases["feed"]] == [24_041_096, 57_698_630, 76_926_699, 158_127_103]
    assert [fen(v) for v in phases["search"]] == [19_232_876, 28_849_315, 38_470_562, 79_078_377]
    assert [fen(v) for v in phases["live"]] == [4_808_219, 9_616_438, 28_849_315, 59_301_370]
    # The year: 316,793,527.3858 / 165,631,130.0142 / 102,575,342.6 exact → within a fen.
    assert [fen(mature_flat.totals[c]) for c in ("feed", "search", "live")] == [
        316_793_528,
        165_631_130,
        102_575_342,
    ]
    # Purposes 30/40/30 % of 585,000,000 are whole: 175,500,000 / 234,000,000 / 175,500,000.
    assert [fen(mature_flat.totals[c]) for c in ("cold_start", "core", "optimisation")] == [
        175_500_000,
        234_000_000,
        175_500_000,
    ]


def test_budget_total_is_exact_amount_rounded_half_away_from_zero():
    # 2,129,211 × 7.5 % = 159,690.825 exactly, so the year's budget is 159,690.83. Its
    # 15,969,083 fen × 30/60/90/185 ÷ 365 = 1,312,527.37 / 2,625,054.74 / 3,937,582.11 /
    # 8,093,918.78; floors 15,969,081, so the 2 fen left go to .78 (P4) and .74 (P2).
    plan = build_plan(
        PlanInputs(
            category="美妆",
            stage="成熟经营",
            gmv_target=2_129_211,
            start_date=dt.date(2027, 1, 1),
            baseline_aov=100,
            headcount=3,
            assumptions=Assumptions(ratio_mature=0.075),
        )
    )
    assert fen(plan.totals["budget"]) == 15_969_083
    assert [fen(v) for v in plan.phases["budget"]] == [1_312_527, 2_625_055, 3_937_582, 8_093_919]


@pytest.fixture(scope="module")
def launch_june_peak():
    """Launch shop, June weighted 2, other months 1, G = 39,500,000 from 2027-01-01.

    Σ weights over the days = 365 + 30 June days = 395, so an ordinary day's GMV is
    39,500,000 / 395 = 100,000 and a June day's 200,000. June is days 152–181.
    """
    weights = (1,) * 5 + (2,) + (1,) * 6
    return build_plan(
        PlanInputs(
            category="食品",
            stage="新店起量",
            gmv_target=39_500_000,
            start_date=dt.date(2027, 1, 1),
            baseline_aov=80,
            headcount=6,
            seasonality=weights,
        )
    )


def test_budget_launch_seasonal_phase_gmv_and_budget(launch_june_peak):
    phases = launch_june_peak.phases
    # P1 30 × 100k; P2 60 × 100k; P3 61 × 100k + 29 June days × 200k; P4 June 30 + 184 days
    assert [fen(v) for v in phases["gmv"]] == [
        fen(3_000_000),
        fen(6_000_000),
        fen(11_900_000),
        fen(18_600_000),
    ]
    # launch ratio 9 % in P1–P3, mature 6 % in P4
    assert [fen(v) for v in phases["budget"]] == [
        fen(270_000),
        fen(540_000),
        fen(1_071_000),
        fen(1_116_000),
    ]
    assert fen(launch_june_peak.totals["budget"]) == fen(2_997_000)


def test_budget_launch_seasonal_day_rows_worked_by_hand(launch_june_peak):
    daily = launch_june_peak.daily.set_index("day")
    columns = ["gmv", "budget", "reserve", "allocatable", "feed", "search", "live"]
    # Day 1 (P1): budget 9 % × 100,000 = 9,000; reserve 900; allocatable 8,100 split 50/40/10
    assert [fen(daily.loc[1, c]) for c in columns] == [
        fen(x) for x in (100_000, 9_000, 900, 8_100, 4_050, 3_240, 810)
    ]
    # Day 1 purposes 30/40/30 of 8,100
    assert [fen(daily.loc[1, c]) for c in ("cold_start", "core", "optimisation")] == [
        243_000,
        324_000,
        243_000,
    ]
    # Day 160 (June, P3): budget 18,000; allocatable 16,200 × 53.33/26.67/20 %
    assert [fen(daily.loc[160, c]) for c in columns] == [
        fen(x) for x in (200_000, 18_000, 1_800, 16_200, 8_639.46, 4_320.54, 3_240)
    ]
    # Day 181 (June 30, first day of P4): 6 % × 200,000
    assert fen(daily.loc[181, "budget"]) == fen(12_000)
    assert daily.loc[181, "phase"] == "P4"


def test_budget_zero_weight_month_gets_no_money():
    plan = build_plan(
        PlanInputs(
            category="家居",
            stage="成熟经营",
            gmv_target=1_000_000,
            start_date=dt.date(2027, 1, 1),
            baseline_aov=200,
            headcount=3,
            seasonality=(0,) + (1,) * 11,
        )
    )
    january = plan.daily[plan.daily["month"] == 1]
    assert (january[["gmv", "budget", "feed", "cold_start"]] == 0).all().all()
    assert fen(plan.totals["gmv"]) == fen(1_000_000)
