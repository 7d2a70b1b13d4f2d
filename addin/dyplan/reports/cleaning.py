"""A chunk's raw cells made into numbers, day numbers and text, by the grammar of ``dyplan.scalars``.

Number columns go through Arrow (a million cells in milliseconds); the grammar is the same as
``scalars.number``'s, cell for cell (a property test holds them together). Dates, keys and labels
repeat, so they are converted once per distinct cell. Every cleaner says which cells it could not
read, so that the summary can name them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from dyplan import scalars
from dyplan.reports.fields import TOTAL_ROW

#: A chunk's column of raw cells: Arrow text from a CSV, a pandas column of cells from an XLSX.
Column = pa.Array | pa.ChunkedArray | pd.Series
#: A chunk of raw cells: header position → column; under ``ROW_NUMBERS``, where they are not the
#: rows that follow the last chunk's, each row's data-row number (1 under the header).
Chunk = dict[int, Column | np.ndarray]
ROW_NUMBERS = -1

_BLANKS = pa.array(sorted(scalars.BLANKS))
_UNIT = "(?P<unit>" + "|".join(["%", *(unit for unit, _ in scalars.UNITS)]) + ")$"


def clean_numbers(values: Column) -> tuple[np.ndarray, np.ndarray]:
    """The cells as floats (NaN where blank or unreadable) and which cells were unreadable."""
    if isinstance(values, pd.Series):
        return _cell_numbers(values)
    text = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    if isinstance(text, pa.DictionaryArray):
        text = text.dictionary_decode()
    fast = _usual_numbers(text)
    if fast is not None:
        return fast, np.zeros(len(fast), dtype=bool)
    return _text_numbers(text)


def _usual_numbers(text: pa.Array) -> np.ndarray | None:
    """The usual column, several times faster than the grammar's full steps: its ends trimmed and
    thousands separators removed (if its first cells have them), then Arrow's cast. Whatever else is
    there ("%", 万, a bracket, a letter) fails the cast, and only then are the full steps taken."""
    seen = set("".join(text.slice(0, 1000).drop_null().to_pylist()))
    cells = pc.utf8_trim(text, scalars.SPACES) if not seen.isdisjoint(scalars.SPACES) else text
    blank = pc.or_kleene(pc.is_null(cells), pc.is_in(cells, value_set=_BLANKS))
    if "," in seen:
        cells = pc.replace_substring(cells, ",", "")
    if not seen.isdisjoint(scalars.CURRENCY):  # "¥1,234.50": the usual money cell
        cells = pc.utf8_ltrim(cells, scalars.CURRENCY)
    try:  # "" (a cell of commas) fails the cast, as it fails the grammar
        numbers = pc.cast(pc.if_else(blank, None, cells), pa.float64()).to_numpy(zero_copy_only=False)
    except pa.ArrowInvalid:
        return None
    with np.errstate(invalid="ignore"):
        if np.isinf(numbers).any() or np.count_nonzero(np.isnan(numbers)) > pc.sum(blank).as_py():
            return None  # "inf" or "nan" as text: Arrow reads them, the grammar does not
    return numbers


def _text_numbers(text: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """``scalars.number_text``'s steps on every cell at once."""
    cells = pc.utf8_trim(text, scalars.SPACES)
    blank = pc.fill_null(pc.is_in(cells, value_set=_BLANKS), True).to_numpy(zero_copy_only=False)
    negative = pc.fill_null(pc.and_(pc.starts_with(cells, "("), pc.ends_with(cells, ")")), False)
    inner = pc.utf8_trim(pc.utf8_slice_codeunits(cells, 1, -1), scalars.SPACES)
    cells = pc.if_else(negative, inner, cells)
    unit = pc.fill_null(pc.struct_field(pc.extract_regex(cells, _UNIT), [0]), "")
    cells = pc.utf8_trim(pc.replace_substring_regex(cells, _UNIT, ""), scalars.SPACES)
    cells = pc.replace_substring_regex(cells, f"[{scalars.SEPARATORS}]", "")
    cells = pc.replace_substring_regex(cells, f"^([-+]?)[{scalars.CURRENCY}]+", r"\1")
    valid = pc.fill_null(pc.match_substring_regex(cells, f"^{scalars.PLAIN_NUMBER}$"), False)
    numbers = pc.cast(pc.if_else(valid, cells, None), pa.float64()).to_numpy(zero_copy_only=False)
    percent = pc.equal(unit, scalars.PERCENT).to_numpy(zero_copy_only=False)
    scale = pa.scalar(1.0)
    for suffix, factor in scalars.UNITS:
        scale = pc.if_else(pc.equal(unit, suffix), factor, scale)
    scale = np.broadcast_to(pc.cast(scale, pa.float64()).to_numpy(zero_copy_only=False), numbers.shape)
    numbers = np.where(percent, numbers / 100, numbers * scale)
    numbers = np.where(negative.to_numpy(zero_copy_only=False), -numbers, numbers)
    return numbers, ~valid.to_numpy(zero_copy_only=False) & ~blank


