"""The 情景 and 情景对比 sheets: named scenarios (every input and assumption, a column each) and the plans
they make, side by side (model/scenarios.py).

Both are ledgers (``c.Ledger``): found by their defined names, read and written by each row's key, so
that a scenario saved by a release with other inputs restores what it has and says what it lacks.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from openpyxl.utils import range_boundaries

from dyplan import scalars
from dyplan.book import contract as c
from dyplan.book.cells import Entry, Typed, cell_value, to_inputs
from dyplan.book.number_formats import number_format
from dyplan.book.port import Book
from dyplan.errors import DyplanError, InputError, Problem
from dyplan.model import Plan, build_plan, compare_plans

#: What a scenario's cell holds for an input it was saved without (by a release that had no such input).
NOT_SAVED = "（未保存 not saved）"
#: The current inputs, as the comparison names them (a scenario may not take this name).
CURRENT = "当前 / current"
CURRENT_NAMES = frozenset({CURRENT, "当前", "current"})


class ScenarioError(DyplanError):
    """A scenario's name is missing, taken or unknown, or its ledger is not where its name says."""


@dataclass(frozen=True)
class Held:
    """A ledger as a workbook holds it: its first head row and key column, each item row's key (blank
    for a heading) and each entry (by column)."""

    ledger: c.Ledger
    sheet: str
    top: int
    left: int
    keys: list[str]
    entries: list[Entry]

    def cell(self, key: str, entry: int) -> str:
        """``sheet!cell`` of an entry's value of the item ``key``."""
        row = self.top + len(self.ledger.heads) + self.keys.index(key)
        return f"{self.sheet}!{c.address(row, self.left + 3 + entry)}"

    def names(self) -> list[str]:
        return [str(entry.heads[0] or "") for entry in self.entries]


def read_ledger(book: Book, ledger: c.Ledger) -> Held:
    """The ledger where its defined name puts it; refused if the name is missing or covers no room
    for its labels and heads."""
    area = c.Area.parse(book.defined_names().get(ledger.name, ""))
    heads = len(ledger.heads)
    if area is None or area.sheet not in book.sheet_names() or area.width < 3 or area.height < heads:
        sheet = c.placed(ledger.name).sheet.name
        raise ScenarioError(
            f"「{sheet}」表的定义名称 {ledger.name} 不存在，或不再覆盖键、标签与表头：可能被删除或改动。"
            "请撤销改动，或用 dyplan new 新建工作簿；本次未写入任何内容。",
            f"The defined name {ledger.name} of the {sheet} sheet is missing or no longer covers the key, "
            "labels and heads (deleted or changed?). Undo that, or make a workbook with `dyplan new`; "
            "nothing was written.",
        )
    rows = book.read(area.sheet, area.first_row, area.first_col, area.height, area.width)
    keys = ["" if row[0] is None else str(row[0]).strip() for row in rows[heads:]]
    entries = [
        Entry(
            tuple(rows[i][j] for i in range(heads)),
            {key: row[j] for key, row in zip(keys, rows[heads:], strict=True) if key and row[j] != NOT_SAVED},
        )
        for j in range(3, area.width)
    ]
    return Held(ledger, area.sheet, area.first_row, area.first_col, keys, entries)


