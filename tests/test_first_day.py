"""A user's first day: a blank workbook (no --demo), only the 7 required inputs typed.

Nothing else is typed: no risk value, no actual, the matrix keeps its illustrative ratings.
Every blank is unknown, not 0, so it must come out blank (never "None", never a crash) from
check, regenerate, export and import-report alike. Expected numbers are worked out from
docs/planning-rules.md with the default assumptions of a fresh template.
"""

import datetime as dt
import itertools
import re
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from typer.testing import CliRunner

from dyplan import operations
from dyplan.book import contract as c
from dyplan.cli import app
from dyplan.errors import InputError
from dyplan.model.risk import INDICATOR_KEYS
from tests.book.conftest import TODAY, named_values, set_cells, table_cell
from tests.promo_windows import weight
from tests.reports import samples as s
from tests.reports.samples import Line

START = dt.date(2027, 1, 1)
#: The 7 inputs the guide asks for, by defined name, typed as a user types them.
REQUIRED = {
    "Category": "美妆",
    "Stage": "成熟经营",
    "GMV_Target": 50_000_000,
    "Start_Date": START,
    "Baseline_AOV": 120,
    "Headcount": 10,
    "Strategy": "销售转化",
}
#: How a blank leaking into a cell or message, or a crash, would read.
LEAKS = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|Traceback")


@pytest.fixture
def first_day(tmp_path: Path) -> Path:
    path = tmp_path / "2027年投放规划.xlsx"
    operations.new_workbook(path, None)
    set_cells(path, REQUIRED)
    return path


def rows(path: Path, table: c.Table, data_only: bool = False) -> list[dict]:
    """A table's data rows as column key → value (its defined name spans the header too)."""
    keys = [column.key for column in table.columns]
    found = [dict(zip(keys, row, strict=True)) for row in named_values(path, table.name, data_only)[1:]]
    return [row for row in found if any(v not in (None, "") for v in row.values())]


def leaks(path: Path) -> list[str]:
    """Every cell whose text shows a missing value as None / nan (formulas excluded)."""
    wb = load_workbook(path)
    return [
        f"{ws.title}!{cell.coordinate}: {cell.value}"
        for ws in wb
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and not cell.value.startswith("=") and LEAKS.search(cell.value)
    ]


# Three days of two campaigns, as the platform exports them; the live campaign sells nothing
# on 1月2日, so the export leaves its GMV blank and shows its orders as "-".
REPORT = [
    Line(START, "春季新品-短视频-01", 123_456, 52_000, 780, 21, 289_000, 20, "短视频"),
    Line(START, "品牌直播间-晚场", 80_000, 21_000, 300, 6, 125_050, 9, "直播"),
    Line(dt.date(2027, 1, 2), "春季新品-短视频-01", 150_000, 60_000, 900, 25, 360_040, 26, "短视频"),
    Line(dt.date(2027, 1, 2), "品牌直播间-晚场", 65_025, 15_500, 210, 0, 0, 0, "直播"),
    Line(dt.date(2027, 1, 3), "春季新品-短视频-01", 142_010, 58_300, 850, 22, 312_000, 24, "短视频"),
    Line(dt.date(2027, 1, 3), "品牌直播间-晚场", 72_000, 18_000, 260, 5, 98_000, 7, "直播"),
]
# 1,234.56 + 800.00 + 1,500.00 + 650.25 + 1,420.10 + 720.00 = 6,324.91
SPEND = 6_324.91
# 2,890.00 + 1,250.50 + 3,600.40 + 0 + 3,120.00 + 980.00 = 11,840.90
GMV = 11_840.90


def write_report(folder: Path) -> Path:
    rows_ = s.table(REPORT, s.PLATFORM, titles=("千川推广数据", "时间：2027-01-01 至 2027-01-03"))
    return s.write_csv(folder / "千川报表.csv", rows_)


