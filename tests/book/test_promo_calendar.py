"""The promotion calendar on a first-day workbook: the typical windows weigh the days until a typed
event takes their place, the calendar marks each event day, and the year still adds up to the fen.
Expected values are weighed by hand from the windows planning-rules 2.3 lists (tests/promo_windows.py)."""

import datetime as dt

import pytest
from typer.testing import CliRunner

from dyplan import operations
from dyplan.book import contract as c
from dyplan.cli import app
from tests.book.conftest import TODAY, named_values, set_cells, table_cell
from tests.promo_windows import weight
from tests.test_first_day import START, first_day, rows  # noqa: F401 (first_day: a fixture)

runner = CliRunner()
PLAIN, PEAK, RETURN = dt.date(2027, 4, 15), dt.date(2027, 6, 1), dt.date(2027, 6, 20)  # all three in P3


def day(path, table: c.Table, on: dt.date) -> dict:
    """A calendar table's row of the day ``on`` (blank rows count: a row per plan day)."""
    keys = [column.key for column in table.columns]
    return dict(zip(keys, named_values(path, table.name)[1 + (on - START).days], strict=True))


def gmv_of(path, on: dt.date) -> float:
    return day(path, c.DAILY_PLAN, on)["gmv"]


def test_a_new_workbook_weighs_its_days_by_the_typical_windows(first_day):  # noqa: F811
    operations.regenerate_file(first_day, today=TODAY)
    # GMV per day ∝ its weight (flat months): a 618 peak day 1.6 times a plain one, a return day 0.9
    assert gmv_of(first_day, PEAK) / gmv_of(first_day, PLAIN) == pytest.approx(1.6, abs=1e-6)
    assert gmv_of(first_day, RETURN) / gmv_of(first_day, PLAIN) == pytest.approx(0.9, abs=1e-6)
    # G ÷ the year's weights is a plain day's GMV
    year = sum(weight(START + dt.timedelta(days=d), budget=False) for d in range(365))
    assert gmv_of(first_day, PLAIN) == pytest.approx(float(50_000_000 / year), abs=0.01)
    # the budget leads by 5 days: June 14 is still in the GMV's peak, no longer in the budget's
    june_14 = day(first_day, c.CALENDAR_EVENTS, dt.date(2027, 6, 14))
    assert (june_14["event"], june_14["gmv_multiplier"], june_14["budget_multiplier"]) == (
        "618 爆发期",
        1.6,
        0.9,
    )
    # the year still adds up: a mature shop's one ratio, 6 % of G
    assert named_values(first_day, "Total_Budget") == pytest.approx(3_000_000, abs=0.005)
    assert named_values(first_day, "GMV_Total") == pytest.approx(50_000_000, abs=0.005)
    assert day(first_day, c.CALENDAR_EVENTS, PLAIN)["event"] is None
    used = [r for r in rows(first_day, c.EVENTS_IN_USE)]
    assert len(used) == 15 and all(r["source"] == "典型 typical" for r in used)
    peak = next(r for r in used if (r["event"], r["window"]) == ("618", "爆发期"))
    assert (peak["start"].date(), peak["end"].date(), peak["multiplier"]) == (
        dt.date(2027, 5, 20), dt.date(2027, 6, 18), 1.6)  # fmt: skip
    assert peak["budget_days"] == "2027-05-15 – 06-13"  # 5 days ahead


def test_a_typed_event_takes_the_typical_ones_place_that_year(first_day):  # noqa: F811
    for key, value in (("event", "618"), ("window", "爆发期"), ("start", dt.datetime(2027, 5, 25)),
                       ("end", dt.datetime(2027, 6, 20)), ("multiplier", 2), ("lead_days", 0)):  # fmt: skip
        table_cell(first_day, c.PROMO_EVENTS, 0, key, value)
    operations.regenerate_file(first_day, today=TODAY)
    used = rows(first_day, c.EVENTS_IN_USE)
    six_eighteen = [r for r in used if r["event"] == "618"]
    assert len(six_eighteen) == 1 and six_eighteen[0]["source"] == "填写 typed"
    assert len(used) == 13  # the typical 618's three windows gone, the typed one in
    assert gmv_of(first_day, RETURN) / gmv_of(first_day, PLAIN) == pytest.approx(2.0, abs=1e-6)
    assert day(first_day, c.CALENDAR_EVENTS, dt.date(2027, 5, 21))["event"] is None  # typical peak, gone


def test_typed_events_only_with_none_typed_weighs_no_day(first_day):  # noqa: F811
    set_cells(first_day, {"Promo_Calendar": "仅填写的活动"})
    operations.regenerate_file(first_day, today=TODAY)
    assert gmv_of(first_day, PEAK) == pytest.approx(gmv_of(first_day, PLAIN), abs=0.01)
    assert gmv_of(first_day, PLAIN) == pytest.approx(50_000_000 / 365, abs=0.01)
    (said,) = rows(first_day, c.EVENTS_IN_USE)  # one line says there is none
    assert said["event"].startswith("没有大促窗口") and rows(first_day, c.CALENDAR_EVENTS) == []


def test_a_wrong_event_row_is_named_cell_by_cell_and_nothing_is_written(first_day):  # noqa: F811
    table_cell(first_day, c.PROMO_EVENTS, 2, "event", "双11")
    table_cell(first_day, c.PROMO_EVENTS, 2, "window", "高峰")
    table_cell(first_day, c.PROMO_EVENTS, 2, "start", dt.datetime(2027, 11, 1))
    table_cell(first_day, c.PROMO_EVENTS, 2, "end", dt.datetime(2027, 10, 1))
    table_cell(first_day, c.PROMO_EVENTS, 2, "multiplier", 0)
    before = first_day.read_bytes()
    result = runner.invoke(app, ["regenerate", str(first_day)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    said = " ".join(result.output.split())
    sheet, top, left = c.table_origin(c.PROMO_EVENTS)
    for key, words in (
        ("window", "预热期、爆发期、返场期"),
        ("end", "早于开始日期"),
        ("multiplier", "above 0"),
    ):
        assert f"{sheet}!{c.address(top + 2, left + c.PROMO_EVENTS.column(key))}" in said and words in said
    assert first_day.read_bytes() == before
