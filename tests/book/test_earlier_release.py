"""A planning workbook made by an earlier release keeps working after an upgrade.

``earlier_release/demo-imported-a6bdea6.xlsx`` was made by dyplan at commit a6bdea6, as a user of that
release made it: ``dyplan new --demo``, a regenerate on 2027-02-20, then an import of ``report_lines()``
(40 days of one campaign). That release kept the risk forecast block at a fixed 90 rows, the history
at its bottom; today the block is as long as its data, so the earlier block is laid out anew.
"""

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from dyplan import operations
from dyplan.book import contract as c
from dyplan.cli import app
from dyplan.demo import demo_inputs
from tests.book.conftest import named_values
from tests.reports import samples as s
from tests.reports.samples import Line

EARLIER = Path(__file__).parent / "earlier_release" / "demo-imported-a6bdea6.xlsx"
TODAY = dt.date(2027, 2, 20)
START = dt.date(2027, 1, 1)


def report_lines() -> list[Line]:
    return [
        Line(START + dt.timedelta(days=d), "春季新品-短视频-01", 100_000 + 1000 * (d % 7), 50_000 + 300 * d,
             700 + 5 * (d % 5), 20, 250_000 + 2000 * (d % 3), 20, "短视频")
        for d in range(40)
    ]  # fmt: skip


def test_an_earlier_releases_workbook_regenerates_as_a_new_one_with_the_same_data(tmp_path):
    earlier = shutil.copyfile(EARLIER, tmp_path / "earlier.xlsx")
    inputs_before = {cell.name: named_values(earlier, cell.name) for cell in c.input_cells()}
    regenerated = operations.regenerate_file(earlier, today=TODAY)
    assert regenerated.replaced == []  # laying the block out anew is no value typed over

    fresh = tmp_path / "fresh.xlsx"
    operations.new_workbook(fresh, demo_inputs())
    operations.import_files(fresh, [s.write_csv(tmp_path / "r.csv", s.table(report_lines(), s.PLATFORM))])
    operations.regenerate_file(fresh, today=TODAY)

    forecast = named_values(earlier, c.RISK_FORECAST.name)
    assert len(forecast) > 2 and forecast == named_values(fresh, c.RISK_FORECAST.name)
    # nothing of the earlier 90 rows is left below the block
    sheet, top, left = c.table_origin(c.RISK_FORECAST)
    below = _cells(earlier, sheet, top + len(forecast) - 1, left, 91, len(c.RISK_FORECAST.columns))
    assert all(v is None for row in below for v in row)
    assert {cell.name: named_values(earlier, cell.name) for cell in c.input_cells()} == inputs_before


def _cells(path: Path, sheet: str, row: int, col: int, rows: int, cols: int) -> list[list[object]]:
    ws = load_workbook(path)[sheet]
    return [[ws.cell(r, k).value for k in range(col, col + cols)] for r in range(row, row + rows)]


runner = CliRunner()
#: The words that say, once, that the sheets added since are missing (and how to see them).
ABSENT = "此工作簿由较早版本创建，没有「优化建议」、「重新规划」、「投放设置」工作表"


def test_an_earlier_releases_workbook_leaves_out_the_later_sheets_and_says_so_once(tmp_path):
    earlier = shutil.copyfile(EARLIER, tmp_path / "earlier.xlsx")
    sheets = load_workbook(earlier).sheetnames
    assert not {s.name for s in c.LATER_SHEETS} & set(sheets)
    report = s.write_csv(tmp_path / "r.csv", s.table(report_lines(), s.PLATFORM))
    for command in (["regenerate", str(earlier)], ["import-report", str(earlier), str(report)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 0, result.output
        assert result.output.count(ABSENT) == 1 and "dyplan new" in result.output
        assert "has no 优化建议 / 重新规划 / 投放设置 sheet(s)" in result.output.replace("\n", " ")
    assert load_workbook(earlier).sheetnames == sheets  # no sheet is ever added to a user's file
    finished = tmp_path / "方案.xlsx"
    operations.export_file(earlier, finished, today=TODAY)  # the finished plan has them
    assert {s.name for s in c.LATER_SHEETS} <= set(load_workbook(finished).sheetnames)


def test_a_new_workbook_says_nothing_of_missing_sheets(demo_path):
    result = runner.invoke(app, ["regenerate", str(demo_path)])
    assert result.exit_code == 0 and ABSENT not in result.output


def test_a_later_sheet_present_with_a_damaged_name_is_refused_as_any_block(regenerated_path):
    with zipfile.ZipFile(regenerated_path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members["xl/workbook.xml"] = re.sub(rb'<definedName name="Settings_Days">[^<]*</definedName>', b"",
                                        members["xl/workbook.xml"])  # fmt: skip
    with zipfile.ZipFile(regenerated_path, "w") as archive:
        for n, data in members.items():
            archive.writestr(n, data)
    before = regenerated_path.read_bytes()
    result = runner.invoke(app, ["regenerate", str(regenerated_path)])
    assert result.exit_code == 1 and "Settings_Days" in result.output and "but it is missing" in result.output
    assert regenerated_path.read_bytes() == before