def assert_plan_numbers(path: Path) -> None:
    """The budget numbers of a mature 美妆 shop with 50,000,000 GMV, flat seasonality, 6 %, the typical
    promotion windows."""
    assert named_values(path, "Total_Budget") == pytest.approx(3_000_000, abs=0.005)  # 50,000,000 × 6 %
    assert named_values(path, "Reserve_Total") == pytest.approx(300_000, abs=0.005)  # 3,000,000 × 10 %
    # 3,000,000 − 300,000
    assert named_values(path, "Allocatable_Total") == pytest.approx(2_700_000, abs=0.005)
    assert named_values(path, "GMV_Total") == pytest.approx(50_000_000, abs=0.005)
    assert named_values(path, "Target_CPA") == pytest.approx(48)  # AOV 120 ÷ target ROI 2.5

    phases = rows(path, c.PHASE_TABLE)
    # sub-phases 7+10+13, 15+20+25, 30+30+30, and the rest of the year: 365 − 180 = 185
    assert [p["days"] for p in phases] == [30, 60, 90, 185]
    assert sum(p["days"] for p in phases) == 365
    # One ratio all year (6 %): each phase gets 3,000,000 × its days' budget weights ÷ the year's, the
    # weights those of the typical promotion windows a new workbook starts with (planning-rules 2.3),
    # each day's window moved by its budget lead; to the fen (largest remainder: within a fen of it)
    weights = [weight(START + dt.timedelta(days=d), budget=True) for d in range(365)]
    ends = [0, 30, 90, 180, 365]
    shares = [3_000_000 * sum(weights[a:b]) / sum(weights) for a, b in itertools.pairwise(ends)]
    assert [p["budget"] for p in phases] == pytest.approx([float(x) for x in shares], abs=0.01)
    assert sum(p["reserve"] for p in phases) == pytest.approx(300_000, abs=0.005)

    daily = rows(path, c.DAILY_PLAN)
    assert len(daily) == 365
    assert daily[0]["date"].date() == START and daily[-1]["date"].date() == dt.date(2027, 12, 31)
    assert sum(d["budget"] for d in daily) == pytest.approx(3_000_000, abs=0.005)
    for d in daily:  # every day: feed + search + live = allocatable = budget − reserve
        split = d["feed"] + d["search"] + d["live"]
        assert split == pytest.approx(d["budget"] - d["reserve"], abs=0.005), d["date"]

    # 10 heads at 5 : 3 : 2 → 5 / 3 / 2; each pair of roles splits evenly, the odd one first
    assert [t["headcount"] for t in rows(path, c.TEAM_TABLE)] == [3, 2, 2, 1, 2]


def assert_nothing_known_reads_blank(path: Path) -> None:
    """No risk value typed: no score, no index (—), no alert; the matrix keeps its example ratings."""
    risk = rows(path, c.RISK_TABLE)
    assert len(risk) == 15
    assert all(r["value"] is None and r["score"] == "—" for r in risk)
    assert named_values(path, "Risk_Index") == "—"
    assert named_values(path, "Risk_Level") == "—"
    assert [a["fired"] for a in rows(path, c.ALERTS_TABLE)] == ["否"] * 5
    # illustrative ratings 4×4, 3×4, 4×3, 3×3, 2×5; bands 5 / 10 / 20
    matrix = rows(path, c.MATRIX_TABLE)
    assert [m["score"] for m in matrix] == [16, 12, 12, 9, 10]
    assert [m["level_zh"] for m in matrix] == ["高", "高", "高", "中", "高"]


def assert_checkpoints_unknown(path: Path) -> None:
    """Nothing measured by 2027-02-20 (plan day 51): no data or pending, never missed.

    Due by day 51: P1's six (days 7, 17, 17, 30, 30, 30) and P2's CPC (day 45); the other
    44 of the 6 + 5 + 5 + 7 × 5 = 51 are still pending.
    """
    statuses = [r["status"] for r in rows(path, c.CHECKPOINTS_TABLE)]
    assert len(statuses) == 51
    assert statuses.count("缺数据") == 7
    assert statuses.count("待评估") == 44


