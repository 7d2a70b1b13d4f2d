"""Edit a dyplan workbook in LibreOffice Calc the way a user would, and save it back as Excel.

Runs under Debian's /usr/bin/python3, whose `uno` module (package python3-uno) matches the
installed LibreOffice; the project's own Python has no `uno`. It starts its own headless soffice
with a throwaway profile, opens IN, and then, as a user would:

  1. adds a sheet 我的备注 at the end: A1 "老板要看", A2 =Total_Budget*2, B1 42;
  2. draws a rectangle with the text 提醒：周五复盘 on that sheet;
  3. puts the comment 请核对 on the cell the name GMV_Target refers to;
  4. types 自由备注 into a free cell of 输入, away from the input blocks;
  5. adds a chart over 我的备注!A1:B2.

It saves OUT in Excel 2007-365 format (.xlsx, or .xlsm keeping the VBA project) and prints one
JSON object: {"out": path, "edits": {what it did, with the addresses it used}}.

Instead of those edits it can do others, given after OUT:

  --insert-row NAME N   inserts a whole sheet row N rows below the first row of the defined name
                        NAME (N = 0: above it), as a user who adds a line to a table does;
                        LibreOffice moves every name below with its cells;
  --type NAME TEXT ...  types TEXT into the cell under each defined name NAME (or at Sheet!A1), as
                        typed at the keyboard (Calc reads "2027-01-01" as a date, "50000000" as a
                        number).

Usage: /usr/bin/python3 libreoffice_edit.py IN.xlsx OUT.xlsx [--insert-row NAME N | --type NAME TEXT ...]
"""

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import uno  # noqa: F401  (its import hook makes com.sun.star importable)
from com.sun.star.awt import Point, Rectangle, Size
from com.sun.star.table import CellRangeAddress
from com.sun.star.table.CellContentType import EMPTY

from uno_session import connect, property_value

ALWAYS_EXECUTE_NO_WARN = 4  # com.sun.star.document.MacroExecMode
FILTERS = {".xlsx": "Calc MS Excel 2007 XML", ".xlsm": "Calc MS Excel 2007 VBA XML"}
RUN_TIMEOUT = 300.0  # seconds; a hung load or store is killed rather than waited on forever

NOTES_SHEET = "我的备注"
INPUT_SHEET = "输入"
FREE_CELL = (11, 2)  # L3 (column, row from 0): right of the input blocks, which end in column D
COMMENT_NAME = "GMV_Target"
SHAPE_NAME = "备注提醒"
CHART_NAME = "备注图表"


def _mm100(millimetres):
    """UNO lengths are in 1/100 mm."""
    return int(millimetres * 100)


def add_notes_sheet(doc):
    sheets = doc.Sheets
    sheets.insertNewByName(NOTES_SHEET, sheets.Count)
    sheet = sheets.getByName(NOTES_SHEET)
    sheet.getCellRangeByName("A1").setString("老板要看")
    # setFormula takes the English, API grammar, so this is what the user typed in an English UI.
    sheet.getCellRangeByName("A2").setFormula("=Total_Budget*2")
    sheet.getCellRangeByName("B1").setValue(42)
    doc.calculateAll()
    a2 = sheet.getCellRangeByName("A2")
    return sheet, {"name": NOTES_SHEET, "A2_formula": a2.getFormula(), "A2_value": a2.getValue()}


def add_shape(doc, sheet):
    text = "提醒：周五复盘"
    shape = doc.createInstance("com.sun.star.drawing.RectangleShape")
    sheet.DrawPage.add(shape)  # text and geometry only stick once the shape is on a page
    shape.setPosition(Point(_mm100(60), _mm100(10)))
    shape.setSize(Size(_mm100(50), _mm100(15)))
    shape.setString(text)
    shape.Name = SHAPE_NAME
    return {"sheet": sheet.getName(), "type": shape.getShapeType(), "name": SHAPE_NAME, "text": text}


def add_comment(doc):
    """Comment the cell a defined name refers to, found through the name, not a fixed address."""
    text = "请核对"
    cell = doc.NamedRanges.getByName(COMMENT_NAME).getReferredCells().getCellByPosition(0, 0)
    address = cell.getCellAddress()
    sheet = doc.Sheets.getByIndex(address.Sheet)
    sheet.getAnnotations().insertNew(address, text)
    return {"name": COMMENT_NAME, "cell": cell.AbsoluteName, "text": text}


def type_free_text(doc):
    text = "自由备注"
    cell = doc.Sheets.getByName(INPUT_SHEET).getCellByPosition(*FREE_CELL)
    if cell.getType() != EMPTY:  # a user would not type over the plan; neither do we
        raise SystemExit(f"{cell.AbsoluteName} is not free: {cell.getString()!r}")
    cell.setString(text)
    return {"cell": cell.AbsoluteName, "text": text}


