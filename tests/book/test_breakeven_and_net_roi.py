"""Break-even and net ROI in the workbook: typed on a first day's workbook (a blank workbook, only the
required inputs typed, through defined names), computed by regenerate, live in the .xlsm, and read
from reports that carry 净成交金额 (net GMV). Expected numbers are worked out by hand from
docs/planning-rules.md (5.1 break-even, 3.19 net ROI)."""

import re

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

from dyplan import operations
from dyplan.book import contract as c
from dyplan.cli import app
from tests.book.conftest import TODAY, named_values, set_cells
from tests.made_books import type_inputs
from tests.reports.test_real_exports import uni_live_path, uni_product_path
from tests.test_first_day import REQUIRED, first_day, rows  # noqa: F401 (fixture)

runner = CliRunner()


def where(name: str) -> str:
    sheet, row, col = c.cell_of(name)
    return f"{sheet}!{c.address(row, col)}"


def rules_at(path, sheet: str, row: int, col: int) -> list[str]:
    """The formulas of the conditional formats over a cell."""
    ws, cell = load_workbook(path)[sheet], c.address(row, col)
    return [
        f for area in ws.conditional_formatting if cell in area.sqref for r in area.rules for f in r.formula
    ]


def target_of(table: c.Table) -> tuple[str, int, int]:
    """A table's first target cell."""
    sheet, top, left = c.table_origin(table)
    return sheet, top, left + table.column("target")


def test_the_defaults_break_even_at_2_22_and_the_target_clears_it(first_day):  # noqa: F811
    operations.regenerate_file(first_day, today=TODAY)
    assert named_values(first_day, "Gross_Margin") == 0.5 and named_values(first_day, "Refund_Rate") == 0.1
    assert named_values(first_day, "Breakeven_ROI") == pytest.approx(2.2222222222)  # 1 ÷ (0.5 × 0.9)
    check = named_values(first_day, "Breakeven_Check")
    assert check.startswith("目标ROI 2.5 不低于保本ROI 2.22") and "target ROI 2.5 ≥ break-even 2.22" in check
    assert not any(row["basis"].startswith("⚠") for row in rows(first_day, c.CHECKPOINTS_TABLE))


def test_a_typed_margin_and_refund_rate_move_break_even_and_flag_every_roi_target(first_day, tmp_path):  # noqa: F811
    # 30 % margin, no refunds: 1 ÷ (0.30 × 1) = 3.333…, above the target ROI 2.5
    set_cells(first_day, {"Gross_Margin": 0.3, "Refund_Rate": 0})
    operations.regenerate_file(first_day, today=TODAY)
    assert named_values(first_day, "Breakeven_ROI") == pytest.approx(10 / 3)
    for name in ("Breakeven_Check", "KPI_Breakeven_Check"):
        zh, en = named_values(first_day, name).split("\n")
        assert zh.startswith("⚠ 目标ROI 2.5 低于保本ROI 3.33") and "每单亏损" in zh, name
        assert en.startswith("⚠ target ROI 2.5 < break-even 3.33") and "loses money" in en, name
    checkpoints = rows(first_day, c.CHECKPOINTS_TABLE)
    flagged = [row["metric_en"] for row in checkpoints if row["basis"].startswith("⚠")]
    # the P2 ROI checkpoint and one in each of P4's 7 cycles
    assert flagged == ["ROI"] * 8 and sum(row["metric_en"] == "ROI" for row in checkpoints) == 8
    assert all("3.33" in row["basis"] for row in checkpoints if row["metric_en"] == "ROI")
    # the targets turn red whenever 保本ROI is above them (Excel recomputes it): where the target ROI is
    # typed, and in each ROI row of the checkpoints and the KPIs
    sheet, top, col = c.grid_origin(c.grid_of("checkpoint_targets"))
    roi = top + [key for key, _, _ in c.grid_of("checkpoint_targets").rows].index("roi")
    assert rules_at(first_day, sheet, roi, col) == [f"{c.address(roi, col)}<Breakeven_ROI"]
    for table, label in ((c.CHECKPOINTS_TABLE, "metric_en"), (c.KPI_TABLE, "kpi_en")):
        sheet, row, col = target_of(table)
        label_column = get_column_letter(c.table_origin(table)[2] + table.column(label))
        expected = f'AND(${label_column}{row}="ROI",{c.address(row, col)}<Breakeven_ROI)'
        assert rules_at(first_day, sheet, row, col) == [expected], table.name

    finished = tmp_path / "方案.xlsx"
    operations.export_file(first_day, finished, today=TODAY)
    assert named_values(finished, "Cover_Breakeven_ROI") == pytest.approx(10 / 3)
    assert named_values(finished, "Cover_ROI") == 2.5
    assert "低于保本ROI 3.33" in named_values(finished, "Cover_Two_ROIs")
    sheet, row, col = c.cell_of("Cover_ROI")
    assert rules_at(finished, sheet, row, col) == [f"{c.address(row, col)}<Cover_Breakeven_ROI"]

    said = " ".join(runner.invoke(app, ["check", str(first_day)]).output.split())
    assert "目标ROI 2.5 低于保本ROI 3.33" in said and "under the break-even ROI 3.33" in said


