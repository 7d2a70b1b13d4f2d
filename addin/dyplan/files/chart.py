"""A chart part drawn from a growing table: its series made to run over the table's rows.

Only a chart whose every series reads columns of that table from its first row is redrawn: each
range then ends at the table's last row, its cached points are those of the cells (what previews
show), and its title says what the chart shows now. Any other chart keeps its bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree
from openpyxl.utils import column_index_from_string, get_column_letter

from dyplan.files.xml import parse, serialise

CHART_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
#: Where a series reads its points: categories and values, or a scatter's x and y values.
AXES = ("cat", "val", "xVal", "yVal")
_RANGE = re.compile(r"(?:'((?:[^']|'')+)'|([^'!]+))!\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")


def _c(tag: str) -> str:
    return f"{{{CHART_NS}}}{tag}"


def _a(tag: str) -> str:
    return f"{{{DRAWING_NS}}}{tag}"


@dataclass(frozen=True)
class TableRows:
    """The rows a chart should draw: a sheet's ``first``–``last`` rows of columns ``left``–``right``
    (1-based; ``last`` < ``first`` when the table has none yet)."""

    sheet: str
    first: int
    last: int
    left: int
    right: int


def _column_from_first_row(formula: str, rows: TableRows) -> int | None:
    """The column a series range reads, if it is one column of ``rows`` starting at their first row."""
    match = _RANGE.fullmatch(formula.strip())
    if match is None:
        return None
    sheet = (match[1] or "").replace("''", "'") or match[2]
    first_col, first_row = column_index_from_string(match[3]), int(match[4])
    last_col = column_index_from_string(match[5]) if match[5] else first_col
    if sheet != rows.sheet or first_row != rows.first or first_col != last_col:
        return None
    return first_col if rows.left <= first_col <= rows.right else None


def redraw(data: bytes, rows: TableRows, title: str, value: Callable[[int, int], Any]) -> bytes:
    """The chart part ``data`` drawing ``rows`` (cells read through ``value(row, col)``) under
    ``title``; ``data`` itself when the chart draws anything else."""
    root = parse(data)
    refs = [
        f for ser in root.iter(_c("ser")) for axis in AXES for f in ser.iterfind(f"{_c(axis)}/*/{_c('f')}")
    ]
    columns = [_column_from_first_row(f.text or "", rows) for f in refs]
    if not refs or None in columns:
        return data
    count = max(rows.last - rows.first + 1, 1)  # an empty table's chart keeps its one blank row
    drawn = [[value(rows.first + i, col) for i in range(count)] for col in columns]  # type: ignore[operator]
    names = _names(root, rows.sheet, value)
    if (
        _title(root) == title
        and [_points(f.getparent()) for f in refs] == [_texts(v) for v in drawn]
        and all(_points(f.getparent()) == _texts([shown]) for f, shown in names)
    ):
        return data  # as it was (whichever program wrote it): its bytes stay
    for formula, shown in names:  # a series named by a cell: its cached name is the cell's text
        _refill(formula.getparent(), formula.text or "", [None if shown is None else str(shown)])
    quoted = "'" + rows.sheet.replace("'", "''") + "'"
    for formula, col, values in zip(refs, columns, drawn, strict=True):
        letter = get_column_letter(col)  # type: ignore[arg-type]
        _refill(
            formula.getparent(), f"{quoted}!${letter}${rows.first}:${letter}${rows.first + count - 1}", values
        )
    _retitle(root, title)
    return serialise(root)


def _names(
    root: etree._Element, sheet: str, value: Callable[[int, int], Any]
) -> list[tuple[etree._Element, Any]]:
    """The series names read from one cell of ``sheet``: each name's formula and that cell's value."""
    named = []
    for formula in root.iterfind(f".//{_c('ser')}/{_c('tx')}/{_c('strRef')}/{_c('f')}"):
        match = _RANGE.fullmatch((formula.text or "").strip())
        if match is None or match[5] or ((match[1] or "").replace("''", "'") or match[2]) != sheet:
            continue
        named.append((formula, value(int(match[4]), column_index_from_string(match[3]))))
    return named


def _texts(values: list[Any]) -> list[str | None]:
    """Cell values as a cache holds them: numbers as numbers, blanks as no point."""
    return [None if v is None or v == "" else repr(float(v)) if isinstance(v, int | float) else str(v)
            for v in values]  # fmt: skip


def _points(ref: etree._Element) -> list[str | None]:
    """A series range's cached points, one per cell of its range (None: no point)."""
    cache = next((child for child in ref if child.tag in (_c("numCache"), _c("strCache"))), None)
    count_element = None if cache is None else cache.find(_c("ptCount"))
    count = 0 if count_element is None else int(count_element.get("val", "0"))
    points: list[str | None] = [None] * count
    for pt in cache.iterfind(_c("pt")) if cache is not None else ():
        index, text = int(pt.get("idx", "-1")), pt.findtext(_c("v"))
        if 0 <= index < count and text not in (None, ""):
            points[index] = repr(float(text)) if _is_number(text) else text
    return points


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _title(root: etree._Element) -> str | None:
    rich = root.find(f"{_c('chart')}/{_c('title')}/{_c('tx')}/{_c('rich')}")
    return None if rich is None else "".join(t.text or "" for t in rich.iter(_a("t")))


