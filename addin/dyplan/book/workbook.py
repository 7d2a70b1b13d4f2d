"""Read and write a planning workbook through the contract, whatever holds it.

``Book`` is the small interface both adapters offer: the openpyxl file adapter (CLI, tests)
and the xlwings live adapter (ribbon macros). Everything here moves whole blocks: one
read or write per block, never cell by cell (xlwings is ~100× slower per cell).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Protocol

import pandas as pd

from dyplan.book import contract as c
from dyplan.book.cells import (
    CHANNEL_LABELS,
    CheckpointKey,
    Formats,
    OrphanedActualsError,
    Outputs,
    Rows,
    Typed,
    build_outputs,
    checkpoint_keys,
    date_from_cell,
    empty_actuals,
    mix_shift_row,
    to_inputs,
)
from dyplan.book.number_formats import number_format
from dyplan.errors import DyplanError, Problem
from dyplan.model import Plan, build_plan
from dyplan.model.tracking import COUNTS, MIX_INDICATORS, mix_indicators, track
from dyplan.model.values import is_number
from dyplan.reports.actuals import combine, daily_totals, merge_daily
from dyplan.reports.reader import Report


class Book(Protocol):
    """A workbook seen as sheets of 1-based cells."""

    def sheet_names(self) -> list[str]: ...

    def read(self, sheet: str, row: int, col: int, rows: int, cols: int) -> Rows:
        """Values of a block, as a list of rows (None for empty cells)."""

    def write(self, sheet: str, row: int, col: int, values: Rows, style_row: int | None = None,
              formats: Formats | None = None) -> None:  # fmt: skip
        """Write a block; ``style_row``: the other rows take its formats; ``formats``: number formats."""

    def clear(self, sheet: str, row: int, col: int, rows: int, cols: int) -> None: ...

    def define_name(self, name: str, sheet: str, ref: str) -> None: ...


class ContractError(DyplanError):
    """The workbook is not a dyplan planning workbook (a sheet or header is missing)."""


#: A variable table never grows past this (P4 checked daily: 185 × 5 rows, plus P1–P3).
MAX_TABLE_ROWS = 2000


def check_shape(book: Book) -> None:
    """Every contract sheet exists and every table header is where the contract puts it."""
    names = set(book.sheet_names())
    missing = [s.name for s in c.SHEETS[1:] if s.name not in names]
    if missing:
        raise ContractError(
            f"这不是 dyplan 规划工作簿：缺少工作表 {'、'.join(missing)}。请用 dyplan new 新建。",
            f"Not a dyplan planning workbook: sheet(s) {', '.join(missing)} missing. "
            "Create one with `dyplan new`.",
        )
    for placed in c.iter_blocks(c.Table):
        table = placed.block
        assert isinstance(table, c.Table)
        header = book.read(placed.sheet.name, placed.first_row, 1, 1, len(table.columns))[0]
        expected = [f"{col.zh}\n{col.en}" for col in table.columns]
        if [str(v or "").replace("\r", "") for v in header] != expected:
            where = f"{placed.sheet.name}!{c.address(placed.first_row, 1)}"
            raise ContractError(
                f"{where}：表头与 dyplan 规划工作簿不一致，可能插入或删除了行列。请勿移动计算区域。",
                f"{where}: table header differs from the dyplan layout (rows or columns moved?). "
                "Do not move the computed blocks.",
            )


def _table_length(book: Book, table: c.Table) -> int:
    """Rows a table holds now: fixed tables their size, variable ones up to the first blank id."""
    if table.rows is not None:
        return table.rows
    sheet, top, left = c.table_origin(table)
    first_column = book.read(sheet, top, left, MAX_TABLE_ROWS, 1)
    return next((i for i, row in enumerate(first_column) if row[0] in (None, "")), len(first_column))


def read_typed(book: Book) -> Typed:
    """Everything the user typed: input cells, grids and the typed columns of output tables."""
    typed = Typed()
    for cell in c.input_cells():
        sheet, row, col = c.cell_of(cell.name)
        typed.cells[cell.name] = book.read(sheet, row, col, 1, 1)[0][0]
    for grid in c.grids():
        sheet, row, col = c.grid_origin(grid)
        typed.cells[grid.name] = book.read(sheet, row, col, len(grid.rows), len(grid.cols))
    typed.actuals, typed.import_log = read_actuals(book)
    typed.mix_shift = read_mix_shift(book)
    for placed in c.iter_blocks(c.Table):
        table = placed.block
        assert isinstance(table, c.Table)
        typed_columns = [j for j, col in enumerate(table.columns) if col.typed]
        if not typed_columns:
            continue
        length = _table_length(book, table)
        sheet, top, left = c.table_origin(table)
        rows = book.read(sheet, top, left, length, len(table.columns)) if length else []
        if table.rows is None:
            _refuse_typed_below(book, table, length)
        typed.columns[table.name] = {table.columns[j].key: [row[j] for row in rows] for j in typed_columns}
        if table is c.CHECKPOINTS_TABLE and rows:
            typed.checkpoint_keys = _keys_from_rows(rows, table)
    return typed


def _refuse_typed_below(book: Book, table: c.Table, length: int) -> None:
    """Values typed under a variable table's last row belong to no row: refuse, never drop."""
    sheet, top, left = c.table_origin(table)
    for j, column in enumerate(table.columns):
        if not column.typed:
            continue
        below = book.read(sheet, top + length, left + j, MAX_TABLE_ROWS - length, 1)
        stray = [i for i, row in enumerate(below) if row[0] not in (None, "")]
        if stray:
            where = f"{sheet}!{c.address(top + length + stray[0], left + j)}"
            raise OrphanedActualsError(
                [
                    Problem(
                        table.name,
                        "这一行没有对应的检查点，填在这里的实际值无处保存；请移到对应检查点行"
                        "（或先重新生成，再填写）",
                        "this row has no checkpoint, so the value typed here has nowhere to go; "
                        "move it to its checkpoint's row (or regenerate first, then type)",
                        where=where,
                    )
                ]
            )


