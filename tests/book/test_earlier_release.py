"""Planning workbooks made by earlier releases keep working after an upgrade.

Each ``earlier_release/demo-imported-<commit>.xlsx`` was made by dyplan at that commit, as a user of
that release made it: ``dyplan new --demo``, a regenerate on 2027-02-20, then an import of
``report_lines()`` (40 days of one campaign). Release a6bdea6 kept the risk forecast block at a fixed
90 rows, the history at its bottom; today the block is as long as its data, so that earlier block is
laid out anew. Neither release had the break-even and optimiser assumptions, nor the cells that show
break-even and net ROI: the engine takes the defaults, and regenerate says so once. Nor had either release
the 情景, 情景对比 and 基线 sheets: such a workbook works on without them, and the commands that
need them say so and change nothing.
"""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.workbook import ContractError
from dyplan.cli import app
from dyplan.demo import demo_inputs
from dyplan.errors import DyplanError
from tests.book.conftest import delete_defined_name, named_values
from tests.reports import samples as s
from tests.reports.samples import Line

RELEASES = ("a6bdea6", "f98e1c7")
FOLDER = Path(__file__).parent / "earlier_release"
TODAY = dt.date(2027, 2, 20)
START = dt.date(2027, 1, 1)
#: The names those releases had no cell or table for.
NEWER = {cell.name for p in c.PLACED for cell in getattr(p.block, "cells", ()) if cell.optional} | {
    p.block.name for p in c.PLACED if isinstance(p.block, c.Grid | c.Table) and p.block.optional
}


def report_lines(days: range = range(40)) -> list[Line]:
    return [
        Line(START + dt.timedelta(days=d), "春季新品-短视频-01", 100_000 + 1000 * (d % 7), 50_000 + 300 * d,
             700 + 5 * (d % 5), 20, 250_000 + 2000 * (d % 3), 20, "短视频")
        for d in days
    ]  # fmt: skip


@pytest.fixture(params=RELEASES)
def earlier(request, tmp_path: Path) -> Path:
    """A copy of the workbook that release made."""
    return shutil.copyfile(FOLDER / f"demo-imported-{request.param}.xlsx", tmp_path / "earlier.xlsx")


def _held_inputs(path: Path) -> dict[str, object]:
    with c.without(sheet.name for sheet in c.LATER_SHEETS):  # the earlier release's cells
        return {cell.name: named_values(path, cell.name) for cell in c.input_cells() if not cell.optional}


def _sheet_values(path: Path, sheet: str) -> dict[str, object]:
    return {cell.coordinate: cell.value for row in load_workbook(path)[sheet].iter_rows() for cell in row}


def test_an_earlier_releases_workbook_regenerates_as_a_new_one_with_the_same_data(earlier, tmp_path):
    inputs_before = _held_inputs(earlier)
    regenerated = operations.regenerate_file(earlier, today=TODAY)
    assert regenerated.replaced == []  # laying a block out anew is no value typed over

    fresh = tmp_path / "fresh.xlsx"
    operations.new_workbook(fresh, demo_inputs())
    operations.import_files(fresh, [s.write_csv(tmp_path / "r.csv", s.table(report_lines(), s.PLATFORM))])
    operations.regenerate_file(fresh, today=TODAY)

    forecast = named_values(earlier, c.RISK_FORECAST.name)
    assert len(forecast) > 2 and forecast == named_values(fresh, c.RISK_FORECAST.name)
    # nothing of an earlier, longer block is left below it
    sheet, top, left = c.table_origin(c.RISK_FORECAST)
    below = _cells(earlier, sheet, top + len(forecast) - 1, left, 91, len(c.RISK_FORECAST.columns))
    assert all(v is None for row in below for v in row)
    assert _held_inputs(earlier) == inputs_before
    # the defaults: 1 ÷ (50 % × 90 %) = 2.22, as on a new workbook
    assert regenerated.plan.breakeven_roi == pytest.approx(1 / 0.45)
    assert named_values(fresh, "Breakeven_ROI") == pytest.approx(1 / 0.45)


def test_an_earlier_releases_workbook_lacks_the_newer_cells_and_nothing_is_written_where_they_would_be(
    earlier,
):
    assumptions = _sheet_values(earlier, c.ASSUMPTIONS.name)
    regenerated = operations.regenerate_file(earlier, today=TODAY)
    assert regenerated.absent == NEWER
    names = load_workbook(earlier).defined_names
    assert not NEWER & set(names)  # no name is added to a layout that has no place for it
    # 假设 holds only what the user typed; 评估's new line would sit below the KPIs, where nothing is
    assert _sheet_values(earlier, c.ASSUMPTIONS.name) == assumptions
    sheet, top, _ = c.table_origin(c.KPI_TABLE)
    below = load_workbook(earlier)[sheet].iter_rows(min_row=top + (c.KPI_TABLE.rows or 0))
    assert [cell.coordinate for row in below for cell in row if cell.value is not None] == []


