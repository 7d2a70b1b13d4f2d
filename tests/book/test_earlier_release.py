"""Planning workbooks made by earlier releases keep working after an upgrade.

Each ``earlier_release/demo-imported-<commit>.xlsx`` was made by dyplan at that commit, as a user of
that release made it: ``dyplan new --demo``, a regenerate on 2027-02-20, then an import of
``report_lines()`` (40 days of one campaign). Release a6bdea6 kept the risk forecast block at a fixed
90 rows, the history at its bottom; today the block is as long as its data, so that earlier block is
laid out anew.
"""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c
from dyplan.demo import demo_inputs
from tests.book.conftest import named_values
from tests.reports import samples as s
from tests.reports.samples import Line

RELEASES = ("a6bdea6", "f98e1c7")
FOLDER = Path(__file__).parent / "earlier_release"
TODAY = dt.date(2027, 2, 20)
START = dt.date(2027, 1, 1)


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


def test_an_earlier_releases_workbook_regenerates_as_a_new_one_with_the_same_data(earlier, tmp_path):
    inputs_before = {cell.name: named_values(earlier, cell.name) for cell in c.input_cells()}
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
    assert {cell.name: named_values(earlier, cell.name) for cell in c.input_cells()} == inputs_before


def test_an_earlier_releases_workbook_checks_imports_and_exports(earlier, tmp_path):
    assert operations.check_file(earlier).totals["budget"] > 0
    # ten more days of the same campaign: 40 + 10 days of data
    more = s.write_csv(tmp_path / "more.csv", s.table(report_lines(range(40, 50)), s.PLATFORM))
    operations.import_files(earlier, [more])
    assert named_values(earlier, "Actuals_Days") == 50
    finished = tmp_path / "方案.xlsx"
    operations.export_file(earlier, finished, today=TODAY)
    assert named_values(finished, "Actuals_Days") == 50


def _cells(path: Path, sheet: str, row: int, col: int, rows: int, cols: int) -> list[list[object]]:
    ws = load_workbook(path)[sheet]
    return [[ws.cell(r, k).value for k in range(col, col + cols)] for r in range(row, row + rows)]
