"""Write a whole workbook from the contract with XlsxWriter: the template, a new plan, the export.

XlsxWriter (not openpyxl) because it stores a cached value with every formula, so viewers
that do not calculate (phone and chat previews, pandas) still see the totals, and because
its files are byte-for-byte reproducible. XlsxWriter counts rows and columns from 0; the
contract from 1, hence the ``- 1`` at each call.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from dyplan.book import contract as c
from dyplan.book.cells import Entry, Outputs, Typed
from dyplan.book.formulas import formula_at
from dyplan.book.number_formats import number_format, row_units
from dyplan.model import KPIS, METRICS, PLAN_DATES, ROI, Channel, RiskLevel, Status
from dyplan.scalars import NO_VALUE
from dyplan.template.pages import (
    MIN_ROWS,
    ROW_PT,
    Span,
    page_breaks,
    page_columns,
    page_scale,
    print_scale,
)

FONT = "微软雅黑"
NAVY = "#1F4E79"
#: A laptop shows about 30 rows: panes are frozen down to a table's header only if it is this high.
MAX_FROZEN_ROWS = 12
#: Points a line of 10 pt 微软雅黑 takes in a wrapped cell, the cell's padding included.
LINE = 15
#: Columns a block of fields underlines its title across (labels, value, note), unless its panel is narrower.
FIELDS_TITLE_SPAN = 4
#: The width of a column no block sizes (Excel's and XlsxWriter's default).
UNSIZED_COLUMN = 8.43
#: The least width of a column under a headline figure.
TILE_COLUMN = 16
#: The room a sheet whose fields have notes gives them when nothing else is beside its values.
NOTE_WIDTH = 36
#: Fixed so that building the template twice gives the same bytes.
BUILD_TIME = dt.datetime(2026, 1, 1)


#: Conditional colours (fill, font) for statuses and levels, as Excel's own presets.
GOOD, WARN, BAD, GREY, ORANGE = (
    ("#C6EFCE", "#006100"),
    ("#FFEB9C", "#9C5700"),
    ("#FFC7CE", "#9C0006"),
    ("#D9D9D9", "#404040"),
    ("#F8CBAD", "#843C0C"),
)
CHANNEL_COLOURS = ("#1F4E79", "#2E75B6", "#F4B183")
RESERVE_COLOUR = "#BFBFBF"
#: Event days on the pacing chart.
EVENT_COLOUR = "#E07B39"
#: The sensitivity chart's lines, light to dark as the column steps go from the first to the last.
STEP_COLOURS = ("#9ECAE1", "#6BAED6", "#4292C6", "#2171B5", "#1F4E79", "#08306B", "#F4B183", "#E07B39",
                "#A63603")  # fmt: skip
STATUS_COLOURS = {Status.MET: GOOD, Status.WARNING: WARN, Status.MISSED: BAD, Status.NO_DATA: GREY}
#: The tables whose ROI targets are compared with break-even: the column naming each row, and its ROI.
ROI_TARGETS = {c.CHECKPOINTS_TABLE: ("metric_en", METRICS[ROI].en), c.KPI_TABLE: ("kpi_en", METRICS[ROI].en)}
#: The cells saying how the target ROI stands against break-even start with this when it is under.
BREAKEVEN_CHECK, WARNING_SIGN = "breakeven_check", "⚠"
#: Each response curve's chart, by its key: the channel it draws.
CURVE_CHANNELS = {chart.key: channel for chart, channel in zip(c.CURVE_CHARTS, Channel, strict=True)}
LEVEL_COLOURS = {RiskLevel.LOW: GOOD, RiskLevel.MEDIUM: WARN, RiskLevel.HIGH: ORANGE, RiskLevel.CRITICAL: BAD}


class Mode(Enum):
    TEMPLATE = "template"  # the planning workbook users open (guide first)
    EXPORT = "export"  # the finished plan (cover first, no validation prompts)
    XLSM = "xlsm"  # the template for Excel: =DY_…() formula cells and the xlwings settings sheet


#: The xlwings add-in reads its settings from this sheet: it imports our worksheet functions.
XLWINGS_CONF_SHEET = "xlwings.conf"
XLWINGS_CONF = (("UDF Modules", "dyplan.excel.udfs"),)


class Styles:
    """Cell formats, made once per workbook and looked up by role and number format."""

    def __init__(self, book: Workbook) -> None:
        self.book = book
        self._cache: dict[tuple[str, str], Format] = {}
        base = {"font_name": FONT, "font_size": 10, "valign": "vcenter"}
        self.roles: dict[str, dict[str, Any]] = {
            "title": {**base, "bold": True, "font_size": 16, "font_color": NAVY},
            "subtitle": {**base, "font_color": "#595959"},
            "block": {**base, "bold": True, "font_size": 11, "font_color": NAVY, "bottom": 2,
                      "bottom_color": NAVY},
            "header": {**base, "bold": True, "font_color": "#FFFFFF", "bg_color": NAVY,
                       "text_wrap": True, "align": "center", "border": 1, "border_color": "#BFBFBF"},
            "label": {**base},
            "label_en": {**base, "font_color": "#7F7F7F", "font_size": 9},
            "label_wrap": {**base, "text_wrap": True},
            "label_en_wrap": {**base, "font_color": "#7F7F7F", "font_size": 9, "text_wrap": True},
            "note": {**base, "font_color": "#7F7F7F", "font_size": 9, "text_wrap": True, "valign": "top"},
            "input": {**base, "bg_color": "#FFF2CC", "font_color": "#0B3D91", "border": 1,
                      "border_color": "#BF9000", "locked": False},
            "output": {**base, "bg_color": "#F2F2F2", "border": 1, "border_color": "#BFBFBF"},
            "output_wrap": {**base, "bg_color": "#F2F2F2", "border": 1, "border_color": "#BFBFBF",
                            "text_wrap": True},
            "total": {**base, "bold": True, "bg_color": "#DDEBF7", "top": 6, "bottom": 1,
                      "left": 1, "right": 1, "border_color": "#9BC2E6"},
            "text": {**base, "text_wrap": True, "valign": "top"},
            "section": {**base, "bold": True, "font_color": NAVY, "bg_color": "#DDEBF7"},
            "placeholder": {**base, "font_color": "#7F7F7F", "font_size": 11},
            "tile": {**base, "bold": True, "font_size": 18, "font_color": NAVY, "bg_color": "#DDEBF7",
                     "align": "center", "top": 5, "top_color": NAVY},
            "tile_caption": {**base, "font_color": "#404040", "font_size": 9, "bg_color": "#DDEBF7",
                             "align": "center", "valign": "top", "text_wrap": True},
        }  # fmt: skip

    def get(self, role: str, number_format: str = "General") -> Format:
        key = (role, number_format)
        if key not in self._cache:
            self._cache[key] = self.book.add_format({**self.roles[role], "num_format": number_format})
        return self._cache[key]

    def colour(self, colours: tuple[str, str]) -> Format:
        key = ("colour", "/".join(colours))
        if key not in self._cache:
            fill, font = colours
            self._cache[key] = self.book.add_format({"bg_color": fill, "font_color": font})
        return self._cache[key]


def column_widths(sheet: c.Sheet) -> dict[int, float]:
    """Widths by 1-based column, in Excel's character units: the widest any block needs."""
    widths: dict[int, float] = {1: sheet.label_width[0], 2: sheet.label_width[1]}

    def at_least(col: int, width: float) -> None:
        widths[col] = max(widths.get(col, 0), width)

    notes = False
    for placed in (p for p in c.PLACED if p.sheet is sheet):
        block, left = placed.block, placed.col
        if isinstance(block, c.Fields):
            for i, width in enumerate((*sheet.label_width, block.value_width or sheet.value_width)):
                at_least(left + i, width)
            notes |= any(cell.note for cell in block.cells)
        elif isinstance(block, c.Tiles):  # wide enough for a figure, where no other block sets it
            for i in range(c.block_width(block)):
                at_least(left + i, TILE_COLUMN)
        elif isinstance(block, c.Grid):
            for i in range(len(block.cols)):
                at_least(c.VALUE_COL + i, 12)
        elif isinstance(block, c.Ledger):  # the entries a printed page makes room for
            labels = (block.key.width, *block.label_widths, *[block.width] * block.printed)
            for i, width in enumerate(labels):
                at_least(left + i, width)
        elif isinstance(block, c.Table):
            for i, column in enumerate(block.columns):
                at_least(left + i, column.width)
    if notes and max(widths) == c.VALUE_COL:  # fields' notes wrap beside their values: give them room
        widths[c.VALUE_COL + 1] = NOTE_WIDTH
    return widths


