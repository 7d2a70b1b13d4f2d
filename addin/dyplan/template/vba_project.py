"""The planning workbook's VBA project: which modules it holds, from which sources.

A document module for the workbook and for every sheet (Excel gives each sheet one, named by
its ``codeName``), the workbook's carrying our event code (``vba/documents/ThisWorkbook.bas``:
``Workbook_Open`` recalculates), our modules from ``dyplan/excel/vba``, and xlwings in its standalone form
from the pinned wheel: its ``xlwings`` module, the ``Dictionary`` class it uses on the Mac, and
the ``xlwings_udfs`` wrappers of our worksheet functions. So nothing is referenced or
imported at run time. The references are the two a new Excel project has; Office's declares
``IRibbonControl``.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from dyplan.template.ovba.project import Kind, Module, Project, Reference, project_file

VBA_DIR = Path(__file__).resolve().parents[1] / "excel" / "vba"
#: Our worksheet functions' VBA wrappers, generated from their Python signatures (excel/udf_wrapper).
UDF_WRAPPERS = VBA_DIR / "generated" / "xlwings_udfs.bas"
#: Code of document modules, by module name: what follows the Attribute lines Excel writes.
DOCUMENTS_DIR = VBA_DIR / "documents"
PROJECT_ID = "{5C1B5E2A-2F4B-4D8E-9E0A-6479706C616E}"
WORKBOOK_MODULE = "ThisWorkbook"
#: The classes a document module extends (its VB_Base): Excel's Workbook and Worksheet.
WORKBOOK_CLASS = "{00020819-0000-0000-C000-000000000046}"
WORKSHEET_CLASS = "{00020820-0000-0000-C000-000000000046}"
#: The base of every class module (its VB_Base).
CLASS_MODULE = "{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"
#: The pinned wheel's package folder, found without importing xlwings (its import takes a tenth of a
#: second, which every command would pay: only a workbook's VBA project needs the files).
XLWINGS_DIR = Path(importlib.util.find_spec("xlwings").origin).parent  # type: ignore[union-attr,arg-type]
XLWINGS_MODULE = XLWINGS_DIR / "xlwings.bas"  # the add-in's modules joined, for a workbook
XLWINGS_DICTIONARY = XLWINGS_DIR / "addin" / "Dictionary.cls"
#: The header of an exported class module, which a project does not store.
EXPORT_HEADER = re.compile(r"\AVERSION 1\.0 CLASS\r?\nBEGIN\r?\n.*?^END\r?\n", re.S | re.M)
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


def document_code() -> dict[str, str]:
    """The code our document modules carry, by module name (the file's stem)."""
    return {path.stem: path.read_text(encoding="ascii") for path in sorted(DOCUMENTS_DIR.glob("*.bas"))}


def document_module(name: str, base_class: str, code: str = "") -> Module:
    """A document module, its attributes as Excel stores them, then ``code`` (none: an empty one)."""
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
    header = "".join(f"Attribute {key} = {value}\n" for key, value in attributes)
    return Module(name, Kind.DOCUMENT, header + code)


def class_module(name: str, exported: str) -> Module:
    """A class module from its exported text, stored as the VBA editor imports it.

    The export's header goes; the editor adds ``VB_Base`` after ``VB_Name``, and
    ``VB_TemplateDerived`` and ``VB_Customizable`` after ``VB_Exposed``.
    """
    text = EXPORT_HEADER.sub("", exported, count=1)
    text = text.replace(
        f'Attribute VB_Name = "{name}"\n',
        f'Attribute VB_Name = "{name}"\nAttribute VB_Base = "0{CLASS_MODULE}"\n',
        1,
    )
    exposed = re.search(r"^Attribute VB_Exposed = \w+\n", text, re.M)
    if not text.startswith(f'Attribute VB_Name = "{name}"\n') or exposed is None:
        raise ValueError(f"{name}: not an exported class module")
    added = "Attribute VB_TemplateDerived = False\nAttribute VB_Customizable = False\n"
    return Module(name, Kind.CLASS, text[: exposed.end()] + added + text[exposed.end() :])


def xlwings_modules() -> list[Module]:
    """xlwings' standalone modules, from the pinned wheel, and our functions' wrappers."""
    return [
        Module("xlwings", Kind.PROCEDURAL, _wheel_text(XLWINGS_MODULE)),
        Module(UDF_WRAPPERS.stem, Kind.PROCEDURAL, UDF_WRAPPERS.read_text(encoding="ascii")),
        class_module("Dictionary", _wheel_text(XLWINGS_DICTIONARY)),
    ]


def _wheel_text(path: Path) -> str:
    """A module file of the wheel (CRLF), with the line ends the other sources have."""
    return path.read_text(encoding="ascii").replace("\r\n", "\n")


def workbook_project(sheet_code_names: list[str]) -> Project:
    """The project for a workbook whose sheets have ``sheet_code_names``, in sheet order."""
    code = document_code()
    documents = [
        document_module(WORKBOOK_MODULE, WORKBOOK_CLASS, code.get(WORKBOOK_MODULE, "")),
        *(document_module(name, WORKSHEET_CLASS, code.get(name, "")) for name in sheet_code_names),
    ]
    ours = [Module(name, Kind.PROCEDURAL, text) for name, text in vba_sources().items()]
    return Project(PROJECT_ID, (*documents, *ours, *xlwings_modules()), REFERENCES)


def workbook_vba(sheet_code_names: list[str]) -> bytes:
    """The ``vbaProject.bin`` for a workbook whose sheets have ``sheet_code_names``."""
    return project_file(workbook_project(sheet_code_names))
