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
from decimal import Decimal
from typing import Any

import numpy as np
from lxml import etree
from openpyxl.formula.translate import Translator
from openpyxl.utils import column_index_from_string, get_column_letter

from dyplan.files.strings import SharedStrings, item_text
from dyplan.files.xml import main, parse, serialise
from dyplan.scalars import serial

_ROW, _C, _V, _F, _IS = main("row"), main("c"), main("v"), main("f"), main("is")
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_DIGITS = "0123456789"
#: What a cell holds: its type attribute, formula text and value text (None where absent).
Content = tuple[str | None, str | None, str | None]


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


class Worksheet:
    """The cells of one worksheet part, named ``name`` in messages."""

    def __init__(self, data: bytes, strings: SharedStrings, name: str = "") -> None:
        self.name = name
        self.root = parse(data)
        self.strings = strings
        self.data = self.root.find(main("sheetData"))
        if self.data is None:
            raise ValueError("worksheet without <sheetData>")
        self.rows: dict[int, etree._Element] = {}
        number = 0
        for row in self.data.iterfind(_ROW):
            number = int(row.get("r") or number + 1)
            row.set("r", str(number))  # r may be left out; give it, so new rows can be placed
            self.rows[number] = row
        self._cells: dict[int, dict[int, etree._Element]] = {}
        self.changed = False
        self._bottom_right = (0, 0)

    # ---------------------------------------------------------------- reading

    def cells_of(self, row: int) -> dict[int, etree._Element]:
        """The row's cells by column number (indexed on first use)."""
        cells = self._cells.get(row)
        if cells is None:
            cells = self._cells[row] = {}
            element = self.rows.get(row)
            number = 0
            for cell in element if element is not None else ():
                if cell.tag != _C:
                    continue
                ref = cell.get("r")
                number = column_index_from_string(ref.rstrip(_DIGITS).replace("$", "")) if ref else number + 1
                if not ref:
                    cell.set("r", f"{get_column_letter(number)}{row}")
                cells[number] = cell
        return cells

    def value(self, row: int, col: int) -> Any:
        cell = self.cells_of(row).get(col)
        return None if cell is None else self._value(cell)

    def block(self, row: int, col: int, rows: int, cols: int) -> list[list[Any]]:
        lines = []
        for r in range(row, row + rows):
            cells = self.cells_of(r)
            if not cells:
                lines.append([None] * cols)
                continue
            lines.append([None if (cell := cells.get(c)) is None else self._value(cell)
                          for c in range(col, col + cols)])  # fmt: skip
        return lines

    def height(self, row: int) -> str | None:
        """A row's own height in points (as the file writes it), None for the default height."""
        element = self.rows.get(row)
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
        self.changed = True

    def style(self, row: int, col: int) -> str | None:
        cell = self.cells_of(row).get(col)
        return None if cell is None else cell.get("s")

    def _value(self, cell: etree._Element) -> Any:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(_IS)
            return None if inline is None else item_text(inline)
        text = formula = None
        for child in cell:  # at most <f> and <v>: one pass is quicker than two finds
            if child.tag == _V:
                text = child.text
            elif child.tag == _F:
                formula = child.text
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
        cells = self.cells_of(row)
        for j, (value, style) in enumerate(zip(values, styles, strict=True)):
            self.write(row, col + j, value, style, cells.get(col + j))

    def write(self, row: int, col: int, value: Any, style: str | None = None,
              existing: etree._Element | None = None) -> None:  # fmt: skip
        """Store ``value`` in a cell (and ``style``, a format index); a cell already so is left alone.

        ``existing``: the cell's element, when the caller has looked it up already.
        """
        if existing is None:
            existing = self.cells_of(row).get(col)
        if existing is None and style is None and _is_blank(value):
            return
        cell = existing if existing is not None else self._cell(row, col)
        held = _held(cell)
        kind, formula, text = content = self._content(held, value)
        changed = style is not None and cell.get("s") != style
        if changed:
            cell.set("s", style)
        if content != held:
            self._unshare(cell, row, col)
            for child in list(cell):
                cell.remove(child)
            for attribute in ("t", "cm", "vm"):
                cell.attrib.pop(attribute, None)
            if kind is not None:
                cell.set("t", kind)
            if formula is not None:
                etree.SubElement(cell, _F).text = formula
            if text is not None:
                etree.SubElement(cell, _V).text = text
            changed = True
        if changed or existing is None:
            self.changed = True
            self._bottom_right = (max(self._bottom_right[0], row), max(self._bottom_right[1], col))

    def _content(self, held: Content | None, value: Any) -> Content:
        """The cell's type, formula and value text for ``value`` (shared strings appended as needed)."""
        formula = None
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
        text = str(value)  # text stays text, even "=1+1" from an import
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
        for other in self.data.iter(_C):
            shared = other.find(_F)
            if other is cell or shared is None or (shared.get("t"), shared.get("si")) != ("shared", group):
                continue
            shared.text = Translator(text, origin=origin).translate_formula(other.get("r"))[1:]
            for attribute in ("t", "si", "ref"):
                shared.attrib.pop(attribute, None)

    def _cell(self, row: int, col: int) -> etree._Element:
        cells = self.cells_of(row)
        cell = cells.get(col)
        if cell is not None:
            return cell
        element = self._row(row)
        element.attrib.pop("spans", None)  # an optional hint that would no longer hold
        cell = etree.Element(_C, r=f"{get_column_letter(col)}{row}")
        after = [c for c in cells if c < col]
        if after:
            cells[max(after)].addnext(cell)
        else:
            element.insert(0, cell)
        cells[col] = cell
        return cell

    def _row(self, row: int) -> etree._Element:
        element = self.rows.get(row)
        if element is None:
            element = etree.Element(_ROW, r=str(row))
            before = [r for r in self.rows if r < row]
            if before:
                self.rows[max(before)].addnext(element)
            else:
                self.data.insert(0, element)
            self.rows[row] = element
        return element

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
                self.changed = True
        # Excel 2010's data bars, icon sets and list validations live in the extension list, each
        # range in an element of its own
        for element in self.root.iter(_EXCEL_SQREF):
            if (areas := stretched(element.text or "")) is not None:
                element.text = areas
                self.changed = True

    def to_bytes(self) -> bytes:
        dimension = self.root.find(main("dimension"))
        ref = dimension.get("ref") if dimension is not None else None
        if ref and self._bottom_right != (0, 0):
            last_row, last_col = split_ref(ref.split(":")[-1])
            first = ref.split(":")[0]
            bottom = max(last_row, self._bottom_right[0])
            right = max(last_col, self._bottom_right[1])
            dimension.set("ref", f"{first}:{get_column_letter(right)}{bottom}")
        return serialise(self.root)


#: Where the extension list keeps a range (``<xm:sqref>`` of x14 conditional formats and validations).
_EXCEL_SQREF = "{http://schemas.microsoft.com/office/excel/2006/main}sqref"


def _stretched(area: str, first_row: int, first_col: int, last_col: int, old_last: int, new_last: int) -> str:
    first, _, last = area.partition(":")
    top, left = split_ref(first)
    bottom, right = split_ref(last or first)
    if top != first_row or bottom != old_last or left < first_col or right > last_col:
        return area
    return f"{get_column_letter(left)}{top}:{get_column_letter(right)}{new_last}"


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and not math.isfinite(value))


def _held(cell: etree._Element) -> Content | None:
    """What a cell holds as (type, formula, value text); None for anything richer than that."""
    attributes = cell.attrib
    if "cm" in attributes or "vm" in attributes:
        return None
    formula = value = None
    for child in cell:  # one pass: lxml's find() costs more than the whole loop
        if child.tag == _V and value is None:
            value = child.text
        elif child.tag == _F and formula is None and not child.attrib:
            formula = child.text
        else:
            return None
    kind = attributes.get("t")
    return None if kind == "n" else kind, formula, value