#: Chinese characters and full-width punctuation: each about two digits wide, and a line may break
#: before or after any of them.
WIDE = "\u3000-\u9fff\uff00-\uffef"
_PIECES = re.compile(rf"(\s*)([{WIDE}]|[^\s{WIDE}]+)")


def text_lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs for ``text`` at a column ``width`` (in digit widths, as Excel counts
    it, padding aside): English wraps at spaces, Chinese anywhere, an overlong word mid-word."""
    room = max(width, 1)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0
        for space, piece in _PIECES.findall(paragraph):
            size = len(piece) * (2 if re.match(f"[{WIDE}]", piece) else 1)
            step = size + (1 if space and used else 0)
            if used and used + step > room:
                lines, used = lines + 1, size
            else:
                used += step
            while used > room:
                lines, used = lines + 1, used - room
    return lines


def _by_cell(outputs: Outputs | None) -> dict[c.Origin, Any]:
    """Output values by (sheet, row, column), 1-based."""
    if outputs is None:
        return {}
    values = {c.cell_of(name): value for name, value in outputs.cells.items()}
    for name, rows in outputs.tables.items():
        table = c.placed(name).block
        assert isinstance(table, c.Table)
        sheet, top, left = c.table_origin(table)
        for i, row in enumerate(rows):
            values.update(((sheet, top + i, left + j), value) for j, value in enumerate(row))
    return values


def _sheet_ref(sheet: str, first: tuple[int, int], last: tuple[int, int] | None = None) -> str:
    ref = c.address(*first, absolute=True)
    if last and last != first:
        ref += ":" + c.address(*last, absolute=True)
    return f"='{sheet}'!{ref}"


class Renderer:
    """Writes one workbook; each ``_block`` method lays out one kind of contract block."""

    def __init__(self, book: Workbook, typed: Typed, outputs: Outputs | None, mode: Mode,
                 results: Outputs | None = None) -> None:  # fmt: skip
        self.book = book
        self.typed = typed
        self.outputs = outputs
        self.mode = mode
        self.results = _by_cell(results or outputs)  # what the .xlsm's formulas compute
        self.styles = Styles(book)
        self.widths: dict[int, float] = {}  # the sheet being written: its columns' widths
        self.heights: dict[int, float] = {}  # and the heights of its rows that have one (0-based)

    def render(self) -> None:
        sheets = [c.COVER if self.mode is Mode.EXPORT else c.GUIDE, *filter(self._shows, c.SHEETS[1:])]
        for sheet in sheets:
            ws = self.book.add_worksheet(sheet.name)
            self._sheet(ws, sheet)
        if self.mode is Mode.XLSM:
            conf = self.book.add_worksheet(XLWINGS_CONF_SHEET)
            conf.hide()  # hidden, not very hidden: xlwings finds it, and the user can unhide it to edit
            for row, (key, value) in enumerate(XLWINGS_CONF):
                conf.write_string(row, 0, key)
                conf.write_string(row, 1, value)

    # ------------------------------------------------------------ sheets and blocks

    def _shows(self, sheet: c.Sheet) -> bool:
        """The finished plan leaves out the saved scenarios, and the comparison and the baseline until
        there is one; the planning workbook has every sheet."""
        if self.mode is not Mode.EXPORT:
            return True
        if sheet is c.SCENARIOS:
            return False
        if sheet is c.SCENARIO_COMPARE:
            return bool(self.typed.ledgers.get(c.SCENARIO_COMPARE_LEDGER.name))
        return sheet is not c.BASELINE or self.typed.baseline is not None

    def _sheet(self, ws: Worksheet, sheet: c.Sheet) -> None:
        s = self.styles
        ws.hide_gridlines(2)
        ws.set_landscape()
        ws.set_paper(9)  # A4
        ws.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.5)
        self.heights = {c.TITLE_ROW - 1: 24}
        ws.set_footer(f"&L{sheet.name} {sheet.en}&R&P / &N")
        ws.write(c.TITLE_ROW - 1, 0, f"{sheet.name} · {sheet.en}", s.get("title"))
        ws.set_row(c.TITLE_ROW - 1, self.heights[c.TITLE_ROW - 1])
        ws.write(c.SUBTITLE_ROW - 1, 0, f"{sheet.subtitle[0]}  {sheet.subtitle[1]}", s.get("subtitle"))
        self.widths = column_widths(sheet)
        for col, width in self.widths.items():
            ws.set_column(col - 1, col - 1, width)
        for placed in (p for p in c.PLACED if p.sheet is sheet):
            block = placed.block
            if isinstance(block, c.Text):
                self._text(ws, placed, block)
            elif isinstance(block, c.Chart):
                self._chart(ws, placed, block)
            elif isinstance(block, c.Fields):
                self._fields(ws, placed, block)
            elif isinstance(block, c.Tiles):
                self._tiles(ws, placed, block)
            elif isinstance(block, c.Grid):
                self._grid(ws, placed, block)
            elif isinstance(block, c.Ledger):
                self._ledger(ws, placed, block)
            else:
                self._table(ws, placed, block)
        if sheet is c.COVER:
            ws.fit_to_pages(1, 1)  # the cover is one page, whatever its panels' widths
        else:
            self._pages(ws, sheet)

    def _pages(self, ws: Worksheet, sheet: c.Sheet) -> None:
        """Print at a scale that fits the columns to the sheet's pages, each block on one page (or the
        whole sheet on one, for a sheet printed on one page)."""
        widths = [self.widths[col] for col in range(1, max(self.widths) + 1)]
        repeated = 1 if sheet.pages_wide > 1 else 0
        scale = print_scale(widths, sheet.pages_wide, repeated)
        if sheet.one_page:
            last = max(p.row - 1 + c.block_height(p.block) for p in c.PLACED if p.sheet is sheet)
            ws.set_print_scale(min(scale, page_scale(self.heights.get(row, ROW_PT) for row in range(last))))
            return
        ws.set_print_scale(scale)
        if repeated:  # the pages of the same rows side by side, each starting with column A
            ws.set_v_pagebreaks(page_columns(widths, scale / 100, repeated))
            ws.repeat_columns(0, repeated - 1)
            ws.print_across()
        spans = []
        for placed in (p for p in c.PLACED if p.sheet is sheet):
            first, block = placed.row - 1, placed.block
            grows = isinstance(block, c.Table) and block.rows is None
            rows = c.block_height(block) + grows  # a growing table has at least its blank first row
            spans.append(Span(first, first + rows - 1, 2 + MIN_ROWS if grows else rows))
        ws.set_h_pagebreaks(page_breaks(spans, lambda row: self.heights.get(row, ROW_PT), scale))

    def _header(self, ws: Worksheet, row: int, labels: dict[int, str]) -> None:
        """A header row (0-based columns), as tall as its longest label wraps at its column's width."""
        for col, label in labels.items():
            ws.write(row, col, label, self.styles.get("header"))
        tallest = LINE * max(text_lines(t, self.widths[col + 1]) for col, t in labels.items())
        self.heights[row] = max(tallest, self.heights.get(row, 0))  # a table beside may need more
        ws.set_row(row, self.heights[row])

    def _title(self, ws: Worksheet, placed: c.Placed, title: tuple[str, str], span: int) -> None:
        style, left = self.styles.get("block"), placed.col - 1
        ws.write(placed.row - 1, left, f"{title[0]}  {title[1]}", style)
        for col in range(left + 1, left + span):
            ws.write_blank(placed.row - 1, col, None, style)

    def _text(self, ws: Worksheet, placed: c.Placed, block: c.Text) -> None:
        for i, (zh, en) in enumerate(block.paragraphs):
            ws.write(placed.row - 1 + i, 0, f"{zh}\n{en}", self.styles.get("text"))
            self.heights[placed.row - 1 + i] = 36
            ws.set_row(placed.row - 1 + i, 36)

    def _fields(self, ws: Worksheet, placed: c.Placed, block: c.Fields) -> None:
        s = self.styles
        left = placed.col - 1  # 0-based: labels here and next, the value after them
        value_col = left + c.VALUE_COL - 1
        self._title(ws, placed, block.title, placed.span or FIELDS_TITLE_SPAN)
        for i, cell in enumerate(block.cells):
            row = placed.first_row + i - 1
            fmt = number_format(cell.fmt)
            if cell.wide:
                self._wide(ws, placed, row, cell)
                continue
            ws.write(row, left, cell.zh, s.get("label"))
            ws.write(row, left + 1, cell.en, s.get("label_en"))
            if block.typed:
                value = self.typed.cells.get(cell.name)
                self._value(ws, row, value_col, value, s.get("input", fmt))
                self._validate(ws, (row, value_col), (row, value_col), cell)
                if cell.seed_range:
                    low, high = cell.seed_range
                    ws.conditional_format(row, value_col, row, value_col, {
                        "type": "cell", "criteria": "not between", "minimum": low, "maximum": high,
                        "format": self.styles.colour(ORANGE)})  # fmt: skip
            else:
                value = self.outputs.cells.get(cell.name) if self.outputs else None
                # The cover is written once, with its values (regenerate never rewrites it): its
                # text wraps rather than spill, in rows as tall as it wraps. A value that spans
                # columns wraps whatever regenerate writes there later.
                wrap = cell.span > 1 or (placed.sheet is c.COVER and isinstance(value, str))
                style = s.get("output_wrap" if wrap else "output", fmt)
                if cell.span > 1:
                    ws.merge_range(row, value_col, row, value_col + cell.span - 1, "", style)
                self._value(ws, row, value_col, value, style)
                wraps = wrap and isinstance(value, str)
                lines = text_lines(value, self._width(cell, value_col)) if wraps else 1
                if (lines := max(lines, cell.lines)) > 1:
                    self.heights[row] = LINE * lines
                    ws.set_row(row, self.heights[row])
            if cell.note:
                self._note(ws, row, value_col + cell.span, cell.note)
            self.book.define_name(cell.name, _sheet_ref(placed.sheet.name, (row + 1, value_col + 1)))
            if cell.name == "Risk_Level":
                self._level_colours(ws, row, value_col, row, value_col)

    def _wide(self, ws: Worksheet, placed: c.Placed, row: int, cell: c.Cell) -> None:
        """A sentence across its block's columns, in a row as tall as it wraps."""
        value = self.outputs.cells.get(cell.name) if self.outputs else None
        first, last = placed.col - 1, placed.col - 2 + (placed.span or c.block_width(placed.block))
        ws.merge_range(row, first, row, last, "", self.styles.get("output_wrap"))
        self._value(ws, row, first, value, self.styles.get("output_wrap"))
        width = self._span_width(first, last)
        self.heights[row] = LINE * max(text_lines(value or "", width), cell.lines)
        ws.set_row(row, self.heights[row])
        self.book.define_name(cell.name, _sheet_ref(placed.sheet.name, (row + 1, first + 1)))
        if cell.key == BREAKEVEN_CHECK:  # what regenerate writes there later starts with ⚠ when under
            ws.conditional_format(row, first, row, first, {"type": "text", "criteria": "begins with",
                                  "value": WARNING_SIGN, "format": self.styles.colour(BAD)})  # fmt: skip

    def _tiles(self, ws: Worksheet, placed: c.Placed, block: c.Tiles) -> None:
        """Each figure large over its caption, ``span`` columns wide."""
        s = self.styles
        self._title(ws, placed, block.title, block.span * len(block.cells))
        figures, captions = placed.first_row - 1, placed.first_row
        for i, cell in enumerate(block.cells):
            first = placed.col - 1 + i * block.span
            last = first + block.span - 1
            style = s.get("tile", number_format(cell.fmt))
            ws.merge_range(figures, first, figures, last, "", style)
            self._value(
                ws, figures, first, self.outputs.cells.get(cell.name) if self.outputs else None, style
            )
            ws.merge_range(captions, first, captions, last, f"{cell.zh}\n{cell.en}", s.get("tile_caption"))
            self.book.define_name(cell.name, _sheet_ref(placed.sheet.name, (figures + 1, first + 1)))
            if cell.name == "Cover_ROI":
                self._under_breakeven(ws, (figures, first, figures, first), "Cover_Breakeven_ROI")
        ws.set_row(figures, 34)
        ws.set_row(captions, 2 * LINE)

    def _note(self, ws: Worksheet, row: int, first: int, note: str) -> None:
        """A field's note, wrapped across the columns to the sheet's last: it never runs off the page."""
        last = max(first, max(self.widths) - 1)
        style = self.styles.get("note")
        if last > first:
            ws.merge_range(row, first, row, last, note, style)
        else:
            ws.write(row, first, note, style)
        width = self._span_width(first, last)
        # notes are in 9 pt, the widths count the 10 pt text's digits
        if (height := LINE * text_lines(note, width * 10 / 9)) > self.heights.get(row, LINE):
            self.heights[row] = height
            ws.set_row(row, height)

    def _width(self, cell: c.Cell, value_col: int) -> float:
        """The width a field's value has at 0-based ``value_col``: its column's, or those it spans."""
        return self._span_width(value_col, value_col + cell.span - 1)

    def _span_width(self, first: int, last: int) -> float:
        """The width of the 0-based columns ``first``–``last`` together."""
        return sum(self.widths.get(col + 1, UNSIZED_COLUMN) for col in range(first, last + 1))

    def _grid(self, ws: Worksheet, placed: c.Placed, grid: c.Grid) -> None:
        s = self.styles
        self._title(ws, placed, grid.title, 2 + len(grid.cols))
        header = placed.first_row - 1
        labels = {c.VALUE_COL - 1 + j: f"{zh}\n{en}" for j, (_, zh, en) in enumerate(grid.cols)}
        self._header(ws, header, {0: "", 1: ""} | labels)
        values = self.typed.cells[grid.name]
        for i, (key, zh, en) in enumerate(grid.rows):
            row = header + 1 + i
            ws.write(row, 0, zh, s.get("label"))
            ws.write(row, 1, en, s.get("label_en"))
            for j, value in enumerate(values[i]):
                fmt = c.grid_fmt(grid, key, grid.cols[j][0])
                self._value(ws, row, c.VALUE_COL - 1 + j, value, s.get("input", number_format(fmt)))
        first = (header + 2, c.VALUE_COL)
        last = (header + 1 + len(grid.rows), c.VALUE_COL + len(grid.cols) - 1)
        self.book.define_name(grid.name, _sheet_ref(placed.sheet.name, first, last))
        self._validate(ws, (first[0] - 1, first[1] - 1), (last[0] - 1, last[1] - 1), grid)
        if grid.key == "checkpoint_targets":  # the target ROI, where it is typed
            row = header + 1 + [key for key, _, _ in grid.rows].index(ROI)
            self._under_breakeven(ws, (row, c.VALUE_COL - 1, row, c.VALUE_COL - 1))

    def _ledger(self, ws: Worksheet, placed: c.Placed, ledger: c.Ledger) -> None:
        """Heads and item rows labelled on the left, then a column per entry (at least one, blank: the
        entries added later take its formats), every entry column laid out at its width."""
        s = self.styles
        entries: list[Entry | None] = [*self.typed.ledgers.get(ledger.name, [])] or [None]
        left, top = placed.col - 1, placed.first_row - 1  # 0-based: key column, first head row
        first = left + 3  # the first entry's column
        self._title(ws, placed, ledger.title, 3 + len(entries))
        ws.set_column(first, first + ledger.room - 1, ledger.width)
        for col in range(first, first + len(entries)):  # the finished plan prints every entry it shows
            self.widths[col + 1] = ledger.width
        for i, head in enumerate(ledger.heads):
            key = f"{ledger.key.zh}\n{ledger.key.en}" if i == 0 else ""
            for j, label in enumerate((key, head.zh, head.en)):
                ws.write(top + i, left + j, label, s.get("header"))
            for j, entry in enumerate(entries):
                value = entry.heads[i] if entry else None
                self._value(ws, top + i, first + j, value, s.get("header", number_format(head.fmt)))
            self.heights[top + i] = LINE * head.lines
            ws.set_row(top + i, self.heights[top + i])
        for k, item in enumerate(ledger.rows):
            row = top + len(ledger.heads) + k
            if not item.key:  # a heading over the items under it, across the entries too
                style = s.get("section")
                for col in range(left, first + len(entries)):
                    ws.write_blank(row, col, None, style)
                ws.write(row, left + 1, item.zh, style)
                ws.write(row, left + 2, item.en, style)
                continue
            ws.write(row, left, item.key, s.get("label_en"))
            ws.write(row, left + 1, item.zh, s.get("label_wrap"))
            ws.write(row, left + 2, item.en, s.get("label_en_wrap"))
            zh_width, en_width = ledger.label_widths
            # the English labels are in 9 pt, the widths count the 10 pt text's digits
            if (lines := max(text_lines(item.zh, zh_width), text_lines(item.en, en_width * 10 / 9))) > 1:
                self.heights[row] = LINE * lines
                ws.set_row(row, self.heights[row])
            for j, entry in enumerate(entries):
                value = entry.values.get(item.key) if entry else None
                self._value(ws, row, first + j, value, s.get("output", number_format(item.fmt)))
        last = (
            top + len(ledger.heads) + len(ledger.rows),
            left + 3 + len(self.typed.ledgers.get(ledger.name, [])),
        )
        self.book.define_name(ledger.name, _sheet_ref(placed.sheet.name, (top + 1, left + 1), last))
        ws.repeat_rows(top, top + len(ledger.heads) - 1)  # the entries' names on every printed page
        ws.freeze_panes(top + len(ledger.heads), first)

    def _table(self, ws: Worksheet, placed: c.Placed, table: c.Table) -> None:
        s = self.styles
        left = placed.col - 1  # 0-based column of the table's first column
        self._title(ws, placed, table.title, len(table.columns))
        header = placed.first_row - 1
        self._header(ws, header, {left + j: f"{col.zh}\n{col.en}" for j, col in enumerate(table.columns)})
        rows = self._table_rows(table)
        for i, (values, unit) in enumerate(zip(rows, row_units(table, rows), strict=True)):
            for j, (column, value) in enumerate(zip(table.columns, values, strict=True)):
                style = s.get(_role(column), number_format(column.fmt, unit))
                self._value(ws, header + 1 + i, left + j, value, style)
        if not rows:  # an empty table's first row is styled: the rows regenerate adds copy it
            for j, column in enumerate(table.columns):
                ws.write_blank(header + 1, left + j, None, s.get(_role(column), number_format(column.fmt)))
        if (lines := max(column.lines for column in table.columns)) > 1:  # the first row's height too
            for row in range(header + 1, header + 1 + max(len(rows), 1)):
                self.heights[row] = LINE * lines  # the page breaks count them
                ws.set_row(row, LINE * lines)
        if table.total_row:
            self._total_row(ws, header + 1 + len(rows), left, table, rows)
        last_row = header + 1 + max(len(rows), 1)  # 1-based last data row (≥ header + 1)
        self.book.define_name(
            table.name,
            _sheet_ref(placed.sheet.name, (header + 1, left + 1), (last_row, left + len(table.columns))),
        )
        for name, key in table.named_columns:
            col = left + table.column(key) + 1
            self.book.define_name(name, _sheet_ref(placed.sheet.name, (header + 2, col), (last_row, col)))
        if table.rows is None or table is c.DAILY_PLAN:  # the long table a sheet ends with
            ws.repeat_rows(header)  # on every printed page
            if header + 1 <= MAX_FROZEN_ROWS:  # a taller frozen pane leaves a laptop little to scroll
                ws.freeze_panes(header + 1, 0)
        self._table_extras(ws, table, left, header + 1, header + len(rows))

    def _table_rows(self, table: c.Table) -> list[list[Any]]:
        if self.outputs is not None:
            return self.outputs.tables[table.name]
        count = table.rows or 0
        rows: list[list[Any]] = table.empty_rows()[:count]
        for key, values in self.typed.columns.get(table.name, {}).items():
            j = table.column(key)
            for i, value in enumerate(values[:count]):
                rows[i][j] = value
        if table is c.KPI_TABLE:  # units are known before any plan: the actual cells show them
            for row, kpi in zip(rows, KPIS, strict=True):
                row[table.column("unit")] = kpi.unit
        return rows

    def _total_row(self, ws: Worksheet, row: int, left: int, table: c.Table, rows: list) -> None:
        """SUM formulas with their values cached, so previews show the totals too."""
        style = self.styles.get("total")
        ws.write(row, left, "合计 total", style)
        totals = c.totals(table, rows)
        for j, column in enumerate(table.columns[1:], start=1):
            fmt = self.styles.get("total", number_format(column.fmt))
            if j in totals:
                formula, cached = totals[j]
                ws.write_formula(row, left + j, formula, fmt, cached)
            else:
                ws.write_blank(row, left + j, None, fmt)

    def _table_extras(self, ws: Worksheet, table: c.Table, left: int, first: int, last: int) -> None:
        """Conditional colours and validation that belong to particular tables (0-based rows and ``left``)."""
        if last < first:
            last = first
        if table in ROI_TARGETS:  # an ROI target under break-even is red, as 保本ROI changes
            key, label = ROI_TARGETS[table]
            where, target = c.address(first + 1, left + table.column(key) + 1), left + table.column("target")
            self._under_breakeven(ws, (first, target, last, target), when=f'${where}="{label}"')
        if table is c.CHECKPOINTS_TABLE:
            col = left + table.column("status")
            for status, colours in STATUS_COLOURS.items():  # cells show the status's Chinese label
                self._colour_when(ws, (first, col, last, col), status.zh, colours)
        elif table is c.MATRIX_TABLE:
            col = left + table.column("level_zh")
            self._level_colours(ws, first, col, last, col)
            self._whole(
                ws, first, left + table.column("probability"), last, left + table.column("impact"), 1, 5
            )
        elif table is c.RISK_TABLE:
            col = left + table.column("score")
            ws.conditional_format(first, col, last, col, {
                "type": "3_color_scale", "min_type": "num", "min_value": 0, "mid_type": "num",
                "mid_value": 50, "max_type": "num", "max_value": 100, "min_color": GOOD[0],
                "mid_color": WARN[0], "max_color": BAD[0]})  # fmt: skip
        elif table is c.COVER_PHASES:  # the budgets as bars: the year's rhythm at a glance
            col = left + table.column("budget")
            ws.conditional_format(first, col, last, col, {"type": "data_bar", "bar_color": "#9DC3E6",
                                  "bar_solid": True, "min_type": "num", "min_value": 0})  # fmt: skip
        elif table is c.ALERTS_TABLE:
            col = left + table.column("fired")
            ws.conditional_format(first, col, last, col, {"type": "text", "criteria": "begins with",
                                  "value": "是", "format": self.styles.colour(BAD)})  # fmt: skip

    def _under_breakeven(self, ws: Worksheet, area: tuple[int, int, int, int],
                         breakeven: str = "Breakeven_ROI", when: str = "") -> None:  # fmt: skip
        """Red where an ROI target (the area's cells, 0-based) is under break-even (a defined name), in the
        rows ``when`` holds (a formula relative to the area's first row)."""
        below = f"{c.address(area[0] + 1, area[1] + 1)}<{breakeven}"  # relative: each row its own target
        formula = f"=AND({when},{below})" if when else f"={below}"
        rule = {"type": "formula", "criteria": formula, "format": self.styles.colour(BAD)}
        ws.conditional_format(*area, rule)

    def _level_colours(self, ws: Worksheet, r1: int, c1: int, r2: int, c2: int) -> None:
        for level, colours in LEVEL_COLOURS.items():
            self._colour_when(ws, (r1, c1, r2, c2), level.zh, colours)

    def _colour_when(self, ws: Worksheet, area: tuple[int, int, int, int], text: str,
                     colours: tuple[str, str]) -> None:  # fmt: skip
        rule = {"type": "cell", "criteria": "==", "value": f'"{text}"'}
        ws.conditional_format(*area, {**rule, "format": self.styles.colour(colours)})

    # ------------------------------------------------------------ values and validation

    def _value(self, ws: Worksheet, row: int, col: int, value: Any, style: Format) -> None:
        formula = formula_at(ws.name, row + 1, col + 1) if self.mode is Mode.XLSM else None
        if formula:  # computed in Excel; the value computed here is its cached result
            cached = self.results.get((ws.name, row + 1, col + 1), NO_VALUE)
            ws.write_formula(row, col, formula, style, cached)
        elif value is None:
            ws.write_blank(row, col, None, style)
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            ws.write_datetime(row, col, dt.datetime(value.year, value.month, value.day), style)
        elif isinstance(value, str):
            ws.write_string(row, col, value, style)  # never a formula, whatever it starts with
        else:
            ws.write(row, col, value, style)

    def _validate(self, ws: Worksheet, first: tuple[int, int], last: tuple[int, int],
                  item: c.Cell | c.Grid) -> None:  # fmt: skip
        """Data validation for input cells: lists for choices, ranges for numbers and dates."""
        if self.mode is Mode.EXPORT:
            return
        rule: dict[str, Any]
        if isinstance(item, c.Cell) and item.choices is not None:
            rule = {"validate": "list", "source": [m.zh for m in item.choices]}
        elif item.fmt is c.Fmt.DATE:
            earliest, latest = PLAN_DATES
            rule = {"validate": "date", "criteria": "between", "minimum": earliest, "maximum": latest}
        elif item.fmt is c.Fmt.INT or getattr(item, "whole", False):
            low, high = getattr(item, "bounds", (1, None))
            rule = {"validate": "integer", **_between(low if low is not None else 1, high)}
        elif item.fmt in (c.Fmt.TEXT,):
            return
        else:
            low, high = getattr(item, "bounds", (0, None))
            if low is None and high is None:
                return
            rule = {"validate": "decimal", **_between(low, high)}
        zh, en = (item.zh, item.en) if isinstance(item, c.Cell) else item.title
        rule |= {
            "error_title": "输入无效 Invalid input",
            "error_message": f"{zh}：请检查取值。\n{en}: check the value.",
        }
        ws.data_validation(*first, *last, rule)

    def _whole(self, ws: Worksheet, r1: int, c1: int, r2: int, c2: int, low: int, high: int) -> None:
        if self.mode is not Mode.EXPORT:
            ws.data_validation(r1, c1, r2, c2, {"validate": "integer", **_between(low, high)})

    # ------------------------------------------------------------ charts

    def _chart(self, ws: Worksheet, placed: c.Placed, block: c.Chart) -> None:
        """Draw a chart where the contract keeps room for it, from the plan's tables."""

        drawn = len(self._table_rows(block.follows)) if block.follows else None
        if drawn == 0 and self.mode is Mode.EXPORT:  # no chart without data: say why in its place
            ws.write_string(placed.row - 1, placed.col - 1, block.caption(has_rows=False),
                            self.styles.get("placeholder"))  # fmt: skip
            for row in range(placed.row, placed.row - 1 + block.rows):  # and keep no empty room
                ws.set_row(row, None, None, {"hidden": True})
                self.heights[row] = 0
            return

        def column(table: c.Table, key: str) -> list[Any]:
            sheet, first, left = c.table_origin(table)
            rows = drawn or table.rows or 1  # a growing table's chart runs over the rows it has
            col = left - 1 + table.column(key)
            return [sheet, first - 1, col, first - 2 + rows, col]

        title = block.caption(has_rows=drawn != 0)
        if block.key == "cover_channels":
            chart = self._channel_doughnut()
        elif block in c.CURVE_CHARTS:
            chart = self._curve_scatter(CURVE_CHANNELS[block.key], column)
        elif block.key == "replan_months":
            chart = self.book.add_chart({"type": "column"})
            for key, label, colour in (
                ("plan", "计划 plan", RESERVE_COLOUR),
                ("actual", "实际 actual", NAVY),
                ("replan", "重新规划 re-plan", CHANNEL_COLOURS[1]),
            ):
                chart.add_series({
                    "name": label,
                    "categories": column(c.REPLAN_MONTHS, "month"),
                    "values": column(c.REPLAN_MONTHS, key),
                    "fill": {"color": colour},
                    "gap": 60,
                })  # fmt: skip
            chart.set_y_axis({"num_format": '"¥"#,##0', "major_gridlines": {"visible": True}})
            chart.set_legend({"position": "bottom"})
        elif block.key == "pacing":
            chart = self.book.add_chart({"type": "line"})
            chart.add_series({
                "name": "每日预算 daily budget",
                "categories": column(c.DAILY_PLAN, "date"),
                "values": column(c.DAILY_PLAN, "budget"),
                "line": {"color": NAVY, "width": 1.25},
            })  # fmt: skip
            chart.add_series({  # the same budget, a point on each event day only
                "name": "大促日 event days",
                "categories": column(c.DAILY_PLAN, "date"),
                "values": column(c.CALENDAR_EVENTS, "event_budget"),
                "line": {"none": True},
                "marker": {"type": "circle", "size": 3, "fill": {"color": EVENT_COLOUR},
                           "border": {"none": True}},
            })  # fmt: skip
            chart.set_x_axis({"date_axis": True, "num_format": "yyyy-mm", "major_unit": 1,
                              "major_unit_type": "months"})  # fmt: skip
            chart.set_legend({"none": True})
        elif block.key == "sensitivity":
            chart = self._sensitivity_lines(column)
        elif block.key == "risk_forecast":
            chart = self.book.add_chart({"type": "line"})
            for key, label, colour, dash in (
                ("index", "综合指数 index", NAVY, "solid"),
                ("lower", "区间下限 lower", "#A6A6A6", "dash"),
                ("upper", "区间上限 upper", "#A6A6A6", "dash"),
            ):
                chart.add_series({
                    "name": label,
                    "categories": column(c.RISK_FORECAST, "date"),
                    "values": column(c.RISK_FORECAST, key),
                    "line": {"color": colour, "width": 1.5, "dash_type": dash},
                })  # fmt: skip
            # A text axis: a day per point, the forecast's days after the history's.
            chart.set_x_axis({"text_axis": True, "num_format": "mm-dd"})
            chart.set_y_axis({"min": 0, "max": 100, "major_gridlines": {"visible": True}})
            chart.set_legend({"position": "bottom"})
        else:
            share = block.key == "channel_mix"
            chart = self.book.add_chart(
                {"type": "column", "subtype": "percent_stacked" if share else "stacked"}
            )
            for channel, colour in zip(Channel, CHANNEL_COLOURS, strict=True):
                chart.add_series({
                    "name": f"{channel.zh} {channel.en}",
                    "categories": column(c.CHANNEL_TABLE, "phase_zh"),
                    "values": column(c.CHANNEL_TABLE, f"{channel.value}_share" if share else channel.value),
                    "fill": {"color": colour},
                    "gap": 80,
                })  # fmt: skip
            if not share:  # on top, so each column is as tall as the phase's 预算 in the table
                chart.add_series({
                    "name": "风险储备金 risk reserve",
                    "categories": column(c.CHANNEL_TABLE, "phase_zh"),
                    "values": column(c.PHASE_TABLE, "reserve"),
                    "fill": {"color": RESERVE_COLOUR},
                    "gap": 80,
                })  # fmt: skip
            chart.set_legend({"position": "right"})
        if block.key in ("pacing", "phase_channels"):
            chart.set_y_axis({"num_format": '"¥"#,##0', "major_gridlines": {"visible": True}})
        chart.set_title({"name": title, "name_font": {"size": 11, "name": FONT}})
        chart.set_size({"width": block.width, "height": 20 * block.rows})
        ws.insert_chart(placed.row - 1, placed.col - 1, chart, {"x_offset": 4, "y_offset": 2})

    def _sensitivity_lines(self, column: Callable[[c.Table, str], list[Any]]) -> Any:
        """A line per column of the sensitivity table over its rows, each named by its column's head."""
        chart = self.book.add_chart({"type": "line"})
        sheet, heads_top, heads_left = c.table_origin(c.SENSITIVITY_COLUMNS)
        for i, colour in enumerate(STEP_COLOURS, 1):
            key = f"c{i}"
            chart.add_series({
                "name": [sheet, heads_top - 1, heads_left - 1 + c.SENSITIVITY_COLUMNS.column(key)],
                "categories": column(c.SENSITIVITY_TABLE, "change"),
                "values": column(c.SENSITIVITY_TABLE, key),
                "line": {"color": colour, "width": 1.75},
                "marker": {"type": "circle", "size": 4, "fill": {"color": colour},
                           "border": {"color": colour}},
            })  # fmt: skip
        chart.set_y_axis({"num_format": '"¥"#,##0', "major_gridlines": {"visible": True}})
        chart.set_legend({"position": "right"})
        return chart

    def _curve_scatter(self, channel: Channel, column: Callable[[c.Table, str], list[Any]]) -> Any:
        """A channel's response curve as a line over daily spend, its actual days as points on it."""
        colour = CHANNEL_COLOURS[list(Channel).index(channel)]
        chart = self.book.add_chart({"type": "scatter", "subtype": "straight"})
        chart.add_series({
            "name": "响应曲线 response curve",
            "categories": column(c.CURVE_POINTS, f"{channel.value}_curve_spend"),
            "values": column(c.CURVE_POINTS, f"{channel.value}_curve_gmv"),
            "line": {"color": colour, "width": 2},
            "marker": {"type": "none"},
        })  # fmt: skip
        chart.add_series({
            "name": "实际日数据 actual days",
            "categories": column(c.CURVE_POINTS, f"{channel.value}_spend"),
            "values": column(c.CURVE_POINTS, f"{channel.value}_gmv"),
            "line": {"none": True},
            "marker": {"type": "circle", "size": 5, "fill": {"color": GREY[1]}, "border": {"color": GREY[0]}},
        })  # fmt: skip
        axis = {"num_format": '"¥"#,##0', "min": 0, "name_font": {"size": 9, "name": FONT}}
        chart.set_x_axis({**axis, "name": "日消耗 daily spend"})
        chart.set_y_axis({**axis, "name": "日GMV daily GMV", "major_gridlines": {"visible": True}})
        chart.set_legend({"position": "bottom"})
        return chart

    def _channel_doughnut(self) -> Any:
        """The cover's channels as shares of the allocatable budget, from its channel amounts."""
        channels = [cell for cell in c.COVER_CHANNELS.cells if cell.key in {ch.value for ch in Channel}]
        sheet, first, col = c.cell_of(channels[0].name)
        last = c.cell_of(channels[-1].name)[1]
        label_col = col - (c.VALUE_COL - 1)  # the channels' Chinese names
        chart = self.book.add_chart({"type": "doughnut"})
        chart.add_series({
            "name": "渠道占比 channel shares",
            "categories": [sheet, first - 1, label_col - 1, last - 1, label_col - 1],
            "values": [sheet, first - 1, col - 1, last - 1, col - 1],
            "points": [{"fill": {"color": colour}} for colour in CHANNEL_COLOURS],
            "data_labels": {"category": True, "percentage": True, "separator": "\n",
                            "font": {"name": FONT, "size": 9}},
        })  # fmt: skip
        chart.set_hole_size(55)
        chart.set_legend({"none": True})
        return chart