def assert_actuals(path: Path) -> None:
    assert named_values(path, "Actuals_Days") == 3
    assert named_values(path, "Actuals_Through").date() == dt.date(2027, 1, 3)
    assert named_values(path, "Actuals_Spend") == pytest.approx(SPEND, abs=0.005)
    assert named_values(path, "Actuals_GMV") == pytest.approx(GMV, abs=0.005)
    assert named_values(path, "Actuals_ROI") == pytest.approx(1.87)  # 11,840.90 ÷ 6,324.91 = 1.872

    daily = rows(path, c.ACTUALS_DAILY)
    assert len(daily) == 6  # 3 days × 2 channels
    assert sum(r["spend"] for r in daily) == pytest.approx(SPEND, abs=0.005)
    assert sum(r["gmv"] or 0 for r in daily) == pytest.approx(GMV, abs=0.005)
    # 52,000 + 21,000 + 60,000 + 15,500 + 58,300 + 18,000
    assert sum(r["impressions"] for r in daily) == 224_800
    assert sum(r["clicks"] for r in daily) == 3_300  # 780 + 300 + 900 + 210 + 850 + 260
    assert sum(r["orders"] or 0 for r in daily) == 86  # 20 + 9 + 26 + 0 + 24 + 7

    p1 = rows(path, c.PHASE_TRACKING)[0]
    assert p1["spend"] == pytest.approx(SPEND, abs=0.005)
    # days 1–3 are in 年货节's pre-heat once moved by its 3-day budget lead (×1.1): 2,700,000 × 3 × 1.1 ÷
    # the year's budget weights, each day rounded to the fen
    weights = sum(weight(START + dt.timedelta(days=d), budget=True) for d in range(365))
    assert p1["plan_to_date"] == pytest.approx(float(2_700_000 * 3 * Fraction("1.1") / weights), abs=0.03)
    assert p1["roi"] == pytest.approx(GMV / SPEND)
    assert p1["ctr"] == pytest.approx(3_300 / 224_800)


def test_first_day_inputs_only_check_regenerate_export_import_give_the_rules_numbers(first_day, tmp_path):
    plan = operations.check_file(first_day)
    assert plan.totals["budget"] == pytest.approx(3_000_000, abs=0.005)  # 50,000,000 × 6 %

    operations.regenerate_file(first_day, today=TODAY)
    assert_plan_numbers(first_day)
    assert_nothing_known_reads_blank(first_day)
    assert_checkpoints_unknown(first_day)
    assert named_values(first_day, "Actuals_Days") == 0
    assert named_values(first_day, "Actuals_ROI") is None  # no spend yet: no ROI, not 0
    assert leaks(first_day) == []

    finished = tmp_path / "2027年投放方案.xlsx"
    operations.export_file(first_day, finished, today=TODAY)
    assert named_values(finished, "Cover_Budget", data_only=True) == pytest.approx(3_000_000, abs=0.005)
    assert named_values(finished, "Cover_Risk", data_only=True) == "—"
    assert leaks(finished) == []

    operations.import_files(first_day, [write_report(tmp_path)])
    assert_actuals(first_day)

    operations.regenerate_file(first_day, today=TODAY)  # actuals are read back from the sheet
    assert_actuals(first_day)
    assert_plan_numbers(first_day)
    # 3 days are too few for the derived indicators (21 needed): risk stays unknown
    assert_nothing_known_reads_blank(first_day)
    # the data ends on day 3, before every checkpoint: none is measured
    assert_checkpoints_unknown(first_day)
    assert leaks(first_day) == []


