"""The cells of a worksheet row as read, kept compactly: a regenerate reads thousands of rows, and as a
dict of cell tuples a row costs about 300 bytes a cell; in these parallel lists, about 40.

A plain cell's content (its type, formula and value text) is mostly what its value would be written
as: such a cell keeps a mark (``NUMBER``, ``SHARED``) instead of a copy of its text.
"""

from __future__ import annotations

import operator
from bisect import bisect_left
from typing import Any, Final

#: What a cell holds: its type attribute, formula text and value text (None where absent).
Content = tuple[str | None, str | None, str | None]


class _Mark:
    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: A plain number whose value text is ``str`` of its int or ``repr`` of its float.
NUMBER: Final = _Mark("NUMBER")
#: A plain text whose value text is the number of the first plain shared string holding it.
SHARED: Final = _Mark("SHARED")
#: What a row keeps of a cell's content: the content, a mark standing for it, or None (richer than
#: a type, formula and value: only kept, never rewritten from its parts).
Held = Content | _Mark | None


class RowCells:
    """A row's cells in column order: each one's column, value, format index and ``Held``."""

    __slots__ = ("cols", "helds", "styles", "values")

    def __init__(self) -> None:
        self.cols: list[int] = []
        self.values: list[Any] = []
        self.styles: list[str | None] = []
        self.helds: list[Held] = []

    @staticmethod
    def of(cols: list[int], readings: list[tuple[Any, str | None, Held]]) -> RowCells:
        """A row of cells (value, format index, ``Held``) in those columns, in any order (a writer may
        store them so); where a damaged row repeats a column, its last cell stands for it."""
        if not cols:
            return NO_CELLS
        if not all(map(operator.lt, cols, cols[1:])):
            last = {col: i for i, col in enumerate(cols)}
            cols, readings = sorted(last), [readings[last[col]] for col in sorted(last)]
        row = RowCells()
        row.cols = cols
        row.values, row.styles, row.helds = map(list, zip(*readings, strict=True))
        return row

    def __bool__(self) -> bool:
        return bool(self.cols)

    def at(self, col: int) -> int:
        """The position of column ``col``'s cell, -1 if the row has none."""
        i = bisect_left(self.cols, col)
        return i if i < len(self.cols) and self.cols[i] == col else -1

    def value(self, col: int) -> Any:
        i = self.at(col)
        return None if i < 0 else self.values[i]

    def span(self, col: int, width: int) -> list[Any]:
        """The values of columns ``col`` to ``col + width - 1`` (None where the row has no cell)."""
        line: list[Any] = [None] * width
        cols, values, stop = self.cols, self.values, col + width
        i = bisect_left(cols, col)
        while i < len(cols) and cols[i] < stop:
            line[cols[i] - col] = values[i]
            i += 1
        return line

    def put(self, col: int, value: Any, style: str | None, held: Held) -> None:
        """Keep a cell, in place of the column's cell if there was one."""
        i = bisect_left(self.cols, col)
        if i < len(self.cols) and self.cols[i] == col:
            self.values[i], self.styles[i], self.helds[i] = value, style, held
            return
        self.cols.insert(i, col)
        self.values.insert(i, value)
        self.styles.insert(i, style)
        self.helds.insert(i, held)


#: The cells of a row the sheet does not have (never kept into: a write makes the row's own).
NO_CELLS: Final = RowCells()
