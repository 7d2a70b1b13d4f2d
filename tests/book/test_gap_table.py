"""Why the plan was missed, on the 实际数据 sheet: each period's ad GMV gap and its five effects,
on a first-day workbook (only the required inputs typed) with the platform's report imported."""

import datetime as dt
import math
import shutil
from fractions import Fraction
from pathlib import Path

from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.cells import NO_GAP
from tests.book.conftest import TODAY
from tests.test_first_day import GMV, first_day, rows, write_report  # noqa: F401 (fixture)

EFFECTS = ("spend", "cpm", "ctr", "cvr", "aov")
REPORT_DAYS = [dt.date(2027, 1, d) for d in (1, 2, 3)]
EARLIER = Path(__file__).parent / "earlier_release" / "demo-imported-f98e1c7.xlsx"


def fen(cny) -> int:
    return round(cny * 100)


def test_each_periods_gap_is_its_plan_against_its_reports_and_the_effects_add_up(first_day, tmp_path):  # noqa: F811
    operations.regenerate_file(first_day, today=TODAY)
    assert rows(first_day, c.GAP_TABLE)[0]["reason"] == NO_GAP  # before any import: why it is empty
    operations.import_files(first_day, [write_report(tmp_path)])
    calendar = {row["date"].date(): row for row in rows(first_day, c.DAILY_PLAN)}
    # the plan's ad GMV of those days: their allocatable (budget − reserve) at the target ROI 2.5
    allocatable = sum(fen(calendar[d]["budget"]) - fen(calendar[d]["reserve"]) for d in REPORT_DAYS)
    planned = math.floor(Fraction(allocatable) * Fraction(5, 2) + Fraction(1, 2))
    found = {row["period_label"]: row for row in rows(first_day, c.GAP_TABLE)}
    assert set(found) == {"P1 基础建量期", "2027-01"}
    for row in found.values():
        assert row["days"] == 3
        assert fen(row["plan_gmv"]) == planned
        assert fen(row["actual_gmv"]) == fen(GMV)  # the live plan's blank GMV of Jan 2 is no sale
        assert fen(row["gap"]) == fen(GMV) - planned
        assert sum(fen(row[k]) for k in EFFECTS) == fen(row["gap"])  # to the fen
        assert row["reason"] is None

    finished = tmp_path / "方案.xlsx"
    operations.export_file(first_day, finished, today=TODAY)
    shown = {row["period_label"]: row for row in rows(finished, c.GAP_TABLE, data_only=True)}
    assert fen(shown["P1 基础建量期"]["gap"]) == fen(found["P1 基础建量期"]["gap"])


def filled(path: Path) -> set[str]:
    return {
        cell.coordinate
        for row in load_workbook(path)["实际数据"].iter_rows()
        for cell in row
        if cell.value is not None
    }


def test_a_workbook_made_before_the_gap_table_works_on_without_it(tmp_path):
    earlier = shutil.copyfile(EARLIER, tmp_path / "earlier.xlsx")
    before = filled(earlier)
    operations.regenerate_file(earlier, today=TODAY)
    assert "Gap_Decomposition" not in load_workbook(earlier).defined_names
    assert filled(earlier) == before  # the same actuals, the same cells: none where a gap table would go
