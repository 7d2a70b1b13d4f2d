"""The live adapter: ``Book`` over a workbook open in Excel, through xlwings.

One range read or write per block: xlwings is about 100× slower per cell (xlwings issue 860).
Values cross as the file adapter reads them: whole numbers as ints, dates as datetimes, blanks
as None.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import xlwings as xw

from dyplan.book import written
from dyplan.book.contract import Area, address
from dyplan.book.port import Formats, Rows
from dyplan.files.chart import TableRows, series_formula
from dyplan.files.workbook_package import quoted_sheet
from dyplan.files.worksheet import Formula


def to_excel(value: Any) -> Any:
    """A value as Excel should receive it: formulas stay formulas, and text stays text."""
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, str) and value:
        # Excel parses what it is given as if typed ("=1+1", "1/2", "2027-01-01", "5%");
        # a leading apostrophe stores the text as it is (the apostrophe is not part of it).
        return "'" + value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def from_excel(value: Any) -> Any:
    """A cell's value as the file adapter reads it: Excel hands every number over as a float,
    openpyxl whole numbers as ints (and the engine counts days and heads in ints)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: Excel's longest address text for one Range ("A1:A3,C5,…").
MAX_AREAS_TEXT = 255


def _joined(refs: list[str], limit: int) -> list[str]:
    chunks: list[str] = []
    for ref in refs:
        if chunks and len(chunks[-1]) + 1 + len(ref) <= limit:
            chunks[-1] += "," + ref
        else:
            chunks.append(ref)
    return chunks


class LiveBook:
    """``Book`` over an open ``xw.Book`` (rows and columns 1-based, as in Excel)."""

    def __init__(self, book: xw.Book) -> None:
        self.book = book

    def _range(self, sheet: str, row: int, col: int, rows: int, cols: int) -> xw.Range:
        return self.book.sheets[sheet].range((row, col), (row + rows - 1, col + cols - 1))

    def sheet_names(self) -> list[str]:
        return [sheet.name for sheet in self.book.sheets]

    def read(self, sheet: str, row: int, col: int, rows: int, cols: int) -> Rows:
        # ndim=2: xlwings gives a single row or column as a flat list otherwise.
        block = self._range(sheet, row, col, rows, cols).options(ndim=2).value
        return [[from_excel(value) for value in line] for line in block]

    def write(self, sheet: str, row: int, col: int, values: Rows, style_row: int | None = None,
              formats: Formats | None = None, style_col: int | None = None) -> None:  # fmt: skip
        if not values:
            return
        width = len(values[0])
        if style_row is not None:
            self._format_new_rows(sheet, row, col, len(values), width, style_row)
        if style_col is not None:
            self._format_new_columns(sheet, row, col, len(values), width, style_col)
        if formats:
            self._number_formats(sheet, row, col, formats)
        block = [[to_excel(value) for value in line] for line in values]
        self._range(sheet, row, col, len(values), width).value = block

    def _number_formats(self, sheet: str, row: int, col: int, formats: Formats) -> None:
        """One call per format code and up to 255 characters of areas ("B5:B9,B12"), not per cell."""
        areas: dict[str, list[str]] = {}
        for j in range(len(formats[0])):
            i = 0
            while i < len(formats):
                code, start = formats[i][j], i
                while i < len(formats) and formats[i][j] == code:
                    i += 1
                if code is not None:
                    first, last = address(row + start, col + j), address(row + i - 1, col + j)
                    areas.setdefault(code, []).append(first if first == last else f"{first}:{last}")
        for code, refs in areas.items():
            for chunk in _joined(refs, MAX_AREAS_TEXT):
                self.book.sheets[sheet].range(chunk).number_format = code

    def _format_new_rows(self, sheet: str, row: int, col: int, rows: int, cols: int, style_row: int) -> None:
        """Rows the table did not reach before (blank first cell) take the formats of ``style_row``."""
        first_column = [line[0] for line in self.read(sheet, row, col, rows, 1)]
        new = next((i for i, value in enumerate(first_column) if value in (None, "")), rows)
        if new == rows:
            return
        style = self._range(sheet, style_row, col, 1, cols)
        style.copy()
        added = self._range(sheet, row + new, col, rows - new, cols)
        added.paste(paste="formats")  # pasting formats leaves the rows' heights as they were
        added.row_height = style.row_height
        self.book.app.cut_copy_mode = False

    def _format_new_columns(
        self, sheet: str, row: int, col: int, rows: int, cols: int, style_col: int
    ) -> None:
        """Columns a ledger did not reach before (blank first cell) take the formats of ``style_col``."""
        heads = self.read(sheet, row, col, 1, cols)[0]
        new = [j for j, value in enumerate(heads) if value in (None, "") and col + j != style_col]
        if not new:
            return
        self._range(sheet, row, style_col, rows, 1).copy()
        for j in new:  # a ledger adds one column at a time: one paste each
            self._range(sheet, row, col + j, rows, 1).paste(paste="formats")
        self.book.app.cut_copy_mode = False

    def clear(self, sheet: str, row: int, col: int, rows: int, cols: int) -> None:
        self._range(sheet, row, col, rows, cols).clear_contents()

    def defined_names(self) -> dict[str, str]:
        # Sheet-scoped names come as "Sheet!Name": the contract's names are workbook-scoped.
        return {n.name: n.refers_to for n in self.book.names if "!" not in n.name}

    def computes(self, sheet: str, row: int, col: int) -> bool:
        return False  # values only: live formulas come through ``FormulaBook``

    def recall(self) -> bytes | None:
        """What ``remember`` kept: a custom XML part of the workbook (the package adapter reads and
        writes the same part in a saved file)."""
        parts = self._kept_parts()
        return parts[0].XML.encode("utf-8") if parts else None

    def remember(self, data: bytes) -> None:
        """Keep ``data`` as the workbook's custom XML part, replacing the last one. Excel for Mac
        offers no custom XML parts to scripts: there the next regenerate has nothing to compare with."""
        store = self._custom_parts()
        if store is None:
            return
        for part in self._kept_parts():
            part.Delete()
        store.Add(data.decode("utf-8"))

    def _custom_parts(self) -> Any:
        """``Workbook.CustomXMLParts``, or None where the host offers none (Excel for Mac)."""
        return getattr(self.book.api, "CustomXMLParts", None)

    def _kept_parts(self) -> list[Any]:
        store = self._custom_parts()
        return [] if store is None else list(store.SelectByNamespace(written.NS))

    def redraw(self, rows: Area, title: str) -> None:
        """As the package adapter does: a chart whose every series reads columns of ``rows`` from
        their first row gets ``SERIES`` formulas over all of them, and ``title``."""
        span = TableRows(rows.sheet, rows.first_row, rows.last_row, rows.first_col, rows.last_col)
        for chart in self.book.sheets[rows.sheet].charts:
            if not isinstance(chart.api, tuple):  # Excel for Mac: no series formulas for scripts
                continue
            drawing = chart.api[1]  # Windows: (ChartObject, Chart) of Excel's object model
            series = [drawing.SeriesCollection(i) for i in range(1, drawing.SeriesCollection().Count + 1)]
            formulas = [series_formula(s.Formula, span) for s in series]
            if not series or None in formulas:
                continue
            for line, formula in zip(series, formulas, strict=True):
                line.Formula = formula
            if drawing.HasTitle:
                drawing.ChartTitle.Text = title

    def define_name(self, name: str, sheet: str, ref: str) -> None:
        self.book.names.add(name, f"={quoted_sheet(sheet)}!{ref}")
