"""The finished plan's cover: a one-page dashboard whose figures follow the rules (planning-rules 3.18).

Two plans: the demo, and a fresh template with only the required inputs and one report imported
(a mature 美妆 shop, 50,000,000 GMV, flat seasonality, 6 %: budget 3,000,000.00).
"""

from __future__ import annotations

import datetime as dt
import math
import re
import subprocess
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.cells import NO_DAYS_IN_PLAN, NO_REPORTS
from dyplan.template.render import LINE, text_lines
from tests import realclient
from tests.book.conftest import TODAY, export_demo, named_values, set_cells
from tests.promo_windows import share
from tests.reports import samples as s
from tests.test_cli import demo_total_budget
from tests.test_first_day import GMV, REQUIRED, SPEND, START, write_report

COVER_CELLS = [
    cell for p in c.iter_blocks(c.Fields, cover=True) if p.sheet is c.COVER for cell in p.block.cells
]
TILES = c.COVER_TARGETS.cells


@pytest.fixture(scope="module")
def demo_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export_demo(tmp_path_factory.mktemp("demo"))


@pytest.fixture(scope="module")
def imported_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh template, the required inputs typed, one report of three days imported."""
    work = tmp_path_factory.mktemp("fresh")
    workbook, finished = work / "规划.xlsx", work / "方案.xlsx"
    operations.new_workbook(workbook, None)
    set_cells(workbook, REQUIRED)
    operations.import_files(workbook, [write_report(work)])
    operations.export_file(workbook, finished, today=TODAY)
    return finished


def cover(path: Path, name: str):
    return named_values(path, name)


def test_cover_reconciles_the_demo_target_roi_with_its_gmv_per_budget(demo_plan):
    budget = cover(demo_plan, "Cover_Budget")
    worked = round(demo_total_budget(), 2)  # the demo's budget worked day by day
    assert budget == pytest.approx(worked, abs=0.005)  # as 阶段预算 shows it
    assert cover(demo_plan, "Cover_ROI") == 2.5
    # budget × target ROI, to the fen (half away from zero)
    paid = float((Decimal(str(worked)) * Decimal("2.5")).quantize(Decimal("0.01"), ROUND_HALF_UP))
    assert cover(demo_plan, "Cover_Paid_GMV") == pytest.approx(paid, abs=0.006)
    assert cover(demo_plan, "Cover_Paid_Share") == pytest.approx(paid / 50_000_000, abs=1e-6)
    assert cover(demo_plan, "Cover_GMV_Per_Budget") == pytest.approx(50_000_000 / worked, abs=1e-4)
    reading = cover(demo_plan, "Cover_Two_ROIs")
    paid_share = paid / 50_000_000
    assert f"{paid_share:.1%}" in reading and f"{1 - paid_share:.1%}" in reading  # the rest is not ads'
    assert f"{50_000_000 / worked:.1f}" in reading


def test_cover_reconciles_a_fresh_plan_with_the_rules_numbers(imported_plan):
    assert cover(imported_plan, "Cover_Budget") == pytest.approx(3_000_000, abs=0.005)  # 50,000,000 × 6 %
    assert cover(imported_plan, "Cover_Reserve") == pytest.approx(300_000, abs=0.005)  # × 10 %
    assert cover(imported_plan, "Cover_Paid_GMV") == pytest.approx(7_500_000, abs=0.001)  # × 2.5
    assert cover(imported_plan, "Cover_Paid_Share") == pytest.approx(0.15)  # 7,500,000 ÷ 50,000,000
    assert cover(imported_plan, "Cover_GMV_Per_Budget") == pytest.approx(50 / 3)  # 16.67
    assert "85.0%" in cover(imported_plan, "Cover_Two_ROIs")


def test_cover_timeline_gives_each_phase_its_dates_budget_and_days(imported_plan):
    rows = named_values(imported_plan, c.COVER_PHASES.name)[1:]
    # the rules' sub-phases: 30 / 60 / 90 days, P4 the rest; flat seasonality, 6 % in every phase
    assert [r[0] for r in rows] == ["P1 基础建量期", "P2 精准获客期", "P3 深度转化期", "P4 成熟期"]
    assert [r[1] for r in rows] == [
        "2027-01-01 – 01-30", "2027-01-31 – 03-31", "2027-04-01 – 06-29", "2027-06-30 – 12-31",
    ]  # fmt: skip
    assert [r[3] for r in rows] == [30, 60, 90, 185]
    # 3,000,000 × each phase's part of the year's budget weights (the typical promotion windows)
    parts = [share(0, 30), share(30, 90), share(90, 180)]
    assert [r[2] for r in rows[:3]] == pytest.approx([3_000_000 * p for p in parts], abs=0.015)
    assert sum(r[2] for r in rows) == pytest.approx(3_000_000, abs=0.005)


def test_cover_says_no_reports_before_any_import_instead_of_zeros(demo_plan):
    assert cover(demo_plan, "Cover_Through") == NO_REPORTS == "尚未导入报表 / no reports imported yet"
    for cell in c.COVER_TO_DATE.cells[1:]:
        assert cover(demo_plan, cell.name) is None, cell.name


def test_cover_shows_spend_gmv_roi_and_pacing_to_date_after_an_import(imported_plan):
    assert cover(imported_plan, "Cover_Through").date() == dt.date(2027, 1, 3)
    assert cover(imported_plan, "Cover_Spend") == pytest.approx(SPEND, abs=0.005)  # 6,324.91
    assert cover(imported_plan, "Cover_GMV_To_Date") == pytest.approx(GMV, abs=0.005)  # 11,840.90
    assert cover(imported_plan, "Cover_ROI_To_Date") == pytest.approx(1.87)  # 11,840.90 ÷ 6,324.91
    # the first 3 days' part of 2,700,000, each day rounded to the fen
    planned = cover(imported_plan, "Cover_Plan_To_Date")
    assert planned == pytest.approx(2_700_000 * share(0, 3), abs=0.03)
    assert cover(imported_plan, "Cover_Pacing") == pytest.approx(6_324.91 / planned - 1, abs=1e-9)


def test_cover_says_when_the_reports_hold_no_day_of_the_plan(tmp_path):
    workbook, finished = tmp_path / "规划.xlsx", tmp_path / "方案.xlsx"
    operations.new_workbook(workbook, None)
    set_cells(workbook, REQUIRED)
    before = [
        s.Line(START - dt.timedelta(days=1), "春季新品-短视频-01", 100_000, 1_000, 10, 1, 20_000, 1, "短视频")
    ]
    operations.import_files(workbook, [s.write_csv(tmp_path / "报表.csv", s.table(before))])
    operations.export_file(workbook, finished, today=TODAY)
    assert cover(finished, "Cover_Through") == NO_DAYS_IN_PLAN
    assert cover(finished, "Cover_Spend") is None  # the day before the plan counts for nothing


def test_cover_says_so_when_the_ads_alone_would_bring_the_whole_gmv_target(tmp_path):
    workbook, finished = tmp_path / "规划.xlsx", tmp_path / "方案.xlsx"
    operations.new_workbook(workbook, None)
    set_cells(workbook, REQUIRED)
    wb = load_workbook(workbook)
    sheet, top, left = c.grid_origin(c.placed("Checkpoint_Targets").block)
    roi_row = [key for key, _, _ in c.placed("Checkpoint_Targets").block.rows].index("roi")
    wb[sheet].cell(top + roi_row, left).value = 20
    wb.save(workbook)
    operations.export_file(workbook, finished, today=TODAY)
    assert cover(finished, "Cover_Paid_Share") == pytest.approx(1.2)  # 3,000,000 × 20 ÷ 50,000,000
    assert "可考虑调低预算比例" in cover(finished, "Cover_Two_ROIs")


@pytest.mark.parametrize("plan", ["demo_plan", "imported_plan"])
def test_no_cover_value_spills_past_its_cells(plan, request):
    """Every text fits its cell, or its merged cells, in a line, or wraps in a row tall enough."""
    ws = load_workbook(request.getfixturevalue(plan))[c.COVER.name]
    merged = {(m.min_row, m.min_col): m for m in ws.merged_cells.ranges}
    for cell in (*COVER_CELLS, *TILES):
        _, row, col = c.cell_of(cell.name)
        value = ws.cell(row, col)
        if not isinstance(value.value, str):
            continue
        last = merged[(row, col)].max_col if (row, col) in merged else col
        width = sum(
            math.floor(ws.column_dimensions[get_column_letter(j)].width) for j in range(col, last + 1)
        )
        lines = text_lines(value.value, width)
        assert lines == 1 or value.alignment.wrap_text, cell.name
        assert lines * LINE <= (ws.row_dimensions[row].height or LINE), cell.name


def test_cover_headline_figures_are_numbers_in_large_type(demo_plan):
    ws = load_workbook(demo_plan)[c.COVER.name]
    for cell in TILES:
        value = ws.cell(*c.cell_of(cell.name)[1:])
        assert isinstance(value.value, float | int), cell.name
        assert value.font.sz >= 16, cell.name


def test_cover_channel_chart_draws_the_three_channel_amounts_by_name(demo_plan):
    with zipfile.ZipFile(demo_plan) as archive:
        sheet_rels = archive.read("xl/worksheets/_rels/sheet1.xml.rels").decode()
        drawing = re.search(r'Target="\.\./drawings/(drawing\d+\.xml)"', sheet_rels)[1]
        chart = re.search(
            r"charts/(chart\d+\.xml)", archive.read(f"xl/drawings/_rels/{drawing}.rels").decode()
        )[1]
        xml = archive.read(f"xl/charts/{chart}").decode()
    assert "<c:doughnutChart>" in xml and '<c:showPercent val="1"/>' in xml
    refs = re.findall(rf"<c:f>'?{c.COVER.name}'?!(\$[A-Z]+\$\d+:\$[A-Z]+\$\d+)</c:f>", xml)
    _, first, col = c.cell_of("Cover_Feed")
    _, last, _ = c.cell_of("Cover_Live")
    areas = [range_boundaries(ref.replace("$", "")) for ref in refs]
    assert (col, first, col, last) in areas  # values: 信息流, 搜索, 直播推广 amounts
    assert (col - 2, first, col - 2, last) in areas  # categories: their Chinese names


@pytest.mark.parametrize("plan", ["demo_plan", "imported_plan"])
def test_cover_prints_on_one_page(plan, request, tmp_path):
    pdf = realclient.render_pdf(request.getfixturevalue(plan), tmp_path)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    pages = [page for page in text.split("\f") if f"{c.COVER.name} {c.COVER.en}" in page]
    assert len(pages) == 1
    assert "年度GMV目标" in pages[0] and "两种ROI口径" in pages[0] and "执行进度" in pages[0]
    # the doughnut's labels, as LibreOffice prints them: feed 1,793,931.94 ÷ 3,317,345.59 = 54 %, search
    # 28 %, live 18 % (demo); 1,462,123.98 ÷ 2,700,000 = 54 %, 764,451.36 → 28 %, 473,424.66 → 18 % (fresh)
    labels = pages[0].split(c.COVER_CHANNEL_CHART.title[1])[1]
    assert all(share in labels for share in ("54%", "28%", "18%")), labels
    assert realclient.pdf_page_count(pdf) > 1  # the cover is the first of the plan's pages
