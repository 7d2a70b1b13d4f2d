"""Reports as another program saved them: a user opens a download in LibreOffice and saves it again,
as .xlsx or as CSV. The same totals come out, worked by hand from the rows in test_real_exports."""

import datetime as dt

import openpyxl
import pytest

from dyplan.reports.fields import Kind
from dyplan.reports.reader import read_report
from tests import realclient

from .test_real_exports import D1, D2, by_channel, standard_path, uni_live_path


@pytest.fixture(autouse=True)
def tools():
    realclient.require_tools()


def test_standard_xlsx_saved_again_by_libreoffice_reads_the_same(tmp_path):
    saved = realclient.recalculate(standard_path(tmp_path), tmp_path / "lo")
    report = read_report(saved)
    assert report.kind is Kind.STANDARD
    assert by_channel(report) == {"live": 1_200.00, "feed": 800.50, "search": 99.50}
    assert report.rows["gmv"].sum() == pytest.approx(3_600 + 1_601 + 199)


def test_uni_live_xlsx_saved_again_by_libreoffice_skips_its_total_row(tmp_path):
    saved = realclient.recalculate(uni_live_path(tmp_path), tmp_path / "lo")
    report = read_report(saved)
    assert report.kind is Kind.UNI_LIVE
    assert (report.read_rows, report.skipped_rows) == (3, 1)
    assert by_channel(report) == {"live": 3_000.00}


def test_date_and_number_cells_saved_as_csv_by_libreoffice_read_the_same(tmp_path):
    """Real date and number cells (not text), with the formats a user gives them, written out by
    LibreOffice as they are shown: "2027-01-04", "1,200.50", "2.00%"."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["日期", "计划名称", "营销目标", "消耗(元)", "点击次数", "点击率", "直接成交金额(元)"])
    for day, plan, goal, spend, clicks, rate, gmv in [
        (D1, "直播间-晚场", "直播带货", 1_200.50, 600, 0.02, 3_600.00),
        (D2, "短视频-新品", "短视频带货", 800.25, 400, 0.02, 1_601.00),
    ]:
        sheet.append([day, plan, goal, spend, clicks, rate, gmv])
    for row in sheet.iter_rows(min_row=2):
        row[0].number_format, row[3].number_format = "yyyy-mm-dd", "#,##0.00"
        row[5].number_format, row[6].number_format = "0.00%", "#,##0.00"
    source = tmp_path / "标准推广.xlsx"
    book.save(source)
    saved = realclient.save_as_csv(source, tmp_path / "lo")
    assert "1,200.50" in saved.read_text(encoding="utf-8")  # as shown, separators and all
    report = read_report(saved)
    assert by_channel(report) == {"live": 1_200.50, "feed": 800.25}
    assert sorted(report.rows["date"]) == [D1, D2]
    assert report.rows["gmv"].sum() == pytest.approx(5_201.00)
    assert isinstance(report.rows["date"].iloc[0], dt.date)
