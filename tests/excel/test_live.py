"""The ribbon's macros through the live adapter, against a stand-in for Excel: they write what
the command line writes, whole blocks at a time, and report in a message box."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.formulas import Formula
from dyplan.book.xlsx_file import editing
from dyplan.demo import demo_inputs
from dyplan.excel import macros
from dyplan.excel.live import LiveBook

from . import standin
from .sample_report import write_report


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """A new .xlsm with the demo inputs and a few typed actuals, not yet regenerated."""
    path = tmp_path / "规划.xlsm"
    operations.new_workbook(path, demo_inputs())
    with editing(path) as book:
        sheet, top, left = c.table_origin(c.KPI_TABLE)
        book.write(sheet, top + 3, left + c.KPI_TABLE.column("actual"), [[41_000_000]])
        sheet, top, left = c.table_origin(c.RISK_TABLE)
        book.write(sheet, top, left + c.RISK_TABLE.column("value"), [[0.2], [0.1]])
    return path


def comparable(value):
    """A cell's value as both Excel and openpyxl would agree on it."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):  # a file keeps 16 significant digits, Excel's memory 17
        return pytest.approx(float(value), rel=1e-15)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return str(value) if isinstance(value, str) else value


def test_standin_values_are_shaped_as_xlwings_shapes_them(tmp_path):
    book = standin.Book(tmp_path / "x.xlsm", ["s"])
    sheet = book.sheets["s"]
    sheet.range((1, 1), (2, 3)).value = [[1, "a", None], [2, "b", dt.datetime(2027, 1, 1)]]
    assert sheet.range((1, 1)).value == 1.0  # one cell: a scalar, numbers as floats
    assert sheet.range((1, 1), (1, 3)).value == [1.0, "a", None]  # one row: a flat list
    assert sheet.range((1, 1), (2, 1)).value == [1.0, 2.0]  # one column: a flat list too
    assert sheet.range((1, 1), (1, 2)).options(ndim=2).value == [[1.0, "a"]]
    assert sheet.range("A2:C2").value == [2.0, "b", dt.datetime(2027, 1, 1)]


def test_live_write_keeps_text_text_and_formulas_formulas(tmp_path):
    book = standin.Book(tmp_path / "x.xlsm", ["s"])
    live = LiveBook(book)
    live.write("s", 1, 1, [["=HYPERLINK(1)", Formula("=DY_ATTAINMENT(A2,B2)"), dt.date(2027, 3, 1), "1/2"]])
    cells = book.sheets["s"].cells
    assert cells[(1, 1)] == "=HYPERLINK(1)" and book.sheets["s"].range((1, 1)).value == "=HYPERLINK(1)"
    assert cells[(1, 2)] == "=DY_ATTAINMENT(A2,B2)"
    assert cells[(1, 3)] == dt.datetime(2027, 3, 1)
    assert live.read("s", 1, 1, 1, 4)[0][3] == "1/2"  # not 2 January
    assert book.calls.writes == 1


def test_live_new_table_rows_take_the_formats_of_the_first_row(tmp_path):
    book = standin.Book(tmp_path / "x.xlsm", ["s"])
    sheet = book.sheets["s"]
    sheet.cells.update({(5, 1): "old", (6, 1): "old"})
    sheet.formats.update({(5, 1): "0.00%", (5, 2): "yyyy-mm-dd"})
    LiveBook(book).write("s", 5, 1, [["a", 1], ["b", 2], ["c", 3], ["d", 4]], style_row=5)
    # Rows 5–6 were table rows before and keep their formats; rows 7–8 are new.
    assert [sheet.formats.get((r, 2)) for r in (6, 7, 8)] == [None, "yyyy-mm-dd", "yyyy-mm-dd"]
    assert book.app.cut_copy_mode is False


def test_live_new_table_rows_are_as_tall_as_the_first_row(tmp_path):
    """Pasting formats leaves row heights alone: two-line rows (the checkpoints' why) stay two lines."""
    book = standin.Book(tmp_path / "x.xlsm", ["s"])
    sheet = book.sheets["s"]
    sheet.cells[(5, 1)] = "old"
    sheet.heights.update({5: 30.0, 6: 12.0})  # the user made row 6 (a table row already) shorter
    sheet.cells[(6, 1)] = "old"
    LiveBook(book).write("s", 5, 1, [["a"], ["b"], ["c"], ["d"]], style_row=5)
    assert [book.sheets["s"].range((r, 1)).row_height for r in (5, 6, 7, 8)] == [30.0, 12.0, 30.0, 30.0]


