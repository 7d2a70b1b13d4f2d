"""The 基线 sheet: the plan ``dyplan baseline freeze`` keeps day by day, read back as the engine's
``Baseline``, and set beside the live plan and the actuals on every regenerate (model/baseline.py).

The frozen cells are written once, by the freeze; regenerate writes only the comparison.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from dyplan import scalars
from dyplan.book import contract as c
from dyplan.book.block_values import frame_rows, named_cells
from dyplan.book.port import Book, Rows
from dyplan.errors import DyplanError
from dyplan.model import BASELINE_COLUMNS, Baseline, Phase, Plan, versus_baseline

#: How the comparison names its two kinds of period.
PERIODS = {"phase": "阶段 phase", "month": "月份 month"}
PHASE_NAMES = {p.value: f"{p.value} {p.zh}" for p in Phase}


class BaselineError(DyplanError):
    """A cell of the frozen baseline no longer holds what the freeze wrote there."""


def read_baseline(book: Book) -> Baseline | None:
    """The baseline frozen in ``book`` (blocks located), or None before any freeze and in a workbook
    made before the 基线 sheet."""
    if c.BASELINE.name not in book.sheet_names():
        return None
    sheet, row, col = c.cell_of("Baseline_Frozen_On")
    frozen = book.read(sheet, row, col, 1, 1)[0][0]
    if scalars.is_blank(frozen):
        return None
    frozen_on = _date(frozen, sheet, row, col)
    inputs = book.read(*c.cell_of("Baseline_Inputs"), 1, 1)[0][0]
    return Baseline(frozen_on, "" if inputs is None else str(inputs), _days(book))


def _days(book: Book) -> pd.DataFrame:
    """The frozen days, each cell as the freeze wrote it: consecutive dates, phases, money."""
    table = c.BASELINE_DAILY
    sheet, top, left = c.table_origin(table)
    rows = book.read(sheet, top, left, table.rows or 0, len(table.columns))
    date, phase = table.column("date"), table.column("phase")
    days: list[list[Any]] = []
    for i, row in enumerate(rows):
        day = _date(row[date], sheet, top + i, left + date)
        if days and day != days[-1][date] + dt.timedelta(days=1):
            _refuse(sheet, top + i, left + date, "前一天的次日", "the day after the one above", row[date])
        if row[phase] not in PHASE_NAMES:
            _refuse(sheet, top + i, left + phase, "P1–P4", "P1–P4", row[phase])
        money = [_number(row[j], sheet, top + i, left + j) for j in range(len(row)) if j not in (date, phase)]
        days.append([day, row[phase], *money])
    return pd.DataFrame(days, columns=[col.key for col in table.columns])[list(BASELINE_COLUMNS)]


def _date(value: Any, sheet: str, row: int, col: int) -> dt.date:
    try:
        day = scalars.date(value)
    except ValueError:
        day = None
    if day is None:
        _refuse(sheet, row, col, "日期", "a date", value)
    return day  # type: ignore[return-value]


def _number(value: Any, sheet: str, row: int, col: int) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    _refuse(sheet, row, col, "金额", "an amount", value)
    raise AssertionError  # _refuse raises


def _refuse(sheet: str, row: int, col: int, zh: str, en: str, got: Any) -> None:
    where = f"{sheet}!{c.address(row, col)}"
    raise BaselineError(
        f"{where}：冻结的基线在此应为{zh}，现为「{got}」，可能被手工改动。请撤销改动，或用 dyplan baseline "
        "freeze --replace 重新冻结当前方案。",
        f"{where}: the frozen baseline should hold {en} here, not {got!r} (edited by hand?). Undo the "
        "edit, or freeze the current plan again with `dyplan baseline freeze --replace`.",
    )


def write_baseline(book: Book, baseline: Baseline) -> None:
    """Write ``baseline`` into the 基线 sheet's frozen cells (blocks located)."""
    cells = frozen_cells(baseline)
    for name, value in cells.items():
        book.write(*c.cell_of(name), [[value]])
    book.write(*c.table_origin(c.BASELINE_DAILY), frozen_days(baseline))


def frozen_cells(baseline: Baseline | None) -> dict[str, Any]:
    """The frozen fields' values by defined name (blank before any freeze)."""
    if baseline is None:
        return named_cells(c.BASELINE_FIELDS, {"frozen_on": None, "inputs": None})
    return named_cells(c.BASELINE_FIELDS, {"frozen_on": baseline.frozen_on, "inputs": baseline.inputs})


def frozen_days(baseline: Baseline | None) -> Rows:
    """The frozen days as the 基线 sheet's table holds them (blank before any freeze)."""
    table = c.BASELINE_DAILY
    if baseline is None:
        return [[None] * len(table.columns) for _ in range(table.rows or 0)]
    return frame_rows(baseline.daily, table)


def compare_rows(plan: Plan, baseline: Baseline | None, actuals: pd.DataFrame) -> Rows:
    """The comparison's rows: per phase, then per month, the baseline beside the plan and the actuals
    (blank where there are none); before any freeze, how to freeze, and no number at all."""
    table = c.BASELINE_COMPARE
    if baseline is None:
        return table.empty_rows()
    compared = versus_baseline(plan, baseline, actuals)
    phases = compared["period"] == "phase"
    compared["key"] = compared["key"].where(~phases, compared["key"].map(PHASE_NAMES))
    compared["period"] = compared["period"].map(PERIODS)
    rows = frame_rows(compared, table)
    # The phases and the months of two runs of 365 consecutive days (read_baseline checks the frozen
    # ones): never more than the table's rows.
    return rows + [[None] * len(table.columns) for _ in range((table.rows or 0) - len(rows))]
