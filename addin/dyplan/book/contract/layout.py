"""Where blocks are: stacked top to bottom with one blank row between them, or where the workbook's
defined names now put them (rows inserted above, say)."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from openpyxl.utils import get_column_letter, range_boundaries

from dyplan.book.contract.blocks import (
    Block,
    Cell,
    Chart,
    Fields,
    Grid,
    Ledger,
    Panels,
    Placed,
    Sheet,
    Table,
    Tiles,
)
from dyplan.book.contract.sheets import COVER, SHEETS

TITLE_ROW = 1
SUBTITLE_ROW = 2
FIRST_BLOCK_ROW = 4
VALUE_COL = 3  # fields and grids keep labels in A (zh) and B (en), values from C


def block_height(block: Block) -> int:
    """Rows a block takes, its title row included (a variable table counts its header only)."""
    if isinstance(block, Fields):
        return 1 + len(block.cells)
    if isinstance(block, Tiles):
        return 3  # title, figures, captions
    if isinstance(block, Grid):
        return 2 + len(block.rows)
    if isinstance(block, Table):
        return 2 + (block.rows or 0) + block.total_row
    if isinstance(block, Chart):
        return block.rows
    if isinstance(block, Ledger):
        return 1 + len(block.heads) + len(block.rows)
    return len(block.paragraphs)


def block_width(block: Block) -> int:
    """Columns a block takes: labels and value (and a note) of fields, a table's columns…"""
    if isinstance(block, Fields):
        return VALUE_COL + any(cell.note for cell in block.cells)
    if isinstance(block, Tiles):
        return block.span * len(block.cells)
    if isinstance(block, Grid):
        return VALUE_COL - 1 + len(block.cols)
    if isinstance(block, Table):
        return len(block.columns)
    if isinstance(block, Ledger):
        return 3 + block.room  # key and labels, then the entries' columns
    return 1  # a chart floats over the columns; text fills its row


def _stack(
    sheet: Sheet, blocks: tuple[Block, ...], row: int, col: int, span: int | None
) -> tuple[list[Placed], int]:
    """Blocks one under the other from ``row`` with a blank row between them; and the next free row."""
    placed = []
    for block in blocks:
        placed.append(Placed(sheet, block, row, col, span))
        row += block_height(block) + 1
    return placed, row


def _place(sheet: Sheet) -> list[Placed]:
    placed, row = [], FIRST_BLOCK_ROW
    for number, block in enumerate(sheet.blocks):
        if isinstance(block, Table) and block.rows is None and number != len(sheet.blocks) - 1:
            raise AssertionError(f"{sheet.name}: a variable-length table must come last")
        if isinstance(block, Panels):
            spans = [right - left for left, right in itertools.pairwise(block.at)] + [None]
            stacks = [
                _stack(sheet, stack, row, col, span)
                for stack, col, span in zip(block.stacks, block.at, spans, strict=True)
            ]
            placed += [p for stack, _ in stacks for p in stack]
            row = max(end for _, end in stacks)
        else:
            placed.append(Placed(sheet, block, row))
            row += block_height(block) + 1
    return placed


PLACED: tuple[Placed, ...] = tuple(p for sheet in (*SHEETS, COVER) for p in _place(sheet))


def placed(name: str) -> Placed:
    """The placed block (or the block of the cell) with this defined name."""
    for p in PLACED:
        if getattr(p.block, "name", None) == name:
            return p
        if isinstance(p.block, Fields | Tiles) and any(c.name == name for c in p.block.cells):
            return p
    raise KeyError(name)


#: Sheets the workbook being worked on lacks, set while dyplan works on it (one made by an earlier
#: release, before those sheets were added): their blocks are left out.
_ABSENT_SHEETS: ContextVar[frozenset[str]] = ContextVar("absent_sheets", default=frozenset())


@contextmanager
def without(sheets: Iterable[str]) -> Iterator[None]:
    """Leave the blocks of ``sheets`` out of ``iter_blocks``, for a while."""
    token = _ABSENT_SHEETS.set(frozenset(sheets))
    try:
        yield
    finally:
        _ABSENT_SHEETS.reset(token)


def iter_blocks(kind: type[Block], cover: bool = False) -> Iterator[Placed]:
    """The planning workbook's blocks of a kind (but those of sheets it lacks, ``without``, and the
    optional tables it lacks, ``moved``); with ``cover``, the finished plan's cover's too."""
    sheets, names = _ABSENT_SHEETS.get(), _ABSENT.get()
    return (
        p for p in PLACED
        if isinstance(p.block, kind) and (cover or p.sheet is not COVER) and p.sheet.name not in sheets
        and getattr(p.block, "name", None) not in names
    )  # fmt: skip


def address(row: int, col: int, absolute: bool = False) -> str:
    letter = get_column_letter(col)
    return f"${letter}${row}" if absolute else f"{letter}{row}"


