"""Evaluates the formulas of a workbook file the way Excel would, for Linux where Excel is absent.

References are read from the workbook as Excel hands them to xlwings (floats, None for blanks,
lists of rows for ranges), INDEX picks from a range or a function's result, and the worksheet
functions of ``dyplan.excel.udfs`` run (and SUM, for the total rows).
"""

import re
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import range_boundaries

from dyplan.excel import udfs

REFERENCE = re.compile(r"\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?\b")


class Sheetful:
    """Evaluates the formulas of one workbook, reading cells as Excel passes them to xlwings."""

    def __init__(self, path: Path) -> None:
        self.wb = load_workbook(path, keep_vba=True)
        self.names = re.compile(r"\b(" + "|".join(self.wb.defined_names) + r")\b")

    def cell(self, sheet: str, row: int, col: int):
        value = self.wb[sheet].cell(row, col).value
        if isinstance(value, str) and value.startswith("="):
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
        scope = {**udfs.FUNCTIONS, "INDEX": index, "SUM": total, "block": self.block, "name": self.name}
        return eval(expression, scope)  # our own formulas, built by dyplan.book.formulas


def total(block) -> float:
    """Excel's SUM of one range: blanks and text count as nothing."""
    rows = block if isinstance(block, list) else [[block]]
    return sum(v for line in rows for v in line if isinstance(v, float))


def index(block, row: int, col: int | None = None):
    """Excel's INDEX: a one-row result by position, or a block's row and column (0: all rows)."""
    if col is None:
        return block[0][row - 1]
    if row == 0:
        return [[line[col - 1]] for line in block]
    return block[row - 1][col - 1]
