"""What one cell means, the same in the planning workbook and in every report (PLANNING_RULES §8).

Numbers as users and exports write them: ``1,234``, ``¥1,234.50``, ``1.2%`` (0.012), ``1.16万``
(11,600), ``3亿``, ``(1,234)`` (negative, as accountants write it), ``1.2E+05``, with or without 元.
Dates in every form either side meets: a date cell, an Excel serial number, 20270105, 2027-01-05,
2027/1/5, 2027.1.5, 2027年1月5日, each alone or with a time of day. ``BLANKS`` mean "no value".
Anything else is unreadable: ``ValueError``, so that the caller can name the cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re

#: Cells that mean "no value": empty, or the dashes exports and users put there.
BLANKS = frozenset({"", "-", "--", "—", "——", "–"})
#: What a computed cell shows when it has no value. Not empty: LibreOffice and WPS take a formula's
#: empty cached result for one never computed, and show an error in its place.
NO_VALUE = "—"
#: What is trimmed off a cell's ends: the spaces and line breaks exports and users leave there.
SPACES = (
    " \t\r\n\f\v\u00a0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + "\u2028\u2029\u202f\u205f\u3000\ufeff"
)
#: Unit suffixes and the scale each stands for ("%": hundredths, applied by dividing by 100).
UNITS: tuple[tuple[str, float], ...] = (("万元", 1e4), ("万", 1e4), ("亿元", 1e8), ("亿", 1e8), ("元", 1.0))
PERCENT = "%"
CURRENCY = "¥￥"
#: Characters a number may hold between its digits: thousands separators and the spaces exports use.
SEPARATORS = ",\u00a0\u2009\u202f "
#: A plain number once unit, currency and separators are off (what Arrow's cast and float() agree on).
PLAIN_NUMBER = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_PLAIN = re.compile(PLAIN_NUMBER)
_SEPARATORS = re.compile(f"[{SEPARATORS}]")
#: Significant digits a spreadsheet keeps of a number (Excel and LibreOffice alike).
DIGITS = 15
#: Excel's serial numbers of 1900-01-01 … 9999-12-31 (1900 date system).
EXCEL_EPOCH = dt.date(1899, 12, 30)
LAST_SERIAL = 2958465
#: A date in text: 2027-01-05, 2027/1/5, 2027.1.5, 2027年1月5日 or 20270105, alone or with a time
#: of day ("2027-01-05 00:00:00", "2027/1/5 0:00", "2027-01-05T08:00"); a range is not a date.
_DATE_TEXT = re.compile(
    r"([0-9]{4})(?:[-/.年]([0-9]{1,2})[-/.月]([0-9]{1,2})日?|([0-9]{2})([0-9]{2}))"
    r"(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
)

#: The full-width forms (U+FF01–FF5E), the ideographic space and the full-width yen, as ASCII.
_HALF_WIDTH = str.maketrans(
    {**{chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}, "\u3000": " ", "\uffe5": "¥"}
)


def as_typed(value: object) -> object:
    """A cell as its user meant it: text typed with a Chinese input method's full-width forms
    (５０００万, １２％, ２０２７／３／１, ￥１，２００) in their ASCII forms; nothing else is changed (10² is
    no 102). For cells users type: exports are ASCII already."""
    return value.translate(_HALF_WIDTH) if isinstance(value, str) else value


def typed_number(value: object) -> float | None:
    """``number`` of a cell a user typed (``as_typed``)."""
    return number(as_typed(value))


def typed_date(value: object) -> dt.date | None:
    """``date`` of a cell a user typed (``as_typed``)."""
    return date(as_typed(value))


def is_blank(value: object) -> bool:
    """None, or text that means no value (``BLANKS``, after spaces are trimmed)."""
    return value is None or (isinstance(value, str) and value.strip(SPACES) in BLANKS)


def number(value: object) -> float | None:
    """The number a cell holds; None if blank. Raises ``ValueError`` for anything else."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        return float(value)
    if not isinstance(value, str):
        raise ValueError(f"not a number: {value!r}")
    return number_text(value)


def number_text(text: str) -> float | None:
    """``number`` of a text cell: the grammar the fast (Arrow) path of the report reader follows."""
    cell = text.strip(SPACES)
    if cell in BLANKS:
        return None
    negative = cell.startswith("(") and cell.endswith(")")
    if negative:
        cell = cell[1:-1].strip(SPACES)
    percent = cell.endswith(PERCENT)
    scale = 1.0
    if percent:
        cell = cell[: -len(PERCENT)]
    else:
        for unit, factor in UNITS:
            if cell.endswith(unit):
                cell, scale = cell[: -len(unit)], factor
                break
    cell = _SEPARATORS.sub("", cell.strip(SPACES))
    sign = cell[:1] if cell[:1] in "+-" else ""
    cell = sign + cell[len(sign) :].lstrip(CURRENCY)
    if not _PLAIN.fullmatch(cell):
        raise ValueError(f"not a number: {text!r}")
    value = float(cell)
    value = value / 100 if percent else value * scale
    return -value if negative else value


def date(value: object) -> dt.date | None:
    """The date a cell holds; None if blank. Raises ``ValueError`` for anything else.

    A whole number is an Excel serial (1 … 2958465) or a date written as digits (20270105).
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a date: {value!r}")
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        return _date_of_number(value)
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = value.strip(SPACES)
    if text in BLANKS:
        return None
    if text.isascii() and text.isdecimal() and len(text) <= len(str(LAST_SERIAL)):
        return _date_of_number(int(text))
    match = _DATE_TEXT.fullmatch(text)
    if not match:
        raise ValueError(f"not a date: {value!r}")
    year, month, day = (int(g) for g in match.groups() if g is not None)
    return dt.date(year, month, day)  # ValueError for 2027-02-30


def _date_of_number(value: float) -> dt.date:
    if 1 <= value <= LAST_SERIAL:  # a date-time serial counts its day
        return EXCEL_EPOCH + dt.timedelta(days=math.floor(value))
    if float(value).is_integer() and 10_000_000 <= value <= 99_991_231:
        digits = str(int(value))
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    raise ValueError(f"not a date: {value!r}")


def serial(value: dt.date) -> float | int:
    """Excel's serial number of a date or date-time (1900 date system): what ``date`` reads back."""
    if isinstance(value, dt.datetime):
        days = (value - dt.datetime.combine(EXCEL_EPOCH, dt.time())).total_seconds() / 86400
        return int(days) if days.is_integer() else days
    return (value - EXCEL_EPOCH).days
