"""The macros run unattended (the Excel acceptance): the dialogs' answers come from the file the
workbook's ``dyplan_unattended`` name points to, and every message goes to its log, never to a box."""

import json
from pathlib import Path

import pytest
import xlwings as xw
from openpyxl import load_workbook

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book import workbook as book_io
from dyplan.demo import demo_inputs
from dyplan.excel import macros, unattended

from . import standin
from .sample_report import write_report


@pytest.fixture
def book(tmp_path: Path, monkeypatch) -> standin.Book:
    """The demo shop's new .xlsm, open in the stand-in as the workbook whose button was clicked."""
    path = tmp_path / "验收.xlsm"
    operations.new_workbook(path, demo_inputs())
    opened = standin.load(path)
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: opened))
    return opened


def run_unattended(book: standin.Book, folder: Path, **answers) -> Path:
    """Point the workbook at a settings file, as the acceptance script does; returns the log."""
    log = folder / "steps.jsonl"
    settings = folder / "unattended.json"
    given = {"log": str(log), **{k: str(v) if isinstance(v, Path) else v for k, v in answers.items()}}
    settings.write_text(json.dumps(given), encoding="utf-8-sig")  # PowerShell's UTF-8 has a BOM
    book.names.add(unattended.NAME, f'="{settings}"')
    return log


def logged(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]


def test_unattended_regenerate_logs_its_message_and_shows_none(book, tmp_path):
    log = run_unattended(book, tmp_path)
    macros.regenerate()
    macros.validate()
    assert book.app.alerts == []
    (regenerated, valid) = logged(log)
    assert regenerated["kind"] == "message" and regenerated["failed"] is False
    assert regenerated["zh"].startswith("已重新生成分配。年度总预算 ¥")
    assert regenerated["en"].startswith("Regenerated. Total budget ¥")
    assert valid == {**valid, "failed": False, "zh": "输入有效。", "en": "The inputs are valid."}


def test_unattended_export_saves_where_the_settings_say_without_a_dialog(book, tmp_path):
    out = tmp_path / "导出" / "方案.xlsx"
    out.parent.mkdir()
    log = run_unattended(book, tmp_path, save_as=out)
    macros.export_plan()
    assert book.app.api.dialogs == [] and book.app.alerts == []
    assert load_workbook(out).sheetnames[0] == c.COVER.name
    zh, en = f"已导出最终方案：\n{out}", f"Exported the finished plan:\n{out}"
    assert logged(log) == [{"kind": "message", "failed": False, "zh": zh, "en": en}]


def test_unattended_export_without_an_answer_is_cancel(book, tmp_path):
    log = run_unattended(book, tmp_path)
    macros.export_plan()
    assert not log.exists() and not list(tmp_path.glob("*.xlsx")) and book.app.api.dialogs == []


def test_unattended_import_reads_the_reports_the_settings_name(book, tmp_path):
    report = write_report(tmp_path / "千川报表.csv", days=30)
    log = run_unattended(book, tmp_path, reports=[str(report)])
    macros.import_report()
    assert book.app.api.dialogs == [] and book.app.alerts == []
    (message,) = logged(log)
    assert message["failed"] is False and message["zh"].startswith("已导入 1 个报表，共 30 行")
    sheet, top, left = c.table_origin(c.ACTUALS_DAILY)
    assert book.sheets[sheet].get((top + 29, left + c.ACTUALS_DAILY.column("spend"))) == 10_000


def test_unattended_accept_takes_its_answer_from_the_settings_and_asks_nothing(book, tmp_path):
    log = run_unattended(book, tmp_path, accept=True)
    macros.accept_proposal()
    assert book.app.alerts == []
    (message,) = logged(log)
    assert message["failed"] is False and message["zh"].startswith("已采纳建议并重新生成。")
    assert book.active == c.OPTIMISE.name


def test_unattended_accept_without_an_answer_is_no(book, tmp_path):
    log = run_unattended(book, tmp_path)
    macros.accept_proposal()
    assert not log.exists() and book.app.alerts == [] and book.calls.writes == 0


def test_unattended_input_problems_are_logged_as_a_failure(tmp_path, monkeypatch):
    path = tmp_path / "空白.xlsm"
    operations.new_workbook(path)
    blank = standin.load(path)
    monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda: blank))
    log = run_unattended(blank, tmp_path)
    macros.regenerate()
    (message,) = logged(log)
    assert message["failed"] is True and "输入!C8" in message["zh"] and blank.app.alerts == []


def test_unattended_unexpected_error_is_logged_not_raised(book, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(book_io, "regenerate", boom)
    log = run_unattended(book, tmp_path)
    macros.regenerate()  # raises nothing: no traceback box for xlwings to show
    (message,) = logged(log)
    assert message["failed"] is True and message["zh"] == "dyplan 出错了"
    assert message["en"].startswith("Traceback") and message["en"].endswith("RuntimeError: boom\n")


def test_a_persons_click_still_raises_the_unexpected_error(book, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(book_io, "regenerate", boom)
    with pytest.raises(RuntimeError, match="boom"):  # xlwings shows it, as before
        macros.regenerate()


def test_the_setting_is_a_text_constant_with_excels_doubled_quotes(book, tmp_path):
    folder = tmp_path / 'a "quoted" folder'
    folder.mkdir()
    (folder / "s.json").write_text(json.dumps({"log": "x.jsonl", "reports": ["a.csv", "b.csv"]}))
    book.names.add(unattended.NAME, '="' + str(folder / "s.json").replace('"', '""') + '"')
    expected = unattended.Unattended(Path("x.jsonl"), None, (Path("a.csv"), Path("b.csv")))
    assert unattended.settings(book) == expected


def test_a_name_that_is_not_text_is_refused(book):
    book.names.add(unattended.NAME, "=输入!$C$8")
    with pytest.raises(ValueError, match="as text"):
        unattended.settings(book)
