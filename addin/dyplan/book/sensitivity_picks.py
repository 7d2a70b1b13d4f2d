"""The picks of the 敏感性 sheet: which two inputs its table moves, by which steps, and the figure its
cells show; read from the sheet (a blank pick is its default) and written as the sheet shows them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from dyplan import scalars
from dyplan.book import contract as c
from dyplan.errors import Field, InputError, Problem
from dyplan.model import SENSITIVITY_STEPS as DEFAULT_STEPS
from dyplan.model import SensitivityOutput as Output
from dyplan.model import SensitivityVariable as Variable

STEPS = c.SENSITIVITY_STEP_GRID


@dataclass(frozen=True)
class Picks:
    """What the table moves and shows: the rows' and the columns' input, each with its steps (shares:
    0.1 is +10 %), and the figure in its cells."""

    rows: Variable = Variable.GMV_TARGET
    columns: Variable = Variable.BUDGET_RATIO
    output: Output = Output.BUDGET
    row_steps: tuple[float, ...] = DEFAULT_STEPS
    column_steps: tuple[float, ...] = DEFAULT_STEPS

    def choice_cells(self) -> dict[str, str]:
        """The three choice cells as the sheet shows them."""
        return {"Sensitivity_Rows": self.rows.zh, "Sensitivity_Columns": self.columns.zh,
                "Sensitivity_Output": self.output.zh}  # fmt: skip

    def step_rows(self) -> list[list[float | None]]:
        """The steps grid's two rows, blank past the last step."""
        return [padded(list(steps)) for steps in (self.row_steps, self.column_steps)]

    def cells(self) -> dict[str, Any]:
        """Every pick as the sheet's cells hold it (the steps grid under its name)."""
        return {**self.choice_cells(), STEPS.name: self.step_rows()}


DEFAULT_PICKS = Picks()
#: Each choice cell: its defined name, its choices and the field of ``Picks`` it sets.
CHOICES = (("Sensitivity_Rows", Variable, "rows"), ("Sensitivity_Columns", Variable, "columns"),
            ("Sensitivity_Output", Output, "output"))  # fmt: skip


def padded(values: list[Any], fill: Any = None) -> list[Any]:
    """``values`` and ``fill`` after them, as many as the sheet has room for."""
    return [*values, *[fill] * (c.SENSITIVITY_STEPS - len(values))]


def where(row: int, col: int) -> str:
    """A cell of the sheet as messages name it."""
    return f"{c.SENSITIVITY.name}!{c.address(row, col)}"


def read_picks(cells: Mapping[str, Any]) -> Picks:
    """The picks typed on the sheet (a blank one: its default); ``InputError`` naming each wrong cell."""
    problems: list[Problem] = []
    chosen: dict[str, Any] = {}
    for name, terms, key in CHOICES:
        value = cells.get(name)
        if scalars.is_blank(value):
            continue
        try:
            chosen[key] = terms.parse(value)
        except ValueError:
            problems.append(Problem(Field("sensitivity", key),
                                    f"应为 {terms.choices_zh()} 之一，当前为 {value}",
                                    f"must be one of {', '.join(t.en for t in terms)}; got {value!r}",
                                    where=where(*c.cell_of(name)[1:])))  # fmt: skip
    _, top, left = c.grid_origin(STEPS)
    rows = cells.get(STEPS.name) or [[None] * c.SENSITIVITY_STEPS] * 2
    for i, (axis, line) in enumerate(zip(("row_steps", "column_steps"), rows, strict=True)):
        steps = []
        for j, value in enumerate(line):
            try:
                number = scalars.typed_number(value)
            except ValueError:
                number = math.nan  # unreadable: named below
            if number is not None and not -1 < number <= 10:
                problems.append(Problem(Field("sensitivity", axis, index=j + 1),
                                        f"步长应为 −99% 到 1000% 之间的百分比，当前为 {value}",
                                        f"a step must be a percentage from −99 % to 1,000 %; got {value!r}",
                                        where=where(top + i, left + j)))  # fmt: skip
            elif number is not None:
                steps.append(float(number))
        if steps:
            chosen[axis] = tuple(steps)
    picks = replace(DEFAULT_PICKS, **chosen)
    if picks.rows is picks.columns:
        problems.append(Problem(Field("sensitivity", "columns"),
                                f"行与列应为两个不同的输入（两者都是 {picks.rows.zh}）",
                                f"rows and columns must be two different inputs (both are {picks.rows.en})",
                                where=where(*c.cell_of("Sensitivity_Columns")[1:])))  # fmt: skip
    if problems:
        raise InputError(problems)
    return picks