def test_first_day_scenarios_compared_and_a_baseline_frozen_show_every_blank_as_blank(first_day, tmp_path):
    operations.save_scenario_file(first_day, "起点", today=TODAY)
    set_cells(first_day, {"GMV_Target": 60_000_000, "Shop_Name": "我的店"})
    operations.save_scenario_file(first_day, "高目标", today=TODAY)
    compared = operations.compare_scenarios_file(first_day, [], base="起点", today=TODAY)
    figures = compared.table.set_index("key")
    assert figures.at["budget", "高目标 − 起点"] == 600_000  # 6 % of 10,000,000 more
    assert figures.at["reserve", "高目标 − 起点"] == 60_000  # and 10 % of that
    operations.freeze_baseline_file(first_day, today=TODAY)
    operations.import_files(first_day, [write_report(tmp_path)])
    restored = operations.restore_scenario_file(first_day, "起点", today=TODAY)
    assert [str(change).split(":")[0] for change in restored.restoring.changes] == [
        location(first_day, "Shop_Name"),
        location(first_day, "GMV_Target"),
    ]
    assert "我的店 → （空 blank）" in str(restored.restoring.changes[0])
    assert_plan_numbers(first_day)
    assert leaks(first_day) == []
    finished = tmp_path / "2027年投放方案.xlsx"
    operations.export_file(first_day, finished, today=TODAY)
    assert {c.SCENARIO_COMPARE.name, c.BASELINE.name} <= set(load_workbook(finished).sheetnames)
    assert leaks(finished) == []


def test_first_day_one_typed_risk_value_is_the_whole_index(first_day):
    # conversion_cost is a change indicator (anchors 0 %, 15 %, 30 %): 18 % scores
    # 50 + 50 × (18 − 15) ÷ (30 − 15) = 60; the 14 blank ones drop out with their weights.
    conversion_cost = INDICATOR_KEYS.index("conversion_cost")
    table_cell(first_day, c.RISK_TABLE, conversion_cost, "value", 0.18)
    operations.regenerate_file(first_day, today=TODAY)

    scores = [r["score"] for r in rows(first_day, c.RISK_TABLE)]
    assert scores[conversion_cost] == pytest.approx(60)
    assert scores.count("—") == 14  # no score
    assert named_values(first_day, "Risk_Index") == pytest.approx(60)
    assert named_values(first_day, "Risk_Level") == "高"  # 50 ≤ 60 < 70
    assert leaks(first_day) == []


runner = CliRunner()


def test_first_day_through_the_cli_exits_0_without_traceback(tmp_path):
    workbook, finished = tmp_path / "plan.xlsx", tmp_path / "done.xlsx"
    result = runner.invoke(app, ["new", str(workbook)])
    assert result.exit_code == 0, result.output
    set_cells(workbook, REQUIRED)
    report = write_report(tmp_path)
    for command in (
        ["check", str(workbook)],
        ["regenerate", str(workbook)],
        ["export", str(workbook), "--out", str(finished)],
        ["import-report", str(workbook), str(report)],
        ["regenerate", str(workbook)],
    ):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, (command, result.output)
        assert not LEAKS.search(result.output), (command, result.output)
    assert "¥3,000,000.00" in result.output  # 50,000,000 × 6 %
    assert named_values(workbook, "Actuals_Spend") == pytest.approx(SPEND, abs=0.005)


def location(path: Path, name: str) -> str:
    """sheet!cell of a defined name, read from the workbook file itself."""
    sheet, ref = next(load_workbook(path).defined_names[name].destinations)
    return f"{sheet}!{ref.replace('$', '')}"


def table_location(path: Path, table: c.Table, row: int, key: str) -> str:
    """sheet!cell of a table's data cell, from its defined name (which starts at the header)."""
    sheet, ref = next(load_workbook(path).defined_names[table.name].destinations)
    left, header, _, _ = range_boundaries(ref.replace("$", ""))
    return f"{sheet}!{get_column_letter(left + table.column(key))}{header + 1 + row}"


def assert_blank_reported(error: InputError, where: str) -> None:
    assert [p.where for p in error.problems] == [where]
    problem = error.problems[0]
    assert "当前为空" in problem.zh and "got blank" in problem.en
    for text in (problem.zh, problem.en, str(error), str(problem)):
        assert "None" not in text


