"""The plan as it prints, in LibreOffice with a CJK font: the demo's finished plan, and a fresh
workbook (only the required inputs typed) after one import, as the .xlsm and as its finished plan.

Each workbook is printed to PDF once for the module. These tests fail (never skip) when a tool is
missing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.xlsx_file import editing
from dyplan.demo import demo_inputs
from tests import realclient
from tests.book.conftest import TODAY, named_values
from tests.excel.sample_report import write_report

START = dt.date(2027, 1, 1)
#: The inputs the guide asks for, typed into a blank workbook (the assumptions stay the template's).
REQUIRED = {"Category": "美妆", "Stage": "成熟经营", "GMV_Target": 50_000_000, "Start_Date": START,
            "Baseline_AOV": 120, "Headcount": 10, "Strategy": "销售转化"}  # fmt: skip
#: 40 days of reports: 20 days of risk index (from the 21st day) and its 30-day forecast: 50 rows.
REPORT_DAYS = 40
SHEETS = {f"{sheet.name} {sheet.en}": sheet for sheet in (c.COVER, *c.SHEETS)}


@dataclass(frozen=True)
class Page:
    sheet: c.Sheet | None  # by its footer ("风险 Risk   3 / 30"); None: a sheet not dyplan's
    lines: list[str]  # the page's lines above the footer, blank ones left out


def pages(pdf: Path) -> list[Page]:
    found = []
    for text in realclient.pdf_page_texts(pdf):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        footer = re.sub(r"\s+\d+ / \d+$", "", lines[-1]) if lines else ""
        found.append(Page(SHEETS.get(footer), lines[:-1]))
    return found


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, list[Page]]]:
    """Each workbook and its pages."""
    realclient.require_tools()
    folder = tmp_path_factory.mktemp("printed")
    demo, demo_plan = folder / "示例.xlsx", folder / "示例方案.xlsx"
    operations.new_workbook(demo, demo_inputs())
    operations.regenerate_file(demo, today=TODAY)
    operations.export_file(demo, demo_plan, today=TODAY)
    imported, imported_plan = folder / "规划.xlsm", folder / "方案.xlsx"
    operations.new_workbook(imported)
    with editing(imported) as book:
        for name, value in REQUIRED.items():
            book.write(*c.cell_of(name), [[value]])
    operations.import_files(imported, [write_report(folder / "千川.csv", first=START, days=REPORT_DAYS)])
    operations.export_file(imported, imported_plan, today=TODAY)
    files = {"demo plan": demo_plan, "imported workbook": imported, "imported plan": imported_plan}
    out = folder / "pdf"
    return {key: (path, pages(realclient.render_pdf(path, out))) for key, path in files.items()}


def sheet_pages(found: list[Page], sheet: c.Sheet) -> list[Page]:
    return [page for page in found if page.sheet is sheet]


WHICH = ["demo plan", "imported workbook", "imported plan"]


@pytest.mark.parametrize(
    ("which", "count"),
    # 风险 prints at 73 % (its 154 digits of columns on a page 784 pt wide), a page holding 716 pt of
    # rows: page 1 takes rows 1–35 (summary, indicators, alerts), and the matrix, rows 36–42, would not
    # fit below them at 17.5 pt a row, so page 2 starts with it. Below it the chart (18 rows, hidden
    # in a finished plan without data) and the forecast: with no data its header and a blank row fit
    # page 2; with 50 rows page 2 holds 16 of them (at LibreOffice's 15 pt a row) and page 3 the rest.
    [("demo plan", 2), ("imported workbook", 3), ("imported plan", 3)],
)
def test_risk_sheet_prints_on_as_many_pages_as_its_blocks_need(printed, which, count):
    assert len(sheet_pages(printed[which][1], c.RISK)) == count


@pytest.mark.parametrize("which", WHICH)
def test_assumptions_print_on_eight_pages_no_grid_split(printed, which):
    # At 100 % a page holds 523 pt, 29 rows at 17.5 pt. The fields' notes run to the sheet's last column
    # (the events' tables reach it), so fewer of them wrap: page 1 holds the fields, the purpose split
    # and the channel mix; then sub-phase days … matrix cut points, CTR benchmarks and checkpoint
    # targets, alert thresholds and risk anchors, margin … response curves: each next block would not
    # fit below. The promotion calendar's choice, its 24 typed rows and the windows in use (a row each,
    # 15 for the typical events of 2027) each start a page: none fits below the one before.
    found = sheet_pages(printed[which][1], c.ASSUMPTIONS)
    assert len(found) == 8
    blocks = ("Subphase_Days", "Ctr_Benchmarks", "Alert_Thresholds", "Gross_Margin", "Promo_Calendar",
              "Promo_Events", "Events_In_Use")  # fmt: skip
    starts = [c.placed(name).block.title[0] for name in blocks]
    assert [page.lines[0][: len(title)] for page, title in zip(found[1:], starts, strict=True)] == starts


@pytest.mark.parametrize("which", WHICH)
def test_actuals_print_three_pages_wide_each_starting_with_column_a(printed, which):
    """26 columns at a readable scale (79 %): the daily table's rows on three pages side by side, its
    columns split before 展示次数 (impressions) and 净成交金额 (net GMV), 日期 on each. (Rows with nothing
    right of the first two pages, the gap table's, print no blank third page.)"""
    pages = sheet_pages(printed[which][1], c.ACTUALS)
    title = c.ACTUALS_DAILY.title[0]
    found = pages[next(i for i, page in enumerate(pages) if any(title in line for line in page.lines)) :]
    assert len(found) % 3 == 0 and found
    daily = {col.key: col.zh for col in c.ACTUALS_DAILY.columns}

    def pages_with(text: str, first: bool = False) -> set[int]:
        return {i % 3 for i, page in enumerate(found)
                if any(line.startswith(text) if first else text in line for line in page.lines)}  # fmt: skip

    assert [pages_with(daily[key]) for key in ("unit", "impressions", "net_gmv")] == [{0}, {1}, {2}]
    assert pages_with(daily["date"], first=True) == {0, 1, 2}


@pytest.mark.parametrize("which", WHICH)
def test_settings_print_on_one_page_from_their_first_day_to_their_last(printed, which):
    """投放设置 is taken to Qianchuan on one sheet of paper: its four weeks, all 28 days."""
    path, found = printed[which]
    (page,) = sheet_pages(found, c.SETTINGS)
    days = named_values(path, c.SETTINGS_DAYS.name)[1:]
    text = "\n".join(page.lines)
    assert c.SETTINGS_DAYS.title[0] in text and len(days) == 28
    for day in (days[0], days[-1]):
        assert f"{day[0]:%Y-%m-%d}" in text


@pytest.mark.parametrize("which", WHICH)
def test_no_page_ends_with_a_block_title(printed, which):
    for page in printed[which][1]:
        if page.sheet is None or not page.lines:
            continue
        titles = [p.block.title for p in c.PLACED if p.sheet is page.sheet and hasattr(p.block, "title")]
        last = page.lines[-1]
        assert not any(last.startswith(zh) and en in last for zh, en in titles), (page.sheet.name, last)


@pytest.mark.parametrize("which", WHICH)
def test_no_block_that_fits_a_page_is_split(printed, which):
    """The page with a block's title holds its last row too (the risk matrix, every grid of 假设)."""
    path, found = printed[which]
    wb = load_workbook(path)
    for placed in c.PLACED:
        block, sheet = placed.block, placed.sheet
        if sheet.name not in wb.sheetnames or sheet.pages_wide > 1 or isinstance(block, c.Chart | c.Text):
            continue
        if isinstance(block, c.Table) and (block.rows is None or block.rows > 30):
            continue  # a long table runs on, its header repeated
        if isinstance(block, c.Ledger) and c.block_height(block) > 30:
            continue  # the scenarios' inputs run on, their names repeated
        last = wb[sheet.name].cell(placed.row + c.block_height(block) - 1, 1).value
        if last is None:
            continue
        for page in sheet_pages(found, sheet):
            at = next((i for i, line in enumerate(page.lines) if line.startswith(block.title[0])), None)
            if at is not None:
                first_line = str(last).split("\n")[0][:8]  # the start of a caption or sentence: it may wrap
                assert any(line.startswith(first_line) for line in page.lines[at + 1 :]), (sheet.name, last)
                break
        else:
            raise AssertionError(f"{sheet.name}: {block.title[0]} printed nowhere")


@pytest.mark.parametrize("which", WHICH)
def test_every_font_is_embedded_chinese_among_them(printed, which):
    path, _ = printed[which]
    pdf = path.parent / "pdf" / f"{path.stem}.pdf"
    assert realclient.pdf_unembedded_fonts(pdf) == []
    assert any("WenQuanYi" in font for font in realclient.pdf_fonts(pdf))


def test_risk_chart_without_data_is_its_reason_in_words(printed):
    text = "\n".join(line for page in sheet_pages(printed["demo plan"][1], c.RISK) for line in page.lines)
    assert c.RISK_FORECAST_CHART.empty[0] in text
    assert c.RISK_FORECAST_CHART.title[0] not in text  # no chart, so no chart's title


@pytest.mark.parametrize("which", ["imported workbook", "imported plan"])
def test_risk_chart_with_data_draws_its_days(printed, which):
    text = "\n".join(line for page in sheet_pages(printed[which][1], c.RISK) for line in page.lines)
    assert c.RISK_FORECAST_CHART.title[0] in text and c.RISK_FORECAST_CHART.empty[0] not in text
    first = START + dt.timedelta(days=20)  # the first risk index: the 21st day of reports
    assert f"{first:%m-%d}" in text  # its label on the chart's date axis (mm-dd)
