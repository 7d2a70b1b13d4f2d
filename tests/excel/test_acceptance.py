"""dyplan excel accept-report against files: a run of the ribbon's macros in the stand-in, saved as
Excel saves after its full recalculation, passes; one changed output cell, or a =DY_ cell showing
#NAME?, fails and names the cell."""

import json
import re
import shutil
from pathlib import Path

import pytest
import xlwings as xw
from typer.testing import CliRunner

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.formulas import formula_at
from dyplan.book.xlsx_file import open_book
from dyplan.cli import app
from dyplan.demo import demo_inputs
from dyplan.excel import macros, unattended
from dyplan.excel.acceptance import compare, report, steps
from dyplan.files.safety import write_atomically
from dyplan.files.worksheet import Formula

from . import standin
from .excel_save import save_as_excel
from .sample_report import write_report

ENVIRONMENT = {"kind": "environment", "excel_version": "16.0", "excel_build": 17328,
               "os": "Microsoft Windows 11 Pro 10.0.22631", "locale": "zh-CN"}  # fmt: skip
CLICKS = {"regenerate": macros.regenerate, "validate": macros.validate, "export": macros.export_plan,
          "import": macros.import_report, "optimise": macros.optimise, "accept": macros.accept_proposal,
          "replan": macros.replan, "save_scenario": macros.save_scenario,
          "restore_scenario": macros.restore_scenario, "compare": macros.compare_scenarios,
          "delete_scenario": macros.delete_scenario,
          "freeze": macros.freeze_baseline, "sensitivity": macros.sensitivity}  # fmt: skip


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> tuple[Path, Path]:
    """What scripts/excel-acceptance.ps1 leaves, with the stand-in for Excel: the saved .xlsm and the log."""
    folder = tmp_path_factory.mktemp("acceptance")
    saved, log, settings = folder / "acceptance.xlsm", folder / "steps.jsonl", folder / "unattended.json"
    operations.new_workbook(saved, demo_inputs())
    report_csv = write_report(folder / "千川报表.csv", days=30)
    settings.write_text(json.dumps({"log": str(log), "save_as": str(folder / "方案.xlsx"),
                                    "reports": [str(report_csv)], "accept": True,
                                    "scenario": "acceptance"}))  # fmt: skip
    book = standin.load(saved)
    book.names.add(unattended.NAME, f'="{settings}"')
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(xw.Book, "caller", staticmethod(lambda: book))
        with log.open("w", encoding="utf-8") as script:
            script.write(json.dumps(ENVIRONMENT) + "\n")
        for step, click in CLICKS.items():
            with log.open("a", encoding="utf-8") as script:
                script.write(json.dumps({"kind": "step", "step": step}) + "\n")
            click()
    save_as_excel(book, saved)
    return saved, log


def changed(saved: Path, out: Path, sheet: str, row: int, col: int, value: object) -> Path:
    shutil.copyfile(saved, out)
    book = open_book(out)
    book.write(sheet, row, col, [[value]])
    write_atomically(out, book.save)
    return out


def accept_report(saved: Path, log: Path, out: Path):
    words = ["excel", "accept-report", str(saved), "--log", str(log), "--out", str(out)]
    return CliRunner().invoke(app, words)


def test_a_run_of_the_macros_matches_dyplan_regenerate_cell_by_cell(run):
    saved, log = run
    result = compare.compare(saved)
    assert result.passed, (result.differences[:3], result.formula_problems[:3])
    daily = 365 * len(c.DAILY_PLAN.columns)
    assert result.cells > daily and result.formulas > 60  # every block, not a sample
    assert report.passed(result, steps.read_log(log))


def test_accept_report_writes_a_passing_report_and_exits_0(run, tmp_path):
    saved, log = run
    out = tmp_path / "report.md"
    result = accept_report(saved, log, out)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# dyplan Excel 验收 · acceptance: 通过 PASS\n")
    assert "- Excel: excel_version 16.0 · excel_build 17328" in text
    assert "- Windows: os Microsoft Windows 11 Pro 10.0.22631" in text and "locale zh-CN" in text
    for step in ("regenerate", "validate", "export", "import"):
        assert f"| {step} | 通过 pass |" in text
    assert "| validate | 通过 pass | 输入有效。 · The inputs are valid. |" in text


def test_one_changed_output_cell_fails_naming_it(run, tmp_path):
    saved, _ = run
    sheet, row, col = c.cell_of("Total_Budget")
    budget = compare.load_workbook(saved, data_only=True)[sheet].cell(row, col).value
    copy = changed(saved, tmp_path / "changed.xlsm", sheet, row, col, budget + 0.01)  # one fen
    result = compare.compare(copy)
    assert [(d.where, d.block, d.excel, d.dyplan) for d in result.differences] == [
        (f"{sheet}!{c.address(row, col)}", "Total_Budget", budget + 0.01, pytest.approx(budget))
    ]
    assert not result.passed


