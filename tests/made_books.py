"""The workbooks users end up with, made through the same commands they run: the demo regenerated and a
first day's (a blank workbook, only the required inputs typed) after one import, each as .xlsx and
.xlsm, and the finished plan of each."""

from __future__ import annotations

from pathlib import Path

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.xlsx_file import editing
from dyplan.demo import demo_inputs
from tests.book.conftest import TODAY
from tests.test_first_day import REQUIRED, write_report

#: The planning workbooks by name, then the finished plans ("… plan").
WORKBOOKS = ("demo.xlsx", "demo.xlsm", "first day.xlsx", "first day.xlsm")
PLANS = ("demo plan", "first day plan")


def type_inputs(path: Path, values: dict[str, object]) -> None:
    """Type values into the cells under these defined names and save, as a user would."""
    with editing(path) as book:
        for name, value in values.items():
            sheet, row, col = c.cell_of(name)
            book.write(sheet, row, col, [[value]])


def make_books(work: Path) -> dict[str, Path]:
    """Every workbook of ``WORKBOOKS`` and ``PLANS``, made in ``work``."""
    report = write_report(work)
    made: dict[str, Path] = {}
    for suffix in (".xlsx", ".xlsm"):
        demo = made[f"demo{suffix}"] = work / f"demo{suffix}"
        operations.new_workbook(demo, demo_inputs())
        operations.regenerate_file(demo, today=TODAY)
        first = made[f"first day{suffix}"] = work / f"first{suffix}"
        operations.new_workbook(first, None)
        type_inputs(first, REQUIRED)
        operations.import_files(first, [report])
    for name in ("demo", "first day"):
        plan = made[f"{name} plan"] = work / f"{name} 方案.xlsx"
        operations.export_file(made[f"{name}.xlsx"], plan, today=TODAY)
    return made