@pytest.mark.parametrize(
    ("name", "value", "zh", "en"),
    [
        ("Gross_Margin", 1.5, "毛利率应为 0%（不含）至 100% 之间的数，当前为 1.5",
         "gross margin must be a number above 0 and at most 100 %, got 1.5"),
        ("Gross_Margin", None, "毛利率应为 0%（不含）至 100% 之间的数，当前为空", "got blank"),
        ("Refund_Rate", 1, "退款率应为 0% 至 100%（不含）之间的数，当前为 1", "refund rate must be"),
        ("Share_Band", 0, "应为数字 > 0 且 ≤ 1，当前为 0", "must be a number > 0 and <= 1, got 0"),
    ],
    ids=["margin-over-1", "margin-blank", "refund-1", "band-0"],
)  # fmt: skip
def test_a_bad_assumption_is_named_by_its_cell_in_both_languages(first_day, name, value, zh, en):  # noqa: F811
    set_cells(first_day, {name: value})
    result = runner.invoke(app, ["check", str(first_day)])
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert f"{where(name)} {zh}" in said and en in said
    assert "Traceback" not in result.output and "None" not in result.output


def test_a_half_typed_response_curve_names_the_blank_cell(first_day):  # noqa: F811
    wb = load_workbook(first_day)
    sheet, row, col = c.grid_origin(c.grid_of("response_curves"))
    wb[sheet].cell(row, col).value = 9_000  # feed's V; its K and a left blank
    wb.save(first_day)
    result = runner.invoke(app, ["check", str(first_day)])
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    for offset in (1, 2):  # K, then a, of the feed row
        assert f"{sheet}!{c.address(row, col + offset)} 应为数字 > 0" in said
    assert said.count("当前为空") == 2 and said.count("got blank") == 2


def test_the_xlsm_computes_break_even_live_and_caches_it(tmp_path):
    xlsm = tmp_path / "规划.xlsm"
    operations.new_workbook(xlsm, None)
    type_inputs(xlsm, {**REQUIRED, "Gross_Margin": 0.4, "Refund_Rate": 0.2})
    operations.regenerate_file(xlsm, today=TODAY)
    sheet, row, col = c.cell_of("Breakeven_ROI")
    formula = load_workbook(xlsm, keep_vba=True)[sheet].cell(row, col).value
    assert formula == "=DY_BREAKEVEN_ROI(Gross_Margin,Refund_Rate)"
    # 1 ÷ (0.40 × 0.80) = 3.125, cached for hosts that do not run the function
    cached = load_workbook(xlsm, keep_vba=True, data_only=True)[sheet].cell(row, col).value
    assert cached == pytest.approx(3.125)


def test_net_roi_counts_only_the_reports_that_carry_net_gmv(first_day, tmp_path):  # noqa: F811
    """全域推直播 carries 净成交金额: 3,000 on 1,000 spent (01-04) and 6,000 on 2,000 (01-05); 全域推商品
    has no such column: 500.00 and 250.25 spent, net GMV unknown. Net ROI = 9,000 ÷ 3,000 = 3.00, not
    9,000 ÷ 3,750.25 = 2.40; ROI = (4,000 + 8,000 + 1,500 + 600) ÷ 3,750.25 = 3.76."""
    assert named_values(first_day, "Actuals_Net_ROI") is None  # nothing imported: blank
    operations.import_files(first_day, [uni_product_path(tmp_path)])
    assert (
        named_values(first_day, "Actuals_Net_ROI") == "无净成交数据 / no net GMV reported"
    )  # unknown, not 0
    operations.import_files(first_day, [uni_live_path(tmp_path)])
    assert named_values(first_day, "Actuals_Net_ROI") == pytest.approx(3.00)
    assert named_values(first_day, "Actuals_ROI") == pytest.approx(3.76)
    finished = tmp_path / "方案.xlsx"
    operations.export_file(first_day, finished, today=TODAY)
    assert named_values(finished, "Cover_Net_ROI_To_Date") == pytest.approx(3.00)
    assert re.fullmatch(r"[\d.]+", str(named_values(finished, "Cover_ROI_To_Date")))