def test_macro_regenerate_writes_what_the_cli_writes_cell_by_cell(workbook, excel):
    cli_copy = workbook.with_name("cli.xlsm")
    shutil.copyfile(workbook, cli_copy)
    operations.regenerate_file(cli_copy)
    book = excel(workbook)

    macros.regenerate()

    expected = load_workbook(cli_copy, keep_vba=True)
    assert [s.name for s in book.sheets] == expected.sheetnames
    for ws in expected.worksheets:
        cells = book.sheets[ws.title].cells
        file_cells = {(cell.row, cell.column): cell.value for row in ws.iter_rows() for cell in row}
        for position in set(cells) | {p for p, v in file_cells.items() if v is not None}:
            got, want = comparable(cells.get(position)), comparable(file_cells.get(position))
            assert got == want, f"{ws.title}!{c.address(*position)}: live {got!r}, file {want!r}"
    for name, refers_to in book.names.refers_to.items():
        assert refers_to == "=" + expected.defined_names[name].attr_text, name
    assert book.names.refers_to.keys() >= {c.CHECKPOINTS_TABLE.name, c.SUBPHASE_TABLE.name}
    alert = book.app.alerts[-1]
    assert alert["mode"] == "info" and "已重新生成分配" in alert["prompt"]


def test_macro_regenerate_names_a_value_typed_over_a_computed_cell_and_then_settles(workbook, excel):
    """What a regenerate wrote is kept in the workbook (a custom XML part, as Excel keeps add-ins'
    data), so the next one in Excel notices a value the user typed over a computed cell."""
    book = excel(workbook)
    macros.regenerate()
    sheet, row, col = c.cell_of("Total_Budget")
    total = book.sheets[sheet].get((row, col))
    book.sheets[sheet].set((row, col), 123)  # the user types over the total budget
    macros.regenerate()
    prompt = book.app.alerts[-1]["prompt"]
    assert f"已替换您在计算单元格中填写的 1 个值：\n• {sheet}!{c.address(row, col)}: 123 → " in prompt
    assert book.sheets[sheet].get((row, col)) == pytest.approx(total)
    macros.regenerate()
    assert "已替换" not in book.app.alerts[-1]["prompt"]  # said once, then settled


def test_live_path_recalls_what_the_command_line_remembered(workbook, excel):
    """A workbook regenerated on the command line, then opened in Excel: the custom XML part Excel
    loads with the file is what the live path compares with."""
    operations.regenerate_file(workbook)
    book = excel(workbook)
    sheet, row, col = c.cell_of("Total_Budget")
    book.sheets[sheet].set((row, col), 456)
    macros.regenerate()
    assert f"{sheet}!{c.address(row, col)}: 456 → " in book.app.alerts[-1]["prompt"]


def test_macro_regenerate_moves_whole_blocks_with_excel_paused(workbook, excel):
    book = excel(workbook)
    macros.regenerate()
    daily_cells = 365 * len(c.DAILY_PLAN.columns)
    assert book.calls.writes < 100 < daily_cells  # one call per block, never per cell
    assert book.app.screen_updating is True and book.app.calculation == "automatic"


def test_macro_regenerate_reports_every_input_problem_and_writes_nothing(tmp_path, excel):
    path = tmp_path / "空白.xlsm"
    operations.new_workbook(path)  # required inputs left blank
    book = excel(path)
    macros.regenerate()
    assert book.calls.writes == 0
    alert = book.app.alerts[-1]
    assert alert["mode"] == "critical"
    assert "输入!C8" in alert["prompt"] and "input problem" in alert["prompt"]


def test_macro_validate_says_the_inputs_are_valid(workbook, excel):
    book = excel(workbook)
    macros.validate()
    assert "输入有效" in book.app.alerts[-1]["prompt"] and book.calls.writes == 0


def test_macro_export_suggests_a_file_next_to_the_workbook_and_writes_it(workbook, excel):
    book = excel(workbook)
    chosen = workbook.with_name("我的方案.xlsx")
    book.app.api.save_as = str(chosen)
    macros.export_plan()
    assert book.app.api.dialogs[-1]["InitialFileName"] == str(workbook.with_name("规划_方案.xlsx"))
    assert load_workbook(chosen).sheetnames[0] == c.COVER.name
    assert str(chosen) in book.app.alerts[-1]["prompt"] and book.app.alerts[-1]["mode"] == "info"


def test_macro_export_cancelled_writes_nothing_and_says_nothing(workbook, excel):
    book = excel(workbook)
    macros.export_plan()  # the dialog returns False: Cancel
    assert book.app.alerts == [] and not list(workbook.parent.glob("*_方案.xlsx"))


