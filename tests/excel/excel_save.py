"""Save what a stand-in workbook holds as Excel would after a full recalculation: every cell and
defined name the macros wrote, and each formula with the value it computes (the =DY_… ones
through the worksheet functions)."""

from pathlib import Path

from openpyxl import load_workbook

from dyplan.book.contract import Area
from dyplan.book.xlsx_file import open_book
from dyplan.files.safety import write_atomically
from dyplan.files.worksheet import Formula

from . import standin
from .formula_eval import Sheetful


def save_as_excel(book: standin.Book, path: Path) -> None:
    """Write the stand-in's cells over the .xlsm at ``path`` (the file it was loaded from)."""
    before = load_workbook(path)
    file = open_book(path)
    for sheet in book.sheets:
        held = {(cell.row, cell.column) for row in before[sheet.name].iter_rows() for cell in row
                if cell.value is not None}  # fmt: skip
        for row, col in sorted(held | set(sheet.cells)):  # a cell the macros cleared is cleared
            value = sheet.cells.get((row, col))
            file.write(sheet.name, row, col, [[Formula(value) if _formula(value) else value]])
    for name, refers_to in book.names.refers_to.items():  # growing tables' names, as the macros set them
        area = Area.parse(refers_to)
        if area is not None:  # not the unattended setting, which the script deletes before saving
            file.define_name(name, area.sheet, refers_to.rpartition("!")[2])
    write_atomically(path, file.save)  # the package reads its source while saving
    calculated = Sheetful(path)  # the formulas read the values just written, as Excel's calculation does
    file = open_book(path)
    for sheet in book.sheets:
        for (row, col), value in sheet.cells.items():
            if _formula(value):
                file.write(sheet.name, row, col, [[Formula(value, calculated.evaluate(sheet.name, value))]])
    write_atomically(path, file.save)  # the package reads its source while saving


def _formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith("=")
