"""What our VBA promises, read from the committed workbook's project: the formulas are calculated
again once macros run, Windows-only work is left out on the Mac, helpers are private while
the ribbon's callbacks are not, failures are told apart by their error number, and messages
VBA shows itself do not go through the ANSI MsgBox on Windows."""

import re

from dyplan.template import vba_project

from .test_xlsm import COMMITTED, ribbon_actions, vba_modules

MODULES = vba_modules(COMMITTED)


def procedure(module: str, header: str) -> str:
    """The body of the procedure whose first line is ``header`` in ``module``."""
    text = MODULES[module]
    start = text.index(header + "\n")
    return text[start : text.index("\nEnd ", start)]


def test_workbook_open_recalculates_everything_once_macros_run():
    opened = procedure("ThisWorkbook", "Private Sub Workbook_Open()")
    assert "DyRecalculate" in opened
    recalculate = procedure("DyPython", "Public Sub DyRecalculate()")
    assert re.search(r"#If Mac Then\n\s*#Else\n\s*Application\.CalculateFull\n\s*#End If", recalculate)


def test_helpers_are_private_to_the_project_and_the_ribbon_callbacks_are_not():
    assert re.search(r"^Option Private Module$", MODULES["DyPython"], re.M)
    assert not re.search(r"^Option Private Module$", MODULES["DyRibbon"], re.M)
    for action in ribbon_actions():
        assert re.search(rf"^Public Sub {action}\(control As IRibbonControl\)$", MODULES["DyRibbon"], re.M)


def test_a_failure_before_python_runs_is_told_by_its_error_number():
    run = procedure("DyPython", "Public Sub DyRunPython(ByVal command As String)")
    assert "On Error GoTo failed" in run and "DyFailureMessage(Err.Number, Err.Description)" in run
    failure = procedure(
        "DyPython",
        "Public Function DyFailureMessage(ByVal number As Long, ByVal description As String) As String",
    )
    cases = re.findall(r"^\s*Case (.+)$", failure, re.M)
    assert cases == [
        "ERR_XLWINGS_NOT_LOADED, ERR_DLL_LOAD, ERR_FILE_NOT_FOUND",
        "ERR_PERMISSION, E_ACCESSDENIED",
        "Else",
    ]
    assert "dyplan excel setup" in failure and "xlwings==0.37.8" in failure
    for name, number in (
        ("ERR_XLWINGS_NOT_LOADED", "1"),
        ("ERR_DLL_LOAD", "48"),
        ("ERR_FILE_NOT_FOUND", "53"),
    ):
        assert f"Private Const {name} As Long = {number}\n" in MODULES["DyPython"]


def test_vba_shows_its_messages_as_unicode_on_windows():
    code = [
        line.strip()
        for name in vba_project.vba_sources()
        for line in MODULES[name].splitlines()
        if not line.lstrip().startswith("'")
    ]
    assert [line for line in code if re.search(r"\bMsgBox\b", line)] == ["MsgBox text, style, TITLE"]  # Mac
    message = procedure(
        "DyPython", "Public Sub DyMessage(ByVal text As String, ByVal style As VbMsgBoxStyle)"
    )
    assert re.search(r"#If Mac Then\n\s*MsgBox .*\n\s*#Else\n\s*MessageBoxW .*StrPtr\(text\)", message)
