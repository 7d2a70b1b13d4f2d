"""风险's early warning and fired alerts are sentences: each fits the cells it spans, whatever regenerate
or an import writes there later, in the template, the planning workbook and the finished plan."""

from __future__ import annotations

import math
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dyplan.book import contract as c
from dyplan.model import ALERT_RULES, Review
from dyplan.template.render import LINE, text_lines
from tests.book.test_template import COMMITTED
from tests.made_books import PLANS, WORKBOOKS, make_books

TEXTS = ("Risk_Warning", "Alerts_Fired")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return make_books(tmp_path_factory.mktemp("risk-texts"))


def _room(ws: Worksheet, name: str) -> tuple[int, float]:
    """The row of a field's value and the width it has: its column's, or its merged columns'."""
    _, row, col = c.cell_of(name)
    last = col
    for merged in ws.merged_cells.ranges:
        if (merged.min_row, merged.min_col) == (row, col):
            assert merged.max_row == row
            last = merged.max_col
    widths = (ws.column_dimensions[get_column_letter(j)].width for j in range(col, last + 1))
    return row, sum(math.floor(w) for w in widths)


@pytest.mark.parametrize("name", [*WORKBOOKS, *PLANS])
def test_the_risk_texts_fit_their_cells(made, name):
    ws = load_workbook(made[name])[c.RISK.name]
    for field in TEXTS:
        row, width = _room(ws, field)
        cell = ws.cell(*c.cell_of(field)[1:])
        assert isinstance(cell.value, str) and cell.alignment.wrap_text, field
        assert text_lines(cell.value, width) * LINE <= (ws.row_dimensions[row].height or LINE), field


def _review(forecast: object, step: int | None, days: int, fired: bool) -> Review:
    """A review with only what the two texts read: the forecast, its warning, history and alerts."""
    alerts = pd.DataFrame({"alert_zh": [r.zh for r in ALERT_RULES], "fired": [fired] * len(ALERT_RULES)})
    tracking = SimpleNamespace(forecast=forecast, warning_step=step, history=[0.0] * days)
    return Review(SimpleNamespace(alerts=alerts), tracking, pd.DataFrame(), pd.DataFrame(), [])


@pytest.mark.parametrize("template", [COMMITTED, COMMITTED.with_suffix(".xlsm")], ids=["xlsx", "xlsm"])
def test_every_text_regenerate_can_write_fits_the_templates_room(template):
    """Regenerate writes values, not row heights: the longest of each text fits the room the template
    gives it. The forecast looks at most 45 days ahead and needs 14 days of history; all five alerts
    may fire at once."""
    ws = load_workbook(template)[c.RISK.name]

    def lines(field: str, text: str) -> int:
        row, width = _room(ws, field)
        assert (ws.row_dimensions[row].height or LINE) >= text_lines(text, width) * LINE, text
        return text_lines(text, width)

    warnings = [
        _review(None, None, 13, False).warning_text,  # not enough data yet
        _review(object(), None, 14, False).warning_text,  # nothing critical ahead
        _review(object(), 45, 14, False).warning_text,  # critical in 45 days
    ]
    assert [lines("Risk_Warning", text) for text in warnings] == [1, 1, 1]
    assert lines("Alerts_Fired", _review(None, None, 0, True).alerts_text) == 2
