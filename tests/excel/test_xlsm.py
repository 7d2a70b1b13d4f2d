"""The .xlsm for Excel: its VBA read back by olevba and run by LibreOffice, its ribbon wired to
that VBA, its formulas to our worksheet functions, and the ribbon surviving every write."""

import importlib
import json
import re
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
from oletools.olevba import VBA_Parser
from openpyxl import load_workbook
from typer.testing import CliRunner

from dyplan import operations
from dyplan.book import contract as c
from dyplan.book.formulas import formula_at
from dyplan.cli import app
from dyplan.excel import udfs
from dyplan.template import render, vba_project, xlsm
from tests import realclient

from .sample_report import write_report

COMMITTED = Path(__file__).parents[2] / "workbook_templates" / operations.MACRO_TEMPLATE_NAME
LIBREOFFICE_VBA = Path(__file__).with_name("libreoffice_vba.py")
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, with python3-uno for the installed LibreOffice
RIBBON_NS = {"ui": "http://schemas.microsoft.com/office/2009/07/customui"}
DY_NAME = re.compile(r"\bDY_[A-Z_]+\b")
XLWINGS_MODULES = {"xlwings": 1, "xlwings_udfs": 1, "Dictionary": 2}  # com.sun.star.script.ModuleType

runner = CliRunner()


def vba_modules(path: Path) -> dict[str, str]:
    """Module name → source, as olevba reads them out of the workbook's vbaProject.bin."""
    parser = VBA_Parser(str(path))
    try:
        return {
            Path(name).stem: code.replace("\r\n", "\n")
            for _, _, name, code in parser.extract_macros()
        }  # fmt: skip
    finally:
        parser.close()


def ribbon_actions() -> list[str]:
    root = ET.parse(xlsm.RIBBON_SOURCE).getroot()
    return [button.get("onAction") for button in root.iterfind(".//ui:button[@onAction]", RIBBON_NS)]


