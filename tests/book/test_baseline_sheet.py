"""The 基线 sheet: the plan frozen day by day, never changed after, and set beside the live plan and the
actuals by every regenerate and import.

A first day's workbook (``dyplan new`` without --demo, only the required inputs typed): 美妆, 成熟经营,
GMV target 50,000,000 from 2027-01-01, every month weighing 1, so every day weighs the same. The budget
is 6 % of the target, 3,000,000; the reserve 10 % of that; the allocatable 2,700,000, spread evenly over
the 365 days (to the fen), with phases of 30, 60, 90 and 185 days; target ROI 2.5.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.baseline import BaselineError
from tests.book.conftest import TODAY, named_values, set_cells
from tests.book.test_user_edits import sheet_parts
from tests.excel.sample_report import write_report
from tests.made_books import type_inputs
from tests.promo_windows import share
from tests.test_first_day import REQUIRED, first_day  # noqa: F401 (fixture)

ALLOCATABLE = 2_700_000  # 50,000,000 × 6 % × (1 − 10 %)


def compared(path: Path) -> dict[str, dict[str, object]]:
    """Baseline_Compare's rows by their period (``P1 基础建量期``, ``2027-01``), column key → value."""
    keys = [column.key for column in c.BASELINE_COMPARE.columns]
    rows = [dict(zip(keys, row, strict=True)) for row in named_values(path, c.BASELINE_COMPARE.name)[1:]]
    return {str(row["key"]).split()[0]: row for row in rows if row["key"]}


def frozen_rows(path: Path) -> dict[int, bytes]:
    """The XML of every row of 基线 that holds frozen cells (the fields and the 365 days), by number."""
    fields = [c.cell_of(cell.name)[1] for cell in c.BASELINE_FIELDS.cells]
    _, top, _ = c.table_origin(c.BASELINE_DAILY)
    numbers = {*fields, *range(top, top + 365)}
    with zipfile.ZipFile(path) as archive:
        xml = archive.read(sheet_parts(path)[c.BASELINE.name])
    rows = {int(m[1]): m[0] for m in re.finditer(rb'<row r="(\d+)".*?</row>', xml, re.S)}
    return {n: rows[n] for n in sorted(numbers)}


def test_before_any_freeze_the_sheet_says_how_to_freeze_and_shows_no_number(first_day):  # noqa: F811
    for path in (first_day, None):  # as made, then regenerated
        if path is None:
            operations.regenerate_file(first_day, today=TODAY)
        rows = named_values(first_day, c.BASELINE_COMPARE.name)[1:]
        assert len(rows) == c.BASELINE_COMPARE_ROWS == 30  # 4 phases and 2 × 13 months at most
        assert rows[0][0].startswith("尚未冻结基线") and "dyplan baseline freeze" in rows[0][0]
        assert [v for row in rows for v in row][1:] == [None] * (30 * 13 - 1)
        assert named_values(first_day, "Baseline_Frozen_On") is None
        assert {v for row in named_values(first_day, c.BASELINE_DAILY.name)[1:] for v in row} == {None}


def test_freeze_keeps_the_plan_day_by_day_and_sets_it_beside_the_live_plan(first_day):  # noqa: F811
    frozen = operations.freeze_baseline_file(first_day, today=TODAY)
    assert frozen.baseline.frozen_on == TODAY
    assert named_values(first_day, "Baseline_Frozen_On").date() == TODAY
    assert "GMV目标 50,000,000.00" in named_values(first_day, "Baseline_Inputs")
    days = named_values(first_day, c.BASELINE_DAILY.name)[1:]
    assert len(days) == 365 and (days[0][1], days[-1][1]) == ("P1", "P4")
    assert days[0][0].date().isoformat() == "2027-01-01" and days[-1][0].date().isoformat() == "2027-12-31"
    column = {col.key: j for j, col in enumerate(c.BASELINE_DAILY.columns)}
    fen = {
        key: sum(round(day[j] * 100) for day in days)
        for key, j in column.items()
        if key not in ("date", "phase")
    }
    assert fen["budget"] == 3_000_000 * 100  # 50,000,000 × 6 %
    assert fen["allocatable"] == ALLOCATABLE * 100
    assert fen["feed"] + fen["search"] + fen["live"] == fen["allocatable"]
    assert fen["gmv"] == 50_000_000 * 100
    assert fen["ad_gmv"] == pytest.approx(2.5 * ALLOCATABLE * 100, abs=365)  # each day to the fen

    phases = compared(first_day)
    p1 = phases["P1"]
    assert p1["period"] == "阶段 phase" and p1["key"] == "P1 基础建量期"
    assert p1["baseline_allocatable"] == pytest.approx(ALLOCATABLE * share(0, 30), abs=0.011)
    assert p1["plan_allocatable"] == p1["baseline_allocatable"] and p1["plan_vs_baseline"] == 0
    assert p1["actual_spend"] is None and p1["actual_vs_baseline"] is None  # no actuals: blank, not 0
    # January's 31 days, each rounded to the fen
    assert phases["2027-01"]["baseline_allocatable"] == pytest.approx(ALLOCATABLE * share(0, 31), abs=0.05)
    assert list(phases) == ["P1", "P2", "P3", "P4", *(f"2027-{m:02d}" for m in range(1, 13))]  # in order


