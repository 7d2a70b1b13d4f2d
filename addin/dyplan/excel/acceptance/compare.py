"""A workbook Excel saved, against the command line's regenerate of the same inputs, cell by cell.

The inputs are the saved workbook's own (what the macros read), so a copy of it regenerated with
``dyplan regenerate`` must hold the same value in every output block. Formula cells are compared
by the values Excel calculated and saved with them, and each ``=DY_…`` cell must show a value,
not an error.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.formulas import formula_at
from dyplan.book.workbook import in_place
from dyplan.book.xlsx_file import open_book
from dyplan.excel.udfs import ERROR_PREFIX

EXCEL_ERRORS = frozenset(
    ("#NAME?", "#VALUE!", "#REF!", "#N/A", "#DIV/0!", "#NUM!", "#NULL!", "#SPILL!", "#CALC!", "#BUSY!")
)
HALF_A_FEN = 0.005
RELATIVE = 1e-9


@dataclass(frozen=True)
class Difference:
    where: str  # 风险!F19
    block: str  # the contract's name of the block and column
    excel: object
    dyplan: object


@dataclass(frozen=True)
class FormulaProblem:
    where: str
    holds: object  # the formula Excel saved, or the value it holds instead
    shows: object


@dataclass(frozen=True)
class Comparison:
    cells: int
    differences: list[Difference]
    formulas: int
    formula_problems: list[FormulaProblem]

    @property
    def passed(self) -> bool:
        return not self.differences and not self.formula_problems


@dataclass(frozen=True)
class _OutputCell:
    sheet: str
    row: int
    col: int
    block: str
    fmt: c.Fmt


def compare(saved: Path, today: dt.date | None = None) -> Comparison:
    """Compare ``saved`` (Excel's .xlsm) with a copy of it that ``dyplan regenerate`` rewrote."""
    with tempfile.TemporaryDirectory(prefix="dyplan-accept-") as folder:
        copy = Path(folder) / saved.name
        shutil.copyfile(saved, copy)
        operations.regenerate_file(copy, today)
        dyplan = load_workbook(copy, data_only=True)
    excel, formulas = load_workbook(saved, data_only=True), load_workbook(saved)
    differences, problems = [], []
    cells = formula_cells = 0
    with in_place(open_book(saved)):  # blocks where the saved workbook's names put them
        for cell in _output_cells(excel, dyplan):
            got = excel[cell.sheet].cell(cell.row, cell.col).value
            want = dyplan[cell.sheet].cell(cell.row, cell.col).value
            where = f"{cell.sheet}!{c.address(cell.row, cell.col)}"
            cells += 1
            if not _same(got, want, cell.fmt is c.Fmt.MONEY):
                differences.append(Difference(where, cell.block, got, want))
            if formula_at(cell.sheet, cell.row, cell.col) is not None:
                formula_cells += 1
                problem = _formula_problem(formulas[cell.sheet].cell(cell.row, cell.col).value, got)
                if problem:
                    problems.append(FormulaProblem(where, *problem))
    return Comparison(cells, differences, formula_cells, problems)


def _output_cells(excel, dyplan) -> Iterator[_OutputCell]:
    """Every cell regenerate writes, in the contract's order (growing tables as long as either side)."""
    for field in c.output_cells():
        yield _OutputCell(*c.cell_of(field.name), field.name, field.fmt)
    for placed in c.iter_blocks(c.Table):
        table = placed.block
        assert isinstance(table, c.Table)
        sheet, top, left = c.table_origin(table)
        rows = table.rows
        if rows is None:
            rows = max(_length(book[sheet], top, left) for book in (excel, dyplan))
        for i in range(rows + table.total_row):
            for j, column in enumerate(table.columns):
                yield _OutputCell(sheet, top + i, left + j, f"{table.name}.{column.key}", column.fmt)


def _length(ws: Worksheet, top: int, left: int) -> int:
    """Rows of a growing table: down to the first blank cell of its first column."""
    row = top
    while ws.cell(row, left).value not in (None, ""):
        row += 1
    return row - top


def _same(got: object, want: object, money: bool) -> bool:
    """Numbers to the fen (money) or within 1e-9 relative; everything else exactly; blank is blank."""
    if got in (None, "") and want in (None, ""):  # a worksheet function's blank is empty text
        return True
    numbers = [isinstance(v, int | float) and not isinstance(v, bool) for v in (got, want)]
    if all(numbers):
        if money:
            return abs(got - want) < HALF_A_FEN  # type: ignore[operator]
        return math.isclose(got, want, rel_tol=RELATIVE, abs_tol=1e-12)  # type: ignore[arg-type]
    return type(got) is type(want) and got == want


def _formula_problem(formula: object, shows: object) -> tuple[object, object] | None:
    """Why an =DY_… cell is wrong (what it holds, what it shows), or None when it shows a value."""
    if not (isinstance(formula, str) and formula.startswith("=") and "DY_" in formula.upper()):
        return formula, shows  # Excel saved a value, or another formula, where the =DY_ one belongs
    if isinstance(shows, str) and (shows in EXCEL_ERRORS or shows.startswith(ERROR_PREFIX)):
        return formula, shows
    return None
