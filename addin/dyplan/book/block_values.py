"""Engine values as a block's cells: a frame's rows in a table's column order, a dict of values as
the defined names of a block's cells."""

from __future__ import annotations

from typing import Any

import pandas as pd

from dyplan.book import contract as c
from dyplan.book.port import Rows


def frame_rows(frame: pd.DataFrame, table: c.Table) -> Rows:
    """The rows of ``table`` from the frame's columns of the same keys (a column it lacks: blank)."""
    columns = [frame[col.key].tolist() if col.key in frame else [None] * len(frame) for col in table.columns]
    return [[None if is_blank(v) else v for v in row] for row in zip(*columns, strict=True)]


def is_blank(value: Any) -> bool:
    """pandas' blanks: None, NaN, NaT and NA (a cell without a value)."""
    return value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and value != value)


def named_cells(fields: c.Fields | c.Tiles, values: dict[str, Any]) -> dict[str, Any]:
    """A block's values by key, as its cells' defined names: every cell of the block, no other."""
    if set(values) != {cell.key for cell in fields.cells}:
        raise AssertionError(f"{fields.title[1]}: values for {sorted(values)}")
    return {cell.name: values[cell.key] for cell in fields.cells}
