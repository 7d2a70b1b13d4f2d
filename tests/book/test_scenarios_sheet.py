"""Scenarios on 情景 and their plans side by side on 情景对比, on a first day's workbook (``dyplan new``
without --demo, only the required inputs typed): 美妆, 成熟经营 (6 % of the GMV target all year), GMV
target 50,000,000 from 2027-01-01, every month weighing 1, 10 % reserve, target ROI 2.5.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.scenarios import NOT_SAVED, ScenarioError
from dyplan.book.xlsx_file import editing
from dyplan.errors import InputError
from dyplan.model import Assumptions, Event, PlanInputs, PromoCalendar, Window, WindowKind, build_plan
from tests.book.conftest import TODAY, delete_defined_name, named_values, table_cell
from tests.book.test_promo_calendar import PLAIN, RETURN, gmv_of
from tests.made_books import type_inputs
from tests.promo_windows import share
from tests.test_first_day import REQUIRED, first_day, rows  # noqa: F401 (fixture)

ITEMS = {item.key: item for item in c.INPUT_ITEMS}


def input_at(key: str) -> tuple[str, int, int]:
    item = ITEMS[key]
    sheet, row, col = c.origin_of(item.name)
    return sheet, row + item.row, col + item.col


def where(key: str) -> str:
    sheet, row, col = input_at(key)
    return f"{sheet}!{c.address(row, col)}"


def type_items(path: Path, values: dict[str, object]) -> None:
    """Type into input cells by item key (a grid's cell too), as a user would, and save."""
    with editing(path) as book:
        for key, value in values.items():
            book.write(*input_at(key), [[value]])


def inputs_as_shown(path: Path) -> dict[str, tuple]:
    """Every input cell's value and what a reader sees of it (format, font, fill, border, protection)."""
    wb = load_workbook(path)
    shown = {}
    for key in ITEMS:
        sheet, row, col = input_at(key)
        cell = wb[sheet].cell(row, col)
        looks = (cell.font, cell.fill, cell.border, cell.alignment, cell.protection)
        shown[key] = (cell.value, cell.number_format, *map(repr, looks))  # style objects compare by identity
    return shown


def ledger(path: Path, name: str = c.SCENARIO_LEDGER.name) -> dict[str, dict[str, object]]:
    """A ledger's entries by name (its first head): its other heads, then its items by key."""
    rows = named_values(path, name)
    heads = len(c.SCENARIO_LEDGER.heads)
    entries = {}
    for j in range(3, len(rows[0])):
        entries[rows[0][j]] = {"heads": [rows[i][j] for i in range(heads)]} | {
            row[0]: float(row[j]) if isinstance(row[j], int) else row[j] for row in rows[heads:] if row[0]
        }  # a finished plan stores 60000000.0 as 60000000
    return entries


def test_save_keeps_every_input_and_assumption_with_its_name_and_day(first_day):  # noqa: F811
    saved = operations.save_scenario_file(first_day, "起点", today=TODAY)
    assert (saved.name, saved.replaced, saved.inputs) == ("起点", False, len(c.INPUT_ITEMS))
    entry = ledger(first_day)["起点"]
    assert entry["heads"][1].date() == TODAY
    assert entry["GMV_Target"] == 50_000_000 and entry["Category"] == "美妆"
    assert entry["Start_Date"].date() == dt.date(2027, 1, 1)
    assert entry["Channel_Mix[P2,feed]"] == 0.6  # the template's default mix
    assert entry["Shop_Name"] is None  # left blank: blank
    assert set(entry) - {"heads"} == set(ITEMS)


def test_restore_after_several_changes_leaves_every_input_cell_as_saved(first_day):  # noqa: F811
    operations.save_scenario_file(first_day, "起点", today=TODAY)
    saved = inputs_as_shown(first_day)
    changed = {"GMV_Target": 60_000_000, "Start_Date": dt.date(2027, 3, 1), "Shop_Name": "新店",
               "Stage": "新店起量", "Seasonality[7,weight]": 1.5, "Channel_Mix[P2,feed]": 0.5,
               "Channel_Mix[P2,search]": 0.4, "Risk_Anchors[aov_volatility,weight]": 2}  # fmt: skip
    type_items(first_day, changed)
    assert inputs_as_shown(first_day) != saved
    restored = operations.restore_scenario_file(first_day, "起点", today=TODAY)
    assert inputs_as_shown(first_day) == saved
    changes = restored.restoring.changes
    assert [f"{x.sheet}!{c.address(x.row, x.col)}" for x in changes] == [where(key) for key in ITEMS
                                                                         if key in changed]  # fmt: skip
    assert restored.restoring.missing == [] and restored.restoring.unknown == []
    gmv = next(str(x) for x in changes if x.new == 50_000_000)
    assert gmv == f"{where('GMV_Target')}: 60,000,000.00 → 50,000,000.00"
    date = next(str(x) for x in changes if x.fmt is c.Fmt.DATE)
    assert date == f"{where('Start_Date')}: 2027-03-01 → 2027-01-01"
    assert named_values(first_day, "Total_Budget") == 3_000_000  # regenerated: 50,000,000 × 6 %


def test_restore_of_the_inputs_as_they_are_changes_no_input(first_day):  # noqa: F811
    operations.save_scenario_file(first_day, "起点", today=TODAY)
    assert operations.restore_scenario_file(first_day, "起点", today=TODAY).restoring.changes == []


def test_a_taken_name_is_refused_untouched_and_replace_replaces_it(first_day):  # noqa: F811
    operations.save_scenario_file(first_day, "方案A", today=TODAY)
    type_inputs(first_day, {"GMV_Target": 60_000_000})
    untouched = first_day.read_bytes()
    with pytest.raises(ScenarioError) as refused:
        operations.save_scenario_file(first_day, " 方案A ", today=TODAY)
    assert (
        "方案A" in refused.value.zh and "2027-02-20" in refused.value.zh and "--replace" in refused.value.en
    )
    assert first_day.read_bytes() == untouched
    saved = operations.save_scenario_file(first_day, "方案A", replace=True, today=TODAY)
    assert saved.replaced and list(ledger(first_day)) == ["方案A"]
    assert ledger(first_day)["方案A"]["GMV_Target"] == 60_000_000


@pytest.mark.parametrize(
    ("name", "zh", "en"),
    [(None, "请给出情景的名称", "Give the scenario's name"),
     ("  ", "请给出情景的名称", "Give the scenario's name"),
     ("当前", "当前输入的名称", "current inputs"), ("Current", "当前输入的名称", "current inputs"),
     ("一" * 21, "最多 20 个字", "at most 20 characters")],
)  # fmt: skip
def test_a_name_that_cannot_be_saved_is_told_in_both_languages(first_day, name, zh, en):  # noqa: F811
    untouched = first_day.read_bytes()
    with pytest.raises(ScenarioError) as refused:
        operations.save_scenario_file(first_day, name, today=TODAY)
    assert zh in refused.value.zh and en in refused.value.en
    assert first_day.read_bytes() == untouched


def test_an_unknown_scenario_is_named_with_those_there_are(first_day):  # noqa: F811
    operations.save_scenario_file(first_day, "方案A", today=TODAY)
    for command in (operations.restore_scenario_file, operations.delete_scenario_file):
        with pytest.raises(ScenarioError) as refused:
            command(first_day, "方案B")
        assert (
            "「方案B」" in refused.value.zh and "方案A" in refused.value.zh and "'方案B'" in refused.value.en
        )


def test_delete_moves_the_later_columns_left(first_day):  # noqa: F811
    for name, gmv in (("A", 50_000_000), ("B", 60_000_000), ("C", 70_000_000)):
        type_inputs(first_day, {"GMV_Target": gmv})
        operations.save_scenario_file(first_day, name, today=TODAY)
    operations.delete_scenario_file(first_day, "B")
    entries = ledger(first_day)
    assert list(entries) == ["A", "C"] and entries["C"]["GMV_Target"] == 70_000_000
    assert [x.name for x in operations.list_scenarios_file(first_day)] == ["A", "C"]
    sheet, ref = next(load_workbook(first_day).defined_names[c.SCENARIO_LEDGER.name].destinations)
    last = load_workbook(first_day)[sheet][ref.replace("$", "").split(":")[1]]
    assert last.column == 3 + 2  # key, labels, A and C
    assert load_workbook(first_day)[sheet].cell(last.row, last.column + 1).value is None  # C's old column


def test_list_says_how_many_inputs_differ_from_now(first_day):  # noqa: F811
    operations.save_scenario_file(first_day, "A", today=TODAY)
    type_items(
        first_day, {"GMV_Target": 60_000_000, "Channel_Mix[P1,feed]": 0.4, "Channel_Mix[P1,live]": 0.2}
    )
    (listed,) = operations.list_scenarios_file(first_day)
    assert (listed.name, listed.saved_on, listed.differing) == ("A", "2027-02-20", 3)
    # 输入's 8 cells and 12 weights; 假设's 15 cells and 129 grid cells (60 risk anchors, 12 channel
    # shares, 12 checkpoint targets, 9 sub-phase lengths, 9 curve parameters, 7 CTR benchmarks, 5 alert
    # thresholds, 3 each for purposes, team, level cuts, matrix cuts and least daily spends), and
    # the events table's 24 rows of 6 cells
    assert listed.inputs == len(c.INPUT_ITEMS) == 8 + 12 + 15 + 129 + 24 * 6


def test_a_value_typed_another_way_is_no_difference_and_restore_leaves_its_cell(first_day):  # noqa: F811
    # Saved while the target read "1.1亿" (110000000.00000001 in binary) and the date "2027/1/1"
    # (text); now the cells hold the number and the date. The plan is the same: nothing differs, and
    # restore types nothing back over the user's cells.
    type_items(first_day, {"GMV_Target": "1.1亿", "Start_Date": "2027/1/1", "Reserve_Share": "10%"})
    operations.save_scenario_file(first_day, "文本", today=TODAY)
    type_items(
        first_day, {"GMV_Target": 110_000_000, "Start_Date": dt.date(2027, 1, 1), "Reserve_Share": 0.1}
    )
    (listed,) = operations.list_scenarios_file(first_day)
    assert listed.differing == 0
    assert operations.restore_scenario_file(first_day, "文本", today=TODAY).restoring.changes == []
    assert named_values(first_day, "GMV_Target") == 110_000_000


def shorten_to_an_earlier_release(path: Path, dropped: int) -> list[str]:
    """The ledger as a release without its last ``dropped`` items left it: those rows gone, the name
    ``dyplan`` keeps over it shorter; the keys they had."""
    with editing(path) as book:
        area = c.Area.parse(book.defined_names()[c.SCENARIO_LEDGER.name])
        rows = book.read(area.sheet, area.last_row - dropped + 1, area.first_col, dropped, area.width)
        book.clear(area.sheet, area.last_row - dropped + 1, area.first_col, dropped, area.width)
        first, last = (
            c.address(area.first_row, area.first_col, True),
            c.address(area.last_row - dropped, area.last_col, True),
        )
        book.define_name(c.SCENARIO_LEDGER.name, area.sheet, f"{first}:{last}")
    return [row[0] for row in rows]


def test_a_scenario_saved_by_a_release_with_fewer_inputs_leaves_the_others_and_says_so(first_day):  # noqa: F811
    operations.save_scenario_file(first_day, "旧", today=TODAY)
    # a release without the live channel's curve and the promotion calendar: its setting's block and
    # the events table's each have a heading row
    rows = shorten_to_an_earlier_release(first_day, 5 + 1 + 24 * 6)
    dropped = [key for key in rows if key]
    columns = [col.key for col in c.PROMO_EVENTS.columns]
    events = [f"Promo_Events[{i},{k}]" for i in range(1, 25) for k in columns]
    assert dropped == [*(f"Response_Curves[live,{k}]" for k in ("max_gmv", "half_saturation", "shape")),
                       "Promo_Calendar", *events]  # fmt: skip
    dropped = dropped[:4]  # the events stay blank, as saved
    later = dict(zip(dropped, (50_000, 20_000, 1, "仅填写的活动"), strict=True))  # a typed curve: V, K, a
    type_items(first_day, {"GMV_Target": 60_000_000, **later})
    restored = operations.restore_scenario_file(first_day, "旧", today=TODAY)
    assert [item.key for item in restored.restoring.missing] == dropped + events
    zh, en = c.PROMO_EVENTS.title  # the table's cells said in one line
    assert restored.restoring.missing_lines()[-1] == f"Promo_Events  {zh} / {en}: 144 格 cells"
    assert [f"{x.sheet}!{c.address(x.row, x.col)}" for x in restored.restoring.changes] == [
        where("GMV_Target")
    ]
    assert {key: inputs_as_shown(first_day)[key][0] for key in dropped} == later
    operations.save_scenario_file(first_day, "新", today=TODAY)  # this release: every row again
    entries = ledger(first_day)
    assert [entries["旧"][key] for key in dropped] == [NOT_SAVED] * 4
    assert [entries["新"][key] for key in dropped] == [50_000, 20_000, 1, "仅填写的活动"]
    assert [
        item.key for item in operations.restore_scenario_file(first_day, "旧").restoring.missing
    ] == dropped + events


def scenario_cell(path: Path, key: str, entry: int = 0) -> tuple[str, int, int]:
    """Where 情景 holds a scenario's value of ``key``: sheet, row and column."""
    wb = load_workbook(path)
    sheet, ref = next(wb.defined_names[c.SCENARIO_LEDGER.name].destinations)
    first = wb[sheet][ref.replace("$", "").split(":")[0]]
    keys = [wb[sheet].cell(r, first.column).value for r in range(first.row, first.row + 200)]
    return sheet, first.row + keys.index(key), first.column + 3 + entry


def edit_scenario(path: Path, key: str, value: object) -> str:
    """Type over the first scenario's cell of ``key`` on 情景 as a user would; that cell."""
    sheet, row, col = scenario_cell(path, key)
    wb = load_workbook(path)
    wb[sheet].cell(row, col).value = value
    wb.save(path)
    return f"{sheet}!{c.address(row, col)}"


def test_a_scenario_cell_edited_into_no_plan_is_named_on_the_scenarios_sheet(first_day):  # noqa: F811
    operations.save_scenario_file(first_day, "A", today=TODAY)
    gmv = edit_scenario(first_day, "GMV_Target", "很多")
    feed = edit_scenario(first_day, "Channel_Mix[P3,feed]", 0.9)  # P3's shares add up to 1.3
    _, row, col = scenario_cell(first_day, "Channel_Mix[P3,live]")  # the last of P3's three
    untouched = first_day.read_bytes()
    for command in (lambda: operations.restore_scenario_file(first_day, "A"),
                    lambda: operations.compare_scenarios_file(first_day, ["A"])):  # fmt: skip
        with pytest.raises(InputError) as refused:
            command()
        assert {problem.where for problem in refused.value.problems} == {gmv, f"{feed}:{c.address(row, col)}"}
        assert first_day.read_bytes() == untouched


def type_event(path: Path, row: int, event: dict[str, object]) -> None:
    for key, value in event.items():
        table_cell(path, c.PROMO_EVENTS, row, key, value)


PEAK_618 = {"event": "618", "window": "爆发期", "start": dt.datetime(2027, 5, 25),
            "end": dt.datetime(2027, 6, 20), "multiplier": 2, "lead_days": 0}  # fmt: skip


def test_a_scenario_keeps_the_typed_events_and_restore_types_them_back(first_day):  # noqa: F811
    type_event(first_day, 0, PEAK_618)
    operations.save_scenario_file(first_day, "618加倍", today=TODAY)
    saved = inputs_as_shown(first_day)
    entry = ledger(first_day)["618加倍"]
    assert entry["Promo_Events[1,event]"] == "618" and entry["Promo_Events[1,multiplier]"] == 2
    assert entry["Promo_Events[2,event]"] is None  # the rows left blank: blank
    type_event(first_day, 0, {"multiplier": 3})
    type_event(first_day, 1, {**PEAK_618, "event": "七夕", "start": dt.datetime(2027, 8, 1),
                              "end": dt.datetime(2027, 8, 8)})  # fmt: skip
    operations.regenerate_file(first_day, today=TODAY)
    assert gmv_of(first_day, RETURN) / gmv_of(first_day, PLAIN) == pytest.approx(3.0, abs=1e-6)
    restored = operations.restore_scenario_file(first_day, "618加倍", today=TODAY)
    assert inputs_as_shown(first_day) == saved
    sheet, top, left = c.table_origin(c.PROMO_EVENTS)
    typed_again = [(0, "multiplier")] + [(1, col.key) for col in c.PROMO_EVENTS.columns]
    assert [f"{x.sheet}!{c.address(x.row, x.col)}" for x in restored.restoring.changes] == [
        f"{sheet}!{c.address(top + row, left + c.PROMO_EVENTS.column(key))}" for row, key in typed_again
    ]
    # the typed 618 weighs its last day twice a plain one again, and 七夕 is the typical one again
    assert gmv_of(first_day, RETURN) / gmv_of(first_day, PLAIN) == pytest.approx(2.0, abs=1e-6)
    qixi = {row["source"] for row in rows(first_day, c.EVENTS_IN_USE) if row["event"] == "七夕"}
    assert qixi == {"典型 typical"}


def test_compare_builds_a_scenario_with_its_own_events(first_day):  # noqa: F811
    type_event(first_day, 0, PEAK_618)
    operations.save_scenario_file(first_day, "618加倍", today=TODAY)
    type_event(first_day, 0, dict.fromkeys(PEAK_618))  # the row emptied: the typical 618 again
    operations.compare_scenarios_file(first_day, [], today=TODAY)
    entries = ledger(first_day, c.SCENARIO_COMPARE_LEDGER.name)
    window = Window(WindowKind.PEAK, dt.date(2027, 5, 25), dt.date(2027, 6, 20), 2)
    doubled, now = plan(events=(Event("618", (window,)),)), plan()
    for name, engine in (("618加倍", doubled), ("当前 / current", now)):
        for i, phase in enumerate(("P1", "P2", "P3", "P4")):
            assert entries[name][f"budget_{phase}"] == pytest.approx(
                engine.phases["budget"].iloc[i], abs=0.005
            )
    # budget windows (the typical 618's 5 days ahead) over May 8 – June 25, all in P3: the typed one
    # weighs 27 days × 2 + 22 plain = 76, the typical ones 7 × 1.1 + 30 × 1.6 + 7 × 0.9 + 5 plain = 67
    assert entries["618加倍 − 当前 / current"]["budget_P3"] > 0


def test_a_scenario_event_edited_wrong_is_named_on_the_scenarios_sheet(first_day):  # noqa: F811
    type_event(first_day, 0, PEAK_618)
    operations.save_scenario_file(first_day, "A", today=TODAY)
    multiplier = edit_scenario(first_day, "Promo_Events[1,multiplier]", 0)
    untouched = first_day.read_bytes()
    with pytest.raises(InputError) as refused:
        operations.restore_scenario_file(first_day, "A")
    assert [problem.where for problem in refused.value.problems] == [multiplier]
    assert first_day.read_bytes() == untouched


# ---------------------------------------------------------------- compare


def plan(**changes: object):
    """The first day's plan built by the engine from the required inputs and ``changes``."""
    required = {"category": "美妆", "stage": "成熟经营", "gmv_target": 50_000_000,
                "start_date": dt.date(2027, 1, 1), "baseline_aov": 120, "headcount": 10,
                "strategy": "销售转化"}  # fmt: skip
    assumptions = {k: v for k, v in changes.items() if k in {f.name for f in dataclasses.fields(Assumptions)}}
    inputs = {k: v for k, v in changes.items() if k not in assumptions}
    # as a new workbook: the typical promotion windows weigh the days
    assumptions = {"promo_calendar": PromoCalendar.TYPICAL, **assumptions}
    return build_plan(PlanInputs(**{**required, **inputs}, assumptions=Assumptions(**assumptions)))


@pytest.fixture
def three(first_day) -> Path:  # noqa: F811
    """基准 as typed; 高目标 with a GMV target of 60,000,000; 多储备 that and a 15 % reserve (the inputs
    now)."""
    operations.save_scenario_file(first_day, "基准", today=TODAY)
    type_inputs(first_day, {"GMV_Target": 60_000_000})
    operations.save_scenario_file(first_day, "高目标", today=TODAY)
    type_inputs(first_day, {"Reserve_Share": 0.15})
    operations.save_scenario_file(first_day, "多储备", today=TODAY)
    return first_day


def test_compare_sets_every_plan_beside_the_base_with_its_differences(three):
    compared = operations.compare_scenarios_file(three, [], base="基准", today=TODAY)
    entries = ledger(three, c.SCENARIO_COMPARE_LEDGER.name)
    assert list(entries) == ["当前 / current", "当前 / current − 基准", "基准", "高目标", "高目标 − 基准",
                             "多储备", "多储备 − 基准"]  # fmt: skip
    assert (
        entries["基准"]["heads"][1] == "基准 base"
        and entries["高目标 − 基准"]["heads"][1] == "差额 difference"
    )
    high, more = entries["高目标 − 基准"], entries["多储备 − 基准"]
    assert high["gmv_target"] == 10_000_000
    assert high["budget"] == 600_000  # 6 % of 10,000,000 more
    assert high["reserve"] == 60_000 and high["allocatable"] == 540_000
    assert high["ad_gmv"] == 1_350_000  # 540,000 × 2.5
    assert high["budget_P1"] == pytest.approx(600_000 * share(0, 30), abs=0.011)
    assert high["target_roi"] == 0 and high["breakeven_roi"] == 0
    assert more["budget"] == 600_000  # 3,600,000 − 3,000,000
    assert more["reserve"] == 240_000  # 15 % of 3,600,000 − 10 % of 3,000,000
    assert more["allocatable"] == 360_000  # 3,060,000 − 2,700,000
    assert entries["当前 / current − 基准"] == more | {"heads": entries["当前 / current − 基准"]["heads"]}
    assert compared.names == ["当前 / current", "基准", "高目标", "多储备"]


def test_compare_differences_are_the_engines_to_the_fen(three):
    operations.compare_scenarios_file(three, ["多储备", "高目标"], base="基准", today=TODAY)
    entries = ledger(three, c.SCENARIO_COMPARE_LEDGER.name)
    base = plan()
    for name, other in (("高目标", plan(gmv_target=60_000_000)),
                        ("多储备", plan(gmv_target=60_000_000, reserve_share=0.15))):  # fmt: skip
        for key in ("budget", "reserve", "allocatable", "feed", "search", "live"):
            expected = round(other.totals[key] * 100) - round(base.totals[key] * 100)
            assert round(entries[f"{name} − 基准"][key] * 100) == expected, (name, key)
        for i, phase in enumerate(("P1", "P2", "P3", "P4")):
            budgets = (other.phases["budget"].iloc[i], base.phases["budget"].iloc[i])
            assert round(entries[f"{name} − 基准"][f"budget_{phase}"] * 100) == round(
                budgets[0] * 100
            ) - round(budgets[1] * 100)
        assert entries[name]["budget"] == other.totals["budget"]
    assert list(entries)[2:] == ["基准", "多储备", "多储备 − 基准", "高目标", "高目标 − 基准"]  # as named


def test_compare_against_the_current_inputs_by_default(three):
    compared = operations.compare_scenarios_file(three, ["基准"], today=TODAY)
    entries = ledger(three, c.SCENARIO_COMPARE_LEDGER.name)
    assert compared.base == "当前 / current" and list(entries) == [
        "当前 / current",
        "基准",
        "基准 − 当前 / current",
    ]
    assert entries["基准 − 当前 / current"]["budget"] == -600_000
    assert entries["当前 / current"]["heads"][1] == "基准 base"


def test_a_ledger_whose_name_was_deleted_is_named_and_changes_nothing(first_day):  # noqa: F811
    delete_defined_name(first_day, c.SCENARIO_LEDGER.name)
    untouched = first_day.read_bytes()
    with pytest.raises(ScenarioError) as refused:
        operations.save_scenario_file(first_day, "A", today=TODAY)
    assert (
        "「情景」表的定义名称 Scenarios" in refused.value.zh
        and "Scenarios of the 情景 sheet" in refused.value.en
    )
    assert first_day.read_bytes() == untouched


def test_compare_without_a_saved_scenario_says_to_save_one_and_changes_nothing(first_day):  # noqa: F811
    untouched = first_day.read_bytes()
    with pytest.raises(ScenarioError) as refused:
        operations.compare_scenarios_file(first_day, [], today=TODAY)
    assert "dyplan scenario save" in refused.value.zh and "save one first" in refused.value.en
    assert first_day.read_bytes() == untouched


def test_a_second_compare_replaces_the_first_whole(three):
    operations.compare_scenarios_file(three, [], base="基准", today=TODAY)
    operations.compare_scenarios_file(three, ["高目标"], today=TODAY)
    rows = named_values(three, c.SCENARIO_COMPARE_LEDGER.name)
    assert [len(rows[0]), len(rows)] == [3 + 3, 2 + len(c.SCENARIO_COMPARE_LEDGER.rows)]
    placed = c.placed(c.SCENARIO_COMPARE_LEDGER.name)  # the first head row, the key column
    ws = load_workbook(three)[placed.sheet.name]
    rows_under = range(placed.first_row, placed.first_row + len(rows))
    left_over = [ws.cell(r, k).value for r in rows_under for k in range(placed.col + 6, placed.col + 8)]
    assert left_over == [None] * len(left_over)  # the first comparison's last two columns, cleared


def test_the_finished_plan_carries_the_comparison_and_never_the_scenarios(three, tmp_path):
    finished = tmp_path / "方案.xlsx"
    operations.export_file(three, finished, today=TODAY)
    assert {c.SCENARIOS.name, c.SCENARIO_COMPARE.name} & set(load_workbook(finished).sheetnames) == set()
    operations.compare_scenarios_file(three, [], base="基准", today=TODAY)
    operations.export_file(three, finished.with_name("方案2.xlsx"), today=TODAY)
    carried = finished.with_name("方案2.xlsx")
    assert c.SCENARIOS.name not in load_workbook(carried).sheetnames
    name = c.SCENARIO_COMPARE_LEDGER.name
    kept, shown = ledger(three, name), ledger(carried, name)
    assert list(shown) == list(kept)
    for entry, values in kept.items():  # XlsxWriter keeps 15 digits of a ratio (2.22222222222222)
        assert shown[entry] == {
            k: v if isinstance(v, list | str) else pytest.approx(v) for k, v in values.items()
        }
