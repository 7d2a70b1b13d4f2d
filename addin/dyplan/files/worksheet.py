"""One worksheet part's cells, read and written in its XML; everything else in the sheet stays as it is.

Rows and columns are 1-based. Only ``<sheetData>`` cells that are written change (and the sheet's
``<dimension>`` when it grows): merged cells, conditional formats, validations, drawings, comments'
anchors and every extension of the part are kept exactly.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import numbers
import re
import sys
from decimal import Decimal
from typing import Any, NamedTuple

import numpy as np
from lxml import etree
from openpyxl.formula.translate import Translator
from openpyxl.utils import column_index_from_string, get_column_letter

from dyplan.files.row_cells import NO_CELLS, NUMBER, SHARED, Content, Held, RowCells
from dyplan.files.sheet_rows import SheetRows
from dyplan.files.strings import SharedStrings, item_text
from dyplan.files.xml import main
from dyplan.scalars import serial

_C, _V, _F, _IS = main("c"), main("v"), main("f"), main("is")
_NOTHING: Content = (None, None, None)
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_DIGITS = "0123456789"
#: A row's start tag, and a plain cell as Excel, WPS, LibreOffice and XlsxWriter write one: reference,
#: format and type in that order, then at most a formula without attributes and a value, without
#: entities or carriage returns (which a parser would turn into other text). A row of such cells is
#: read from its bytes; any other row is parsed.
_ROW_START = re.compile(rb'<row(?: [A-Za-z0-9:]+="[^"<>&]*")*(/?)>')
_PLAIN_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})[0-9]+"(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?'
    rb"(?:/>|>(?:<f>([^<&\r]*)</f>)?(?:<v>([^<&\r]*)</v>)?</c>)"
)
_ROW_END = b"</row>"


class Formula(str):
    """Text to store as a formula (without its "="), with the value it computes cached beside it."""

    def __new__(cls, text: str, cached: Any = None) -> Formula:
        formula = super().__new__(cls, text)
        formula.cached = cached
        return formula


@functools.lru_cache(maxsize=1 << 16)
def split_ref(ref: str) -> tuple[int, int]:
    """(row, column) of a cell reference such as ``B7`` or ``$B$7``."""
    match = _REF.fullmatch(ref)
    if match is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(match[2]), column_index_from_string(match[1].upper())


#: Rows parsed together when a row is first read.
READ_AHEAD = 64
#: Edited rows kept as elements before they are all kept as bytes again: as elements a row costs
#: about a kilobyte a cell, and a regenerate edits thousands of cells.
KEPT_ROWS = 8


class Cell(NamedTuple):
    """What a cell shows and holds: its value, its format index and its ``Content`` (None: richer)."""

    value: Any
    style: str | None
    held: Content | None


class Worksheet:
    """The cells of one worksheet part, named ``name`` in messages.

    A row is parsed once, when first read, into ``RowCells`` (a few times smaller than its XML tree)
    and let go. A write of a plain cell (a value or a format) goes into the row's ``RowCells`` and is
    only noted (``_deferred``); the row is parsed again and its noted cells edited as elements when it
    is saved, once for all its writes, however many blocks wrote into it. A richer cell (a shared
    formula) is edited as an element at once. Edited rows are kept as their new bytes once
    ``KEPT_ROWS`` others are being edited. Every other row keeps its bytes.
    """

    def __init__(self, data: bytes, strings: SharedStrings, name: str = "") -> None:
        self.name = name
        self._rows = SheetRows(data)
        self.root = self._rows.root
        self.strings = strings
        self._cells: dict[int, RowCells] = {}  # every row read
        self._elements: dict[int, dict[int, etree._Element]] = {}  # edited rows' cell elements
        # cells written but not yet into their elements: row → column → whether the content changed
        # (else only the format); what each now holds is in its ``RowCells``
        self._deferred: dict[int, dict[int, bool]] = {}
        self.changed = False
        self._saved: bytes | None = None  # ``to_bytes`` since the last edit
        self._bottom_right = (0, 0)

    # ---------------------------------------------------------------- reading

    def _cells_of(self, row: int) -> RowCells:
        cells = self._cells.get(row)
        if cells is None:  # read with the rows after it: reading goes down a table
            if row > self._rows.last:
                return NO_CELLS  # the sheet ends above: tables are read on past their ends
            parsed = []
            for number in (n for n in range(row, row + READ_AHEAD) if n not in self._cells):
                raw = self._rows.raw(number)
                cells = self._plain_cells(raw) if raw is not None else None
                if cells is None:
                    parsed.append(number)
                else:
                    self._cells[number] = cells
            found = self._rows.read_run(parsed)
            for number in parsed:
                self._cells[number] = self._parsed_cells(found.get(number))
            cells = self._cells[row]
        return cells

    def _plain_cells(self, raw: bytes) -> RowCells | None:
        """A row's cells read from its bytes, if every one is plain (``_PLAIN_CELL``); else None."""
        start = _ROW_START.match(raw)
        if start is None:
            return None
        if start[1]:  # <row/>
            return NO_CELLS if start.end() == len(raw) else None
        end = len(raw) - len(_ROW_END)
        if not raw.endswith(_ROW_END):
            return None
        cols, readings, at = [], [], start.end()
        while at < end:
            found = _PLAIN_CELL.match(raw, at, end)
            if found is None:
                return None
            letters, style, kind, formula, text = found.groups()
            cols.append(_column_number(letters.decode()))
            readings.append(self._reading(  # an empty formula or value element holds no text
                None, kind and kind.decode(), formula.decode() if formula else None,
                text.decode() if text else None, style and style.decode(),
            ))  # fmt: skip
            at = found.end()
        return RowCells.of(cols, readings)

    def _parsed_cells(self, row: etree._Element | None) -> RowCells:
        """A row's cells read from its elements (a row the sheet lacks has none)."""
        cols, readings, column = [], [], 0
        for cell in row if row is not None else ():
            if cell.tag != _C:
                continue
            ref = cell.get("r")
            column = _column_number(ref.rstrip(_DIGITS)) if ref else column + 1
            cols.append(column)
            readings.append(self._cell_of(cell))
        return RowCells.of(cols, readings)

    def _cell(self, row: int, col: int) -> Cell | None:
        """The cell at ``row``, ``col``; None where the sheet has none."""
        cells = self._cells_of(row)
        i = cells.at(col)
        if i < 0:
            return None
        value = cells.values[i]
        return Cell(value, cells.styles[i], self._content_of(value, cells.helds[i]))

    def _content_of(self, value: Any, held: Held) -> Content | None:
        """The content a ``Held`` stands for: a mark's, the one ``value`` is written as."""
        if held is NUMBER:
            return None, None, str(value) if type(value) is int else repr(value)
        if held is SHARED:
            return "s", None, str(self.strings.plain_index(value))
        return held  # type: ignore[return-value]

    def columns(self, row: int) -> list[int]:
        """The columns of the cells the row has."""
        return list(self._cells_of(row).cols)

    def value(self, row: int, col: int) -> Any:
        return self._cells_of(row).value(col)

    def block(self, row: int, col: int, rows: int, cols: int) -> list[list[Any]]:
        lines = []
        below = max(row + rows - 1 - self._rows.last, 0)  # rows past the sheet's end read as blank
        for r in range(row, row + rows - below):
            cells = self._cells_of(r)
            if not cells:
                lines.append([None] * cols)
                continue
            lines.append(cells.span(col, cols))
        lines.extend([None] * cols for _ in range(min(below, rows)))
        return lines

    def height(self, row: int) -> str | None:
        """A row's own height in points (as the file writes it), None for the default height."""
        element = self._rows.read(row)
        if element is None or element.get("customHeight") not in ("1", "true"):
            return None
        return element.get("ht")

    def set_height(self, row: int, height: str | None) -> None:
        """Give a row its own height in points (None: the default height)."""
        if height == self.height(row):
            return
        element = self._row(row)
        for attribute, value in (("ht", height), ("customHeight", "1" if height else None)):
            if value is None:
                element.attrib.pop(attribute, None)
            else:
                element.set(attribute, value)
        self._edited()

    def style(self, row: int, col: int) -> str | None:
        cells = self._cells_of(row)
        i = cells.at(col)
        return None if i < 0 else cells.styles[i]

    def _cell_of(self, cell: etree._Element) -> tuple[Any, str | None, Held]:
        """The cell's value, format index and ``Held``, read in one pass over its children (at most
        ``<f>`` and ``<v>``; lxml's find() costs more than the whole loop)."""
        attributes = cell.attrib
        kind = attributes.get("t")
        text = formula = None
        plain = "cm" not in attributes and "vm" not in attributes  # rich values: only kept, never read
        for child in cell:
            if child.tag == _V and text is None:
                text = child.text
            elif child.tag == _F and formula is None:
                formula = child.text
                plain = plain and not child.attrib  # a shared or array formula is more than its text
            else:
                plain = False
        return self._reading(cell, kind, formula, text, attributes.get("s"), plain)

    def _reading(
        self, cell: etree._Element | None, kind: str | None, formula: str | None, text: str | None,
        style: str | None, plain: bool = True,
    ) -> tuple[Any, str | None, Held]:  # fmt: skip
        """What is kept of a cell of this content read: its value, format index and ``Held``."""
        value = self._shown(cell, kind, formula, text)
        if style is not None:
            style = sys.intern(style)  # a few formats serve thousands of cells
        if not plain:
            return value, style, None
        if kind == "n":
            kind = None
        if formula is None and text is not None and kind in (None, "s"):
            mark = NUMBER if kind is None else SHARED
            if self._content_of(value, mark) == (kind, None, text):
                return value, style, mark
        if kind is None and formula is None and text is None:
            return value, style, _NOTHING  # a format only: one tuple serves them all
        return value, style, (kind, formula, text)

    def _shown(
        self, cell: etree._Element | None, kind: str | None, formula: str | None, text: str | None
    ) -> Any:
        """What a client shows for the cell: its cached value, else its formula (``cell``: where an
        inline string is read from; a write never makes one)."""
        if kind == "inlineStr":
            inline = cell.find(_IS) if cell is not None else None
            return None if inline is None else item_text(inline)
        if text is None:
            return f"={formula}" if formula else None
        if kind == "s":
            return self.strings.texts[int(text)]
        if kind == "b":
            return text.strip() == "1"
        if kind in ("str", "e", "d"):
            return text
        digits = text.strip()
        return int(digits) if digits.lstrip("-").isdecimal() else float(digits)

    # ---------------------------------------------------------------- writing

    def write_row(self, row: int, col: int, values: list[Any], styles: list[str | None]) -> None:
        """``write`` along a row from ``col``: each value with its style (None: keep the cell's)."""
        for j, (value, style) in enumerate(zip(values, styles, strict=True)):
            self.write(row, col + j, value, style)

    def write(self, row: int, col: int, value: Any, style: str | None = None) -> None:
        """Store ``value`` in a cell (and ``style``, a format index); a cell already so is left alone."""
        if len(self._elements) >= KEPT_ROWS and row not in self._elements:
            self._settle()  # here, where no caller holds an element of them
        if self._holds(row, col, value, style):  # most of a regenerate's cells: checked without a copy
            return
        before = self._cell(row, col)
        if before is None and style is None and _is_blank(value):
            return
        held = before.held if before is not None else _NOTHING
        kind, formula, text = content = self._content(held, value)
        restyle = style is not None and (before is None or before.style != style)
        if before is not None and not restyle and (content == held or _same_number(content, held)):
            return
        if before is not None and before.held is None:  # richer: it may share a formula with others
            cell = self._element(row, col)
            if restyle:
                cell.set("s", style)
            self._unshare(cell, row, col)
            _put_content(cell, content)
            self._keep(row, col, self._reading(cell, kind, formula, text, cell.get("s")))
        else:  # a plain cell, or none: noted, and edited as an element when the row is saved
            shown_style = style if restyle else before.style if before is not None else None
            deferred = self._deferred.setdefault(row, {})
            deferred[col] = deferred.get(col, False) or content != held
            self._keep(row, col, self._reading(None, kind, formula, text, shown_style))
        self._edited()
        self._bottom_right = (max(self._bottom_right[0], row), max(self._bottom_right[1], col))

    def _holds(self, row: int, col: int, value: Any, style: str | None) -> bool:
        """Whether the cell holds ``value`` as the number or text it is written as, in ``style``."""
        cells = self._cells_of(row)
        i = cells.at(col)
        if i < 0 or (style is not None and cells.styles[i] != style):
            return False
        held, kind = cells.helds[i], type(value)
        if held is NUMBER:
            return (kind is int or (kind is float and math.isfinite(value))) and value == cells.values[i]
        return held is SHARED and kind is str and value != "" and value == cells.values[i]

    def _content(self, held: Content | None, value: Any) -> Content:
        """The cell's type, formula and value text for ``value`` (shared strings appended as needed)."""
        kind = type(value)
        if kind is float:  # the usual values first: a write is mostly this test
            return (None, None, repr(value)) if math.isfinite(value) else (None, None, None)
        if kind is int:
            return None, None, str(value)
        if value is None:
            return None, None, None
        formula = None
        if kind is str:  # a plain text (a Formula is a str of its own kind)
            if value == "":
                return None, None, None  # an empty text is no text, as Excel stores it
            return self._text(held, value)
        if isinstance(value, Formula):
            formula, value = str(value).removeprefix("="), value.cached
        if value is None or value == "":
            return None, formula, None  # an empty text is no text, as Excel stores it
        if isinstance(value, bool | np.bool_):
            return "b", formula, "1" if value else "0"
        if isinstance(value, numbers.Integral):  # numpy's integers too
            return None, formula, str(int(value))
        if isinstance(value, numbers.Real | Decimal):  # numpy's floats too: their repr is no number
            number = float(value)
            return (None, formula, repr(number)) if math.isfinite(number) else (None, formula, None)
        if isinstance(value, dt.date):
            return None, formula, str(serial(value))
        if formula is not None:  # a formula's text result
            return "str", formula, str(value)
        return self._text(held, str(value))  # text stays text, even "=1+1" from an import

    def _text(self, held: Content | None, text: str) -> Content:
        """A shared string's content: the one the cell holds when it is this text."""
        if held and held[0] == "s" and held[2] is not None and self.strings.texts[int(held[2])] == text:
            return held
        return "s", None, str(self.strings.index(text))

    def _unshare(self, cell: etree._Element, row: int, col: int) -> None:
        """Before the cell holding a shared formula's text is written over, give every cell that
        shares it (filled down or across by Excel) the formula of its own, so none is left empty."""
        formula = cell.find(_F)
        if formula is None or formula.get("t") != "shared" or not formula.get("ref") or not formula.text:
            return
        origin, text, group = f"{get_column_letter(col)}{row}", "=" + formula.text, formula.get("si")
        for number in self._rows.holding(b"shared"):
            found = self._elements.get(number) or _index(self._rows.read(number), number)
            for other_col, other in found.items():
                shared = other.find(_F)
                if other is cell or shared is None or _shared_group(shared) != group:
                    continue
                other = self._element(number, other_col)  # the row, now kept (parsed anew if it was not)
                shared = other.find(_F)
                shared.text = Translator(text, origin=origin).translate_formula(other.get("r"))[1:]
                for attribute in ("t", "si", "ref"):
                    shared.attrib.pop(attribute, None)
                self._keep(number, other_col, self._cell_of(other))

    def _keep(self, row: int, col: int, reading: tuple[Any, str | None, Held]) -> None:
        """What a cell now shows and holds (``_reading``), for reading."""
        cells = self._cells_of(row)  # read first: the row's other cells stay known
        if cells is NO_CELLS:
            cells = self._cells[row] = RowCells()
        cells.put(col, *reading)

    def _row(self, row: int) -> etree._Element:
        """Row ``row`` to edit (made if new), its deferred writes made: kept as elements from now on."""
        element, elements = self._rows.read(row), self._elements.get(row)
        if elements is None:
            if element is None:
                element = self._rows.new(row)
            self._rows.keep(row, element)
            elements = self._elements[row] = _index(element, row)
        assert element is not None
        if row in self._deferred:
            self._make_deferred(row, element, elements)
        return element

    def _make_deferred(self, row: int, element: etree._Element, elements: dict[int, etree._Element]) -> None:
        """The row's deferred writes, made in its elements: each cell's format and content as its
        ``RowCells`` holds them."""
        cells = self._cells_of(row)
        for col, rewrite in sorted(self._deferred.pop(row).items()):
            cell = elements.get(col)
            if cell is None:
                cell = _new_cell(element, elements, row, col)
            i = cells.at(col)
            style = cells.styles[i]
            if style is not None and cell.get("s") != style:
                cell.set("s", style)
            if rewrite:
                _put_content(cell, self._content_of(cells.values[i], cells.helds[i]))  # type: ignore[arg-type]

    def _settle(self) -> None:
        """Every row kept as elements, kept as its bytes again."""
        for number in self._elements:
            self._rows.settle(number)
        self._elements.clear()

    def _element(self, row: int, col: int) -> etree._Element:
        """The element of a cell to edit (made if new), in its row kept as elements."""
        element = self._row(row)
        elements = self._elements[row]
        cell = elements.get(col)
        return cell if cell is not None else _new_cell(element, elements, row, col)

    def stretch_ranges(
        self, first_row: int, first_col: int, last_col: int, old_last: int, new_last: int
    ) -> None:
        """Conditional formats and validations over rows ``first_row``–``old_last`` of these columns
        now end at ``new_last``, as Excel extends them when rows are inserted inside them."""

        def stretched(areas: str) -> str | None:
            """The areas stretched, or None when none of them is."""
            old = areas.split()
            new = [_stretched(area, first_row, first_col, last_col, old_last, new_last) for area in old]
            return " ".join(new) if new != old else None

        ranged = (*self.root.iter(main("conditionalFormatting")), *self.root.iter(main("dataValidation")))
        for element in ranged:
            if (areas := stretched(element.get("sqref") or "")) is not None:
                element.set("sqref", areas)
                self._edited()
        # Excel 2010's data bars, icon sets and list validations live in the extension list, each
        # range in an element of its own
        for element in self.root.iter(_EXCEL_SQREF):
            if (areas := stretched(element.text or "")) is not None:
                element.text = areas
                self._edited()

    def _edited(self) -> None:
        self.changed, self._saved = True, None

    def to_bytes(self) -> bytes:
        """The part's bytes (made once per edit: a save first asks whether anything changed)."""
        if self._saved is None:
            self._saved = self._to_bytes()
        return self._saved

    def _to_bytes(self) -> bytes:
        for number in list(self._deferred):
            if len(self._elements) >= KEPT_ROWS:
                self._settle()
            self._row(number)
        dimension = self.root.find(main("dimension"))
        ref = dimension.get("ref") if dimension is not None else None
        if ref and self._bottom_right != (0, 0):
            last_row, last_col = split_ref(ref.split(":")[-1])
            first = ref.split(":")[0]
            bottom = max(last_row, self._bottom_right[0])
            right = max(last_col, self._bottom_right[1])
            dimension.set("ref", f"{first}:{get_column_letter(right)}{bottom}")
        return self._rows.to_bytes()


