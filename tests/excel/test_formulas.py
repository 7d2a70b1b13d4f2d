"""The .xlsm's =DY_… formulas compute what regenerate writes into the .xlsx.

Excel is not here, so each formula is evaluated the way Excel would: its references are read
from the workbook (as Excel hands them to xlwings: floats, None for blanks, lists of rows for
ranges), INDEX picks from a range or a function's result, and the worksheet functions run.
"""

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.formulas import formula_at
from dyplan.book.xlsx_file import editing
from dyplan.demo import demo_inputs
from dyplan.excel import udfs

from .sample_report import write_report

REFERENCE = re.compile(r"\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?\b")


class Sheetful:
    """Evaluates the formulas of one workbook, reading cells as Excel passes them to xlwings."""

    def __init__(self, path: Path) -> None:
        self.wb = load_workbook(path, keep_vba=True)
        self.names = re.compile(r"\b(" + "|".join(self.wb.defined_names) + r")\b")

    def cell(self, sheet: str, row: int, col: int):
        value = self.wb[sheet].cell(row, col).value
        if isinstance(value, str) and value.startswith("=") and "DY_" in value:
            return self.evaluate(sheet, value)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        return value

    def block(self, sheet: str, ref: str):
        min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
        rows = [[self.cell(sheet, r, col) for col in range(min_col, max_col + 1)]
                for r in range(min_row, max_row + 1)]  # fmt: skip
        return rows[0][0] if len(rows) == 1 and len(rows[0]) == 1 else rows

    def name(self, name: str):
        sheet, ref = next(self.wb.defined_names[name].destinations)
        return self.block(sheet, ref)

    def evaluate(self, sheet: str, formula: str):
        expression = REFERENCE.sub(lambda m: f"block({sheet!r}, {m.group(0)!r})", formula[1:])
        expression = self.names.sub(lambda m: f"name({m.group(0)!r})", expression)
        scope = {**udfs.FUNCTIONS, "INDEX": index, "block": self.block, "name": self.name}
        return eval(expression, scope)  # our own formulas, built by dyplan.book.formulas


def index(block, row: int, col: int | None = None):
    """Excel's INDEX: a one-row result by position, or a block's row and column (0: all rows)."""
    if col is None:
        return block[0][row - 1]
    if row == 0:
        return [[line[col - 1]] for line in block]
    return block[row - 1][col - 1]


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
