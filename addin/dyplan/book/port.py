"""``Book``: a workbook seen as sheets of 1-based cells, the one interface the workbook layer uses.

Two adapters offer it: the package adapter (``xlsx_file``: CLI, tests, any client's file) and the
xlwings live adapter (``excel/live``: the ribbon in a running Excel).
"""

from __future__ import annotations

from typing import Any, Protocol

from dyplan.book.contract import Area

Rows = list[list[Any]]
#: A number format code per cell of a block (None: the cell keeps its own).
Formats = list[list[str | None]]


class Book(Protocol):
    """A workbook seen as sheets of 1-based cells."""

    def sheet_names(self) -> list[str]: ...

    def read(self, sheet: str, row: int, col: int, rows: int, cols: int) -> Rows:
        """Values of a block, as a list of rows (None for empty cells)."""

    def write(self, sheet: str, row: int, col: int, values: Rows, style_row: int | None = None,
              formats: Formats | None = None, style_col: int | None = None) -> None:  # fmt: skip
        """Write a block; ``style_row``: its new rows take that row's formats; ``style_col``: its new
        columns take that column's, row by row; ``formats``: number formats."""

    def clear(self, sheet: str, row: int, col: int, rows: int, cols: int) -> None: ...

    def define_name(self, name: str, sheet: str, ref: str) -> None: ...

    def defined_names(self) -> dict[str, str]:
        """Workbook-scope defined names and what each refers to (``'输入'!$C$8``)."""

    def computes(self, sheet: str, row: int, col: int) -> bool:
        """Whether the spreadsheet computes this cell itself (a live formula): what it holds then
        says nothing of what the user typed."""

    def recall(self) -> bytes | None:
        """What ``remember`` kept in the workbook, if anything."""

    def remember(self, data: bytes) -> None:
        """Keep ``data`` (what regenerate wrote) in the workbook for the next regenerate."""

    def redraw(self, rows: Area, title: str) -> None:
        """The charts that draw from columns of ``rows`` (from their first row, on their sheet) run
        over all of them now, under ``title`` (``last_row`` < ``first_row``: no rows yet)."""
