"""Our workbooks in real spreadsheet software: LibreOffice recalculates and prints them,
the Open XML SDK validates them. These tests fail (never skip) when a tool is missing."""

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c
from dyplan.demo import demo_inputs
from dyplan.model import build_plan
from tests import realclient
from tests.made_books import keep_versions

from .conftest import TODAY, named_values
from .test_template import COMMITTED

# openpyxl cannot parse every chart LibreOffice writes back; the cells are what we read.
pytestmark = pytest.mark.filterwarnings("ignore:Unable to read chart:UserWarning")

ERROR_VALUES = re.compile(r"^(#NAME\?|#REF!|#VALUE!|#DIV/0!|#N/A|#NUM!|#NULL!|Err:\d+)$")


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """The demo workbook regenerated, its finished plan, and LibreOffice's recalculations."""
    folder = tmp_path_factory.mktemp("clients")
    realclient.require_tools()
    workbook, finished = folder / "规划.xlsx", folder / "方案.xlsx"
    fresh, imported = folder / "新建.xlsx", folder / "已导入.xlsx"
    operations.new_workbook(fresh, demo_inputs())
    operations.new_workbook(workbook, demo_inputs())
    operations.regenerate_file(workbook, today=TODAY)
    operations.export_file(workbook, finished, today=TODAY)
    shutil.copy(workbook, imported)
    report = folder / "千川报表.csv"
    report.write_text(
        "日期,计划名称,推广方式,消耗,展示次数,点击次数,转化数,直接成交金额,直接成交订单数\n"
        + "".join(f"2027-01-{d:02d},计划A,短视频,1000,50000,800,20,2600,20\n" for d in range(1, 31)),
        encoding="utf-8-sig",
    )
    operations.import_files(imported, [report])
    # scenarios saved and compared, the baseline frozen before the import: every sheet holds something
    versions, versions_plan = folder / "情景.xlsx", folder / "情景方案.xlsx"
    shutil.copy(workbook, versions)
    keep_versions(versions)
    operations.import_files(versions, [report])
    operations.export_file(versions, versions_plan, today=TODAY)
    return {
        "new": fresh,
        "imported": imported,
        "workbook": workbook,
        "finished": finished,
        "versions": versions,
        "versions_plan": versions_plan,
        "workbook_lo": realclient.recalculate(workbook, folder / "lo-workbook"),
        "imported_lo": realclient.recalculate(imported, folder / "lo-imported"),
        "finished_lo": realclient.recalculate(finished, folder / "lo-finished"),
        "versions_lo": realclient.recalculate(versions, folder / "lo-versions"),
        "versions_plan_lo": realclient.recalculate(versions_plan, folder / "lo-versions-plan"),
        "pdf": realclient.render_pdf(finished, folder / "pdf"),
        "versions_pdf": realclient.render_pdf(versions_plan, folder / "pdf"),
    }


@pytest.fixture(scope="module")
def plan():
    return build_plan(demo_inputs())


def fen(value) -> int:
    return round(value * 100)


def total_row(ws, table: c.Table) -> list:
    _sheet, top, left = c.table_origin(table)
    return [ws.cell(top + table.rows, left + j).value for j in range(len(table.columns))]


@pytest.mark.parametrize("which", ["workbook_lo", "finished_lo"])
def test_libreoffice_recalculated_totals_equal_the_engine(files, plan, which):
    wb = load_workbook(files[which], data_only=True)
    for table, frame_totals in (
        (c.PHASE_TABLE, plan.totals),
        (c.CHANNEL_TABLE, plan.totals),
        (c.DAILY_PLAN, plan.totals),
    ):
        ws = wb[c.placed(table.name).sheet.name]
        row = total_row(ws, table)
        for j, column in enumerate(table.columns):
            if column.total and column.key in frame_totals:
                assert fen(row[j]) == fen(frame_totals[column.key]), (table.name, column.key)
    team = total_row(wb[c.TEAM.name], c.TEAM_TABLE)
    assert team[c.TEAM_TABLE.column("headcount")] == demo_inputs().headcount


@pytest.mark.parametrize("which", ["workbook_lo", "finished_lo"])
def test_libreoffice_calendar_rows_equal_the_engine(files, plan, which):
    ws = load_workbook(files[which], data_only=True)[c.CALENDAR.name]
    _sheet, top, left = c.table_origin(c.DAILY_PLAN)
    for day in (1, 31, 152, 181, 365):
        row = [ws.cell(top + day - 1, left + j).value for j in range(len(c.DAILY_PLAN.columns))]
        expected = plan.daily.iloc[day - 1]
        assert row[0].date() == expected["date"] and row[1] == day
        for j, column in enumerate(c.DAILY_PLAN.columns[4:], start=4):
            assert fen(row[j]) == fen(expected[column.key]), (day, column.key)


