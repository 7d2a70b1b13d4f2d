"""Workbooks made fresh for each test, through the same commands users run."""

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c
from dyplan.demo import demo_inputs

#: Regenerate's "today" in tests: after the plan's P1 checkpoints, before the rest.
TODAY = dt.date(2027, 2, 20)


def export_demo(folder: Path) -> Path:
    """The demo shop's finished plan, made as users make it: new, regenerate, export."""
    workbook, finished = folder / "规划.xlsx", folder / "方案.xlsx"
    operations.new_workbook(workbook, demo_inputs())
    operations.regenerate_file(workbook, today=TODAY)
    operations.export_file(workbook, finished, today=TODAY)
    return finished


@pytest.fixture
def demo_path(tmp_path: Path) -> Path:
    """A new workbook with the demo inputs, not yet regenerated."""
    path = tmp_path / "规划.xlsx"
    operations.new_workbook(path, demo_inputs())
    return path


@pytest.fixture
def regenerated_path(demo_path: Path) -> Path:
    operations.regenerate_file(demo_path, today=TODAY)
    return demo_path


def named_values(path: Path, name: str, data_only: bool = False):
    """The value(s) under a workbook-scope defined name: a scalar or rows of values."""
    wb = load_workbook(path, data_only=data_only)
    sheet, ref = next(wb.defined_names[name].destinations)
    cells = wb[sheet][ref.replace("$", "")]
    if not isinstance(cells, tuple):
        return cells.value
    return [[cell.value for cell in row] for row in cells]


def set_cell(path: Path, name: str, value) -> None:
    """Type a value into the cell under a defined name, as a user would, and save.

    Text is stored as text even when it starts with "=" (as Excel does for '=… typed).
    """
    set_cells(path, {name: value})


def set_cells(path: Path, values: dict[str, object]) -> None:
    """``set_cell`` for several names, in one open and save."""
    wb = load_workbook(path)
    for name, value in values.items():
        sheet, ref = next(wb.defined_names[name].destinations)
        cell = wb[sheet][ref.replace("$", "")]
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"
    wb.save(path)


def table_cell(path: Path, table: c.Table, row: int, key: str, value) -> None:
    """Type into a table's typed column (row is 0-based within the data rows)."""
    wb = load_workbook(path)
    sheet, top, left = c.table_origin(table)
    wb[sheet].cell(top + row, left + table.column(key)).value = value
    wb.save(path)


def delete_defined_name(path: Path, name: str) -> None:
    """Take a defined name out of the workbook, as a damaged (or hand-edited) file has it."""
    with zipfile.ZipFile(path) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    pattern = rb'<definedName name="' + name.encode() + rb'">[^<]*</definedName>'
    members["xl/workbook.xml"] = re.sub(pattern, b"", members["xl/workbook.xml"])
    with zipfile.ZipFile(path, "w") as archive:
        for n, data in members.items():
            archive.writestr(n, data)
