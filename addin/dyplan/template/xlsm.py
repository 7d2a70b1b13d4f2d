"""The planning workbook for Excel (.xlsm): the rendering, our VBA modules and the ribbon tab.

Built on Linux from the text sources in ``dyplan/excel``: the VBA modules (``vba/*.bas``)
are compiled into ``vbaProject.bin`` with ms-ovba, and the ribbon (``ribbon/customUI14.xml``)
is added as a package part with its root relationship. openpyxl keeps ``vbaProject.bin`` but
drops that relationship when it saves an .xlsm, so every writer of an .xlsm ends with
``restore_ribbon``.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import ms_ovba_crypto.ms_ovba_crypto as ovba_crypto
from ms_ovba.Models.Entities.doc_module import DocModule
from ms_ovba.Models.Entities.reference import Reference
from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
from ms_ovba.Models.Entities.std_module import StdModule
from ms_ovba.Models.Fields.libid_reference import LibidReference
from ms_ovba.vbaProject import VbaProject
from ms_ovba.Views.project_ole_file import ProjectOleFile
from ms_ovba_compression.ms_ovba import MsOvba

from dyplan.book.cells import Outputs, Typed
from dyplan.template.render import Mode, render

EXCEL_DIR = Path(__file__).resolve().parents[1] / "excel"
VBA_DIR = EXCEL_DIR / "vba"
RIBBON_SOURCE = EXCEL_DIR / "ribbon" / "customUI14.xml"

RIBBON_PART = "customUI/customUI14.xml"
RIBBON_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_ID = "rIdDyplanRibbon"
#: Fixed so that the same sources always give the same bytes (XlsxWriter uses this date too).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
PROJECT_ID = "{5C1B5E2A-2F4B-4D8E-9E0A-6479706C616E}"

# The workbook's document module (Excel adds one per sheet itself, as for sheets openpyxl adds),
# and the two libraries every Excel VBA project references (Office's declares IRibbonControl).
WORKBOOK_CLASS = uuid.UUID("00020819-0000-0000-C000-000000000046")
DOCUMENT = (
    "VERSION 1.0 CLASS\nBEGIN\n  MultiUse = -1  'True\nEND\n"
    'Attribute VB_Name = "ThisWorkbook"\nAttribute VB_GlobalNameSpace = False\n'
    "Attribute VB_Creatable = False\nAttribute VB_PredeclaredId = True\nAttribute VB_Exposed = True\n"
)
OFFICE = r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL"
LIBRARIES = (
    ("stdole", "00020430-0000-0000-C000-000000000046", r"C:\Windows\System32\stdole2.tlb", "OLE Automation"),
    ("Office", "2DF8D04C-5BFA-101B-BDE5-00AA0044DE52", OFFICE, "Microsoft Office 16.0 Object Library"),
)


def vba_sources() -> dict[str, str]:
    """Our VBA modules by name, as committed (the name is the file's stem)."""
    return {path.stem: path.read_text(encoding="ascii") for path in sorted(VBA_DIR.glob("*.bas"))}


@contextlib.contextmanager
def _mended_ms_ovba() -> Iterator[None]:
    """ms-ovba 0.0.1 with two faults mended while it runs.

    Its copy tokens may be longer than MS-OVBA 2.4.1.3.19.1 allows ((0xFFFF >> BitCount) + 3),
    which garbles any module of more than a few KB; and it seeds the PROJECT stream's encoded
    fields from the global random generator, so no two builds would be the same.
    """
    unbounded = MsOvba.copytoken_help

    def copytoken_help(difference: int) -> dict:
        help_ = unbounded(difference)
        return {**help_, "maxLength": help_["lengthMask"] + 3}

    with (
        mock.patch.object(MsOvba, "copytoken_help", staticmethod(copytoken_help)),
        mock.patch.object(ovba_crypto, "random", random.Random(0)),
    ):
        yield


def compile_vba(out: Path) -> None:
    """Compile our modules into a ``vbaProject.bin``.

    ms-ovba writes scratch files into the working folder and beside each source, and reuses
    them on the next run (which once corrupted a module): it works on fresh copies in a
    temporary folder, every time.
    """
    with (
        tempfile.TemporaryDirectory(prefix="dyplan-vba-") as scratch,
        contextlib.chdir(scratch),
        _mended_ms_ovba(),
    ):
        project = VbaProject()
        project.project_id = PROJECT_ID
        workbook = Path("ThisWorkbook.cls")
        workbook.write_text(DOCUMENT, encoding="ascii")
        module = DocModule("ThisWorkbook")
        module.add_file(str(workbook))
        module.add_guid(WORKBOOK_CLASS)
        module.normalize_file()
        project.add_module(module)
        for name, text in vba_sources().items():
            source = Path(f"{name}.bas")
            source.write_text(text, encoding="ascii")
            module = StdModule(name)
            module.add_file(str(source))
            module.normalize_file()
            project.add_module(module)
        for name, class_id, path, description in LIBRARIES:
            library = LibidReference(uuid.UUID(class_id), "2.0", "0", path, description)
            project.add_reference(Reference(ReferenceRegistered(library), name))
        ProjectOleFile.write_file(project)
        shutil.copyfile("vbaProject.bin", out)


def render_xlsm(path: Path, typed: Typed, outputs: Outputs | None = None) -> None:
    """Write the .xlsm planning workbook: formulas, xlwings settings, VBA and ribbon."""
    with tempfile.TemporaryDirectory(prefix="dyplan-xlsm-") as folder:
        vba = Path(folder) / "vbaProject.bin"
        compile_vba(vba)
        render(path, typed, outputs, Mode.XLSM, vba_project=vba)
    restore_ribbon(path)


def restore_ribbon(path: Path) -> None:
    """Make sure an .xlsm carries the ribbon part and the root relationship that shows it."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    parts = {info.filename: data for info, data in members}
    relationships = parts["_rels/.rels"].decode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    if RIBBON_PART in parts and RIBBON_RELATIONSHIP in relationships:
        return
    relationships = relationships.replace(
        "</Relationships>",
        f'<Relationship Id="{RIBBON_ID}" Type="{RIBBON_RELATIONSHIP}" Target="{RIBBON_PART}"/>'
        "</Relationships>",
    )
    if 'Extension="xml"' not in types:
        types = types.replace(
            "</Types>", f'<Override PartName="/{RIBBON_PART}" ContentType="application/xml"/></Types>'
        )
    replaced = {"_rels/.rels": relationships.encode("utf-8"), "[Content_Types].xml": types.encode("utf-8")}
    handle, temp = tempfile.mkstemp(prefix=".dyplan-", suffix=".xlsm", dir=path.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
            for info, data in members:
                archive.writestr(info, replaced.get(info.filename, data))
            if RIBBON_PART not in parts:
                part = zipfile.ZipInfo(RIBBON_PART, ZIP_TIME)
                archive.writestr(part, RIBBON_SOURCE.read_bytes(), zipfile.ZIP_DEFLATED)
        os.replace(temp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
