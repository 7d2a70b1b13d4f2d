"""The workbooks users end up with, made through the same commands they run: the demo regenerated and a
first day's (a blank workbook, only the required inputs typed) after one import, two scenarios saved,
compared and one restored, and the baseline frozen; each as .xlsx and .xlsm, and the finished plan of
each."""

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


def keep_versions(path: Path) -> None:
    """Every sheet a first day may fill beside the plan: scenarios saved and compared, the baseline."""
    operations.save_scenario_file(path, "起点", today=TODAY)
    type_inputs(path, {"GMV_Target": 60_000_000})
    operations.save_scenario_file(path, "高目标", today=TODAY)
    operations.compare_scenarios_file(path, [], base="起点", today=TODAY)
    operations.restore_scenario_file(path, "起点", today=TODAY)  # the required inputs again
    operations.freeze_baseline_file(path, today=TODAY)


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
        keep_versions(first)
    for name in ("demo", "first day"):
        plan = made[f"{name} plan"] = work / f"{name} 方案.xlsx"
        operations.export_file(made[f"{name}.xlsx"], plan, today=TODAY)
    return made
