"""The template and the finished plan read right at a glance: the fonts, panes, headers and formats."""

from __future__ import annotations

import math
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_to_tuple, get_column_letter

from dyplan import operations
from dyplan.book import contract as c
from dyplan.demo import demo_inputs
from dyplan.model import ALERT_RULES, INDICATORS, IndicatorKind
from dyplan.template.render import LINE, column_widths, text_lines
from tests.book.conftest import export_demo
from tests.book.test_template import COMMITTED
from tests.excel.sample_report import write_report

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's finished plan, as users export it."""
    return export_demo(tmp_path_factory.mktemp("finished"))


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new .xlsm with the demo inputs after one import of reports (40 days: the risk index and
    its forecast have rows)."""
    work = tmp_path_factory.mktemp("imported")
    workbook = work / "规划.xlsm"
    operations.new_workbook(workbook, demo_inputs())
    operations.import_files(
        workbook, [write_report(work / "千川.csv", first=demo_inputs().start_date, days=40)]
    )
    return workbook


@pytest.fixture(params=["template", "xlsm template", "finished plan", "imported"])
def book(request: pytest.FixtureRequest, finished: Path, imported: Path) -> Path:
    return {"template": COMMITTED, "xlsm template": COMMITTED.with_suffix(".xlsm"),
            "finished plan": finished, "imported": imported}[request.param]  # fmt: skip


def test_cell_fonts_are_named_outright_not_as_the_theme_font(book):
    """Excel shows a font marked <scheme> as the theme's (Calibri / 宋体), whatever name it carries."""
    with zipfile.ZipFile(book) as archive:
        styles = ElementTree.fromstring(archive.read("xl/styles.xml"))
    fonts = list(styles.find(f"{MAIN}fonts"))
    ours = [font for font in fonts if font.find(f"{MAIN}name").get("val") == "微软雅黑"]
    assert len(ours) == len(fonts) > 1
    assert [font.find(f"{MAIN}scheme") for font in ours] == [None] * len(ours)


def test_panes_freeze_no_more_than_the_header_of_the_table_a_sheet_scrolls(book):
    """Frozen rows stay on screen: at most down to the header of the table the sheet ends with (the
    heads of a ledger), and few enough to leave a laptop's screen room to scroll."""
    wb = load_workbook(book)
    for sheet in c.SHEETS[1:]:
        if sheet.name not in wb.sheetnames:  # a finished plan without a comparison or a baseline
            continue
        last = sheet.blocks[-1]
        header = c.table_origin(last)[1] - 1 if isinstance(last, c.Table) else 0
        if isinstance(last, c.Ledger):
            header = c.placed(last.name).first_row + len(last.heads) - 1
        frozen = wb[sheet.name].freeze_panes
        rows = coordinate_to_tuple(frozen)[0] - 1 if frozen else 0
        assert rows <= min(header, 12), sheet.name
    assert wb[c.CHECKPOINTS.name].freeze_panes == f"A{c.table_origin(c.CHECKPOINTS_TABLE)[1]}"


def column_width(ws, col: int) -> float:
    """A column's width, where openpyxl files a run of columns of one width under its first letter."""
    runs = (d for d in ws.column_dimensions.values() if d.min and d.min <= col <= (d.max or d.min))
    found = next(runs, None)
    return found.width if found is not None else ws.column_dimensions[get_column_letter(col)].width


def test_every_header_row_is_as_tall_as_its_labels_wrap(book):
    """No header label is clipped: each fits its row at its column's width, e.g. 搜索占比 / search
    share, three lines in a column ten digits wide."""
    wb = load_workbook(book)
    for placed in (*c.iter_blocks(c.Table), *c.iter_blocks(c.Grid)):
        if placed.sheet is c.COVER or placed.sheet.name not in wb.sheetnames:
            continue
        ws = wb[placed.sheet.name]
        row = placed.first_row
        height = ws.row_dimensions[row].height
        for cell in ws[row]:
            needed = text_lines(cell.value or "", math.floor(column_width(ws, cell.column)))
            assert needed * LINE <= height, f"{ws.title}!{cell.coordinate}: {needed} lines"
    channels = wb[c.CHANNELS.name].row_dimensions[c.placed(c.CHANNEL_TABLE.name).first_row]
    assert channels.height == 3 * LINE  # 搜索占比 / search / share


def test_no_cover_value_spills_past_its_cell(finished):
    """Text fits its cell in a line, or wraps in a row tall enough; ROI and CPA are numbers."""
    ws = load_workbook(finished)[c.COVER.name]
    width = math.floor(ws.column_dimensions[get_column_letter(c.VALUE_COL)].width)
    for cell in c.COVER_FIELDS.cells:
        _, row, col = c.cell_of(cell.name)
        value = ws.cell(row, col)
        if isinstance(value.value, str):
            lines = text_lines(value.value, width)
            assert lines == 1 or value.alignment.wrap_text, cell.name
            assert lines * LINE <= (ws.row_dimensions[row].height or LINE), cell.name
    roi, cpa = (ws.cell(*c.cell_of(name)[1:]) for name in ("Cover_ROI", "Cover_CPA"))
    assert (roi.value, roi.number_format) == (2.5, "#,##0.00")
    assert (cpa.value, cpa.number_format) == (51.2, '"¥"#,##0.00')


def test_a_share_shows_as_a_percentage_wherever_it_is(book):
    """风险's alert thresholds as 假设 shows them, and every share-valued indicator as a %."""
    wb = load_workbook(book)
    risk, assumptions = wb[c.RISK.name], wb[c.ASSUMPTIONS.name]
    _, top, left = c.table_origin(c.ALERTS_TABLE)
    _, grid_top, grid_left = c.origin_of("Alert_Thresholds")
    for i, rule in enumerate(ALERT_RULES):
        shown = "0.00%" if rule.default_threshold < 1 else "General"  # 70 is an index, the rest shares
        for key in ("threshold", "value"):
            assert risk.cell(top + i, left + c.ALERTS_TABLE.column(key)).number_format == shown, rule.key
        assert assumptions.cell(grid_top + i, grid_left).number_format == shown, rule.key
    _, top, left = c.table_origin(c.RISK_TABLE)
    _, grid_top, grid_left = c.origin_of("Risk_Anchors")
    for i, indicator in enumerate(INDICATORS):
        shown = "General" if indicator.kind is IndicatorKind.INDEX else "0.00%"
        for key in ("value", "measured"):
            assert risk.cell(top + i, left + c.RISK_TABLE.column(key)).number_format == shown, indicator.key
        anchors = [assumptions.cell(grid_top + i, grid_left + j).number_format for j in range(4)]
        assert anchors == [shown] * 3 + ["General"], indicator.key  # the weight is no share
    if book.name.startswith("方案"):
        kind = risk.cell(top, left + c.RISK_TABLE.column("kind_zh")).value
        assert kind == "相对基线的不利变化 %（0%/15%/30%）"


@pytest.mark.parametrize("sheet", c.LATER_SHEETS, ids=lambda sheet: sheet.en)
def test_a_sheets_subtitle_fits_within_its_columns(sheet):
    """Printed, a subtitle running past the sheet's last column is cut off, or spills onto a page of
    its own."""
    assert text_lines("  ".join(sheet.subtitle), sum(column_widths(sheet).values())) == 1
