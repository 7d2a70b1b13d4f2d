"""The 敏感性 sheet: the user's picks (two inputs, their steps and the figure) read from it, and the
two-way table the engine makes of them (model/sensitivity.py) written back as static values, with
the chart drawn from them, so that a preview shows both.

The table is made on command (``dyplan sensitivity``, the ribbon's 敏感性分析) and by export, never by
regenerate: each cell is a plan's budget of its own, and a table is tens of them. It says when it
was made, so a table older than the inputs is seen to be.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from dyplan.book import contract as c
from dyplan.book.cells import to_inputs
from dyplan.book.port import Book, Rows
from dyplan.book.sensitivity_picks import CHOICES, DEFAULT_PICKS, STEPS, Picks, padded, read_picks, where
from dyplan.book.versions import refuse_earlier
from dyplan.book.workbook import in_place, read_typed
from dyplan.model import PlanInputs, sensitivity_table
from dyplan.model import SensitivityVariable as Variable
from dyplan.model import moved_input as moved
from dyplan.scalars import NO_VALUE


def _percent(step: float) -> str:
    """A step as the table heads it: +10%, -30%, +12.5%."""
    return f"{step * 100:+.4g}%"


def _value_of(inputs: PlanInputs, variable: Variable) -> str:
    """The input ``variable`` as ``inputs`` have it, as the table shows it."""
    a = inputs.assumptions
    if variable is Variable.GMV_TARGET:
        return f"¥{inputs.gmv_target:,.0f}"
    if variable is Variable.BUDGET_RATIO:
        return f"{a.ratio_launch:.2%} / {a.ratio_mature:.2%}"
    if variable is Variable.TARGET_ROI:
        return f"{a.checkpoint_targets['roi']:.2f}"
    return f"{a.reserve_share:.1%}"


@dataclass(frozen=True)
class SensitivityBlocks:
    """The sheet's written blocks: when it was made, the columns' heads, and the table's rows."""

    made: str
    heads: Rows
    rows: Rows
    drawn: int  # rows the chart draws: one per row step


def sensitivity_blocks(inputs: PlanInputs, picks: Picks, now: dt.datetime) -> SensitivityBlocks:
    """The table of ``picks`` over the plan of ``inputs`` (``InputError`` when a step makes an input
    invalid), with its heads and the note of when it was made."""
    table = sensitivity_table(inputs, picks.rows, picks.columns, picks.output, picks.row_steps,
                              picks.column_steps)  # fmt: skip
    columns, rows = picks.columns, picks.rows
    steps = picks.column_steps
    # an unused column's line is named too: a blank name reads "Column J" in the legend
    names = padded([f"{columns.zh} {_percent(s)}" for s in steps], NO_VALUE)
    values = padded([_value_of(moved(inputs, columns, s), columns) for s in steps])
    heads = [["变动 change", f"{columns.zh} {columns.en}", *names], ["取值 value", "", *values]]
    body = [
        [_percent(step), _value_of(moved(inputs, rows, step), rows), *padded([float(v) for v in values])]
        for step, values in zip(picks.row_steps, table.to_numpy(), strict=True)
    ]
    body += [[None] * len(c.SENSITIVITY_TABLE.columns)] * (c.SENSITIVITY_STEPS - len(body))
    made = (
        f"{now:%Y-%m-%d %H:%M} 按当时的输入与假设生成：{picks.output.zh}，行 {rows.zh} × 列 {columns.zh}。"
        f"改了输入后请再点「敏感性分析」或运行 dyplan sensitivity。 / Made {now:%Y-%m-%d %H:%M} from the "
        f"inputs then: {picks.output.en}, rows {rows.en} × columns {columns.en}. Make it again after "
        "changing inputs."
    )
    return SensitivityBlocks(made, heads, body, len(picks.row_steps))


def write_blocks(book: Book, blocks: SensitivityBlocks) -> None:
    """Write the blocks where the sheet's defined names put them, and redraw the chart over them."""
    sheet, row, col = c.cell_of("Sensitivity_Made")
    book.write(sheet, row, col, [[blocks.made]])
    for table, rows in ((c.SENSITIVITY_COLUMNS, blocks.heads), (c.SENSITIVITY_TABLE, blocks.rows)):
        sheet, top, left = c.table_origin(table)
        book.write(sheet, top, left, rows)
    first, last = c.SENSITIVITY_CHART.drawn(c.SENSITIVITY_TABLE)
    drawn = c.Area(sheet, top, left + first, top + blocks.drawn - 1, left + last)
    book.redraw(drawn, c.SENSITIVITY_CHART.caption(has_rows=True))


@dataclass(frozen=True)
class Made:
    """The table made, what it was made of, and the picks typed on the sheet first (CLI options)."""

    blocks: SensitivityBlocks
    picks: Picks
    typed: tuple[str, ...]  # the cells the options changed, as sheet!cell


def make_sensitivity(book: Book, options: Mapping[str, Any], now: dt.datetime) -> Made:
    """Type ``options`` (``Picks`` fields the CLI was given) over the sheet's picks, as the user would,
    then make the table of the picks and write it. Nothing is written when a pick or input is wrong."""
    refuse_earlier(book, c.SENSITIVITY)
    with in_place(book):
        typed = read_typed(book, baseline=False)
        cells = _with_options(typed.cells, options)
        picks = read_picks(cells)
        blocks = sensitivity_blocks(to_inputs(typed), picks, now)
        changed = _type_picks(book, typed.cells, cells)
        write_blocks(book, blocks)
    return Made(blocks, picks, changed)


def _with_options(cells: Mapping[str, Any], options: Mapping[str, Any]) -> dict[str, Any]:
    """The pick cells as they read with ``options`` typed over them."""
    shown = replace(DEFAULT_PICKS, **options)
    typed = {name: shown.choice_cells()[name] for name, _, key in CHOICES if key in options}
    steps = [list(row) for row in cells.get(STEPS.name) or shown.step_rows()]
    for i, axis in enumerate(("row_steps", "column_steps")):
        if axis in options:
            steps[i] = shown.step_rows()[i]
    return {**cells, **typed, STEPS.name: steps}


def _type_picks(book: Book, before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """Type the pick cells ``after`` holds otherwise than ``before`` did; those cells, as sheet!cell."""
    changed = []
    for name, _, _ in CHOICES:
        if after.get(name) != before.get(name):
            sheet, row, col = c.cell_of(name)
            book.write(sheet, row, col, [[after[name]]])
            changed.append(where(row, col))
    sheet, top, left = c.grid_origin(STEPS)
    for i, (old, new) in enumerate(zip(before.get(STEPS.name) or [[]] * 2, after[STEPS.name], strict=True)):
        if list(old) != list(new):
            book.write(sheet, top + i, left, [new])
            changed.append(f"{where(top + i, left)}:{c.address(top + i, left + len(new) - 1)}")
    return tuple(changed)