#: Where the extension list keeps a range (``<xm:sqref>`` of x14 conditional formats and validations).
_EXCEL_SQREF = "{http://schemas.microsoft.com/office/excel/2006/main}sqref"


def _stretched(area: str, first_row: int, first_col: int, last_col: int, old_last: int, new_last: int) -> str:
    first, _, last = area.partition(":")
    top, left = split_ref(first)
    bottom, right = split_ref(last or first)
    if top != first_row or bottom != old_last or left < first_col or right > last_col:
        return area
    return f"{get_column_letter(left)}{top}:{get_column_letter(right)}{new_last}"


@functools.lru_cache(maxsize=1 << 12)
def _column_number(letters: str) -> int:
    return column_index_from_string(letters.replace("$", ""))


def _shared_group(formula: etree._Element) -> str | None:
    return formula.get("si") if formula.get("t") == "shared" else None


def _index(row: etree._Element | None, number: int) -> dict[int, etree._Element]:
    """A row's cells by column number; a cell whose reference was left out gets it."""
    cells: dict[int, etree._Element] = {}
    column = 0
    for cell in row if row is not None else ():
        if cell.tag != _C:
            continue
        ref = cell.get("r")
        column = _column_number(ref.rstrip(_DIGITS)) if ref else column + 1
        if not ref:
            cell.set("r", f"{get_column_letter(column)}{number}")
        cells[column] = cell
    return cells


