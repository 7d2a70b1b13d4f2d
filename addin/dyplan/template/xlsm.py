"""The planning workbook for Excel (.xlsm): the rendering, our VBA project and the ribbon tab.

Built on Linux from the text sources in ``dyplan/excel``: the VBA modules (``vba/*.bas``)
go into ``vbaProject.bin`` (``dyplan.template.vba_project``), and the ribbon
(``ribbon/customUI14.xml``) is added as a package part with its root relationship. openpyxl
keeps ``vbaProject.bin`` but drops that relationship when it saves an .xlsm, so every writer
of an .xlsm ends with ``restore_ribbon``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import zipfile
from pathlib import Path

from dyplan.book.cells import Outputs, Typed
from dyplan.template.render import Mode, render
from dyplan.template.vba_project import workbook_vba

EXCEL_DIR = Path(__file__).resolve().parents[1] / "excel"
RIBBON_SOURCE = EXCEL_DIR / "ribbon" / "customUI14.xml"

RIBBON_PART = "customUI/customUI14.xml"
RIBBON_RELATIONSHIP = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
RIBBON_ID = "rIdDyplanRibbon"
#: Fixed so that the same sources always give the same bytes (XlsxWriter uses this date too).
ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def render_xlsm(
    path: Path, typed: Typed, outputs: Outputs | None = None, results: Outputs | None = None
) -> None:
    """Write the .xlsm planning workbook: formulas (caching ``outputs``, or ``results`` without
    them), xlwings settings, VBA and ribbon."""
    render(path, typed, outputs, Mode.XLSM, vba_project=workbook_vba, results=results)
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
