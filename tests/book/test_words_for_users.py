"""What users read stands on its own: no cell, note, title or function help cites a section of a
document they do not have, and each checkpoint says in words why it is checked."""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dyplan.book import contract as c
from dyplan.template.render import LINE, text_lines
from tests.book.test_template import COMMITTED
from tests.made_books import PLANS, WORKBOOKS, make_books

#: A section cite (§3.4) or the planning document's name, as users met them.
CITES = re.compile(r"§|种子|seed plan|the seed's")
UDF_WRAPPERS = Path(__file__).resolve().parents[2] / "addin/dyplan/excel/vba/generated/xlwings_udfs.bas"
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_books(tmp_path_factory.mktemp("words"))


def _texts(path: Path) -> dict[str, str]:
    """Every XML part of a workbook (cells, shared strings, charts, validation prompts), as text."""
    with zipfile.ZipFile(path) as archive:
        return {
            n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith((".xml", ".rels"))
        }


@pytest.mark.parametrize("name", ["template", "xlsm template", *WORKBOOKS, *PLANS])
def test_no_text_users_see_cites_a_document(made, name):
    path = {"template": COMMITTED, "xlsm template": COMMITTED.with_suffix(".xlsm")}.get(name) or made[name]
    found = {part: CITES.findall(text) for part, text in _texts(path).items()}
    assert {part: cites for part, cites in found.items() if cites} == {}


def test_the_function_wizard_cites_no_document():
    """Excel's function wizard shows each DY_ function's description and argument help."""
    assert CITES.findall(UDF_WRAPPERS.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("name", [*WORKBOOKS, *PLANS])
def test_each_checkpoint_says_why_in_both_languages_and_fits_its_cell(made, name):
    ws = load_workbook(made[name])[c.CHECKPOINTS.name]
    _, top, left = c.table_origin(c.CHECKPOINTS_TABLE)
    col = left + c.CHECKPOINTS_TABLE.column("basis")
    width = math.floor(ws.column_dimensions[get_column_letter(col)].width)
    seen = set()
    row = top
    while ws.cell(row, left).value:  # the checkpoint ids
        cell = ws.cell(row, col)
        zh, en = cell.value.split("\n")
        assert len(CHINESE.findall(zh)) >= 8, f"{cell.coordinate}: {zh}"  # a sentence, not a cite
        assert len(re.findall(r"[A-Za-z]{2,}", en)) >= 4 and not CHINESE.search(en), (
            f"{cell.coordinate}: {en}"
        )
        assert cell.alignment.wrap_text, cell.coordinate
        # each language on a line of its own, in a row two lines tall
        assert (text_lines(zh, width), text_lines(en, width)) == (1, 1), cell.coordinate
        assert ws.row_dimensions[row].height == 2 * LINE, cell.coordinate
        seen.add(cell.value)
        row += 1
    assert row - top == 51  # P1 6, P2 5, P3 5, P4 7 × 5
    assert len(seen) == 16  # a reason per kind of check: CPA and pacing say the same in every phase