def ribbon_of(path: Path) -> tuple[bool, bool, bytes | None]:
    """(has vbaProject.bin, has the ribbon relationship, the ribbon part's bytes)."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        relationships = archive.read("_rels/.rels").decode()
        part = archive.read(xlsm.RIBBON_PART) if xlsm.RIBBON_PART in names else None
    pattern = rf'Type="{re.escape(xlsm.RIBBON_RELATIONSHIP)}" Target="/?{xlsm.RIBBON_PART}"'
    related = re.search(pattern, relationships)
    return "xl/vbaProject.bin" in names, related is not None, part


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory) -> Path:
    """The demo shop's .xlsm, made and regenerated with the dyplan command."""
    path = tmp_path_factory.mktemp("xlsm") / "规划.xlsm"
    assert runner.invoke(app, ["new", str(path), "--demo"]).exit_code == 0
    result = runner.invoke(app, ["regenerate", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_xlsm_committed_template_matches_builder(tmp_path):
    built = tmp_path / "dyplan.xlsm"
    operations.build_template(built)
    assert built.read_bytes() == COMMITTED.read_bytes(), "run: dyplan template build"


def test_xlsm_vba_sources_are_ascii_because_the_project_is_stored_in_cp1252():
    for path in vba_project.VBA_DIR.glob("**/*.bas"):
        assert path.read_bytes().isascii(), path.name


def test_xlsm_olevba_reads_back_every_module_equal_to_its_source():
    modules = vba_modules(COMMITTED)
    sources = vba_project.vba_sources()
    documents = {
        "ThisWorkbook",
        *(f"Sheet{n}" for n in range(1, len(load_workbook(COMMITTED).sheetnames) + 1)),
    }
    assert set(modules) == {*sources, *documents, *XLWINGS_MODULES}
    for name, text in sources.items():
        assert modules[name].rstrip("\n") == text.rstrip("\n"), name
    code = vba_project.document_code()
    for name in documents:  # Excel's attributes, then the code we give the module (if any)
        assert modules[name].startswith(f'Attribute VB_Name = "{name}"\n'), name
        assert "Attribute VB_PredeclaredId = True\nAttribute VB_Exposed = True\n" in modules[name]
        last = code.get(name, "Attribute VB_Customizable = True").rstrip("\n")
        assert modules[name].rstrip("\n").endswith(last), name


def code_names(path: Path) -> tuple[str, list[str]]:
    """The workbook's codeName and each sheet's, in sheet order, from the package XML."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    relationship = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    with zipfile.ZipFile(path) as archive:
        workbook = ET.fromstring(archive.read("xl/workbook.xml"))
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {rel.get("Id"): rel.get("Target").removeprefix("/xl/") for rel in rels}
        sheets = [
            ET.fromstring(archive.read("xl/" + targets[sheet.get(relationship)]))
            .find("m:sheetPr", ns)
            .get("codeName")
            for sheet in workbook.iterfind("m:sheets/m:sheet", ns)
        ]
    return workbook.find("m:workbookPr", ns).get("codeName"), sheets


def test_xlsm_every_sheet_code_name_is_a_document_module(regenerated):
    workbook_base = 'Attribute VB_Base = "0{00020819-0000-0000-C000-000000000046}"'
    worksheet_base = 'Attribute VB_Base = "0{00020820-0000-0000-C000-000000000046}"'
    for path in (COMMITTED, regenerated):
        modules = vba_modules(path)
        workbook, sheets = code_names(path)
        assert workbook == "ThisWorkbook" and workbook_base in modules[workbook]
        assert len(sheets) == len(load_workbook(path).sheetnames)
        for sheet in sheets:
            assert worksheet_base in modules[sheet], sheet


def test_xlsm_every_ribbon_action_is_a_vba_sub_taking_the_control():
    actions = ribbon_actions()
    assert len(actions) >= 5
    code = "\n".join(vba_modules(COMMITTED).values())
    for action in actions:
        assert re.search(rf"^Public Sub {action}\(control As IRibbonControl\)$", code, re.M), action


def test_xlsm_ribbon_tab_has_the_promised_buttons():
    root = ET.parse(xlsm.RIBBON_SOURCE).getroot()
    tab = root.find(".//ui:tab", RIBBON_NS)
    assert tab.get("label") == "抖音投放"
    labels = [b.get("label") for b in tab.iterfind(".//ui:button", RIBBON_NS)]
    assert {
        "重新生成分配",
        "校验输入",
        "导出方案",
        "使用说明",
        "导入报表",
        "优化建议",
        "采纳建议",
        "重新规划",
        "保存情景",
        "恢复情景",
        "删除情景",
        "情景对比",
        "冻结基线",
        "敏感性分析",
    } <= set(labels)


def test_xlsm_every_run_python_target_imports_and_is_callable():
    commands = re.findall(r'DyRunPython "([^"]+)"', "\n".join(vba_project.vba_sources().values()))
    # regenerate, validate, export, import report, optimise, accept, re-plan, save, restore and delete
    # a scenario, compare scenarios, freeze baseline, sensitivity
    assert len(commands) == 13
    for command in commands:
        module_name, call = re.fullmatch(r"import ([\w.]+); ([\w.]+)\(\)", command).groups()
        module = importlib.import_module(module_name)
        assert call.startswith(module_name + ".")
        assert callable(getattr(module, call.removeprefix(module_name + ".")))


def test_xlsm_xlwings_conf_sheet_names_our_udf_module():
    ws = load_workbook(COMMITTED, keep_vba=True)[render.XLWINGS_CONF_SHEET]
    conf = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert importlib.import_module(conf["UDF Modules"]) is udfs


def formula_cells(path: Path) -> dict[tuple[str, int, int], str]:
    wb = load_workbook(path, keep_vba=True)
    return {
        (ws.title, cell.row, cell.column): cell.value
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.data_type == "f"
    }


def test_xlsm_every_dy_name_in_a_cell_is_a_worksheet_function(regenerated):
    for path in (COMMITTED, regenerated):
        formulas = formula_cells(path)
        used = {name for text in formulas.values() for name in DY_NAME.findall(text)}
        assert used and used <= set(udfs.FUNCTIONS), used - set(udfs.FUNCTIONS)
    sheets = {sheet for sheet, _, _ in formula_cells(regenerated)}
    assert {c.RISK.name, c.CHECKPOINTS.name, c.EVALUATION.name} <= sheets


def test_xlsm_regenerate_writes_the_formula_of_every_live_cell_and_only_there(regenerated):
    cells = {k: text for k, text in formula_cells(regenerated).items() if DY_NAME.search(text)}
    for (sheet, row, col), text in cells.items():
        assert formula_at(sheet, row, col) == text, f"{sheet}!{c.address(row, col)}"
    for table, key in ((c.RISK_TABLE, "score"), (c.MATRIX_TABLE, "level_zh"), (c.KPI_TABLE, "attainment")):
        sheet, top, left = c.table_origin(table)
        assert all((sheet, top + i, left + table.column(key)) in cells for i in range(table.rows)), table.name
    sheet, top, left = c.table_origin(c.CHECKPOINTS_TABLE)  # laid out anew: as many rows as checkpoints
    status = left + c.CHECKPOINTS_TABLE.column("status")
    rows = len(operations.check_file(regenerated).checkpoints)
    assert all((sheet, top + i, status) in cells for i in range(rows))
    assert (sheet, top + rows, status) not in cells
    assert {c.cell_of("Risk_Index"), c.cell_of("Risk_Level")} <= cells.keys()


def test_xlsm_finished_plan_exported_from_it_holds_values_only(regenerated, tmp_path):
    finished = tmp_path / "方案.xlsx"
    operations.export_file(regenerated, finished)
    assert not [text for text in formula_cells(finished).values() if DY_NAME.search(text)]


def test_xlsm_ribbon_and_vba_survive_every_write_path(regenerated, tmp_path):
    template_vba = zipfile.ZipFile(COMMITTED).read("xl/vbaProject.bin")
    ribbon = xlsm.RIBBON_SOURCE.read_bytes()
    built = tmp_path / "built.xlsm"
    assert runner.invoke(app, ["template", "build", "--out", str(built.with_suffix(".xlsx"))]).exit_code == 0
    for path in (COMMITTED, built, regenerated):
        assert ribbon_of(path) == (True, True, ribbon), path.name
        assert zipfile.ZipFile(path).read("xl/vbaProject.bin") == template_vba, path.name


def test_xlsm_ribbon_vba_and_formulas_survive_a_report_import(regenerated, tmp_path):
    path = tmp_path / "规划.xlsm"
    path.write_bytes(regenerated.read_bytes())
    result = runner.invoke(app, ["import-report", str(path), str(write_report(tmp_path / "报表.csv"))])
    assert result.exit_code == 0, result.output
    assert ribbon_of(path) == (True, True, xlsm.RIBBON_SOURCE.read_bytes())
    vba = "xl/vbaProject.bin"
    assert zipfile.ZipFile(path).read(vba) == zipfile.ZipFile(COMMITTED).read(vba)
    sheet, top, left = c.table_origin(c.CHECKPOINTS_TABLE)
    status = (sheet, top, left + c.CHECKPOINTS_TABLE.column("status"))
    assert formula_cells(path)[status] == formula_at(*status)


def test_xlsm_restore_ribbon_repairs_what_a_plain_openpyxl_save_drops(tmp_path):
    path = tmp_path / "saved.xlsm"
    load_workbook(COMMITTED, keep_vba=True).save(path)
    has_vba, related, _ = ribbon_of(path)
    assert has_vba and not related  # the fault this guards against
    xlsm.restore_ribbon(path)
    assert ribbon_of(path) == (True, True, xlsm.RIBBON_SOURCE.read_bytes())


def test_xlsm_passes_the_open_xml_sdk_validator(regenerated):
    realclient.require_tools()
    for path in (COMMITTED, regenerated):
        assert realclient.validate_ooxml(path) == [], path.name


def in_libreoffice(tmp_path: Path, calls: list[str], module: Path | None = None) -> dict:
    """What libreoffice_vba.py reports of a copy of the committed template.

    LibreOffice's Basic fails on xlwings' two modules (nothing of xlwings runs outside Excel
    anyway), and then every call into the library returns nothing: they are dropped first.
    """
    realclient.require_tools()
    workbook = tmp_path / "dyplan.xlsm"
    workbook.write_bytes(COMMITTED.read_bytes())
    added = [*("--drop", "xlwings", "--drop", "Dictionary"), *(("--module", str(module)) if module else ())]
    try:
        run = subprocess.run(
            [SYSTEM_PYTHON, str(LIBREOFFICE_VBA), str(workbook), *added, *calls],
            capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip
    except FileNotFoundError as error:
        raise RuntimeError(f"{SYSTEM_PYTHON} is missing: apt-get install python3-uno") from error
    assert run.returncode == 0, f"install python3-uno (.ci/run does): {run.stderr}"
    return json.loads(run.stdout)


def test_xlsm_libreoffice_binds_each_document_module_to_its_sheet(tmp_path):
    sheets = load_workbook(COMMITTED).sheetnames
    code_names = [f"Sheet{n}" for n in range(1, len(sheets) + 1)]
    # As in Excel, a sheet's code name is a global object: Sheet1.Name is the first sheet's name.
    probe = tmp_path / "Probe.bas"
    names = ' & "|" & '.join(f"{code_name}.Name" for code_name in code_names)
    probe.write_text(f"Option VBASupport 1\nFunction SheetNames()\n    SheetNames = {names}\nEnd Function\n")
    found = in_libreoffice(tmp_path, ["Probe.SheetNames"], probe)
    document, normal = 4, 1  # com.sun.star.script.ModuleType
    assert found["module_types"] == {
        **{name: document for name in ("ThisWorkbook", *code_names)},
        **{name: normal for name in vba_project.vba_sources()},
        **XLWINGS_MODULES,
    }
    assert found["code_names"] == dict(zip(sheets, code_names, strict=True))
    assert found["calls"]["Probe.SheetNames"] == "|".join(sheets)


def test_xlsm_libreoffice_loads_our_vba_and_runs_it(tmp_path):
    found = in_libreoffice(tmp_path, ["DyPython.DyNotExcelMessage", "DyPython.DyShowGuide"])
    sources = vba_project.vba_sources()
    assert set(sources) <= set(found["modules"])
    for name, text in sources.items():
        # LibreOffice shows a module without its Attribute lines, after two lines of its own.
        header = "Rem Attribute VBA_ModuleType=VBAModule\nOption VBASupport 1\n"
        assert found["modules"][name].startswith(header)
        body = "".join(
            line for line in text.splitlines(keepends=True) if not line.startswith("Attribute VB_")
        )
        assert found["modules"][name].removeprefix(header).rstrip("\n") == body.rstrip("\n"), name
    # The Chinese message is spelt as \\uXXXX escapes in the source: a real VBA engine decodes it.
    message = found["calls"]["DyPython.DyNotExcelMessage"]
    assert message.startswith("本功能只能在 Microsoft Excel 中使用：WPS 等软件无法运行 Python 宏。")
    assert found["active_sheet"] == c.GUIDE.name  # DyShowGuide ran
