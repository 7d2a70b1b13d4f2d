"""``dyplan excel setup``: the standalone check, and the copy whose xlwings.conf names this Python."""

import sys
import zipfile
from pathlib import Path

import xlwings
from openpyxl import load_workbook
from typer.testing import CliRunner

from dyplan import operations
from dyplan.cli import app
from dyplan.excel import setup
from dyplan.template.ovba.read import read_project
from dyplan.template.render import XLWINGS_CONF_SHEET

from .test_xlsm import COMMITTED, ribbon_of

runner = CliRunner()
EXCEL_MADE = Path(xlwings.__file__).with_name("quickstart_standalone.xlsm")


def test_the_vba_reader_reads_excels_project_and_ours():
    for path in (COMMITTED, EXCEL_MADE):
        with zipfile.ZipFile(path) as archive:
            project = read_project(archive.read("xl/vbaProject.bin"))
        assert project.modules["xlwings"].startswith('Attribute VB_Name = "xlwings"')
        assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in project.modules["xlwings"]
        assert project.project_references == []
    assert "Office" in project.references


def test_the_template_needs_no_add_in_and_an_xlsx_is_refused(tmp_path):
    assert setup.standalone_problems(COMMITTED) == []
    plain = tmp_path / "plan.xlsx"
    operations.new_workbook(plain)
    [(zh, en)] = setup.standalone_problems(plain)
    assert ".xlsm" in zh and "no macros" in en


def test_setup_writes_this_python_into_a_copy_and_keeps_the_rest(tmp_path):
    original = tmp_path / "规划.xlsm"
    operations.new_workbook(original)
    before = original.read_bytes()
    copy = tmp_path / "规划_本机.xlsm"
    result = runner.invoke(app, ["excel", "setup", str(original), "--out", str(copy)])
    assert result.exit_code == 0, result.output
    assert "Interpreter_Win" in result.output and sys.executable in result.output
    assert original.read_bytes() == before
    conf = {row[0]: row[1] for row in load_workbook(copy)[XLWINGS_CONF_SHEET].iter_rows(values_only=True)}
    assert conf == {"UDF Modules": "dyplan.excel.udfs", "Interpreter_Win": sys.executable}
    assert ribbon_of(copy) == ribbon_of(original)  # macros and ribbon kept
    with zipfile.ZipFile(copy) as a, zipfile.ZipFile(original) as b:
        assert a.read("xl/vbaProject.bin") == b.read("xl/vbaProject.bin")


def test_setup_again_replaces_the_interpreter_and_says_what_it_was(tmp_path):
    first, second = tmp_path / "a.xlsm", tmp_path / "b.xlsm"
    setup.set_up(COMMITTED, first, interpreter=r"C:\Old\python.exe")
    done = setup.set_up(first, second, interpreter=r"C:\New\python.exe", platform="darwin")
    assert (done.key, done.replaced) == ("Interpreter_Mac", None)
    third = tmp_path / "c.xlsm"
    done = setup.set_up(second, third, interpreter="/usr/local/bin/python3", platform="darwin")
    assert done.replaced == r"C:\New\python.exe"
    rows = list(load_workbook(third)[XLWINGS_CONF_SHEET].iter_rows(values_only=True))
    assert rows == [
        ("UDF Modules", "dyplan.excel.udfs"),
        ("Interpreter_Win", r"C:\Old\python.exe"),
        ("Interpreter_Mac", "/usr/local/bin/python3"),
    ]


def test_setup_refuses_to_overwrite_and_reports_a_version_mismatch(tmp_path, monkeypatch):
    existing = tmp_path / "x.xlsm"
    existing.write_bytes(b"")
    result = runner.invoke(app, ["excel", "setup", str(COMMITTED), "--out", str(existing)])
    assert result.exit_code == 1 and "not overwritten" in result.output
    monkeypatch.setattr(setup.xlwings, "__version__", "0.99.0")
    result = runner.invoke(app, ["excel", "setup", str(COMMITTED), "--out", str(tmp_path / "y.xlsm")])
    assert result.exit_code == 1 and "pip install xlwings==0.37.8" in result.output
    assert not (tmp_path / "y.xlsm").exists()