def _cell_numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """An XLSX column: number cells as they are, text cells by the grammar, anything else unreadable."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.to_numpy(dtype=float, na_value=np.nan), np.zeros(len(values), dtype=bool)
    cells = values.to_numpy(dtype=object)
    kinds = np.array([0 if v is None else 1 if isinstance(v, str) else 2 if _is_plain(v) else 3
                      for v in cells], dtype=np.int8)  # fmt: skip
    numbers = np.full(len(cells), np.nan)
    unreadable = kinds == 3
    plain = kinds == 2
    numbers[plain] = cells[plain].astype(float)
    text = kinds == 1
    if text.any():
        numbers[text], unreadable[text] = clean_numbers(pa.array(cells[text], pa.string()))
    return numbers, unreadable


def _is_plain(value: object) -> bool:
    return isinstance(value, int | float | np.number) and not isinstance(value, bool)


def _factorize(values: Column) -> tuple[np.ndarray, list[object]]:
    """Each cell's index into the column's distinct cells (-1 for a missing cell), and those cells."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array):
        encoded = values if isinstance(values, pa.DictionaryArray) else pc.dictionary_encode(values)
        return pc.fill_null(encoded.indices, -1).to_numpy(
            zero_copy_only=False
        ), encoded.dictionary.to_pylist()
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, list(uniques)


def per_distinct(
    values: Column, convert: Callable[[object], object], missing: object, dtype: str | type
) -> np.ndarray:
    """``convert`` applied once per distinct value: exports repeat dates, names and channels."""
    codes, uniques = _factorize(values)
    table = np.array([*(convert(v) for v in uniques), missing], dtype=dtype)
    return table[codes]  # code -1 (a missing cell) picks ``missing``, the table's last entry


#: Dates are kept as day numbers: days since ``EPOCH``; ``NO_DAY`` for a blank cell, ``BAD_DAY``
#: for one that is not a date.
EPOCH, NO_DAY, BAD_DAY = dt.date(1970, 1, 1), np.iinfo(np.int64).min, np.iinfo(np.int64).min + 1


def _day_number(value: object) -> int:
    try:
        day = scalars.date(value)
    except (ValueError, OverflowError):
        return BAD_DAY
    return (day - EPOCH).days if day else NO_DAY


def clean_dates(values: Column) -> np.ndarray:
    """Dates as exports write them (``scalars.date``), as day numbers."""
    return per_distinct(values, _day_number, NO_DAY, np.int64)


def day_objects(days: np.ndarray) -> np.ndarray:
    """Day numbers as ``datetime.date`` objects, made once per distinct day."""
    local, uniques = pd.factorize(days)
    return uniques.astype("datetime64[D]").astype(object)[local]


def text_of(value: object) -> str:
    """A key cell as text, stripped; a whole number from an XLSX cell as typed (1745001, not 1745001.0);
    a blank mark is no text."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip(scalars.SPACES)
    return "" if text in scalars.BLANKS else text


def distinct_text(values: Column) -> tuple[np.ndarray, list[str]]:
    """Each cell's index into the cells' distinct texts (``text_of``), and those texts; the last one,
    "", is a missing cell's."""
    local, uniques = _factorize(values)
    return local, [*(text_of(v) for v in uniques), ""]


def cell_text(values: Column) -> np.ndarray:
    """Cells as text (``text_of``)."""
    return per_distinct(values, text_of, "", object)


def is_total(values: Column) -> np.ndarray:
    """Which cells hold a total row's label (``TOTAL_ROW``)."""
    return per_distinct(values, lambda v: bool(TOTAL_ROW.match(text_of(v))), False, bool)
