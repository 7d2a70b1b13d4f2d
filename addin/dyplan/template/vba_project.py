"""The planning workbook's VBA project: which modules it holds, from which sources.

A document module for the workbook and for every sheet (Excel gives each sheet one, named by
its ``codeName``), then our modules from ``dyplan/excel/vba``. The references are the two a
new Excel project has; Office's declares ``IRibbonControl``.
"""

from __future__ import annotations

from pathlib import Path

from dyplan.template.ovba.project import Kind, Module, Project, Reference, project_file

VBA_DIR = Path(__file__).resolve().parents[1] / "excel" / "vba"
PROJECT_ID = "{5C1B5E2A-2F4B-4D8E-9E0A-6479706C616E}"
WORKBOOK_MODULE = "ThisWorkbook"
#: The classes a document module extends (its VB_Base): Excel's Workbook and Worksheet.
WORKBOOK_CLASS = "{00020819-0000-0000-C000-000000000046}"
WORKSHEET_CLASS = "{00020820-0000-0000-C000-000000000046}"
REFERENCES = (
    Reference(
        "stdole",
        r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb#OLE Automation",
    ),
    Reference(
        "Office",
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\Program Files\Common Files\Microsoft Shared"
        r"\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
    ),
)


def vba_sources() -> dict[str, str]:
    """Our VBA modules by name, as committed (the name is the file's stem)."""
    return {path.stem: path.read_text(encoding="ascii") for path in sorted(VBA_DIR.glob("*.bas"))}


def document_module(name: str, base_class: str) -> Module:
    """An empty document module, its attributes as Excel stores them."""
    attributes = (
        ("VB_Name", f'"{name}"'),
        ("VB_Base", f'"0{base_class}"'),
        ("VB_GlobalNameSpace", "False"),
        ("VB_Creatable", "False"),
        ("VB_PredeclaredId", "True"),
        ("VB_Exposed", "True"),
        ("VB_TemplateDerived", "False"),
        ("VB_Customizable", "True"),
    )
    return Module(name, Kind.DOCUMENT, "".join(f"Attribute {key} = {value}\n" for key, value in attributes))


def workbook_project(sheet_code_names: list[str]) -> Project:
    """The project for a workbook whose sheets have ``sheet_code_names``, in sheet order."""
    documents = [
        document_module(WORKBOOK_MODULE, WORKBOOK_CLASS),
        *(document_module(name, WORKSHEET_CLASS) for name in sheet_code_names),
    ]
    ours = [Module(name, Kind.PROCEDURAL, text) for name, text in vba_sources().items()]
    return Project(PROJECT_ID, (*documents, *ours), REFERENCES)


def workbook_vba(sheet_code_names: list[str]) -> bytes:
    """The ``vbaProject.bin`` for a workbook whose sheets have ``sheet_code_names``."""
    return project_file(workbook_project(sheet_code_names))