def test_macro_export_to_another_type_is_an_error_message(workbook, excel):
    book = excel(workbook)
    book.app.api.save_as = str(workbook.with_name("方案.csv"))
    macros.export_plan()
    alert = book.app.alerts[-1]
    assert alert["mode"] == "critical" and ".xlsx" in alert["prompt"]


@pytest.mark.parametrize(
    "macro",
    ["regenerate", "validate", "export_plan", "import_report", "optimise", "accept_proposal", "replan"],
)
def test_macro_in_a_host_that_is_not_microsoft_excel_says_so_in_a_message_box(workbook, excel, macro):
    """WPS posing as Excel: the friendly alert, not a traceback, and nothing written or asked."""
    book = excel(workbook)
    book.app.api.Name = "WPS 表格"
    getattr(macros, macro)()  # raises nothing
    alert = book.app.alerts[-1]
    assert alert["mode"] == "critical" and "WPS" in alert["prompt"] and "Microsoft Excel" in alert["prompt"]
    assert book.calls.writes == 0 and book.app.api.dialogs == []


def test_macro_import_report_asks_for_several_files_by_name(workbook, excel):
    book = excel(workbook)
    macros.import_report()
    asked = book.app.api.dialogs[-1]
    assert asked["MultiSelect"] is True and "*.csv" in asked["FileFilter"] and "Title" in asked


def test_macro_regenerate_on_the_mac_writes_values_where_windows_gets_formulas(workbook, excel, monkeypatch):
    """Excel for Mac cannot run xlwings' worksheet functions: the cells hold what regenerate computed."""
    windows = excel(workbook)
    macros.regenerate()
    formulas = {
        (sheet.name, cell): value
        for sheet in windows.sheets
        for cell, value in sheet.cells.items()
        if isinstance(value, str) and value.startswith("=DY_")
    }
    assert formulas
    monkeypatch.setattr(macros.sys, "platform", "darwin")
    mac = excel(workbook)
    macros.regenerate()
    for (sheet, cell), formula in formulas.items():
        value = mac.sheets[sheet].cells.get(cell)
        assert not (isinstance(value, str) and value.startswith("=")), (sheet, cell, formula)
    assert mac.app.alerts[-1]["mode"] == "info"


def test_macro_import_report_writes_what_the_cli_import_writes(workbook, excel, tmp_path):
    report = write_report(tmp_path / "千川报表.csv", days=30)
    cli_copy = workbook.with_name("cli.xlsm")
    shutil.copyfile(workbook, cli_copy)
    operations.import_files(cli_copy, [report])
    book = excel(workbook)
    book.app.api.open_files = (str(report),)

    macros.import_report()

    expected = load_workbook(cli_copy, keep_vba=True)
    for name in (c.ACTUALS_DAILY.name, c.PHASE_TRACKING.name, c.CHECKPOINTS_TABLE.name):
        sheet, top, left = c.table_origin(
            next(p.block for p in c.PLACED if getattr(p.block, "name", "") == name)
        )
        table = c.placed(name).block
        for i in range(30):
            for j in range(len(table.columns)):
                got = comparable(book.sheets[sheet].cells.get((top + i, left + j)))
                want = comparable(expected[sheet].cell(top + i, left + j).value)
                if table.columns[j].key != "imported_at":
                    assert got == want, f"{sheet}!{c.address(top + i, left + j)}"
    assert "已导入 1 个报表，共 30 行" in book.app.alerts[-1]["prompt"]


def test_macro_import_report_cancelled_changes_nothing(workbook, excel):
    book = excel(workbook)
    macros.import_report()  # the Open dialog returns False: Cancel
    assert book.calls.writes == 0 and book.app.alerts == []


def test_macro_import_report_unknown_layout_is_a_message_and_no_write(workbook, excel, tmp_path):
    bad = tmp_path / "别的表.csv"
    bad.write_text("名称,数量\n苹果,3\n", encoding="utf-8")
    book = excel(workbook)
    book.app.api.open_files = (str(bad),)
    macros.import_report()
    assert book.calls.writes == 0
    alert = book.app.alerts[-1]
    assert alert["mode"] == "critical" and "消耗" in alert["prompt"]