@pytest.mark.parametrize(
    "which", ["workbook_lo", "imported_lo", "finished_lo", "versions_lo", "versions_plan_lo"]
)
def test_libreoffice_finds_no_error_value_anywhere(files, which):
    wb = load_workbook(files[which], data_only=True)
    errors = [
        f"{ws.title}!{cell.coordinate}={cell.value}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and ERROR_VALUES.match(cell.value)
    ]
    assert errors == []


@pytest.mark.parametrize("which", ["new", "workbook", "imported", "finished", "versions", "versions_plan"])
def test_open_xml_sdk_finds_no_error(files, which):
    assert realclient.validate_ooxml(files[which]) == []


def test_open_xml_sdk_accepts_the_template():
    assert realclient.validate_ooxml(COMMITTED) == []


def test_finished_plan_is_macro_free_and_every_formula_has_its_value(files):
    with zipfile.ZipFile(files["finished"]) as archive:
        names = archive.namelist()
        assert not any("vbaProject" in n or n.endswith(".bin") for n in names)
        for name in (n for n in names if n.startswith("xl/worksheets/sheet")):
            xml = archive.read(name).decode()
            cells_with_formula = re.findall(r"<c [^>]*>(?:(?!</c>).)*<f>(?:(?!</c>).)*</c>", xml)
            for cell in cells_with_formula:
                assert "<v>" in cell, (name, cell)
                formula = re.search(r"<f>(.*?)</f>", cell).group(1)
                assert "DY_" not in formula and re.fullmatch(r"SUM\([A-Z]+\d+:[A-Z]+\d+\)|0", formula)


def test_finished_plan_opens_in_pandas_with_numbers_and_cover_first(files, plan):
    sheets = pd.read_excel(files["finished"], sheet_name=None, header=None, engine="calamine")
    assert next(iter(sheets)) == "方案概览"
    cover = sheets["方案概览"]
    assert "示例美妆旗舰店" in cover[2].tolist()
    _sheet, row, col = c.cell_of("Cover_Budget")
    assert fen(cover.iat[row - 1, col - 1]) == fen(plan.totals["budget"])
    calendar = sheets[c.CALENDAR.name]
    _, top, _ = c.table_origin(c.DAILY_PLAN)
    total = calendar.iat[top - 1 + 365, c.DAILY_PLAN.column("budget")]
    assert fen(total) == fen(plan.totals["budget"])  # the cached value of a SUM formula


def test_finished_plan_pdf_embeds_a_cjk_font(files):
    fonts = realclient.pdf_fonts(files["pdf"])
    assert any("WenQuanYi" in font or "wqy" in font.lower() for font in fonts), fonts


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    return text.split("\f")


@pytest.mark.parametrize("which", ["pdf", "versions_pdf"])
def test_finished_plan_every_table_fits_its_page_width(files, which):
    """A table split across pages sideways never has its first and last headers on one line (but for
    the sheets printed several pages wide, and those a finished plan without a baseline leaves out)."""
    pages = _page_texts(files[which])
    lines = [line for page in pages for line in page.splitlines()]
    printed = {sheet for sheet in c.SHEETS if any(f"{sheet.name} {sheet.en}" in page for page in pages)}
    for placed in (p for p in c.iter_blocks(c.Table) if p.sheet.pages_wide == 1 and p.sheet in printed):
        first, last = placed.block.columns[0].zh, placed.block.columns[-1].zh
        assert any(first in line and last in line.split(first, 1)[1] for line in lines if first in line), (
            placed.block.name
        )


def test_finished_plan_renders_to_png_pages(files, tmp_path):
    pngs = realclient.pdf_pages_to_png(files["pdf"], tmp_path, dpi=40)
    assert len(pngs) == realclient.pdf_page_count(files["pdf"]) >= len(c.SHEETS)
    assert all(p.stat().st_size > 1000 for p in pngs)


def test_export_today_is_the_cover_date(files):
    sheet, row, col = c.cell_of("Cover_Generated")
    value = load_workbook(files["finished"])[sheet].cell(row, col).value
    assert value.date() == TODAY == dt.date(2027, 2, 20)


@pytest.mark.parametrize("which", ["versions_lo", "versions_plan_lo"])
def test_libreoffice_keeps_the_comparison_and_the_baseline_as_written(files, which):
    """What LibreOffice opens and saves again holds the figures compared and the days frozen, to the fen."""
    written = {name: named_values(files["versions"], name) for name in ("Scenario_Compare", "Baseline_Daily")}
    for name, rows in written.items():
        again = named_values(files[which], name, data_only=True)
        assert len(again) == len(rows), name
        for mine, theirs in zip(rows, again, strict=True):
            assert list(map(_fen_if_number, theirs)) == list(map(_fen_if_number, mine)), name


def _fen_if_number(value):
    return fen(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