def _role(column: c.Column) -> str:
    if column.typed:
        return "input"
    return "output_wrap" if column.lines > 1 else "output"


def _between(low: float | None, high: float | None) -> dict[str, Any]:
    if high is None:
        return {"criteria": ">=", "value": low}
    return {"criteria": "between", "minimum": low, "maximum": high}


def render(
    path: Path,
    typed: Typed,
    outputs: Outputs | None,
    mode: Mode,
    vba_project: Callable[[list[str]], bytes] | None = None,
    results: Outputs | None = None,
) -> None:
    """Write a complete workbook to ``path`` (callers make this atomic).

    The .xlsm's formulas cache what ``outputs`` hold in their cells, or without outputs what
    ``results`` do, so that hosts which do not run our functions show their values. An .xlsm gets
    the ``vbaProject.bin`` that ``vba_project`` makes for its sheets' code names (``Sheet1``… in
    sheet order), so that every sheet has its document module.
    """
    # The font is named outright, not as the theme's body font ("none" scheme): the theme XlsxWriter
    # writes names Calibri / 宋体, and Excel shows a theme-marked font as the theme's.
    default_font = {"font_name": FONT, "font_size": 10, "font_scheme": "none"}
    book = xlsxwriter.Workbook(
        str(path), {"default_format_properties": default_font, "strings_to_formulas": False}
    )
    book.set_properties({"title": "抖音投放规划 dyplan", "created": BUILD_TIME, "author": "dyplan"})
    book.set_calc_mode("auto")
    Renderer(book, typed, outputs, mode, results).render()
    if vba_project is not None:
        code_names = [f"Sheet{number}" for number in range(1, len(book.worksheets()) + 1)]
        for ws, code_name in zip(book.worksheets(), code_names, strict=True):
            ws.set_vba_name(code_name)
        book.add_vba_project(io.BytesIO(vba_project(code_names)), is_stream=True)
    book.close()
