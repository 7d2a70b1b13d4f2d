"""xlwings in its standalone form: the workbook's VBA project carries the pinned wheel's
modules and our functions' wrappers, so Excel needs no add-in, no VBA reference and no
"Trust access to the VBA project object model" to run the buttons and the =DY_… formulas."""

import os
import re
import subprocess
import sys
from pathlib import Path

import xlwings

from dyplan.excel import udfs
from dyplan.excel.udf_wrapper import SOURCE, udf_module_source
from dyplan.template import vba_project

from .test_xlsm import COMMITTED, vba_modules
from .vba_reading import module_records, vba_project_of

WHEEL = Path(xlwings.__file__).parent
XLWINGS_IMPORT_UDFS = Path(__file__).with_name("xlwings_import_udfs.py")
ADDIN = Path(__file__).parents[2] / "addin"
MODULES = vba_modules(COMMITTED)
EXCEL_MADE = WHEEL / "quickstart_standalone.xlsm"


def test_the_xlwings_module_is_the_installed_version():
    version = re.search(r'^Public Const XLWINGS_VERSION As String = "(.+)"$', MODULES["xlwings"], re.M)
    assert version and version.group(1) == xlwings.__version__


def test_the_xlwings_module_is_the_wheels_standalone_module():
    expected = (WHEEL / "xlwings.bas").read_text(encoding="ascii").replace("\r\n", "\n")
    assert MODULES["xlwings"] == expected


def test_the_udf_wrappers_are_what_xlwings_import_functions_would_import():
    run = subprocess.run(
        [sys.executable, str(XLWINGS_IMPORT_UDFS)],
        capture_output=True, text=True, timeout=120, check=True,
        env={**os.environ, "PYTHONPATH": str(ADDIN)},
    )  # fmt: skip
    assert udf_module_source() == run.stdout
    assert MODULES["xlwings_udfs"] == run.stdout
    assert set(re.findall(r"^Function (DY_\w+)\(", run.stdout, re.M)) == set(udfs.FUNCTIONS)


def test_the_dictionary_class_is_stored_as_excel_stores_it():
    excel = vba_modules(EXCEL_MADE)["Dictionary"]
    attributes = lambda text: [line for line in text.splitlines() if line.startswith("Attribute ")]  # noqa: E731
    assert attributes(MODULES["Dictionary"]) == attributes(excel)
    # The VBA editor recases identifiers project-wide (Err as err there); VBA ignores case.
    assert MODULES["Dictionary"].lower() == excel.lower()
    docstring = lambda project: next(r for r in module_records(project)["Dictionary"] if r.id == 0x001C)  # noqa: E731
    assert docstring(vba_project_of(COMMITTED)) == docstring(vba_project_of(EXCEL_MADE))


def test_nothing_reaches_for_the_add_in_or_the_vba_project_object_model():
    code = "\n".join(MODULES[name] for name in vba_project.vba_sources())
    assert "xlwings.xlam" not in code and "Application.Run" not in code
    assert "VBProject" not in code  # its object model is what needs the trust setting
    assert re.search(r"^    RunPython command$", MODULES["DyPython"], re.M)  # xlwings' own, in the project


def test_the_kept_udf_wrappers_are_current():
    """The template reads the wrappers from their file: it must be what the functions make now."""
    assert SOURCE.read_text(encoding="ascii") == udf_module_source(), "run: dyplan template build"