def _keys_from_rows(rows: Rows, table: c.Table) -> list[CheckpointKey]:
    """The keys of the checkpoint rows already in the book (metric read from its English name)."""
    from dyplan.model.checkpoints import METRICS

    by_english = {m.en: m.key for m in METRICS.values()}
    phase, metric, day = (table.column(k) for k in ("phase", "metric_en", "day"))
    return checkpoint_keys(
        [str(row[phase]) for row in rows],
        [by_english.get(str(row[metric]), str(row[metric])) for row in rows],
        [row[day] if isinstance(row[day], int | float) else 0 for row in rows],
    )


def _runs(table: c.Table, include_typed: bool) -> list[tuple[int, int]]:
    """Runs of adjacent columns to write as single blocks: (first, stop) 0-based."""
    runs: list[tuple[int, int]] = []
    for j, column in enumerate(table.columns):
        if column.typed and not include_typed:
            continue
        if runs and runs[-1][1] == j:
            runs[-1] = (runs[-1][0], j + 1)
        else:
            runs.append((j, j + 1))
    return runs


def write_outputs(book: Book, outputs: Outputs) -> None:
    """Write every output block; typed cells are left alone except where rows move."""
    for placed in c.iter_blocks(c.Fields):
        fields = placed.block
        assert isinstance(fields, c.Fields)
        if fields.typed or placed.sheet is c.COVER:
            continue
        for cell in fields.cells:
            sheet, row, col = c.cell_of(cell.name)
            book.write(sheet, row, col, [[outputs.cells[cell.name]]])
    for placed in c.iter_blocks(c.Table):
        table = placed.block
        assert isinstance(table, c.Table)
        rows = outputs.tables[table.name]
        sheet, top, left = c.table_origin(table)
        variable = table.rows is None
        if variable:  # rows are laid out anew: typed values travel with their rows
            old = _table_length(book, table)
            if old > len(rows):
                book.clear(sheet, top + len(rows), left, old - len(rows), len(table.columns))
            last = top + max(len(rows), 1) - 1
            book.define_name(table.name, sheet, f"{c.address(top - 1, left, True)}:"
                             f"{c.address(last, left + len(table.columns) - 1, True)}")  # fmt: skip
        formats = _unit_formats(table, rows) if variable else None
        for first, stop in _runs(table, include_typed=variable):
            block = [row[first:stop] for row in rows]
            if block:
                book.write(sheet, top, left + first, block, style_row=top if variable else None,
                           formats=[line[first:stop] for line in formats] if formats else None)  # fmt: skip


def _unit_formats(table: c.Table, rows: Rows) -> Formats | None:
    """Number formats of a table whose columns show each row in its own unit (%, 元, counts)."""
    by_unit = [j for j, col in enumerate(table.columns) if col.fmt is c.Fmt.BY_UNIT]
    if not by_unit:
        return None
    unit = table.column("unit")
    return [[number_format(col.fmt, row[unit]) if j in by_unit else None
             for j, col in enumerate(table.columns)] for row in rows]  # fmt: skip


