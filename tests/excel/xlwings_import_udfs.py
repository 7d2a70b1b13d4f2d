"""Run the pinned xlwings' own ``import_udfs`` (what ImportPythonUDFs calls) off Windows.

Its COM modules are stood in for, the workbook is a stand-in that keeps the file xlwings
imports into the VBA project, and xlwings' real decorators replace the no-ops it exports off
Windows. Prints that file's text. Run in a subprocess: it patches modules for the process.

Usage: python xlwings_import_udfs.py
"""

import contextlib
import sys
import types
from pathlib import Path

for name in ("pythoncom", "pywintypes", "win32com", "win32com.client"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["pythoncom"].CoInitialize = lambda: None
sys.modules["pywintypes"].com_error = RuntimeError
sys.modules["win32com.client"].Dispatch = None

import xlwings  # noqa: E402
import xlwings.udfs as xlwings_udfs  # noqa: E402

xlwings.func, xlwings.arg = xlwings_udfs.xlfunc, xlwings_udfs.xlarg
UDF_MODULE = "dyplan.excel.udfs"


class Components:
    imported = ""

    def Remove(self, component):  # the names are COM's
        pass

    def __call__(self, name):
        return name

    def Import(self, path):
        Components.imported = Path(path).read_text()


class Workbook:
    Name = "dyplan.xlsm"
    VBProject = types.SimpleNamespace(VBComponents=Components())
    Application = types.SimpleNamespace(Version="16.0", MacroOptions=lambda *args, **kwargs: None)


module = __import__(UDF_MODULE, fromlist=["_"])
# Known already, so xlwings does not look for code embedded in the workbook's sheets.
xlwings_udfs.udf_modules[UDF_MODULE] = {"filename": module.__file__, "filetime": None, "module": module}
with contextlib.redirect_stdout(sys.stderr):  # it prints what it imported
    xlwings_udfs.import_udfs(UDF_MODULE, Workbook())
sys.stdout.write(Components.imported)