def write_ledger(book: Book, held: Held, entries: Sequence[Entry]) -> None:
    """Write ``entries`` as the ledger's entry columns, in order, in place of those it held.

    Items this release has and the ledger lacks get rows below its last; where an entry has no value
    for an item, its cell says ``NOT_SAVED``. New entry columns take the first one's formats."""
    ledger, heads = held.ledger, len(held.ledger.heads)
    added = [row for row in ledger.rows if row.key and row.key not in held.keys]
    keys = held.keys + [row.key for row in added]
    first_entry = held.left + 3
    columns = [
        [*entry.heads, *(entry.values.get(key, NOT_SAVED) if key else None for key in keys)]
        for entry in entries
    ]
    lines = [list(line) for line in zip(*columns, strict=True)] if columns else []
    if lines:
        book.write(held.sheet, held.top, first_entry, lines[: heads + len(held.keys)], style_col=first_entry)
    if added:  # below the last row, formatted as it is
        below = held.top + heads + len(held.keys)
        labels = [[row.key, row.zh, row.en] + (lines[heads + len(held.keys) + i] if lines else [])
                  for i, row in enumerate(added)]  # fmt: skip
        formats = [[None] * 3 + [number_format(row.fmt)] * len(entries) for row in added]
        book.write(held.sheet, below, held.left, labels, style_row=below - 1, formats=formats)
    if len(entries) < len(held.entries):  # a deleted entry's column is left blank
        gone = len(held.entries) - len(entries)
        book.clear(held.sheet, held.top, first_entry + len(entries), heads + len(keys), gone)
    last = c.address(held.top + heads + len(keys) - 1, first_entry + len(entries) - 1, True)
    book.define_name(ledger.name, held.sheet, f"{c.address(held.top, held.left, True)}:{last}")


def entry_of(held: Held, name: str | None) -> int:
    """The position of the scenario called ``name``; refused, naming those there are, if none is."""
    name, names = required_name(name), held.names()
    if name in names:
        return names.index(name)
    there = "、".join(n for n in names if n) or "（无 none）"
    raise ScenarioError(
        f"没有名为「{name}」的情景（现有：{there}）。请检查名称，或先用 dyplan scenario save 保存。",
        f"No scenario named {name!r} (there are: {', '.join(n for n in names if n) or 'none'}). Check the "
        "name, or save one first with `dyplan scenario save`.",
    )


def required_name(name: str | None) -> str:
    """A scenario's name, without the spaces around it; refused when there is none."""
    name = (name or "").strip(scalars.SPACES)
    if not name:
        raise ScenarioError(
            "请给出情景的名称，例如：dyplan scenario save 工作簿.xlsx 方案A。",
            "Give the scenario's name, e.g. `dyplan scenario save WORKBOOK.xlsx planA`.",
        )
    return name


def checked_name(name: str | None) -> str:
    """A scenario's name as saved: given, not the current inputs' name, short enough to show whole."""
    name = required_name(name)
    if name.lower() in CURRENT_NAMES:
        raise ScenarioError(
            f"「{name}」是对比时当前输入的名称，请换一个情景名称。",
            f"{name!r} is what the comparison calls the current inputs; choose another name.",
        )
    if len(name) > c.SCENARIO_NAME_LENGTH:
        raise ScenarioError(
            f"情景名称最多 {c.SCENARIO_NAME_LENGTH} 个字，「{name}」有 {len(name)} 个；请换一个短些的名称。",
            f"A scenario's name may be at most {c.SCENARIO_NAME_LENGTH} characters; {name!r} has "
            f"{len(name)}. Choose a shorter one.",
        )
    return name


# ---------------------------------------------------------------- inputs as a scenario keeps them


#: Every input item by its key.
ITEMS = {item.key: item for item in c.INPUT_ITEMS}


def input_cell(item: c.InputItem) -> tuple[str, int, int]:
    """Where the workbook holds an item now (blocks located): sheet, row and column."""
    sheet, row, col = c.origin_of(item.name)
    return sheet, row + item.row, col + item.col


def scenario_values(typed: Typed) -> dict[str, Any]:
    """Every input and assumption of ``typed``, by item key, as the cells hold them (a workbook without
    one of them, made before it was added, has no value for it)."""
    values = {}
    for item in c.INPUT_ITEMS:
        if item.column:
            if item.name in typed.columns:
                values[item.key] = typed.columns[item.name][item.column][item.row]
        elif item.name in typed.cells:
            held = typed.cells[item.name]
            values[item.key] = held[item.row][item.col] if isinstance(held, list) else held
    return values


