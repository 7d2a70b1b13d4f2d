"""docs/excel-setup.md keeps up with the workbook: every worksheet function and every button."""

import inspect
import xml.etree.ElementTree as ET
from pathlib import Path

from dyplan.excel import udfs
from dyplan.template import xlsm

DOCS = (Path(__file__).parents[2] / "docs" / "excel-setup.md").read_text(encoding="utf-8")


def test_docs_show_every_worksheet_function_with_its_arguments():
    for name, function in udfs.FUNCTIONS.items():
        parameters = inspect.signature(function).parameters.values()
        shown = [p.name if p.default is inspect.Parameter.empty else f"[{p.name}]" for p in parameters]
        assert f"`{name}({', '.join(shown)})`" in DOCS, name


def test_docs_explain_every_ribbon_button():
    root = ET.parse(xlsm.RIBBON_SOURCE).getroot()
    for button in root.iter("{http://schemas.microsoft.com/office/2009/07/customui}button"):
        assert f"| {button.get('label')} |" in DOCS, button.get("label")


def test_docs_ask_for_no_add_in_and_no_trust_step():
    # The workbook carries xlwings and its functions' wrappers: nothing to install or import.
    assert "启用公式" not in DOCS
    assert "`xlwings addin install` is not needed" in DOCS
    assert "*Trust access to the VBA project object model* is not needed" in DOCS
