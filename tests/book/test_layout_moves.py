"""The defined names are the contract at run time: a layout the user moved is noticed, never written."""

from __future__ import annotations

import re
import subprocess

import pytest

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.workbook import ContractError
from tests.book.conftest import TODAY, delete_defined_name, named_values, table_cell
from tests.book.test_user_edits import EDIT_SCRIPT, UNO_PYTHON


def insert_row_in_libreoffice(source, out, name: str, offset: int) -> None:
    proc = subprocess.run([UNO_PYTHON, str(EDIT_SCRIPT), str(source), str(out), "--insert-row", name,
                           str(offset)], capture_output=True, text=True, timeout=400)  # fmt: skip
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize(
    ("name", "offset", "says"),
    [
        # 23 KPIs and 365 days under their headers; a row inserted inside each table
        ("KPIs", 5, "KPIs should cover 评估!A9:J32 (24 rows × 10 columns), but covers 评估!A9:J33"),
        (
            "Daily_Plan",
            100,
            "Daily_Plan should cover 投放日历!A22:M387 (366 rows × 13 columns), but covers 投放日历!A22:M388",
        ),
    ],
)
def test_rows_inserted_in_libreoffice_are_refused_and_named(regenerated_path, tmp_path, name, offset, says):
    moved = tmp_path / "moved.xlsx"
    insert_row_in_libreoffice(regenerated_path, moved, name, offset)
    original = moved.read_bytes()
    with pytest.raises(ContractError, match=re.escape(says)):
        operations.regenerate_file(moved, today=TODAY)
    assert moved.read_bytes() == original


@pytest.mark.parametrize("name", ["Shop_Name", "Total_Budget", "KPIs", "Checkpoints", "Seasonality"])
def test_blocks_moved_by_a_row_inserted_above_are_followed(regenerated_path, tmp_path, name):
    before = {n: named_values(regenerated_path, n) for n in ("GMV_Target", "Total_Budget", "Seasonality")}
    moved = tmp_path / "moved.xlsx"
    insert_row_in_libreoffice(regenerated_path, moved, name, 0)
    operations.regenerate_file(moved, today=TODAY)
    operations.export_file(moved, tmp_path / "方案.xlsx", today=TODAY)
    for n, value in before.items():  # read through the moved names, written back where they now are
        assert named_values(moved, n) == value, n
        assert named_values(tmp_path / "方案.xlsx", n) == value, n
    checkpoints = named_values(moved, "Checkpoints")
    assert checkpoints[0][0] == "编号\nid" and checkpoints[1][0] == "C01"


def test_a_deleted_defined_name_is_named(regenerated_path):
    delete_defined_name(regenerated_path, "Target_CPA")
    with pytest.raises(
        ContractError,
        match=re.escape("Target_CPA should cover 阶段预算!C9 (1 rows × 1 columns), but it is missing"),
    ):
        operations.check_file(regenerated_path)


def test_a_growing_table_never_writes_over_a_users_note(demo_path):
    # Before the first regenerate the checkpoint table is empty; a note sits three rows into it.
    _, top, left = c.table_origin(c.CHECKPOINTS_TABLE)
    table_cell(demo_path, c.CHECKPOINTS_TABLE, 3, "subphase_zh", "我的备注")
    original = demo_path.read_bytes()
    note = c.address(top + 3, left + c.CHECKPOINTS_TABLE.column("subphase_zh"))
    with pytest.raises(ContractError, match=re.escape(f"检查点!{note}")):
        operations.regenerate_file(demo_path, today=TODAY)
    assert demo_path.read_bytes() == original