def with_values(typed: Typed, values: Mapping[str, Any]) -> Typed:
    """``typed`` with the inputs of ``values`` typed over its own (any other stays as it is)."""
    cells = {name: [list(row) for row in v] if isinstance(v, list) else v for name, v in typed.cells.items()}
    columns = {name: {key: list(v) for key, v in table.items()} for name, table in typed.columns.items()}
    for key, value in values.items():
        item = ITEMS.get(key)
        if item is None or item.name not in (columns if item.column else cells):
            continue  # an input of another release, or one this workbook has no cell for
        if item.column:
            columns[item.name][item.column][item.row] = value
        elif isinstance(cells[item.name], list):
            cells[item.name][item.row][item.col] = value
        else:
            cells[item.name] = value
    return replace(typed, cells=cells, columns=columns)


def plan_of(typed: Typed, held: Held | None = None, entry: int = 0) -> Plan:
    """The plan of ``typed``; with ``held``, problems are named where the scenario ``entry`` holds
    them on 情景 (the inputs it was saved without, where the workbook holds them)."""
    try:
        return build_plan(to_inputs(typed))
    except InputError as error:
        if held is None:
            raise
        raise InputError([_in_ledger(problem, held, entry) for problem in error.problems]) from None


def _in_ledger(problem: Problem, held: Held, entry: int) -> Problem:
    """The problem named where the scenario holds its cells; those it was saved without are the
    workbook's, and named where the workbook holds them."""
    location = c.locate(problem.field)
    if location is None:
        return problem
    keys = {input_cell(item): item.key for item in c.INPUT_ITEMS}
    first_col, first_row, last_col, last_row = range_boundaries(location.ref)
    found = [
        keys.get((location.sheet, row, col))
        for row in range(first_row, last_row + 1)  # type: ignore[arg-type]
        for col in range(first_col, last_col + 1)  # type: ignore[arg-type]
    ]
    cells = [held.cell(key, entry) for key in found if key in held.entries[entry].values]
    if not cells:
        return problem
    places = [cells[0] if len(cells) == 1 else f"{cells[0]}:{cells[-1].split('!')[1]}"]
    if len(cells) < len(found):
        places.append(str(location))
    return replace(problem, where="，".join(places))


@dataclass(frozen=True)
class Change:
    """An input cell restored: where, what it held and what it holds now (shown as the cell shows it)."""

    sheet: str
    row: int
    col: int
    old: Any
    new: Any
    fmt: c.Fmt

    def __str__(self) -> str:
        where = f"{self.sheet}!{c.address(self.row, self.col)}"
        return f"{where}: {shown(self.old, self.fmt)} → {shown(self.new, self.fmt)}"


def shown(value: Any, fmt: c.Fmt) -> str:
    """A cell's value as the cell shows it: dates as dates, shares as percentages."""
    if value is None or value == "":
        return "（空 blank）"
    if fmt is c.Fmt.DATE:
        try:
            return f"{scalars.date(value):%Y-%m-%d}"
        except ValueError:
            return str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if fmt is c.Fmt.SHARE:
            return f"{value:.2%}"
        return f"{value:,.2f}" if fmt is c.Fmt.MONEY else f"{value:g}"
    return str(value)


def same(one: Any, other: Any, fmt: c.Fmt) -> bool:
    """Whether two cells of format ``fmt`` mean the same value (``cell_value``): blank and empty text
    alike, a date, its serial and its text alike, 5000万 and 50,000,000 alike, to 15 digits (1.1亿
    reads 110000000.00000001)."""

    def plain(value: Any) -> Any:
        value = cell_value(fmt, value)
        if value is None or value == "":
            return None
        if isinstance(value, dt.date):
            return float(scalars.serial(value))
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f"{value:.{scalars.DIGITS}g}"
        return value

    return plain(one) == plain(other)


@dataclass(frozen=True)
class Restoring:
    """What restoring a scenario types into the inputs: each change, and the inputs it cannot set."""

    changes: list[Change]
    missing: list[c.InputItem]  # inputs of this release that the scenario was saved without
    unknown: list[str]  # keys it holds that this release has no input for

    def missing_lines(self) -> list[str]:
        """The inputs it was saved without, a line each; a table's cells in one line."""
        cells = Counter(item.name for item in self.missing if item.column)
        lines: dict[str, str] = {}
        for item in self.missing:
            if item.column:
                zh, en = c.placed(item.name).block.title  # type: ignore[union-attr]
                lines.setdefault(item.name, f"{item.name}  {zh} / {en}: {cells[item.name]} 格 cells")
            else:
                lines[item.key] = f"{item.key}  {item.zh} / {item.en}"
        return list(lines.values())