@dataclass(frozen=True)
class Area:
    """A rectangle of one sheet, 1-based and inclusive, as a defined name refers to it."""

    sheet: str
    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @classmethod
    def parse(cls, refers_to: str) -> Area | None:
        """The area of ``'Sheet'!$A$1:$B$2`` (or ``=Sheet!A1``); None for anything else."""
        sheet, bang, ref = refers_to.removeprefix("=").rpartition("!")
        if not bang or not sheet:
            return None
        if sheet.startswith("'") and sheet.endswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        try:
            first_col, first_row, last_col, last_row = range_boundaries(ref.replace("$", ""))
        except (ValueError, TypeError):
            return None
        if None in (first_col, first_row, last_col, last_row):
            return None
        return cls(sheet, first_row, first_col, last_row, last_col)  # type: ignore[arg-type]

    @property
    def height(self) -> int:
        return self.last_row - self.first_row + 1

    @property
    def width(self) -> int:
        return self.last_col - self.first_col + 1

    def __str__(self) -> str:
        first, last = address(self.first_row, self.first_col), address(self.last_row, self.last_col)
        return f"{self.sheet}!{first}" + ("" if first == last else f":{last}")


@dataclass(frozen=True)
class Location:
    """Where something lives: a sheet and a cell or range (``C8``, ``C19:E19``)."""

    sheet: str
    ref: str

    def __str__(self) -> str:
        return f"{self.sheet}!{self.ref}"


Origin = tuple[str, int, int]
#: Where a workbook's blocks are, when they are not where the template put them (rows inserted
#: above them, say): origins by defined name, set while dyplan works on that workbook.
_MOVED: ContextVar[dict[str, Origin]] = ContextVar("moved", default={})  # noqa: B039 (never mutated)
#: The optional names that workbook lacks (one an earlier release made): nothing is read or written there.
_ABSENT: ContextVar[frozenset[str]] = ContextVar("absent", default=frozenset())


@contextmanager
def moved(origins: dict[str, Origin], absent: frozenset[str] = frozenset()) -> Iterator[None]:
    """Locate blocks at ``origins`` (by defined name) instead of their template places, and leave the
    optional names ``absent`` out, for a while."""
    token, absent_token = _MOVED.set(origins), _ABSENT.set(absent)
    try:
        yield
    finally:
        _MOVED.reset(token)
        _ABSENT.reset(absent_token)


def absent_names() -> frozenset[str]:
    """The optional names the workbook being worked on lacks."""
    return _ABSENT.get()


def present(name: str) -> bool:
    """Whether the workbook being worked on has this name (an optional one may be absent)."""
    return name not in _ABSENT.get()


def home_of(name: str) -> Origin:
    """Where the template puts a cell, or a grid's or table's first value cell, by defined name."""
    p = placed(name)
    if isinstance(p.block, Fields):
        index, cell = next((i, c) for i, c in enumerate(p.block.cells) if c.name == name)
        return p.sheet.name, p.first_row + index, p.col + (0 if cell.wide else VALUE_COL - 1)
    if isinstance(p.block, Tiles):
        index = next(i for i, c in enumerate(p.block.cells) if c.name == name)
        return p.sheet.name, p.first_row, p.col + index * p.block.span
    return p.sheet.name, p.first_row + 1, p.col + (VALUE_COL - 1 if isinstance(p.block, Grid) else 0)


def origin_of(name: str) -> Origin:
    """Where a cell, or a grid's or table's first value cell, is now, by defined name."""
    return _MOVED.get().get(name) or home_of(name)


def cell_of(name: str) -> Origin:
    """Sheet, row and column of a ``Cell`` by its defined name."""
    return origin_of(name)


def grid_origin(grid: Grid) -> Origin:
    """Sheet, row and column of a grid's first value cell (under its header row)."""
    return origin_of(grid.name)


def table_origin(table: Table) -> Origin:
    """Sheet, row and column of a table's first data cell (under its header row)."""
    return origin_of(table.name)


def totals(table: Table, rows: list[list[object]]) -> dict[int, tuple[str, float]]:
    """A total row's cells by 0-based column: the SUM formula and its value, cached for previews."""
    _, top, left = table_origin(table)
    cells = {}
    for j, column in enumerate(table.columns):
        if column.total:
            letter = get_column_letter(left + j)
            cached = round(sum(row[j] or 0 for row in rows), 2)  # type: ignore[misc]
            formula = f"=SUM({letter}{top}:{letter}{top + len(rows) - 1})" if rows else "=0"
            cells[j] = (formula, cached)
    return cells


def grids() -> Iterator[Grid]:
    """The planning workbook's grids (of the workbook being worked on: those it has)."""
    return (g for g in _all_grids() if present(g.name))


def _all_grids() -> Iterator[Grid]:
    return (p.block for p in iter_blocks(Grid))  # type: ignore[misc]


def grid_of(key: str) -> Grid:
    """The grid with this engine key."""
    return next(g for g in _all_grids() if g.key == key)


def grid_column(key: str, column: str) -> int:
    """0-based position of a column in the grid with this engine key."""
    return [col[0] for col in grid_of(key).cols].index(column)


def input_cells() -> Iterator[Cell]:
    """The cells the user types (of the workbook being worked on: those it has)."""
    for p in iter_blocks(Fields):
        if p.block.typed:  # type: ignore[union-attr]
            yield from (cell for cell in p.block.cells if present(cell.name))  # type: ignore[union-attr]


def output_cells() -> Iterator[Cell]:
    """The computed cells regenerate writes in the planning workbook (that it has)."""
    for p in iter_blocks(Fields):
        if not p.block.typed and not p.block.kept:  # type: ignore[union-attr]
            yield from (cell for cell in p.block.cells if present(cell.name))  # type: ignore[union-attr]
