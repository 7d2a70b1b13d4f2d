"""The file adapter: a planning workbook on disk, opened with openpyxl, saved atomically.

Workbooks are untrusted input: the archive is checked for zip bombs before it is opened,
and openpyxl parses XML through defusedxml (installed with dyplan) against entity attacks.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from copy import copy
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.workbook.defined_name import DefinedName

from dyplan.book.cells import Rows
from dyplan.book.formulas import Formula, FormulaBook
from dyplan.book.shared_strings import share_strings
from dyplan.book.xlsm import restore_ribbon
from dyplan.errors import DyplanError

#: Limits far above any real plan (the demo plan unpacks to about 2 MB).
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_MEMBERS = 5_000
MAX_RATIO = 200  # unpacked ÷ packed for one member: XML packs 10–30×, a bomb 1000×+


class WorkbookFileError(DyplanError):
    """The file cannot be used: missing, not a workbook, unsafe, locked or open elsewhere."""


class XlsxBook:
    """``Book`` over an openpyxl workbook."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook

    def save(self, path: Path) -> None:
        """Save, with strings shared as Excel writes them (openpyxl writes them inline)."""
        self.workbook.save(path)
        share_strings(path, path)
        if path.suffix.lower() == ".xlsm":  # openpyxl drops the ribbon's relationship
            restore_ribbon(path)

    def sheet_names(self) -> list[str]:
        return list(self.workbook.sheetnames)

    def read(self, sheet: str, row: int, col: int, rows: int, cols: int) -> Rows:
        ws = self.workbook[sheet]
        return [
            list(values)
            for values in ws.iter_rows(
                min_row=row, max_row=row + rows - 1, min_col=col, max_col=col + cols - 1,
                values_only=True,
            )
        ]  # fmt: skip

    def write(self, sheet: str, row: int, col: int, values: Rows, style_row: int | None = None) -> None:
        ws = self.workbook[sheet]
        styles = [ws.cell(style_row, col + j)._style for j in range(len(values[0]))] if style_row else None
        for i, line in enumerate(values):
            for j, value in enumerate(line):
                cell = ws.cell(row + i, col + j)
                cell.value = value
                if styles is not None and not cell.has_style:
                    cell._style = copy(styles[j])
                if isinstance(value, str) and not isinstance(value, Formula):
                    cell.data_type = "s"  # text stays text, even "=1+1" from an import

    def clear(self, sheet: str, row: int, col: int, rows: int, cols: int) -> None:
        ws = self.workbook[sheet]
        for r in range(row, row + rows):
            for c in range(col, col + cols):
                ws.cell(r, c).value = None

    def define_name(self, name: str, sheet: str, ref: str) -> None:
        quoted = "'" + sheet.replace("'", "''") + "'"
        self.workbook.defined_names[name] = DefinedName(name, attr_text=f"{quoted}!{ref}")


def check_archive(path: Path, max_unpacked: int = MAX_UNPACKED_BYTES) -> None:
    """Refuse archives that are not zips, or that unpack to far more than any real file."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise WorkbookFileError(
            f"{path.name} 不是 Excel 工作簿（.xlsx/.xlsm）或已损坏。",
            f"{path.name} is not an Excel workbook (.xlsx/.xlsm), or it is damaged.",
        ) from error
    unpacked = sum(m.file_size for m in members)
    bomb = any(m.file_size > 1_000_000 and m.file_size > MAX_RATIO * max(m.compress_size, 1)
               for m in members)  # fmt: skip
    if len(members) > MAX_MEMBERS or unpacked > max_unpacked or bomb:
        raise WorkbookFileError(
            f"{path.name} 解压后过大或压缩比异常，已拒绝打开（疑似压缩炸弹）。",
            f"{path.name} unpacks to too much data or compresses suspiciously well; refused "
            "(possible zip bomb).",
        )


def open_book(path: Path) -> XlsxBook:
    """Open a planning workbook for reading and writing (macros kept for .xlsm)."""
    if not path.exists():
        raise WorkbookFileError(f"找不到文件：{path}", f"File not found: {path}")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise WorkbookFileError(
            f"{path.name} 不是 .xlsx 或 .xlsm 文件。", f"{path.name} is not an .xlsx or .xlsm file."
        )
    check_archive(path)
    try:
        workbook = load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm", rich_text=False)
    except Exception as error:  # openpyxl raises many types for damaged files; all mean this
        raise WorkbookFileError(
            f"无法读取 {path.name}：{error}", f"Cannot read {path.name}: {error}"
        ) from error
    return XlsxBook(workbook)


def lock_files(path: Path) -> list[Path]:
    """Lock files that Excel/WPS (``~$name``) and LibreOffice (``.~lock.name#``) keep beside open files."""
    candidates = (path.with_name("~$" + path.name), path.with_name(f".~lock.{path.name}#"))
    return [p for p in candidates if p.exists()]


def refuse_if_open(path: Path) -> None:
    if lock_files(path):
        raise WorkbookFileError(
            f"{path.name} 正在被 Excel/WPS/LibreOffice 打开，请先关闭再操作（否则改动会被覆盖）。",
            f"{path.name} is open in Excel/WPS/LibreOffice; close it first (or its copy would "
            "overwrite these changes).",
        )


def write_atomically(target: Path, write: Callable[[Path], None]) -> None:
    """Write via a temporary file in the same folder, then rename over ``target``.

    A failure at any point leaves ``target`` exactly as it was.
    """
    folder = target.resolve().parent
    if not folder.is_dir():
        raise WorkbookFileError(f"文件夹不存在：{folder}", f"Folder does not exist: {folder}")
    handle, temp_name = tempfile.mkstemp(prefix=".dyplan-", suffix=target.suffix, dir=folder)
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        # mkstemp makes the file private; give it the old file's mode, or the usual one.
        os.chmod(temp, target.stat().st_mode if target.exists() else 0o666 & ~_umask())
        with open(temp, "rb") as written:
            os.fsync(written.fileno())
        try:
            os.replace(temp, target)
        except PermissionError as error:
            raise WorkbookFileError(
                f"无法写入 {target.name}：文件被占用或只读（是否已在 Excel 中打开？）。",
                f"Cannot write {target.name}: the file is locked or read-only (open in Excel?).",
            ) from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


@contextlib.contextmanager
def editing(path: Path) -> Iterator[XlsxBook | FormulaBook]:
    """Open a workbook, let the caller change it, and save it atomically if no error escaped.

    An .xlsm computes some cells with ``=DY_…()`` formulas: they get formulas, not values.
    """
    refuse_if_open(path)
    book = open_book(path)
    yield FormulaBook(book) if path.suffix.lower() == ".xlsm" else book
    write_atomically(path, book.save)
