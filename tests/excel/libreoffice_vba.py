"""Open an .xlsm in LibreOffice through UNO, list its VBA modules and run a few of them.

Runs under Debian's /usr/bin/python3, whose `uno` module (package python3-uno) matches the
installed LibreOffice; the project's own Python has no `uno`. Prints one JSON object:
{"modules": {name: source}, "module_types": {name: com.sun.star.script.ModuleType},
"code_names": {sheet: codeName}, "calls": {module.procedure: result}, "active_sheet": name},
where the workbook opens on its second sheet before the procedures run. Before they run,
``--drop NAME`` removes a module (after listing it), and ``--module FILE.bas`` adds one of that
source (its name the file's stem), as a user would.

Usage: /usr/bin/python3 libreoffice_vba.py WORKBOOK.xlsm [--drop NAME]... [--module FILE.bas]
       Module.Procedure [...]
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: uno_session

from uno_session import connect, property_value

ALWAYS_EXECUTE_NO_WARN = 4  # com.sun.star.document.MacroExecMode


def main(workbook, procedures, dropped=(), added=None):
    pipe = f"dyplan_vba_{os.getpid()}"
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        soffice = subprocess.Popen(
            ["soffice", f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--invisible",
             "--nologo", "--norestore", f"--accept=pipe,name={pipe};urp;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            context = connect(pipe, soffice)
            desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
            doc = desktop.loadComponentFromURL(
                Path(workbook).resolve().as_uri(), "_blank", 0,
                (property_value("Hidden", True),
                 property_value("MacroExecutionMode", ALWAYS_EXECUTE_NO_WARN)),
            )  # fmt: skip
            library = doc.BasicLibraries.getByName("VBAProject")
            modules = {name: library.getByName(name) for name in library.getElementNames()}
            types = {name: library.getModuleInfo(name).ModuleType for name in modules}
            sheets = [doc.Sheets.getByIndex(i) for i in range(doc.Sheets.Count)]
            code_names = {sheet.Name: sheet.getPropertyValue("CodeName") for sheet in sheets}
            for name in dropped:
                library.removeByName(name)
            if added:
                library.insertByName(Path(added).stem, Path(added).read_text(encoding="ascii"))
            controller = doc.getCurrentController()
            controller.setActiveSheet(doc.Sheets.getByIndex(1))  # so that activating a sheet shows
            provider = doc.getScriptProvider()
            calls = {}
            for procedure in procedures:
                url = f"vnd.sun.star.script:VBAProject.{procedure}?language=Basic&location=document"
                result = provider.getScript(url).invoke((), (), ())[0]
                calls[procedure] = result if isinstance(result, str | int | float | bool) else None
            active = controller.getActiveSheet().getName()
            doc.close(True)
            found = {"modules": modules, "module_types": types, "code_names": code_names}
            found |= {"calls": calls, "active_sheet": active}
            print(json.dumps(found, ensure_ascii=False))
        finally:
            soffice.terminate()
            soffice.wait(timeout=30)


if __name__ == "__main__":
    arguments, dropped, added = sys.argv[2:], [], None
    while arguments[:1] == ["--drop"]:
        dropped.append(arguments[1])
        arguments = arguments[2:]
    if arguments[:1] == ["--module"]:
        added, arguments = arguments[1], arguments[2:]
    main(sys.argv[1], arguments, dropped, added)