def test_macro_regenerate_gives_each_checkpoint_row_its_units_format_as_the_finished_plan(
    workbook, excel, tmp_path
):
    book = excel(workbook)
    macros.regenerate()
    finished = tmp_path / "方案.xlsx"
    operations.export_file(workbook, finished)
    plan = load_workbook(finished)
    table = c.CHECKPOINTS_TABLE
    sheet, top, left = c.table_origin(table)
    cells = book.sheets[sheet]
    for i in range(len(list(plan[sheet].iter_rows(min_row=top, max_col=1, values_only=True)))):
        if plan[sheet].cell(top + i, left).value in (None, ""):
            break
        for key in ("target", "actual", "measured"):
            col = left + table.column(key)
            assert cells.formats.get((top + i, col)) == plan[sheet].cell(top + i, col).number_format, (i, key)


def block_cells(book: standin.Book, table: c.Table) -> list[list]:
    """A table's data cells as the stand-in holds them (numbers as floats, as Excel keeps them)."""
    sheet, top, left = c.table_origin(table)
    rows = table.rows or 1
    return [
        [book.sheets[sheet].get((top + i, left + j)) for j in range(len(table.columns))] for i in range(rows)
    ]


def file_cells(path: Path, table: c.Table) -> list[list]:
    sheet, top, left = c.table_origin(table)
    ws = load_workbook(path)[sheet]
    return [[comparable(ws.cell(top + i, left + j).value) for j in range(len(table.columns))]
            for i in range(table.rows or 1)]  # fmt: skip


@pytest.mark.parametrize(("macro", "sheet"), [("optimise", c.OPTIMISE), ("replan", c.REPLAN)])
def test_macro_optimise_and_replan_regenerate_and_open_their_sheet(workbook, excel, macro, sheet):
    cli_copy = workbook.with_name("cli.xlsm")
    shutil.copyfile(workbook, cli_copy)
    operations.regenerate_file(cli_copy)
    book = excel(workbook)
    getattr(macros, macro)()
    assert book.active == sheet.name
    alert = book.app.alerts[-1]
    assert alert["mode"] == "info" and f"打开「{sheet.name}」" in alert["prompt"]
    for table in (c.OPTIMISE_CHANNELS, c.REPLAN_PHASES, c.SETTINGS_DAYS):  # what the CLI writes
        assert block_cells(book, table) == file_cells(cli_copy, table), table.name


def test_macro_accept_asks_first_and_no_changes_nothing(workbook, excel):
    book = excel(workbook)
    book.app.answer = "no"
    macros.accept_proposal()
    asked = book.app.alerts[-1]
    assert asked["buttons"] == "yes_no" and "写入「假设」的渠道分配" in asked["prompt"]
    # each phase's shares, now → proposed: P1's now are the seed's 50 / 40 / 10 %
    assert "P1 基础建量期: 信息流 50.0% → " in asked["prompt"] and "搜索 40.0% → " in asked["prompt"]
    assert book.calls.writes == 0 and len(book.app.alerts) == 1


def test_macro_accept_yes_types_what_the_cli_accepts_and_opens_the_proposal(workbook, excel):
    cli_copy = workbook.with_name("cli.xlsm")
    shutil.copyfile(workbook, cli_copy)
    operations.optimize_file(cli_copy, accept=True)
    book = excel(workbook)
    book.app.answer = "yes"
    macros.accept_proposal()
    sheet, row, col = c.grid_origin(c.grid_of("channel_mix"))
    typed = [[book.sheets[sheet].get((row + i, col + j)) for j in range(3)] for i in range(4)]
    ws = load_workbook(cli_copy)[sheet]
    assert typed == [[comparable(ws.cell(row + i, col + j).value) for j in range(3)] for i in range(4)]
    assert block_cells(book, c.CHANNEL_TABLE) == file_cells(cli_copy, c.CHANNEL_TABLE)  # regenerated
    assert book.active == c.OPTIMISE.name
    assert "已采纳建议并重新生成" in book.app.alerts[-1]["prompt"]


@pytest.mark.parametrize("macro", ["regenerate", "optimise", "replan"])
def test_macro_on_an_earlier_releases_workbook_regenerates_it_and_says_what_it_lacks(excel, tmp_path, macro):
    from tests.book.test_earlier_release import ABSENT, FOLDER, RELEASES

    earlier = shutil.copyfile(FOLDER / f"demo-imported-{RELEASES[0]}.xlsx", tmp_path / "earlier.xlsx")
    book = excel(earlier)
    getattr(macros, macro)()
    alert = book.app.alerts[-1]
    assert alert["mode"] == "info" and alert["prompt"].count(ABSENT) == 1
    assert [s.name for s in book.sheets] == load_workbook(earlier).sheetnames  # nothing added
    assert book.active == book.sheets[0].name  # no sheet to open
