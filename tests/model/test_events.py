"""The promotion calendar: event windows weigh days, and the budget's windows lead the GMV's."""

import datetime as dt
from fractions import Fraction

import pytest

from dyplan.errors import InputError
from dyplan.model import Assumptions, build_plan
from dyplan.model.events import Event, Window, WindowKind, day_multipliers, event_names, typical_events

MAY_28 = dt.date(2027, 5, 28)
DAYS = [MAY_28 + dt.timedelta(days=n) for n in range(10)]  # May 28 – Jun 6


def toy(lead: int = 2) -> Event:
    preheat = Window(WindowKind.PREHEAT, dt.date(2027, 5, 30), dt.date(2027, 5, 31), 1.5)
    peak = Window(WindowKind.PEAK, dt.date(2027, 6, 1), dt.date(2027, 6, 3), 2.0)
    return Event("测试", (preheat, peak), lead)


def test_a_day_in_a_window_weighs_its_multiplier_and_the_budget_comes_lead_days_earlier():
    gmv, budget = day_multipliers(DAYS, [toy(lead=2)])
    #                 May 28 29   30   31   Jun 1  2    3    4  5  6
    assert list(gmv) == [1, 1, 1.5, 1.5, 2, 2, 2, 1, 1, 1]
    assert list(budget) == [1.5, 1.5, 2, 2, 2, 1, 1, 1, 1, 1]


def test_windows_of_events_that_overlap_multiply():
    other = Event("另一个", (Window(WindowKind.RETURN, dt.date(2027, 6, 2), dt.date(2027, 6, 4), 0.5),))
    gmv, budget = day_multipliers(DAYS, [toy(lead=0), other])
    assert list(gmv) == [1, 1, 1.5, 1.5, 2, 1, 1, 0.5, 1, 1]
    assert list(budget) == list(gmv)  # no lead: the budget follows the GMV day for day


def test_each_day_is_named_by_the_windows_it_lies_in():
    names = event_names(DAYS, [toy()])
    assert names[:3] == ["", "", "测试 预热期"]
    assert names[4] == "测试 爆发期" and names[7] == ""


def test_typical_events_of_a_plan_across_new_year_are_dated_in_the_year_they_fall_in():
    events = typical_events(dt.date(2027, 3, 1), dt.date(2028, 2, 28))
    starts = {e.name: e.windows[0].start for e in events}
    # 38节's 2027 peak (Mar 1–8) is inside, and 2028's pre-heat (Feb 25–28) too: both are there
    assert [e.name for e in events].count("38节") == 2
    assert starts["618"] == dt.date(2027, 5, 13)
    assert starts["年货节"] == dt.date(2028, 1, 3)
    assert [e.windows[0].start for e in events] == sorted(e.windows[0].start for e in events)
    double_11 = next(e for e in events if e.name == "双11")
    peak = next(w for w in double_11.windows if w.kind is WindowKind.PEAK)
    assert (peak.start, peak.end) == (dt.date(2027, 10, 20), dt.date(2027, 11, 11))


# ---------------------------------------------------------------- the plan's days weighed by events
G = 12_000_000  # the default inputs' GMV target: 美妆, 成熟经营 (6 % budget), from 2026-01-01


def peak_618(lead: int) -> Event:
    return Event("618", (Window(WindowKind.PEAK, dt.date(2026, 6, 1), dt.date(2026, 6, 10), 1.6),), lead)


def test_an_event_moves_gmv_and_budget_into_its_window_and_the_totals_stay_exact(default_inputs):
    plan = build_plan(default_inputs(assumptions=Assumptions(events=(peak_618(lead=3),))))
    days = plan.daily.set_index("date")
    fen = (days[["gmv", "budget"]] * 100).round().astype(int)
    # every day weighs 1 but the 10 peak days 1.6: Σ weights = 355 + 16 = 371
    assert fen["gmv"].sum() == G * 100
    assert abs(fen.loc[dt.date(2026, 6, 5), "gmv"] - Fraction(G * 100 * 16, 3710)) <= 1
    assert abs(fen.loc[dt.date(2026, 6, 15), "gmv"] - Fraction(G * 100, 371)) <= 1
    # a mature shop's budget is 6 % of the GMV target whatever the days' weights
    assert fen["budget"].sum() == round(Fraction(6, 100) * G * 100)
    # the budget's window is three days earlier: May 29 – Jun 7
    budget_peak = Fraction(6, 100) * G * 100 * 16 / 3710
    assert abs(fen.loc[dt.date(2026, 5, 29), "budget"] - budget_peak) <= 1
    assert abs(fen.loc[dt.date(2026, 6, 8), "budget"] - budget_peak / Fraction(16, 10)) <= 1
    assert abs(fen.loc[dt.date(2026, 6, 8), "gmv"] - Fraction(G * 100 * 16, 3710)) <= 1
    # phases and channels still add up to the total, to the fen
    assert round(plan.phases["budget"].sum() * 100) == fen["budget"].sum()
    channels = (days[["feed", "search", "live"]] * 100).round().astype(int).sum(axis=1)
    assert (channels == (days["allocatable"] * 100).round().astype(int)).all()


def test_a_window_that_ends_before_it_starts_is_named(default_inputs):
    peak = Window(WindowKind.PEAK, dt.date(2026, 11, 11), dt.date(2026, 10, 20), 1.8)
    backwards = Event("双11", (peak,), 3)
    with pytest.raises(InputError) as error:
        default_inputs(assumptions=Assumptions(events=(backwards,)))
    [problem] = error.value.problems
    assert problem.field == "events.1.peak"
    assert "结束日期 2026-10-20 早于开始日期 2026-11-11" in problem.zh and "before it starts" in problem.en


def test_a_typed_window_outside_the_plan_year_is_a_warning_naming_it(default_inputs):
    # The plan runs 2026-01-01 – 2026-12-31. A window that weighs none of its days is a year typed
    # wrong; one running into the plan's first day, or whose budget days (lead_days earlier) fall in
    # the plan, does weigh days, and says nothing.
    def event(name, start, end, lead=0):
        return Event(name, (Window(WindowKind.PEAK, start, end, 2.0),), lead)

    last_year = event("618", dt.date(2025, 6, 1), dt.date(2025, 6, 18))
    into_the_plan = event("年货节", dt.date(2025, 12, 25), dt.date(2026, 1, 3))
    next_year = event("元旦", dt.date(2027, 1, 1), dt.date(2027, 1, 2))
    budget_before = event("元旦备货", dt.date(2027, 1, 1), dt.date(2027, 1, 2), lead=5)  # Dec 27–28
    typed = (last_year, into_the_plan, next_year, budget_before)
    inputs = default_inputs(assumptions=Assumptions(events=typed))
    warned = {w.field: w for w in inputs.warnings()}
    assert set(warned) == {"events.1.peak", "events.3.peak"}
    assert (
        "618 爆发期 2025-06-01 – 2025-06-18 不在计划期 2026-01-01 至 2026-12-31 内"
        in warned["events.1.peak"].zh
    )
    assert "outside the plan's 2026-01-01 to 2026-12-31" in warned["events.3.peak"].en
    budget = build_plan(inputs).daily.set_index("date")["budget"]
    assert budget[dt.date(2026, 12, 27)] > 1.5 * budget[dt.date(2026, 12, 26)]  # the lead weighs them
