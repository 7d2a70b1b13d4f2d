"""A chart shows what its title says, and agrees with the table beside it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from dyplan.book import contract as c
from tests.made_books import PLANS, make_books

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_books(tmp_path_factory.mktemp("charts"))


def _phase_chart(path: Path) -> tuple[str, list[str]]:
    """The phase chart's title and the cells each of its series stacks."""
    with zipfile.ZipFile(path) as archive:
        for name in (n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)):
            root = ElementTree.fromstring(archive.read(name))
            title = "".join(t.text or "" for t in root.find(f"{C}chart/{C}title").iter(f"{A}t"))
            if title.startswith("各阶段预算"):
                return title, [ser.find(f"{C}val/{C}numRef/{C}f").text for ser in root.iter(f"{C}ser")]
    raise AssertionError(f"{path.name} has no phase chart")


def _values(path: Path, ref: str) -> list[float]:
    sheet, cells = ref.rsplit("!", 1)
    ws = load_workbook(path, data_only=True)[sheet.strip("'")]
    return [row[0].value for row in ws[cells.replace("$", "")]]


@pytest.mark.parametrize("name", ["demo.xlsx", "demo.xlsm", "first day.xlsx", *PLANS])
def test_each_phase_column_stacks_its_channels_and_reserve_up_to_its_budget(made, name):
    """The title says the columns hold the reserve too, and each column is the table's 预算."""
    path = made[name]
    title, series = _phase_chart(path)
    assert "风险储备金" in title and "risk reserve" in title
    assert len(series) == 4  # feed, search, live, reserve
    stacked = [sum(parts) for parts in zip(*(_values(path, ref) for ref in series), strict=True)]
    sheet, top, left = c.table_origin(c.PHASE_TABLE)
    ws = load_workbook(path, data_only=True)[sheet]
    budgets = [ws.cell(top + i, left + c.PHASE_TABLE.column("budget")).value for i in range(4)]
    assert stacked == pytest.approx(budgets, abs=0.005)