def _refill(ref: etree._Element, formula: str, values: list[Any]) -> None:
    """A series range (``numRef`` or ``strRef``) made to read ``formula``, its cache the cells' values:
    numbers as a number cache, anything else as text; a blank cell is no point."""
    numeric = all(v is None or (isinstance(v, int | float) and not isinstance(v, bool)) for v in values)
    new = etree.Element(_c("numRef" if numeric else "strRef"))
    etree.SubElement(new, _c("f")).text = formula
    cache = etree.SubElement(new, _c("numCache" if numeric else "strCache"))
    if numeric:
        etree.SubElement(cache, _c("formatCode")).text = "General"
    etree.SubElement(cache, _c("ptCount"), val=str(len(values)))
    for i, v in enumerate(values):
        if v is not None and v != "":
            etree.SubElement(etree.SubElement(cache, _c("pt"), idx=str(i)), _c("v")).text = (
                repr(float(v)) if numeric else str(v)
            )
    ref.getparent().replace(ref, new)


def _retitle(root: etree._Element, title: str) -> None:
    """The chart's own title text (a title read from a cell is the cell's to say)."""
    rich = root.find(f"{_c('chart')}/{_c('title')}/{_c('tx')}/{_c('rich')}")
    if rich is None:
        return
    runs = list(rich.iter(_a("r")))
    if not runs:
        return
    runs[0].find(_a("t")).text = title  # type: ignore[union-attr]
    for run in runs[1:]:
        run.getparent().remove(run)


def series_formula(formula: str, rows: TableRows) -> str | None:
    """Excel's ``=SERIES(name,categories,values,order)`` of a series drawing ``rows``, or None when
    one of its ranges reads anything but a column of them from their first row."""
    name, _, rest = formula.partition(",")
    ranges, _, order = rest.rpartition(",")
    if not name.startswith("=SERIES(") or not ranges:
        return None
    parts = ranges.split(",")
    columns = [_column_from_first_row(part, rows) if part else 0 for part in parts]
    if None in columns or not any(columns):
        return None
    last = rows.first + max(rows.last - rows.first + 1, 1) - 1
    quoted = "'" + rows.sheet.replace("'", "''") + "'"
    drawn = [
        f"{quoted}!${get_column_letter(col)}${rows.first}:${get_column_letter(col)}${last}" if col else ""
        for col in columns  # type: ignore[misc]
    ]
    return f"{name},{','.join(drawn)},{order}"
