"""The committed template is exactly what the builder makes, and has the contract's shape."""

from pathlib import Path

from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c

COMMITTED = Path(__file__).parents[2] / "workbook_templates" / operations.TEMPLATE_NAME

#: Names scripts and users rely on (docs/workbook.md), with the cells each covers.
PROMISED_NAMES = {
    "GMV_Target": 1, "Start_Date": 1, "Stage": 1, "Category": 1, "Baseline_AOV": 1,
    "Headcount": 1, "Strategy": 1, "Seasonality": 12, "Ratio_Launch": 1, "Ratio_Mature": 1,
    "Reserve_Share": 1, "Purpose_Split": 3, "Channel_Mix": 12, "Total_Budget": 1,
    "Phase_Budgets": 4, "Reserve_Total": 1, "Allocatable_Total": 1,
}  # fmt: skip


def test_template_committed_file_matches_builder(tmp_path):
    built = tmp_path / "dyplan.xlsx"
    operations.build_template(built)
    assert built.read_bytes() == COMMITTED.read_bytes(), "run: dyplan template build"


def test_template_sheets_in_contract_order():
    assert load_workbook(COMMITTED).sheetnames == [
        "使用说明", "输入", "假设", "阶段预算", "渠道分配", "投放日历", "检查点", "风险", "团队", "评估",
        "实际数据", "优化建议", "重新规划", "投放设置", "情景", "情景对比", "基线", "敏感性",
    ]  # fmt: skip


def test_template_promised_defined_names_cover_their_cells():
    wb = load_workbook(COMMITTED)
    for name, size in PROMISED_NAMES.items():
        sheet, ref = next(wb.defined_names[name].destinations)
        cells = wb[sheet][ref.replace("$", "")]
        count = sum(len(row) for row in cells) if isinstance(cells, tuple) else 1
        assert count == size, name
    for name in ("Daily_Plan", "Checkpoints", "Team_Split"):
        assert name in wb.defined_names


def test_template_daily_plan_header_lists_the_promised_columns():
    wb = load_workbook(COMMITTED)
    sheet, ref = next(wb.defined_names["Daily_Plan"].destinations)
    header = [cell.value.split("\n")[1] for cell in wb[sheet][ref.replace("$", "")][0]]
    assert header == [
        "date", "plan day", "phase", "sub-phase", "GMV", "budget", "reserve", "feed", "search",
        "live", "cold start", "core acquisition", "optimisation",
    ]  # fmt: skip
    assert len(wb[sheet][ref.replace("$", "")]) == 1 + 365


def test_template_inputs_are_validated_lists_and_ranges():
    ws = load_workbook(COMMITTED)["输入"]
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    _, row, col = c.cell_of("Stage")
    assert lists[c.address(row, col)] == '"新店起量,成熟经营"'
    _, row, col = c.cell_of("Category")
    assert lists[c.address(row, col)] == '"美妆,服饰,食品,家居,3C,汽车,其他"'
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"list", "decimal", "date", "whole"} <= kinds


def test_template_every_sheet_prints_landscape_at_a_scale_its_page_breaks_hold_at():
    """A sheet fitted to pages has its manual page breaks ignored by Excel: a fixed scale instead
    (whether the columns then fit the page, LibreOffice's print shows: tests/book/test_printed_pages)."""
    wb = load_workbook(COMMITTED)
    for sheet in c.SHEETS:
        ws = wb[c.GUIDE.name if sheet is c.GUIDE else sheet.name]
        assert ws.page_setup.orientation == "landscape", ws.title
        assert not (ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage), ws.title
        assert 40 <= (ws.page_setup.scale or 100) <= 100, ws.title  # absent: 100 (ECMA-376 §18.3.1.63)
        assert len(ws.col_breaks.brk) == sheet.pages_wide - 1, ws.title
        assert ws.print_title_cols == ("$A:$A" if sheet.pages_wide > 1 else None), ws.title