def restoring(typed: Typed, held: Held, entry: int) -> Restoring:
    """Check that the scenario makes a plan (problems named on 情景), and the changes it makes."""
    values = held.entries[entry].values
    plan_of(with_values(typed, values), held, entry)
    current = scenario_values(typed)
    changes = [
        Change(*input_cell(item), current[item.key], values[item.key], item.fmt)
        for item in c.INPUT_ITEMS
        if item.key in values
        and item.key in current
        and not same(current[item.key], values[item.key], item.fmt)
    ]
    missing = [item for item in c.INPUT_ITEMS if item.key not in values and item.key in current]
    return Restoring(changes, missing, [key for key in values if key not in ITEMS])


def type_changes(book: Book, restored: Restoring) -> None:
    """Type each changed input into its cell, as the user would."""
    for change in restored.changes:
        book.write(change.sheet, change.row, change.col, [[change.new]])


# ---------------------------------------------------------------- the comparison


@dataclass(frozen=True)
class Compared:
    """The figures of each plan compared (``model.scenarios.compare_plans``) and the ledger's entries."""

    table: pd.DataFrame
    entries: list[Entry]
    base: str
    names: list[str]  # the plans compared, in order: the current inputs first


def base_name(base: str | None) -> str:
    """The comparison's base: a scenario's name, or the current inputs (by default)."""
    return CURRENT if base is None or base.strip().lower() in CURRENT_NAMES else base.strip()


def compare(typed: Typed, held: Held, names: Sequence[str], base: str, today: dt.date) -> Compared:
    """The current inputs' plan and each named scenario's (all of them when none is named), the base
    among them, set side by side."""
    named = [required_name(name) for name in names] or [name for name in held.names() if name]
    chosen = list(dict.fromkeys([*([base] if base != CURRENT else []), *named]))
    if not chosen:
        raise ScenarioError(
            "还没有保存任何情景，无可对比：请先用 dyplan scenario save 保存一个（或点「保存情景」）。",
            "There is no saved scenario to compare with: save one first with `dyplan scenario save` (or "
            "the 保存情景 button).",
        )
    plans = {CURRENT: plan_of(typed)}
    saved: dict[str, Any] = {CURRENT: today}
    for name in chosen:
        entry = entry_of(held, name)
        plans[name] = plan_of(with_values(typed, held.entries[entry].values), held, entry)
        saved[name] = held.entries[entry].heads[1]
    table = compare_plans(plans, base)
    entries = []
    for name in plans:
        note = "基准 base" if name == base else _saved_on(saved[name], current=name == CURRENT)
        entries.append(Entry((name, note), _figures(table, name)))
        if name != base:
            difference = f"{name} − {base}"  # as compare_plans names it
            entries.append(Entry((difference, "差额 difference"), _figures(table, difference)))
    return Compared(table, entries, base, list(plans))


def _saved_on(value: Any, current: bool) -> str:
    try:
        day = scalars.date(value)
    except ValueError:
        day = None
    if day is None:
        return ""
    return f"对比日 {day:%Y-%m-%d} compared" if current else f"保存于 {day:%Y-%m-%d} saved"


def _figures(table: pd.DataFrame, column: str) -> dict[str, Any]:
    return {key: None if pd.isna(v) else float(v) for key, v in zip(table["key"], table[column], strict=True)}


def compared_rows(compared: Compared) -> Iterator[tuple[c.LedgerRow, list[Any]]]:
    """Each figure with its value in every entry, as a table shows them."""
    for row in c.SCENARIO_COMPARE_LEDGER.rows:
        yield row, [entry.values.get(row.key) for entry in compared.entries]
