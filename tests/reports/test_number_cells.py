"""Number cells as exports write them, read column by column: every spelling of a number reads
as the number it was written from, whichever way the column is read, and the column reader (Arrow)
reads every text exactly as the one grammar of a cell (``dyplan.scalars``) does."""

import math
import threading

import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyplan import scalars
from dyplan.reports import cleaning, csv_source

SPACES = [" ", "\t", "\u00a0", "\u3000", "\u2009"]


def grouped(whole: int) -> str:
    return f"{whole:,}"


@st.composite
def cells(draw) -> tuple[str, float]:
    """A cell's text and the number it stands for (NaN for the dashes and blanks of "no data")."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(["-", "--", "", " - ", "\u3000--"])), math.nan
    cents = draw(st.integers(0, 10**11))
    whole, fraction = divmod(cents, 100)
    body = (grouped(whole) if draw(st.booleans()) else str(whole)) + (f".{fraction:02d}" if fraction else "")
    value = cents / 100
    style = draw(st.sampled_from(["plain", "yuan", "fullwidth", "unit", "percent"]))
    if style == "yuan":
        body = "¥" + body
    elif style == "fullwidth":
        body = "￥" + body
    elif style == "unit":
        body += "元"
    elif style == "percent":
        body, value = body + "%", value / 100
    pad = draw(st.sampled_from(["", *SPACES]))
    return pad + body + draw(st.sampled_from(["", *SPACES])), value


def assert_read_as_written(got, expected: list[float]) -> None:
    assert len(got) == len(expected)
    for number, value in zip(got, expected, strict=True):
        assert math.isnan(number) if math.isnan(value) else number == pytest.approx(value, rel=1e-12)


@settings(max_examples=150, deadline=None)
@given(st.lists(cells(), min_size=1, max_size=40), st.integers(0, 1_200))
def test_clean_numbers_csv_text_reads_the_numbers_written(column, plain_first):
    """A column's first cells may be plain while later ones carry "¥", "," or "%" (only the first
    cells are looked at to choose the fast way): the numbers are right either way."""
    texts = ["7"] * plain_first + [text for text, _ in column]
    expected = [7.0] * plain_first + [value for _, value in column]
    assert_read_as_written(cleaning.clean_numbers(pa.array(texts, pa.string()))[0], expected)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(cells(), st.floats(0, 1e9, allow_nan=False).map(lambda x: (x, x))), max_size=30))
def test_clean_numbers_xlsx_cells_read_the_numbers_written(column):
    """An XLSX column mixes number cells and text cells."""
    series = pd.Series([cell for cell, _ in column] + [None], dtype=object)
    assert_read_as_written(cleaning.clean_numbers(series)[0], [value for _, value in column] + [math.nan])


def test_clean_numbers_spellings_outside_the_grammar_unreadable_and_named():
    """What the grammar does not know ("1_000", full-width digits, a unit it has no scale for) is no
    number: NaN, and marked so the summary can name the cell."""
    numbers, unreadable = cleaning.clean_numbers(pa.array(["1_000", "１２", "-", "3.5", "12 kg", "1.16万"]))
    assert_read_as_written(numbers, [math.nan, math.nan, math.nan, 3.5, math.nan, 11_600.0])
    assert unreadable.tolist() == [True, True, False, False, True, False]


#: Pieces a cell's text is made of: every mark the grammar knows, and some it does not.
PIECES = ["0", "1", "7", "12", "1,234", ".", ".5", ",", "%", "万", "万元", "亿", "元", "¥", "￥", "(", ")",
          "-", "--", "+", "e", "E5", " ", "\u00a0", "\u3000", "\t", "a", "inf", "nan", "—"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES), max_size=6).map("".join), min_size=1, max_size=30))
def test_clean_numbers_arrow_reads_every_text_as_the_cell_grammar(texts):
    """The fast column path and ``scalars.number_text`` agree on every text: the same number, the
    same blank, the same unreadable cells."""
    numbers, unreadable = cleaning.clean_numbers(pa.array(texts, pa.string()))
    for text, number, bad in zip(texts, numbers, unreadable, strict=True):
        try:
            expected = scalars.number_text(text)
        except ValueError:
            assert bad and math.isnan(number), text
            continue
        assert not bad, text
        assert math.isnan(number) if expected is None else number == expected, text


# ---- Reading ahead on a thread ---------------------------------------------------------------------
def test_read_ahead_items_in_order_and_source_error_raised_where_used():
    def source():
        yield from ({0: k} for k in range(5))
        raise ValueError("damaged block")

    seen = []
    with pytest.raises(ValueError, match="damaged block"):
        for item in csv_source._read_ahead(source()):
            seen.append(item[0])
    assert seen == [0, 1, 2, 3, 4]


def test_read_ahead_stopped_early_stops_reading_closes_source_and_ends_thread():
    """A failing import stops reading: the rest of the file is not parsed, the file is closed and
    no thread is left behind."""
    made, closed = [], threading.Event()

    def source():
        try:
            for k in range(1_000):
                made.append(k)
                yield {0: k}
        finally:
            closed.set()

    items = csv_source._read_ahead(source())
    assert next(items) == {0: 0}
    items.close()
    assert closed.is_set()
    assert len(made) <= 3  # the one used, the one waiting, the one handed over as it stopped
    assert not [t for t in threading.enumerate() if t.name == "dyplan-csv-reader"]
