"""What regenerate last wrote into each computed cell, kept in the workbook, so that a value the user
typed over a computed cell is named (sheet!cell, old → new) when regenerate replaces it.

Each computed cell is remembered by a short fingerprint of its value, not the value itself: enough to
tell that a cell no longer holds what dyplan wrote, small enough for a year's calendar.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree

from dyplan.book import contract as c
from dyplan.book.port import Rows
from dyplan.files.xml import parse, serialise
from dyplan.scalars import DIGITS, serial

NS = "urn:dyplan:written:1"
ROOT = f"{{{NS}}}written"
#: Tables whose rows are read back as data (imports), not computed from the inputs.
READ_BACK = (c.ACTUALS_DAILY.name, c.IMPORT_LOG.name, c.MIX_SHIFT.name)
#: Marks a cell the spreadsheet computes itself, in place of a fingerprint.
LIVE = "-"


@dataclass(frozen=True)
class Area:
    """A block of computed cells: where it starts and the fingerprints of its cells, row by row."""

    sheet: str
    row: int
    col: int
    prints: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Replaced:
    """A value the user typed over a computed cell, and what regenerate wrote instead."""

    where: str
    old: Any
    new: Any

    def __str__(self) -> str:
        return f"{self.where}: {_shown(self.old)} → {_shown(self.new)}"


def fingerprint(value: Any) -> str:
    """Six hex digits of a value as a cell holds it (1 and 1.0 alike, a date and its serial alike)."""
    return _fingerprint(type(value), value)  # True and 1 are equal, their prints are not


@functools.lru_cache(maxsize=1 << 14)  # a plan repeats its values: the demo's 7,000 are 1,500
def _fingerprint(kind: type, value: Any) -> str:
    if kind is float and value == value:  # the common case first: a plain number
        text = f"n{value:.{DIGITS}g}"
    elif value is None or value == "" or (isinstance(value, float) and value != value):
        return _BLANK
    elif isinstance(value, bool):
        text = f"b{int(value)}"
    elif isinstance(value, int | float):
        text = f"n{float(value):.{DIGITS}g}"
    elif isinstance(value, dt.date):  # a date cell holds its serial number; it reads back as either
        text = f"n{float(serial(value)):.{DIGITS}g}"
    else:
        text = f"s{value}"
    return _digest(text)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=3).hexdigest()


_BLANK = _digest("")


def remember(
    areas: dict[str, tuple[str, int, int, Rows]], computes: Callable[[str, int, int], bool]
) -> bytes:
    """The custom XML part recording ``areas`` (key → sheet, first row, first column, values).

    Cells the spreadsheet ``computes`` itself (live formulas) are marked, not fingerprinted.
    """
    root = etree.Element(ROOT, nsmap={None: NS})
    for key, (sheet, row, col, values) in areas.items():
        block = etree.SubElement(root, f"{{{NS}}}block", key=key, sheet=sheet, row=str(row), col=str(col))
        block.text = "\n".join(
            " ".join(LIVE if computes(sheet, row + i, col + j) else fingerprint(v)
                     for j, v in enumerate(line))
            for i, line in enumerate(values)
        )  # fmt: skip
    return serialise(root)


def recall(data: bytes | None) -> dict[str, Area]:
    """The areas a custom XML part records; nothing if there is none, or it is of another kind."""
    if data is None:
        return {}
    try:
        root = parse(data)
    except (etree.XMLSyntaxError, ValueError):
        return {}
    if root.tag != ROOT:
        return {}
    areas = {}
    for block in root:
        try:
            prints = tuple(tuple(line.split()) for line in (block.text or "").split("\n"))
            areas[block.get("key", "")] = Area(block.get("sheet", ""), int(block.get("row", "")),
                                               int(block.get("col", "")), prints)  # fmt: skip
        except ValueError:
            continue  # a damaged record only means that block is not checked
    return areas


def typed_over(current: Rows, new: Rows, area: Area) -> list[Replaced]:
    """Cells whose value is no longer what dyplan wrote (so the user typed it) and now changes."""
    replaced = []
    for i, (now_line, new_line, prints) in enumerate(zip(current, new, area.prints, strict=False)):
        for j, (now, value, printed) in enumerate(zip(now_line, new_line, prints, strict=False)):
            if now == value or printed == LIVE:  # most cells: unchanged since dyplan wrote them
                continue
            held = fingerprint(now)
            if held == printed or held == fingerprint(value) or printed in _rounded_elsewhere(now):
                continue
            replaced.append(Replaced(f"{area.sheet}!{c.address(area.row + i, area.col + j)}", now, value))
    return replaced


def _rounded_elsewhere(value: Any) -> set[str]:
    """The fingerprints of ``value`` one unit more or less in its 15th digit: spreadsheets round to 15
    digits their own way (LibreOffice stores 0.009500329164545305 as 0.00950032916454531, Python's 15
    digits end …4530), and a cell saved by one still holds the value dyplan wrote."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or not value:
        return set()
    unit = 10.0 ** (math.floor(math.log10(abs(value))) - (DIGITS - 1))
    return {fingerprint(value - unit), fingerprint(value + unit)}


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "（空 blank）"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) >= 1 else f"{value:g}"
    return str(value)
