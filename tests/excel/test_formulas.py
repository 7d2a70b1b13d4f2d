"""The .xlsm's =DY_… formulas compute what regenerate writes into the .xlsx.

Excel is not here, so each formula is evaluated the way Excel would (``formula_eval``).
"""

from pathlib import Path

import pytest
from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.formulas import formula_at
from dyplan.book.xlsx_file import editing
from dyplan.demo import demo_inputs
from dyplan.excel import udfs

from .formula_eval import Sheetful
from .sample_report import write_report


def type_into(path: Path, table: c.Table, key: str, values: list, first: int = 0) -> None:
    with editing(path) as book:
        sheet, top, left = c.table_origin(table)
        book.write(sheet, top + first, left + table.column(key), [[v] for v in values])


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> tuple[Path, Path]:
    """The demo shop as .xlsm and .xlsx, with the same readings and actuals typed and the same
    report imported."""
    folder = tmp_path_factory.mktemp("formulas")
    report = write_report(folder / "千川报表.csv")
    paths = (folder / "规划.xlsm", folder / "规划.xlsx")
    for path in paths:
        operations.new_workbook(path, demo_inputs())
        type_into(path, c.RISK_TABLE, "value", [0.2, 0.1, 55, None, 0.4])
        type_into(path, c.KPI_TABLE, "actual", [41_000_000], first=3)
        operations.regenerate_file(path)
        type_into(path, c.CHECKPOINTS_TABLE, "actual", [0.7, 450, 0.001])  # now that they exist
        operations.import_files(path, [report])  # measured values where nothing is typed
    return paths


def test_formulas_compute_the_values_regenerate_writes(pair):
    xlsm, xlsx = pair
    live, values = Sheetful(xlsm), load_workbook(xlsx)
    checked = 0
    for ws in live.wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                formula = formula_at(ws.title, cell.row, cell.column)
                if formula is None or cell.value is None:
                    continue
                got = live.evaluate(ws.title, cell.value)
                want = values[ws.title].cell(cell.row, cell.column).value
                where = f"{ws.title}!{cell.coordinate} {cell.value}"
                assert not (isinstance(got, str) and got.startswith(udfs.ERROR_PREFIX)), f"{where}: {got}"
                if isinstance(want, int | float):
                    assert got == pytest.approx(want, rel=1e-12), where
                else:
                    assert (got or None) == want, where
                checked += 1
    assert checked > 50
    statuses = {live.evaluate(c.CHECKPOINTS.name, f) for f in _status_formulas(live)}
    assert {"达标", "未达标"} <= statuses  # the typed actuals were judged
    sheet, top, left = c.table_origin(c.CHECKPOINTS_TABLE)
    measured = [live.cell(sheet, top + i, left + c.CHECKPOINTS_TABLE.column("measured")) for i in range(10)]
    assert any(isinstance(m, float) for m in measured), "the report measured no checkpoint"


def _status_formulas(live: Sheetful) -> list[str]:
    sheet, top, left = c.table_origin(c.CHECKPOINTS_TABLE)
    col = left + c.CHECKPOINTS_TABLE.column("status")
    return [live.wb[sheet].cell(top + i, col).value for i in range(3)]