def _new_cell(
    element: etree._Element, elements: dict[int, etree._Element], row: int, col: int
) -> etree._Element:
    """A new cell in row ``element`` (its cells ``elements``, by column), in column order."""
    element.attrib.pop("spans", None)  # an optional hint that would no longer hold
    cell = etree.Element(_C, r=f"{get_column_letter(col)}{row}")
    before = [c for c in elements if c < col]
    if before:
        elements[max(before)].addnext(cell)
    else:
        element.insert(0, cell)
    elements[col] = cell
    return cell


def _put_content(cell: etree._Element, content: Content) -> None:
    """The cell's type, formula and value replaced by ``content`` (its format stays)."""
    kind, formula, text = content
    for attribute in ("t", "cm", "vm"):
        cell.attrib.pop(attribute, None)
    if kind is not None:
        cell.set("t", kind)
    if formula is None and text is not None and len(cell) == 1 and cell[0].tag == _V:
        cell[0].text = text  # the usual change: another value, in the value element there is
        return
    for child in list(cell):
        cell.remove(child)
    if formula is not None:
        etree.SubElement(cell, _F).text = formula
    if text is not None:
        etree.SubElement(cell, _V).text = text


def _same_number(content: Content, held: Content | None) -> bool:
    """Whether both hold the same number, written differently ("1.50" and "1.5")."""
    if held is None or content[:2] != held[:2] or content[0] is not None or None in (content[2], held[2]):
        return False
    try:
        return float(content[2]) == float(held[2])  # type: ignore[arg-type]
    except ValueError:
        return False


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and not math.isfinite(value))
