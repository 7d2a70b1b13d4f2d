"""The macro workbook's live cells: which computed cells of the .xlsm hold ``=DY_…()`` formulas.

In the .xlsm, the risk, checkpoint and evaluation sheets compute these cells in Excel with the
worksheet functions of ``dyplan.excel.udfs``, so a changed reading shows its score at once.
The template is rendered with them, and regenerate writes them again (a table's rows move
when it is laid out anew) through ``FormulaBook``. The finished .xlsx holds values only.

Every formula refers to cells of its own row and to defined names, so it depends only on
the row it sits in. As regenerate does, a typed value wins and a blank one falls back to the
value measured from imported reports (the ``measured`` columns).
"""

from __future__ import annotations

from collections.abc import Callable

from dyplan.book import contract as c
from dyplan.book.port import Book, Formats, Rows
from dyplan.files.worksheet import Formula


def _grid_name(key: str) -> str:
    return next(grid.name for grid in c.grids() if grid.key == key)


ANCHORS = _grid_name("risk_anchors")
LEVEL_CUTS = _grid_name("level_cuts")
MATRIX_CUTS = _grid_name("matrix_cuts")
TOLERANCE, MARGIN, REFUND_RATE = (
    next(cell.name for cell in c.ASSUMPTION_CELLS if cell.key == key)
    for key in ("tolerance", "gross_margin", "refund_rate")
)

#: Builds one row's formula from ``at(column key)``, that row's cell of the column, and
#: the row's 1-based number within its table.
RowFormula = Callable[[Callable[[str], str], int], str]


def _risk_score(at: Callable[[str], str], n: int) -> str:
    anchors = ",".join(f"INDEX({ANCHORS},{n},{j})" for j in (1, 2, 3))  # good, warn, critical
    return f"=DY_RISK_SCORE({at('value')},{anchors},{at('measured')})"


def _matrix(part: int) -> RowFormula:
    return lambda at, _: f"=INDEX(DY_RISK_MATRIX({at('probability')},{at('impact')},{MATRIX_CUTS}),{part})"


TABLE_FORMULAS: dict[tuple[str, str], RowFormula] = {
    (c.RISK_TABLE.name, "score"): _risk_score,
    (c.MATRIX_TABLE.name, "score"): _matrix(1),
    (c.MATRIX_TABLE.name, "level_zh"): _matrix(2),
    (c.CHECKPOINTS_TABLE.name, "status"): lambda at, _: (
        f"=DY_CHECKPOINT_STATUS({at('actual')},{at('target')},{at('comparator')},{TOLERANCE},{at('date')},"
        f"{at('measured')})"
    ),
    (c.KPI_TABLE.name, "attainment"): lambda at, _: f"=DY_ATTAINMENT({at('actual')},{at('target')})",
}


def _column_range(table: c.Table, key: str) -> str:
    _, top, left = c.table_origin(table)
    col = left + table.column(key)
    return f"{c.address(top, col, True)}:{c.address(top + (table.rows or 1) - 1, col, True)}"


#: The single cells the .xlsm computes.
FORMULA_CELLS = ("Risk_Index", "Risk_Level", "Breakeven_ROI")


def _cell_formulas() -> dict[str, str]:
    return {
        "Risk_Index": f"=DY_RISK_INDEX({_column_range(c.RISK_TABLE, 'score')},INDEX({ANCHORS},0,4))",
        "Risk_Level": f"=DY_RISK_LEVEL(Risk_Index,{LEVEL_CUTS})",
        "Breakeven_ROI": f"=DY_BREAKEVEN_ROI({MARGIN},{REFUND_RATE})",
    }


Columns = dict[tuple[str, int], list[tuple[c.Table, str]]]
Positions = tuple[dict[c.Origin, str], Columns]


def _by_position(places: tuple[tuple[c.Origin, bool], ...]) -> Positions:
    """Formula cells by position, and formula columns by sheet and column (tables share sheets)."""
    if places not in _POSITIONS:  # one layout per workbook: the template's, or one moved by the user
        # a cell the workbook lacks (an earlier release made it) has no formula anywhere
        cells = {c.cell_of(name): formula for name, formula in _cell_formulas().items() if c.present(name)}
        columns: Columns = {}
        for table_name, key in TABLE_FORMULAS:
            table = c.placed(table_name).block
            assert isinstance(table, c.Table)
            sheet, _, left = c.table_origin(table)
            columns.setdefault((sheet, left + table.column(key)), []).append((table, key))
        _POSITIONS[places] = cells, columns
    return _POSITIONS[places]


_POSITIONS: dict[tuple[tuple[c.Origin, bool], ...], Positions] = {}
#: The names whose places (and presence) decide where the formulas are.
_PLACES = (*(t for t, _ in TABLE_FORMULAS), *FORMULA_CELLS)


def formula_at(sheet: str, row: int, col: int) -> Formula | None:
    """The formula the .xlsm keeps in this cell (1-based), or None for a cell of values."""
    cells, columns = _by_position(tuple((c.origin_of(name), c.present(name)) for name in _PLACES))
    if (sheet, row, col) in cells:
        return Formula(cells[(sheet, row, col)])
    for table, key in columns.get((sheet, col), ()):
        _, top, left = c.table_origin(table)
        n = row - top + 1
        if n >= 1 and (table.rows is None or n <= table.rows):
            build = TABLE_FORMULAS[(table.name, key)]
            return Formula(build(lambda k, t=table, x=left: c.address(row, x + t.column(k)), n))
    return None


def with_formulas(sheet: str, row: int, col: int, values: Rows) -> Rows:
    """A block to write, its formula cells holding their formulas, with their values cached."""
    return [
        [_cached(formula_at(sheet, row + i, col + j), value) for j, value in enumerate(line)]
        for i, line in enumerate(values)
    ]


def _cached(formula: Formula | None, value: object) -> object:
    return value if formula is None else Formula(formula, value)


class FormulaBook:
    """A ``Book`` of the .xlsm: formula cells get their formulas, every other cell its value."""

    def __init__(self, book: Book) -> None:
        self.book = book

    def sheet_names(self) -> list[str]:
        return self.book.sheet_names()

    def read(self, sheet: str, row: int, col: int, rows: int, cols: int) -> Rows:
        return self.book.read(sheet, row, col, rows, cols)

    def write(self, sheet: str, row: int, col: int, values: Rows, style_row: int | None = None,
              formats: Formats | None = None, style_col: int | None = None) -> None:  # fmt: skip
        self.book.write(
            sheet, row, col, with_formulas(sheet, row, col, values), style_row, formats, style_col
        )

    def clear(self, sheet: str, row: int, col: int, rows: int, cols: int) -> None:
        self.book.clear(sheet, row, col, rows, cols)

    def define_name(self, name: str, sheet: str, ref: str) -> None:
        self.book.define_name(name, sheet, ref)

    def defined_names(self) -> dict[str, str]:
        return self.book.defined_names()

    def computes(self, sheet: str, row: int, col: int) -> bool:
        return formula_at(sheet, row, col) is not None

    def recall(self) -> bytes | None:
        return self.book.recall()

    def remember(self, data: bytes) -> None:
        self.book.remember(data)

    def redraw(self, rows: c.Area, title: str) -> None:
        self.book.redraw(rows, title)