def add_chart(sheet):
    source = CellRangeAddress(sheet.getRangeAddress().Sheet, 0, 0, 1, 1)  # A1:B2
    frame = Rectangle(_mm100(60), _mm100(30), _mm100(120), _mm100(70))
    sheet.getCharts().addNewByName(CHART_NAME, frame, (source,), False, False)
    return {"sheet": sheet.getName(), "name": CHART_NAME, "range": "A1:B2"}


def insert_row(doc, name, offset):
    area = doc.NamedRanges.getByName(name).getReferredCells().getRangeAddress()
    sheet = doc.Sheets.getByIndex(area.Sheet)
    sheet.getRows().insertByIndex(area.StartRow + offset, 1)
    return {"insert_row": {"sheet": sheet.getName(), "row": area.StartRow + offset + 1}}


def type_into(doc, pairs):
    typed = {}
    for name, text in pairs:
        if "!" in name:  # a cell given as Sheet!A1
            sheet, ref = name.split("!")
            cell = doc.Sheets.getByName(sheet).getCellRangeByName(ref)
        else:
            cell = doc.NamedRanges.getByName(name).getReferredCells().getCellByPosition(0, 0)
        cell.setFormula(text)  # what typing does: Calc parses numbers and dates
        typed[name] = cell.AbsoluteName
    return {"typed": typed}


def _actions(args):
    """What to do to the document, from the arguments after OUT."""
    if not args:
        return edit
    if args[0] == "--insert-row" and len(args) == 3:
        return lambda doc: insert_row(doc, args[1], int(args[2]))
    if args[0] == "--type" and len(args) % 2 == 1 and len(args) > 1:
        return lambda doc: type_into(doc, list(zip(args[1::2], args[2::2], strict=True)))
    raise SystemExit(__doc__)


def edit(doc):
    sheet, notes = add_notes_sheet(doc)
    return {
        "sheet": notes,
        "shape": add_shape(doc, sheet),
        "comment": add_comment(doc),
        "free_text": type_free_text(doc),
        "chart": add_chart(sheet),
    }


def _start_soffice(profile, pipe):
    """soffice, headless, with its profile in the directory `profile` and listening on `pipe`."""
    # A session of its own, so that stopping it reaches soffice.bin behind the oosplash launcher.
    return subprocess.Popen(
        ["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--invisible",
         "--nologo", "--norestore", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip


def _stop_soffice(soffice, desktop):
    if desktop is not None:
        with contextlib.suppress(Exception):  # the bridge drops while soffice quits, or it is gone
            desktop.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        soffice.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(soffice.pid, signal.SIGKILL)  # whatever of its session is left
    soffice.wait()


def _load(desktop, source, scratch):
    # Open a private copy: next to IN a stale .~lock file left by a killed soffice makes a headless
    # load give up silently, and opening IN ReadOnly instead makes LibreOffice drop new comments.
    copy = Path(shutil.copy(source, scratch))
    # MacroExecutionMode loads the VBA project, which the VBA filter then writes back out.
    doc = desktop.loadComponentFromURL(
        copy.as_uri(), "_blank", 0,
        (property_value("Hidden", True), property_value("MacroExecutionMode", ALWAYS_EXECUTE_NO_WARN)),
    )  # fmt: skip
    if doc is None:
        raise SystemExit(f"LibreOffice could not open {source}")
    return doc


def _store(doc, target):
    filter_name = property_value("FilterName", FILTERS[target.suffix])
    doc.storeToURL(target.as_uri(), (filter_name, property_value("Overwrite", True)))


def main(source, target, *args):
    source, target = Path(source).resolve(), Path(target).resolve()
    if source.suffix not in FILTERS or target.suffix != source.suffix:
        raise SystemExit(f"IN and OUT must both be .xlsx or both .xlsm: {source.name}, {target.name}")
    act = _actions(args)
    pipe = f"dyplan_edit_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="lo-edit-") as scratch:
        soffice = _start_soffice(Path(scratch, "profile"), pipe)
        watchdog = threading.Timer(RUN_TIMEOUT, os.killpg, (soffice.pid, signal.SIGKILL))
        watchdog.start()
        desktop = None
        try:
            context = connect(pipe, soffice)
            desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
            doc = _load(desktop, source, scratch)
            edits = act(doc)
            _store(doc, target)
            doc.close(True)
        finally:
            watchdog.cancel()
            _stop_soffice(soffice, desktop)
    print(json.dumps({"out": str(target), "edits": edits}, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    main(*sys.argv[1:])
