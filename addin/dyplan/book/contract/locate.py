"""The cell or range of an engine field, so a problem names the place the user typed it."""

from __future__ import annotations

from dyplan.book.contract.blocks import Grid
from dyplan.book.contract.layout import (
    Location,
    address,
    cell_of,
    grid_origin,
    grids,
    input_cells,
    table_origin,
)
from dyplan.book.contract.sheets import RISK_WEIGHTS, TABLE_FIELDS
from dyplan.errors import Field


def _span(sheet: str, top: int, left: int, rows: range, cols: range) -> Location:
    first = address(top + rows.start, left + cols.start)
    last = address(top + rows.stop - 1, left + cols.stop - 1)
    return Location(sheet, first if first == last else f"{first}:{last}")


def _locate_in_grid(grid: Grid, row_key: str | None, col_key: str | None, index: int | None) -> Location:
    sheet, top, left = grid_origin(grid)
    row_keys, col_keys = [r[0] for r in grid.rows], [c[0] for c in grid.cols]
    rows, cols = range(len(row_keys)), range(len(col_keys))
    if index is not None:  # [n] counts along the grid's long side, or across a row
        n = index - 1
        if row_key is None and len(row_keys) > 1:
            rows = range(n, n + 1)
        else:
            cols = range(n, n + 1)
    if row_key is not None:
        r = row_keys.index(row_key)
        rows = range(r, r + 1)
    if col_key is not None:
        c = col_keys.index(col_key)
        cols = range(c, c + 1)
    return _span(sheet, top, left, rows, cols)


def locate(field: Field) -> Location | None:
    """The cell or range holding an engine field (``seasonality[3]``, ``channel_mix.P2``)."""
    key, row_key, col_key, index = field.key, field.row, field.col, field.index
    for cell in input_cells():
        if cell.key == key:
            return Location(*_sheet_and_ref(cell.name))
    if key == RISK_WEIGHTS[0]:  # the weights are a column of the anchors grid
        key, col_key, index = RISK_WEIGHTS[1], RISK_WEIGHTS[2], None
    for grid in grids():
        if grid.key == key:
            return _locate_in_grid(grid, row_key, col_key, index)
    if key in TABLE_FIELDS:
        table, column, keys = TABLE_FIELDS[key]
        sheet, top, left = table_origin(table)
        r = keys.index(row_key) if row_key in keys else 0
        c = table.column(col_key if col_key in {col.key for col in table.columns} else column)
        return _span(sheet, top, left, range(r, r + 1), range(c, c + 1))
    return None


def _sheet_and_ref(name: str) -> tuple[str, str]:
    sheet, row, col = cell_of(name)
    return sheet, address(row, col)