def read_plan(
    book: Book, today: dt.date | None = None, typed: Typed | None = None
) -> tuple[Typed, Plan, Outputs]:
    """The typed cells of ``book`` (or ``typed``), and the plan and outputs they make.

    Risk indicators that the stored actuals measure fill in those the user left blank.
    Raises ``ContractError`` for a workbook of another shape and ``InputError`` (every
    problem, with sheet and cell) for invalid inputs.
    """
    check_shape(book)
    typed = typed or read_typed(book)
    inputs = to_inputs(typed)
    tracking = track(build_plan(inputs), typed.actuals)
    stored_shifts = {key: row[2] for key, row in typed.mix_shift.items() if is_number(row[2])}
    tracking = replace(tracking, indicators={**stored_shifts, **tracking.indicators})
    if tracking.indicators:
        inputs = replace(inputs, risk_values={**tracking.indicators, **inputs.risk_values})
    plan = build_plan(inputs)
    return typed, plan, build_outputs(plan, typed, today or dt.date.today(), tracking)


def regenerate(book: Book, today: dt.date | None = None, typed: Typed | None = None) -> Plan:
    """Read the inputs, build the plan and write every output block of ``book``.

    Nothing is written when the workbook or its inputs are invalid.
    """
    _, plan, outputs = read_plan(book, today, typed)
    write_outputs(book, outputs)
    return plan


def import_reports(book: Book, reports: list[Report], now: dt.datetime) -> Plan:
    """Fold reports into the stored actuals, log the import, and regenerate everything.

    The dates the reports cover replace what earlier imports stored for those dates, so
    importing the same report twice, or overlapping ranges, never counts a day twice.
    """
    typed = read_typed(book)
    typed.actuals = merge_daily(typed.actuals, daily_totals(combine(reports)))
    log = [
        [f"{now:%Y-%m-%d %H:%M}", r.path.name, min(r.rows["date"]), max(r.rows["date"]),
         r.read_rows, r.skipped_rows]
        for r in reversed(reports)
    ]  # fmt: skip
    typed.import_log = (log + typed.import_log)[: c.IMPORT_LOG.rows]
    mix = pd.concat([r.mix for r in reports])
    for key, shift in mix_indicators(mix).items():  # only what these reports can measure
        typed.mix_shift[key] = mix_shift_row(key, shift, max(mix["date"]), reports[-1].path.name)
    return regenerate(book, now.date(), typed)


def read_actuals(book: Book) -> tuple[pd.DataFrame, Rows]:
    """The daily actuals and import log that earlier imports stored on the 实际数据 sheet."""
    table = c.ACTUALS_DAILY
    sheet, top, left = c.table_origin(table)
    rows = book.read(sheet, top, left, _table_length(book, table), len(table.columns))
    keys = [col.key for col in table.columns]
    frame = pd.DataFrame(rows, columns=keys) if rows else pd.DataFrame(columns=keys)
    by_label = {label: key for key, label in CHANNEL_LABELS.items()}
    actuals = empty_actuals()
    if len(frame):
        actuals = pd.DataFrame(
            {
                "date": [date_from_cell(v) for v in frame["date"]],
                "channel": [by_label.get(str(v), str(v)) for v in frame["channel_zh"]],
                **{k: pd.to_numeric(frame[k], errors="coerce") for k in (*COUNTS, "campaigns")},
            }
        )
    log_sheet, log_top, log_left = c.table_origin(c.IMPORT_LOG)
    log = book.read(log_sheet, log_top, log_left, c.IMPORT_LOG.rows or 0, len(c.IMPORT_LOG.columns))
    return actuals, [row for row in log if any(v not in (None, "") for v in row)]


def read_mix_shift(book: Book) -> dict[str, Rows]:
    """The time-slot and device shifts earlier imports measured (rows with a value only)."""
    sheet, top, left = c.table_origin(c.MIX_SHIFT)
    rows = book.read(sheet, top, left, c.MIX_SHIFT.rows or 0, len(c.MIX_SHIFT.columns))
    shift = c.MIX_SHIFT.column("shift")
    return {key: row for key, row in zip(MIX_INDICATORS.values(), rows, strict=True) if is_number(row[shift])}
