"""The file adapter: a planning workbook on disk, edited part by part and saved atomically.

Only the cells that the contract declares as dyplan's change (and the parts a write must touch to
stay valid): every other sheet, drawing, chart, image, comment, pivot, extension, the VBA project and
the ribbon keep their bytes. Workbooks are untrusted: the archive is checked for zip bombs, and XML
is parsed without entities or DTDs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from dyplan.book import written
from dyplan.book.contract import Area
from dyplan.book.formulas import FormulaBook
from dyplan.book.port import Formats, Rows
from dyplan.files.chart import TableRows
from dyplan.files.safety import (
    Fingerprint,
    WorkbookFileError,
    check_archive,
    exclusive,
    os_error,
    real_path,
    refuse_if_open,
    refuse_read_only,
    write_atomically,
)
from dyplan.files.workbook_package import WorkbookPackage, quoted_sheet


class XlsxBook:
    """``Book`` over a workbook package."""

    def __init__(self, package: WorkbookPackage) -> None:
        self.package = package

    def save(self, path: Path) -> None:
        self.package.save(path)

    def sheet_names(self) -> list[str]:
        return self.package.sheet_names()

    def defined_names(self) -> dict[str, str]:
        return self.package.defined_names()

    def read(self, sheet: str, row: int, col: int, rows: int, cols: int) -> Rows:
        return self.package.sheet(sheet).block(row, col, rows, cols)

    def write(self, sheet: str, row: int, col: int, values: Rows, style_row: int | None = None,
              formats: Formats | None = None, style_col: int | None = None) -> None:  # fmt: skip
        ws = self.package.sheet(sheet)
        width = len(values[0]) if values else 0
        kept = [None] * width
        copied = [ws.style(style_row, col + j) for j in range(width)] if style_row is not None else kept
        height = ws.height(style_row) if style_row is not None else None
        # Columns a ledger did not reach before (blank first cell) take the style column's formats.
        new_cols = [] if style_col is None else [
            j for j in range(width) if col + j != style_col and ws.value(row, col + j) in (None, "")
        ]  # fmt: skip
        for i, line in enumerate(values):
            # Rows the table did not reach before (blank first cell) take the style row's formats and
            # height; rows it had keep theirs, formatted by the user or not (as the live adapter does).
            new = style_row is not None and row + i != style_row and ws.value(row + i, col) in (None, "")
            styles = copied if new else kept
            if new_cols:
                beside = ws.style(row + i, style_col)  # type: ignore[arg-type]
                styles = [beside if j in new_cols else style for j, style in enumerate(styles)]
            if new and height is not None:
                ws.set_height(row + i, height)
            if formats:
                styles = [
                    self.package.styles.with_number_format(style or ws.style(row + i, col + j), code)
                    if code is not None else style
                    for j, (style, code) in enumerate(zip(styles, formats[i], strict=True))
                ]  # fmt: skip
            ws.write_row(row + i, col, line, styles)

    def clear(self, sheet: str, row: int, col: int, rows: int, cols: int) -> None:
        ws = self.package.sheet(sheet)
        for r in range(row, row + rows):
            for c in ws.columns(r):
                if col <= c < col + cols:
                    ws.write(r, c, None)

    def computes(self, sheet: str, row: int, col: int) -> bool:
        return False  # values only: live formulas come through ``FormulaBook``

    def recall(self) -> bytes | None:
        return self.package.custom_xml(written.ROOT)

    def remember(self, data: bytes) -> None:
        self.package.set_custom_xml(written.ROOT, data)

    def redraw(self, rows: Area, title: str) -> None:
        span = TableRows(rows.sheet, rows.first_row, rows.last_row, rows.first_col, rows.last_col)
        self.package.redraw_charts(span, title)

    def define_name(self, name: str, sheet: str, ref: str) -> None:
        """(Re)define a name; a growing table's conditional formats and validations follow its rows."""
        refers_to = f"{quoted_sheet(sheet)}!{ref}"
        old, new = Area.parse(self.package.defined_names().get(name, "")), Area.parse(refers_to)
        if old and new and (old.sheet, old.first_row, old.first_col, old.last_col) == (
            new.sheet, new.first_row, new.first_col, new.last_col
        ):  # fmt: skip
            data_top = old.first_row + 1  # under the header row
            self.package.sheet(sheet).stretch_ranges(data_top, old.first_col, old.last_col, old.last_row,
                                                     new.last_row)  # fmt: skip
        self.package.define_name(name, refers_to)


def open_book(path: Path) -> XlsxBook:
    """Open a planning workbook for reading and writing (macros and ribbon kept for .xlsm)."""
    suffix = path.suffix.lower()
    if suffix in (".ods", ".xls", ".et"):
        raise WorkbookFileError(
            f"{path.name} 不是 .xlsx 格式；请在 LibreOffice/WPS/Excel 中「另存为」Excel 工作簿 (.xlsx) "
            "后再试。",
            f"{path.name} is not an .xlsx file; use Save As → Excel workbook (.xlsx) in LibreOffice, "
            "WPS or Excel, then try again.",
        )
    if not path.exists():
        raise WorkbookFileError(f"找不到文件：{path}", f"File not found: {path}")
    if suffix not in (".xlsx", ".xlsm"):
        raise WorkbookFileError(
            f"{path.name} 不是 .xlsx 或 .xlsm 文件。", f"{path.name} is not an .xlsx or .xlsm file."
        )
    check_archive(path)
    try:
        return XlsxBook(WorkbookPackage(path))
    except OSError as error:
        raise os_error(path, error) from error
    except Exception as error:  # a damaged package fails in zipfile, lxml or a missing part: all mean this
        raise WorkbookFileError(
            f"无法读取 {path.name}：文件已损坏或不是 Excel 工作簿（{type(error).__name__}）。",
            f"Cannot read {path.name}: it is damaged or not an Excel workbook ({type(error).__name__}).",
        ) from error


@contextlib.contextmanager
def editing(path: Path) -> Iterator[XlsxBook | FormulaBook]:
    """Open a workbook, let the caller change it, and save it atomically if no error escaped.

    The write lock is held from reading to replacing, and the file is replaced only if nobody
    saved it meanwhile. An .xlsm computes some cells with ``=DY_…()`` formulas: they get formulas.
    """
    target = real_path(path)
    refuse_if_open(path)
    refuse_read_only(target)
    with exclusive(target):
        read_as = Fingerprint.of(target) if target.exists() else None
        book = open_book(target)
        yield FormulaBook(book) if target.suffix.lower() == ".xlsm" else book
        if book.package.changed():
            write_atomically(target, book.save, read_as)
