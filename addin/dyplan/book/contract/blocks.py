"""The kinds of block a sheet is made of, and how each cell shows its value."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

from dyplan.model import Term


class Fmt(Enum):
    """How a cell shows its value (the number format lives in the renderer)."""

    TEXT = "text"
    CHOICE = "choice"
    MONEY = "money"
    DATE = "date"
    INT = "int"
    SHARE = "share"
    NUMBER = "number"  # two decimals
    GENERAL = "general"  # as typed: weights, anchors, thresholds
    BY_UNIT = "by_unit"  # chosen per row from its unit (%, 元, 倍, counts)


@dataclass(frozen=True)
class Cell:
    """One labelled cell with its own defined name."""

    name: str
    key: str  # the engine's field name, or the output's key
    zh: str
    en: str
    fmt: Fmt
    choices: type[Term] | None = None
    note: str = ""
    #: The seed's range: a value outside it is allowed but shown flagged (PLANNING_RULES §2).
    seed_range: tuple[float, float] | None = None
    #: Columns the value spreads over (merged, from the value column): room for a sentence.
    span: int = 1
    #: Lines the value has room for (its row is as tall): what regenerate writes may wrap that far.
    lines: int = 1
    #: A sentence: its value fills the row of its block, labels' columns included, with no label.
    wide: bool = False
    #: Added after the first releases: a workbook made before lacks its name, and works on without it
    #: (an input takes its default; a result is not shown).
    optional: bool = False


@dataclass(frozen=True)
class Fields:
    title: tuple[str, str]
    cells: tuple[Cell, ...]
    typed: bool  # True: the user types these; False: regenerate writes them
    value_width: float | None = None  # its value column's width, where not the sheet's
    #: Written once by the command that keeps them (the baseline's), never by regenerate.
    kept: bool = False


@dataclass(frozen=True)
class Tiles:
    """Headline figures side by side: each cell a large value over its caption, ``span`` columns wide."""

    title: tuple[str, str]
    cells: tuple[Cell, ...]
    span: int = 2


@dataclass(frozen=True)
class Grid:
    """Input cells in rows × columns, labelled on the left and on top."""

    name: str
    key: str
    title: tuple[str, str]
    rows: tuple[tuple[str, str, str], ...]  # (key, zh, en)
    cols: tuple[tuple[str, str, str], ...]
    fmt: Fmt
    bounds: tuple[float | None, float | None] = (0, None)  # allowed range for validation
    whole: bool = False
    optional: bool = False  # as ``Cell.optional``

    @property
    def label(self) -> tuple[str, str]:
        """The grid's name: its title up to the colon that explains it."""
        zh, en = self.title
        return zh.split("：")[0], en.split(": ")[0]


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    fmt: Fmt
    width: float = 12
    typed: bool = False
    total: bool = False  # summed in the total row
    lines: int = 1  # lines of text each cell holds (wrapped): the table's rows are as tall


@dataclass(frozen=True)
class Table:
    name: str
    title: tuple[str, str]
    columns: tuple[Column, ...]
    rows: int | None  # None: as many as the plan has (only the last block of a sheet)
    total_row: bool = False
    named_columns: tuple[tuple[str, str], ...] = ()  # (defined name, column key) of data rows
    # A growing table that an earlier release kept at this fixed number of rows: such a block is
    # cleared and laid out anew, so a workbook made by that release keeps working.
    former_rows: int | None = None
    optional: bool = False  # as ``Cell.optional``: a workbook made before the table works on without it
    #: Written once by the command that keeps it (the frozen baseline), never by regenerate.
    kept: bool = False
    #: What its first row says while it has nothing to show: how to fill it.
    empty: tuple[str, str] = ("", "")

    def column(self, key: str) -> int:
        """0-based position of a column in the table."""
        return next(i for i, c in enumerate(self.columns) if c.key == key)

    def empty_rows(self) -> list[list[object]]:
        """Its rows while it has nothing to show: ``empty`` in the first cell, every other one blank."""
        rows: list[list[object]] = [[None] * len(self.columns) for _ in range(self.rows or 1)]
        if self.empty[0]:
            rows[0][0] = f"{self.empty[0]}  {self.empty[1]}"
        return rows