def test_regenerate_after_a_new_target_leaves_the_frozen_block_byte_identical(first_day):  # noqa: F811
    operations.freeze_baseline_file(first_day, today=TODAY)
    before, frozen = compared(first_day), frozen_rows(first_day)
    type_inputs(first_day, {"GMV_Target": 60_000_000})
    operations.regenerate_file(first_day, today=TODAY)
    assert frozen_rows(first_day) == frozen
    p1 = compared(first_day)["P1"]
    assert p1["baseline_allocatable"] == before["P1"]["baseline_allocatable"]
    # 60,000,000 × 6 % × 90 % = 3,240,000 a year; P1's 30 days' part of it, and of 540,000 more
    assert p1["plan_allocatable"] == pytest.approx(3_240_000 * share(0, 30), abs=0.011)
    assert p1["plan_vs_baseline"] == pytest.approx(540_000 * share(0, 30), abs=0.021)
    assert p1["baseline_gmv"] == pytest.approx(50_000_000 * share(0, 30, budget=False), abs=0.011)
    assert p1["plan_gmv"] == pytest.approx(60_000_000 * share(0, 30, budget=False), abs=0.011)


def test_import_sets_the_actuals_beside_the_baseline_and_leaves_it(first_day, tmp_path):  # noqa: F811
    operations.freeze_baseline_file(first_day, today=TODAY)
    frozen = frozen_rows(first_day)
    # 20 days from 2027-01-01 of 10,000 spend and 30,000 GMV each: all in P1 and January
    operations.import_files(first_day, [write_report(tmp_path / "千川.csv", days=20)])
    assert frozen_rows(first_day) == frozen
    rows = compared(first_day)
    p1, january = rows["P1"], rows["2027-01"]
    assert p1["actual_spend"] == january["actual_spend"] == 200_000
    # 200,000 − P1's part of 2,700,000
    assert p1["actual_vs_baseline"] == pytest.approx(200_000 - ALLOCATABLE * share(0, 30), abs=0.011)
    assert p1["actual_gmv"] == 600_000
    assert p1["ad_gmv_vs_baseline"] == pytest.approx(600_000 - p1["baseline_ad_gmv"], abs=0.001)
    assert p1["baseline_ad_gmv"] == pytest.approx(2.5 * ALLOCATABLE * share(0, 30), abs=0.2)
    assert rows["P2"]["actual_spend"] is None and rows["2027-02"]["actual_spend"] is None


def test_a_second_freeze_is_refused_saying_when_and_replace_freezes_anew(first_day):  # noqa: F811
    operations.freeze_baseline_file(first_day, today=TODAY)
    untouched = first_day.read_bytes()
    with pytest.raises(BaselineError) as refused:
        operations.freeze_baseline_file(first_day, today=TODAY.replace(day=21))
    assert "2027-02-20" in refused.value.zh and "2027-02-20" in refused.value.en
    assert "--replace" in refused.value.zh and "--replace" in refused.value.en
    assert first_day.read_bytes() == untouched
    set_cells(first_day, {"GMV_Target": 60_000_000})
    operations.freeze_baseline_file(first_day, replace=True, today=TODAY.replace(day=21))
    assert named_values(first_day, "Baseline_Frozen_On").date() == TODAY.replace(day=21)
    assert compared(first_day)["P1"]["plan_vs_baseline"] == 0  # the new baseline is the live plan


def test_a_frozen_cell_edited_by_hand_is_named_and_replace_mends_it(first_day):  # noqa: F811
    operations.freeze_baseline_file(first_day, today=TODAY)
    sheet, top, left = c.table_origin(c.BASELINE_DAILY)
    wb = load_workbook(first_day)
    wb[sheet].cell(top + 9, left + c.BASELINE_DAILY.column("budget")).value = "改过"
    wb.save(first_day)
    edited = first_day.read_bytes()
    with pytest.raises(BaselineError) as refused:
        operations.regenerate_file(first_day, today=TODAY)
    where = f"{sheet}!{c.address(top + 9, left + c.BASELINE_DAILY.column('budget'))}"
    assert where in refused.value.zh and where in refused.value.en and "--replace" in refused.value.en
    assert first_day.read_bytes() == edited
    operations.freeze_baseline_file(first_day, replace=True, today=TODAY)
    assert operations.regenerate_file(first_day, today=TODAY).replaced == []


def test_the_finished_plan_carries_the_baseline_once_frozen(first_day, tmp_path):  # noqa: F811
    plan = tmp_path / "方案.xlsx"
    operations.export_file(first_day, plan, today=TODAY)
    assert c.BASELINE.name not in load_workbook(plan).sheetnames  # nothing frozen: nothing to carry
    operations.freeze_baseline_file(first_day, today=TODAY)
    set_cells(first_day, {"GMV_Target": 60_000_000})
    operations.export_file(first_day, plan.with_name("方案2.xlsx"), today=TODAY)
    finished = plan.with_name("方案2.xlsx")
    assert named_values(finished, c.BASELINE_DAILY.name) == named_values(first_day, c.BASELINE_DAILY.name)
    assert compared(finished)["P1"]["plan_allocatable"] == pytest.approx(3_240_000 * share(0, 30), abs=0.011)
