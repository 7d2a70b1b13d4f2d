"""Every cell regenerate and import write looks as it does in the finished plan, row for row: the
tables and computed fields of every sheet, 优化建议, 重新规划 and 投放设置 among them."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c
from tests.book.conftest import TODAY
from tests.excel.sample_report import write_report


def looks(cell) -> tuple:
    """What a reader sees of a cell besides its value: number format, fill, font and bold."""
    return (cell.number_format, cell.fill.fgColor.rgb if cell.fill.fill_type else None, cell.font.name,
            bool(cell.font.b))  # fmt: skip


def block_cells(ws, table: c.Table, rows: int):
    _, top, left = c.table_origin(table)
    for r in range(top, top + rows):
        for j in range(len(table.columns)):
            yield ws.cell(r, left + j)


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_every_written_cell_looks_as_in_the_finished_plan(demo_path, tmp_path, suffix):
    path = demo_path.with_suffix(suffix)
    if suffix == ".xlsm":
        from dyplan.demo import demo_inputs

        operations.new_workbook(path, demo_inputs())
    operations.regenerate_file(path, today=TODAY)
    operations.freeze_baseline_file(path, today=TODAY)  # the finished plan carries 基线 from then on
    operations.import_files(path, [write_report(tmp_path / "千川.csv", days=40)])
    operations.regenerate_file(path, today=TODAY)
    finished = tmp_path / "方案.xlsx"
    operations.export_file(path, finished, today=TODAY)

    planning, plan = load_workbook(path), load_workbook(finished)
    values, plan_values = load_workbook(path, data_only=True), load_workbook(finished, data_only=True)
    checked = 0
    for placed in c.iter_blocks(c.Table):
        table = placed.block
        assert isinstance(table, c.Table)
        sheet = placed.sheet.name
        _, top, left = c.table_origin(table)
        rows = table.rows or next(
            i for i in range(100_000) if plan[sheet].cell(top + i, left).value in (None, "")
        )
        pairs = zip(
            block_cells(planning[sheet], table, rows), block_cells(plan[sheet], table, rows), strict=True
        )
        for mine, theirs in pairs:
            assert looks(mine) == looks(theirs), f"{sheet}!{mine.coordinate}"
            checked += 1
        if table.total_row:  # the totals carry their values, as the finished plan's do, for previews
            for j in c.totals(table, [[0] * len(table.columns)]):
                mine_value = values[sheet].cell(top + rows, left + j).value
                assert mine_value == plan_values[sheet].cell(top + rows, left + j).value != 0
    assert checked > 5_000  # the calendar alone is 365 × 13
    for cell in c.output_cells():  # the computed fields too: 优化建议, 重新规划, 投放设置 and the rest
        sheet, row, col = c.cell_of(cell.name)
        assert looks(planning[sheet].cell(row, col)) == looks(plan[sheet].cell(row, col)), cell.name
    for sheet in c.SHEETS[1:]:  # status colours and validations cover every row, as in the plan
        if sheet.name in plan.sheetnames:  # not 情景, the inputs as saved: no finished plan has it
            assert colour_ranges(planning[sheet.name]) == colour_ranges(plan[sheet.name]), sheet.name


def colour_ranges(ws) -> set[str]:
    return {str(rule.sqref) for rule in ws.conditional_formatting}


def test_formatting_the_user_gave_a_table_row_is_kept(regenerated_path):
    from openpyxl.styles import Font

    sheet, top, left = c.table_origin(c.CHECKPOINTS_TABLE)
    wb = load_workbook(regenerated_path)
    wb[sheet].cell(top + 1, left).font = Font(name="微软雅黑", bold=True, color="FFC00000")  # marked red
    wb.save(regenerated_path)
    operations.regenerate_file(regenerated_path, today=TODAY)
    font = load_workbook(regenerated_path)[sheet].cell(top + 1, left).font
    assert font.b and font.color.rgb == "FFC00000"