@dataclass(frozen=True)
class Text:
    paragraphs: tuple[tuple[str, str], ...]  # (zh, en)


@dataclass(frozen=True)
class Chart:
    """Room for a chart drawn from tables of the plan (the renderer knows each by key).

    A chart of a growing table (``follows``) is dyplan's to redraw: its series run over the rows the
    table has, and while it has none the chart shows ``empty`` (why, and when it fills) instead.
    Charts of one table that draw different columns of it name theirs (``columns``: the first and
    the last key), so that each is redrawn under its own title.
    """

    key: str
    title: tuple[str, str]
    rows: int = 18
    width: int = 760  # pixels
    follows: Table | None = None
    empty: tuple[str, str] = ("", "")
    columns: tuple[str, str] | None = None

    def caption(self, has_rows: bool) -> str:
        """The chart's title, or the text that stands in its place while its table is empty."""
        zh, en = self.title if has_rows or self.follows is None else self.empty
        return f"{zh}  {en}"

    def drawn(self, table: Table) -> tuple[int, int]:
        """The first and last 0-based columns of ``table`` (the one it follows) that the chart draws."""
        if self.columns is None:
            return 0, len(table.columns) - 1
        first, last = self.columns
        return table.column(first), table.column(last)


class LedgerRow(NamedTuple):
    """An item of a ledger (or one of its heads): its key, its labels and how its entries show it; an
    item with an empty key heads the items under it."""

    key: str
    zh: str
    en: str
    fmt: Fmt = Fmt.GENERAL
    lines: int = 1  # of text its cells have room for (a head holding a name wraps)


@dataclass(frozen=True)
class Ledger:
    """A block that grows to the right: an item per row (its key and labels in three columns), then a
    column per entry (a saved scenario, a plan compared), each under ``heads`` (its name, a date…).

    Its defined name covers the heads and every row, from the key column to the last entry's; a
    workbook may hold fewer or more rows than ``rows`` (made by another release): entries are read and
    written by key.
    """

    name: str
    title: tuple[str, str]
    key: Column  # the key column, headed over the heads
    label_widths: tuple[float, float]  # of the 中文 and English labels' columns, which label the heads
    heads: tuple[LedgerRow, ...]  # the rows over each entry: its name first
    rows: tuple[LedgerRow, ...]
    width: float = 16  # of an entry's column
    room: int = 30  # entry columns laid out at that width, so that entries added later fit theirs
    printed: int = 4  # entry columns a printed page's scale leaves room for


Block = Fields | Tiles | Grid | Table | Text | Chart | Ledger


@dataclass(frozen=True)
class Panels:
    """Stacks of blocks side by side: each stack starts at its 1-based column of ``at``."""

    stacks: tuple[tuple[Block, ...], ...]
    at: tuple[int, ...]


@dataclass(frozen=True)
class Sheet:
    name: str
    en: str
    subtitle: tuple[str, str]
    blocks: tuple[Block | Panels, ...]
    label_width: tuple[float, float] = (18, 24)  # columns A (zh) and B (en)
    value_width: float = 22  # column C, where fields show their values
    pages_wide: int = 1  # printed this many pages side by side, column A repeated on each
    one_page: bool = False  # printed on one page, scaled down as far as that needs


@dataclass(frozen=True)
class Placed:
    """A block with its top-left cell: the block's title row is ``row``."""

    sheet: Sheet
    block: Block
    row: int
    col: int = 1
    span: int | None = None  # columns of its panel, if it stands in one with another beside it

    @property
    def first_row(self) -> int:
        """First row under the block's title (header row of a table or grid)."""
        return self.row + 1