def test_a_formula_cell_showing_name_fails_naming_it(run, tmp_path):
    saved, log = run
    sheet, row, col = c.cell_of("Risk_Level")
    formula = formula_at(sheet, row, col)
    # What Excel saves when it cannot find the function: the formula, and #NAME? as its value.
    copy = changed(saved, tmp_path / "name.xlsm", sheet, row, col, Formula(formula, "#NAME?"))
    result = compare.compare(copy)
    where = f"{sheet}!{c.address(row, col)}"
    assert [(p.where, p.holds, p.shows) for p in result.formula_problems] == [(where, formula, "#NAME?")]
    assert [d.where for d in result.differences] == [where]  # and it is not the level either
    out = tmp_path / "report.md"
    invoked = accept_report(copy, log, out)
    assert invoked.exit_code == 1
    text = out.read_text(encoding="utf-8")
    assert "未通过 FAIL" in text.splitlines()[0] and f"| {where} | '{formula}' | '#NAME?' |" in text


def test_a_value_where_the_formula_belongs_fails(run, tmp_path):
    saved, _ = run
    sheet, row, col = c.cell_of("Risk_Level")
    level = compare.load_workbook(saved, data_only=True)[sheet].cell(row, col).value
    copy = changed(saved, tmp_path / "value.xlsm", sheet, row, col, level)  # the level, as a value
    result = compare.compare(copy)
    where = f"{sheet}!{c.address(row, col)}"
    assert [(p.where, p.holds) for p in result.formula_problems] == [(where, level)]
    assert result.differences == []


def test_a_step_that_failed_or_left_no_message_fails_the_report(tmp_path):
    log = tmp_path / "steps.jsonl"
    records = [
        {"kind": "step", "step": "regenerate"},
        {"kind": "message", "failed": False, "zh": "已重新生成分配。", "en": "Regenerated."},
        {"kind": "step", "step": "validate"},
        {"kind": "message", "failed": True, "zh": "输入有 1 处问题", "en": "1 input problem"},
        {"kind": "step", "step": "export"},
        {"kind": "step", "step": "import"},
        {"kind": "message", "failed": False, "zh": "已导入", "en": "Imported"},
        {"kind": "error", "message": "Exception calling Run: 0x800A03EC"},
    ]
    log.write_text("\ufeff" + "".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    run = steps.read_log(log)
    assert [(name, run.steps.get(name, steps.Step(name)).passed) for name in steps.STEPS] == [
        ("regenerate", True), ("validate", False), ("export", False), ("import", False), ("optimise", False),
        ("accept", False), ("replan", False), ("save_scenario", False), ("restore_scenario", False),
        ("compare", False), ("delete_scenario", False), ("freeze", False), ("sensitivity", False),
    ]  # fmt: skip
    assert run.steps["validate"].said() == "输入有 1 处问题 · 1 input problem"
    assert "the macro left no message" in run.steps["export"].said()
    assert run.steps["import"].said() == "Exception calling Run: 0x800A03EC"
    text = report.render(compare.Comparison(10, [], 2, []), run)
    assert "| export | 未通过 fail |" in text and "- Excel: 未记录 not recorded" in text


SCRIPT = Path(__file__).parents[2] / "scripts" / "excel-acceptance.ps1"


def test_the_script_clicks_the_ribbons_callbacks_in_the_reports_order_and_sets_the_hook():
    script = SCRIPT.read_text(encoding="ascii")  # Windows PowerShell 5.1 reads BOM-less scripts as ANSI
    ribbon = (Path(macros.__file__).parent / "vba" / "DyRibbon.bas").read_text()
    clicked = re.search(r"\$steps = \[ordered\]@\{(.+?)\}", script, re.S)[1]
    pairs = re.findall(r"(\w+) = \"(\w+)\"", clicked)
    assert tuple(step for step, _ in pairs) == steps.STEPS
    for _, callback in pairs:
        assert f"Public Sub {callback}(control As IRibbonControl)" in ribbon
    assert f'Names.Add("{unattended.NAME}"' in script
    assert f'Names.Item("{unattended.NAME}").Delete()' in script  # gone before the save
    assert "dyplan excel accept-report $book --log $log --out $report" in script


def test_the_scripts_sample_report_is_the_one_the_stand_in_run_imports(tmp_path):
    shipped = SCRIPT.with_name("excel-acceptance-report.csv").read_bytes()
    assert shipped == write_report(tmp_path / "r.csv", days=30).read_bytes()
