"""The .xlsm outside Excel: hosts without our worksheet functions (LibreOffice, WPS, previews) do not
calculate ``=DY_…()`` and show what the file caches, so every such cell caches what it computes; the
xlwings settings sheet is neither shown nor printed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dyplan.book import contract as c
from dyplan.model import DEFAULT_MATRIX_RATINGS, MATRIX_FACTOR_KEYS
from dyplan.template.render import XLWINGS_CONF_SHEET
from tests.book.test_template import COMMITTED
from tests.made_books import make_books
from tests.realclient import pdf_text, render_pdf

TEMPLATE = COMMITTED.with_suffix(".xlsm")
#: How a spreadsheet shows a formula it could not compute.
ERRORS = re.compile(r"#NAME\?|#VALUE!|#REF!|#N/A|#DIV/0!|Err:\d+")


@pytest.fixture(scope="module")
def pairs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """The same workbook as .xlsx and as .xlsm: the demo regenerated, and a first day's after one import."""
    made = make_books(tmp_path_factory.mktemp("outside-excel"))
    return {name: (made[f"{name}.xlsx"], made[f"{name}.xlsm"]) for name in ("demo", "first day")}


def dy_cells(path: Path) -> list[tuple[str, str]]:
    """(sheet, cell) of every ``=DY_…()`` formula."""
    wb = load_workbook(path, keep_vba=True)
    return [
        (ws.title, cell.coordinate)
        for ws in wb
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith("=") and "DY_" in cell.value
    ]


@pytest.mark.parametrize("name", ["demo", "first day"])
def test_every_dy_cell_caches_what_the_xlsx_shows_in_that_cell(pairs, name):
    xlsx, xlsm = pairs[name]
    places = dy_cells(xlsm)
    # 15 indicator scores, index and level, 5 matrix scores and levels, 23 attainments, 51 statuses,
    # break-even
    assert len(places) == 15 + 2 + 2 * 5 + 23 + 51 + 1
    cached = load_workbook(xlsm, data_only=True, keep_vba=True)
    shown = load_workbook(xlsx, data_only=True)
    for sheet, ref in places:
        value = cached[sheet][ref].value
        assert value not in (None, ""), f"{sheet}!{ref}"
        expected = shown[sheet][ref].value
        same = pytest.approx(expected) if isinstance(expected, float) else expected
        assert value == same, f"{sheet}!{ref}"


def test_the_templates_dy_cells_cache_the_ratings_and_no_score_yet():
    """Nothing measured yet: no score, index or attainment (—); the matrix scores its example ratings,
    break-even its default margin and refund rate."""
    cached = load_workbook(TEMPLATE, data_only=True, keep_vba=True)
    places = dy_cells(TEMPLATE)
    assert len(places) == 15 + 2 + 2 * 5 + 23 + 1  # the checkpoint table is empty until regenerate
    breakeven = c.cell_of("Breakeven_ROI")
    sheet, top, left = c.table_origin(c.MATRIX_TABLE)
    matrix = {(sheet, top + i, left + c.MATRIX_TABLE.column("score")) for i in range(5)}
    levels = {(sheet, top + i, left + c.MATRIX_TABLE.column("level_zh")) for i in range(5)}
    # 4×4, 3×4, 4×3, 3×3, 2×5 = 16, 12, 12, 9, 10; bands 5 / 10 / 20: 高 高 高 中 高
    ratings = [DEFAULT_MATRIX_RATINGS[k] for k in MATRIX_FACTOR_KEYS]
    assert [p * i for p, i in ratings] == [16, 12, 12, 9, 10]
    for sheet_name, ref in places:
        cell = cached[sheet_name][ref]
        where = (sheet_name, cell.row, cell.column)
        if where in matrix:
            assert cell.value == ratings[cell.row - top][0] * ratings[cell.row - top][1]
        elif where in levels:
            assert cell.value == ["高", "高", "高", "中", "高"][cell.row - top]
        elif where == breakeven:
            assert cell.value == pytest.approx(1 / (0.5 * 0.9))  # margin 50 %, refunds 10 %
        else:
            assert cell.value == "—", f"{sheet_name}!{ref}"


def test_the_settings_sheet_stays_hidden_through_regenerate_and_import(pairs):
    for path in (TEMPLATE, pairs["demo"][1], pairs["first day"][1]):
        state = load_workbook(path, keep_vba=True)[XLWINGS_CONF_SHEET].sheet_state
        assert state == "hidden", path.name  # not "veryHidden": a user can unhide it to edit it


@pytest.mark.parametrize("which", ["template", "demo", "first day"])
def test_libreoffice_shows_numbers_without_calculating_and_prints_no_settings(pairs, which, tmp_path):
    xlsm = TEMPLATE if which == "template" else pairs[which][1]
    text = pdf_text(render_pdf(xlsm, tmp_path, recalculate=False))
    assert ERRORS.findall(text) == []
    assert "UDF Modules" not in text and "dyplan.excel.udfs" not in text
    if which == "demo":  # its risk index as cached: (60 + 40 + 12.5 + 16.67 + 28) ÷ 5
        assert "31.43" in text