def test_regenerate_says_once_which_new_assumptions_an_earlier_workbook_has_no_cell_for(earlier):
    result = CliRunner().invoke(app, ["regenerate", str(earlier)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # rich wraps long lines
    assert said.count("较早的版本") == 1 and said.count("earlier release") == 1
    for label in ("毛利率 50%", "退款率 10%", "曲线饱和度 0.5", "渠道占比浮动 15%", "响应曲线",
                  "gross margin 50%", "refund rate 10%", "least daily spend", "dyplan new"):  # fmt: skip
        assert label in said, label
    assert "Traceback" not in result.output


def test_a_missing_name_of_the_earlier_layout_is_still_damage(earlier):
    delete_defined_name(earlier, "Tolerance")
    with pytest.raises(ContractError) as refused:
        operations.check_file(earlier)
    assert "Tolerance" in refused.value.en and "but it is missing" in refused.value.en
    assert not any(name in refused.value.en for name in NEWER)  # the newer names are no damage


def test_an_earlier_releases_workbook_checks_imports_and_exports(earlier, tmp_path):
    assert operations.check_file(earlier).totals["budget"] > 0
    # ten more days of the same campaign: 40 + 10 days of data
    more = s.write_csv(tmp_path / "more.csv", s.table(report_lines(range(40, 50)), s.PLATFORM))
    imported, _ = operations.import_files(earlier, [more])
    assert imported.absent == NEWER
    assert named_values(earlier, "Actuals_Days") == 50
    finished = tmp_path / "方案.xlsx"
    operations.export_file(earlier, finished, today=TODAY)
    assert named_values(finished, "Actuals_Days") == 50
    # the finished plan is laid out anew: it shows the defaults and what they give
    assert named_values(finished, "Gross_Margin") == 0.5 and named_values(finished, "Refund_Rate") == 0.1
    assert named_values(finished, "Breakeven_ROI") == pytest.approx(1 / 0.45)
    assert named_values(finished, "Actuals_Net_ROI") == "无净成交数据 / no net GMV reported"


def _cells(path: Path, sheet: str, row: int, col: int, rows: int, cols: int) -> list[list[object]]:
    ws = load_workbook(path)[sheet]
    return [[ws.cell(r, k).value for k in range(col, col + cols)] for r in range(row, row + rows)]


runner = CliRunner()
#: The words that say, once, that the sheets added since are missing (and how to see them).
ABSENT = (
    "没有「优化建议」、「重新规划」、「投放设置」、「情景」、「情景对比」、"
    "「基线」、「敏感性」工作表（未添加）"
)


def test_an_earlier_releases_workbook_leaves_out_the_later_sheets_and_says_so_once(earlier, tmp_path):
    sheets = load_workbook(earlier).sheetnames
    assert not {s.name for s in c.LATER_SHEETS} & set(sheets)
    report = s.write_csv(tmp_path / "r.csv", s.table(report_lines(), s.PLATFORM))
    for command in (["regenerate", str(earlier)], ["import-report", str(earlier), str(report)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
        said = " ".join(result.output.split())  # rich wraps long lines
        assert said.count(ABSENT) == 1 and said.count("较早的版本") == 1 and "dyplan new" in said
        assert "has no 优化建议 / 重新规划 / 投放设置 / 情景 / 情景对比 / 基线 / 敏感性 sheet(s)" in said
    assert load_workbook(earlier).sheetnames == sheets  # no sheet is ever added to a user's file
    finished = tmp_path / "方案.xlsx"
    operations.export_file(earlier, finished, today=TODAY)  # the finished plan has the plan's
    assert {c.OPTIMISE.name, c.REPLAN.name, c.SETTINGS.name} <= set(load_workbook(finished).sheetnames)


def test_a_new_workbook_says_nothing_of_missing_sheets(demo_path):
    result = runner.invoke(app, ["regenerate", str(demo_path)])
    assert result.exit_code == 0 and ABSENT not in result.output


def test_a_later_sheet_present_with_a_damaged_name_is_refused_as_any_block(regenerated_path):
    delete_defined_name(regenerated_path, "Settings_Days")
    before = regenerated_path.read_bytes()
    result = runner.invoke(app, ["regenerate", str(regenerated_path)])
    assert result.exit_code == 1 and "Settings_Days" in result.output and "but it is missing" in result.output
    assert regenerated_path.read_bytes() == before


@pytest.mark.parametrize(
    ("command", "feature"),
    [
        (lambda path: operations.save_scenario_file(path, "方案A", today=TODAY), "scenarios"),
        (operations.list_scenarios_file, "scenarios"),
        (lambda path: operations.restore_scenario_file(path, "方案A"), "scenarios"),
        (lambda path: operations.delete_scenario_file(path, "方案A"), "scenarios"),
        (lambda path: operations.compare_scenarios_file(path, []), "scenarios"),
        (lambda path: operations.freeze_baseline_file(path, today=TODAY), "the baseline"),
        (lambda path: operations.sensitivity_file(path, {}, today=TODAY), "sensitivity tables"),
    ],
    ids=["save", "list", "restore", "delete", "compare", "freeze", "sensitivity"],
)
def test_scenario_baseline_and_sensitivity_commands_refuse_an_earlier_releases_workbook_untouched(
    earlier, command, feature
):
    before = earlier.read_bytes()
    with pytest.raises(DyplanError) as refused:
        command(earlier)
    assert "较早版本" in refused.value.zh and "dyplan new" in refused.value.zh
    assert f"predates {feature}" in refused.value.en and "`dyplan new`" in refused.value.en
    assert earlier.read_bytes() == before
