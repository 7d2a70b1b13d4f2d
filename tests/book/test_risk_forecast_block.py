"""The risk forecast block is as long as its data, from the top, and its chart draws what is there
(or says why there is nothing to draw): in the planning workbook through regenerate and import, in
the .xlsm, in the ribbon's Excel, and in the finished plan."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
import xlwings as xw
from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c
from dyplan.demo import demo_inputs
from dyplan.excel import macros
from tests.book.conftest import TODAY
from tests.excel import standin
from tests.excel.sample_report import write_report

START = demo_inputs().start_date
PLACEHOLDER = "数据不足：导入满 21 天的报表后显示风险指数走势"
TITLE = "综合风险指数走势与 30 天预测"
#: 40 days of reports: the index from the 21st day on (days 21–40: 20 days of history), and with
#: 14 or more of them the 30-day forecast (the seed's horizon): 20 + 30 = 50 rows.
REPORT_DAYS, HISTORY_DAYS, FORECAST_DAYS = 40, 20, 30


def risk_chart(path: Path) -> str:
    """The chart part drawing the forecast block (the one whose series read column A of 风险)."""
    with zipfile.ZipFile(path) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    return next(chart for chart in charts if re.search(r"<c:f>'?风险'?!\$A\$", chart))


def series_ranges(chart: str) -> list[str]:
    return [ref.replace("'", "") for ref in re.findall(r"<c:f>([^<]+)</c:f>", chart)]


def forecast_rows(path: Path) -> tuple[str, list[list]]:
    """Where the block's name puts it, and the rows under its header."""
    wb = load_workbook(path)
    sheet, ref = next(wb.defined_names[c.RISK_FORECAST.name].destinations)
    rows = [[cell.value for cell in row] for row in wb[sheet][ref.replace("$", "")]]
    return ref, rows[1:]


@pytest.fixture(scope="module", params=[".xlsx", ".xlsm"])
def imported(request, tmp_path_factory) -> Path:
    """A fresh workbook (demo inputs, nothing regenerated) with one import of 40 days of reports."""
    folder = tmp_path_factory.mktemp("forecast")
    path = folder / f"规划{request.param}"
    operations.new_workbook(path, demo_inputs())
    operations.import_files(path, [write_report(folder / "千川.csv", first=START, days=REPORT_DAYS)])
    return path


def test_forecast_block_starts_at_the_top_and_is_as_long_as_its_data(imported):
    ref, rows = forecast_rows(imported)
    _, top, _ = c.table_origin(c.RISK_FORECAST)
    last = top + HISTORY_DAYS + FORECAST_DAYS - 1
    assert ref == f"$A${top - 1}:$E${last}"
    kinds = [row[1] for row in rows]
    assert kinds == ["历史 history"] * HISTORY_DAYS + ["预测 forecast"] * FORECAST_DAYS
    first_index_day = START + dt.timedelta(days=20)  # the 21st day of reports
    assert rows[0][0].date() == first_index_day
    assert rows[-1][0].date() == first_index_day + dt.timedelta(days=HISTORY_DAYS + FORECAST_DAYS - 1)


def test_forecast_chart_draws_every_row_the_block_has(imported):
    chart = risk_chart(imported)
    _, top, _ = c.table_origin(c.RISK_FORECAST)
    last = top + HISTORY_DAYS + FORECAST_DAYS - 1
    assert series_ranges(chart) == [f"风险!${col}${top}:${col}${last}" for col in "ACADAE"]  # cat, val × 3
    assert TITLE in chart and PLACEHOLDER not in chart
    # the cached points previews show: 50 dates and 50 index values, and the interval only where
    # the forecast is (30 points each)
    counts = [len(re.findall(r"<c:pt ", series)) for series in re.findall(r"<c:ser>.*?</c:ser>", chart)]
    assert counts == [50 + 50, 50 + 30, 50 + 30]


def test_forecast_chart_without_data_says_why_in_its_title(tmp_path):
    path = tmp_path / "规划.xlsx"
    operations.new_workbook(path, demo_inputs())
    operations.regenerate_file(path, today=TODAY)
    chart = risk_chart(path)
    assert PLACEHOLDER in chart and TITLE not in chart
    assert "<c:pt " not in chart  # no point to draw, not even a zero
    _, rows = forecast_rows(path)
    assert rows == [[None] * 5]


def test_forecast_chart_keeps_its_bytes_when_its_rows_do_not_change(imported, tmp_path):
    again = tmp_path / imported.name
    again.write_bytes(imported.read_bytes())
    before = risk_chart(again)
    operations.regenerate_file(again, today=TODAY)
    with zipfile.ZipFile(imported) as a, zipfile.ZipFile(again) as b:
        charts = [n for n in a.namelist() if n.startswith("xl/charts/")]
        assert [a.read(n) for n in charts] == [b.read(n) for n in charts]
    assert risk_chart(again) == before


def test_finished_plan_without_data_shows_the_reason_in_the_charts_place(tmp_path):
    workbook, plan = tmp_path / "规划.xlsx", tmp_path / "方案.xlsx"
    operations.new_workbook(workbook, demo_inputs())
    operations.export_file(workbook, plan, today=TODAY)
    ws = load_workbook(plan)[c.RISK.name]
    row = c.placed(c.RISK_FORECAST.name).row - c.RISK_FORECAST_CHART.rows - 1  # the chart block's first row
    assert ws.cell(row, 1).value.startswith(PLACEHOLDER)
    assert "not enough data" in ws.cell(row, 1).value
    assert all(ws.row_dimensions[r].hidden for r in range(row + 1, row + c.RISK_FORECAST_CHART.rows))
    with zipfile.ZipFile(plan) as archive:
        charts = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/charts/chart")]
    assert not any(re.search(r"<c:f>'?风险'?!", chart) for chart in charts)


def test_finished_plan_charts_the_rows_it_has(imported, tmp_path):
    plan = tmp_path / "方案.xlsx"
    operations.export_file(imported, plan, today=TODAY)
    _, top, _ = c.table_origin(c.RISK_FORECAST)
    last = top + HISTORY_DAYS + FORECAST_DAYS - 1
    chart = risk_chart(plan)
    assert series_ranges(chart) == [f"风险!${col}${top}:${col}${last}" for col in "ACADAE"]
    assert TITLE in chart


def test_ribbon_import_points_excels_chart_at_the_rows_it_wrote(tmp_path, monkeypatch):
    path = tmp_path / "规划.xlsm"
    operations.new_workbook(path, demo_inputs())
    report = write_report(tmp_path / "千川.csv", first=START, days=REPORT_DAYS)
    book = standin.load(path)
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: book))
    book.app.api.open_files = (str(report),)
    macros.import_report()
    (chart,) = [ch for ch in book.sheets[c.RISK.name].charts if "风险" in ch.api[1].series[0].Formula]
    _, top, _ = c.table_origin(c.RISK_FORECAST)
    last = top + HISTORY_DAYS + FORECAST_DAYS - 1
    assert [s.Formula for s in chart.api[1].series] == [
        f"=SERIES(\"{name}\",'风险'!$A${top}:$A${last},'风险'!${col}${top}:${col}${last},{n})"
        for n, (name, col) in enumerate((("综合指数 index", "C"), ("区间下限 lower", "D"),
                                         ("区间上限 upper", "E")), 1)
    ]  # fmt: skip
    assert chart.api[1].ChartTitle.Text.startswith(TITLE)