@pytest.mark.parametrize("blank", list(REQUIRED))
def test_first_day_one_required_input_blank_names_its_cell_and_says_blank(tmp_path, blank):
    path = tmp_path / "plan.xlsx"
    operations.new_workbook(path, None)
    set_cells(path, {name: value for name, value in REQUIRED.items() if name != blank})
    with pytest.raises(InputError) as raised:
        operations.check_file(path)
    assert_blank_reported(raised.value, location(path, blank))


@pytest.mark.parametrize(
    ("table", "row", "key"),
    [(c.MATRIX_TABLE, 0, "probability"), (c.MATRIX_TABLE, 4, "impact")],
    ids=["probability", "impact"],
)
def test_first_day_cleared_matrix_rating_names_its_cell_and_says_blank(first_day, table, row, key):
    table_cell(first_day, table, row, key, None)
    with pytest.raises(InputError) as raised:
        operations.check_file(first_day)
    assert_blank_reported(raised.value, table_location(first_day, table, row, key))


def test_first_day_cleared_assumption_names_its_cell_and_says_blank(first_day):
    set_cells(first_day, {"Tolerance": None})
    with pytest.raises(InputError) as raised:
        operations.check_file(first_day)
    assert_blank_reported(raised.value, location(first_day, "Tolerance"))


def test_first_day_cli_check_with_a_blank_input_says_blank_not_none(tmp_path):
    workbook = tmp_path / "plan.xlsx"
    operations.new_workbook(workbook, None)
    set_cells(workbook, {name: value for name, value in REQUIRED.items() if name != "Headcount"})
    result = runner.invoke(app, ["check", str(workbook)])
    assert result.exit_code == 1
    assert location(workbook, "Headcount") in result.output
    assert "当前为空" in result.output and "got blank" in result.output
    assert not LEAKS.search(result.output), result.output


def test_export_shows_the_inputs_as_the_engine_read_them(first_day, tmp_path):
    """Typed as text with a currency sign and separators, or with spaces around a choice, an input
    shows in the finished plan as the value the plan was built from."""
    set_cells(first_day, {"GMV_Target": "¥50,000,000", "Baseline_AOV": "120元", "Category": " 美妆 "})
    out = tmp_path / "方案.xlsx"
    operations.export_file(first_day, out, TODAY)
    assert named_values(out, "GMV_Target") == 50_000_000
    assert named_values(out, "Baseline_AOV") == 120
    assert named_values(out, "Category") == "美妆"
    # the budget is that of the numbers: 6 % of 50,000,000 (mature, the default ratio)
    assert named_values(out, "Total_Budget", data_only=True) == pytest.approx(3_000_000, abs=0.01)


def test_a_ratio_outside_the_seed_range_is_flagged_beside_it_and_on_the_cover(first_day, tmp_path):
    """8 % is allowed for a mature shop but outside the seed's 5 %–7 %: the 假设 cell turns orange
    where it is outside that range, and the finished plan's cover says so."""
    set_cells(first_day, {"Ratio_Mature": 0.08})
    out = tmp_path / "方案.xlsx"
    operations.export_file(first_day, out, TODAY)
    assert "⚠ 超出常用范围" in named_values(out, "Cover_Ratios")
    for path in (first_day, out):
        book = load_workbook(path)
        sheet, ref = next(iter(book.defined_names["Ratio_Mature"].destinations))
        cell = ref.replace("$", "")
        rules = [rule for area in book[sheet].conditional_formatting if cell in area.sqref
                 for rule in area.rules]  # fmt: skip
        assert [(r.operator, r.formula) for r in rules] == [("notBetween", ["0.05", "0.07"])]


def test_a_ratio_inside_the_seed_range_is_not_flagged(first_day, tmp_path):
    out = tmp_path / "方案.xlsx"
    operations.export_file(first_day, out, TODAY)  # the default 6 % of a mature shop
    assert "⚠" not in named_values(out, "Cover_Ratios")
