"""Engine values as a block's cells: a frame's rows in a table's column order, a dict of values as
the defined names of a block's cells."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from dyplan.book import contract as c
from dyplan.book.port import Rows


def frame_rows(frame: pd.DataFrame, table: c.Table) -> Rows:
    """The rows of ``table`` from the frame's columns of the same keys (a column it lacks: blank);
    pandas' blanks (None, NaN, NaT, NA) are None."""
    columns = [_cells(frame[col.key]) if col.key in frame else [None] * len(frame) for col in table.columns]
    return [list(row) for row in zip(*columns, strict=True)]


def _cells(column: pd.Series) -> list[Any]:
    """A column's values, blanks as None (found by pandas at once: a calendar has thousands of cells)."""
    values = column.tolist()
    for i in np.flatnonzero(column.isna().to_numpy()):
        values[i] = None
    return values


def named_cells(fields: c.Fields | c.Tiles, values: dict[str, Any]) -> dict[str, Any]:
    """A block's values by key, as its cells' defined names: every cell of the block, no other."""
    if set(values) != {cell.key for cell in fields.cells}:
        raise AssertionError(f"{fields.title[1]}: values for {sorted(values)}")
    return {cell.name: values[cell.key] for cell in fields.cells}
