"""Regenerate: outputs match the engine, typed cells never change, errors change nothing."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.cells import OrphanedActualsError
from dyplan.demo import demo_inputs
from dyplan.errors import InputError
from dyplan.files.safety import WorkbookFileError
from dyplan.model import build_plan

from .conftest import TODAY, named_values, set_cell, table_cell


def typed_snapshot(path):
    """Every value the user can type: input cells, grids and typed table columns."""
    wb = load_workbook(path)
    snapshot = {}
    for cell in c.input_cells():
        sheet, row, col = c.cell_of(cell.name)
        snapshot[cell.name] = wb[sheet].cell(row, col).value
    for grid in c.grids():
        sheet, row, col = c.grid_origin(grid)
        snapshot[grid.name] = [
            [wb[sheet].cell(row + i, col + j).value for j in range(len(grid.cols))]
            for i in range(len(grid.rows))
        ]
    for table in (c.RISK_TABLE, c.MATRIX_TABLE, c.KPI_TABLE):
        sheet, top, left = c.table_origin(table)
        for j, column in enumerate(table.columns):
            if column.typed:
                snapshot[(table.name, column.key)] = [
                    wb[sheet].cell(top + i, left + j).value for i in range(table.rows)
                ]
    return snapshot


def test_regenerate_writes_engine_totals_under_defined_names(regenerated_path):
    plan = build_plan(demo_inputs())
    assert named_values(regenerated_path, "Total_Budget") == plan.totals["budget"]
    assert named_values(regenerated_path, "Reserve_Total") == plan.totals["reserve"]
    assert named_values(regenerated_path, "Allocatable_Total") == plan.totals["allocatable"]
    phase_budgets = [row[0] for row in named_values(regenerated_path, "Phase_Budgets")]
    assert phase_budgets == plan.phases["budget"].tolist()


def test_regenerate_daily_plan_has_365_rows_adding_up_to_the_fen(regenerated_path):
    rows = named_values(regenerated_path, "Daily_Plan")[1:]
    assert len(rows) == 365
    assert rows[0][0].date() == dt.date(2027, 1, 1) and rows[-1][0].date() == dt.date(2027, 12, 31)
    budget = sum(round(r[5] * 100) for r in rows)
    channels = sum(round(v * 100) for r in rows for v in r[7:10])
    reserve = sum(round(r[6] * 100) for r in rows)
    assert budget == round(named_values(regenerated_path, "Total_Budget") * 100)
    assert channels + reserve == budget


def test_regenerate_never_changes_what_the_user_typed(demo_path):
    table_cell(demo_path, c.KPI_TABLE, 3, "actual", 41_000_000)
    set_cell(demo_path, "Shop_Name", '=HYPERLINK("http://x")')  # typed text, kept verbatim
    before = typed_snapshot(demo_path)
    operations.regenerate_file(demo_path, today=TODAY)
    operations.regenerate_file(demo_path, today=TODAY)
    assert typed_snapshot(demo_path) == before


def test_regenerate_keeps_the_users_own_sheets_and_notes(demo_path):
    from openpyxl.comments import Comment

    wb = load_workbook(demo_path)
    wb.create_sheet("我的备注").cell(1, 1).value = "老板要求 618 加预算"
    sheet, row, col = c.cell_of("GMV_Target")
    wb[sheet].cell(row, col).comment = Comment("去年 4200 万", "运营")
    wb.save(demo_path)
    operations.regenerate_file(demo_path, today=TODAY)
    wb = load_workbook(demo_path)
    assert wb["我的备注"].cell(1, 1).value == "老板要求 618 加预算"
    assert wb[sheet].cell(row, col).comment.text == "去年 4200 万"


def test_regenerate_invalid_inputs_names_every_cell_and_leaves_file_unchanged(demo_path):
    set_cell(demo_path, "GMV_Target", -5)
    set_cell(demo_path, "Stage", "旗舰")
    wb = load_workbook(demo_path)
    sheet, row, col = c.grid_origin(c.placed("Channel_Mix").block)
    wb[sheet].cell(row + 1, col + 2).value = 0.2  # P2 live 20 %: P2 adds up to 110 %
    wb.save(demo_path)
    original = demo_path.read_bytes()
    with pytest.raises(InputError) as caught:
        operations.regenerate_file(demo_path, today=TODAY)
    where = {p.where for p in caught.value.problems}
    assert where == {"输入!C8", "输入!C7", "假设!C21:E21"}
    assert demo_path.read_bytes() == original


@pytest.mark.parametrize(
    "text",
    ["1,200", "¥1,200", "1200元", "１２００", "￥１，２００．００"],
    ids=["comma", "yuan-sign", "yuan", "full-width", "full-width-yuan-sign"],
)  # full width: as a Chinese input method types digits by default
def test_regenerate_reads_numbers_typed_as_text(demo_path, text):
    set_cell(demo_path, "Baseline_AOV", text)
    operations.regenerate_file(demo_path, today=TODAY)
    # Target CPA = AOV ÷ ROI target = 1,200 ÷ 2.5 = 480
    assert named_values(demo_path, "Target_CPA") == 480


def test_regenerate_reads_a_percentage_and_a_date_typed_in_full_width(demo_path):
    set_cell(demo_path, "Start_Date", "２０２７／３／１")
    set_cell(demo_path, "Reserve_Share", "１２％")
    operations.regenerate_file(demo_path, today=TODAY)
    days = named_values(demo_path, "Daily_Plan")[1:]
    assert days[0][0].date() == dt.date(2027, 3, 1)
    # the reserve is 12 % of each day's budget, rounded to the fen per day
    reserve, total = named_values(demo_path, "Reserve_Total"), named_values(demo_path, "Total_Budget")
    assert reserve == pytest.approx(0.12 * total, abs=0.01 * len(days))


@pytest.mark.parametrize("text", ["10²", "①②"], ids=["superscript", "circled"])
def test_regenerate_names_a_number_that_only_looks_like_one(demo_path, text):
    # Only full-width forms are read as ASCII: 10² is no 102, and the cell is named.
    set_cell(demo_path, "Baseline_AOV", text)
    with pytest.raises(InputError) as caught:
        operations.regenerate_file(demo_path, today=TODAY)
    assert [(p.where, repr(text) in p.zh) for p in caught.value.problems] == [("输入!C10", True)]


def test_regenerate_checkpoint_status_from_typed_actuals(regenerated_path):
    # Demo checkpoints in date order: C01 reach ≥ 65 % on day 7, C02 creatives ≥ 500 on day 17,
    # C03 creative CTR ≥ 1.5 % on day 17, C04 account CTR ≥ 1.2 % on day 30.
    table_cell(regenerated_path, c.CHECKPOINTS_TABLE, 0, "actual", 0.70)  # met
    table_cell(regenerated_path, c.CHECKPOINTS_TABLE, 1, "actual", 450)  # 10 % short: warning
    table_cell(regenerated_path, c.CHECKPOINTS_TABLE, 2, "actual", 0.010)  # 33 % short: missed
    operations.regenerate_file(regenerated_path, today=TODAY)
    rows = named_values(regenerated_path, "Checkpoints")[1:]
    status = [row[c.CHECKPOINTS_TABLE.column("status")] for row in rows]
    # C04 is due day 30 (2027-01-30) < today (2027-02-20) with no actual: no data;
    # C07 (day 45, 2027-02-14) also past; C08 (day 90) still pending.
    assert status[:4] == ["达标", "预警", "未达标", "缺数据"]
    assert status[7] == "待评估"


def test_regenerate_names_actuals_that_are_not_numbers_and_changes_nothing(regenerated_path):
    # Read as blank, "600个" against creatives ≥ 500 would say 待评估, as if nothing were typed.
    table_cell(regenerated_path, c.CHECKPOINTS_TABLE, 1, "actual", "600个")
    table_cell(regenerated_path, c.CHECKPOINTS_TABLE, 2, "actual", "1.6%")  # a percentage reads
    table_cell(regenerated_path, c.KPI_TABLE, 3, "actual", "约1200万")
    set_cell(regenerated_path, "Headcount", "十")  # an input wrong too: all are named at once
    original = regenerated_path.read_bytes()
    with pytest.raises(InputError) as caught:
        operations.regenerate_file(regenerated_path, today=TODAY)
    found = {p.where: (p.zh, p.en) for p in caught.value.problems}
    assert found.pop("输入!C11")[1] == "must be a whole number >= 1, got '十'"
    assert found == {
        "检查点!L7": ("实际值应为数字，当前为 '600个'", "the actual must be a number, got '600个'"),
        "评估!G13": ("实际值应为数字，当前为 '约1200万'", "the actual must be a number, got '约1200万'"),
    }
    assert regenerated_path.read_bytes() == original


def test_regenerate_actuals_follow_their_checkpoint_when_days_move(regenerated_path):
    rows = named_values(regenerated_path, "Checkpoints")[1:]
    last = len(rows) - 1  # the P4 pacing check on day 365
    table_cell(regenerated_path, c.CHECKPOINTS_TABLE, last, "actual", 0.03)
    set_cell(regenerated_path, "P4_Interval", 60)  # P4 days 240, 300, 360, 365
    operations.regenerate_file(regenerated_path, today=TODAY)
    rows = named_values(regenerated_path, "Checkpoints")[1:]
    # P1 6 + P2 5 + P3 5 + P4 4 dates × 5 metrics = 36 rows; the table ends there.
    assert len(rows) == 36
    actual, day = c.CHECKPOINTS_TABLE.column("actual"), c.CHECKPOINTS_TABLE.column("day")
    filled = [(row[day], row[actual]) for row in rows if row[actual] is not None]
    assert filled == [(365, 0.03)]


def test_regenerate_refuses_to_drop_an_actual_whose_checkpoint_disappears(regenerated_path):
    rows = named_values(regenerated_path, "Checkpoints")[1:]
    # P4 rows come 5 a day: days …, 330, 360, 365; the 15th row from the end is day 330's ROI.
    table_cell(regenerated_path, c.CHECKPOINTS_TABLE, len(rows) - 15, "actual", 2.7)
    set_cell(regenerated_path, "P4_Interval", 60)  # P4 days 240, 300, 360, 365: no day 330
    original = regenerated_path.read_bytes()
    with pytest.raises(OrphanedActualsError):
        operations.regenerate_file(regenerated_path, today=TODAY)
    assert regenerated_path.read_bytes() == original


def test_regenerate_refuses_missing_foreign_and_open_files(tmp_path, demo_path):
    with pytest.raises(WorkbookFileError, match="找不到文件"):
        operations.regenerate_file(tmp_path / "nope.xlsx")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a zip")
    with pytest.raises(WorkbookFileError, match="不是 Excel 工作簿"):
        operations.regenerate_file(fake)
    lock = demo_path.with_name("~$" + demo_path.name)
    lock.write_bytes(b"owner")
    original = demo_path.read_bytes()
    with pytest.raises(WorkbookFileError, match="正在被"):
        operations.regenerate_file(demo_path)
    assert demo_path.read_bytes() == original


def test_regenerate_refuses_a_workbook_of_another_shape(tmp_path):
    from openpyxl import Workbook

    other = tmp_path / "别的表.xlsx"
    Workbook().save(other)
    from dyplan.book.workbook import ContractError

    with pytest.raises(ContractError, match="缺少工作表"):
        operations.regenerate_file(other)


def test_regenerate_write_failure_leaves_the_file_whole(demo_path, monkeypatch):
    original = demo_path.read_bytes()

    def broken_save(self, filename):
        with open(filename, "wb") as half:
            half.write(b"PK half")
        raise OSError("disk full")

    monkeypatch.setattr("dyplan.files.package.Package.save", broken_save)
    with pytest.raises(WorkbookFileError, match="disk full"):
        operations.regenerate_file(demo_path, today=TODAY)
    assert demo_path.read_bytes() == original
    assert [p.name for p in demo_path.parent.iterdir()] == [demo_path.name]


def test_regenerate_refuses_actuals_typed_below_the_checkpoints(demo_path):
    # Before the first regenerate the table is empty: a value typed there belongs to no checkpoint.
    table_cell(demo_path, c.CHECKPOINTS_TABLE, 2, "actual", 0.7)
    original = demo_path.read_bytes()
    with pytest.raises(OrphanedActualsError):
        operations.regenerate_file(demo_path, today=TODAY)
    assert demo_path.read_bytes() == original


def test_new_refuses_to_overwrite(demo_path):
    with pytest.raises(WorkbookFileError, match="已存在"):
        operations.new_workbook(demo_path)


def test_regenerate_copy_of_template_with_blank_inputs_lists_required_cells(tmp_path):
    path = tmp_path / "空白.xlsx"
    shutil.copy(Path(__file__).resolve().parents[2] / "workbook_templates" / "dyplan.xlsx", path)
    with pytest.raises(InputError) as caught:
        operations.regenerate_file(path)
    fields = {p.field for p in caught.value.problems}
    assert {"category", "stage", "gmv_target", "start_date", "baseline_aov", "headcount"} <= fields
