"""The ribbon's 保存情景, 情景对比 and 冻结基线 through the live adapter, against the stand-in for Excel:
they write what the command line writes, ask before replacing, and report in a message box."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c
from dyplan.demo import demo_inputs
from dyplan.excel import macros, unattended
from dyplan.excel.live import LiveBook
from tests.made_books import type_inputs

from . import standin
from .test_live import comparable


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """A new .xlsm with the demo inputs."""
    path = tmp_path / "规划.xlsm"
    operations.new_workbook(path, demo_inputs())
    return path


def same_sheet(book: standin.Book, path: Path, sheet: str) -> None:
    """Every cell of ``sheet`` in Excel holds what the file the command line wrote holds there."""
    ws = load_workbook(path, keep_vba=True)[sheet]
    cells = book.sheets[sheet].cells
    file_cells = {(cell.row, cell.column): cell.value for row in ws.iter_rows() for cell in row}
    for position in set(cells) | {p for p, v in file_cells.items() if v is not None}:
        got, want = comparable(cells.get(position)), comparable(file_cells.get(position))
        assert got == want, f"{sheet}!{c.address(*position)}: live {got!r}, file {want!r}"


def test_macro_save_scenario_asks_a_name_and_writes_what_the_cli_writes(workbook, excel):
    cli_copy = shutil.copyfile(workbook, workbook.with_name("cli.xlsm"))
    operations.save_scenario_file(cli_copy, "方案A")
    book = excel(workbook)
    book.app.api.typed = " 方案A "
    macros.save_scenario()
    asked = book.app.api.dialogs[-1]
    assert asked["Type"] == 2 and "20" in asked["Prompt"] and "Scenario name" in asked["Prompt"]
    same_sheet(book, cli_copy, c.SCENARIOS.name)
    assert book.names.refers_to[c.SCENARIO_LEDGER.name] == "=" + (
        load_workbook(cli_copy, keep_vba=True).defined_names[c.SCENARIO_LEDGER.name].attr_text
    )
    alert = book.app.alerts[-1]
    assert alert["mode"] == "info" and "已保存情景「方案A」" in alert["prompt"]


def test_macro_save_scenario_gives_a_new_column_the_first_ones_formats(workbook, excel):
    operations.save_scenario_file(workbook, "方案A")
    book = excel(workbook)
    book.app.api.typed = "方案B"
    macros.save_scenario()
    placed = c.placed(c.SCENARIO_LEDGER.name)
    sheet, top, left = placed.sheet.name, placed.first_row, placed.col  # the first head row, the key column
    formats = book.sheets[sheet].formats
    rows = range(top, top + len(c.SCENARIO_LEDGER.heads) + len(c.SCENARIO_LEDGER.rows))
    first, new = left + 3, left + 4
    assert [formats.get((r, new)) for r in rows] == [formats.get((r, first)) for r in rows]
    date = top + 2 + next(i for i, row in enumerate(c.SCENARIO_LEDGER.rows) if row.key == "Start_Date")
    assert (
        formats.get((date, new)) == "yyyy-mm-dd" and formats.get((top + 1, new)) == "yyyy-mm-dd"
    )  # saved on


def test_macro_save_scenario_cancelled_changes_nothing_and_says_nothing(workbook, excel):
    book = excel(workbook)
    macros.save_scenario()  # the input box returns False: Cancel
    assert book.calls.writes == 0 and book.app.alerts == []


@pytest.mark.parametrize("answer", ["no", "yes"])
def test_macro_save_scenario_asks_before_replacing_one_of_that_name(workbook, excel, answer):
    operations.save_scenario_file(workbook, "方案A", today=dt.date(2027, 1, 5))
    book = excel(workbook)
    book.app.api.typed, book.app.answer = "方案A", answer
    writes = book.calls.writes
    macros.save_scenario()
    question = book.app.alerts[0]
    assert question["buttons"] == "yes_no" and "方案A" in question["prompt"]
    placed = c.placed(c.SCENARIO_LEDGER.name)
    saved = LiveBook(book).read(placed.sheet.name, placed.first_row + 1, placed.col + 3, 1, 1)  # A's day
    if answer == "no":
        assert book.calls.writes == writes and len(book.app.alerts) == 1  # asked, and nothing else
        assert saved[0][0] == dt.datetime(2027, 1, 5)
    else:
        assert "已替换情景「方案A」" in book.app.alerts[-1]["prompt"] and saved[0][0] == dt.datetime.combine(
            dt.date.today(), dt.time()
        )


def test_macro_compare_scenarios_writes_what_the_cli_writes_and_says_each_budget(workbook, excel):
    operations.save_scenario_file(workbook, "方案A")
    type_inputs(workbook, {"GMV_Target": 60_000_000})
    cli_copy = shutil.copyfile(workbook, workbook.with_name("cli.xlsm"))
    compared = operations.compare_scenarios_file(cli_copy, [])
    book = excel(workbook)
    macros.compare_scenarios()
    same_sheet(book, cli_copy, c.SCENARIO_COMPARE.name)
    prompt = book.app.alerts[-1]["prompt"]
    budgets = compared.table.set_index("key").loc["budget"]
    assert "基准：当前 / current" in prompt
    for name in ("当前 / current", "方案A"):
        assert f"• {name}：预算 budget ¥{budgets[name]:,.2f}" in prompt


@pytest.mark.parametrize("answer", ["no", "yes"])
def test_macro_restore_scenario_asks_which_and_before_typing_over_and_writes_what_the_cli_writes(
    workbook, excel, answer
):
    operations.save_scenario_file(workbook, "方案A")
    type_inputs(workbook, {"GMV_Target": 60_000_000, "Reserve_Share": 0.15})
    cli_copy = shutil.copyfile(workbook, workbook.with_name("cli.xlsm"))
    operations.restore_scenario_file(cli_copy, "方案A")
    book = excel(workbook)
    book.app.api.typed, book.app.answer = "方案A", answer
    macros.restore_scenario()
    asked = book.app.api.dialogs[-1]
    assert asked["Type"] == 2 and "现有：方案A" in asked["Prompt"]
    question = book.app.alerts[0]
    assert question["buttons"] == "yes_no" and "改写 2 个输入单元格" in question["prompt"]
    if answer == "no":
        assert book.calls.writes == 0 and len(book.app.alerts) == 1  # asked, and nothing else
        return
    for sheet in (c.INPUTS.name, c.ASSUMPTIONS.name, c.PHASES.name):
        same_sheet(book, cli_copy, sheet)
    said = book.app.alerts[-1]["prompt"]
    gmv, reserve = (c.address(*c.cell_of(name)[1:]) for name in ("GMV_Target", "Reserve_Share"))
    assert "已恢复情景「方案A」：改写 2 个单元格" in said
    assert f"{c.INPUTS.name}!{gmv}: 60,000,000.00 → " in said
    assert f"{c.ASSUMPTIONS.name}!{reserve}: 15.00% → " in said and "年度总预算" in said


def test_macro_restore_scenario_of_an_unknown_name_names_those_there_are_and_writes_nothing(workbook, excel):
    operations.save_scenario_file(workbook, "方案A")
    book = excel(workbook)
    book.app.api.typed = "方案B"
    macros.restore_scenario()
    alert = book.app.alerts[-1]
    assert alert["mode"] == "critical" and "方案B" in alert["prompt"] and "现有：方案A" in alert["prompt"]
    assert book.calls.writes == 0


@pytest.mark.parametrize("answer", ["no", "yes"])
def test_macro_delete_scenario_asks_which_and_whether_and_writes_what_the_cli_writes(workbook, excel, answer):
    for name in ("方案A", "方案B"):
        operations.save_scenario_file(workbook, name, today=dt.date(2027, 1, 5))
    cli_copy = shutil.copyfile(workbook, workbook.with_name("cli.xlsm"))
    operations.delete_scenario_file(cli_copy, "方案A")
    book = excel(workbook)
    book.app.api.typed, book.app.answer = "方案A", answer
    macros.delete_scenario()
    assert "现有：方案A、方案B" in book.app.api.dialogs[-1]["Prompt"]
    question = book.app.alerts[0]
    assert question["buttons"] == "yes_no" and "删除情景「方案A」（保存于 2027-01-05）" in question["prompt"]
    if answer == "no":
        assert book.calls.writes == 0 and len(book.app.alerts) == 1
        return
    same_sheet(book, cli_copy, c.SCENARIOS.name)
    assert "已删除情景「方案A」" in book.app.alerts[-1]["prompt"]


def test_macro_delete_scenario_asks_of_the_column_the_command_deletes(workbook, excel):
    """Two columns of one name (the second renamed by hand), the name typed with a BOM: the question
    is of the first column, the one `dyplan scenario delete` takes."""
    operations.save_scenario_file(workbook, "方案A", today=dt.date(2027, 1, 5))
    operations.save_scenario_file(workbook, "方案B", today=dt.date(2027, 1, 6))
    placed = c.placed(c.SCENARIO_LEDGER.name)
    wb = load_workbook(workbook, keep_vba=True)
    wb[placed.sheet.name].cell(placed.first_row, placed.col + 4).value = "方案A"
    wb.save(workbook)
    book = excel(workbook)
    book.app.api.typed = "\ufeff方案A "
    macros.delete_scenario()  # answered No
    question = book.app.alerts[0]["prompt"]
    assert "删除情景「方案A」（保存于 2027-01-05）" in question and book.calls.writes == 0


def test_macro_freeze_baseline_writes_what_the_cli_writes_and_asks_before_replacing(workbook, excel):
    cli_copy = shutil.copyfile(workbook, workbook.with_name("cli.xlsm"))
    operations.freeze_baseline_file(cli_copy)
    book = excel(workbook)
    macros.freeze_baseline()
    same_sheet(book, cli_copy, c.BASELINE.name)
    assert book.app.alerts[-1]["mode"] == "info" and "已冻结基线" in book.app.alerts[-1]["prompt"]
    writes = book.calls.writes
    macros.freeze_baseline()  # answered No
    assert book.app.alerts[-1]["buttons"] == "yes_no" and book.calls.writes == writes
    book.app.answer = "yes"
    macros.freeze_baseline()
    assert book.calls.writes > writes and "已冻结基线" in book.app.alerts[-1]["prompt"]


@pytest.mark.parametrize(
    "macro", ["save_scenario", "restore_scenario", "delete_scenario", "compare_scenarios", "freeze_baseline"]
)
def test_macro_in_a_host_that_is_not_microsoft_excel_says_so_and_asks_nothing(workbook, excel, macro):
    book = excel(workbook)
    book.app.api.Name = "WPS 表格"
    getattr(macros, macro)()
    alert = book.app.alerts[-1]
    assert alert["mode"] == "critical" and "WPS" in alert["prompt"] and "Microsoft Excel" in alert["prompt"]
    assert book.calls.writes == 0 and book.app.api.dialogs == []


def test_macro_save_scenario_on_the_mac_points_to_the_command_line(workbook, excel, monkeypatch):
    book = excel(workbook)
    monkeypatch.setattr(macros.sys, "platform", "darwin")
    macros.save_scenario()
    assert "dyplan scenario save" in book.app.alerts[-1]["prompt"] and book.app.api.dialogs == []


@pytest.mark.parametrize("accept", [False, True])
def test_unattended_save_scenario_takes_the_settings_name_and_answer(workbook, excel, tmp_path, accept):
    book = excel(workbook)
    log, settings = tmp_path / "steps.jsonl", tmp_path / "unattended.json"
    given = {"log": str(log), "scenario": "方案A", "accept": accept}
    settings.write_text(json.dumps(given), encoding="utf-8-sig")
    book.names.add(unattended.NAME, f'="{settings}"')
    macros.save_scenario()
    writes = book.calls.writes
    macros.save_scenario()  # the same name again: replaced only if the settings say yes
    said = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert said[0]["failed"] is False and "已保存情景「方案A」" in said[0]["zh"]
    if accept:
        assert len(said) == 2 and "已替换情景「方案A」" in said[1]["zh"]
    else:
        assert len(said) == 1 and book.calls.writes == writes  # answered No: nothing changes
    assert book.app.alerts == [] and book.app.api.dialogs == []
